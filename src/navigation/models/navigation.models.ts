import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { MolecularProperties } from '../../molecules/models/properties.model';
import { Molecule } from '../../molecules/models/molecule.model';

export enum InterpolationMethod {
  LINEAR = 'LINEAR',
  SLERP = 'SLERP',
}
registerEnumType(InterpolationMethod, {
  name: 'InterpolationMethod',
  description: 'LINEAR: straight line between the two latent means. SLERP: spherical linear interpolation (White 2016, arXiv:1609.04468).',
});

export enum ObjectiveKind {
  QED = 'QED',
  PLOGP = 'PLOGP',
  SA = 'SA',
  CLOGP_TARGET = 'CLOGP_TARGET',
}
registerEnumType(ObjectiveKind, {
  name: 'ObjectiveKind',
  description: 'What optimize improves. QED: maximise QED. PLOGP: maximise penalized logP. SA: minimise SA score. CLOGP_TARGET: bring cLogP close to `target` (score = -|cLogP - target|).',
});

/** How a path point was obtained. */
export enum DecodeSource {
  INPUT = 'INPUT',
  GREEDY = 'GREEDY',
  SAMPLED = 'SAMPLED',
  NONE = 'NONE',
}
registerEnumType(DecodeSource, {
  name: 'DecodeSource',
  description: 'INPUT: the endpoint molecule itself. GREEDY: greedy decode of the path point. SAMPLED: a retry (temperature sampling around the point). NONE: no distinct valid molecule within the attempt budget.',
});

@ObjectType({ description: 'One point of an interpolation path.' })
export class PathPoint {
  @Field(() => Int, { description: 'Position on the path, 0..steps.' })
  index!: number;

  @Field(() => Float, { description: 'Interpolation parameter, 0 (from) .. 1 (to).' })
  t!: number;

  @Field({ description: 'True when a distinct valid molecule was found for this point.' })
  valid!: boolean;

  @Field(() => String, { nullable: true, description: 'Why no molecule is given (null when valid).' })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'RDKit canonical SMILES of the molecule at this point.' })
  canonicalSmiles!: string | null;

  @Field(() => MolecularProperties, { nullable: true })
  properties!: MolecularProperties | null;

  @Field(() => Float, { nullable: true, description: 'ECFP4 (Morgan radius 2, 2048 bits) Tanimoto similarity to the from molecule, 0..1.' })
  tanimotoToFrom!: number | null;

  @Field(() => Float, { nullable: true, description: 'ECFP4 Tanimoto similarity to the to molecule, 0..1.' })
  tanimotoToTo!: number | null;

  @Field(() => DecodeSource)
  source!: DecodeSource;

  @Field(() => Int, { description: 'Decodes tried for this point (0 for endpoints).' })
  attempts!: number;
}

@ObjectType({ description: 'An interpolation run: the decoded path between two molecules.' })
export class InterpolationResult {
  @Field(() => ID, { description: 'Id of the stored run; see run(id).' })
  runId!: string;

  @Field(() => Molecule)
  from!: Molecule;

  @Field(() => Molecule)
  to!: Molecule;

  @Field(() => InterpolationMethod)
  method!: InterpolationMethod;

  @Field(() => [PathPoint], { description: 'steps + 1 points; the first and last are the inputs themselves.' })
  path!: PathPoint[];

  @Field(() => Int, { description: 'Number of distinct valid intermediates (endpoints excluded).' })
  distinctIntermediates!: number;

  @Field(() => Int, { description: 'Total decodes run for the path.' })
  decodes!: number;

  @Field({ description: 'Model version that produced the path.' })
  modelVersion!: string;
}

@ObjectType({ description: 'A molecule found by optimize, with its score.' })
export class OptimizedCandidate {
  @Field(() => Int, { description: '1 = best.' })
  rank!: number;

  @Field()
  canonicalSmiles!: string;

  @Field(() => Float, { description: 'Objective score (higher is better; SA is reported negated, CLOGP_TARGET as -|cLogP - target|).' })
  score!: number;

  @Field(() => Float, { description: 'ECFP4 Tanimoto similarity to the seed molecule, 0..1.' })
  similarityToSeed!: number;

  @Field({ description: 'True when every constraint holds.' })
  feasible!: boolean;

  @Field(() => Int, { description: 'Oracle call at which the molecule was first scored (1-based).' })
  foundAtCall!: number;

  @Field(() => MolecularProperties)
  properties!: MolecularProperties;
}

@ObjectType({ description: 'Result of a latent-space optimisation run.' })
export class OptimizationResult {
  @Field(() => ID)
  runId!: string;

  @Field(() => Molecule)
  seed!: Molecule;

  @Field(() => ObjectiveKind)
  objective!: ObjectiveKind;

  @Field(() => Float, { description: 'Score of the seed molecule itself.' })
  seedScore!: number;

  @Field(() => [OptimizedCandidate], { description: 'Best distinct molecules, feasible first, by score.' })
  candidates!: OptimizedCandidate[];

  @Field(() => Int, { description: 'Oracle calls used: distinct valid molecules scored.' })
  oracleCalls!: number;

  @Field(() => Int, { description: 'Latent points decoded (includes invalid and duplicate decodes).' })
  decodes!: number;

  @Field(() => Int, { description: 'Decodes that RDKit rejected.' })
  invalidDecodes!: number;

  @Field(() => Int, { description: 'CMA-ES generations run.' })
  generations!: number;

  @Field({ description: 'Why the run stopped: BUDGET (oracle calls), DECODE_LIMIT or STAGNATION.' })
  stopReason!: string;

  @Field()
  modelVersion!: string;
}
