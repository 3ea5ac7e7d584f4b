/**
 * sampleNeighbours on the shipped model with the real RDKit: approved drugs by name, real decodes. The radius
 * adaptation rule is also checked exactly against a scripted model.
 */
import { BadUserInputError } from '../../src/common/errors';
import { ChemService } from '../../src/chem/chem.service';
import { ModelService } from '../../src/model/model.service';
import { Rng } from '../../src/model/rng';
import { DecodingChoice, GREEDY } from '../../src/navigation/decoding-choice';
import {
  checkNeighbourOptions, DEFAULT_NEIGHBOUR_RADIUS, MIN_ROUND_ROWS, NeighbourOptions, RADIUS_ADAPT_FACTOR, sampleNeighbours,
} from '../../src/navigation/neighbours';
import type { ModelPort } from '../../src/navigation/ports';
import { HAVE_MODEL, loadServices, MODEL_DIR } from './helpers';

function options(over: Partial<NeighbourOptions> = {}): NeighbourOptions {
  const count = over.count ?? 10;
  return { count, radius: DEFAULT_NEIGHBOUR_RADIUS, maxRadius: 5, decoding: GREEDY, seed: 0, maxDecodes: 20 * count, ...over };
}

describe('checkNeighbourOptions', () => {
  const bad: [string, Partial<NeighbourOptions>][] = [
    ['count 0', { count: 0 }],
    ['fractional count', { count: 2.5 }],
    ['radius 0', { radius: 0 }],
    ['negative radius', { radius: -0.5 }],
    ['NaN radius', { radius: NaN }],
    ['infinite radius', { radius: Infinity }],
    ['radius over maxRadius', { radius: 6 }],
    ['minTanimoto below 0', { minTanimoto: -0.1 }],
    ['maxTanimoto above 1', { maxTanimoto: 1.5 }],
    ['NaN minTanimoto', { minTanimoto: NaN }],
    ['band with min > max', { minTanimoto: 0.6, maxTanimoto: 0.4 }],
    ['temperature 0', { decoding: { strategy: 'sample', temperature: 0 } }],
    ['infinite temperature', { decoding: { strategy: 'sample', temperature: Infinity } }],
    ['topK 0', { decoding: { strategy: 'sample', topK: 0 } }],
    ['maxDecodes 0', { maxDecodes: 0 }],
  ];
  it.each(bad)('refuses %s with BadUserInputError (BAD_USER_INPUT)', (_what, over) => {
    expect(() => checkNeighbourOptions(options(over))).toThrow(BadUserInputError);
    try {
      checkNeighbourOptions(options(over));
    } catch (e) {
      expect((e as BadUserInputError).code).toBe('BAD_USER_INPUT');
    }
  });

  it('accepts a band of one value and the defaults', () => {
    expect(() => checkNeighbourOptions(options({ minTanimoto: 0.4, maxTanimoto: 0.4 }))).not.toThrow();
    expect(() => checkNeighbourOptions(options())).not.toThrow();
  });
});

describe('radius adaptation (scripted model)', () => {
  /** A model whose every decode is taken in turn from `script`, on a real RDKit. */
  function scripted(script: string[]): ModelPort {
    let k = 0;
    return {
      latentDim: 2,
      modelVersion: 'scripted',
      directions: null,
      encode: async () => ({ mu: new Float32Array([0, 0]), logvar: new Float32Array([0, 0]) }),
      decode: async (_z: Float32Array, batch: number) => Array.from({ length: batch }, () => script[k++ % script.length]),
      decodeBeams: async () => {
        throw new Error('the scripted model decodes greedily only');
      },
    };
  }
  let chem: ChemService;
  beforeAll(async () => (chem = await new ChemService().init()));
  afterAll(() => chem.onModuleDestroy());

  it('shrinks by the factor after rounds whose rejections are mostly too far, and reports the final radius', async () => {
    // Query benzoic acid; decodes are unrelated molecules (Tanimoto ~0), each seen once: all too far for min 0.9.
    const far = Array.from({ length: 200 }, (_, i) => 'C'.repeat(i + 1) + 'N');
    const query = chem.resolve('OC(=O)c1ccccc1');
    const rng = new Rng(0);
    const o = await sampleNeighbours(chem, scripted(far), query, options({ count: 2, radius: 1, minTanimoto: 0.9, maxDecodes: 3 * MIN_ROUND_ROWS }), () => rng.normal());
    expect(o).toMatchObject({ found: 0, complete: false, rounds: 3, decodes: 3 * MIN_ROUND_ROWS, outsideBand: 3 * MIN_ROUND_ROWS });
    expect(o.finalRadius).toBeCloseTo(1 / RADIUS_ADAPT_FACTOR ** 3, 12);
    expect(o.message).toMatch(/found 0 of 2 neighbours within the budget of 48 decodes/);
  });

  it('grows when the decodes are mostly the query itself, up to maxRadius', async () => {
    const query = chem.resolve('OC(=O)c1ccccc1');
    const rng = new Rng(0);
    const o = await sampleNeighbours(chem, scripted([query.canonicalSmiles]), query,
      options({ count: 1, radius: 2, maxRadius: 4, maxTanimoto: 0.8, maxDecodes: 4 * MIN_ROUND_ROWS }), () => rng.normal());
    expect(o).toMatchObject({ found: 0, identicalToQuery: 4 * MIN_ROUND_ROWS, rounds: 4, finalRadius: 4 });
  });

  it('keeps the radius without a band', async () => {
    const query = chem.resolve('OC(=O)c1ccccc1');
    const rng = new Rng(0);
    const o = await sampleNeighbours(chem, scripted([query.canonicalSmiles]), query, options({ count: 1, radius: 2, maxDecodes: 32 }), () => rng.normal());
    expect(o.finalRadius).toBe(2);
  });
});

(HAVE_MODEL ? describe : describe.skip)(`sampleNeighbours on the shipped model (${MODEL_DIR})`, () => {
  let chem: ChemService;
  let model: ModelService;
  let close: () => Promise<void>;
  beforeAll(async () => ({ chem, model, close } = await loadServices()));
  afterAll(async () => close());

  async function run(drug: string, over: Partial<NeighbourOptions> = {}) {
    const query = chem.resolve(drug);
    const opts = options(over);
    const rng = new Rng(opts.seed);
    return { query, outcome: await sampleNeighbours(chem, model, query, opts, () => rng.normal()) };
  }

  it('finds 20 distinct valid canonical neighbours of celecoxib, none the query, ordered by Tanimoto', async () => {
    const { query, outcome: o } = await run('celecoxib', { count: 20, seed: 1 });
    expect(o).toMatchObject({ requested: 20, found: 20, complete: true, message: null, outsideBand: 0 });
    const smiles = o.neighbours.map((n) => n.canonicalSmiles);
    expect(new Set(smiles).size).toBe(20);
    expect(smiles).not.toContain(query.canonicalSmiles);
    const queryFp = chem.fingerprint(query.canonicalSmiles);
    for (const n of o.neighbours) {
      expect(chem.canonical(n.canonicalSmiles)).toBe(n.canonicalSmiles);
      expect(n.tanimoto).toBeCloseTo(chem.tanimoto(chem.fingerprint(n.canonicalSmiles), queryFp), 12);
      expect(n.tanimoto).toBeLessThan(1);
      expect(n.properties).toEqual(chem.describe(n.canonicalSmiles).properties);
    }
    const ts = o.neighbours.map((n) => n.tanimoto);
    expect(ts).toEqual([...ts].sort((a, b) => b - a));
    expect(o.decodes).toBeGreaterThanOrEqual(o.invalidDecodes + o.identicalToQuery + o.duplicates + o.found);
    expect(o.decodes).toBeLessThanOrEqual(400);
    expect(o.finalRadius).toBe(DEFAULT_NEIGHBOUR_RADIUS);
  });

  it('is reproducible: same seed, same neighbours; another seed, other neighbours', async () => {
    const a = await run('ibuprofen', { count: 8, seed: 5 });
    const b = await run('ibuprofen', { count: 8, seed: 5 });
    const c = await run('ibuprofen', { count: 8, seed: 6 });
    expect(b.outcome).toEqual(a.outcome);
    expect(c.outcome.neighbours.map((n) => n.canonicalSmiles)).not.toEqual(a.outcome.neighbours.map((n) => n.canonicalSmiles));
  });

  it('samples with temperature and top-k, reproducibly', async () => {
    const decoding: DecodingChoice = { strategy: 'sample', temperature: 0.8, topK: 5 };
    const a = await run('aspirin', { count: 6, seed: 2, decoding });
    const b = await run('aspirin', { count: 6, seed: 2, decoding });
    expect(a.outcome.found).toBe(6);
    expect(b.outcome.neighbours).toEqual(a.outcome.neighbours);
    const greedy = await run('aspirin', { count: 6, seed: 2 });
    expect(greedy.outcome.neighbours.map((n) => n.canonicalSmiles)).not.toEqual(a.outcome.neighbours.map((n) => n.canonicalSmiles));
  });

  it('respects a Tanimoto band, counting the molecules it rejects', async () => {
    for (const drug of ['aspirin', 'imatinib']) {
      const { outcome: o } = await run(drug, { count: 8, minTanimoto: 0.3, maxTanimoto: 0.6, seed: 3 });
      expect(o.found).toBeGreaterThan(0);
      for (const n of o.neighbours) {
        expect(n.tanimoto).toBeGreaterThanOrEqual(0.3);
        expect(n.tanimoto).toBeLessThanOrEqual(0.6);
      }
      expect(o.decodes).toBeGreaterThanOrEqual(o.invalidDecodes + o.identicalToQuery + o.duplicates + o.outsideBand + o.found);
    }
  });

  it('shrinks the radius when a high minimum similarity rejects distant molecules', async () => {
    const { outcome: o } = await run('celecoxib', { count: 5, radius: 2, minTanimoto: 0.4, seed: 4 });
    expect(o.outsideBand).toBeGreaterThan(0);
    expect(o.finalRadius).toBeLessThan(2);
    for (const n of o.neighbours) expect(n.tanimoto).toBeGreaterThanOrEqual(0.4);
  });

  it('answers complete: false with a message when the budget runs out (a tiny radius decodes one molecule again and again)', async () => {
    const { outcome: o } = await run('aspirin', { count: 5, radius: 0.001, maxDecodes: 100 });
    expect(o.complete).toBe(false);
    expect(o.found).toBeLessThan(5);
    expect(o.decodes).toBe(100);
    expect(o.duplicates + o.identicalToQuery).toBeGreaterThan(90);
    expect(o.message).toMatch(/^found \d of 5 neighbours within the budget of 100 decodes/);
  });

  it('refuses bad options before encoding anything', async () => {
    await expect(run('aspirin', { minTanimoto: 0.8, maxTanimoto: 0.2 })).rejects.toBeInstanceOf(BadUserInputError);
    await expect(run('aspirin', { radius: NaN })).rejects.toBeInstanceOf(BadUserInputError);
  });
});
