/**
 * End to end: the scoring language through the API (components listing, scoreMolecules, optimize with any
 * objective), on the shipped model, RDKit worker threads and a fresh SQLite file.
 */
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AppModule } from '../../src/app.module';
import { validationPipe } from '../../src/main';
import { pmoTask } from '../../src/scoring/pmo-tasks';
import { graphqlClient } from './graphql-client';
import { TestDatabases } from '../db';

/** Fresh databases of this file: SQLite files, or PostgreSQL databases under MOLNAV_TEST_POSTGRES_URL. */
const dbs = new TestDatabases('e2e-scoring');
afterAll(() => dbs.cleanup());

const CELECOXIB = 'Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1';

describe('scoring language (e2e)', () => {
  let app: INestApplication;
  let dir: string;
  const { gql, errorCode } = graphqlClient(() => app);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'molnav-scoring-'));
    process.env.DATABASE_URL = await dbs.url('e2e');
    process.env.MOLNAV_SCORING_WORKERS = '1';
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    app.useGlobalPipes(validationPipe());
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
    delete process.env.DATABASE_URL;
    delete process.env.MOLNAV_SCORING_WORKERS;
  });

  it('lists every component kind with unit, range, parameters and source', async () => {
    const body = await gql('{ scoringComponents { kind unit unitRange parameters source } }');
    const kinds = body.data.scoringComponents;
    expect(kinds.map((k: any) => k.kind)).toEqual(expect.arrayContaining(['QED', 'SA', 'MW', 'TPSA', 'SIMILARITY', 'SUBSTRUCTURE', 'ALERTS', 'FORMULA', 'PLOGP']));
    expect(kinds.find((k: any) => k.kind === 'MW')).toMatchObject({ unit: 'Da', unitRange: false });
    expect(kinds.find((k: any) => k.kind === 'SIMILARITY').parameters).toEqual(['references', 'fingerprint', 'referenceAggregation']);
  });

  it('scores molecules with a PMO task sent as the JSON of the language: celecoxib rediscovers itself', async () => {
    const body = await gql(
      `query($o: ScoringInput!, $s: [String!]!) { scoreMolecules(objective: $o, smiles: $s) { input valid reason canonicalSmiles score feasible components { name raw value } } }`,
      { o: pmoTask('celecoxib_rediscovery').spec, s: [CELECOXIB, 'CC(=O)Oc1ccccc1C(=O)O', 'C1CC'] },
    );
    expect(body.errors).toBeUndefined();
    const [cel, asp, bad] = body.data.scoreMolecules;
    expect(cel).toMatchObject({ valid: true, score: 1, feasible: true });
    expect(asp.score).toBeGreaterThan(0);
    expect(asp.score).toBeLessThan(0.2);
    expect(bad).toMatchObject({ valid: false, score: null });
    expect(bad.reason).toMatch(/ring/i);
  });

  it('rejects a bad objective with every problem listed, and oversized batches', async () => {
    const body = await gql(`{ scoreMolecules(objective: { components: [{ kind: MW }, { kind: SUBSTRUCTURE, smarts: "[C@@@" }] }, smiles: ["CCO"]) { score } }`);
    expect(body.errors?.[0].extensions?.code).toBe('INVALID_OBJECTIVE');
    expect((body.errors?.[0].extensions as any).problems).toHaveLength(2);
    expect(await errorCode(`query($s: [String!]!) { scoreMolecules(objective: { components: [{ kind: QED }] }, smiles: $s) { score } }`, { s: new Array(1001).fill('C') })).toBe('BAD_USER_INPUT');
  });

  it('optimises a custom multi-objective score with a hard constraint from prior samples, and stores the run', async () => {
    const scoring = {
      aggregation: 'GEOMETRIC',
      components: [
        { kind: 'QED', weight: 2 },
        { kind: 'TPSA', transform: { kind: 'DOUBLE_SIGMOID', low: 40, high: 90 } },
      ],
      constraints: [{ kind: 'MW', max: 400 }, { kind: 'ALERTS', alertSets: ['PAINS'] }],
    };
    const body = await gql(
      `mutation($s: ScoringInput!) { optimize(input: { scoring: $s, budget: 60, topK: 5, randomSeed: 1, population: 16 }) {
         runId seed { name } objective seedScore optimizer oracleCalls stopReason
         candidates { rank score softScore feasible components { name raw value } properties { mw tpsa qed } } } }`,
      { s: scoring },
    );
    expect(body.errors).toBeUndefined();
    const r = body.data.optimize;
    expect(r).toMatchObject({ seed: null, objective: null, seedScore: null, optimizer: 'SEP_CMAES' });
    expect(r.oracleCalls).toBeLessThanOrEqual(60);
    expect(r.candidates.length).toBeGreaterThan(0);
    for (const c of r.candidates) {
      expect(c.components.map((x: any) => x.name)).toEqual(['QED', 'TPSA']);
      expect(c.components[0].raw).toBeCloseTo(c.properties.qed, 10);
      expect(c.components[1].raw).toBeCloseTo(c.properties.tpsa, 10);
      if (c.feasible) {
        expect(c.properties.mw).toBeLessThanOrEqual(400);
        expect(c.score).toBeCloseTo(Math.pow(c.components[0].value ** 2 * c.components[1].value, 1 / 3), 10);
      } else expect(c.score).toBe(0);
    }
    const run = await gql(`{ run(id: "${r.runId}") { kind status parameters candidates { score } } }`);
    expect(run.data.run).toMatchObject({ kind: 'OPTIMIZE', status: 'SUCCEEDED' });
    expect(JSON.parse(run.data.run.parameters).scoring.constraints).toHaveLength(2);
    expect(run.data.run.candidates.map((c: any) => c.score)).toEqual(r.candidates.map((c: any) => c.score));
  });

  it('starts one optimiser per seed molecule when several are given', async () => {
    const body = await gql(`mutation { optimize(input: { seed: "celecoxib", seeds: ["ibuprofen", "aspirin"], objective: { kind: QED }, budget: 40, population: 8, topK: 3 }) {
      runId seed { name } oracleCalls decodes candidates { score } } }`);
    expect(body.errors).toBeUndefined();
    const r = body.data.optimize;
    expect(r.seed.name).toBe('CELECOXIB');
    // three starts x population 8 per generation
    expect(r.decodes % 24).toBe(0);
    expect(r.oracleCalls).toBeLessThanOrEqual(40);
    expect(await errorCode(`mutation { optimize(input: { seeds: ["aspirin", "not-a-drug-name"], objective: { kind: QED }, budget: 20 }) { runId } }`)).toBe('UNKNOWN_MOLECULE_NAME');
  });

  async function waitForRun(id: string, done: (run: any) => boolean, timeoutMs = 120000): Promise<any> {
    const start = Date.now();
    for (;;) {
      const body = await gql(`query($id: ID!) { run(id: $id) { status progress stats error candidates { score candidate { canonicalSmiles } } } }`, { id });
      const run = body.data.run;
      if (done(run) || Date.now() - start > timeoutMs) return run;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('runs an optimisation as a background job: answers at once, reports progress, stores the top-K', async () => {
    const body = await gql(`mutation { startOptimization(input: { seed: "aspirin", objective: { kind: QED }, budget: 80, topK: 4, randomSeed: 2 }) { runId status } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.startOptimization.status).toBe('QUEUED');
    const run = await waitForRun(body.data.startOptimization.runId, (r) => ['SUCCEEDED', 'FAILED'].includes(r.status));
    expect(run.status).toBe('SUCCEEDED');
    const progress = JSON.parse(run.progress);
    expect(progress.budget).toBe(80);
    expect(progress.oracleCalls).toBe(JSON.parse(run.stats).oracleCalls);
    expect(progress.bestScore).toBeCloseTo(run.candidates[0].score, 12);
    expect(run.candidates.length).toBeGreaterThan(0);
    expect(run.candidates.length).toBeLessThanOrEqual(4);
  });

  it('cancels a background optimisation between generations', async () => {
    const body = await gql(`mutation { startOptimization(input: { objective: { kind: QED }, budget: 10000, randomSeed: 3 }) { runId } }`);
    const id = body.data.startOptimization.runId;
    await waitForRun(id, (r) => r.status === 'RUNNING' && r.progress !== null);
    const cancelled = await gql(`mutation($id: ID!) { cancelRun(id: $id) { status } }`, { id });
    expect(cancelled.errors).toBeUndefined();
    const run = await waitForRun(id, (r) => !['QUEUED', 'RUNNING'].includes(r.status));
    expect(run.status).toBe('CANCELLED');
    expect(JSON.parse(run.progress).oracleCalls).toBeLessThan(10000);
  });

  describe('ask/tell', () => {
    const BATCH = `runId version told best { smiles score } molecules { index smiles reason knownScore }`;
    /** The pipeline's own scoring tool in this test: QED through scoreMolecules. */
    async function clientScores(molecules: any[]): Promise<Array<number | null>> {
      const valid = molecules.filter((m) => m.smiles !== null && m.knownScore === null).map((m) => m.smiles);
      const body = await gql(`query($s: [String!]!) { scoreMolecules(objective: { components: [{ kind: QED }] }, smiles: $s) { input score } }`, { s: valid });
      const byInput = new Map(body.data.scoreMolecules.map((r: any) => [r.input, r.score]));
      return molecules.map((m) => (m.smiles === null || m.knownScore !== null ? null : (byInput.get(m.smiles) as number)));
    }

    it('proposes molecules, takes external scores, stores them, and is reproducible from its seed', async () => {
      const start = await gql(`mutation { askTellStart(input: { seeds: ["celecoxib", "ibuprofen"], population: 8, randomSeed: 5, objective: "QED from my pipeline" }) { ${BATCH} } }`);
      expect(start.errors).toBeUndefined();
      let batch = start.data.askTellStart;
      expect(batch.version).toBe(1);
      expect(batch.molecules).toHaveLength(16);
      expect(batch.molecules.some((m: any) => m.smiles !== null)).toBe(true);
      const first = batch.molecules.map((m: any) => m.smiles);
      const told: Array<Array<number | null>> = [];
      for (let round = 0; round < 3; round++) {
        const scores = await clientScores(batch.molecules);
        told.push(scores);
        const next = await gql(`mutation($i: AskTellTellInput!) { askTellTell(input: $i) { ${BATCH} } }`, { i: { runId: batch.runId, version: batch.version, scores } });
        expect(next.errors).toBeUndefined();
        batch = next.data.askTellTell;
        expect(batch.version).toBe(round + 2);
      }
      expect(batch.told).toBeGreaterThan(0);
      for (let i = 1; i < batch.best.length; i++) expect(batch.best[i].score).toBeLessThanOrEqual(batch.best[i - 1].score);
      // stored as candidates of the ASK_TELL run with the client's scores
      const run = await gql(`query($id: ID!) { run(id: $id) { kind status candidates { score candidate { canonicalSmiles properties { qed } } } } }`, { id: batch.runId });
      expect(run.data.run).toMatchObject({ kind: 'ASK_TELL', status: 'RUNNING' });
      expect(run.data.run.candidates).toHaveLength(batch.told);
      for (const c of run.data.run.candidates) expect(c.score).toBeCloseTo(c.candidate.properties.qed, 10);

      // errors: stale version, wrong count, a score for an invalid decode
      const stale = await gql(`mutation($i: AskTellTellInput!) { askTellTell(input: $i) { version } }`, { i: { runId: batch.runId, version: 1, scores: [] } });
      expect(stale.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(await errorCode(`mutation($i: AskTellTellInput!) { askTellTell(input: $i) { version } }`, { i: { runId: batch.runId, scores: [0.5] } })).toBe('BAD_USER_INPUT');
      const invalidAt = batch.molecules.findIndex((m: any) => m.smiles === null);
      if (invalidAt >= 0) {
        const scores = batch.molecules.map(() => null);
        scores[invalidAt] = 0.5;
        expect(await errorCode(`mutation($i: AskTellTellInput!) { askTellTell(input: $i) { version } }`, { i: { runId: batch.runId, scores } })).toBe('BAD_USER_INPUT');
      }
      expect(await errorCode(`mutation { askTellTell(input: { runId: "no-such-run", scores: [] }) { version } }`)).toBe('NOT_FOUND');

      // the same seed and the same scores give the same proposals (the optimiser state round-trips through the store)
      const again = await gql(`mutation { askTellStart(input: { seeds: ["celecoxib", "ibuprofen"], population: 8, randomSeed: 5 }) { ${BATCH} } }`);
      let b2 = again.data.askTellStart;
      expect(b2.molecules.map((m: any) => m.smiles)).toEqual(first);
      for (const scores of told) {
        b2 = (await gql(`mutation($i: AskTellTellInput!) { askTellTell(input: $i) { ${BATCH} } }`, { i: { runId: b2.runId, scores } })).data.askTellTell;
      }
      expect(b2.molecules.map((m: any) => m.smiles)).toEqual(batch.molecules.map((m: any) => m.smiles));

      // closing the session
      const fin = await gql(`mutation($id: ID!) { askTellFinish(runId: $id) { runId status } }`, { id: batch.runId });
      expect(fin.data.askTellFinish.status).toBe('SUCCEEDED');
      expect(await errorCode(`mutation($i: AskTellTellInput!) { askTellTell(input: $i) { version } }`, { i: { runId: batch.runId, scores: [] } })).toBe('BAD_USER_INPUT');
    });
  });
});
