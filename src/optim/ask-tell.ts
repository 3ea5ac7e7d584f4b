/**
 * One ask/tell interface for the latent-space optimisers in src/optim, with serialisable state.
 *
 * Protocol (minimisation): `ask()` returns a batch of candidate points (Float64Array of length `dimension`, n = 128
 * for molnav's latent space); the caller evaluates them and passes the fitness values, in the same order, to
 * `tell()`. Lower is better; +Infinity marks a failed/infeasible point (e.g. an invalid decode) and ranks last;
 * NaN and -Infinity throw a RangeError, a wrong count an Error, and a throwing tell() changes nothing.
 *
 * State: `snapshot()` returns plain JSON (numbers, arrays, booleans, strings, null; +Infinity fitness is written as
 * null) so a stateless API can hand it to a client; `restoreOptimizer(JSON.parse(JSON.stringify(s)))` continues
 * exactly as the original would have (the next asks are bitwise equal), provided the sampler is a
 * {@link SerializableRng}: its state is then part of the snapshot. With a plain `() => number` sampler the snapshot
 * has `rng: null` and the caller passes a sampler to `restoreOptimizer`; continuing identically is then the caller's
 * business. A snapshot taken between ask() and tell() includes the pending batch, so tell() works after restore.
 *
 * Implementations:
 * - {@link SepCmaEs} ('SEP_CMAES'): diagonal CMA-ES, O(lambda n) per generation (sep-cmaes.ts);
 * - {@link CmaEs} ('CMAES'): full-covariance CMA-ES per Hansen's tutorial (cmaes.ts);
 * - {@link Pso} ('PSO'): inertia-weight particle swarm as in MSO (pso.ts);
 * - {@link MultiStart} ('MULTI_START'): several of the above as one batch (multi-start.ts).
 */
import { CmaEs, CmaEsOptions, CmaEsState } from './cmaes';
import { checkPoint, stateObject } from './common';
import { MultiStart, MultiStartState } from './multi-start';
import { Pso, PsoOptions, PsoState } from './pso';
import { deriveSeed, SerializableRng } from './serializable-rng';
import { SepCmaEs, SepCmaEsOptions, SepCmaEsState } from './sep-cmaes';

export type { NormalSource } from './common';
export type { RngState } from './serializable-rng';
export { SerializableRng, deriveSeed } from './serializable-rng';
export { CmaEs, MultiStart, Pso, SepCmaEs };
export type { CmaEsOptions, CmaEsState, MultiStartState, PsoOptions, PsoState, SepCmaEsOptions, SepCmaEsState };

/** A batch ask/tell minimiser over R^n. */
export interface AskTellOptimizer {
  /** Algorithm: 'SEP_CMAES' | 'CMAES' | 'PSO' | 'MULTI_START'. */
  readonly name: string;
  /** Dimension n of every point. */
  readonly dimension: number;
  /** Number of points every ask() returns (fixed for the optimiser's lifetime). */
  readonly batchSize: number;
  /** Completed generations (successful tell() calls). */
  readonly generation: number;
  /** Whether an ask() batch is waiting for its tell(). */
  readonly awaitingTell: boolean;
  /**
   * Largest coordinate-wise scale of the next move, in the units of x: sigma * sqrt(max_i C_ii) for the CMA-ES
   * variants, max |v_kj| for PSO, the largest member's for MULTI_START. Callers stop on stagnation when it is tiny.
   */
  readonly stepSize: number;
  /**
   * A batch of `batchSize` candidate points, each a fresh Float64Array(dimension) the caller may keep. Calling it
   * again before tell() discards the pending batch and returns a new one.
   */
  ask(): Float64Array[];
  /**
   * Fitness of the last ask() batch, same order, lower is better, +Infinity allowed.
   * @throws Error before ask() or when `fitness.length !== batchSize`; RangeError on NaN or -Infinity
   */
  tell(fitness: number[]): void;
  /** Plain-JSON state for {@link restoreOptimizer}. */
  snapshot(): OptimizerState;
}

/** Any optimiser's snapshot, discriminated by `kind`. */
export type OptimizerState = SepCmaEsState | CmaEsState | PsoState | MultiStartState;

/** The single-run optimiser kinds {@link createAskTellOptimizer} builds. */
export type AskTellAlgorithm = 'SEP_CMAES' | 'CMAES' | 'PSO';

/** `kind` plus that optimiser's constructor options. */
export type OptimizerSpec =
  | ({ kind: 'SEP_CMAES' } & SepCmaEsOptions)
  | ({ kind: 'CMAES' } & CmaEsOptions)
  | ({ kind: 'PSO' } & PsoOptions);

type OmitStartAndSampler<T> = T extends unknown ? Omit<T, 'mean' | 'normal'> : never;

/**
 * {@link createMultiStart}'s input: one kind's options without `mean`/`normal`, plus the start points and a seed.
 * Member k starts at `means[k]` and draws from `new SerializableRng(deriveSeed(seed, k))`, so the run is
 * reproducible from the seed and fully snapshot-able; repeat a point in `means` for several seeds from one start.
 */
export type MultiStartSpec = OmitStartAndSampler<OptimizerSpec> & {
  /** Start point of each member (K >= 1 points of length n). */
  means: ArrayLike<number>[];
  /** Seed (safe integer); member k uses stream deriveSeed(seed, k), so member 0 matches a single run with `seed`. */
  seed: number;
};

/**
 * Builds one optimiser from a kind and its options.
 * @throws {RangeError} for an unknown kind or invalid options
 */
export function createAskTellOptimizer(spec: OptimizerSpec): AskTellOptimizer {
  switch (spec.kind) {
    case 'SEP_CMAES':
      return new SepCmaEs(spec);
    case 'CMAES':
      return new CmaEs(spec);
    case 'PSO':
      return new Pso(spec);
    default:
      throw new RangeError(`unknown optimizer kind ${JSON.stringify((spec as { kind?: unknown }).kind)}`);
  }
}

/**
 * K independent optimisers of one kind as a single batched {@link MultiStart} (see {@link MultiStartSpec}).
 * @throws {RangeError} when `means` is empty, the points differ in length, the seed is not a safe integer, or the
 *   options are invalid
 */
export function createMultiStart(spec: MultiStartSpec): MultiStart {
  const { means, seed, ...rest } = spec;
  if (!Array.isArray(means) || means.length < 1) throw new RangeError('createMultiStart: means must be a non-empty array of points');
  const n = checkPoint(means[0], 'means[0]').length;
  const members = means.map((m, k) =>
    createAskTellOptimizer({ ...rest, mean: checkPoint(m, `means[${k}]`, n), normal: new SerializableRng(deriveSeed(seed, k)) } as OptimizerSpec),
  );
  return new MultiStart(members);
}

/**
 * Rebuilds an optimiser from a snapshot (typically parsed from a client's JSON), validating it: kind and version,
 * integer counters, vector lengths, finite numbers (and positivity where required: sigma, variances, D), symmetric
 * covariance, option ranges.
 * @param state an {@link OptimizerState} (typed `unknown` because it usually comes from outside)
 * @param normal the sampler for states with `rng: null` (required there, and rejected for states that carry their
 *   own rng, so a self-contained run cannot be silently re-seeded); for MULTI_START, given to the members without rng
 * @throws {RangeError} with a message naming the offending field when the state is invalid
 */
export function restoreOptimizer(state: unknown, normal?: () => number): AskTellOptimizer {
  if (normal !== undefined && typeof normal !== 'function') throw new RangeError('normal must be a function returning N(0, 1) draws');
  const s = stateObject(state, 'optimizer state');
  switch (s.kind) {
    case 'SEP_CMAES':
      return SepCmaEs.fromState(s, normal);
    case 'CMAES':
      return CmaEs.fromState(s, normal);
    case 'PSO':
      return Pso.fromState(s, normal);
    case 'MULTI_START':
      return MultiStart.fromState(s, restoreOptimizer, normal);
    default:
      throw new RangeError(`optimizer state: unknown kind ${JSON.stringify(s.kind)}`);
  }
}
