/**
 * traverse on the shipped model with the real RDKit. The mechanics are checked along a synthetic (seeded random)
 * direction, so these tests do not depend on directions.json; whether the shipped directions move their property is
 * asserted end to end in test/e2e/navigation.e2e.spec.ts.
 */
import { BadUserInputError } from '../../src/common/errors';
import { ChemService } from '../../src/chem/chem.service';
import { ModelService } from '../../src/model/model.service';
import { GREEDY } from '../../src/navigation/decoding-choice';
import { averageRanks, checkTraverseOptions, propertyValue, spearman, traverse, TraverseOptions } from '../../src/navigation/traverse';
import { HAVE_MODEL, loadServices, MODEL_DIR, randomDirection } from './helpers';

function options(over: Partial<TraverseOptions> = {}): TraverseOptions {
  return { distance: 3, steps: 6, minSteps: 2, maxSteps: 50, maxDistance: 10, decoding: GREEDY, seed: 0, ...over };
}

describe('Spearman rank correlation', () => {
  it('gives average ranks to ties', () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
  });

  it('is 1 for any increasing relation, -1 for a decreasing one, and handles ties', () => {
    expect(spearman([0, 1, 2, 3], [1, 10, 100, 1000])).toBeCloseTo(1, 12);
    expect(spearman([0, 1, 2, 3], [5, 4, 3, -10])).toBeCloseTo(-1, 12);
    // ranks x 1..4, y 1, 2.5, 2.5, 4: Pearson of ranks = 4.5 / sqrt(5 * 4.5)
    expect(spearman([0, 1, 2, 3], [1, 2, 2, 3])).toBeCloseTo(4.5 / Math.sqrt(5 * 4.5), 12);
  });

  it('is null for fewer than 3 pairs or a constant side', () => {
    expect(spearman([0, 1], [1, 2])).toBeNull();
    expect(spearman([0, 1, 2], [7, 7, 7])).toBeNull();
    expect(() => spearman([0, 1, 2], [1, 2])).toThrow(RangeError);
  });
});

describe('checkTraverseOptions', () => {
  const bad: [string, Partial<TraverseOptions>][] = [
    ['distance 0', { distance: 0 }],
    ['NaN distance', { distance: NaN }],
    ['infinite distance', { distance: -Infinity }],
    ['distance over the cap', { distance: 10.5 }],
    ['negative distance over the cap', { distance: -11 }],
    ['steps 1', { steps: 1 }],
    ['steps over the cap', { steps: 51 }],
    ['fractional steps', { steps: 2.5 }],
    ['temperature below 0', { decoding: { strategy: 'sample', temperature: -1 } }],
  ];
  it.each(bad)('refuses %s with BadUserInputError', (_what, over) => {
    expect(() => checkTraverseOptions(options(over))).toThrow(BadUserInputError);
  });

  it('accepts negative distances and the caps themselves', () => {
    expect(() => checkTraverseOptions(options({ distance: -10, steps: 50 }))).not.toThrow();
    expect(() => checkTraverseOptions(options({ distance: 10, steps: 2 }))).not.toThrow();
  });
});

describe('propertyValue', () => {
  it('reads a numeric property by key, null otherwise', () => {
    const p = { mw: 180.16, clogp: 1.31, tpsa: 63.6, hbd: 1, hba: 3, rotatableBonds: 2, heavyAtoms: 13, aromaticRings: 1, qed: 0.55, sa: 1.58, plogp: -1.7 };
    expect(propertyValue(p, 'tpsa')).toBe(63.6);
    expect(propertyValue(p, 'hbd')).toBe(1);
    expect(propertyValue(p, 'colour')).toBeNull();
    expect(propertyValue(p, 'constructor')).toBeNull();
  });
});

(HAVE_MODEL ? describe : describe.skip)(`traverse on the shipped model (${MODEL_DIR})`, () => {
  let chem: ChemService;
  let model: ModelService;
  let close: () => Promise<void>;
  beforeAll(async () => ({ chem, model, close } = await loadServices()));
  afterAll(async () => close());

  it('decodes steps + 1 points at offsets t x distance, each valid one described and compared to the start', async () => {
    const start = chem.resolve('ibuprofen');
    const direction = randomDirection('tpsa', model.latentDim, 1, 12.5);
    const o = await traverse(chem, model, start, direction, options({ distance: 3, steps: 6 }));
    expect(o.points).toHaveLength(7);
    expect(o.decodes).toBe(7);
    expect(o.startValue).toBe(start.properties.tpsa);
    const startFp = chem.fingerprint(start.canonicalSmiles);
    const seen = new Set<string>();
    o.points.forEach((p, i) => {
      expect(p.index).toBe(i);
      expect(p.t).toBeCloseTo(i / 6, 12);
      expect(p.offset).toBeCloseTo((i / 6) * 3, 12);
      expect(p.predicted).toBeCloseTo(start.properties.tpsa + 12.5 * p.offset, 9);
      if (p.canonicalSmiles === null) {
        expect(p.reason).toMatch(/is not a valid molecule/);
        expect([p.value, p.tanimotoToStart, p.distinct]).toEqual([null, null, false]);
        return;
      }
      expect(chem.canonical(p.canonicalSmiles)).toBe(p.canonicalSmiles);
      expect(p.properties).toEqual(chem.describe(p.canonicalSmiles).properties);
      expect(p.value).toBe(p.properties!.tpsa);
      expect(p.tanimotoToStart).toBeCloseTo(chem.tanimoto(chem.fingerprint(p.canonicalSmiles), startFp), 12);
      expect(p.distinct).toBe(!seen.has(p.canonicalSmiles));
      seen.add(p.canonicalSmiles);
    });
    expect(o.validPoints).toBe(o.points.filter((p) => p.canonicalSmiles !== null).length);
    expect(o.validPoints).toBeGreaterThan(0);
    const used = o.points.filter((p) => p.distinct);
    expect(o.distinctValidPoints).toBe(used.length);
    expect(o.spearman).toBe(spearman(used.map((p) => p.offset), used.map((p) => p.value!)));
  });

  it('starts at the greedy decode of the start molecule\'s latent mean', async () => {
    const start = chem.resolve('aspirin');
    const o = await traverse(chem, model, start, randomDirection('clogp', model.latentDim, 2), options());
    const { mu } = await model.encode([start.canonicalSmiles]);
    const [decoded] = await model.decode(mu, 1, { strategy: 'greedy' });
    expect(o.points[0].canonicalSmiles).toBe(chem.canonical(decoded));
  });

  it('walks backwards for a negative distance: offsets and predictions fall', async () => {
    const start = chem.resolve('ibuprofen');
    const o = await traverse(chem, model, start, randomDirection('mw', model.latentDim, 3, 20), options({ distance: -4, steps: 4 }));
    expect(o.points.map((p) => p.offset)).toEqual([0, -1, -2, -3, -4]);
    expect(o.points.map((p) => p.predicted)).toEqual([0, 1, 2, 3, 4].map((i) => start.properties.mw - 20 * i));
  });

  it('reports monotonic = whether the property never moves against the predicted direction', async () => {
    const start = chem.resolve('imatinib');
    const o = await traverse(chem, model, start, randomDirection('qed', model.latentDim, 4, 0.1), options({ distance: 6, steps: 10 }));
    const vals = o.points.filter((p) => p.distinct).map((p) => p.value!);
    const expected = vals.length < 2 ? null : vals.every((v, k) => k === 0 || v >= vals[k - 1]);
    expect(o.monotonic).toBe(expected);
  });

  it('is reproducible for sampled decoding with a seed', async () => {
    const start = chem.resolve('celecoxib');
    const d = randomDirection('sa', model.latentDim, 5);
    const opts = options({ decoding: { strategy: 'sample', temperature: 0.9, topK: 10 }, seed: 11 });
    const a = await traverse(chem, model, start, d, opts);
    expect(await traverse(chem, model, start, d, opts)).toEqual(a);
  });

  it('refuses a direction whose key is not a molecular property, and bad options', async () => {
    const start = chem.resolve('aspirin');
    await expect(traverse(chem, model, start, randomDirection('colour', model.latentDim, 6), options())).rejects.toBeInstanceOf(BadUserInputError);
    await expect(traverse(chem, model, start, randomDirection('tpsa', model.latentDim, 6), options({ distance: NaN }))).rejects.toBeInstanceOf(BadUserInputError);
  });
});
