import { Rng } from '../../src/model/rng';
import { SepCmaEs } from '../../src/optim/sep-cmaes';

/** Runs sep-CMA-ES on f from x0 until f < target or the evaluation budget is spent; returns evaluations used. */
function minimise(f: (x: Float64Array) => number, x0: number[], sigma: number, budget: number, target: number, seed = 1) {
  const rng = new Rng(seed);
  const es = new SepCmaEs({ mean: x0, sigma, normal: () => rng.normal() });
  let evals = 0;
  let best = Infinity;
  while (evals < budget && best >= target) {
    const xs = es.ask();
    const fs = xs.map(f);
    evals += xs.length;
    best = Math.min(best, ...fs);
    es.tell(fs);
  }
  return { evals, best, es };
}

const sphere = (x: Float64Array) => x.reduce((s, v) => s + v * v, 0);
/** Axis-parallel ellipsoid with condition number 1e6: separable, the case sep-CMA-ES is built for. */
const ellipsoid = (x: Float64Array) => x.reduce((s, v, i) => s + 10 ** ((6 * i) / (x.length - 1)) * v * v, 0);
const rosenbrock = (x: Float64Array) => {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
  return s;
};

describe('SepCmaEs', () => {
  it('uses the default population size 4 + floor(3 ln n)', () => {
    const es = new SepCmaEs({ mean: new Array(128).fill(0), sigma: 1, normal: () => 0 });
    expect(es.lambda).toBe(18);
    expect(es.mu).toBe(9);
  });

  it('solves the 10-D sphere to 1e-8', () => {
    const { best, evals } = minimise(sphere, new Array(10).fill(3), 2, 20000, 1e-8);
    expect(best).toBeLessThan(1e-8);
    expect(evals).toBeLessThan(6000);
  });

  it('learns the scaling of a separable ill-conditioned ellipsoid (10-D, condition 1e6)', () => {
    const { best, es } = minimise(ellipsoid, new Array(10).fill(1), 1, 40000, 1e-8);
    expect(best).toBeLessThan(1e-8);
    expect(es.sigma).toBeLessThan(1);
  });

  it('solves 5-D Rosenbrock from the origin (non-separable: slower than full CMA-ES, as Ros & Hansen report)', () => {
    const { best } = minimise(rosenbrock, new Array(5).fill(0), 0.5, 100000, 1e-6, 3);
    expect(best).toBeLessThan(1e-6);
  });

  it('is reproducible from a seed and differs across seeds', () => {
    const a = minimise(sphere, [1, 2, 3], 1, 300, -1, 42).es.getMean();
    const b = minimise(sphere, [1, 2, 3], 1, 300, -1, 42).es.getMean();
    const c = minimise(sphere, [1, 2, 3], 1, 300, -1, 43).es.getMean();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('treats Infinity fitness as worst and rejects misuse', () => {
    const rng = new Rng(5);
    const es = new SepCmaEs({ mean: [0, 0], sigma: 1, normal: () => rng.normal() });
    expect(() => es.tell([1, 2])).toThrow('before ask');
    const xs = es.ask();
    expect(() => es.tell([1])).toThrow(`expected ${es.lambda}`);
    expect(() => es.tell(xs.map(() => NaN))).toThrow(RangeError);
    es.ask();
    // Only the first point is finite: the mean must move towards it.
    const pts = es.ask();
    es.tell(pts.map((_, i) => (i === 0 ? 0 : Infinity)));
    expect(es.generation).toBe(1);
    expect(() => new SepCmaEs({ mean: [0], sigma: 0, normal: () => 0 })).toThrow(RangeError);
  });
});
