/**
 * End to end: the real Nest app (AppModule) with the shipped ONNX model, RDKit WASM and a fresh SQLite file,
 * driven over HTTP with GraphQL documents.
 */
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AppModule } from '../../src/app.module';
import { validationPipe } from '../../src/main';
import request from 'supertest';
import { graphqlClient, GqlResponse } from './graphql-client';
import { TestDatabases } from '../db';

/** Fresh databases of this file: SQLite files, or PostgreSQL databases under MOLNAV_TEST_POSTGRES_URL. */
const dbs = new TestDatabases('e2e-api');
afterAll(() => dbs.cleanup());


describe('GraphQL API (e2e, shipped model, fresh database)', () => {
  let app: INestApplication;
  let dir: string;

  const { gql, errorCode } = graphqlClient(() => app);

  async function candidateCount(): Promise<number> {
    const body = await gql<{ candidates: { totalCount: number } }>('{ candidates(first: 1) { totalCount } }');
    return body.data!.candidates.totalCount;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'molnav-e2e-'));
    process.env.DATABASE_URL = await dbs.url('e2e');
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    app.useGlobalPipes(validationPipe());
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
    delete process.env.DATABASE_URL;
  });

  const INTERPOLATE = `mutation($input: InterpolateInput!) {
    interpolate(input: $input) {
      runId distinctIntermediates decodes modelVersion method
      from { name canonicalSmiles } to { name canonicalSmiles }
      path { index t valid reason canonicalSmiles tanimotoToFrom tanimotoToTo source attempts properties { qed mw } }
    }
  }`;

  it('answers the health endpoints: live, and ready with the database, model and RDKit checked', async () => {
    const live = await request(app.getHttpServer()).get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body.status).toBe('ok');
    const ready = await request(app.getHttpServer()).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { database: 'ok', model: 'ok', chemistry: 'ok' } });
  });

  it('describes a drug by name, case-insensitively, with properties and a depiction', async () => {
    const body = await gql(`{ molecule(query: "cElEcOxIb") { name chemblId valid canonicalSmiles inchiKey properties { mw clogp tpsa qed sa } svg(width: 200, height: 150) } }`);
    const m = body.data.molecule;
    expect(m).toMatchObject({ name: 'CELECOXIB', valid: true, inchiKey: 'RZEKVGVHFLEQIL-UHFFFAOYSA-N' });
    expect(m.properties.mw).toBeCloseTo(381.379, 2);
    expect(m.properties.tpsa).toBeCloseTo(77.98, 1);
    expect(m.svg).toMatch(/<svg/);
  });

  it('answers an invalid SMILES in molecule() with valid: false and a reason', async () => {
    const body = await gql(`{ molecule(query: "C1CC(C") { valid reason canonicalSmiles properties { qed } } }`);
    expect(body.data.molecule.valid).toBe(false);
    expect(body.data.molecule.reason).toMatch(/SMILES/);
    expect(body.data.molecule.canonicalSmiles).toBeNull();
  });

  it('interpolates between two named drugs: distinct valid intermediates, stored and browsable', async () => {
    const steps = 8;
    const body = await gql(INTERPOLATE, { input: { from: 'celecoxib', to: 'Ibuprofen', steps, method: 'SLERP', seed: 1 } });
    expect(body.errors).toBeUndefined();
    const r = body.data.interpolate;
    expect(r.from.name).toBe('CELECOXIB');
    expect(r.to.name).toBe('IBUPROFEN');
    expect(r.path).toHaveLength(steps + 1);
    expect(r.path[0]).toMatchObject({ t: 0, source: 'INPUT', canonicalSmiles: r.from.canonicalSmiles, tanimotoToFrom: 1 });
    expect(r.path[steps]).toMatchObject({ t: 1, source: 'INPUT', canonicalSmiles: r.to.canonicalSmiles, tanimotoToTo: 1 });
    const interior = r.path.slice(1, -1);
    expect(interior.every((p: any) => p.valid && p.canonicalSmiles)).toBe(true);
    expect(r.distinctIntermediates).toBe(steps - 1);
    const smiles = r.path.map((p: any) => p.canonicalSmiles);
    expect(new Set(smiles).size).toBe(smiles.length);
    for (const p of interior) {
      expect(p.tanimotoToFrom).toBeGreaterThanOrEqual(0);
      expect(p.tanimotoToFrom).toBeLessThan(1);
      expect(p.properties.mw).toBeGreaterThan(0);
    }
    // Each returned intermediate is valid for RDKit.
    const check = await gql(`query($s: [String!]!) { filterMolecules(smiles: $s) { valid canonicalSmiles } }`, { s: smiles });
    expect(check.data.filterMolecules.map((f: any) => f.canonicalSmiles)).toEqual(smiles);

    // The run and its candidates are stored and can be browsed.
    const run = await gql(`query($id: ID!) { run(id: $id) { kind status modelVersion seed durationMs candidates { position t candidate { canonicalSmiles } } } }`, { id: r.runId });
    expect(run.data.run).toMatchObject({ kind: 'INTERPOLATE', status: 'SUCCEEDED', modelVersion: r.modelVersion, seed: 1 });
    expect(run.data.run.candidates.map((c: any) => c.candidate.canonicalSmiles)).toEqual(smiles);
    expect(run.data.run.candidates.map((c: any) => c.t)).toEqual(r.path.map((p: any) => p.t));
    const listed = await gql(`query($run: ID!) { candidates(runId: $run, first: 50) { totalCount edges { node { canonicalSmiles } } } }`, { run: r.runId });
    expect(listed.data.candidates.totalCount).toBe(steps + 1);
    expect(new Set(listed.data.candidates.edges.map((e: any) => e.node.canonicalSmiles))).toEqual(new Set(smiles));
  });

  it('gives the same path for the same seed, with LINEAR as well as SLERP', async () => {
    const input = { from: 'celecoxib', to: 'ibuprofen', steps: 4, method: 'LINEAR', seed: 7 };
    const a = await gql(INTERPOLATE, { input });
    const b = await gql(INTERPOLATE, { input });
    expect(a.data.interpolate.method).toBe('LINEAR');
    expect(a.data.interpolate.path.map((p: any) => p.canonicalSmiles)).toEqual(b.data.interpolate.path.map((p: any) => p.canonicalSmiles));
    expect(a.data.interpolate.runId).not.toBe(b.data.interpolate.runId);
  });

  it('decodes the path with beam search when beamWidth is given: BEAM points, reproducible, beams counted as decodes', async () => {
    const input = { from: 'aspirin', to: 'imatinib', steps: 8, seed: 2, beamWidth: 5 };
    const a = (await gql(INTERPOLATE, { input })).data.interpolate;
    const b = (await gql(INTERPOLATE, { input })).data.interpolate;
    expect(b.path).toEqual(a.path);
    const interior = a.path.slice(1, -1);
    expect(interior.filter((p: any) => p.source === 'BEAM').length).toBeGreaterThanOrEqual(4);
    expect(interior.every((p: any) => ['BEAM', 'SAMPLED', 'NONE'].includes(p.source) && p.attempts >= 5)).toBe(true);
    expect(a.decodes).toBe(interior.reduce((n: number, p: any) => n + p.attempts, 0));
    const greedy = (await gql(INTERPOLATE, { input: { ...input, beamWidth: null } })).data.interpolate;
    expect(greedy.path.slice(1, -1).every((p: any) => ['GREEDY', 'SAMPLED', 'NONE'].includes(p.source))).toBe(true);
  });

  it('optimises QED from a drug under a similarity constraint and stores the ranked candidates', async () => {
    const body = await gql(`mutation {
      optimize(input: { seed: "celecoxib", objective: { kind: QED }, constraints: { minSimilarity: 0.3 }, budget: 60, topK: 5, randomSeed: 3 }) {
        runId seedScore oracleCalls decodes invalidDecodes generations stopReason
        candidates { rank canonicalSmiles score similarityToSeed feasible properties { qed } }
      }
    }`);
    expect(body.errors).toBeUndefined();
    const r = body.data.optimize;
    expect(r.oracleCalls).toBeLessThanOrEqual(60);
    expect(r.decodes).toBeGreaterThanOrEqual(r.oracleCalls);
    expect(r.candidates.length).toBeGreaterThan(0);
    expect(r.candidates.length).toBeLessThanOrEqual(5);
    const scores = r.candidates.map((c: any) => c.score);
    const feasible = r.candidates.filter((c: any) => c.feasible);
    expect(feasible.length).toBeGreaterThan(0);
    for (let i = 1; i < feasible.length; i++) expect(feasible[i].score).toBeLessThanOrEqual(feasible[i - 1].score);
    for (const c of r.candidates) {
      expect(c.score).toBeCloseTo(c.properties.qed, 10);
      expect(c.feasible).toBe(c.similarityToSeed >= 0.3);
      expect(c.canonicalSmiles).not.toBe('Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1');
    }
    // The score is RDKit's QED of the molecule, recomputed independently.
    const again = await gql(`query($q: String!) { molecule(query: $q) { properties { qed } } }`, { q: r.candidates[0].canonicalSmiles });
    expect(again.data.molecule.properties.qed).toBeCloseTo(scores[0], 10);
    const run = await gql(`query($id: ID!) { run(id: $id) { kind status stats candidates { position score } } }`, { id: r.runId });
    expect(run.data.run).toMatchObject({ kind: 'OPTIMIZE', status: 'SUCCEEDED' });
    expect(run.data.run.candidates.map((c: any) => c.score)).toEqual(scores);
    expect(JSON.parse(run.data.run.stats)).toMatchObject({ oracleCalls: r.oracleCalls, stopReason: r.stopReason });
  });

  it('supports a cLogP target, plogP and SA objectives', async () => {
    for (const objective of ['{ kind: CLOGP_TARGET, target: 2.5 }', '{ kind: PLOGP }', '{ kind: SA }']) {
      const body = await gql(`mutation { optimize(input: { seed: "ibuprofen", objective: ${objective}, budget: 20, topK: 3 }) { seedScore candidates { score components { name raw value } properties { clogp sa plogp } } } }`);
      expect(body.errors).toBeUndefined();
      const c = body.data.optimize.candidates[0];
      const raw = c.components[0].raw;
      expect(c.components[0].value).toBeCloseTo(c.score, 12);
      if (objective.includes('CLOGP')) {
        expect(raw).toBeCloseTo(c.properties.clogp, 10);
        expect(c.score).toBeCloseTo(Math.exp(-0.5 * (c.properties.clogp - 2.5) ** 2), 10);
      }
      if (objective.includes('PLOGP')) expect(raw).toBeCloseTo(c.properties.plogp, 10);
      if (objective.includes('{ kind: SA }')) expect(raw).toBeCloseTo(c.properties.sa, 10);
    }
    expect(await errorCode(`mutation { optimize(input: { seed: "ibuprofen", objective: { kind: CLOGP_TARGET }, budget: 20 }) { runId } }`)).toBe('BAD_USER_INPUT');
  });

  it('pages through candidates ordered by QED with cursors, each row once', async () => {
    const total = await candidateCount();
    expect(total).toBeGreaterThan(5);
    const seen: string[] = [];
    const qeds: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const body: GqlResponse<any> = await gql(`query($after: String) { candidates(first: 4, after: $after, orderBy: QED, direction: DESC) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id properties { qed } } } } }`, { after });
      const c = body.data.candidates;
      expect(c.totalCount).toBe(total);
      for (const e of c.edges) {
        seen.push(e.node.id);
        qeds.push(e.node.properties.qed);
      }
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    for (let i = 1; i < qeds.length; i++) expect(qeds[i]).toBeLessThanOrEqual(qeds[i - 1]);
    const filtered = await gql(`{ candidates(first: 200, filter: { qed: { min: 0.7 } }) { totalCount edges { node { properties { qed } } } } }`);
    expect(filtered.data.candidates.totalCount).toBe(qeds.filter((q) => q >= 0.7).length);
  });

  it('returns typed errors for bad input and leaves the store intact', async () => {
    const before = await candidateCount();
    const interp = (from: string, to: string, steps = 5) =>
      errorCode(INTERPOLATE, { input: { from, to, steps, method: 'SLERP', seed: 0 } });
    expect(await interp('C1CC(C', 'ibuprofen')).toBe('INVALID_SMILES');
    expect(await interp('C(C)(C)(C)(C)C', 'ibuprofen')).toBe('INVALID_SMILES');
    expect(await interp('notarealdrugname', 'ibuprofen')).toBe('UNKNOWN_MOLECULE_NAME');
    expect(await interp("'; DROP TABLE Candidate; --", 'ibuprofen')).toBe('INVALID_SMILES');
    expect(await interp('C\u0000C', 'ibuprofen')).toBe('INVALID_SMILES');
    expect(await interp('celecoxib', 'ibuprofen', 1)).toBe('BAD_USER_INPUT');
    expect(await interp('celecoxib', 'ibuprofen', 1000)).toBe('BAD_USER_INPUT');
    expect(await interp('C'.repeat(5000), 'ibuprofen')).toBe('BAD_USER_INPUT');
    expect(await interp('Cl[Pt]Cl', 'ibuprofen')).toBe('MOLECULE_OUT_OF_DOMAIN');
    for (const beamWidth of [0, 11, 2.5]) {
      expect(await errorCode(INTERPOLATE, { input: { from: 'aspirin', to: 'ibuprofen', beamWidth } })).toBe('BAD_USER_INPUT');
    }
    expect(await errorCode(`mutation { optimize(input: { seed: "ibuprofen", objective: { kind: QED }, budget: 100000 }) { runId } }`)).toBe('BAD_USER_INPUT');
    expect(await errorCode(`mutation { optimize(input: { seed: "ibuprofen", budget: 20 }) { runId } }`)).toBe('BAD_USER_INPUT');
    expect(await errorCode(`mutation { optimize(input: { budget: 20, scoring: { components: [{ kind: MW }] } }) { runId } }`)).toBe('INVALID_OBJECTIVE');
    expect(await errorCode(`mutation { optimize(input: { objective: { kind: QED }, constraints: { minSimilarity: 0.4 }, budget: 20 }) { runId } }`)).toBe('BAD_USER_INPUT');
    expect(await errorCode(`mutation { optimize(input: { seed: "ibuprofen", objective: { kind: QED }, constraints: { minSimilarity: 1.5 } }) { runId } }`)).toBe('BAD_USER_INPUT');
    expect(await errorCode(`{ run(id: "no-such-run") { id } }`)).toBe('NOT_FOUND');
    expect(await errorCode(`{ candidates(first: 5, after: "garbage") { totalCount } }`)).toBe('INVALID_CURSOR');
    expect(await errorCode(`{ candidates(first: 100000) { totalCount } }`)).toBe('BAD_USER_INPUT');
    expect(await errorCode(`query($s: [String!]!) { filterMolecules(smiles: $s) { valid } }`, { s: new Array(1001).fill('C') })).toBe('LIMIT_EXCEEDED');
    expect(await errorCode(`{ molecule(query: "CCO") { nonexistentField } }`)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await candidateCount()).toBe(before);
  });

  it('filters a batch of SMILES with a reason for each rejection', async () => {
    const body = await gql(`query($s: [String!]!) { filterMolecules(smiles: $s) { input valid canonicalSmiles reason } }`, {
      s: ['OCC', 'c1ccccc1C(=O)O', 'C1CC', 'C(C)(C)(C)(C)C', ''],
    });
    const rows = body.data.filterMolecules;
    expect(rows.map((r: any) => r.valid)).toEqual([true, true, false, false, false]);
    expect(rows[0].canonicalSmiles).toBe('CCO');
    expect(rows[1].canonicalSmiles).toBe('O=C(O)c1ccccc1');
    for (const r of rows.slice(2)) expect(r.reason).toEqual(expect.any(String));
    expect(rows[3].reason).toMatch(/valence/i);
  });
});
