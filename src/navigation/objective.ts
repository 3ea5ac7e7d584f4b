/**
 * The preset objectives of `optimize` (ObjectiveKind), written in the scoring language (src/scoring/spec.ts). Each
 * maps its property monotonically to [0, 1], so the optimiser ranks molecules exactly as by the property; the raw
 * property comes back in each candidate's components.
 */
import type { ScoringSpec } from '../scoring/spec';

export type ObjectiveName = 'QED' | 'PLOGP' | 'SA' | 'CLOGP_TARGET';

/**
 * The scoring-language objective of a preset:
 * - QED: QED itself (0..1, Bickerton et al. 2012);
 * - PLOGP: penalised logP (JT-VAE) through SIGMOID low −20, high 20, k 0.1 (strictly increasing, 0.5 at plogP 0);
 * - SA: SA score (Ertl & Schuffenhauer 2009) through REVERSE_SIGMOID low 1, high 10 (higher = easier to make);
 * - CLOGP_TARGET: Crippen cLogP through GAUSSIAN mu = target, sigma 1 (1 at the target).
 *
 * @throws RangeError when CLOGP_TARGET has no finite target.
 */
export function presetObjective(kind: ObjectiveName, target?: number): ScoringSpec {
  switch (kind) {
    case 'QED':
      return { aggregation: 'ARITHMETIC', components: [{ kind: 'QED' }], constraints: [] };
    case 'PLOGP':
      return { aggregation: 'ARITHMETIC', components: [{ kind: 'PLOGP', transform: { kind: 'SIGMOID', low: -20, high: 20, k: 0.1 } }], constraints: [] };
    case 'SA':
      return { aggregation: 'ARITHMETIC', components: [{ kind: 'SA', transform: { kind: 'REVERSE_SIGMOID', low: 1, high: 10, k: 0.25 } }], constraints: [] };
    case 'CLOGP_TARGET':
      if (target === undefined || !Number.isFinite(target)) throw new RangeError('CLOGP_TARGET needs a finite target');
      return { aggregation: 'ARITHMETIC', components: [{ kind: 'CLOGP', transform: { kind: 'GAUSSIAN', mu: target, sigma: 1 } }], constraints: [] };
  }
}
