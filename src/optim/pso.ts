/**
 * Inertia-weight particle swarm optimisation (PSO) with an ask/tell interface, for minimisation.
 *
 * Algorithm: Shi & Eberhart, "A modified particle swarm optimizer", IEEE ICEC 1998 (doi:10.1109/ICEC.1998.699146),
 * as used for molecules in a continuous latent space by MSO (Winter et al., "Efficient multi-objective molecular
 * optimization in a continuous latent space", Chem. Sci. 2019, 10, 8016, doi:10.1039/C9SC01928F). Per particle k:
 *   v_k <- w v_k + c1 r1 .* (pbest_k - x_k) + c2 r2 .* (gbest - x_k),   each |v_kj| clamped to maxVelocity,
 *   x_k <- x_k + v_k,                                                     each x_kj clamped to [lower, upper],
 * with r1, r2 ~ U(0, 1) drawn per component (`randomness: 'dimension'`, the standard form) or once per particle
 * (`'particle'`, as in MSO's code). pbest_k is particle k's best point so far, gbest the swarm's (global topology).
 *
 * Defaults: w = 0.7298, c1 = c2 = 1.49618, the inertia-weight form of Clerc & Kennedy's constriction
 * (IEEE TEC 2002, doi:10.1109/4235.985692; recommended by Eberhart & Shi, CEC 2000), which converges without a
 * velocity clamp; swarm size 10 + floor(2 sqrt(n)) (SPSO 2007; 32 for n = 128). MSO used w = 0.9, c1 = c2 = 2,
 * a box [-1, 1] (CDDD embeddings are tanh-bounded), all particles starting at the query with velocities U(-0.6, 0.6),
 * no velocity clamp after that, and a third "history" term; see {@link MSO_PSO_DEFAULTS} (minus the history term).
 *
 * Initialisation: particle k starts around centre c_{k mod K} of the K start points ([mean, ...starts]): the first
 * K particles exactly at the centres, the others at c + sigma N(0, I); velocities U(-v0, v0) per component with
 * v0 = `initialVelocity` (default sigma). Positions are clamped to the box if one is set.
 *
 * Ask/tell: the first ask() returns the initial positions; each later ask() moves the swarm once using the bests
 * known from tell(). +Infinity fitness never becomes a personal or global best (until something finite is seen,
 * gbest stays at the first start point and pbest at the particle's initial position). Calling ask() again before
 * tell() discards the pending move and draws a new one from the same committed swarm.
 */
import type { AskTellOptimizer } from './ask-tell';
import {
  checkFinite,
  checkFitness,
  checkInt,
  checkNonNegative,
  checkPoint,
  checkPositive,
  matrixRowsFrom,
  requireKeys,
  NormalSource,
  rngFromState,
  rngToState,
  Sampler,
  stateObject,
  toList,
  toSampler,
  uniformFromNormal,
  vectorFrom,
} from './common';
import type { RngState, SerializableRng } from './serializable-rng';

// Math functions bound once: in a vm context (jest) every global lookup inside a hot loop is ~100x slower.
const { min, max, abs } = Math;

/** Options of {@link Pso}. */
export interface PsoOptions {
  /** First start point (centre of the initial swarm), length n, finite. */
  mean: ArrayLike<number>;
  /** Further start points (length n each); particles are spread over [mean, ...starts] round-robin. Default none. */
  starts?: ArrayLike<number>[];
  /** Initial spread: positions c + sigma N(0, I) around the centres; > 0, finite. */
  sigma: number;
  /** Number of particles (points per ask()), integer >= 1; default 10 + floor(2 sqrt(n)). */
  swarmSize?: number;
  /** Inertia weight w in [0, 1.5]; default 0.7298. */
  inertia?: number;
  /** Cognitive coefficient c1 in [0, 4]; default 1.49618. */
  cognitive?: number;
  /** Social coefficient c2 in [0, 4]; default 1.49618. c1 + c2 must be > 0. */
  social?: number;
  /** Per-component velocity clamp (> 0), or null for none; default (upper - lower) / 2 with a box, else null. */
  maxVelocity?: number | null;
  /** Initial velocities U(-v0, v0) per component, v0 >= 0; default sigma. */
  initialVelocity?: number;
  /** Position box lower bound (same for every component); give both `lower` and `upper` or neither. */
  lower?: number;
  /** Position box upper bound (> lower). */
  upper?: number;
  /** r1, r2 per component ('dimension', default) or one pair per particle ('particle', MSO). */
  randomness?: 'dimension' | 'particle';
  /** Standard normal sampler (uniforms are derived from it); a {@link SerializableRng} goes into snapshots. */
  normal: NormalSource;
}

/** MSO's PSO settings (Winter et al. 2019, mso/swarm.py), for `new Pso({ ...MSO_PSO_DEFAULTS, mean, sigma, normal })`. */
export const MSO_PSO_DEFAULTS = {
  inertia: 0.9,
  cognitive: 2,
  social: 2,
  lower: -1,
  upper: 1,
  initialVelocity: 0.6,
  maxVelocity: null,
  randomness: 'particle',
} as const satisfies Partial<PsoOptions>;

/** Plain-JSON state of a {@link Pso}. Fitness values of +Infinity are written as null. */
export interface PsoState {
  kind: 'PSO';
  version: 1;
  swarmSize: number;
  inertia: number;
  cognitive: number;
  social: number;
  maxVelocity: number | null;
  lower: number | null;
  upper: number | null;
  randomness: 'dimension' | 'particle';
  /** Completed generations (tell() calls). */
  generation: number;
  /** Positions last told (or the initial ones), swarmSize x n. */
  x: number[][];
  /** Velocities that led to `x`, swarmSize x n. */
  v: number[][];
  /** Personal best points, swarmSize x n. */
  pbest: number[][];
  /** Personal best fitness (null = +Infinity), length swarmSize. */
  pbestF: (number | null)[];
  /** Global best point, length n. */
  gbest: number[];
  /** Global best fitness (null = +Infinity). */
  gbestF: number | null;
  /** Whether `x` has been evaluated (false before the first tell()). */
  evaluated: boolean;
  /** The asked but not yet told move, or null. */
  pending: { x: number[][]; v: number[][] } | null;
  rng: RngState | null;
}


export class Pso implements AskTellOptimizer {
  /** Always 'PSO'. */
  readonly name = 'PSO';
  /** Dimension n. */
  readonly dimension: number;
  /** Number of particles (points per ask()). */
  readonly swarmSize: number;
  /** Inertia weight w. */
  readonly inertia: number;
  /** Cognitive coefficient c1 (pull towards the particle's own best). */
  readonly cognitive: number;
  /** Social coefficient c2 (pull towards the swarm's best). */
  readonly social: number;
  /** Per-component velocity clamp, or null for none. */
  readonly maxVelocity: number | null;
  /** Position box lower bound, or null for no box. */
  readonly lower: number | null;
  /** Position box upper bound, or null for no box. */
  readonly upper: number | null;
  /** Whether r1, r2 are drawn per component or per particle. */
  readonly randomness: 'dimension' | 'particle';
  private sampler: Sampler;
  private x: Float64Array[];
  private v: Float64Array[];
  private pbest: Float64Array[];
  private pbestF: Float64Array;
  private gbest: Float64Array;
  private gbestF = Infinity;
  private evaluated = false;
  private generationCount = 0;
  private pending: { x: Float64Array[]; v: Float64Array[] } | null = null;

  /** @throws {RangeError} for non-finite or out-of-range options (see {@link PsoOptions}) */
  constructor(opts: PsoOptions) {
    const mean = checkPoint(opts.mean, 'PSO mean');
    const n = mean.length;
    const centres = [mean, ...(opts.starts ?? []).map((s, i) => checkPoint(s, `PSO starts[${i}]`, n))];
    const sigma = checkPositive(opts.sigma, 'sigma');
    this.dimension = n;
    this.swarmSize = checkInt(opts.swarmSize ?? 10 + Math.floor(2 * Math.sqrt(n)), 'swarmSize', 1);
    this.inertia = inRange(opts.inertia ?? 0.7298, 'inertia', 0, 1.5);
    this.cognitive = inRange(opts.cognitive ?? 1.49618, 'cognitive', 0, 4);
    this.social = inRange(opts.social ?? 1.49618, 'social', 0, 4);
    if (!(this.cognitive + this.social > 0)) throw new RangeError('cognitive + social must be > 0');
    if ((opts.lower === undefined) !== (opts.upper === undefined)) throw new RangeError('give both lower and upper, or neither');
    this.lower = opts.lower === undefined ? null : checkFinite(opts.lower, 'lower');
    this.upper = opts.upper === undefined ? null : checkFinite(opts.upper, 'upper');
    if (this.lower !== null && this.upper !== null && !(this.lower < this.upper)) throw new RangeError(`lower (${this.lower}) must be < upper (${this.upper})`);
    const defaultVmax = this.lower !== null && this.upper !== null ? (this.upper - this.lower) / 2 : null;
    const vmax = opts.maxVelocity === undefined ? defaultVmax : opts.maxVelocity;
    this.maxVelocity = vmax === null ? null : checkPositive(vmax, 'maxVelocity');
    this.randomness = opts.randomness ?? 'dimension';
    if (this.randomness !== 'dimension' && this.randomness !== 'particle') throw new RangeError(`randomness must be 'dimension' or 'particle', got ${String(this.randomness)}`);
    const v0 = checkNonNegative(opts.initialVelocity ?? sigma, 'initialVelocity');
    this.sampler = toSampler(opts.normal, 'PSO');

    const S = this.swarmSize;
    this.x = [];
    this.v = [];
    for (let k = 0; k < S; k++) {
      const c = centres[k % centres.length];
      const xk = new Float64Array(n);
      for (let i = 0; i < n; i++) xk[i] = k < centres.length ? c[i] : c[i] + sigma * this.sampler.normal();
      this.clampPosition(xk);
      const vk = new Float64Array(n);
      for (let i = 0; i < n; i++) vk[i] = v0 * (2 * uniformFromNormal(this.sampler.normal) - 1);
      this.clampVelocity(vk);
      this.x.push(xk);
      this.v.push(vk);
    }
    this.pbest = this.x.map((p) => Float64Array.from(p));
    this.pbestF = new Float64Array(S).fill(Infinity);
    this.gbest = Float64Array.from(this.x[0]);
  }

  /**
   * Rebuilds a swarm from `snapshot()` output (usually via restoreOptimizer in ask-tell.ts).
   * @param normal required when the state has `rng: null`, forbidden otherwise
   * @throws {RangeError} when the state is malformed
   */
  static fromState(state: unknown, normal?: () => number): Pso {
    const s = stateObject(state, 'PSO state');
    if (s.kind !== 'PSO') throw new RangeError(`expected a PSO state, got kind ${JSON.stringify(s.kind)}`);
    if (s.version !== 1) throw new RangeError(`PSO state: unsupported version ${JSON.stringify(s.version)}`);
    requireKeys(s, ['swarmSize', 'inertia', 'cognitive', 'social', 'maxVelocity', 'lower', 'upper', 'randomness', 'generation', 'x', 'v', 'pbest', 'pbestF', 'gbest', 'gbestF', 'evaluated', 'pending', 'rng'], 'PSO');
    if (!Array.isArray(s.gbest)) throw new RangeError('PSO state: gbest must be an array');
    const sampler = rngFromState(s.rng, normal, 'PSO');
    const gbest = vectorFrom(s.gbest, s.gbest.length, 'PSO state gbest');
    for (const key of ['maxVelocity', 'lower', 'upper'] as const) {
      if (s[key] !== null && typeof s[key] !== 'number') throw new RangeError(`PSO state ${key} must be a number or null`);
    }
    const nullable = (x: unknown) => (x === null ? undefined : (x as number));
    const pso = new Pso({
      mean: gbest,
      sigma: 1,
      swarmSize: s.swarmSize as number,
      inertia: s.inertia as number,
      cognitive: s.cognitive as number,
      social: s.social as number,
      maxVelocity: s.maxVelocity === null ? null : (s.maxVelocity as number),
      lower: nullable(s.lower),
      upper: nullable(s.upper),
      randomness: s.randomness as 'dimension' | 'particle',
      initialVelocity: 0,
      normal: () => 0,
    });
    const n = pso.dimension;
    const S = pso.swarmSize;
    pso.sampler = sampler;
    pso.generationCount = checkInt(s.generation, 'PSO state generation', 0);
    pso.x = matrixRowsFrom(s.x, S, n, 'PSO state x');
    pso.v = matrixRowsFrom(s.v, S, n, 'PSO state v');
    pso.pbest = matrixRowsFrom(s.pbest, S, n, 'PSO state pbest');
    if (!Array.isArray(s.pbestF) || s.pbestF.length !== S) throw new RangeError(`PSO state pbestF must be an array of ${S} numbers or nulls`);
    pso.pbestF = Float64Array.from(s.pbestF, (f, k) => fitnessFrom(f, `PSO state pbestF[${k}]`));
    pso.gbest = gbest;
    pso.gbestF = fitnessFrom(s.gbestF, 'PSO state gbestF');
    if (typeof s.evaluated !== 'boolean') throw new RangeError('PSO state evaluated must be a boolean');
    pso.evaluated = s.evaluated;
    if (s.pending === null) {
      pso.pending = null;
    } else {
      const p = stateObject(s.pending, 'PSO state pending');
      pso.pending = { x: matrixRowsFrom(p.x, S, n, 'PSO state pending.x'), v: matrixRowsFrom(p.v, S, n, 'PSO state pending.v') };
    }
    return pso;
  }

  /** Points per ask() (swarmSize). */
  get batchSize(): number {
    return this.swarmSize;
  }

  /** Whether an ask() batch is waiting for its tell(). */
  get awaitingTell(): boolean {
    return this.pending !== null;
  }

  /** The serialisable generator this optimiser draws from (its state goes into snapshots), or null for a plain sampler. */
  get rng(): SerializableRng | null {
    return this.sampler.rng;
  }

  /** Completed generations. */
  get generation(): number {
    return this.generationCount;
  }

  /** Largest |velocity component| of the swarm's last move (or of the initial velocities). */
  get stepSize(): number {
    let m = 0;
    for (const vk of this.v) for (let i = 0; i < vk.length; i++) m = max(m, abs(vk[i]));
    return m;
  }

  /** Best point told so far (the first start point before any finite fitness) and its fitness (+Infinity if none). */
  getBest(): { x: Float64Array; fitness: number } {
    return { x: Float64Array.from(this.gbest), fitness: this.gbestF };
  }

  /** The positions to evaluate next: the initial swarm first, then one PSO move per generation. */
  ask(): Float64Array[] {
    const S = this.swarmSize;
    const n = this.dimension;
    if (!this.evaluated) {
      this.pending = { x: this.x.map((p) => Float64Array.from(p)), v: this.v.map((p) => Float64Array.from(p)) };
      return this.x.map((p) => Float64Array.from(p));
    }
    const u = () => uniformFromNormal(this.sampler.normal);
    const nx: Float64Array[] = [];
    const nv: Float64Array[] = [];
    for (let k = 0; k < S; k++) {
      const x = this.x[k];
      const v = this.v[k];
      const p = this.pbest[k];
      const g = this.gbest;
      const xk = new Float64Array(n);
      const vk = new Float64Array(n);
      let r1 = 0;
      let r2 = 0;
      if (this.randomness === 'particle') {
        r1 = u();
        r2 = u();
      }
      for (let i = 0; i < n; i++) {
        if (this.randomness === 'dimension') {
          r1 = u();
          r2 = u();
        }
        vk[i] = this.inertia * v[i] + this.cognitive * r1 * (p[i] - x[i]) + this.social * r2 * (g[i] - x[i]);
      }
      this.clampVelocity(vk);
      for (let i = 0; i < n; i++) xk[i] = x[i] + vk[i];
      this.clampPosition(xk);
      nx.push(xk);
      nv.push(vk);
    }
    this.pending = { x: nx, v: nv };
    return nx.map((p) => Float64Array.from(p));
  }

  /**
   * Commits the pending move and updates personal and global bests (strict improvement; ties keep the older best).
   * @throws Error without a pending ask() or with the wrong number of values; RangeError on NaN or -Infinity.
   */
  tell(fitness: number[]): void {
    if (!this.pending) throw new Error('tell() called before ask()');
    checkFitness(fitness, this.swarmSize, 'PSO tell()');
    this.x = this.pending.x;
    this.v = this.pending.v;
    this.pending = null;
    this.evaluated = true;
    for (let k = 0; k < this.swarmSize; k++) {
      const f = fitness[k];
      if (f < this.pbestF[k]) {
        this.pbestF[k] = f;
        this.pbest[k] = Float64Array.from(this.x[k]);
      }
      if (f < this.gbestF) {
        this.gbestF = f;
        this.gbest = Float64Array.from(this.x[k]);
      }
    }
    this.generationCount += 1;
  }

  /** Plain-JSON state (about (4 S + 1) n numbers, up to 6 S n with a pending move); see {@link PsoState}. */
  snapshot(): PsoState {
    return {
      kind: 'PSO',
      version: 1,
      swarmSize: this.swarmSize,
      inertia: this.inertia,
      cognitive: this.cognitive,
      social: this.social,
      maxVelocity: this.maxVelocity,
      lower: this.lower,
      upper: this.upper,
      randomness: this.randomness,
      generation: this.generationCount,
      x: this.x.map(toList),
      v: this.v.map(toList),
      pbest: this.pbest.map(toList),
      pbestF: Array.from(this.pbestF, (f) => (f === Infinity ? null : f)),
      gbest: toList(this.gbest),
      gbestF: this.gbestF === Infinity ? null : this.gbestF,
      evaluated: this.evaluated,
      pending: this.pending ? { x: this.pending.x.map(toList), v: this.pending.v.map(toList) } : null,
      rng: rngToState(this.sampler),
    };
  }

  private clampVelocity(v: Float64Array): void {
    const m = this.maxVelocity;
    if (m === null) return;
    for (let i = 0; i < v.length; i++) v[i] = min(m, max(-m, v[i]));
  }

  private clampPosition(x: Float64Array): void {
    if (this.lower === null || this.upper === null) return;
    for (let i = 0; i < x.length; i++) x[i] = min(this.upper, max(this.lower, x[i]));
  }
}

function inRange(x: unknown, what: string, lo: number, hi: number): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < lo || x > hi) throw new RangeError(`${what} must be a finite number in [${lo}, ${hi}], got ${String(x)}`);
  return x;
}

/** null -> +Infinity; otherwise a finite number. */
function fitnessFrom(f: unknown, what: string): number {
  if (f === null) return Infinity;
  return checkFinite(f, what);
}
