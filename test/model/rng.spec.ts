import { randomSeed, Rng } from '../../src/model/rng';

describe('Rng (xoshiro128**)', () => {
  it('matches the C reference (fixtures/xoshiro128ss_reference.c) bit for bit', () => {
    const expected: Record<number, number[]> = {
      42: [2837322924, 544945897, 479756282, 3500138142, 339756180, 113173290, 65323186, 1112262688],
      0: [3809008728, 1133695204, 53579671, 2891528803, 139681546, 2203266335, 104831812, 1587294886],
      4294967295: [835879718, 1921286648, 2356205009, 1885780724, 980451116, 1053911718, 3677392737, 2464361898],
    };
    for (const [seed, values] of Object.entries(expected)) {
      const rng = new Rng(Number(seed));
      expect(values.map(() => rng.nextUint32())).toEqual(values);
    }
  });

  it('replays the same stream from the same seed', () => {
    const a = new Rng(1234);
    const b = new Rng(1234);
    const draw = (r: Rng) => [r.nextUint32(), r.nextFloat(), r.normal(), r.normal(), r.normal(2, 3)];
    for (let i = 0; i < 100; i++) expect(draw(a)).toEqual(draw(b));
    expect(a.fillNormal(new Float32Array(64))).toEqual(b.fillNormal(new Float32Array(64)));
  });

  it('gives different streams for nearby seeds', () => {
    const xs = [0, 1, 2, 3].map((s) => new Rng(s).nextUint32());
    expect(new Set(xs).size).toBe(4);
  });

  it('reduces seeds mod 2^32 and refuses non-integers', () => {
    expect(new Rng(2 ** 32 + 5).nextUint32()).toBe(new Rng(5).nextUint32());
    expect(new Rng(-1).nextUint32()).toBe(new Rng(2 ** 32 - 1).nextUint32());
    expect(() => new Rng(1.5)).toThrow(RangeError);
    expect(() => new Rng(Number.NaN)).toThrow(RangeError);
  });

  it('nextFloat is uniform on [0, 1)', () => {
    const rng = new Rng(7);
    const n = 100_000;
    const bins = new Array<number>(10).fill(0);
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.nextFloat();
      min = Math.min(min, u);
      max = Math.max(max, u);
      bins[Math.floor(u * 10)]++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // chi-square with 9 degrees of freedom; 27.9 is the 0.999 quantile
    const chi2 = bins.reduce((s, b) => s + (b - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9);
  });

  it('normal() has mean 0, variance 1 and normal tails', () => {
    const rng = new Rng(99);
    const x = rng.fillNormal(new Float64Array(200_000));
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
    const beyond2 = x.filter((v) => Math.abs(v) > 2).length / x.length; // 0.0455 for N(0, 1)
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    expect(Math.abs(beyond2 - 0.0455)).toBeLessThan(0.003);
    expect(x.every(Number.isFinite)).toBe(true);
    const shifted = new Rng(99).normal(5, 0.001);
    expect(shifted).toBeCloseTo(5, 1);
  });

  it('randomSeed() gives uint32 seeds', () => {
    for (let i = 0; i < 20; i++) {
      const s = randomSeed();
      expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
    }
  });
});
