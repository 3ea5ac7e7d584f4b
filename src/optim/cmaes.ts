/**
 * CMA-ES with full covariance matrix and an ask/tell interface, for minimisation.
 *
 * Algorithm and default parameters: N. Hansen, "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772 (2016),
 * Appendix A, Table 1 and equations (49)-(58), including the negative ("active") recombination weights:
 * - lambda = 4 + floor(3 ln n), mu = floor(lambda / 2); w'_i = ln((lambda + 1) / 2) - ln i, i = 1..lambda;
 * - mueff = (sum_{i<=mu} w'_i)^2 / sum_{i<=mu} w'_i^2, mueff^- the same over i > mu;
 * - c1 = 2 / ((n + 1.3)^2 + mueff), cmu = min(1 - c1, 2 (mueff - 2 + 1/mueff) / ((n + 2)^2 + mueff))
 *   (alpha_cov = 2);
 * - positive weights w'_i / sum|w'^+|; negative weights min(1 + c1/cmu, 1 + 2 mueff^- / (mueff + 2),
 *   (1 - c1 - cmu) / (n cmu)) * w'_i / sum|w'^-| (summing to minus that minimum);
 * - cc = (4 + mueff/n) / (n + 4 + 2 mueff/n), cs = (mueff + 2) / (n + mueff + 5),
 *   damps = 1 + 2 max(0, sqrt((mueff - 1)/(n + 1)) - 1) + cs, cm = 1;
 * - E||N(0, I)|| ~ sqrt(n) (1 - 1/(4n) + 1/(21 n^2)); hsig = 1 iff ||ps|| / sqrt(1 - (1 - cs)^(2(g+1))) <
 *   (1.4 + 2/(n + 1)) E||N(0, I)||;
 * - C <- (1 + c1 delta(hsig) - c1 - cmu sum_j w_j) C + c1 pc pc^T + cmu sum_i w°_i y_i y_i^T with
 *   delta(hsig) = (1 - hsig) cc (2 - cc) and w°_i = w_i n / ||C^{-1/2} y_i||^2 for negative w_i.
 * The eigendecomposition C = B diag(D^2) B^T (Householder + QL, eigen.ts) is refreshed lazily, when more than
 * lambda / ((c1 + cmu) n 10) evaluations have passed since the last one (the tutorial's Appendix C code), which
 * keeps the cost at O(n^2) per sample: for n = 128 and lambda = 18 about every 25 generations.
 * Set `activeCovariance: false` for the positive-weights-only variant (weights i > mu are 0, as in the tutorial's
 * Appendix C Matlab code and Hansen's purecma.py).
 *
 * Shapes: `ask()` returns `lambda` Float64Array(n) candidates x_k = m + sigma B (D .* z_k), z_k ~ N(0, I); `tell`
 * takes their fitness in the same order (lower is better; +Infinity allowed: such points rank last, in batch order,
 * and with active weights they push the covariance away from their direction). Implements {@link AskTellOptimizer}.
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
import { symmetricEigen } from './eigen';
import type { RngState, SerializableRng } from './serializable-rng';

// Math functions bound once: in a vm context (jest) every global lookup inside a hot loop is ~100x slower.
const { sqrt } = Math;

export interface CmaEsOptions {
  /** Initial mean m, length n (finite). */
  mean: ArrayLike<number>;
  /** Initial step size sigma (> 0, finite), in the units of x; about 1/4 to 1/2 of the search range is typical. */
  sigma: number;
  /** Population size lambda, an integer >= 2; default 4 + floor(3 ln n) (18 for n = 128, 10 for n = 10). */
  lambda?: number;
  /** Number of parents mu, an integer in [1, lambda]; default floor(lambda / 2). */
  mu?: number;
  /** Use the tutorial's negative weights for the lambda - mu worst points (active CMA); default true. */
  activeCovariance?: boolean;
  /** Standard normal sampler; a {@link SerializableRng} also makes its state part of `snapshot()`. */
  normal: NormalSource;
}

/** Plain-JSON state of a {@link CmaEs}; matrices are row-major flat arrays of n * n finite numbers. */
export interface CmaEsState {
  kind: 'CMAES';
  version: 1;
  lambda: number;
  mu: number;
  activeCovariance: boolean;
  /** Completed generations. */
  generation: number;
  /** Evaluations (generation * lambda) at the last eigendecomposition. */
  eigenEval: number;
  /** Mean, length n. */
  mean: number[];
  /** Step size, > 0. */
  sigma: number;
  /** Covariance matrix C, n * n, symmetric. */
  C: number[];
  /** Eigenvectors of C (columns), n * n, from the last decomposition. */
  B: number[];
  /** Square roots of C's eigenvalues, length n, > 0. */
  D: number[];
  /** Conjugate evolution path p_sigma, length n. */
  ps: number[];
  /** Evolution path p_c, length n. */
  pc: number[];
  /** Steps y_k = (x_k - m) / sigma of the pending population (lambda x n), or null. */
  pending: number[][] | null;
  /** Generator state when the sampler is a SerializableRng, else null. */
  rng: RngState | null;
}

export class CmaEs implements AskTellOptimizer {
  /** Always 'CMAES'. */
  readonly name = 'CMAES';
  /** Dimension n. */
  readonly n: number;
  /** Population size (points per ask()). */
  readonly lambda: number;
  /** Number of parents. */
  readonly mu: number;
  /** Whether negative weights are used. */
  readonly activeCovariance: boolean;
  /** Recombination weights, length lambda (first mu positive, sum 1; the rest negative or 0). */
  readonly weights: Float64Array;
  /** Variance-effective selection mass of the positive weights. */
  readonly mueff: number;
  /** Cumulation constant of the evolution path p_c, (4 + mueff/n) / (n + 4 + 2 mueff/n). */
  readonly cc: number;
  /** Cumulation constant of the conjugate path p_sigma, (mueff + 2) / (n + mueff + 5). */
  readonly cs: number;
  /** Rank-one learning rate, 2 / ((n + 1.3)^2 + mueff). */
  readonly c1: number;
  /** Rank-mu learning rate, min(1 - c1, 2 (mueff - 2 + 1/mueff) / ((n + 2)^2 + mueff)). */
  readonly cmu: number;
  /** Step-size damping, 1 + 2 max(0, sqrt((mueff - 1)/(n + 1)) - 1) + cs. */
  readonly damps: number;
  /** E||N(0, I)||. */
  readonly chiN: number;
  private readonly sumWeights: number;
  private readonly eigenGap: number;
  private sampler: Sampler;
  private mean: Float64Array;
  private sigmaValue: number;
  private C: Float64Array;
  private B: Float64Array;
  private D: Float64Array;
  private ps: Float64Array;
  private pc: Float64Array;
  private generationCount = 0;
  private eigenEval = 0;
  private pending: Float64Array[] | null = null;

  /** @throws {RangeError} on an empty or non-finite mean, sigma <= 0 or non-finite, lambda/mu out of range */
  constructor(opts: CmaEsOptions) {
    const mean = checkPoint(opts.mean, 'CMA-ES mean');
    const n = mean.length;
    checkPositive(opts.sigma, 'sigma');
    const lambda = checkInt(opts.lambda ?? 4 + Math.floor(3 * Math.log(n)), 'lambda', 2);
    const mu = checkInt(opts.mu ?? Math.floor(lambda / 2), 'mu', 1, lambda);
    const active = opts.activeCovariance ?? true;
    if (typeof active !== 'boolean') throw new RangeError('activeCovariance must be a boolean');
    this.n = n;
    this.lambda = lambda;
    this.mu = mu;
    this.activeCovariance = active;

    const wPrime = Array.from({ length: lambda }, (_, i) => Math.log((lambda + 1) / 2) - Math.log(i + 1));
    let posSum = 0;
    let posSq = 0;
    for (let i = 0; i < mu; i++) {
      if (!(wPrime[i] > 0)) throw new RangeError(`mu = ${mu} is too large for lambda = ${lambda}: parent weights must be positive`);
      posSum += wPrime[i];
      posSq += wPrime[i] ** 2;
    }
    const mueff = (posSum * posSum) / posSq;
    let negSum = 0;
    let negSq = 0;
    for (let i = mu; i < lambda; i++) {
      if (wPrime[i] >= 0) continue; // only when mu < lambda / 2: such points get weight 0
      negSum -= wPrime[i];
      negSq += wPrime[i] ** 2;
    }
    const mueffMinus = negSq > 0 ? (negSum * negSum) / negSq : 0;
    this.mueff = mueff;
    this.cc = (4 + mueff / n) / (n + 4 + (2 * mueff) / n);
    this.cs = (mueff + 2) / (n + mueff + 5);
    this.c1 = 2 / ((n + 1.3) ** 2 + mueff);
    this.cmu = Math.min(1 - this.c1, (2 * (mueff - 2 + 1 / mueff)) / ((n + 2) ** 2 + mueff));
    this.damps = 1 + 2 * Math.max(0, sqrt((mueff - 1) / (n + 1)) - 1) + this.cs;
    this.chiN = sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));

    this.weights = new Float64Array(lambda);
    for (let i = 0; i < mu; i++) this.weights[i] = wPrime[i] / posSum;
    if (active && negSum > 0 && this.cmu > 0) {
      const alphaMu = 1 + this.c1 / this.cmu;
      const alphaMueff = 1 + (2 * mueffMinus) / (mueff + 2);
      const alphaPosdef = (1 - this.c1 - this.cmu) / (n * this.cmu);
      const scale = Math.min(alphaMu, alphaMueff, alphaPosdef) / negSum;
      for (let i = mu; i < lambda; i++) this.weights[i] = Math.min(0, wPrime[i]) * scale;
    }
    this.sumWeights = this.weights.reduce((a, w) => a + w, 0);
    this.eigenGap = lambda / (this.c1 + this.cmu) / n / 10;

    this.sampler = toSampler(opts.normal, 'CMA-ES');
    this.mean = mean;
    this.sigmaValue = opts.sigma;
    this.C = identity(n);
    this.B = identity(n);
    this.D = new Float64Array(n).fill(1);
    this.ps = new Float64Array(n);
    this.pc = new Float64Array(n);
  }

  /**
   * Rebuilds an optimiser from `snapshot()` output (usually via restoreOptimizer in ask-tell.ts).
   * @param normal required when the state has `rng: null`, forbidden otherwise
   * @throws {RangeError} when the state is malformed
   */
  static fromState(state: unknown, normal?: () => number): CmaEs {
    const s = stateObject(state, 'CMAES state');
    if (s.kind !== 'CMAES') throw new RangeError(`expected a CMAES state, got kind ${JSON.stringify(s.kind)}`);
    if (s.version !== 1) throw new RangeError(`CMAES state: unsupported version ${JSON.stringify(s.version)}`);
    requireKeys(s, ['lambda', 'mu', 'activeCovariance', 'generation', 'eigenEval', 'mean', 'sigma', 'C', 'B', 'D', 'ps', 'pc', 'pending', 'rng'], 'CMAES');
    if (!Array.isArray(s.mean)) throw new RangeError('CMAES state: mean must be an array');
    const sampler = rngFromState(s.rng, normal, 'CMAES');
    const es = new CmaEs({
      mean: vectorFrom(s.mean, s.mean.length, 'CMAES state mean'),
      sigma: s.sigma as number,
      lambda: s.lambda as number,
      mu: s.mu as number,
      activeCovariance: s.activeCovariance as boolean,
      normal: () => 0,
    });
    const n = es.n;
    es.sampler = sampler;
    es.generationCount = checkInt(s.generation, 'CMAES state generation', 0);
    es.eigenEval = checkInt(s.eigenEval, 'CMAES state eigenEval', 0, es.generationCount * es.lambda);
    es.C = vectorFrom(s.C, n * n, 'CMAES state C');
    for (let i = 0; i < n; i++) {
      if (!(es.C[i * n + i] > 0)) throw new RangeError(`CMAES state C: diagonal entry ${i} must be > 0`);
      for (let j = i + 1; j < n; j++) {
        if (es.C[i * n + j] !== es.C[j * n + i]) throw new RangeError(`CMAES state C: not symmetric at (${i}, ${j})`);
      }
    }
    es.B = vectorFrom(s.B, n * n, 'CMAES state B');
    es.D = vectorFrom(s.D, n, 'CMAES state D', true);
    es.ps = vectorFrom(s.ps, n, 'CMAES state ps');
    es.pc = vectorFrom(s.pc, n, 'CMAES state pc');
    es.pending = s.pending === null ? null : matrixRowsFrom(s.pending, es.lambda, n, 'CMAES state pending');
    return es;
  }

  /** Dimension n. */
  get dimension(): number {
    return this.n;
  }

  /** Points per ask() (lambda). */
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

  /** Current step size sigma. */
  get sigma(): number {
    return this.sigmaValue;
  }

  /** Largest coordinate-wise standard deviation of the sampling distribution: sigma * sqrt(max_i C_ii). */
  get stepSize(): number {
    let m = 0;
    for (let i = 0; i < this.n; i++) m = Math.max(m, this.C[i * this.n + i]);
    return this.sigmaValue * sqrt(m);
  }

  /** Completed generations. */
  get generation(): number {
    return this.generationCount;
  }

  /** Current mean (a copy). */
  getMean(): Float64Array {
    return Float64Array.from(this.mean);
  }

  /** Current covariance matrix C (a row-major n * n copy; the distribution's covariance is sigma^2 C). */
  getCovariance(): Float64Array {
    return Float64Array.from(this.C);
  }

  /** Condition number of C from the last eigendecomposition, (max D / min D)^2. */
  get axisRatio(): number {
    let lo = Infinity;
    let hi = 0;
    for (const d of this.D) {
      lo = Math.min(lo, d);
      hi = Math.max(hi, d);
    }
    return (hi / lo) ** 2;
  }

  /**
   * Samples `lambda` points x_k = m + sigma B (D .* z_k). Calling it again before tell() discards the pending
   * population and draws a fresh one.
   */
  ask(): Float64Array[] {
    const n = this.n;
    const ys: Float64Array[] = [];
    const xs: Float64Array[] = [];
    const dz = new Float64Array(n);
    for (let k = 0; k < this.lambda; k++) {
      for (let j = 0; j < n; j++) dz[j] = this.D[j] * this.sampler.normal();
      const y = new Float64Array(n);
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        const row = i * n;
        for (let j = 0; j < n; j++) s += this.B[row + j] * dz[j];
        y[i] = s;
        x[i] = this.mean[i] + this.sigmaValue * s;
      }
      ys.push(y);
      xs.push(x);
    }
    this.pending = ys;
    return xs;
  }

  /**
   * Updates mean, paths, covariance and step size from the fitness of the pending population (lower is better).
   * @throws Error without a pending population or with the wrong number of values; RangeError on NaN or
   *   -Infinity. A throwing call changes nothing.
   */
  tell(fitness: number[]): void {
    if (!this.pending) throw new Error('tell() called before ask()');
    checkFitness(fitness, this.lambda, 'CMA-ES tell()');
    const y = this.pending;
    this.pending = null;
    const n = this.n;
    const order = rankOrder(fitness);
    const w = this.weights;

    const yw = new Float64Array(n);
    for (let r = 0; r < this.mu; r++) {
      const yk = y[order[r]];
      for (let i = 0; i < n; i++) yw[i] += w[r] * yk[i];
    }
    for (let i = 0; i < n; i++) this.mean[i] += this.sigmaValue * yw[i]; // c_m = 1

    // p_sigma <- (1 - cs) p_sigma + sqrt(cs (2 - cs) mueff) C^{-1/2} <y>_w, C^{-1/2} = B D^{-1} B^T
    const invSqrtCyw = this.invSqrtC(yw);
    const csFactor = sqrt(this.cs * (2 - this.cs) * this.mueff);
    let psNorm2 = 0;
    for (let i = 0; i < n; i++) {
      this.ps[i] = (1 - this.cs) * this.ps[i] + csFactor * invSqrtCyw[i];
      psNorm2 += this.ps[i] ** 2;
    }
    const psNorm = sqrt(psNorm2);
    this.generationCount += 1;
    const hsig = psNorm / sqrt(1 - (1 - this.cs) ** (2 * this.generationCount)) / this.chiN < 1.4 + 2 / (n + 1) ? 1 : 0;
    const ccFactor = sqrt(this.cc * (2 - this.cc) * this.mueff);
    for (let i = 0; i < n; i++) this.pc[i] = (1 - this.cc) * this.pc[i] + hsig * ccFactor * yw[i];

    // rank-mu weights w°: negative weights rescaled by n / ||C^{-1/2} y||^2
    const wc = new Float64Array(this.lambda);
    for (let r = 0; r < this.lambda; r++) {
      if (w[r] >= 0) {
        wc[r] = w[r];
      } else {
        const m2 = this.mahalanobis2(y[order[r]]);
        wc[r] = m2 > 0 ? (w[r] * n) / m2 : 0;
      }
    }
    const deltaH = (1 - hsig) * this.cc * (2 - this.cc);
    const decay = 1 + this.c1 * deltaH - this.c1 - this.cmu * this.sumWeights;
    const C = this.C;
    const pc = this.pc;
    for (let i = 0; i < n; i++) {
      const ci = this.c1 * pc[i];
      const row = i * n;
      for (let j = i; j < n; j++) C[row + j] = decay * C[row + j] + ci * pc[j];
    }
    for (let r = 0; r < this.lambda; r++) {
      if (wc[r] === 0) continue;
      const a = this.cmu * wc[r];
      const yk = y[order[r]];
      for (let i = 0; i < n; i++) {
        const ai = a * yk[i];
        const row = i * n;
        for (let j = i; j < n; j++) C[row + j] += ai * yk[j];
      }
    }
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) C[j * n + i] = C[i * n + j];
    this.sigmaValue *= Math.exp((this.cs / this.damps) * (psNorm / this.chiN - 1));

    const evals = this.generationCount * this.lambda;
    if (evals - this.eigenEval > this.eigenGap) {
      this.eigenEval = evals;
      this.decompose();
    }
  }

  /** Plain-JSON state: about 2 n^2 + (lambda + 4) n numbers (about 37k for n = 128); see {@link CmaEsState}. */
  snapshot(): CmaEsState {
    return {
      kind: 'CMAES',
      version: 1,
      lambda: this.lambda,
      mu: this.mu,
      activeCovariance: this.activeCovariance,
      generation: this.generationCount,
      eigenEval: this.eigenEval,
      mean: toList(this.mean),
      sigma: this.sigmaValue,
      C: toList(this.C),
      B: toList(this.B),
      D: toList(this.D),
      ps: toList(this.ps),
      pc: toList(this.pc),
      pending: this.pending ? this.pending.map(toList) : null,
      rng: rngToState(this.sampler),
    };
  }

  /** B D^{-1} B^T v. */
  private invSqrtC(v: Float64Array): Float64Array {
    const n = this.n;
    const t = this.rotatedScaled(v);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let k = 0; k < n; k++) s += this.B[row + k] * t[k];
      out[i] = s;
    }
    return out;
  }

  /** ||C^{-1/2} v||^2 = ||D^{-1} B^T v||^2. */
  private mahalanobis2(v: Float64Array): number {
    const t = this.rotatedScaled(v);
    let s = 0;
    for (let k = 0; k < this.n; k++) s += t[k] * t[k];
    return s;
  }

  /** D^{-1} B^T v. */
  private rotatedScaled(v: Float64Array): Float64Array {
    const n = this.n;
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const vi = v[i];
      const row = i * n;
      for (let k = 0; k < n; k++) t[k] += this.B[row + k] * vi;
    }
    for (let k = 0; k < n; k++) t[k] /= this.D[k];
    return t;
  }

  /**
   * C = B diag(D^2) B^T. Eigenvalues are floored at 1e-20 * max (a numerical guard; with the tutorial's alpha_posdef
   * the update keeps C positive definite in exact arithmetic).
   */
  private decompose(): void {
    const { values, vectors } = symmetricEigen(this.C, this.n);
    let max = 0;
    for (const v of values) max = Math.max(max, v);
    if (!(max > 0) || !Number.isFinite(max)) throw new RangeError('CMA-ES: covariance matrix degenerated (no positive eigenvalue)');
    for (let k = 0; k < this.n; k++) this.D[k] = sqrt(Math.max(values[k], max * 1e-20));
    this.B = vectors;
  }
}

function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}
