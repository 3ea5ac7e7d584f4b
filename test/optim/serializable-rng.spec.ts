import { deriveSeed, SerializableRng } from '../../src/optim/serializable-rng';

/** The optimisers' generator is src/model/rng.ts `Rng` (its stream is checked against the C reference in test/model). */
describe('SerializableRng (Rng) state and deriveSeed', () => {
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
