/**
 * The optimisers' seeded generator: src/model/rng.ts `Rng` (xoshiro128**), whose state `getState()` writes out as
 * JSON and `Rng.fromState()` reads back, so an optimiser behind a stateless API can hand its state out and continue
 * later exactly. This module adds `deriveSeed` for the streams of multi-start members.
 */
import { Rng } from '../model/rng';

export { Rng as SerializableRng };
export type { RngState } from '../model/rng';

const { imul } = Math;

function fmix32(z: number): number {
  z = imul(z ^ (z >>> 16), 0x85ebca6b);
  z = imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
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
