import { CmaEs, restoreOptimizer, SerializableRng } from '../../src/optim/ask-tell';
import { ellipsoid, fill, minimise, rastrigin, rosenbrock, sameBits, sphere } from './benchmarks';

const cma = (mean: number[], sigma: number, seed: number, extra: Partial<ConstructorParameters<typeof CmaEs>[0]> = {}) =>
  new CmaEs({ mean, sigma, normal: new SerializableRng(seed), ...extra });

describe('CmaEs (full covariance, Hansen tutorial defaults)', () => {
  it('uses the tutorial default parameters (n = 10: lambda 10, mu 5, mueff ~ 3.17; n = 128: lambda 18)', () => {
    const es = cma(fill(10, 0), 1, 1);
    expect(es.lambda).toBe(10);
    expect(es.mu).toBe(5);
    expect(es.mueff).toBeCloseTo(3.1672, 3);
    const n = 10;
    const m = es.mueff;
    expect(es.c1).toBeCloseTo(2 / ((n + 1.3) ** 2 + m), 12);
    expect(es.cmu).toBeCloseTo((2 * (m - 2 + 1 / m)) / ((n + 2) ** 2 + m), 12);
    expect(es.cs).toBeCloseTo((m + 2) / (n + m + 5), 12);
    expect(es.cc).toBeCloseTo((4 + m / n) / (n + 4 + (2 * m) / n), 12);
    expect(es.damps).toBeCloseTo(1 + es.cs, 12); // sqrt((mueff - 1)/(n + 1)) < 1
    const w = Array.from(es.weights);
    expect(w.slice(0, 5).reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    expect(w.slice(0, 5).every((x, i) => x > 0 && (i === 0 || x < w[i - 1]))).toBe(true);
    // negative weights sum to -min(alpha_mu^-, alpha_mueff^-, alpha_posdef^-)
    const neg = w.slice(5);
    expect(neg.every((x) => x < 0)).toBe(true);
    const wp = Array.from({ length: 10 }, (_, i) => Math.log(5.5) - Math.log(i + 1)).slice(5);
    const mMinus = wp.reduce((a, b) => a + b) ** 2 / wp.reduce((a, b) => a + b * b, 0);
    const alpha = Math.min(1 + es.c1 / es.cmu, 1 + (2 * mMinus) / (m + 2), (1 - es.c1 - es.cmu) / (n * es.cmu));
    expect(neg.reduce((a, b) => a + b)).toBeCloseTo(-alpha, 12);
    expect(cma(fill(10, 0), 1, 1, { activeCovariance: false }).weights.slice(5).every((x) => x === 0)).toBe(true);
    const big = cma(fill(128, 0), 1, 1);
    expect(big.lambda).toBe(18);
    expect(big.batchSize).toBe(18);
    expect(big.ask()).toHaveLength(18);
  });

  // Budgets: the runs below take about 1.4-1.6e3 (sphere), 4.0-4.3e3 (ellipsoid) and 4.5-6.0e3 (Rosenbrock)
  // evaluations over seeds 1-5, in line with the numbers reported for default CMA-ES at n = 10 (Hansen &
  // Ostermeier, Evol. Comput. 9(2), 2001; Hansen's tutorial); the limits leave a ~1.5x margin.
  it('solves the 10-D sphere to 1e-8 within 2500 evaluations', () => {
    const { best, evals } = minimise(cma(fill(10, 3), 2, 1), sphere, 2500, 1e-8);
    expect(best).toBeLessThan(1e-8);
    expect(evals).toBeLessThanOrEqual(2500);
  });

  it('solves the 10-D ellipsoid (condition 1e6) to 1e-8 within 6500 evaluations', () => {
    const { best } = minimise(cma(fill(10, 1), 1, 2), ellipsoid, 6500, 1e-8);
    expect(best).toBeLessThan(1e-8);
  });

  it('solves the rotated (non-separable) 10-D ellipsoid as fast as the axis-parallel one', () => {
    // Rotation invariance: f(Rx) with a fixed orthogonal R; sep-CMA-ES could not learn this covariance.
    const n = 10;
    const rng = new SerializableRng(77);
    const q: number[][] = [];
    for (let k = 0; k < n; k++) {
      const v = Array.from({ length: n }, () => rng.normal());
      for (const u of q) {
        const d = u.reduce((s, ui, i) => s + ui * v[i], 0);
        for (let i = 0; i < n; i++) v[i] -= d * u[i];
      }
      const norm = Math.hypot(...v);
      q.push(v.map((x) => x / norm));
    }
    const rotated = (x: Float64Array) => ellipsoid(Float64Array.from(q, (row) => row.reduce((s, r, i) => s + r * x[i], 0)));
    const { best } = minimise(cma(fill(n, 1), 1, 3), rotated, 6500, 1e-8);
    expect(best).toBeLessThan(1e-8);
  });

  it('solves 10-D Rosenbrock from the origin to 1e-8 within 9000 evaluations', () => {
    const { best } = minimise(cma(fill(10, 0), 0.5, 3), rosenbrock, 9000, 1e-8);
    expect(best).toBeLessThan(1e-8);
  });

  it('solves the 30-D sphere to 1e-8 within 6500 evaluations', () => {
    const { best } = minimise(cma(fill(30, 3), 2, 4), sphere, 6500, 1e-8);
    expect(best).toBeLessThan(1e-8);
  });

  it('makes progress on Rastrigin (10-D with a large population; 30-D with the default)', () => {
    const start10 = rastrigin(new Float64Array(10).fill(3));
    expect(minimise(cma(fill(10, 3), 2, 1, { lambda: 100 }), rastrigin, 20000).best).toBeLessThan(3); // global optimum region
    expect(minimise(cma(fill(30, 3), 2, 1), rastrigin, 5000).best).toBeLessThan(0.5 * 3 * start10);
  });

  it('keeps working when points fail (+Infinity): a 30% failure rate and an infeasible half-space', () => {
    const fail = new SerializableRng(123);
    const flaky = (x: Float64Array) => (fail.nextFloat() < 0.3 ? Infinity : sphere(x));
    const r1 = minimise(cma(fill(10, 3), 2, 5), flaky, 6000, 1e-8);
    expect(r1.best).toBeLessThan(1e-8);
    const halfSpace = (x: Float64Array) => (x[0] < -0.5 ? Infinity : sphere(x));
    const r2 = minimise(cma(fill(10, -3), 0.5, 6, { mean: [0.2, ...fill(9, 3)] }), halfSpace, 6000, 1e-8);
    expect(r2.best).toBeLessThan(1e-8);
  });

  it('stays finite when a whole generation fails or only one point succeeds', () => {
    const es = cma(fill(5, 1), 1, 7);
    for (let g = 0; g < 20; g++) {
      const xs = es.ask();
      es.tell(xs.map((x, k) => (g % 2 === 0 ? Infinity : k === 0 ? sphere(x) : Infinity)));
    }
    const s = es.snapshot();
    expect([...s.mean, ...s.C, ...s.D, s.sigma].every(Number.isFinite)).toBe(true);
    expect(es.sigma).toBeGreaterThan(0);
  });

  it('is reproducible from a seed and differs across seeds', () => {
    const run = (seed: number) => {
      const es = cma([1, 2, 3, 4], 1, seed);
      minimise(es, rosenbrock, 400);
      return Array.from(es.getMean());
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  it('continues bit for bit after a JSON snapshot/restore, between ask and tell or after tell', () => {
    const a = cma(fill(8, 1), 0.7, 21);
    minimise(a, rosenbrock, 8 * 11); // several generations: C and B have moved away from I
    const pendingX = a.ask();
    const mid = JSON.parse(JSON.stringify(a.snapshot()));
    expect(mid.pending).not.toBeNull();
    const b = restoreOptimizer(mid);
    expect(b.name).toBe('CMAES');
    expect(b.awaitingTell).toBe(true);
    const f = pendingX.map(rosenbrock);
    a.tell(f);
    b.tell(f);
    let c: ReturnType<typeof restoreOptimizer> | null = null;
    for (let g = 0; g < 12; g++) {
      const xa = a.ask();
      expect(sameBits(xa, b.ask())).toBe(true);
      if (c) expect(sameBits(xa, c.ask())).toBe(true);
      const fs = xa.map(rosenbrock);
      a.tell(fs);
      b.tell(fs);
      c?.tell(fs);
      if (g === 5) c = restoreOptimizer(JSON.parse(JSON.stringify(a.snapshot()))); // after tell
    }
    expect(b.snapshot()).toEqual(a.snapshot());
  });

  it('needs a sampler to restore a state made with a plain function, and refuses one for self-contained states', () => {
    const plain = new CmaEs({ mean: [0, 0, 0], sigma: 1, normal: () => 0.5 });
    const st = plain.snapshot();
    expect(st.rng).toBeNull();
    expect(() => restoreOptimizer(st)).toThrow('pass a normal sampler');
    expect(restoreOptimizer(st, () => 0.5).ask()).toHaveLength(plain.lambda);
    expect(() => restoreOptimizer(cma([0, 0], 1, 1).snapshot(), () => 0)).toThrow('do not pass');
  });

  it('rejects misuse of tell() and invalid options or states', () => {
    const es = cma([0, 0, 0], 1, 1);
    expect(() => es.tell([1, 2])).toThrow('before ask');
    const xs = es.ask();
    expect(() => es.tell([1])).toThrow(`expected ${es.lambda}`);
    expect(() => es.tell(xs.map(() => NaN))).toThrow(RangeError);
    expect(() => es.tell(xs.map((_, k) => (k === 0 ? -Infinity : 1)))).toThrow(RangeError);
    es.tell(xs.map(sphere)); // the failed calls changed nothing
    expect(es.generation).toBe(1);
    for (const bad of [{ sigma: 0 }, { sigma: NaN }, { sigma: Infinity }, { lambda: 1 }, { lambda: 3.5 }, { mu: 0 }, { mu: 7, lambda: 6 }, { mean: [] }, { mean: [0, NaN] }]) {
      expect(() => new CmaEs({ mean: [0, 0], sigma: 1, normal: () => 0, ...bad })).toThrow(RangeError);
    }
    const good = cma([0, 0], 1, 1).snapshot();
    const broken: unknown[] = [
      { ...good, kind: 'NOPE' },
      { ...good, version: 2 },
      { ...good, sigma: -1 },
      { ...good, C: good.C.slice(1) },
      { ...good, C: [1, 0.5, 0, 1] },
      { ...good, D: [1, 0] },
      { ...good, ps: [0, null] },
      { ...good, generation: 1.5 },
      { ...good, pending: [[0, 0]] },
      { ...good, rng: { ...good.rng, s: [0, 0, 0, 0] } },
      'not a state',
    ];
    for (const b of broken) expect(() => restoreOptimizer(b)).toThrow(RangeError);
  });
});
