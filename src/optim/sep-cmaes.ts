/**
 * Separable CMA-ES (sep-CMA-ES) with an ask/tell interface, for minimisation.
 *
 * Algorithm: Hansen's CMA-ES as written in "The CMA Evolution Strategy: A Tutorial" (Hansen 2016,
 * arXiv:1604.00772), restricted to a diagonal covariance matrix as in Ros & Hansen, "A Simple Modification in
 * CMA-ES Achieving Linear Time and Space Complexity" (PPSN X, 2008, doi:10.1007/978-3-540-87700-4_30): the
 * rank-one and rank-mu learning rates are multiplied by (n + 2) / 3 and C = diag(d^2). Cost per generation is
 * O(lambda * n), which suits a 128-dimensional latent space with budgets of a few hundred oracle calls, where the
 * full covariance could not be learned anyway (its rank-mu learning rate is ~2/n^2). Positive recombination weights
 * only (no active update). For the full-covariance variant see cmaes.ts.
 *
 * Shapes: `ask()` returns `lambda` candidates, each a Float64Array of length n; `tell` takes their fitness
 * values in the same order (lower is better; +Infinity is allowed for failed evaluations and ranks last, ties in
 * batch order). Implements {@link AskTellOptimizer}; `snapshot()` gives a {@link SepCmaEsState}.
 */
import type { AskTellOptimizer } from './ask-tell';
import {
  checkFitness,
  checkInt,
  checkPoint,
  checkPositive,
  matrixRowsFrom,
  NormalSource,
  rankOrder,
  requireKeys,
  rngFromState,
  rngToState,
  Sampler,
  stateObject,
  toList,
  toSampler,
  vectorFrom,
} from './common';
import type { RngState, SerializableRng } from './serializable-rng';

// Math functions bound once: in a vm context (jest) every global lookup inside a hot loop is ~100x slower.
const { sqrt } = Math;

export interface SepCmaEsOptions {
  /** Initial mean, length n (finite). */
  mean: ArrayLike<number>;
  /** Initial step size (same units as the mean). Must be > 0 and finite. */
  sigma: number;
  /** Population size, an integer >= 2; default 4 + floor(3 ln n) (18 for n = 128). */
  lambda?: number;
  /**
   * Standard normal sampler (seeded by the caller for reproducible runs). A {@link SerializableRng} makes the
   * snapshot carry the generator state too; a plain function does not (see {@link NormalSource}).
   */
  normal: NormalSource;
}

/** Plain-JSON state of a {@link SepCmaEs} (see `snapshot()`); all numbers finite. */
export interface SepCmaEsState {
  kind: 'SEP_CMAES';
  version: 1;
  /** Population size. */
  lambda: number;
  /** Completed generations (tell() calls). */
  generation: number;
  /** Distribution mean, length n. */
  mean: number[];
  /** Step size, > 0. */
  sigma: number;
  /** Diagonal of C, length n, entries > 0. */
  diagC: number[];
  /** Conjugate evolution path p_sigma, length n. */
  ps: number[];
  /** Evolution path p_c, length n. */
  pc: number[];
  /** The asked population's steps y_k = (x_k - mean) / sigma (lambda x n), or null when no ask() is pending. */
  pending: number[][] | null;
  /** Generator state when the sampler is a SerializableRng, else null. */
  rng: RngState | null;
}

export class SepCmaEs implements AskTellOptimizer {
  /** Always 'SEP_CMAES'. */
  readonly name = 'SEP_CMAES';
  /** Dimension n. */
  readonly n: number;
  /** Population size (points per ask()). */
  readonly lambda: number;
  /** Number of parents, floor(lambda / 2). */
  readonly mu: number;
  private readonly weights: number[];
  private readonly mueff: number;
  private readonly cc: number;
  private readonly cs: number;
  private readonly c1: number;
  private readonly cmu: number;
  private readonly damps: number;
  private readonly chiN: number;
  private sampler: Sampler;
  private mean: Float64Array;
  private sigmaValue: number;
  private diagC: Float64Array;
  private ps: Float64Array;
  private pc: Float64Array;
  private generationCount = 0;
  private pending: { y: Float64Array[] } | null = null;

  /** @throws {RangeError} on an empty or non-finite mean, sigma <= 0 or non-finite, lambda not an integer >= 2 */
  constructor(opts: SepCmaEsOptions) {
    const mean = checkPoint(opts.mean, 'sep-CMA-ES mean');
    const n = mean.length;
    checkPositive(opts.sigma, 'sigma');
    this.n = n;
    this.lambda = checkInt(opts.lambda ?? 4 + Math.floor(3 * Math.log(n)), 'lambda', 2);
    this.mu = Math.floor(this.lambda / 2);
    const raw = Array.from({ length: this.mu }, (_, i) => Math.log(this.mu + 0.5) - Math.log(i + 1));
    const sum = raw.reduce((a, b) => a + b, 0);
    this.weights = raw.map((w) => w / sum);
    this.mueff = 1 / this.weights.reduce((a, w) => a + w * w, 0);
    const mueff = this.mueff;
    this.cc = (4 + mueff / n) / (n + 4 + (2 * mueff) / n);
    this.cs = (mueff + 2) / (n + mueff + 5);
    const c1Full = 2 / ((n + 1.3) ** 2 + mueff);
    const cmuFull = Math.min(1 - c1Full, (2 * (mueff - 2 + 1 / mueff)) / ((n + 2) ** 2 + mueff));
    const sepFactor = (n + 2) / 3;
    this.c1 = Math.min(1, c1Full * sepFactor);
    this.cmu = Math.min(1 - this.c1, cmuFull * sepFactor);
    this.damps = 1 + 2 * Math.max(0, sqrt((mueff - 1) / (n + 1)) - 1) + this.cs;
    this.chiN = sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
    this.sampler = toSampler(opts.normal, 'sep-CMA-ES');
    this.mean = mean;
    this.sigmaValue = opts.sigma;
    this.diagC = new Float64Array(n).fill(1);
    this.ps = new Float64Array(n);
    this.pc = new Float64Array(n);
  }

  /**
   * Rebuilds an optimiser from `snapshot()` output (usually via restoreOptimizer in ask-tell.ts).
   * @param normal required when the state has `rng: null`, forbidden otherwise
   * @throws {RangeError} when the state is malformed (wrong kind/version, lengths, non-finite numbers)
   */
  static fromState(state: unknown, normal?: () => number): SepCmaEs {
    const s = stateObject(state, 'SEP_CMAES state');
    if (s.kind !== 'SEP_CMAES') throw new RangeError(`expected a SEP_CMAES state, got kind ${JSON.stringify(s.kind)}`);
    if (s.version !== 1) throw new RangeError(`SEP_CMAES state: unsupported version ${JSON.stringify(s.version)}`);
    requireKeys(s, ['lambda', 'generation', 'mean', 'sigma', 'diagC', 'ps', 'pc', 'pending', 'rng'], 'SEP_CMAES');
    if (!Array.isArray(s.mean)) throw new RangeError('SEP_CMAES state: mean must be an array');
    const sampler = rngFromState(s.rng, normal, 'SEP_CMAES');
    const es = new SepCmaEs({ mean: vectorFrom(s.mean, s.mean.length, 'SEP_CMAES state mean'), sigma: s.sigma as number, lambda: s.lambda as number, normal: () => 0 });
    const n = es.n;
    es.sampler = sampler;
    es.generationCount = checkInt(s.generation, 'SEP_CMAES state generation', 0);
    es.diagC = vectorFrom(s.diagC, n, 'SEP_CMAES state diagC', true);
    es.ps = vectorFrom(s.ps, n, 'SEP_CMAES state ps');
    es.pc = vectorFrom(s.pc, n, 'SEP_CMAES state pc');
    es.pending = s.pending === null ? null : { y: matrixRowsFrom(s.pending, es.lambda, n, 'SEP_CMAES state pending') };
    return es;
  }

  /** Dimension n (same as `n`). */
  get dimension(): number {
    return this.n;
  }

  /** Points per ask() (same as `lambda`). */
  get batchSize(): number {
    return this.lambda;
  }

  /** Whether an ask() batch is waiting for its tell(). */
  get awaitingTell(): boolean {
    return this.pending !== null;
  }

  /** The serialisable generator this optimiser draws from (its state goes into snapshots), or null for a plain sampler. */
  get rng(): SerializableRng | null {
    return this.sampler.rng;
  }

  /** Current step size. */
  get sigma(): number {
    return this.sigmaValue;
  }

  /** Largest coordinate-wise standard deviation of the sampling distribution: sigma * sqrt(max_i C_ii). */
  get stepSize(): number {
    let m = 0;
    for (let i = 0; i < this.n; i++) m = Math.max(m, this.diagC[i]);
    return this.sigmaValue * sqrt(m);
  }

  /** Completed generations. */
  get generation(): number {
    return this.generationCount;
  }

  /** Current distribution mean (a copy). */
  getMean(): Float64Array {
    return Float64Array.from(this.mean);
  }

  /**
   * Sample a new population of `lambda` points x = m + sigma * sqrt(diag C) * N(0, I). Calling it again before
   * tell() discards the pending population and draws a fresh one.
   */
  ask(): Float64Array[] {
    const x: Float64Array[] = [];
    const y: Float64Array[] = [];
    for (let k = 0; k < this.lambda; k++) {
      const yk = new Float64Array(this.n);
      for (let i = 0; i < this.n; i++) yk[i] = sqrt(this.diagC[i]) * this.sampler.normal();
      y.push(yk);
      x.push(this.point(yk));
    }
    this.pending = { y };
    return x;
  }

  private point(y: Float64Array): Float64Array {
    const x = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) x[i] = this.mean[i] + this.sigmaValue * y[i];
    return x;
  }

  /**
   * Update the distribution from the fitness of the last `ask()` population (lower is better, +Infinity allowed).
   * @throws Error if called without a pending population or with the wrong number of values; RangeError on NaN
   *   or -Infinity. A throwing call changes nothing (the population stays pending).
   */
  tell(fitness: number[]): void {
    if (!this.pending) throw new Error('tell() called before ask()');
    checkFitness(fitness, this.lambda, 'sep-CMA-ES tell()');
    const { y } = this.pending;
    this.pending = null;
    const order = rankOrder(fitness);
    const n = this.n;
    const yw = new Float64Array(n);
    for (let r = 0; r < this.mu; r++) {
      const yk = y[order[r]];
      for (let i = 0; i < n; i++) yw[i] += this.weights[r] * yk[i];
    }
    for (let i = 0; i < n; i++) this.mean[i] += this.sigmaValue * yw[i];
    const csFactor = sqrt(this.cs * (2 - this.cs) * this.mueff);
    let psNorm2 = 0;
    for (let i = 0; i < n; i++) {
      this.ps[i] = (1 - this.cs) * this.ps[i] + (csFactor * yw[i]) / sqrt(this.diagC[i]);
      psNorm2 += this.ps[i] ** 2;
    }
    const psNorm = sqrt(psNorm2);
    this.generationCount += 1;
    const hsig = psNorm / sqrt(1 - (1 - this.cs) ** (2 * this.generationCount)) / this.chiN < 1.4 + 2 / (n + 1) ? 1 : 0;
    const ccFactor = sqrt(this.cc * (2 - this.cc) * this.mueff);
    for (let i = 0; i < n; i++) {
      this.pc[i] = (1 - this.cc) * this.pc[i] + hsig * ccFactor * yw[i];
      let rankMu = 0;
      for (let r = 0; r < this.mu; r++) rankMu += this.weights[r] * y[order[r]][i] ** 2;
      this.diagC[i] =
        (1 - this.c1 - this.cmu) * this.diagC[i] +
        this.c1 * (this.pc[i] ** 2 + (1 - hsig) * this.cc * (2 - this.cc) * this.diagC[i]) +
        this.cmu * rankMu;
    }
    this.sigmaValue *= Math.exp((this.cs / this.damps) * (psNorm / this.chiN - 1));
  }

  /** Plain-JSON state (about (4 + lambda) * n numbers); `restoreOptimizer` continues it exactly. */
  snapshot(): SepCmaEsState {
    return {
      kind: 'SEP_CMAES',
      version: 1,
      lambda: this.lambda,
      generation: this.generationCount,
      mean: toList(this.mean),
      sigma: this.sigmaValue,
      diagC: toList(this.diagC),
      ps: toList(this.ps),
      pc: toList(this.pc),
      pending: this.pending ? this.pending.y.map(toList) : null,
      rng: rngToState(this.sampler),
    };
  }
}
