import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { MolecularProperties } from '../../molecules/models/properties.model';

export enum CandidateOrderBy {
  CREATED_AT = 'createdAt',
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
registerEnumType(CandidateOrderBy, { name: 'CandidateOrderBy', description: 'Property to order candidates by (ties broken by id).' });

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

@ObjectType({ description: 'A stored molecule (unique by canonical SMILES).' })
export class Candidate {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'RDKit canonical isomeric SMILES.' })
  canonicalSmiles!: string;

  @Field(() => String, { nullable: true, description: 'Standard InChIKey.' })
  inchiKey!: string | null;

  @Field(() => MolecularProperties)
  properties!: MolecularProperties;

  @Field(() => GraphQLISODateTime, { description: 'When the molecule was first stored.' })
  createdAt!: Date;
}

@ObjectType()
export class CandidateEdge {
  @Field({ description: 'Opaque cursor; pass as `after` to continue after this node.' })
  cursor!: string;

  @Field(() => Candidate)
  node!: Candidate;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType({ description: 'A page of candidates (Relay cursor connection).' })
export class CandidateConnection {
  @Field(() => [CandidateEdge])
  edges!: CandidateEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Candidates matching the filters, over all pages.' })
  totalCount!: number;
}

@ObjectType({ description: 'A candidate at its place in a run.' })
export class RunCandidate {
  @Field(() => Int, { description: 'Path index (interpolate, traverse) or rank - 1 (optimize, sampleNeighbours).' })
  position!: number;

  @Field(() => Float, { nullable: true, description: 'Objective score (optimize), ECFP4 Tanimoto to the query (sampleNeighbours), or the directed property\'s actual value (traverse).' })
  score!: number | null;

  @Field(() => Float, { nullable: true, description: 'Interpolation parameter t in [0, 1] (interpolate), or index / steps (traverse).' })
  t!: number | null;

  @Field(() => Candidate)
  candidate!: Candidate;
}

@ObjectType({ description: 'A recorded run: interpolation, optimisation, neighbour sampling or traverse.' })
export class Run {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'INTERPOLATE, OPTIMIZE, NEIGHBOURS or TRAVERSE.' })
  kind!: string;

  @Field({
    description:
      'RUNNING, SUCCEEDED or FAILED; background runs also QUEUED (waiting for a slot), CANCELLED (cancelRun) and ' +
      'INTERRUPTED (the service stopped during the run; candidates stored before are kept). PENDING for older rows.',
  })
  status!: string;

  @Field({ description: 'Request parameters as JSON.' })
  parameters!: string;

  @Field(() => String, { nullable: true, description: 'Summary statistics as JSON (oracle calls, decodes, ...).' })
  stats!: string | null;

  @Field()
  modelVersion!: string;

  @Field(() => Int, { nullable: true, description: 'Random seed of the run.' })
  seed!: number | null;

  @Field(() => String, { nullable: true, description: 'Error message of a FAILED run.' })
  error!: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  startedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'Wall time, ms.' })
  durationMs!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Latest progress of a background run as JSON (e.g. {"oracleCalls":120,"budget":200,"bestScore":0.81,"generation":14}).',
  })
  progress!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the progress was last written.' })
  progressAt!: Date | null;

  @Field({ description: 'A cancellation was requested (cancelRun).' })
  cancelRequested!: boolean;
}
