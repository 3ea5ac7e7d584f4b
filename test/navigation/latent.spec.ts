import { interpolationPath, lerp, slerp, tGrid } from '../../src/navigation/latent';
import { presetObjective } from '../../src/navigation/objective';
import { applyTransform } from '../../src/scoring/transforms';

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('latent paths', () => {
  const a = Float32Array.from([1, 0, 0, 0]);
  const b = Float32Array.from([0, 2, 0, 0]);

  it('hits both endpoints at t = 0 and t = 1', () => {
    for (const f of [lerp, slerp]) {
      expect(Array.from(f(a, b, 0))).toEqual(Array.from(a));
      Array.from(f(a, b, 1)).forEach((v, i) => expect(v).toBeCloseTo(b[i], 6));
    }
  });

  it('slerp keeps the norm between the endpoint norms where lerp cuts through the middle', () => {
    const u = Float32Array.from([3, 0]);
    const v = Float32Array.from([0, 3]);
    expect(norm(slerp(u, v, 0.5))).toBeCloseTo(3, 5);
    expect(norm(lerp(u, v, 0.5))).toBeCloseTo(3 / Math.SQRT2, 5);
  });

  it('falls back to lerp for parallel vectors and builds a [steps + 1, dim] path', () => {
    const c = Float32Array.from([2, 0, 0, 0]);
    expect(Array.from(slerp(a, c, 0.5))).toEqual(Array.from(lerp(a, c, 0.5)));
    expect(tGrid(4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const path = interpolationPath(a, b, tGrid(4), 'SLERP');
    expect(path.length).toBe(5 * 4);
    expect(Array.from(path.subarray(0, 4))).toEqual(Array.from(a));
  });
});

describe('preset objectives', () => {
  it('map QED, plogP, SA and a cLogP target to monotone scoring-language objectives', () => {
    expect(presetObjective('QED').components).toEqual([{ kind: 'QED' }]);
    const plogp = presetObjective('PLOGP').components[0];
    const sa = presetObjective('SA').components[0];
    const target = presetObjective('CLOGP_TARGET', 2).components[0];
    // strictly increasing in plogP, decreasing in SA, peaked at the cLogP target
    const f = (c: typeof plogp, x: number) => applyTransform(c.transform!, x);
    expect(f(plogp, -5)).toBeLessThan(f(plogp, 0));
    expect(f(plogp, 0)).toBeCloseTo(0.5, 12);
    expect(f(plogp, 0)).toBeLessThan(f(plogp, 8));
    expect(f(sa, 2)).toBeGreaterThan(f(sa, 6));
    expect(f(target, 2)).toBe(1);
    expect(f(target, 3.2)).toBeCloseTo(Math.exp(-0.5 * 1.2 ** 2), 12);
    expect(() => presetObjective('CLOGP_TARGET')).toThrow(RangeError);
  });
});
