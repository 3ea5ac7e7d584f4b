/**
 * The worker-thread scoring pool: results equal main-thread scoring, in input order, across workers; canonical
 * SMILES and descriptions computed in the workers; a closed pool refuses work.
 */
import { Chemistry } from '../../src/chem/chemistry';
import { chemistryForScoring } from '../../src/scoring/chem-adapter';
import { CompiledObjective } from '../../src/scoring/engine';
import { pmoTask } from '../../src/scoring/pmo-tasks';
import { ScoringPool } from '../../src/scoring/pool';
import { validateScoringSpec } from '../../src/scoring/spec';

const SMILES = [
  'Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1',
  'CC(=O)Oc1ccccc1C(=O)O',
  'CC(C)Cc1ccc(C(C)C(=O)O)cc1',
  'CN1CCN(CCC=C2c3ccccc3Sc3ccc(S(=O)(=O)N(C)C)cc32)CC1',
  'O=C(O)c1ccccc1O',
];

let chemistry: Chemistry;
let pool: ScoringPool;
beforeAll(async () => {
  chemistry = await Chemistry.create();
  pool = await ScoringPool.create(2);
});
afterAll(async () => {
  await pool?.close();
  chemistry?.dispose();
});

it('scores like the main thread, in input order, split over two workers', async () => {
  const adapter = chemistryForScoring(chemistry);
  for (const name of ['osimertinib_mpo', 'deco_hop', 'isomers_c7h8n2o2']) {
    const spec = validateScoringSpec(pmoTask(name).spec, adapter);
    const local = new CompiledObjective(spec, adapter);
    const canonical = SMILES.map((s) => chemistry.canonical(s) as string);
    const remote = await pool.score(spec, canonical, true);
    expect(remote.map((r) => r?.score)).toEqual(canonical.map((s) => local.score(s)?.score));
    expect(remote.map((r) => r?.canonicalSmiles)).toEqual(canonical);
  }
  expect(pool.scoredCount).toBe(3 * SMILES.length);
});

it('returns null for invalid SMILES when not told they are canonical', async () => {
  const spec = validateScoringSpec({ components: [{ kind: 'QED' }] }, chemistryForScoring(chemistry));
  const r = await pool.score(spec, ['C1CC', 'CCO']);
  expect(r[0]).toBeNull();
  expect(r[1]?.score).toBeCloseTo(chemistry.qed('CCO') as number, 12);
});

it('canonicalises in the workers', async () => {
  expect(await pool.canonicalize(['OCC', 'C1CC', 'c1ccccc1', ''])).toEqual(['CCO', null, 'c1ccccc1', null]);
  expect(await pool.canonicalize([])).toEqual([]);
});

it('describes canonical SMILES in the workers as describe() and fingerprint() do on the main thread', async () => {
  const canonical = SMILES.map((s) => chemistry.canonical(s) as string);
  const remote = await pool.describeCanonical(canonical);
  remote.forEach((d, i) => {
    const local = chemistry.describe(canonical[i]);
    expect(d).toEqual({ ...local, ecfp4: chemistry.fingerprint(canonical[i]) });
    expect(d?.ecfp4).toBeInstanceOf(Uint8Array);
  });
  expect(remote[1]?.inchiKey).toBe('BSYNRYMUTXBXSQ-UHFFFAOYSA-N'); // aspirin
  expect(await pool.describeCanonical(['C1CC'])).toEqual([null]);
});

it('refuses work once closed', async () => {
  const p = await ScoringPool.create(1);
  await p.close();
  await expect(p.score({ components: [{ kind: 'QED' }] }, ['CCO'])).rejects.toThrow(/closed/);
  await expect(ScoringPool.create(0)).rejects.toThrow(RangeError);
});
