/**
 * Objectives for latent-space optimisation: a score (higher is better) computed from RDKit properties, and the
 * fitness that the minimising optimiser sees.
 */
import type { MolecularPropertiesLike } from './ports';

export type ObjectiveName = 'QED' | 'PLOGP' | 'SA' | 'CLOGP_TARGET';

export interface ObjectiveSpec {
  kind: ObjectiveName;
  /** Required for CLOGP_TARGET: the wanted Crippen cLogP. */
  target?: number;
}

/**
 * Score of a molecule under an objective, higher is better:
 * - QED: QED (0..1, Bickerton et al. 2012);
 * - PLOGP: penalized logP (JT-VAE definition);
 * - SA: -SA score (SA is 1 easy .. 10 hard, Ertl & Schuffenhauer 2009), so higher is easier to make;
 * - CLOGP_TARGET: -|cLogP - target|, 0 at the target.
 * @throws RangeError when CLOGP_TARGET has no finite target.
 */
export function objectiveScore(spec: ObjectiveSpec, p: MolecularPropertiesLike): number {
  switch (spec.kind) {
    case 'QED':
      return p.qed;
    case 'PLOGP':
      return p.plogp;
    case 'SA':
      return -p.sa;
    case 'CLOGP_TARGET':
      if (spec.target === undefined || !Number.isFinite(spec.target)) throw new RangeError('CLOGP_TARGET needs a finite target');
      return -Math.abs(p.clogp - spec.target);
  }
}

/** Weight of a similarity shortfall against the score: one Tanimoto unit below the minimum costs 10 score units. */
export const SIMILARITY_PENALTY = 10;

/**
 * Fitness for the minimising optimiser: -score, plus SIMILARITY_PENALTY x (minSimilarity - similarity) when the
 * similarity constraint is violated (a penalty, so the search is pulled back to the feasible region).
 */
export function fitness(score: number, similarity: number, minSimilarity: number): number {
  return -score + SIMILARITY_PENALTY * Math.max(0, minSimilarity - similarity);
}
