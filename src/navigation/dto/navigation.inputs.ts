import { Field, Float, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { LIMITS } from '../../config/config';
import { InterpolationMethod, ObjectiveKind } from '../models/navigation.models';

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

@InputType({ description: 'Property-guided optimisation in latent space around a seed molecule (sep-CMA-ES).' })
export class OptimizeInput {
  @Field({ description: 'Seed molecule: SMILES or approved-drug name.' })
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.maxInputLength)
  seed!: string;

  @Field(() => ObjectiveInput)
  @ValidateNested()
  @Type(() => ObjectiveInput)
  objective!: ObjectiveInput;

  @Field(() => ConstraintsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConstraintsInput)
  constraints?: ConstraintsInput;

  @Field(() => Int, { defaultValue: 200, description: `Oracle calls: distinct valid molecules scored (${LIMITS.minBudget}..${LIMITS.maxBudget}).` })
  @IsInt()
  @Min(LIMITS.minBudget)
  @Max(LIMITS.maxBudget)
  budget!: number;

  @Field(() => Float, { defaultValue: 0.5, description: 'Initial CMA-ES step size in latent units (0.01..3).' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(3)
  sigma!: number;

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
