/**
 * Property-guided optimisation in latent space around a seed molecule.
 *
 * sep-CMA-ES (src/optim/sep-cmaes.ts) searches z starting at the seed's posterior mean mu with step size sigma.
 * Each candidate z is greedily decoded (one batch per generation) and checked by RDKit:
 * - an invalid decode gets fitness +Infinity (worst) and costs no oracle call;
 * - a molecule already scored reuses its cached score (no oracle call), as in PMO (Gao et al. 2022,
 *   arXiv:2206.12411), where only distinct molecules count;
 * - a new valid molecule is scored: one oracle call. The fitness is -score plus a penalty when the ECFP4
 *   Tanimoto similarity to the seed is below `minSimilarity` (see objective.ts).
 * The run stops when the oracle budget is spent, after `maxDecodes` decodes (default 20 x budget), or when the
 * step size collapses (sigma < 1e-4, STAGNATION). Deterministic for a given random seed.
 */
import { SepCmaEs } from '../optim/sep-cmaes';
import { fitness, objectiveScore, ObjectiveSpec } from './objective';
import type { ChemPort, ModelPort, MolecularPropertiesLike, ResolvedMolecule } from './ports';

export interface OptimizationOptions {
  objective: ObjectiveSpec;
  minSimilarity: number;
  budget: number;
  sigma: number;
  topK: number;
  maxDecodes?: number;
}

export interface ScoredMolecule {
  canonicalSmiles: string;
  inchiKey: string | null;
  properties: MolecularPropertiesLike;
  score: number;
  similarityToSeed: number;
  feasible: boolean;
  foundAtCall: number;
}

export interface OptimizationOutcome {
  seedScore: number;
  ranked: ScoredMolecule[];
  oracleCalls: number;
  decodes: number;
  invalidDecodes: number;
  generations: number;
  stopReason: 'BUDGET' | 'DECODE_LIMIT' | 'STAGNATION';
}

/** Feasible before infeasible, then higher score, then earlier discovery. */
export function rankScored(a: ScoredMolecule, b: ScoredMolecule): number {
  if (a.feasible !== b.feasible) return a.feasible ? -1 : 1;
  if (b.score !== a.score) return b.score - a.score;
  return a.foundAtCall - b.foundAtCall;
}

export async function optimize(
  chem: ChemPort,
  model: ModelPort,
  seed: ResolvedMolecule,
  opts: OptimizationOptions,
  normal: () => number,
): Promise<OptimizationOutcome> {
  const dim = model.latentDim;
  const { mu } = await model.encode([seed.canonicalSmiles]);
  const es = new SepCmaEs({ mean: mu, sigma: opts.sigma, normal });
  const seedFp = chem.fingerprint(seed.canonicalSmiles);
  const seedScore = objectiveScore(opts.objective, seed.properties);
  const cache = new Map<string, number>([[seed.canonicalSmiles, fitness(seedScore, 1, opts.minSimilarity)]]);
  const scored: ScoredMolecule[] = [];
  const maxDecodes = opts.maxDecodes ?? 20 * opts.budget;
  let decodes = 0;
  let invalid = 0;
  let stopReason: OptimizationOutcome['stopReason'] = 'BUDGET';

  while (scored.length < opts.budget) {
    if (decodes >= maxDecodes) {
      stopReason = 'DECODE_LIMIT';
      break;
    }
    if (es.sigma < 1e-4) {
      stopReason = 'STAGNATION';
      break;
    }
    const population = es.ask();
    const z = new Float32Array(population.length * dim);
    population.forEach((x, k) => z.set(x, k * dim));
    const decoded = await model.decode(z, population.length, { strategy: 'greedy' });
    decodes += decoded.length;
    const f = decoded.map((smiles) => {
      const canon = chem.canonical(smiles);
      if (canon === null) {
        invalid += 1;
        return Infinity;
      }
      const cached = cache.get(canon);
      if (cached !== undefined) return cached;
      if (scored.length >= opts.budget) return Infinity; // budget spent within this generation
      const { inchiKey, properties } = chem.describe(canon);
      const score = objectiveScore(opts.objective, properties);
      const similarityToSeed = chem.tanimoto(chem.fingerprint(canon), seedFp);
      const feasible = similarityToSeed >= opts.minSimilarity;
      scored.push({ canonicalSmiles: canon, inchiKey, properties, score, similarityToSeed, feasible, foundAtCall: scored.length + 1 });
      const fit = fitness(score, similarityToSeed, opts.minSimilarity);
      cache.set(canon, fit);
      return fit;
    });
    es.tell(f);
  }
  return {
    seedScore,
    ranked: [...scored].sort(rankScored).slice(0, opts.topK),
    oracleCalls: scored.length,
    decodes,
    invalidDecodes: invalid,
    generations: es.generation,
    stopReason,
  };
}
