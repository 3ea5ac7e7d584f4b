import { Rng } from '../../src/model/rng';
import { deriveSeed, SerializableRng } from '../../src/optim/serializable-rng';

describe('SerializableRng', () => {
  it('gives the same streams as src/model/rng.ts Rng (uint32 and normal)', () => {
    for (const seed of [0, 1, 42, 2 ** 32 - 1, -7, 123456789012]) {
      const a = new Rng(seed);
      const b = new SerializableRng(seed);
      for (let i = 0; i < 50; i++) expect(b.nextUint32()).toBe(a.nextUint32());
      for (let i = 0; i < 101; i++) expect(b.normal()).toBe(a.normal());
      expect(b.nextFloat()).toBe(a.nextFloat());
    }
  });

  it('continues exactly after a JSON round trip of its state, including a cached Box-Muller spare', () => {
    const a = new SerializableRng(9);
    a.normal(); // leaves a spare cached
    const state = JSON.parse(JSON.stringify(a.getState()));
    expect(state.spare).not.toBeNull();
    const b = SerializableRng.fromState(state);
    for (let i = 0; i < 20; i++) expect(b.normal()).toBe(a.normal());
    expect(b.nextUint32()).toBe(a.nextUint32());
  });

  it('rejects malformed states and seeds', () => {
    const ok = new SerializableRng(1).getState();
    expect(() => SerializableRng.fromState({ ...ok, algorithm: 'pcg32' })).toThrow(RangeError);
    expect(() => SerializableRng.fromState({ ...ok, s: [0, 0, 0, 0] })).toThrow('all zero');
    expect(() => SerializableRng.fromState({ ...ok, s: [1, 2, 3] })).toThrow(RangeError);
    expect(() => SerializableRng.fromState({ ...ok, s: [1, 2, 3, 2 ** 32] })).toThrow(RangeError);
    expect(() => SerializableRng.fromState({ ...ok, spare: Infinity })).toThrow('spare');
    expect(() => SerializableRng.fromState(null)).toThrow(RangeError);
    expect(() => new SerializableRng(0.5)).toThrow(RangeError);
  });

  it('derives per-member seeds: stream 0 is the seed itself, others differ', () => {
    expect(deriveSeed(42, 0)).toBe(42);
    const seeds = new Set([0, 1, 2, 3, 4].map((k) => deriveSeed(42, k)));
    expect(seeds.size).toBe(5);
    expect(deriveSeed(42, 1)).not.toBe(deriveSeed(43, 1));
    expect(() => deriveSeed(1, -1)).toThrow(RangeError);
  });
});
