/**
 * Separable CMA-ES (sep-CMA-ES) with an ask/tell interface, for minimisation.
 *
 * Algorithm: Hansen's CMA-ES as written in "The CMA Evolution Strategy: A Tutorial" (Hansen 2016,
 * arXiv:1604.00772), restricted to a diagonal covariance matrix as in Ros & Hansen, "A Simple Modification in
 * CMA-ES Achieving Linear Time and Space Complexity" (PPSN X, 2008, doi:10.1007/978-3-540-87700-4_30): the
 * rank-one and rank-mu learning rates are multiplied by (n + 2) / 3 and C = diag(d^2). Cost per generation is
 * O(lambda * n), which suits a 128-dimensional latent space with budgets of a few hundred oracle calls, where the
 * full covariance could not be learned anyway (its rank-mu learning rate is ~2/n^2).
 *
 * Shapes: `ask()` returns `lambda` candidates, each a Float64Array of length n; `tell` takes their fitness
 * values in the same order (lower is better; Infinity is allowed for failed evaluations).
 */
export interface SepCmaEsOptions {
  /** Initial mean, length n. */
  mean: ArrayLike<number>;
  /** Initial step size (same units as the mean). Must be > 0. */
  sigma: number;
  /** Population size; default 4 + floor(3 ln n). */
  lambda?: number;
  /** Standard normal sampler (seeded by the caller for reproducible runs). */
  normal: () => number;
}

export class SepCmaEs {
  readonly n: number;
  readonly lambda: number;
  readonly mu: number;
  private readonly weights: number[];
  private readonly mueff: number;
  private readonly cc: number;
  private readonly cs: number;
  private readonly c1: number;
  private readonly cmu: number;
  private readonly damps: number;
  private readonly chiN: number;
  private readonly normal: () => number;
  private mean: Float64Array;
  private sigmaValue: number;
  private diagC: Float64Array;
  private ps: Float64Array;
  private pc: Float64Array;
  private generationCount = 0;
  private pending: { x: Float64Array[]; y: Float64Array[] } | null = null;

  constructor(opts: SepCmaEsOptions) {
    const n = opts.mean.length;
    if (n < 1) throw new RangeError('sep-CMA-ES needs a mean of length >= 1');
    if (!(opts.sigma > 0) || !Number.isFinite(opts.sigma)) throw new RangeError(`sigma must be a positive finite number, got ${opts.sigma}`);
    this.n = n;
    this.lambda = opts.lambda ?? 4 + Math.floor(3 * Math.log(n));
    if (this.lambda < 2) throw new RangeError('lambda must be >= 2');
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
    this.damps = 1 + 2 * Math.max(0, Math.sqrt((mueff - 1) / (n + 1)) - 1) + this.cs;
    this.chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
    this.normal = opts.normal;
    this.mean = Float64Array.from(opts.mean);
    this.sigmaValue = opts.sigma;
    this.diagC = new Float64Array(n).fill(1);
    this.ps = new Float64Array(n);
    this.pc = new Float64Array(n);
  }

  /** Current step size. */
  get sigma(): number {
    return this.sigmaValue;
  }

  /** Completed generations. */
  get generation(): number {
    return this.generationCount;
  }

  /** Current distribution mean (a copy). */
  getMean(): Float64Array {
    return Float64Array.from(this.mean);
  }

  /** Sample a new population of `lambda` points x = m + sigma * sqrt(diag C) * N(0, I). */
  ask(): Float64Array[] {
    const x: Float64Array[] = [];
    const y: Float64Array[] = [];
    for (let k = 0; k < this.lambda; k++) {
      const yk = new Float64Array(this.n);
      const xk = new Float64Array(this.n);
      for (let i = 0; i < this.n; i++) {
        yk[i] = Math.sqrt(this.diagC[i]) * this.normal();
        xk[i] = this.mean[i] + this.sigmaValue * yk[i];
      }
      x.push(xk);
      y.push(yk);
    }
    this.pending = { x, y };
    return x.map((v) => Float64Array.from(v));
  }

  /**
   * Update the distribution from the fitness of the last `ask()` population (lower is better).
   * @throws Error if called without a pending population or with the wrong number of values; RangeError on NaN.
   */
  tell(fitness: number[]): void {
    if (!this.pending) throw new Error('tell() called before ask()');
    if (fitness.length !== this.lambda) throw new Error(`expected ${this.lambda} fitness values, got ${fitness.length}`);
    if (fitness.some((f) => Number.isNaN(f))) throw new RangeError('fitness values must not be NaN');
    const { y } = this.pending;
    this.pending = null;
    const order = fitness.map((f, i) => [f, i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
    const n = this.n;
    const yw = new Float64Array(n);
    for (let r = 0; r < this.mu; r++) {
      const yk = y[order[r]];
      for (let i = 0; i < n; i++) yw[i] += this.weights[r] * yk[i];
    }
    for (let i = 0; i < n; i++) this.mean[i] += this.sigmaValue * yw[i];
    const csFactor = Math.sqrt(this.cs * (2 - this.cs) * this.mueff);
    let psNorm2 = 0;
    for (let i = 0; i < n; i++) {
      this.ps[i] = (1 - this.cs) * this.ps[i] + (csFactor * yw[i]) / Math.sqrt(this.diagC[i]);
      psNorm2 += this.ps[i] ** 2;
    }
    const psNorm = Math.sqrt(psNorm2);
    this.generationCount += 1;
    const hsig = psNorm / Math.sqrt(1 - (1 - this.cs) ** (2 * this.generationCount)) / this.chiN < 1.4 + 2 / (n + 1) ? 1 : 0;
    const ccFactor = Math.sqrt(this.cc * (2 - this.cc) * this.mueff);
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
}
