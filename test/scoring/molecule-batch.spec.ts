/**
 * ScoringService's batched RDKit work on decodes (MoleculeBatchPort): the same answers from the worker pool and from
 * the main thread (MOLNAV_SCORING_WORKERS=0), and a clear error for a string that is not a canonical SMILES.
 */
import { Logger } from '@nestjs/common';
import { ChemService } from '../../src/chem/chem.service';
import { SCORING_WORKERS_ENV, ScoringService } from '../../src/scoring/scoring.service';

const RAW = ['OC(=O)c1ccccc1OC(C)=O', 'C1CC', 'CC(C)Cc1ccc(cc1)C(C)C(O)=O', ''];

let chem: ChemService;
const services: ScoringService[] = [];
async function scoring(workers: string): Promise<ScoringService> {
  process.env[SCORING_WORKERS_ENV] = workers;
  const s = new ScoringService(chem);
  await s.onModuleInit();
  services.push(s);
  return s;
}

beforeAll(async () => {
  Logger.overrideLogger(['error']);
  chem = await new ChemService().init();
});
afterAll(async () => {
  delete process.env[SCORING_WORKERS_ENV];
  for (const s of services) await s.onModuleDestroy();
  chem?.onModuleDestroy();
});

it('canonicalises and describes alike in the workers and on the main thread', async () => {
  const [pooled, local] = [await scoring('2'), await scoring('0')];
  const canon = await local.canonicalizeMany(RAW);
  expect(canon).toEqual(['CC(=O)Oc1ccccc1C(=O)O', null, 'CC(C)Cc1ccc(C(C)C(=O)O)cc1', null]);
  expect(await pooled.canonicalizeMany(RAW)).toEqual(canon);
  const valid = canon.filter((c): c is string => c !== null);
  const described = await local.describeMany(valid);
  expect(await pooled.describeMany(valid)).toEqual(described);
  expect(described[0]).toEqual({ ...chem.describe(valid[0]), ecfp4: chem.fingerprint(valid[0]) });
  await expect(local.describeMany(['C1CC'])).rejects.toThrow(/cannot parse the canonical SMILES "C1CC"/);
  await expect(pooled.describeMany(['C1CC'])).rejects.toThrow(/cannot parse the canonical SMILES "C1CC"/);
});
