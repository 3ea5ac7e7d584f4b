/**
 * GraphQL enums of the scoring language; their values are the JSON strings of spec.ts / transforms.ts, so a
 * `ScoringInput` variable and the scoring-language JSON are the same document.
 */
import { registerEnumType } from '@nestjs/graphql';
import { OPTIMIZER_KINDS } from '../../optim/factory';
import {
  AGGREGATIONS,
  ALERT_SET_NAMES,
  COMPONENT_KINDS,
  FORMULA_MEANS,
  REFERENCE_AGGREGATIONS,
  SIMILARITY_FINGERPRINTS,
} from '../spec';
import { GAUSSIAN_FLAT, TRANSFORM_KINDS } from '../transforms';

function enumOf<T extends string>(values: readonly T[]): { [K in T]: K } {
  return Object.freeze(Object.fromEntries(values.map((v) => [v, v]))) as { [K in T]: K };
}

export const ScoringComponentKind = enumOf(COMPONENT_KINDS);
export const TransformKind = enumOf(TRANSFORM_KINDS);
export const GaussianFlat = enumOf(GAUSSIAN_FLAT);
export const SimilarityFingerprint = enumOf(SIMILARITY_FINGERPRINTS);
export const ReferenceAggregation = enumOf(REFERENCE_AGGREGATIONS);
export const FormulaMean = enumOf(FORMULA_MEANS);
export const AlertSet = enumOf(ALERT_SET_NAMES);
export const ScoringAggregation = enumOf(AGGREGATIONS);
export const OptimizerKind = enumOf(OPTIMIZER_KINDS);

registerEnumType(ScoringComponentKind, { name: 'ScoringComponentKind', description: 'What a scoring component measures; `scoringComponents` describes each (unit, range, parameters, source).' });
registerEnumType(TransformKind, { name: 'TransformKind', description: 'Maps a raw value to [0, 1] (REINVENT 4 sigmoids and step, GuacaMol Gaussians and clipped ramp).' });
registerEnumType(GaussianFlat, { name: 'GaussianFlat', description: 'GAUSSIAN side held at 1: BELOW = GuacaMol MinGaussianModifier, ABOVE = MaxGaussianModifier.' });
registerEnumType(SimilarityFingerprint, { name: 'SimilarityFingerprint', description: 'GuacaMol fingerprints: ECFP4/ECFP6/FCFP4 Morgan counts, AP atom-pair counts (max distance 10), PHCO Gobbi 2D pharmacophore bits.' });
registerEnumType(ReferenceAggregation, { name: 'ReferenceAggregation', description: 'How a similarity component combines several references.' });
registerEnumType(FormulaMean, { name: 'FormulaMean', description: 'Mean of the element terms of the FORMULA (isomer) component.' });
registerEnumType(AlertSet, { name: 'AlertSet', description: 'Structural-alert sets: RDKit FilterCatalog tables (PAINS = A+B+C) and the MOSES MCF filters.' });
registerEnumType(ScoringAggregation, { name: 'ScoringAggregation', description: 'Weighted arithmetic or geometric mean of the soft components.' });
registerEnumType(OptimizerKind, { name: 'OptimizerKind', description: 'Latent-space optimiser behind the ask/tell interface.' });
