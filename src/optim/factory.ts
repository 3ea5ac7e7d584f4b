/**
 * The latent-space optimisers the API exposes, built by name as one batched ask/tell optimiser over one or more
 * starts (`MultiStart`: each start runs its own optimiser with its own seeded random stream; their populations are
 * concatenated so the caller decodes one batch per generation).
 */
import { AskTellOptimizer, createMultiStart } from './ask-tell';

/** Optimisers exposed by the API: separable CMA-ES (default), full CMA-ES, particle swarm. */
export const OPTIMIZER_KINDS = ['SEP_CMAES', 'CMAES', 'PSO'] as const;
export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number];

export interface OptimizerFactoryOptions {
  /** Start points (each of length n); at least one. */
  starts: ArrayLike<number>[];
  /** Initial step size (CMA-ES sigma) or spread of the initial swarm, latent units (> 0). */
  sigma: number;
  /** Seed of the optimisers' random streams (start k uses stream k). */
  seed: number;
  /** Population (CMA-ES lambda) or swarm size per start; default the optimiser's own. */
  population?: number;
}

/**
 * @throws RangeError for an unknown kind, no starts, or bad options.
 */
export function createOptimizer(kind: OptimizerKind, opts: OptimizerFactoryOptions): AskTellOptimizer {
  if (!(OPTIMIZER_KINDS as readonly string[]).includes(kind)) throw new RangeError(`unknown optimizer ${String(kind)}; known: ${OPTIMIZER_KINDS.join(', ')}`);
  const size = opts.population;
  const common = { means: opts.starts, seed: opts.seed, sigma: opts.sigma };
  if (kind === 'PSO') return createMultiStart({ kind, ...common, ...(size ? { swarmSize: size } : {}) });
  return createMultiStart({ kind, ...common, ...(size ? { lambda: size } : {}) });
}
