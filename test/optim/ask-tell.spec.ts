import { Rng } from '../../src/model/rng';
import {
  CmaEs,
  createAskTellOptimizer,
  createMultiStart,
  deriveSeed,
  MultiStart,
  Pso,
  restoreOptimizer,
  SepCmaEs,
  SerializableRng,
} from '../../src/optim/ask-tell';
import type { AskTellOptimizer } from '../../src/optim/ask-tell';
import { fill, minimise, rosenbrock, sameBits, sphere } from './benchmarks';

/** Runs a and a JSON-restored copy side by side for `gens` generations; true when every ask matched bitwise. */
function lockstep(a: AskTellOptimizer, f: (x: Float64Array) => number, gens: number): boolean {
  const b = restoreOptimizer(JSON.parse(JSON.stringify(a.snapshot())));
  for (let g = 0; g < gens; g++) {
    const xa = a.ask();
    if (!sameBits(xa, b.ask())) return false;
    const fs = xa.map(f);
    a.tell(fs);
    b.tell(fs);
  }
  return JSON.stringify(a.snapshot()) === JSON.stringify(b.snapshot());
}

describe('AskTellOptimizer implementations', () => {
  it('share the interface', () => {
    const opts = { mean: [1, 2, 3, 4], sigma: 0.5 };
    const all: AskTellOptimizer[] = [
      new SepCmaEs({ ...opts, normal: new SerializableRng(1) }),
      new CmaEs({ ...opts, normal: new SerializableRng(1) }),
      new Pso({ ...opts, normal: new SerializableRng(1) }),
      createMultiStart({ kind: 'CMAES', means: [opts.mean, opts.mean], sigma: 0.5, seed: 1 }),
    ];
    expect(all.map((o) => o.name)).toEqual(['SEP_CMAES', 'CMAES', 'PSO', 'MULTI_START']);
    for (const o of all) {
      expect(o.dimension).toBe(4);
      expect(o.awaitingTell).toBe(false);
      const xs = o.ask();
      expect(xs).toHaveLength(o.batchSize);
      expect(xs.every((x) => x instanceof Float64Array && x.length === 4)).toBe(true);
      expect(o.awaitingTell).toBe(true);
      o.tell(xs.map(sphere));
      expect(o.generation).toBe(1);
      expect(o.stepSize).toBeGreaterThan(0);
      expect(() => o.tell(xs.map(sphere))).toThrow('before ask');
    }
  });

  it('createAskTellOptimizer builds each kind and rejects unknown ones', () => {
    for (const kind of ['SEP_CMAES', 'CMAES', 'PSO'] as const) {
      expect(createAskTellOptimizer({ kind, mean: [0, 0], sigma: 1, normal: () => 0.1 }).name).toBe(kind);
    }
    expect(() => createAskTellOptimizer({ kind: 'NOPE', mean: [0], sigma: 1, normal: () => 0 } as never)).toThrow(RangeError);
  });
});

describe('SepCmaEs under the ask/tell interface', () => {
  it('behaves the same with the project Rng as with SerializableRng of the same seed', () => {
    const rng = new Rng(5);
    const a = new SepCmaEs({ mean: fill(6, 1), sigma: 0.5, normal: () => rng.normal() });
    const b = new SepCmaEs({ mean: fill(6, 1), sigma: 0.5, normal: new SerializableRng(5) });
    minimise(a, rosenbrock, 600);
    minimise(b, rosenbrock, 600);
    expect(Array.from(a.getMean())).toEqual(Array.from(b.getMean()));
    expect(a.snapshot().rng).toBeNull();
    expect(b.snapshot().rng).not.toBeNull();
  });

  it('continues bit for bit after a JSON snapshot/restore, also from between ask and tell', () => {
    const a = new SepCmaEs({ mean: fill(12, 1), sigma: 0.5, normal: new SerializableRng(8) });
    minimise(a, rosenbrock, 120);
    expect(lockstep(a, rosenbrock, 10)).toBe(true);
    const xs = a.ask();
    const b = restoreOptimizer(JSON.parse(JSON.stringify(a.snapshot())));
    a.tell(xs.map(rosenbrock));
    b.tell(xs.map(rosenbrock));
    expect(sameBits(a.ask(), b.ask())).toBe(true);
    expect(b.snapshot()).toEqual(a.snapshot());
  });

  it('rejects malformed states', () => {
    const good = new SepCmaEs({ mean: [0, 0, 0], sigma: 1, normal: new SerializableRng(1) }).snapshot();
    for (const bad of [{ diagC: [1, 0, 1] }, { sigma: 0 }, { lambda: 1 }, { mean: [0, 0, Infinity] }, { pending: [[0, 0, 0]] }, { ps: [0, 0] }]) {
      expect(() => restoreOptimizer({ ...good, ...bad })).toThrow(RangeError);
    }
  });
});

describe('MultiStart', () => {
  it('concatenates the members batches and tells each member its slice', () => {
    const a = new CmaEs({ mean: [0, 0], sigma: 1, normal: new SerializableRng(1) });
    const b = new Pso({ mean: [5, 5], sigma: 1, swarmSize: 3, normal: new SerializableRng(2) });
    const multi = new MultiStart([a, b]);
    expect(multi.batchSize).toBe(a.batchSize + 3);
    expect(multi.locate(a.batchSize + 1)).toEqual({ member: 1, offset: 1 });
    const xs = multi.ask();
    expect(Array.from(xs[a.batchSize])).toEqual([5, 5]); // PSO's first particle sits on its start
    multi.tell(xs.map(sphere));
    expect([a.generation, b.generation, multi.generation]).toEqual([1, 1, 1]);
    expect(b.getBest().fitness).toBeLessThanOrEqual(50);
  });

  it('validates the whole batch before telling any member', () => {
    const multi = createMultiStart({ kind: 'SEP_CMAES', means: [[0, 0], [1, 1]], sigma: 1, seed: 3 });
    const xs = multi.ask();
    const f = xs.map(sphere);
    f[f.length - 1] = NaN;
    expect(() => multi.tell(f)).toThrow(RangeError);
    expect(multi.members.map((m) => m.generation)).toEqual([0, 0]);
    expect(() => multi.tell(f.slice(1))).toThrow(`expected ${xs.length}`);
    multi.tell(xs.map(sphere));
    expect(multi.members.map((m) => m.generation)).toEqual([1, 1]);
  });

  it('member 0 of createMultiStart reproduces a single run with the same seed; the others use derived streams', () => {
    const single = new CmaEs({ mean: [1, 2, 3], sigma: 0.3, normal: new SerializableRng(7) });
    const multi = createMultiStart({ kind: 'CMAES', means: [[1, 2, 3], [1, 2, 3]], sigma: 0.3, seed: 7 });
    const other = new CmaEs({ mean: [1, 2, 3], sigma: 0.3, normal: new SerializableRng(deriveSeed(7, 1)) });
    const xs = multi.ask();
    expect(sameBits(xs.slice(0, single.lambda), single.ask())).toBe(true);
    expect(sameBits(xs.slice(single.lambda), other.ask())).toBe(true);
    expect(sameBits(xs.slice(0, single.lambda), xs.slice(single.lambda))).toBe(false);
  });

  it('optimises every start and continues bit for bit after snapshot/restore', () => {
    const multi = createMultiStart({ kind: 'PSO', means: [fill(4, 2), fill(4, -2)], sigma: 0.5, seed: 11, swarmSize: 8 });
    minimise(multi, sphere, 16 * 40);
    expect(multi.members.every((m) => (m as Pso).getBest().fitness < 1e-3)).toBe(true);
    expect(lockstep(multi, sphere, 5)).toBe(true);
    multi.ask();
    const restored = restoreOptimizer(JSON.parse(JSON.stringify(multi.snapshot())));
    expect(restored.awaitingTell).toBe(true);
    expect(restored.batchSize).toBe(16);
  });

  it('rejects bad members, shared generators and bad states', () => {
    const rng = new SerializableRng(1);
    expect(() => new MultiStart([])).toThrow(RangeError);
    expect(() => new MultiStart([new CmaEs({ mean: [0], sigma: 1, normal: rng }), new CmaEs({ mean: [0, 0], sigma: 1, normal: () => 0 })])).toThrow('dimension');
    expect(() => new MultiStart([new CmaEs({ mean: [0], sigma: 1, normal: rng }), new Pso({ mean: [0], sigma: 1, normal: rng })])).toThrow('shares');
    expect(() => createMultiStart({ kind: 'CMAES', means: [], sigma: 1, seed: 1 })).toThrow(RangeError);
    expect(() => createMultiStart({ kind: 'CMAES', means: [[0, 0], [0]], sigma: 1, seed: 1 })).toThrow(RangeError);
    expect(() => createMultiStart({ kind: 'CMAES', means: [[0, 0]], sigma: 1, seed: 0.5 })).toThrow(RangeError);
    const good = createMultiStart({ kind: 'CMAES', means: [[0, 0], [1, 1]], sigma: 1, seed: 1 }).snapshot();
    expect(() => restoreOptimizer({ ...good, members: [] })).toThrow(RangeError);
    expect(() => restoreOptimizer({ ...good, pending: true })).toThrow('pending');
    expect(() => restoreOptimizer({ ...good, members: [good.members[0], { ...good.members[1], sigma: NaN }] })).toThrow(RangeError);
    expect(() => restoreOptimizer(good, () => 0)).toThrow('do not pass');
  });
});
