/** Readiness reports each dependency and answers 503 when one is missing (the controller with stand-in services). */
import { HealthController } from '../../src/health/health.controller';
import type { ChemService } from '../../src/chem/chem.service';
import type { ModelService } from '../../src/model/model.service';
import type { StoreService } from '../../src/store/store.service';

function controller(opts: { db: boolean; model: boolean; chem: boolean }): HealthController {
  const store = { ping: async () => opts.db } as unknown as StoreService;
  const model = {
    get modelVersion(): string {
      if (!opts.model) throw new Error('model not loaded');
      return 'm';
    },
  } as unknown as ModelService;
  const chem = {
    get chem() {
      if (!opts.chem) throw new Error('RDKit not initialised');
      return { rdkitVersion: '2025.03.4' };
    },
  } as unknown as ChemService;
  return new HealthController(store, model, chem);
}

function fakeResponse() {
  const res = { code: 0, status(c: number) { res.code = c; return res; } };
  return res;
}

it('is ready with 200 when the database, the model and RDKit are up', async () => {
  const res = fakeResponse();
  const r = await controller({ db: true, model: true, chem: true }).ready(res);
  expect(res.code).toBe(200);
  expect(r).toEqual({ status: 'ready', checks: { database: 'ok', model: 'ok', chemistry: 'ok' } });
});

it('answers 503 and names each failing dependency', async () => {
  const res = fakeResponse();
  const r = await controller({ db: false, model: false, chem: true }).ready(res);
  expect(res.code).toBe(503);
  expect(r).toEqual({ status: 'not ready', checks: { database: 'database does not answer', model: 'model not loaded', chemistry: 'ok' } });
  const res2 = fakeResponse();
  expect((await controller({ db: true, model: true, chem: false }).ready(res2)).checks.chemistry).toBe('RDKit not initialised');
  expect(res2.code).toBe(503);
});

it('is live whatever the dependencies say', () => {
  expect(controller({ db: false, model: false, chem: false }).live().status).toBe('ok');
});
