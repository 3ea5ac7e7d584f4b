import { ArgsType, Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEnum,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { RangeInput } from '../../candidates/dto/candidates.args';
import { SortDirection } from '../../candidates/models/candidate.models';
import { LIMITS } from '../../config/config';
import { LibraryEntryOrderBy, LibraryFingerprint, SubstructureFormat } from '../models/library.models';

/** Candidate ids are decimal integers in the API (GraphQL ID). */
const CANDIDATE_ID = /^[1-9][0-9]{0,14}$/;
const TAG_HELP = `1..${LIMITS.maxTagLength} characters from a-z 0-9 _ . : - (upper case is lower-cased)`;

@InputType({ description: 'Create a library.' })
export class CreateLibraryInput {
  @Field({ description: `Unique name, 1..${LIMITS.maxLibraryNameLength} characters (surrounding whitespace trimmed).` })
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.maxLibraryNameLength + 50) // trimmed by the service, which checks the exact limit
  name!: string;

  @Field(() => String, { nullable: true, description: `At most ${LIMITS.maxLibraryTextLength} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.maxLibraryTextLength)
  description?: string | null;
}

@InputType({ description: 'Rename a library and/or change its description; omitted fields are left as they are.' })
export class UpdateLibraryInput {
  @Field(() => ID)
  @IsString()
  @MaxLength(100)
  id!: string;

  @Field(() => String, { nullable: true, description: `New unique name, 1..${LIMITS.maxLibraryNameLength} characters.` })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.maxLibraryNameLength + 50)
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'New description; an empty string clears it.' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.maxLibraryTextLength)
  description?: string | null;
}

@InputType({
  description:
    'Add molecules to a library: give exactly one of `candidateIds` (stored candidates) and `smiles` (SMILES or ' +
    'approved-drug names, canonicalised by RDKit, described and stored as candidates). A candidate already in the ' +
    'library keeps its entry; `tags` are added to every entry named.',
})
export class AddToLibraryInput {
  @Field(() => ID)
  @IsString()
  @MaxLength(100)
  libraryId!: string;

  @Field(() => [ID], { nullable: true, description: `Candidate ids, at most ${LIMITS.maxLibraryBatch}.` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.maxLibraryBatch)
  @Matches(CANDIDATE_ID, { each: true, message: 'each candidate id must be a positive integer' })
  candidateIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: `SMILES or approved-drug names, at most ${LIMITS.maxLibrarySmilesBatch}, each at most ${LIMITS.maxInputLength} characters.` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.maxLibrarySmilesBatch)
  @IsString({ each: true })
  @MaxLength(LIMITS.maxInputLength, { each: true })
  smiles?: string[] | null;

  @Field(() => [String], { nullable: true, description: `Tags for the entries: ${TAG_HELP}; at most ${LIMITS.maxTagsPerCall}.` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.maxTagsPerCall)
  @IsString({ each: true })
  @MaxLength(LIMITS.maxTagLength + 10, { each: true })
  tags?: string[] | null;
}

@InputType({ description: "Add a run's candidates to a library, with the run's scores; `sourceRunId` records the run." })
export class AddRunToLibraryInput {
  @Field(() => ID)
  @IsString()
  @MaxLength(100)
  libraryId!: string;

  @Field(() => ID)
  @IsString()
  @MaxLength(100)
  runId!: string;

  @Field(() => [Int], {
    nullable: true,
    description: `Positions in the run (path index or rank - 1; see Run.candidates), at most ${LIMITS.maxLibraryBatch}; omit for all. A molecule at several positions is added once, with the score of its lowest position.`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.maxLibraryBatch)
  @IsInt({ each: true })
  @Min(0, { each: true })
  positions?: number[] | null;

  @Field(() => [String], { nullable: true, description: `Tags for the entries: ${TAG_HELP}.` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.maxTagsPerCall)
  @IsString({ each: true })
  @MaxLength(LIMITS.maxTagLength + 10, { each: true })
  tags?: string[] | null;
}

@InputType({ description: 'Entries of a library, addressed by candidate id.' })
export class LibraryEntriesInput {
  @Field(() => ID)
  @IsString()
  @MaxLength(100)
  libraryId!: string;

  @Field(() => [ID], { description: `Candidate ids (each must be in the library), 1..${LIMITS.maxLibraryBatch}.` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LIMITS.maxLibraryBatch)
  @Matches(CANDIDATE_ID, { each: true, message: 'each candidate id must be a positive integer' })
  candidateIds!: string[];
}

@InputType({ description: 'Add or remove tags on entries of a library.' })
export class TagLibraryEntriesInput extends LibraryEntriesInput {
  @Field(() => [String], { description: `Tags: ${TAG_HELP}; 1..${LIMITS.maxTagsPerCall}.` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LIMITS.maxTagsPerCall)
  @IsString({ each: true })
  @MaxLength(LIMITS.maxTagLength + 10, { each: true })
  tags!: string[];
}

@InputType({ description: "Set or clear the note of a candidate's entry." })
export class AnnotateLibraryEntryInput {
  @Field(() => ID)
  @IsString()
  @MaxLength(100)
  libraryId!: string;

  @Field(() => ID)
  @Matches(CANDIDATE_ID, { message: 'candidateId must be a positive integer' })
  candidateId!: string;

  @Field(() => String, { nullable: true, description: `The note, at most ${LIMITS.maxLibraryTextLength} characters; null or empty clears it.` })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.maxLibraryTextLength)
  note?: string | null;
}

@InputType({ description: 'Similarity search: entries whose ECFP4 Tanimoto similarity to a molecule is at least `threshold`.' })
export class SimilarityInput {
  @Field({ description: `Query molecule: SMILES or approved-drug name, at most ${LIMITS.maxInputLength} characters.` })
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.maxInputLength)
  smiles!: string;

  @Field(() => Float, { defaultValue: 0, description: 'Minimum Tanimoto similarity, 0..1 (inclusive).' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  threshold?: number;

  @Field(() => LibraryFingerprint, { defaultValue: LibraryFingerprint.ECFP4 })
  @IsOptional()
  @IsEnum(LibraryFingerprint)
  fingerprint?: LibraryFingerprint;
}

const range = (description?: string) => Field(() => RangeInput, { nullable: true, description });

@InputType({
  description:
    'Conditions on library entries; all must hold. Property ranges are inclusive. `substructure` and `similarTo` are ' +
    `evaluated with RDKit over the entries the other conditions select (at most ${LIMITS.maxLibrarySearchRows}; more is LIMIT_EXCEEDED).`,
})
export class LibraryEntryFilterInput {
  @range('MW, Da.') @IsOptional() @ValidateNested() @Type(() => RangeInput) mw?: RangeInput;
  @range('Crippen cLogP.') @IsOptional() @ValidateNested() @Type(() => RangeInput) clogp?: RangeInput;
  @range('TPSA, Å².') @IsOptional() @ValidateNested() @Type(() => RangeInput) tpsa?: RangeInput;
  @range('H-bond donors.') @IsOptional() @ValidateNested() @Type(() => RangeInput) hbd?: RangeInput;
  @range('H-bond acceptors.') @IsOptional() @ValidateNested() @Type(() => RangeInput) hba?: RangeInput;
  @range('Rotatable bonds.') @IsOptional() @ValidateNested() @Type(() => RangeInput) rotatableBonds?: RangeInput;
  @range('Heavy atoms.') @IsOptional() @ValidateNested() @Type(() => RangeInput) heavyAtoms?: RangeInput;
  @range('Aromatic rings.') @IsOptional() @ValidateNested() @Type(() => RangeInput) aromaticRings?: RangeInput;
  @range('QED, 0..1.') @IsOptional() @ValidateNested() @Type(() => RangeInput) qed?: RangeInput;
  @range('SA score, 1..10.') @IsOptional() @ValidateNested() @Type(() => RangeInput) sa?: RangeInput;
  @range('Penalised logP.') @IsOptional() @ValidateNested() @Type(() => RangeInput) plogp?: RangeInput;
  @range('Entry score (entries without a score do not match).') @IsOptional() @ValidateNested() @Type(() => RangeInput) score?: RangeInput;

  @Field(() => [String], { nullable: true, description: `Entries carrying every one of these tags (at most ${LIMITS.maxTagsPerCall}).` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.maxTagsPerCall)
  @IsString({ each: true })
  @MaxLength(LIMITS.maxTagLength + 10, { each: true })
  tags?: string[];

  @Field(() => String, { nullable: true, description: 'Text the note contains (case-insensitive for ASCII letters; % and _ are ordinary characters).' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.maxLibraryTextLength)
  noteContains?: string;

  @Field(() => ID, { nullable: true, description: 'Entries added from this run.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sourceRunId?: string;

  @Field(() => String, { nullable: true, description: 'Substructure query (SMARTS by default, see substructureFormat), at most 4000 characters. Errors: INVALID_SMARTS, INVALID_SMILES.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  substructure?: string;

  @Field(() => SubstructureFormat, { defaultValue: SubstructureFormat.SMARTS })
  @IsOptional()
  @IsEnum(SubstructureFormat)
  substructureFormat?: SubstructureFormat;

  @Field(() => SimilarityInput, { nullable: true, description: 'Similarity search; entries then carry `similarity` and are ordered by it (DESC) unless orderBy says otherwise.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SimilarityInput)
  similarTo?: SimilarityInput;
}

@ArgsType()
export class LibraryEntriesArgs {
  @Field(() => ID)
  @IsString()
  @MaxLength(100)
  libraryId!: string;

  @Field(() => LibraryEntryFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => LibraryEntryFilterInput)
  filter?: LibraryEntryFilterInput;

  @Field(() => LibraryEntryOrderBy, { nullable: true, description: 'Default: SIMILARITY with similarTo, else ADDED_AT.' })
  @IsOptional()
  @IsEnum(LibraryEntryOrderBy)
  orderBy?: LibraryEntryOrderBy;

  @Field(() => SortDirection, { nullable: true, description: 'Default DESC.' })
  @IsOptional()
  @IsEnum(SortDirection)
  direction?: SortDirection;

  @Field(() => Int, { defaultValue: 20, description: `Page size, 1..${LIMITS.maxPageSize}.` })
  @IsInt()
  @Min(1)
  @Max(LIMITS.maxPageSize)
  first!: number;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page (same filter and ordering).' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  after?: string;
}

@ArgsType()
export class LibrariesArgs {
  @Field(() => Int, { defaultValue: 20, description: `Page size, 1..${LIMITS.maxPageSize}.` })
  @IsInt()
  @Min(1)
  @Max(LIMITS.maxPageSize)
  first!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  after?: string;
}

@ArgsType()
export class LibraryArgs {
  @Field(() => ID, { nullable: true, description: 'Library id; give exactly one of id and name.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  id?: string;

  @Field(() => String, { nullable: true, description: 'Exact library name.' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.maxLibraryNameLength + 50)
  name?: string;
}
