/**
 * Helpers shared by the ask/tell optimisers in src/optim: the sampler type, option and state validation, fitness
 * checks and ranking. Internal to src/optim (the public surface is re-exported from ask-tell.ts).
 */
import { RngState, SerializableRng } from './serializable-rng';

// Math functions bound once: in a vm context (jest) every global lookup inside a hot loop is ~100x slower.
const { exp } = Math;

/**
 * Where an optimiser gets its standard normal draws:
 * - a {@link SerializableRng}: its state goes into `snapshot()`, so a restored optimiser continues bit for bit;
 * - any `() => number` returning N(0, 1) draws (e.g. `() => rng.normal()` with src/model/rng.ts): the snapshot has
 *   `rng: null` and the caller must pass a sampler again to `restoreOptimizer`.
 */
export type NormalSource = (() => number) | SerializableRng;

/** Resolved sampler: a draw function plus the serialisable generator behind it, if any. */
export interface Sampler {
  normal: () => number;
  rng: SerializableRng | null;
}

export function toSampler(source: NormalSource, who: string): Sampler {
  if (source instanceof SerializableRng) return { normal: () => source.normal(), rng: source };
  if (typeof source === 'function') return { normal: source, rng: null };
  throw new RangeError(`${who}: normal must be a function returning N(0, 1) draws or a SerializableRng`);
}

/**
 * U(0, 1] from two standard normals: z1^2 + z2^2 is chi-square with 2 degrees of freedom, i.e. Exp(1/2), so
 * exp(-(z1^2 + z2^2) / 2) is exactly uniform. Lets PSO draw its uniform coefficients from the same injected normal
 * sampler as the other optimisers (one code path whatever the sampler is).
 */
export function uniformFromNormal(normal: () => number): number {
  const a = normal();
  const b = normal();
  return exp(-0.5 * (a * a + b * b));
}

/** Copies a start point to a Float64Array, checking length >= 1 and finiteness. */
export function checkPoint(v: ArrayLike<number>, what: string, n?: number): Float64Array {
  if (v === null || typeof v !== 'object' || typeof v.length !== 'number') throw new RangeError(`${what} must be an array of numbers`);
  if (v.length < 1) throw new RangeError(`${what} must have length >= 1`);
  if (n !== undefined && v.length !== n) throw new RangeError(`${what} must have length ${n}, got ${v.length}`);
  const out = Float64Array.from(v);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new RangeError(`${what}[${i}] must be a finite number, got ${v[i]}`);
  }
  return out;
}

export function checkPositive(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || !(x > 0)) throw new RangeError(`${what} must be a positive finite number, got ${String(x)}`);
  return x;
}

export function checkNonNegative(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new RangeError(`${what} must be a non-negative finite number, got ${String(x)}`);
  return x;
}

export function checkFinite(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`${what} must be a finite number, got ${String(x)}`);
  return x;
}

export function checkInt(x: unknown, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) {
    throw new RangeError(`${what} must be an integer in [${min}, ${max}], got ${String(x)}`);
  }
  return x;
}

/**
 * Checks a fitness batch: right length (Error otherwise), each value a number that is finite or +Infinity
 * (RangeError for NaN, -Infinity or a non-number).
 */
export function checkFitness(fitness: readonly number[], expected: number, who: string): void {
  if (!Array.isArray(fitness) && !ArrayBuffer.isView(fitness)) throw new Error(`${who}: fitness must be an array`);
  if (fitness.length !== expected) throw new Error(`${who}: expected ${expected} fitness values, got ${fitness.length}`);
  for (let i = 0; i < fitness.length; i++) {
    const f = fitness[i];
    if (typeof f !== 'number' || Number.isNaN(f)) throw new RangeError(`${who}: fitness values must not be NaN (index ${i})`);
    if (f === -Infinity) throw new RangeError(`${who}: fitness must be finite or +Infinity, got -Infinity (index ${i})`);
  }
}

/** Indices sorted by ascending fitness; ties (e.g. several +Infinity) keep their batch order. */
export function rankOrder(fitness: readonly number[]): number[] {
  return fitness
    .map((_, i) => i)
    .sort((i, j) => {
      const a = fitness[i];
      const b = fitness[j];
      return a < b ? -1 : a > b ? 1 : i - j;
    });
}

// ---- state (de)serialisation -------------------------------------------------------------------------------

/** Float64Array -> plain number[] (JSON round-trips finite doubles exactly). */
export function toList(v: Float64Array): number[] {
  return Array.from(v);
}

/** Throws a RangeError naming the first of `keys` missing from a state (so no option silently falls back to its default). */
export function requireKeys(s: Record<string, unknown>, keys: readonly string[], kind: string): void {
  for (const k of keys) if (s[k] === undefined) throw new RangeError(`${kind} state: missing field ${k}`);
}

export function stateObject(state: unknown, what: string): Record<string, unknown> {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) throw new RangeError(`${what} must be an object`);
  return state as Record<string, unknown>;
}

/** number[] of exact length with finite entries (and > 0 when `positive`) -> Float64Array. */
export function vectorFrom(v: unknown, n: number, what: string, positive = false): Float64Array {
  if (!Array.isArray(v)) throw new RangeError(`${what} must be an array of ${n} numbers`);
  if (v.length !== n) throw new RangeError(`${what} must have length ${n}, got ${v.length}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`${what}[${i}] must be a finite number`);
    if (positive && !(x > 0)) throw new RangeError(`${what}[${i}] must be > 0`);
    out[i] = x;
  }
  return out;
}

/** number[][] of `rows` vectors of length n -> Float64Array[]. */
export function matrixRowsFrom(v: unknown, rows: number, n: number, what: string): Float64Array[] {
  if (!Array.isArray(v) || v.length !== rows) throw new RangeError(`${what} must be an array of ${rows} vectors`);
  return v.map((row, k) => vectorFrom(row, n, `${what}[${k}]`));
}

export function rngFromState(rng: unknown, normal: (() => number) | undefined, kind: string): Sampler {
  if (rng === null || rng === undefined) {
    if (typeof normal !== 'function') {
      throw new RangeError(`${kind} state has no rng (it was built with a plain sampler): pass a normal sampler to restoreOptimizer`);
    }
    return { normal, rng: null };
  }
  if (normal !== undefined) {
    throw new RangeError(`${kind} state carries its own rng state: do not pass a normal sampler to restoreOptimizer`);
  }
  const r = SerializableRng.fromState(rng);
  return { normal: () => r.normal(), rng: r };
}

export function rngToState(s: Sampler): RngState | null {
  return s.rng ? s.rng.getState() : null;
}
