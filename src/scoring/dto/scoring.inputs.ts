/**
 * GraphQL inputs of the scoring language. Field names and enum values are those of the JSON language (spec.ts), so
 * the JSON document of a `ScoringInput` variable is an objective file as the benchmark harness reads it. The
 * semantic checks (parameters per kind, SMILES/SMARTS parsing, ranges) run in `validateScoringSpec` and come back as
 * one INVALID_OBJECTIVE error listing every problem with its path.
 */
import { Field, Float, InputType } from '@nestjs/graphql';
import { IsArray, IsOptional } from 'class-validator';
import type { AlertSetName, Aggregation, ComponentKind, FormulaMean as FormulaMeanT, ReferenceAggregation as RefAggT, SimilarityFingerprint as FpT } from '../spec';
import type { GaussianFlat as GaussianFlatT, TransformKind as TransformKindT } from '../transforms';
import {
  AlertSet,
  FormulaMean,
  GaussianFlat,
  ReferenceAggregation,
  ScoringAggregation,
  ScoringComponentKind,
  SimilarityFingerprint,
  TransformKind,
} from '../models/scoring.enums';

@InputType({ description: 'A transform from a raw value to [0, 1]. Parameters by kind: SIGMOID/REVERSE_SIGMOID low < high, k (0.25); DOUBLE_SIGMOID low < high, coefDiv (100), coefSi (150), coefSe (150); GAUSSIAN mu, sigma > 0, flat (NONE); STEP low and/or high; CLAMPED_LINEAR x0 (score 0) != x1 (score 1).' })
export class TransformInput {
  @Field(() => TransformKind)
  @IsOptional()
  kind!: TransformKindT;

  @Field(() => Float, { nullable: true, description: 'SIGMOID, REVERSE_SIGMOID, DOUBLE_SIGMOID, STEP: lower bound of the raw value.' })
  low?: number;

  @Field(() => Float, { nullable: true, description: 'SIGMOID, REVERSE_SIGMOID, DOUBLE_SIGMOID, STEP: upper bound of the raw value.' })
  high?: number;

  @Field(() => Float, { nullable: true, description: 'SIGMOID, REVERSE_SIGMOID: steepness (> 0, default 0.25).' })
  k?: number;

  @Field(() => Float, { nullable: true, description: 'DOUBLE_SIGMOID: divisor (> 0, default 100).' })
  coefDiv?: number;

  @Field(() => Float, { nullable: true, description: 'DOUBLE_SIGMOID: steepness at high (> 0, default 150).' })
  coefSi?: number;

  @Field(() => Float, { nullable: true, description: 'DOUBLE_SIGMOID: steepness at low (> 0, default 150).' })
  coefSe?: number;

  @Field(() => Float, { nullable: true, description: 'GAUSSIAN: centre, in the raw unit.' })
  mu?: number;

  @Field(() => Float, { nullable: true, description: 'GAUSSIAN: width (> 0), in the raw unit.' })
  sigma?: number;

  @Field(() => GaussianFlat, { nullable: true, description: 'GAUSSIAN: side held at 1 (default NONE).' })
  flat?: GaussianFlatT;

  @Field(() => Float, { nullable: true, description: 'CLAMPED_LINEAR: raw value scoring 0.' })
  x0?: number;

  @Field(() => Float, { nullable: true, description: 'CLAMPED_LINEAR: raw value scoring 1.' })
  x1?: number;
}

/** Parameter fields shared by soft components and constraints. */
@InputType({ isAbstract: true })
abstract class ComponentFields {
  @Field(() => ScoringComponentKind)
  @IsOptional()
  kind!: ComponentKind;

  @Field({ nullable: true, description: 'Label in results (default: the kind).' })
  name?: string;

  @Field(() => [String], { nullable: true, description: 'SIMILARITY: reference SMILES (1..10).' })
  references?: string[];

  @Field(() => SimilarityFingerprint, { nullable: true, description: 'SIMILARITY: fingerprint (default ECFP4).' })
  fingerprint?: FpT;

  @Field(() => ReferenceAggregation, { nullable: true, description: 'SIMILARITY: MAX (default) or MEAN over the references.' })
  referenceAggregation?: RefAggT;

  @Field({ nullable: true, description: 'SUBSTRUCTURE: SMARTS pattern (at most 500 characters).' })
  smarts?: string;

  @Field({ nullable: true, description: 'SUBSTRUCTURE: true (default) = must have, false = must not have.' })
  present?: boolean;

  @Field({ nullable: true, description: 'ATOM_COUNT: element symbol, e.g. "F".' })
  element?: string;

  @Field({ nullable: true, description: 'FORMULA: molecular formula, e.g. "C7H8N2O2".' })
  formula?: string;

  @Field(() => FormulaMean, { nullable: true, description: 'FORMULA: GEOMETRIC (default) or ARITHMETIC.' })
  formulaMean?: FormulaMeanT;

  @Field(() => [AlertSet], { nullable: true, description: 'ALERTS: sets to check (default PAINS, BRENK).' })
  alertSets?: AlertSetName[];
}

@InputType({ description: 'A soft component: raw value (see scoringComponents), optional transform to [0, 1] (required when the raw value is not in [0, 1]) and weight.' })
export class ScoringComponentInput extends ComponentFields {
  @Field(() => Float, { nullable: true, description: 'Relative weight in (0, 1000] (default 1).' })
  weight?: number;

  @Field(() => TransformInput, { nullable: true })
  transform?: TransformInput;
}

@InputType({ description: 'A hard constraint: the raw value must lie in [min, max]. SUBSTRUCTURE and ALERTS without bounds: must match (or be absent with present: false) / must pass.' })
export class ScoringConstraintInput extends ComponentFields {
  @Field(() => Float, { nullable: true })
  min?: number;

  @Field(() => Float, { nullable: true })
  max?: number;
}

@InputType({ description: 'An objective in the scoring language: soft components aggregated by a weighted mean, and hard constraints (a violating molecule scores 0). At most 20 components and 20 constraints.' })
export class ScoringInput {
  @Field(() => ScoringAggregation, { nullable: true, description: 'Default ARITHMETIC.' })
  @IsOptional()
  aggregation?: Aggregation;

  @Field(() => [ScoringComponentInput])
  @IsArray()
  components!: ScoringComponentInput[];

  @Field(() => [ScoringConstraintInput], { nullable: true })
  @IsOptional()
  @IsArray()
  constraints?: ScoringConstraintInput[];
}

/** Deep copy without null/undefined fields: a GraphQL input as the scoring-language JSON. */
export function toPlainSpec(input: unknown): unknown {
  if (Array.isArray(input)) return input.map(toPlainSpec);
  if (input !== null && typeof input === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) if (v !== null && v !== undefined) out[k] = toPlainSpec(v);
    return out;
  }
  return input;
}
