/**
 * End to end: sampleNeighbours, propertyDirections and traverse through the real Nest app (AppModule) with the
 * shipped ONNX model and its directions.json, RDKit WASM and a fresh SQLite file, over HTTP. A second app without
 * directions.json checks the DIRECTIONS_UNAVAILABLE answer.
 */
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { validationPipe } from '../../src/main';
import { graphqlClient, GqlResponse } from './graphql-client';
import { DIRECTIONS_FILE } from '../../src/model/directions';
import { modelOptionsFromEnv } from '../../src/model/model.service';
import { StoreService } from '../../src/store/store.service';
import { TestDatabases } from '../db';

/** Fresh databases of this file: SQLite files, or PostgreSQL databases under MOLNAV_TEST_POSTGRES_URL. */
const dbs = new TestDatabases('e2e-nav');
afterAll(() => dbs.cleanup());


const MODEL_DIR = modelOptionsFromEnv().modelDir;

async function startApp(env: Record<string, string>): Promise<{ app: INestApplication; restore: () => void }> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  app.useGlobalPipes(validationPipe());
  await app.init();
  return {
    app,
    restore: () => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    },
  };
}

/** Spearman rank correlation with average ranks, written independently of src/navigation/traverse.ts. */
function spearmanOf(x: number[], y: number[]): number {
  const rank = (v: number[]) => v.map((a) => v.filter((b) => b < a).length + (v.filter((b) => b === a).length + 1) / 2);
  const rx = rank(x);
  const ry = rank(y);
  const m = (x.length + 1) / 2;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (rx[i] - m) * (ry[i] - m);
    sxx += (rx[i] - m) ** 2;
    syy += (ry[i] - m) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

const NEIGHBOURS = `mutation($input: SampleNeighboursInput!) {
  sampleNeighbours(input: $input) {
    runId requested found complete message decodes invalidDecodes identicalToQuery duplicates outsideBand rounds
    radius finalRadius minTanimoto maxTanimoto strategy modelVersion
    query { name canonicalSmiles }
    neighbours { rank canonicalSmiles inchiKey tanimoto round foundAtDecode properties { mw tpsa qed } }
  }
}`;

const TRAVERSE = `mutation($input: TraverseInput!) {
  traverse(input: $input) {
    runId distance steps strategy startValue decodes validPoints distinctValidPoints spearman monotonic modelVersion
    start { name canonicalSmiles properties { tpsa clogp mw } }
    direction { property label unit slope r2Heldout spearmanHeldout }
    points { index t offset valid reason canonicalSmiles value predicted tanimotoToStart distinct properties { tpsa clogp } }
  }
}`;

describe('navigation API (e2e, shipped model and directions.json, fresh database)', () => {
  let app: INestApplication;
  let restore: () => void;
  let dir: string;

  const { gql, errorCode } = graphqlClient(() => app);

  /** Stored candidates (through the API) and runs (read from the store: the API lists runs by id only). */
  async function counts(): Promise<{ candidates: number; runs: number }> {
    const c = await gql('{ candidates(first: 1) { totalCount } }');
    const runs = await app.get(StoreService).listRuns({ first: 1 });
    return { candidates: c.data.candidates.totalCount, runs: runs.totalCount };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'molnav-e2e-nav-'));
    ({ app, restore } = await startApp({ DATABASE_URL: await dbs.url('e2e') }));
  });

  afterAll(async () => {
    await app?.close();
    restore?.();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('sampleNeighbours', () => {
    it('returns 20 distinct valid canonical neighbours of an approved drug, not the query, ordered by Tanimoto, and stores them', async () => {
      const body = await gql(NEIGHBOURS, { input: { molecule: 'Celecoxib', count: 20, seed: 1 } });
      expect(body.errors).toBeUndefined();
      const r = body.data.sampleNeighbours;
      expect(r).toMatchObject({ requested: 20, found: 20, complete: true, message: null, strategy: 'GREEDY', outsideBand: 0 });
      expect(r.query.name).toBe('CELECOXIB');
      const smiles: string[] = r.neighbours.map((n: any) => n.canonicalSmiles);
      expect(new Set(smiles).size).toBe(20);
      expect(smiles).not.toContain(r.query.canonicalSmiles);
      expect(r.neighbours.map((n: any) => n.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const ts: number[] = r.neighbours.map((n: any) => n.tanimoto);
      expect(ts).toEqual([...ts].sort((a, b) => b - a));
      expect(r.decodes).toBeGreaterThanOrEqual(r.invalidDecodes + r.identicalToQuery + r.duplicates + r.found);
      expect(r.decodes).toBeLessThanOrEqual(20 * 20);

      // RDKit (through filterMolecules) agrees that every neighbour is valid and canonical.
      const check = await gql(`query($s: [String!]!) { filterMolecules(smiles: $s) { valid canonicalSmiles } }`, { s: smiles });
      expect(check.data.filterMolecules.map((f: any) => f.canonicalSmiles)).toEqual(smiles);

      // The run and its candidates are stored, in rank order, with the Tanimoto as score.
      const run = await gql(`query($id: ID!) { run(id: $id) { kind status seed modelVersion parameters stats candidates { position score candidate { canonicalSmiles } } } }`, { id: r.runId });
      expect(run.data.run).toMatchObject({ kind: 'NEIGHBOURS', status: 'SUCCEEDED', seed: 1, modelVersion: r.modelVersion });
      expect(run.data.run.candidates.map((c: any) => c.candidate.canonicalSmiles)).toEqual(smiles);
      run.data.run.candidates.forEach((c: any, i: number) => expect(c.score).toBeCloseTo(ts[i], 12)); // the store keeps 15-16 digits
      expect(JSON.parse(run.data.run.parameters)).toMatchObject({ molecule: 'Celecoxib', count: 20, radius: r.radius, seed: 1, maxDecodes: 400 });
      expect(JSON.parse(run.data.run.stats)).toMatchObject({ found: 20, decodes: r.decodes, duplicates: r.duplicates, complete: true });
      const listed = await gql(`query($run: ID!) { candidates(runId: $run, first: 50) { totalCount edges { node { canonicalSmiles } } } }`, { run: r.runId });
      expect(listed.data.candidates.totalCount).toBe(20);
      expect(new Set(listed.data.candidates.edges.map((e: any) => e.node.canonicalSmiles))).toEqual(new Set(smiles));
    });

    it('gives the same neighbours for the same input and seed (greedy and sampled), other neighbours for another seed', async () => {
      for (const decoding of [null, { strategy: 'SAMPLE', temperature: 0.8, topK: 5 }]) {
        const input = { molecule: 'ibuprofen', count: 8, seed: 5, decoding };
        const a = (await gql(NEIGHBOURS, { input })).data.sampleNeighbours;
        const b = (await gql(NEIGHBOURS, { input })).data.sampleNeighbours;
        const c = (await gql(NEIGHBOURS, { input: { ...input, seed: 6 } })).data.sampleNeighbours;
        expect(a.strategy).toBe(decoding ? 'SAMPLE' : 'GREEDY');
        expect(b.neighbours).toEqual(a.neighbours);
        expect(b.runId).not.toBe(a.runId);
        expect(c.neighbours.map((n: any) => n.canonicalSmiles)).not.toEqual(a.neighbours.map((n: any) => n.canonicalSmiles));
      }
    });

    it('samples neighbours with BEAM decoding: distinct valid neighbours, reported as BEAM, the same for the same seed', async () => {
      const input = { molecule: 'imatinib', count: 8, seed: 2, decoding: { strategy: 'BEAM', beamWidth: 3 } };
      const a = (await gql(NEIGHBOURS, { input })).data.sampleNeighbours;
      const b = (await gql(NEIGHBOURS, { input })).data.sampleNeighbours;
      expect(a).toMatchObject({ found: 8, complete: true, strategy: 'BEAM' });
      const smiles: string[] = a.neighbours.map((n: any) => n.canonicalSmiles);
      expect(new Set(smiles).size).toBe(8);
      expect(b.neighbours.map((n: any) => n.canonicalSmiles)).toEqual(smiles);
      const check = await gql(`query($s: [String!]!) { filterMolecules(smiles: $s) { valid canonicalSmiles } }`, { s: smiles });
      expect(check.data.filterMolecules.map((f: any) => f.canonicalSmiles)).toEqual(smiles);
      const run = await gql(`query($id: ID!) { run(id: $id) { parameters } }`, { id: a.runId });
      expect(JSON.parse(run.data.run.parameters)).toMatchObject({ decoding: { strategy: 'beam', beamWidth: 3 } });
    });

    it('keeps every neighbour inside a Tanimoto band', async () => {
      for (const molecule of ['aspirin', 'imatinib']) {
        const body = await gql(NEIGHBOURS, { input: { molecule, count: 8, minTanimoto: 0.3, maxTanimoto: 0.6, seed: 3 } });
        expect(body.errors).toBeUndefined();
        const r = body.data.sampleNeighbours;
        expect(r).toMatchObject({ minTanimoto: 0.3, maxTanimoto: 0.6 });
        expect(r.found).toBeGreaterThan(0);
        for (const n of r.neighbours) {
          expect(n.tanimoto).toBeGreaterThanOrEqual(0.3);
          expect(n.tanimoto).toBeLessThanOrEqual(0.6);
        }
        if (!r.complete) expect(r.message).toMatch(/within the budget/);
      }
    });

    it('says complete: false with a message when the attempt budget runs out, and still stores what it found', async () => {
      const r = (await gql(NEIGHBOURS, { input: { molecule: 'aspirin', count: 5, radius: 0.001 } })).data.sampleNeighbours;
      expect(r.complete).toBe(false);
      expect(r.found).toBeLessThan(5);
      expect(r.decodes).toBe(100);
      expect(r.message).toMatch(/^found \d of 5 neighbours within the budget of 100 decodes/);
      const run = await gql(`query($id: ID!) { run(id: $id) { status candidates { position } } }`, { id: r.runId });
      expect(run.data.run.status).toBe('SUCCEEDED');
      expect(run.data.run.candidates).toHaveLength(r.found);
    });
  });

  const file = join(MODEL_DIR, DIRECTIONS_FILE);
  (existsSync(file) ? describe : describe.skip)('propertyDirections and traverse (the shipped directions.json)', () => {
    it('lists the shipped directions with label, unit, slope and held-out statistics, as in directions.json', async () => {
      const body = await gql(`{ propertyDirections { available modelVersion method created provenance
        directions { property label unit slope r2Heldout spearmanHeldout mean std } } }`);
      expect(body.errors).toBeUndefined();
      const set = body.data.propertyDirections;
      const raw = JSON.parse(readFileSync(file, 'utf8'));
      expect(set).toMatchObject({ available: true, modelVersion: raw.model_version, method: raw.method, created: raw.created });
      expect(JSON.parse(set.provenance)).toEqual(raw.provenance ?? {});
      expect(set.directions.map((d: any) => d.property)).toEqual(Object.keys(raw.properties));
      for (const key of ['clogp', 'tpsa', 'qed', 'mw', 'sa']) expect(Object.keys(raw.properties)).toContain(key);
      for (const d of set.directions) {
        const p = raw.properties[d.property];
        expect(d).toEqual({ property: d.property, label: p.label, unit: p.unit, slope: p.slope, r2Heldout: p.r2_heldout, spearmanHeldout: p.spearman_heldout, mean: p.mean, std: p.std });
      }
    });

    it('raises TPSA along the tpsa direction: positive Spearman of TPSA with the offset for several drugs, higher TPSA on average', async () => {
      const rises: number[] = [];
      // drugs whose +4 walk keeps >= 3 distinct valid points on the shipped model (celecoxib's turns invalid: scripts/measure-traverse.ts)
      for (const molecule of ['aspirin', 'ibuprofen', 'imatinib']) {
        const body = await gql(TRAVERSE, { input: { molecule, property: 'tpsa', distance: 4, steps: 10 } });
        expect(body.errors).toBeUndefined();
        const r = body.data.traverse;
        expect(r.direction).toMatchObject({ property: 'tpsa', unit: 'Å²' });
        expect(r.direction.slope).toBeGreaterThan(0);
        expect(r.points).toHaveLength(11);
        expect(r.decodes).toBe(11);
        expect(r.startValue).toBe(r.start.properties.tpsa);
        for (const p of r.points) {
          expect(p.offset).toBeCloseTo(p.t * 4, 12);
          expect(p.predicted).toBeCloseTo(r.startValue + r.direction.slope * p.offset, 9);
          if (p.valid) expect(p.value).toBe(p.properties.tpsa);
          else expect(p.reason).toMatch(/not a valid molecule/);
        }
        const used = r.points.filter((p: any) => p.distinct);
        expect(r.distinctValidPoints).toBe(used.length);
        expect(used.length).toBeGreaterThanOrEqual(3);
        expect(r.spearman).toBeCloseTo(spearmanOf(used.map((p: any) => p.offset), used.map((p: any) => p.value)), 10);
        expect([molecule, r.spearman > 0]).toEqual([molecule, true]);
        rises.push(used[used.length - 1].value - used[0].value);
      }
      expect(rises.reduce((a, b) => a + b, 0) / rises.length).toBeGreaterThan(0);
    });

    it('lowers TPSA walking against the direction (negative distance): the Spearman with the offset is still positive', async () => {
      const r = (await gql(TRAVERSE, { input: { molecule: 'celecoxib', property: 'tpsa', distance: -4, steps: 10 } })).data.traverse;
      expect(r.points[10].offset).toBeCloseTo(-4, 12);
      expect(r.points[10].predicted).toBeLessThan(r.startValue);
      expect(r.spearman).toBeGreaterThan(0);
    });

    it('answers typed errors for a bad start molecule or an unknown property, storing nothing', async () => {
      const before = await counts();
      const tr = (input: Record<string, unknown>) => errorCode(TRAVERSE, { input: { molecule: 'aspirin', property: 'tpsa', distance: 2, ...input } });
      expect(await tr({ molecule: 'C1CC(C' })).toBe('INVALID_SMILES');
      expect(await tr({ molecule: 'notarealdrugname' })).toBe('UNKNOWN_MOLECULE_NAME');
      expect(await tr({ property: 'colour' })).toBe('BAD_USER_INPUT');
      expect(await tr({ property: 'TPSA' })).toBe('BAD_USER_INPUT');
      const unknown = await gql(TRAVERSE, { input: { molecule: 'aspirin', property: 'colour', distance: 2 } });
      expect(unknown.errors![0].message).toMatch(/unknown property "colour"; available: .*tpsa/);
      expect(unknown.errors![0].extensions!.available).toEqual(expect.arrayContaining(['clogp', 'tpsa', 'qed', 'mw', 'sa']));
      expect(await counts()).toEqual(before);
    });

    it('stores a TRAVERSE run with its valid points and is reproducible for the same seed', async () => {
      const input = { molecule: 'aspirin', property: 'clogp', distance: 4, steps: 6, decoding: { strategy: 'SAMPLE', temperature: 0.9 }, seed: 4 };
      const a = (await gql(TRAVERSE, { input })).data.traverse;
      const b = (await gql(TRAVERSE, { input })).data.traverse;
      expect(b.points).toEqual(a.points);
      expect(a.strategy).toBe('SAMPLE');
      const run = await gql(`query($id: ID!) { run(id: $id) { kind status seed stats candidates { position t score candidate { canonicalSmiles } } } }`, { id: a.runId });
      expect(run.data.run).toMatchObject({ kind: 'TRAVERSE', status: 'SUCCEEDED', seed: 4 });
      const valid = a.points.filter((p: any) => p.valid);
      expect(run.data.run.candidates.map((c: any) => [c.position, c.candidate.canonicalSmiles])).toEqual(valid.map((p: any) => [p.index, p.canonicalSmiles]));
      run.data.run.candidates.forEach((c: any, i: number) => {
        expect(c.t).toBeCloseTo(valid[i].t, 12);
        expect(c.score).toBeCloseTo(valid[i].value, 12);
      });
      expect(JSON.parse(run.data.run.stats)).toMatchObject({ property: 'clogp', validPoints: a.validPoints, spearman: a.spearman });
    });
  });

  (existsSync(file) ? describe : describe.skip)('traverse with BEAM decoding', () => {
    it('walks with beam width 1 exactly as GREEDY, and with width 5 reproducibly, reported as BEAM', async () => {
      const base = { molecule: 'celecoxib', property: 'tpsa', distance: 4, steps: 8 };
      const greedy = (await gql(TRAVERSE, { input: base })).data.traverse;
      const beam1 = (await gql(TRAVERSE, { input: { ...base, decoding: { strategy: 'BEAM', beamWidth: 1 } } })).data.traverse;
      expect(beam1.strategy).toBe('BEAM');
      expect(beam1.points).toEqual(greedy.points);
      const input = { ...base, decoding: { strategy: 'BEAM', beamWidth: 5 } };
      const a = (await gql(TRAVERSE, { input })).data.traverse;
      const b = (await gql(TRAVERSE, { input })).data.traverse;
      expect(a.points).toHaveLength(9);
      expect(b.points).toEqual(a.points);
      for (const p of a.points.filter((q: any) => q.valid)) expect(typeof p.canonicalSmiles).toBe('string');
    });
  });

  if (!existsSync(file)) {
    // As for a missing model (test/model/helpers.ts): pending on a developer machine, a failure under CI.
    (process.env.CI === 'true' ? it : it.skip)(`PENDING: no ${file}; traverse is not checked on the shipped model`, () => {
      throw new Error(`CI=true but ${file} is missing`);
    });
  }

  it('answers typed errors for bad input and stores nothing', async () => {
    const before = await counts();
    const nb = (input: Record<string, unknown>) => errorCode(NEIGHBOURS, { input: { molecule: 'aspirin', ...input } });
    const tr = (input: Record<string, unknown>) => errorCode(TRAVERSE, { input: { molecule: 'aspirin', property: 'tpsa', distance: 2, ...input } });
    expect(await nb({ molecule: 'C1CC(C' })).toBe('INVALID_SMILES');
    expect(await nb({ molecule: 'notarealdrugname' })).toBe('UNKNOWN_MOLECULE_NAME');
    expect(await nb({ molecule: 'C'.repeat(5000) })).toBe('BAD_USER_INPUT');
    for (const bad of [{ count: 0 }, { count: 101 }, { count: 2.5 }, { radius: 0 }, { radius: -1 }, { radius: 5.5 }, { radius: 'NaN' },
      { minTanimoto: 0.7, maxTanimoto: 0.2 }, { minTanimoto: -0.1 }, { maxTanimoto: 1.5 },
      { decoding: { strategy: 'SAMPLE', temperature: 0 } }, { decoding: { strategy: 'SAMPLE', temperature: 50 } },
      { decoding: { strategy: 'SAMPLE', topK: 0 } }, { decoding: { strategy: 'BEAM', beamWidth: 0 } },
      { decoding: { strategy: 'BEAM', beamWidth: 11 } }, { decoding: { strategy: 'BEAM', beamWidth: 2.5 } }, { decoding: { strategy: 'TOP_P' } }, { seed: -1 }]) {
      expect([bad, await nb(bad)]).toEqual([bad, 'BAD_USER_INPUT']);
    }
    for (const bad of [{ property: 'plogp; DROP TABLE Run' }, { property: '' }, { distance: 0 }, { distance: 20.5 }, { distance: -21 },
      { distance: 'Infinity' }, { steps: 1 }, { steps: 51 }, { steps: 3.5 }, { decoding: { strategy: 'SAMPLE', topK: 1000 } }]) {
      expect([bad, await tr(bad)]).toEqual([bad, 'BAD_USER_INPUT']);
    }
    // Non-finite numbers cannot be written in JSON; a number literal that overflows to Infinity is refused too.
    const raw = `{"query": ${JSON.stringify(TRAVERSE)}, "variables": {"input": {"molecule": "aspirin", "property": "tpsa", "distance": 1e999}}}`;
    const res = await request(app.getHttpServer()).post('/graphql').set('content-type', 'application/json').send(raw);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await counts()).toEqual(before);

    // A valid molecule outside the model's vocabulary is only found out by the encoder: the attempt is recorded as a
    // FAILED run with the reason, and nothing else is stored.
    expect(await nb({ molecule: 'Cl[Pt]Cl' })).toBe('MOLECULE_OUT_OF_DOMAIN');
    expect(await counts()).toEqual({ candidates: before.candidates, runs: before.runs + 1 });
    const [failed] = (await app.get(StoreService).listRuns({ first: 1 })).items;
    expect(failed).toMatchObject({ kind: 'NEIGHBOURS', status: 'FAILED', error: expect.stringMatching(/not in the model vocabulary/) });
  });
});

describe('traverse without directions.json (e2e)', () => {
  let app: INestApplication;
  let restore: () => void;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'molnav-e2e-nodir-'));
    const modelDir = join(dir, 'model');
    mkdirSync(modelDir);
    for (const f of readdirSync(MODEL_DIR)) if (f !== DIRECTIONS_FILE) symlinkSync(join(MODEL_DIR, f), join(modelDir, f));
    ({ app, restore } = await startApp({ DATABASE_URL: await dbs.url('e2e'), MOLNAV_MODEL_DIR: modelDir }));
  });

  afterAll(async () => {
    await app?.close();
    restore?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists no directions and answers traverse with DIRECTIONS_UNAVAILABLE; the rest of the API works', async () => {
    const post = (query: string, variables = {}) => request(app.getHttpServer()).post('/graphql').send({ query, variables });
    const list = await post('{ propertyDirections { available modelVersion directions { property } } }');
    expect(list.body.data.propertyDirections).toEqual({ available: false, modelVersion: JSON.parse(readFileSync(join(MODEL_DIR, 'metadata.json'), 'utf8')).model_version, directions: [] });
    const tr = await post(TRAVERSE, { input: { molecule: 'aspirin', property: 'tpsa', distance: 2 } });
    expect(tr.body.errors[0].extensions.code).toBe('DIRECTIONS_UNAVAILABLE');
    expect(tr.body.errors[0].message).toMatch(/ships no property directions/);
    const nb = await post(NEIGHBOURS, { input: { molecule: 'aspirin', count: 3 } });
    expect(nb.body.data.sampleNeighbours.found).toBe(3);
  });
});
