import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsIn, IsInt, IsNumber, IsOptional, IsPositive, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { LIMITS } from '../../config/config';
import { DEFAULT_NEIGHBOUR_RADIUS } from '../neighbours';
import { DEFAULT_OPTIMIZER_SIGMA } from '../optimization';
import { DEFAULT_BEAM_WIDTH } from '../decoding-choice';
import { MAX_BEAM_WIDTH } from '../../model/beam';
import { OPTIMIZER_KINDS, OptimizerKind as OptimizerKindT } from '../../optim/factory';
import { ScoringInput } from '../../scoring/dto/scoring.inputs';
import { OptimizerKind } from '../../scoring/models/scoring.enums';
import { DecodeStrategy, InterpolationMethod, ObjectiveKind } from '../models/navigation.models';

@InputType({ description: 'Interpolate between two molecules in latent space.' })
export class InterpolateInput {
  @Field({ description: `Start molecule: SMILES or approved-drug name (case-insensitive). At most ${LIMITS.maxInputLength} characters.` })
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.maxInputLength)
  from!: string;

  @Field({ description: 'End molecule: SMILES or approved-drug name.' })
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.maxInputLength)
  to!: string;

  @Field(() => Int, { defaultValue: 10, description: `Intervals on the path (${LIMITS.minSteps}..${LIMITS.maxSteps}); the path has steps + 1 points.` })
  @IsInt()
  @Min(LIMITS.minSteps)
  @Max(LIMITS.maxSteps)
  steps!: number;

  @Field(() => InterpolationMethod, { defaultValue: InterpolationMethod.SLERP })
  @IsEnum(InterpolationMethod)
  method!: InterpolationMethod;

  @Field(() => Int, { defaultValue: 0, description: 'Seed of the random retries (same seed, same path).' })
  @IsInt()
  @Min(0)
  @Max(2 ** 31 - 1)
  seed!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      `Decode the path points with beam search, this many beams per point (1..${MAX_BEAM_WIDTH}), each point taking its most probable beam that is valid and ` +
      `new to the path; the beams count against the ${LIMITS.interpolationAttempts} decodes per point, so fewer sampled retries remain. Null (default): greedy. ` +
      'Validity and latency by beam width: README "Interpolation with beam search".',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_BEAM_WIDTH)
  beamWidth?: number | null;
}

@InputType({ description: 'What to optimise.' })
export class ObjectiveInput {
  @Field(() => ObjectiveKind)
  @IsEnum(ObjectiveKind)
  kind!: ObjectiveKind;

  @Field(() => Float, { nullable: true, description: 'Target value for CLOGP_TARGET (log units, -10..15).' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-10)
  @Max(15)
  target?: number;
}

@InputType({ description: 'Hard constraints on optimised molecules.' })
export class ConstraintsInput {
  @Field(() => Float, { defaultValue: 0, description: 'Minimum ECFP4 Tanimoto similarity to the seed molecule, 0..1.' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  minSimilarity!: number;
}

@InputType({
  description:
    'Objective-guided optimisation in latent space: from a seed molecule, or without one from the best of 200 prior samples ' +
    '(4 starts). Give exactly one of `objective` (a preset) and `scoring` (any objective of the scoring language).',
})
export class OptimizeInput {
  @Field(() => String, { nullable: true, description: 'Seed molecule: SMILES or approved-drug name. Omit to start from prior samples z ~ N(0, I).' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.maxInputLength)
  seed?: string | null;

  @Field(() => [String], { nullable: true, description: `Further seed molecules (at most ${LIMITS.maxAskTellSeeds}): one more optimiser start at each latent mean. minSimilarity refers to \`seed\` only.` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.maxAskTellSeeds)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(LIMITS.maxInputLength, { each: true })
  seeds?: string[] | null;

  @Field(() => ObjectiveInput, { nullable: true, description: 'A preset objective (QED, PLOGP, SA, CLOGP_TARGET), mapped to the scoring language.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ObjectiveInput)
  objective?: ObjectiveInput | null;

  @Field(() => ScoringInput, { nullable: true, description: 'Any objective of the scoring language (the same JSON as bench/objectives and the ask/tell API).' })
  @IsOptional()
  scoring?: ScoringInput | null;

  @Field(() => ConstraintsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConstraintsInput)
  constraints?: ConstraintsInput;

  @Field(() => OptimizerKind, { defaultValue: 'SEP_CMAES', description: 'Latent-space optimiser.' })
  @IsIn(OPTIMIZER_KINDS as unknown as string[])
  optimizer!: OptimizerKindT;

  @Field(() => Int, { defaultValue: 200, description: `Oracle calls: distinct valid molecules scored (${LIMITS.minBudget}..${LIMITS.maxBudget}).` })
  @IsInt()
  @Min(LIMITS.minBudget)
  @Max(LIMITS.maxBudget)
  budget!: number;

  @Field(() => Float, {
    defaultValue: DEFAULT_OPTIMIZER_SIGMA,
    description: 'Initial step size (CMA-ES sigma, PSO spread) in latent units per dimension (0.01..3). The default suits the shipped model: with a seed and minSimilarity 0.4, larger steps mostly leave the seed\'s neighbourhood.',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(3)
  sigma!: number;

  @Field(() => Int, { nullable: true, description: `Population per start and generation (4..${LIMITS.maxPopulation}); default: the optimiser's own (4 + 3 ln 128 = 18 for CMA-ES).` })
  @IsOptional()
  @IsInt()
  @Min(4)
  @Max(LIMITS.maxPopulation)
  population?: number | null;

  @Field(() => Int, { nullable: true, description: 'Early stop after this many generations without a better best score (1..10000); default never.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  patience?: number | null;

  @Field(() => Int, { defaultValue: 10, description: `Ranked candidates to return and store (1..${LIMITS.maxTopK}).` })
  @IsInt()
  @Min(1)
  @Max(LIMITS.maxTopK)
  topK!: number;

  @Field(() => Int, { defaultValue: 0, description: 'Random seed (same seed and inputs, same run).' })
  @IsInt()
  @Min(0)
  @Max(2 ** 31 - 1)
  randomSeed!: number;
}

@InputType({ description: 'How latent points are decoded to SMILES (always under the SMILES syntax mask).' })
export class DecodingInput {
  @Field(() => DecodeStrategy, { defaultValue: DecodeStrategy.GREEDY })
  @IsEnum(DecodeStrategy)
  strategy!: DecodeStrategy;

  @Field(() => Float, { defaultValue: 1, description: `Sampling temperature, > 0 and at most ${LIMITS.maxTemperature} (below 1 sharpens, above 1 flattens the token distribution). Ignored by GREEDY.` })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(LIMITS.maxTemperature)
  temperature!: number;

  @Field(() => Int, { nullable: true, description: `Sample only among the k most likely tokens (1..${LIMITS.maxSampleTopK}); null: all tokens. Ignored by GREEDY.` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(LIMITS.maxSampleTopK)
  topK?: number | null;

  @Field(() => Int, { defaultValue: DEFAULT_BEAM_WIDTH, description: `Beams per point for BEAM (1..${MAX_BEAM_WIDTH}). Ignored by GREEDY and SAMPLE.` })
  @IsInt()
  @Min(1)
  @Max(MAX_BEAM_WIDTH)
  beamWidth!: number;
}

@InputType({ description: 'Sample distinct valid molecules around a molecule in latent space.' })
export class SampleNeighboursInput {
  @Field({ description: `Query molecule: SMILES or approved-drug name (case-insensitive). At most ${LIMITS.maxInputLength} characters.` })
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.maxInputLength)
  molecule!: string;

  @Field(() => Int, { defaultValue: 10, description: `Distinct valid neighbours wanted (1..${LIMITS.maxNeighbours}). At most ${LIMITS.neighbourDecodesPerResult} x count decodes are spent.` })
  @IsInt()
  @Min(1)
  @Max(LIMITS.maxNeighbours)
  count!: number;

  @Field(() => Float, {
    defaultValue: DEFAULT_NEIGHBOUR_RADIUS,
    description: `Standard deviation of the isotropic Gaussian noise added to the query's latent mean, latent units (> 0, at most ${LIMITS.maxRadius}). With a Tanimoto band it adapts between rounds.`,
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(LIMITS.maxRadius)
  radius!: number;

  @Field(() => Float, { nullable: true, description: 'Keep only neighbours whose ECFP4 Tanimoto similarity to the query is >= this (0..1).' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  minTanimoto?: number | null;

  @Field(() => Float, { nullable: true, description: 'Keep only neighbours whose ECFP4 Tanimoto similarity to the query is <= this (0..1, >= minTanimoto).' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  maxTanimoto?: number | null;

  @Field(() => DecodingInput, { nullable: true, description: 'Decoding; default GREEDY.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DecodingInput)
  decoding?: DecodingInput | null;

  @Field(() => Int, { defaultValue: 0, description: 'Random seed of the noise and of sampled decoding (same input and seed, same neighbours).' })
  @IsInt()
  @Min(0)
  @Max(2 ** 31 - 1)
  seed!: number;
}

@InputType({ description: 'Walk from a molecule along a property direction of the model (see propertyDirections).' })
export class TraverseInput {
  @Field({ description: `Start molecule: SMILES or approved-drug name (case-insensitive). At most ${LIMITS.maxInputLength} characters.` })
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.maxInputLength)
  molecule!: string;

  @Field({ description: 'Property key of one of the model\'s directions, e.g. "tpsa" (see propertyDirections).' })
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { message: 'property must be a property key such as tpsa' })
  property!: string;

  @Field(() => Float, {
    description:
      `Signed distance along the unit direction, latent units (non-zero, |distance| <= ${LIMITS.maxTraverseDistance}); negative walks against the direction. ` +
      'On the shipped model properties follow their direction over about 4 latent units (molecules change little below 2; beyond about 8 ' +
      'more decodes are invalid or repeat).',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-LIMITS.maxTraverseDistance)
  @Max(LIMITS.maxTraverseDistance)
  distance!: number;

  @Field(() => Int, { defaultValue: 10, description: `Intervals (${LIMITS.minTraverseSteps}..${LIMITS.maxTraverseSteps}); the walk has steps + 1 points.` })
  @IsInt()
  @Min(LIMITS.minTraverseSteps)
  @Max(LIMITS.maxTraverseSteps)
  steps!: number;

  @Field(() => DecodingInput, { nullable: true, description: 'Decoding; default GREEDY.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DecodingInput)
  decoding?: DecodingInput | null;

  @Field(() => Int, { defaultValue: 0, description: 'Seed of sampled decoding (same input and seed, same walk).' })
  @IsInt()
  @Min(0)
  @Max(2 ** 31 - 1)
  seed!: number;
}

@InputType({ description: 'Open an ask/tell session: the service proposes molecules, your pipeline scores them with its own tools and tells the scores back (askTellTell).' })
export class AskTellStartInput {
  @Field(() => [String], { defaultValue: [], description: `Seed molecules (SMILES or approved-drug names, at most ${LIMITS.maxAskTellSeeds}); one optimiser start at each latent mean. Empty: random prior starts.` })
  @IsArray()
  @ArrayMaxSize(LIMITS.maxAskTellSeeds)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(LIMITS.maxInputLength, { each: true })
  seeds!: string[];

  @Field(() => Int, { defaultValue: 4, description: 'Random prior starts when no seeds are given (1..16).' })
  @IsInt()
  @Min(1)
  @Max(16)
  priorStarts!: number;

  @Field(() => OptimizerKind, { defaultValue: 'SEP_CMAES' })
  @IsIn(OPTIMIZER_KINDS as unknown as string[])
  optimizer!: OptimizerKindT;

  @Field(() => Float, { defaultValue: DEFAULT_OPTIMIZER_SIGMA, description: 'Initial step size in latent units per dimension (0.01..3).' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(3)
  sigma!: number;

  @Field(() => Int, { nullable: true, description: `Molecules proposed per start and batch (4..${LIMITS.maxPopulation}); default the optimiser's own.` })
  @IsOptional()
  @IsInt()
  @Min(4)
  @Max(LIMITS.maxPopulation)
  population?: number | null;

  @Field(() => Int, { defaultValue: 0, description: 'Random seed (same seed and scores, same proposals).' })
  @IsInt()
  @Min(0)
  @Max(2 ** 31 - 1)
  randomSeed!: number;

  @Field(() => String, { nullable: true, description: 'What your scores mean (free text, at most 500 characters), stored with the run.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  objective?: string | null;
}

@InputType({ description: 'Scores of the last proposed batch, higher is better.' })
export class AskTellTellInput {
  @Field(() => ID)
  @IsString()
  @MaxLength(100)
  runId!: string;

  @Field(() => Int, { nullable: true, description: 'The batch version these scores answer (from the batch); a tell for an older batch is refused.' })
  @IsOptional()
  @IsInt()
  version?: number | null;

  @Field(() => [Float], { nullable: 'items', description: 'One entry per proposed molecule, in order: a finite score, or null for an invalid decode, a molecule you did not score, or one with a knownScore.' })
  @IsArray()
  @ArrayMaxSize(LIMITS.maxPopulation * 16)
  scores!: Array<number | null>;
}
