/**
 * A seeded generator whose whole state can be written out as plain JSON and read back, so an optimiser that runs
 * behind a stateless API can hand its state to a client and continue later exactly as if it had never stopped.
 *
 * Why not src/model/rng.ts: its `Rng` keeps its state in private fields with no accessor, so it cannot be
 * snapshotted. {@link SerializableRng} is the same generator, bit for bit: xoshiro128** 1.0 (Blackman & Vigna,
 * https://prng.di.unimi.it/xoshiro128starstar.c) seeded through splitmix32 exactly as `Rng` does, with the same
 * Box-Muller normal (pairs, the second draw cached as `spare`). So `new SerializableRng(s).normal()` returns the same
 * stream as `new Rng(s).normal()` (test/optim/serializable-rng.spec.ts checks this), and swapping one for the other
 * in an optimiser does not change its results.
 *
 * Reproducibility: `nextUint32`/`nextFloat` are integer-exact everywhere; `normal` uses Math.log/sqrt/cos/sin, which
 * are reproducible on one Node version (V8's fdlibm port) and in practice across versions.
 */

// Math functions bound once: in a vm context (jest) every global lookup inside a hot loop is ~100x slower.
const { imul, sqrt, log, cos, sin } = Math;

const TWO_POW_32 = 4294967296;
const TWO_PI = 2 * Math.PI;

/** JSON form of a {@link SerializableRng}: four uint32 state words and the cached second Box-Muller draw. */
export interface RngState {
  /** Always 'xoshiro128**'; kept so a future generator can be told apart. */
  algorithm: 'xoshiro128**';
  /** The four 32-bit state words s0..s3 as unsigned integers in [0, 2^32), not all zero. */
  s: [number, number, number, number];
  /** The cached second normal of the last Box-Muller pair, or null when none is cached. */
  spare: number | null;
}

function fmix32(z: number): number {
  z = imul(z ^ (z >>> 16), 0x85ebca6b);
  z = imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Seed for the k-th of several independent streams derived from one user seed (e.g. the members of a multi-start
 * run). Stream 0 is the seed itself, so a one-member run matches a plain single-start run with the same seed; stream
 * k > 0 is `fmix32(seed XOR fmix32(k * 0x9e3779b9))` (murmur3 finaliser), an unrelated uint32.
 * @param seed a safe integer (reduced mod 2^32)
 * @param stream a non-negative safe integer
 * @throws {RangeError} when either is not a safe integer or `stream` is negative
 */
export function deriveSeed(seed: number, stream: number): number {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  if (!Number.isSafeInteger(stream) || stream < 0) throw new RangeError(`stream must be a non-negative integer, got ${stream}`);
  const s = Number(BigInt.asUintN(32, BigInt(seed)));
  if (stream === 0) return s;
  return fmix32(s ^ fmix32(imul(stream >>> 0, 0x9e3779b9)));
}

/** Seedable, snapshot-able PRNG (xoshiro128**), stream-identical to src/model/rng.ts `Rng`. */
export class SerializableRng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  /**
   * @param seed a safe integer; reduced mod 2^32 (same seeding as `Rng`)
   * @throws {RangeError} when the seed is not a safe integer
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    let st = Number(BigInt.asUintN(32, BigInt(seed))) | 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      st = (st + 0x9e3779b9) | 0; // splitmix32 Weyl step, then the murmur3 finaliser
      words.push(fmix32(st));
    }
    [this.s0, this.s1, this.s2, this.s3] = words;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /**
   * Rebuilds a generator from {@link getState}'s output; it continues the original's stream exactly.
   * @throws {RangeError} when the state is malformed (wrong algorithm, words not uint32, all zero, non-finite spare)
   */
  static fromState(state: unknown): SerializableRng {
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
    const rng = new SerializableRng(0);
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

  /** Next float, uniform on [0, 1), in steps of 2^-32. */
  nextFloat(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Next standard normal N(0, 1) draw (Box-Muller in pairs; the second of each pair is cached as `spare`). */
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    const u1 = 1 - this.nextFloat(); // (0, 1]: log(u1) is finite
    const u2 = this.nextFloat();
    const r = sqrt(-2 * log(u1));
    const theta = TWO_PI * u2;
    this.spare = r * sin(theta);
    return r * cos(theta);
  }
}
