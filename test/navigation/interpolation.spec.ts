/**
 * interpolate() on the shipped model with the real RDKit: the RDKit work on decodes gives the same path whether it runs
 * in the scoring worker threads or on the main thread, and the path keeps its invariants (distinct molecules, winners
 * described as describe() does, Tanimoto to both ends).
 */
import { Chemistry } from '../../src/chem/chemistry';
import { Rng } from '../../src/model/rng';
import { interpolate, InterpolationOutcome } from '../../src/navigation/interpolation';
import { interpolationPath } from '../../src/navigation/latent';
import type { DescribedMolecule, MoleculeBatchPort } from '../../src/navigation/ports';
import { ScoringPool } from '../../src/scoring/pool';
import { HAVE_MODEL, loadServices } from './helpers';

const maybe = HAVE_MODEL ? describe : describe.skip;

/** The main-thread MoleculeBatchPort (what ScoringService does with MOLNAV_SCORING_WORKERS=0), counting calls. */
function mainThread(chem: Chemistry, calls: string[]): MoleculeBatchPort {
  return {
    canonicalizeMany: async (smiles) => {
      calls.push(`canonicalize ${smiles.length}`);
      return smiles.map((s) => chem.canonical(s));
    },
    describeMany: async (smiles) => {
      calls.push(`describe ${smiles.length}`);
      return smiles.map((s) => chem.describeCanonical(s) as DescribedMolecule);
    },
  };
}

function inWorkers(pool: ScoringPool): MoleculeBatchPort {
  return {
    canonicalizeMany: (smiles) => pool.canonicalize(smiles),
    describeMany: async (smiles) => (await pool.describeCanonical(smiles)) as DescribedMolecule[],
  };
}

maybe('interpolate', () => {
  let services: Awaited<ReturnType<typeof loadServices>>;
  let pool: ScoringPool;
  beforeAll(async () => {
    services = await loadServices();
    pool = await ScoringPool.create(2);
  });
  afterAll(async () => {
    await pool?.close();
    await services?.close();
  });

  const run = (molecules: MoleculeBatchPort, seed: number): Promise<InterpolationOutcome> => {
    const { chem, model } = services;
    const rng = new Rng(seed);
    const end = (name: string) => chem.resolveMolecule(name);
    return interpolate(chem, molecules, model, end('celecoxib'), end('ibuprofen'),
      { steps: 10, method: 'SLERP', seed, maxAttempts: 10 }, () => rng.normal());
  };

  it('gives the same path with the RDKit work in worker threads and on the main thread', async () => {
    const calls: string[] = [];
    for (const seed of [1, 7]) {
      const local = await run(mainThread(services.chem.chem, calls), seed);
      const remote = await run(inWorkers(pool), seed);
      expect(remote).toEqual(local);
    }
    // one description batch of the two endpoints, then per decode round one canonicalisation batch and one description batch of its winners
    expect(calls.filter((c) => c.startsWith('describe')).length).toBe(calls.filter((c) => c.startsWith('canonicalize')).length + 2);
  });

  it('fails with the error of a failed description batch, not an unhandled rejection', async () => {
    const failing: MoleculeBatchPort = {
      canonicalizeMany: (smiles) => pool.canonicalize(smiles),
      describeMany: async () => {
        throw new Error('worker gone');
      },
    };
    await expect(run(failing, 1)).rejects.toThrow('worker gone');
  });

  it('keeps distinct molecules, describes winners as describe() does and measures Tanimoto to both ends', async () => {
    const { chem } = services;
    const out = await run(inWorkers(pool), 3);
    expect(out.path).toHaveLength(11);
    expect(out.path[0].canonicalSmiles).toBe(chem.resolve('celecoxib').canonicalSmiles);
    expect(out.path[10].canonicalSmiles).toBe(chem.resolve('ibuprofen').canonicalSmiles);
    const found = out.path.filter((p) => p.canonicalSmiles !== null).map((p) => p.canonicalSmiles as string);
    expect(new Set(found).size).toBe(found.length);
    expect(out.distinctIntermediates).toBe(found.length - 2);
    expect(out.distinctIntermediates).toBeGreaterThanOrEqual(5); // the shipped model finds most of the 9 points
    const fpFrom = chem.fingerprint(out.path[0].canonicalSmiles as string);
    const fpTo = chem.fingerprint(out.path[10].canonicalSmiles as string);
    for (const p of out.path.slice(1, -1)) {
      if (p.canonicalSmiles === null) {
        expect(p.reason).toMatch(/no valid molecule/);
        continue;
      }
      expect(['GREEDY', 'SAMPLED']).toContain(p.source);
      const d = chem.describe(p.canonicalSmiles);
      expect({ inchiKey: p.inchiKey, properties: p.properties }).toEqual({ inchiKey: d?.inchiKey, properties: d?.properties });
      expect(p.tanimotoToFrom).toBeCloseTo(chem.tanimoto(chem.fingerprint(p.canonicalSmiles), fpFrom), 12);
      expect(p.tanimotoToTo).toBeCloseTo(chem.tanimoto(chem.fingerprint(p.canonicalSmiles), fpTo), 12);
    }
  });

  it('with beamWidth, takes each point from its beams (most probable valid new beam first) and retries within the rest of the budget', async () => {
    const { chem, model } = services;
    const end = (name: string) => chem.resolveMolecule(name);
    const beamWidth = 4;
    const rng = new Rng(5);
    const out = await interpolate(chem, inWorkers(pool), model, end('celecoxib'), end('ibuprofen'),
      { steps: 10, method: 'SLERP', seed: 5, maxAttempts: 10, beamWidth }, () => rng.normal());
    const found = out.path.filter((p) => p.canonicalSmiles !== null).map((p) => p.canonicalSmiles as string);
    expect(new Set(found).size).toBe(found.length);
    const interior = out.path.slice(1, -1);
    const beamed = interior.filter((p) => p.source === 'BEAM');
    expect(beamed.length).toBeGreaterThanOrEqual(5);
    expect(interior.every((p) => ['BEAM', 'SAMPLED', 'NONE'].includes(p.source))).toBe(true);
    // every interior point spent its beams first; retries come in rounds of 3 within maxAttempts 10 (4 + 2 x 3)
    for (const p of interior) expect([4, 7, 10]).toContain(p.attempts);
    expect(out.decodes).toBe(interior.reduce((n, p) => n + p.attempts, 0));

    // The first beamed point in t order (no earlier point can have taken its molecule) holds the most probable valid
    // beam of its path point, as beam search on the same latent gives it.
    const first = beamed[0];
    const { mu } = await model.encode([out.from.canonicalSmiles, out.to.canonicalSmiles]);
    const dim = model.latentDim;
    const z = interpolationPath(mu.slice(0, dim), mu.slice(dim), [first.t], 'SLERP');
    const [beams] = await model.decodeBeams(z, 1, { beamWidth });
    const ends = new Set([out.from.canonicalSmiles, out.to.canonicalSmiles]);
    const expected = beams.map((b) => chem.canonical(b.smiles)).find((c) => c !== null && !ends.has(c));
    expect(first.canonicalSmiles).toBe(expected);
  });
});
