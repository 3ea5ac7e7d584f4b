import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Candidate, PageInfo } from '../../candidates/models/candidate.models';

/** Orderings of library entries (ties broken by entry id in the same direction). */
export enum LibraryEntryOrderBy {
  ADDED_AT = 'addedAt',
  SCORE = 'score',
  SIMILARITY = 'similarity',
  MW = 'mw',
  CLOGP = 'clogp',
  TPSA = 'tpsa',
  HBD = 'hbd',
  HBA = 'hba',
  ROTATABLE_BONDS = 'rotatableBonds',
  HEAVY_ATOMS = 'heavyAtoms',
  AROMATIC_RINGS = 'aromaticRings',
  QED = 'qed',
  SA = 'sa',
  PLOGP = 'plogp',
}
registerEnumType(LibraryEntryOrderBy, {
  name: 'LibraryEntryOrderBy',
  description:
    'What to order library entries by: when they were added, their score (entries without one come last in both ' +
    'directions), the similarity to `filter.similarTo` (only with it), or a candidate property. Ties are broken by entry id.',
});

/** How `LibraryEntryFilter.substructure` is read. */
export enum SubstructureFormat {
  SMARTS = 'SMARTS',
  SMILES = 'SMILES',
}
registerEnumType(SubstructureFormat, {
  name: 'SubstructureFormat',
  description:
    'SMARTS: RDKit MolFromSmarts (aromatic SMILES such as c1ccccc1 are valid SMARTS; unbracketed atoms match any H count). ' +
    'SMILES: the molecule (sanitised, so Kekulé input becomes aromatic) is the query; elements, charges, bonds and ' +
    'aromaticity must match, hydrogen counts are not compared.',
});

/** Fingerprints a similarity search can use. */
export enum LibraryFingerprint {
  ECFP4 = 'ECFP4',
}
registerEnumType(LibraryFingerprint, {
  name: 'LibraryFingerprint',
  description: 'Fingerprints of library similarity searches. ECFP4: RDKit Morgan bit vector, radius 2, 2048 bits (stored with each candidate); similarity is the Tanimoto coefficient.',
});

@ObjectType({ description: 'A named, curated collection of candidates.' })
export class Library {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Unique name, 1..100 characters.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Free text, at most 2000 characters.' })
  description!: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'Last change of the name, description or entries.' })
  updatedAt!: Date;

  @Field(() => Int, { description: 'Number of entries.' })
  entryCount!: number;
}

@ObjectType({ description: 'A candidate in a library, with its annotation and provenance.' })
export class LibraryEntry {
  @Field(() => ID, { description: 'Entry id (mutations address entries by libraryId + candidate id).' })
  id!: string;

  @Field(() => ID)
  libraryId!: string;

  @Field(() => Candidate)
  candidate!: Candidate;

  @Field(() => String, { nullable: true, description: 'Free-text annotation, at most 2000 characters.' })
  note!: string | null;

  @Field(() => Float, { nullable: true, description: 'Score the candidate had in the run it was added from (addRunToLibrary), if any.' })
  score!: number | null;

  @Field(() => ID, { nullable: true, description: 'Run the entry was added from, if any (kept when the run is deleted).' })
  sourceRunId!: string | null;

  @Field(() => GraphQLISODateTime)
  addedAt!: Date;

  @Field(() => [String], { description: 'Tags, sorted (lower case).' })
  tags!: string[];

  @Field(() => Float, { nullable: true, description: 'ECFP4 Tanimoto similarity to `filter.similarTo`, 0..1; null without a similarity search.' })
  similarity!: number | null;
}

@ObjectType()
export class LibraryEntryEdge {
  @Field({ description: 'Opaque cursor; pass as `after` to continue after this node (same filter and ordering).' })
  cursor!: string;

  @Field(() => LibraryEntry)
  node!: LibraryEntry;
}

@ObjectType({ description: 'A page of library entries (Relay cursor connection).' })
export class LibraryEntryConnection {
  @Field(() => [LibraryEntryEdge])
  edges!: LibraryEntryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Entries matching the filter, over all pages.' })
  totalCount!: number;
}

@ObjectType()
export class LibraryEdge {
  @Field()
  cursor!: string;

  @Field(() => Library)
  node!: Library;
}

@ObjectType({ description: 'A page of libraries, by name (Relay cursor connection).' })
export class LibraryConnection {
  @Field(() => [LibraryEdge])
  edges!: LibraryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@ObjectType({ description: 'Outcome of addToLibrary / addRunToLibrary.' })
export class AddToLibraryResult {
  @Field(() => Library)
  library!: Library;

  @Field(() => Int, { description: 'Entries created by this call.' })
  added!: number;

  @Field(() => Int, { description: 'Candidates that were in the library already (their entries are left as they were, apart from the tags of the call).' })
  alreadyPresent!: number;

  @Field(() => [LibraryEntry], { description: 'The entries the call names, in input order (each candidate once).' })
  entries!: LibraryEntry[];
}

@ObjectType({ description: 'Outcome of removeFromLibrary.' })
export class RemoveFromLibraryResult {
  @Field(() => Library)
  library!: Library;

  @Field(() => Int, { description: 'Entries removed.' })
  removed!: number;
}
