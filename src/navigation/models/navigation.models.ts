import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ComponentScore } from '../../scoring/models/scoring.models';
import { OptimizerKind } from '../../scoring/models/scoring.enums';
import type { OptimizerKind as OptimizerKindT } from '../../optim/factory';
import { MolecularProperties } from '../../molecules/models/properties.model';
import { Molecule } from '../../molecules/models/molecule.model';
import { LIMITS } from '../../config/config';

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
  description: 'Preset objectives of optimize, mapped to the scoring language: QED (score = QED), PLOGP (penalised logP through SIGMOID -20..20, k 0.1), SA (SA score through REVERSE_SIGMOID 1..10), CLOGP_TARGET (cLogP through GAUSSIAN mu = target, sigma 1).',
});

/** How a path point was obtained. */
export enum DecodeSource {
  INPUT = 'INPUT',
  GREEDY = 'GREEDY',
  BEAM = 'BEAM',
  SAMPLED = 'SAMPLED',
  NONE = 'NONE',
}
registerEnumType(DecodeSource, {
  name: 'DecodeSource',
  description: 'INPUT: the endpoint molecule itself. GREEDY: greedy decode of the path point. BEAM: a beam of beam search at the path point (beamWidth given). SAMPLED: a retry (temperature sampling around the point). NONE: no distinct valid molecule within the attempt budget.',
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

  @Field(() => Float, { description: 'Objective score 0..1 (scoring language; 0 when a constraint fails). Presets map their property monotonically: see ObjectiveKind.' })
  score!: number;

  @Field(() => Float, { description: 'Aggregate of the soft components, whatever the constraints say.' })
  softScore!: number;

  @Field(() => [ComponentScore], { description: 'Raw value (in the unit of its kind) and transformed value of each soft component.' })
  components!: ComponentScore[];

  @Field(() => Float, { nullable: true, description: 'ECFP4 Tanimoto similarity to the seed molecule, 0..1; null without a seed.' })
  similarityToSeed!: number | null;

  @Field({ description: 'True when every constraint holds.' })
  feasible!: boolean;

  @Field(() => Int, { description: 'Oracle call at which the molecule was first scored (1-based).' })
  foundAtCall!: number;

  @Field(() => MolecularProperties)
  properties!: MolecularProperties;
}

@ObjectType({ description: 'A background optimisation job: follow it with run(id) (status, progress), the runProgress subscription, cancelRun(id), and candidates(runId) when it has finished.' })
export class OptimizationJob {
  @Field(() => ID)
  runId!: string;

  @Field({ description: 'QUEUED when answered (RUNNING once a job slot is free).' })
  status!: string;
}

@ObjectType({ description: 'Result of a latent-space optimisation run.' })
export class OptimizationResult {
  @Field(() => ID)
  runId!: string;

  @Field(() => Molecule, { nullable: true, description: 'The seed molecule; null for a run started from prior samples.' })
  seed!: Molecule | null;

  @Field(() => ObjectiveKind, { nullable: true, description: 'The preset, null for a custom scoring-language objective.' })
  objective!: ObjectiveKind | null;

  @Field(() => Float, { nullable: true, description: 'Score of the seed molecule itself; null without a seed.' })
  seedScore!: number | null;

  @Field(() => OptimizerKind)
  optimizer!: OptimizerKindT;

  @Field(() => [OptimizedCandidate], { description: 'Best distinct molecules, feasible first, by score.' })
  candidates!: OptimizedCandidate[];

  @Field(() => Int, { description: 'Oracle calls used: distinct valid molecules scored.' })
  oracleCalls!: number;

  @Field(() => Int, { description: 'Latent points decoded (includes invalid and duplicate decodes).' })
  decodes!: number;

  @Field(() => Int, { description: 'Decodes that RDKit rejected.' })
  invalidDecodes!: number;

  @Field(() => Int, { description: 'Optimiser generations run.' })
  generations!: number;

  @Field({ description: 'Why the run stopped: BUDGET (oracle calls), DECODE_LIMIT, STAGNATION (step size collapsed), NO_IMPROVEMENT (patience), OPTIMUM (score 1 reached) or CANCELLED.' })
  stopReason!: string;

  @Field()
  modelVersion!: string;
}

export enum DecodeStrategy {
  GREEDY = 'GREEDY',
  SAMPLE = 'SAMPLE',
  BEAM = 'BEAM',
}
registerEnumType(DecodeStrategy, {
  name: 'DecodeStrategy',
  description: 'GREEDY: most likely token at each step (deterministic). SAMPLE: draw each token from the softmax at the given temperature, optionally among the top-k tokens (seeded). BEAM: beam search with beamWidth beams per point, keeping the most probable beam that RDKit parses (deterministic, about beamWidth times the decoding work of GREEDY; with smiles-gru-vae-v2 and width 5, 98.5% of prior-sample decodes are valid against 85% greedy, and 78.5% of the ZINC250k test split is reconstructed against 71.2%: README "Model").',
});

@ObjectType({ description: 'A molecule found near the query in latent space.' })
export class Neighbour {
  @Field(() => Int, { description: '1 = most similar to the query (by ECFP4 Tanimoto).' })
  rank!: number;

  @Field({ description: 'RDKit canonical SMILES.' })
  canonicalSmiles!: string;

  @Field(() => String, { nullable: true, description: 'Standard InChIKey (null when InChI generation fails).' })
  inchiKey!: string | null;

  @Field(() => Float, { description: 'ECFP4 (Morgan radius 2, 2048 bits) Tanimoto similarity to the query, 0..1.' })
  tanimoto!: number;

  @Field(() => MolecularProperties)
  properties!: MolecularProperties;

  @Field(() => Int, { description: 'Sampling round (1-based) in which it was found.' })
  round!: number;

  @Field(() => Int, { description: '1-based index of the decode that produced it, over the whole call.' })
  foundAtDecode!: number;
}

@ObjectType({ description: 'Result of sampleNeighbours: distinct valid molecules decoded around the query, with the sampling statistics.' })
export class NeighbourResult {
  @Field(() => ID, { description: 'Id of the stored NEIGHBOURS run; see run(id).' })
  runId!: string;

  @Field(() => Molecule)
  query!: Molecule;

  @Field(() => [Neighbour], { description: 'Distinct valid neighbours (never the query), by Tanimoto to the query, highest first; at most `requested`.' })
  neighbours!: Neighbour[];

  @Field(() => Int, { description: 'Neighbours asked for (count).' })
  requested!: number;

  @Field(() => Int, { description: 'Neighbours found.' })
  found!: number;

  @Field({ description: 'True when `found` = `requested`; false when the attempt budget ran out first (see message).' })
  complete!: boolean;

  @Field(() => String, { nullable: true, description: 'Why fewer neighbours than requested were found; null when complete.' })
  message!: string | null;

  @Field(() => Int, { description: `Latent points decoded (attempt budget: ${LIMITS.neighbourDecodesPerResult} x requested). Rows of the last round left unexamined once enough neighbours were found count here and in no other counter.` })
  decodes!: number;

  @Field(() => Int, { description: 'Decodes RDKit rejected.' })
  invalidDecodes!: number;

  @Field(() => Int, { description: 'Decodes that gave back the query molecule itself.' })
  identicalToQuery!: number;

  @Field(() => Int, { description: 'Valid decodes of a molecule already seen in this call.' })
  duplicates!: number;

  @Field(() => Int, { description: 'Distinct valid molecules rejected by the Tanimoto band (0 without a band).' })
  outsideBand!: number;

  @Field(() => Int, { description: 'Sampling rounds (one batched decode each).' })
  rounds!: number;

  @Field(() => Float, { description: 'Noise radius asked for, latent units.' })
  radius!: number;

  @Field(() => Float, { description: 'Noise radius after the last adaptation, latent units (= radius without a band).' })
  finalRadius!: number;

  @Field(() => Float, { nullable: true, description: 'Lower Tanimoto bound used, or null.' })
  minTanimoto!: number | null;

  @Field(() => Float, { nullable: true, description: 'Upper Tanimoto bound used, or null.' })
  maxTanimoto!: number | null;

  @Field(() => DecodeStrategy)
  strategy!: DecodeStrategy;

  @Field({ description: 'Model version that produced the neighbours.' })
  modelVersion!: string;
}

@ObjectType({ description: 'A latent direction along which a molecular property is predicted to change linearly (directions.json of the model).' })
export class PropertyDirection {
  @Field({ description: 'Property key, a field of MolecularProperties (e.g. tpsa); the `property` argument of traverse.' })
  property!: string;

  @Field({ description: 'Human-readable name, e.g. "cLogP (Crippen)".' })
  label!: string;

  @Field({ description: 'Unit of the property ("" when unitless), e.g. "Å²", "Da".' })
  unit!: string;

  @Field(() => Float, { description: 'Predicted property change per latent unit moved along the direction (property units per latent unit).' })
  slope!: number;

  @Field(() => Float, { description: 'R² of the linear predictor on held-out molecules (may be negative when it predicts worse than the mean).' })
  r2Heldout!: number;

  @Field(() => Float, { description: 'Spearman rank correlation of predicted and actual values on held-out molecules, -1..1.' })
  spearmanHeldout!: number;

  @Field(() => Float, { description: 'Mean of the property over the molecules the direction was fitted on (property units).' })
  mean!: number;

  @Field(() => Float, { description: 'Standard deviation of the property over those molecules (property units).' })
  std!: number;
}

@ObjectType({ description: 'The property directions shipped with the loaded model.' })
export class PropertyDirectionSet {
  @Field({ description: 'False when the model ships no directions.json (traverse then answers DIRECTIONS_UNAVAILABLE).' })
  available!: boolean;

  @Field({ description: 'Model version the directions belong to (the loaded model).' })
  modelVersion!: string;

  @Field(() => String, { nullable: true, description: 'How the directions were fitted (from directions.json).' })
  method!: string | null;

  @Field(() => String, { nullable: true, description: 'When directions.json was written (ISO date).' })
  created!: string | null;

  @Field(() => String, { nullable: true, description: 'Provenance object of directions.json (data, sample sizes, seeds), as a JSON string.' })
  provenance!: string | null;

  @Field(() => [PropertyDirection], { description: 'One entry per property, in the file\'s order; empty when unavailable.' })
  directions!: PropertyDirection[];
}

@ObjectType({ description: 'One decoded point of a traverse.' })
export class TraversePoint {
  @Field(() => Int, { description: 'Position on the walk, 0..steps.' })
  index!: number;

  @Field(() => Float, { description: 'index / steps, 0..1.' })
  t!: number;

  @Field(() => Float, { description: 'Signed distance from the start molecule\'s latent mean along the direction, latent units (t x distance).' })
  offset!: number;

  @Field({ description: 'True when the decode is a valid molecule.' })
  valid!: boolean;

  @Field(() => String, { nullable: true, description: 'Why the decode is invalid (RDKit\'s reason); null when valid.' })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'RDKit canonical SMILES of the decoded molecule.' })
  canonicalSmiles!: string | null;

  @Field(() => MolecularProperties, { nullable: true })
  properties!: MolecularProperties | null;

  @Field(() => Float, { nullable: true, description: 'Actual value of the directed property of the decoded molecule (property units); null when invalid.' })
  value!: number | null;

  @Field(() => Float, { description: 'Predicted value of the directed property: the start molecule\'s value + slope x offset (property units).' })
  predicted!: number;

  @Field(() => Float, { nullable: true, description: 'ECFP4 Tanimoto similarity to the start molecule, 0..1; null when invalid.' })
  tanimotoToStart!: number | null;

  @Field({ description: 'False when the molecule already appeared at an earlier point, or the point is invalid.' })
  distinct!: boolean;
}

@ObjectType({ description: 'Result of traverse: the decoded walk along a property direction and how well the property followed it.' })
export class TraverseResult {
  @Field(() => ID, { description: 'Id of the stored TRAVERSE run; see run(id).' })
  runId!: string;

  @Field(() => Molecule)
  start!: Molecule;

  @Field(() => PropertyDirection)
  direction!: PropertyDirection;

  @Field(() => Float, { description: 'Signed distance walked, latent units.' })
  distance!: number;

  @Field(() => Int)
  steps!: number;

  @Field(() => DecodeStrategy)
  strategy!: DecodeStrategy;

  @Field(() => Float, { description: 'The start molecule\'s actual value of the directed property (property units).' })
  startValue!: number;

  @Field(() => [TraversePoint], { description: 'steps + 1 points; point 0 is the decode of the start molecule\'s latent mean (which need not be the start molecule).' })
  points!: TraversePoint[];

  @Field(() => Int, { description: 'Latent points decoded (steps + 1).' })
  decodes!: number;

  @Field(() => Int, { description: 'Points whose decode is a valid molecule.' })
  validPoints!: number;

  @Field(() => Int, { description: 'Valid points with a molecule not seen at an earlier point.' })
  distinctValidPoints!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Spearman rank correlation of the actual property with the offset over the valid distinct points, -1..1 (positive: the property rises with the offset); null with fewer than 3 such points or a constant property.',
  })
  spearman!: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'True when the actual property never moves against the predicted direction (sign of slope x distance) between consecutive valid distinct points; null with fewer than 2 such points.',
  })
  monotonic!: boolean | null;

  @Field()
  modelVersion!: string;
}

@ObjectType({ description: 'A molecule proposed by an ask/tell session.' })
export class AskedMolecule {
  @Field(() => Int, { description: 'Position in the batch: send its score at the same index.' })
  index!: number;

  @Field(() => String, { nullable: true, description: 'RDKit canonical SMILES; null when the decode is invalid (send null).' })
  smiles!: string | null;

  @Field(() => String, { nullable: true, description: "RDKit's reason when invalid." })
  reason!: string | null;

  @Field(() => Float, { nullable: true, description: 'Score told for this molecule earlier in the session; you may send null for it.' })
  knownScore!: number | null;
}

@ObjectType({ description: 'A scored molecule of an ask/tell session.' })
export class ToldMolecule {
  @Field()
  smiles!: string;

  @Field(() => Float)
  score!: number;
}

@ObjectType({ description: 'The batch to score next in an ask/tell session.' })
export class AskTellBatch {
  @Field(() => ID, { description: 'The ASK_TELL run holding the session (durable: any service process on the same store continues it).' })
  runId!: string;

  @Field(() => Int, { description: 'Batch version: pass it back with the scores.' })
  version!: number;

  @Field(() => [AskedMolecule])
  molecules!: AskedMolecule[];

  @Field(() => Int, { description: 'Distinct molecules scored so far (your oracle calls).' })
  told!: number;

  @Field(() => [ToldMolecule], { description: 'The 10 best molecules told so far.' })
  best!: ToldMolecule[];
}
