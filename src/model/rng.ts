/**
 * Small seedable pseudo-random number generator for sampling tokens and drawing latent noise, so that anything
 * random in molnav can be replayed from a seed.
 *
 * Algorithm: xoshiro128** 1.0 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c): 128-bit state,
 * period 2^128 - 1, 32-bit outputs that pass BigCrush. The state is filled from the seed with splitmix32 (Weyl step
 * 0x9e3779b9, then the murmur3 fmix32 finaliser), so nearby seeds (0, 1, 2, ...) give unrelated streams. Not
 * cryptographically secure. test/model/fixtures/xoshiro128ss_reference.c is the C reference the tests check against.
 *
 * `nextUint32` and `nextFloat` use integer arithmetic only, so a seed gives the same numbers everywhere. `normal` also
 * uses Math.log/cos/sin, which V8 computes with its fdlibm port: reproducible on one Node version, and in practice
 * across versions, but not promised bit for bit.
 */
import { randomInt } from 'node:crypto';

// Math functions bound once: in a vm context (jest) a global lookup inside a hot loop is ~100x slower.
const { imul, sqrt, log, cos, sin } = Math;

const TWO_POW_32 = 4294967296;
const TWO_PI = 2 * Math.PI;

/** JSON form of an {@link Rng}'s state: four uint32 state words and the cached second Box-Muller draw. */
export interface RngState {
  /** Always 'xoshiro128**'; kept so a future generator can be told apart. */
  algorithm: 'xoshiro128**';
  /** The four 32-bit state words s0..s3 as unsigned integers in [0, 2^32), not all zero. */
  s: [number, number, number, number];
  /** The cached second normal of the last Box-Muller pair, or null when none is cached. */
  spare: number | null;
}

/** Seeds accepted by {@link Rng}: integers in [0, 2^32); other safe integers are reduced mod 2^32. */
export type Seed = number;

/** A random uint32 seed from the platform's secure source, for callers that give no seed. */
export function randomSeed(): Seed {
  return randomInt(0, TWO_POW_32);
}

function splitmix32(state: number): [next: number, out: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = imul(z ^ (z >>> 16), 0x85ebca6b);
  z = imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

/**
 * Seedable PRNG (xoshiro128**). Create one per request; it is cheap. Its whole state can be written out as JSON
 * (`getState`) and read back (`fromState`), so an optimiser's snapshot continues the stream exactly.
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  /**
   * @param seed a safe integer; reduced mod 2^32
   * @throws {RangeError} when the seed is not a safe integer
   */
  constructor(readonly seed: Seed) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    let st = Number(BigInt.asUintN(32, BigInt(seed)));
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(st);
      st = next;
      words.push(out);
    }
    [this.s0, this.s1, this.s2, this.s3] = words;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /**
   * Rebuilds a generator from {@link getState}'s output; it continues the original's stream exactly (its `seed` field
   * then reads 0: the seed is not part of the state).
   * @throws {RangeError} when the state is malformed (wrong algorithm, words not uint32, all zero, non-finite spare)
   */
  static fromState(state: unknown): Rng {
    const st = state as RngState;
    if (typeof st !== 'object' || st === null) throw new RangeError('rng state must be an object');
    if (st.algorithm !== 'xoshiro128**') throw new RangeError(`rng state: unknown algorithm ${JSON.stringify(st.algorithm)}`);
    if (!Array.isArray(st.s) || st.s.length !== 4 || !st.s.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_POW_32)) {
      throw new RangeError('rng state: s must be four integers in [0, 2^32)');
    }
    if (st.s.every((w) => w === 0)) throw new RangeError('rng state: s must not be all zero');
    if (st.spare !== null && !(typeof st.spare === 'number' && Number.isFinite(st.spare))) {
      throw new RangeError('rng state: spare must be a finite number or null');
    }
    const rng = new Rng(0);
    [rng.s0, rng.s1, rng.s2, rng.s3] = st.s.map((w) => w | 0);
    rng.spare = st.spare;
    return rng;
  }

  /** Plain-JSON copy of the full state (see {@link RngState}). */
  getState(): RngState {
    return { algorithm: 'xoshiro128**', s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spare: this.spare };
  }

  /** Next 32-bit unsigned integer, uniform on [0, 2^32). */
  nextUint32(): number {
    const result = imul(rotl(imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Next float, uniform on [0, 1), with 32 random bits (steps of 2^-32). */
  nextFloat(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /**
   * Next standard normal draw, N(mean, std^2), by the Box-Muller transform. Draws come in pairs: every second call
   * returns the cached spare of the previous pair, so a stream is reproducible only call for call.
   */
  normal(mean = 0, std = 1): number {
    let z: number;
    if (this.spare !== null) {
      z = this.spare;
      this.spare = null;
    } else {
      const u1 = 1 - this.nextFloat(); // (0, 1]: log(u1) is finite
      const u2 = this.nextFloat();
      const r = sqrt(-2 * log(u1));
      const theta = TWO_PI * u2;
      z = r * cos(theta);
      this.spare = r * sin(theta);
    }
    return mean + std * z;
  }

  /**
   * Fills an array with N(mean, std^2) draws, e.g. latent noise: `rng.fillNormal(new Float32Array(batch * dim))`.
   * @returns the same array
   */
  fillNormal<T extends Float32Array | Float64Array>(out: T, mean = 0, std = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
