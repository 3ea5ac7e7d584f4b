import { interpolationPath, lerp, slerp, tGrid } from '../../src/navigation/latent';
import { fitness, objectiveScore } from '../../src/navigation/objective';

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

describe('objectives', () => {
  const props = { mw: 300, clogp: 3.2, tpsa: 60, hbd: 1, hba: 4, rotatableBonds: 3, heavyAtoms: 22, aromaticRings: 2, qed: 0.8, sa: 2.5, plogp: 0.4 };

  it('scores QED, plogP, SA (negated) and a cLogP target', () => {
    expect(objectiveScore({ kind: 'QED' }, props)).toBe(0.8);
    expect(objectiveScore({ kind: 'PLOGP' }, props)).toBe(0.4);
    expect(objectiveScore({ kind: 'SA' }, props)).toBe(-2.5);
    expect(objectiveScore({ kind: 'CLOGP_TARGET', target: 2 }, props)).toBeCloseTo(-1.2, 10);
    expect(() => objectiveScore({ kind: 'CLOGP_TARGET' }, props)).toThrow(RangeError);
  });

  it('penalises similarity below the minimum and nothing above it', () => {
    expect(fitness(0.8, 0.5, 0.4)).toBeCloseTo(-0.8, 10);
    expect(fitness(0.8, 0.3, 0.4)).toBeCloseTo(-0.8 + 1, 10);
  });
});
