/**
 * Hostile inputs end to end (test/security/hostile-corpus.ts) against the real app (AppModule, shipped model, RDKit,
 * a fresh database, the HTTP limits of main.ts): malformed and oversized SMILES, injection strings, non-finite and
 * huge numbers, and documents built to exhaust the server, sent to the real operations (molecule, filterMolecules,
 * scoreMolecules, candidates, run, interpolate, optimize, sampleNeighbours, traverse, askTellTell; runProgress over
 * graphql-ws).
 *
 * Every request must end in a typed error code (or, where the API answers bad molecules as data, `valid: false`):
 * never INTERNAL_SERVER_ERROR, never a 5xx, never a stack trace. Afterwards the service still answers, no run or
 * candidate was stored by a rejected request, and the tables are still there.
 */
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getIntrospectionQuery } from 'graphql';
import { createClient } from 'graphql-ws';
import type { AddressInfo } from 'net';
import request from 'supertest';
import WebSocket from 'ws';
import { AppModule } from '../../src/app.module';
import { configureHttpLimits } from '../../src/auth/http-limits';
import { LIMITS } from '../../src/config/config';
import { validationPipe } from '../../src/main';
import { StoreService } from '../../src/store';
import { TEST_PROVIDER, TestDatabases } from '../db';
import {
  FRAGMENT_CYCLE,
  HOSTILE_NUMBERS,
  HUGE_SMILES_1MB,
  INJECTION_STRINGS,
  INTROSPECTION_FAN_OUT,
  LONG_SMILES_10K,
  MALFORMED_SMILES,
  RAW_NUMBER_BODIES,
  aliasBomb,
  deeplyNestedVariablesBody,
  deepQuery,
  directiveBomb,
  fragmentBomb,
  tokenBomb,
} from './hostile-corpus';

const dbs = new TestDatabases('hostile');
afterAll(() => dbs.cleanup());

interface Res {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[] };
}

/** Every code a client may legitimately receive for bad input (src/common/errors.ts ErrorCode + Apollo's own). */
const TYPED_CODES = new Set([
  'BAD_USER_INPUT',
  'INVALID_SMILES',
  'UNKNOWN_MOLECULE_NAME',
  'MOLECULE_OUT_OF_DOMAIN',
  'LIMIT_EXCEEDED',
  'NOT_FOUND',
  'INVALID_CURSOR',
  'DIRECTIONS_UNAVAILABLE',
  'INVALID_OBJECTIVE',
  'INVALID_SMARTS',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'PAYLOAD_TOO_LARGE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
]);

/** Asserts a handled answer and returns its error codes (empty when it answered with data only). */
function handled(res: Res, label: string): string[] {
  expect({ label, status: res.status < 500 }).toEqual({ label, status: true });
  expect(typeof res.body).toBe('object');
  const errors = res.body.errors ?? [];
  const codes = errors.map((e) => e.extensions?.code ?? 'NO_CODE');
  for (const code of codes) expect({ label, code, typed: TYPED_CODES.has(code) }).toEqual({ label, code, typed: true });
  expect(JSON.stringify(res.body)).not.toMatch(/stacktrace|\bat [A-Za-z_.<>]+ \(|node_modules|\.ts:\d+/);
  if (errors.length === 0) expect(res.body.data).toBeDefined();
  return codes;
}

describe('hostile inputs (e2e, real app)', () => {
  let app: INestApplication;
  let store: StoreService;
  let wsUrl: string;
  let runId: string;
  let before: { candidates: number; runs: number };

  async function counts(): Promise<{ candidates: number; runs: number }> {
    return {
      candidates: (await store.listCandidates({ first: 1 })).totalCount,
      runs: (await store.listRuns({ first: 1 })).totalCount,
    };
  }

  /** Sends a request; when it is answered with errors only (rejected), the store must not have changed. */
  async function unchangedIfRejected(send: () => Promise<Res>): Promise<Res> {
    const b = await counts();
    const res = await send();
    const rejected = (res.body.errors?.length ?? 0) > 0 && (res.body.data === undefined || res.body.data === null);
    if (rejected) expect(await counts()).toEqual(b);
    return res;
  }

  function gql(query: string, variables: Record<string, unknown> = {}): Promise<Res> {
    return unchangedIfRejected(async () => {
      const res = await request(app.getHttpServer()).post('/graphql').send({ query, variables });
      return { status: res.status, body: res.body };
    });
  }

  function raw(body: string, contentType = 'application/json'): Promise<Res> {
    return unchangedIfRejected(async () => {
      const res = await request(app.getHttpServer()).post('/graphql').set('Content-Type', contentType).send(body);
      let parsed: Res['body'];
      try {
        parsed = typeof res.body === 'object' && res.body !== null && Object.keys(res.body).length ? res.body : JSON.parse(res.text);
      } catch {
        parsed = { errors: [{ message: res.text, extensions: { code: 'NOT_JSON' } }] };
      }
      return { status: res.status, body: parsed };
    });
  }

  beforeAll(async () => {
    process.env.DATABASE_URL = await dbs.url('hostile');
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    app.useGlobalPipes(validationPipe());
    configureHttpLimits(app);
    await app.listen(0, '127.0.0.1');
    wsUrl = `ws://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/graphql`;
    store = app.get(StoreService);
    // One real run, so the store has rows to protect and run(id) has something to find.
    const seeded = await gql(`mutation { interpolate(input: { from: "aspirin", to: "ibuprofen", steps: 2, seed: 1 }) { runId } }`);
    expect(seeded.body.errors).toBeUndefined();
    runId = seeded.body.data.interpolate.runId;
    before = await counts();
    expect(before.runs).toBe(1);
    expect(before.candidates).toBeGreaterThanOrEqual(2);
  });

  afterAll(async () => {
    await app?.close();
    delete process.env.DATABASE_URL;
  });

  describe('malformed SMILES', () => {
    it.each(MALFORMED_SMILES)('$what ($smiles): molecule/filterMolecules/scoreMolecules answer valid: false', async ({ smiles }) => {
      const m = await gql(`query($s: String!) { molecule(query: $s) { valid reason canonicalSmiles } }`, { s: smiles });
      if (handled(m, 'molecule').length === 0) expect(m.body.data.molecule).toMatchObject({ valid: false, canonicalSmiles: null, reason: expect.any(String) });
      const f = await gql(`query($s: [String!]!) { filterMolecules(smiles: $s) { valid reason } }`, { s: [smiles, 'CCO'] });
      expect(handled(f, 'filterMolecules')).toEqual([]);
      expect(f.body.data.filterMolecules.map((r: any) => r.valid)).toEqual([false, true]);
      const sc = await gql(`query($s: [String!]!) { scoreMolecules(objective: { components: [{ kind: QED }] }, smiles: $s) { valid score } }`, { s: [smiles] });
      expect(handled(sc, 'scoreMolecules')).toEqual([]);
      expect(sc.body.data.scoreMolecules[0].valid).toBe(false);
    });

    it.each(MALFORMED_SMILES)('$what ($smiles): interpolate/optimize/sampleNeighbours/traverse answer a typed error', async ({ smiles }) => {
      const ops = [
        [`mutation($s: String!) { interpolate(input: { from: $s, to: "aspirin", steps: 2 }) { runId } }`, 'interpolate'],
        [`mutation($s: String!) { optimize(input: { seed: $s, objective: { kind: QED }, budget: 10 }) { runId } }`, 'optimize'],
        [`mutation($s: String!) { sampleNeighbours(input: { molecule: $s, count: 2 }) { runId } }`, 'sampleNeighbours'],
        [`mutation($s: String!) { traverse(input: { molecule: $s, property: "qed", distance: 1, steps: 2 }) { runId } }`, 'traverse'],
      ];
      for (const [query, label] of ops) {
        const codes = handled(await gql(query, { s: smiles }), label);
        expect({ label, codes }).toEqual({ label, codes: [expect.stringMatching(/^(INVALID_SMILES|UNKNOWN_MOLECULE_NAME|BAD_USER_INPUT)$/)] });
      }
    });

    it('a 10,000-character SMILES is refused by length everywhere (limit 500)', async () => {
      const m = await gql(`query($s: String!) { molecule(query: $s) { valid reason } }`, { s: LONG_SMILES_10K });
      expect(handled(m, 'molecule')).toEqual([]);
      expect(m.body.data.molecule).toEqual({ valid: false, reason: `input longer than ${LIMITS.maxInputLength} characters` });
      const i = await gql(`mutation($s: String!) { interpolate(input: { from: $s, to: "aspirin" }) { runId } }`, { s: LONG_SMILES_10K });
      expect(handled(i, 'interpolate')).toEqual(['BAD_USER_INPUT']);
      const f = handled(await gql(`query($s: [String!]!) { filterMolecules(smiles: $s) { valid reason } }`, { s: [LONG_SMILES_10K] }), 'filter');
      expect(f.every((c) => c === 'LIMIT_EXCEEDED' || c === 'BAD_USER_INPUT')).toBe(true);
      // Inlined in the document it still fits the query-length limit and reaches the same check.
      const inline = await gql(`{ molecule(query: "${LONG_SMILES_10K}") { valid } }`);
      expect(handled(inline, 'inline')).toEqual([]);
      expect(inline.body.data.molecule.valid).toBe(false);
    });

    it('a 1 MiB SMILES is refused before parsing: HTTP 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await raw(JSON.stringify({ query: `query($s: String!) { molecule(query: $s) { valid } }`, variables: { s: HUGE_SMILES_1MB } }));
      expect(res.status).toBe(413);
      expect(handled(res, '1MB')).toEqual(['PAYLOAD_TOO_LARGE']);
      expect(res.body.errors![0].extensions).toMatchObject({ limit: LIMITS.maxRequestBodyBytes });
    });
  });

  describe('injection strings', () => {
    // Characters of a canonical SMILES (RDKit's output alphabet): whatever RDKit accepts, no injected text comes back.
    const SMILES_ALPHABET = /^[A-Za-z0-9@+\-[\]()=#$%:/\\.*]*$/;

    it.each(INJECTION_STRINGS)('$what: typed answers from every operation, nothing stored', async ({ value }) => {
      const m = await gql(`query($s: String!) { molecule(query: $s) { valid canonicalSmiles } }`, { s: value });
      if (handled(m, 'molecule').length === 0 && m.body.data.molecule.valid) expect(m.body.data.molecule.canonicalSmiles).toMatch(SMILES_ALPHABET);
      const f = await gql(`query($s: [String!]!) { filterMolecules(smiles: $s) { valid canonicalSmiles } }`, { s: [value] });
      if (handled(f, 'filter').length === 0 && f.body.data.filterMolecules[0].valid) expect(f.body.data.filterMolecules[0].canonicalSmiles).toMatch(SMILES_ALPHABET);
      const one = (res: Res, label: string, allowed: RegExp) => {
        const codes = handled(res, label);
        expect({ label, codes }).toEqual({ label, codes: [expect.stringMatching(allowed)] });
      };
      one(await gql(`query($id: ID!) { run(id: $id) { id } }`, { id: value }), 'run', /^(NOT_FOUND|BAD_USER_INPUT)$/);
      one(await gql(`query($a: String) { candidates(first: 5, after: $a) { totalCount } }`, { a: value }), 'cursor', /^(INVALID_CURSOR|BAD_USER_INPUT)$/);
      const byRun = await gql(`query($r: ID) { candidates(first: 5, runId: $r) { totalCount } }`, { r: value });
      if (handled(byRun, 'candidates(runId)').length === 0) expect(byRun.body.data.candidates.totalCount).toBe(0);
      // RDKit alone would skip some leading non-ASCII characters ("💊🧪C" parsed as methane, "\u202eOCC" as
      // ethanol); the chemistry layer refuses any non-ASCII SMILES first.
      if (/[^\x20-\x7e]/u.test(value)) expect(m.body.data?.molecule?.valid).not.toBe(true);
      // Where molecule() accepted the string (it is SMILES), the operations taking a molecule (or a SMARTS) may run.
      const parsedAsMolecule = m.body.data?.molecule?.valid === true;
      const ops: [string, Record<string, unknown>, boolean][] = [
        [`mutation($s: String!) { interpolate(input: { from: "aspirin", to: $s, steps: 2 }) { runId } }`, { s: value }, parsedAsMolecule],
        [`mutation($s: String!) { optimize(input: { seeds: ["aspirin", $s], objective: { kind: QED }, budget: 10 }) { runId } }`, { s: value }, parsedAsMolecule],
        [`mutation($s: String!) { traverse(input: { molecule: "aspirin", property: $s, distance: 1, steps: 2 }) { runId } }`, { s: value }, false],
        [`mutation($s: ID!) { askTellTell(input: { runId: $s, scores: [0.5] }) { version } }`, { s: value }, false],
        [`mutation($s: ID!) { cancelRun(id: $s) { id } }`, { s: value }, false],
        [`query($s: String!) { scoreMolecules(objective: { components: [{ kind: SUBSTRUCTURE, smarts: $s }] }, smiles: ["CCO"]) { score } }`, { s: value }, parsedAsMolecule],
      ];
      for (const [query, variables, mayRun] of ops) {
        const codes = handled(await gql(query, variables), query.slice(0, 40));
        if (!mayRun) expect({ query: query.slice(0, 40), rejected: codes.length === 1 }).toEqual({ query: query.slice(0, 40), rejected: true });
      }
    });
  });

  describe('numbers', () => {
    it.each(RAW_NUMBER_BODIES)('$what: $expect', async ({ body, expect: code }) => {
      const res = await raw(body);
      expect(handled(res, 'raw number')).toEqual([code]);
      expect(res.status).toBe(400);
    });

    it.each(HOSTILE_NUMBERS)('$what ($value) in Float and Int arguments: typed answers', async ({ value }) => {
      const cases: [string, Record<string, unknown>, 'Float' | 'Int'][] = [
        [`mutation($v: Float!) { sampleNeighbours(input: { molecule: "aspirin", count: 2, radius: $v }) { runId } }`, { v: value }, 'Float'],
        [`mutation($v: Float!) { traverse(input: { molecule: "aspirin", property: "qed", distance: $v, steps: 2 }) { runId } }`, { v: value }, 'Float'],
        [`mutation($v: Float!) { optimize(input: { objective: { kind: QED }, budget: 10, sigma: $v }) { runId } }`, { v: value }, 'Float'],
        [`mutation($v: Int!) { interpolate(input: { from: "aspirin", to: "ibuprofen", steps: $v }) { runId } }`, { v: value }, 'Int'],
        [`mutation($v: Int!) { optimize(input: { objective: { kind: QED }, budget: $v }) { runId } }`, { v: value }, 'Int'],
        [`mutation($v: Float) { askTellTell(input: { runId: "${runId}", scores: [$v] }) { version } }`, { v: value }, 'Float'],
      ];
      // A tiny positive float is a legal radius or distance (they only need to be non-zero): it may run.
      const mayRun = typeof value === 'number' && Math.abs(value) < 1;
      for (const [query, variables, kind] of cases) {
        const codes = handled(await gql(query, variables), query.slice(0, 50));
        if (codes.length === 0 && kind === 'Float' && mayRun) continue;
        expect({ query: query.slice(0, 50), codes }).toEqual({ query: query.slice(0, 50), codes: [expect.stringMatching(/^(BAD_USER_INPUT|LIMIT_EXCEEDED)$/)] });
      }
      // As a candidates filter bound (a read): answered, with an error or an (empty) page.
      handled(await gql(`query($v: Float) { candidates(first: 5, filter: { qed: { min: $v } }) { totalCount } }`, { v: value }), 'filter');
    });
  });

  describe('documents', () => {
    const tooComplex = (res: Res, limit: string) => {
      expect(res.status).toBe(400);
      expect(handled(res, limit)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(res.body.errors![0].extensions).toMatchObject({ limit, max: LIMITS[limit as keyof typeof LIMITS] });
    };

    it('depth 50 is refused (maxQueryDepth; its cost is over the limit too)', async () => {
      const res = await gql(deepQuery(50));
      expect(res.status).toBe(400);
      expect(new Set(handled(res, 'depth'))).toEqual(new Set(['QUERY_TOO_COMPLEX']));
      expect(res.body.errors!.map((e) => e.extensions!.limit)).toContain('maxQueryDepth');
    });
    it('500 aliases of molecule are refused before parsing (their 5,000 tokens: maxQueryTokens)', async () => tooComplex(await gql(aliasBomb(500)), 'maxQueryTokens'));
    it('100 aliases of molecule are refused (maxQueryAliases)', async () => tooComplex(await gql(aliasBomb(100)), 'maxQueryAliases'));
    it('50 directives are refused (maxQueryDirectives)', async () => tooComplex(await gql(directiveBomb(50)), 'maxQueryDirectives'));
    it('4,000 tokens are refused before parsing (maxQueryTokens)', async () => tooComplex(await gql(tokenBomb(4000)), 'maxQueryTokens'));
    it('a 30,000-character query is refused before parsing (maxQueryLength)', async () =>
      tooComplex(await gql(`{ molecule(query: "CCO") { valid } } # ${'x'.repeat(30_000)}`), 'maxQueryLength'));
    it("introspection fan-out is refused (graphql-js's introspection depth rule) while standard introspection works", async () => {
      const fan = await gql(INTROSPECTION_FAN_OUT);
      expect(fan.status).toBe(400);
      expect(handled(fan, 'fan-out')).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(fan.body.errors![0].message).toMatch(/introspection depth/);
      const intro = await gql(getIntrospectionQuery());
      expect(intro.body.errors).toBeUndefined();
      expect(intro.body.data.__schema.queryType.name).toBe('Query');
    });
    it('fragment cycles are refused (GRAPHQL_VALIDATION_FAILED)', async () => {
      const res = await gql(FRAGMENT_CYCLE);
      expect(res.status).toBe(400);
      expect(new Set(handled(res, 'cycle'))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
    });
    it('a fragment bomb (2^40 fields once expanded) is refused or answered, without blowing up', async () => {
      const codes = handled(await gql(fragmentBomb(40)), 'fragment bomb');
      expect(codes.every((c) => c === 'QUERY_TOO_COMPLEX')).toBe(true);
    });
    it('ten full pages of depicted candidates in one request are refused (maxQueryCost)', async () => {
      const page = (alias: string) => `${alias}: candidates(first: 200) { edges { node { canonicalSmiles svg properties { qed mw clogp tpsa sa } } } }`;
      tooComplex(await gql(`{ ${Array.from({ length: 10 }, (_, i) => page(`p${i}`)).join(' ')} }`), 'maxQueryCost');
      // One such page is fine.
      expect(handled(await gql(`{ ${page('p')} }`), 'one page')).toEqual([]);
    });
    it('syntax errors are GRAPHQL_PARSE_FAILED', async () => {
      const res = await gql(`{ molecule(query: "CCO" { valid }`);
      expect(res.status).toBe(400);
      expect(handled(res, 'syntax')).toEqual(['GRAPHQL_PARSE_FAILED']);
    });
  });

  describe('requests', () => {
    it('batches (a JSON array of operations) are refused: BAD_REQUEST', async () => {
      const op = { query: '{ molecule(query: "CCO") { valid } }' };
      const res = await raw(JSON.stringify(Array.from({ length: 100 }, () => op)));
      expect(res.status).toBe(400);
      expect(handled(res, 'batch')).toEqual(['BAD_REQUEST']);
    });
    it('variables nested 100,000 arrays deep are refused without recursion trouble (BAD_USER_INPUT)', async () => {
      const res = await raw(deeplyNestedVariablesBody(100_000));
      expect(res.status).toBe(400);
      expect(handled(res, 'nested')).toEqual(['BAD_USER_INPUT']);
    });
    it('huge lists in variables get their documented limit errors', async () => {
      const filter = await gql(`query($s: [String!]!) { filterMolecules(smiles: $s) { valid } }`, { s: new Array(100_000).fill('C') });
      expect(handled(filter, 'filter')).toEqual(['LIMIT_EXCEEDED']);
      const score = await gql(`query($s: [String!]!) { scoreMolecules(objective: { components: [{ kind: QED }] }, smiles: $s) { score } }`, { s: new Array(50_000).fill('C') });
      expect(handled(score, 'score')).toEqual(['BAD_USER_INPUT']);
      const tell = await gql(`mutation($s: [Float]!) { askTellTell(input: { runId: "${runId}", scores: $s }) { version } }`, { s: new Array(100_000).fill(0.5) });
      expect(handled(tell, 'tell').length).toBe(1);
    });
    it('malformed JSON, other content types and GET mutations are typed 4xx answers', async () => {
      const bad = await raw('{"query": "{ molecule(query: \\"CCO\\") { valid } }",');
      expect(bad.status).toBe(400);
      expect(handled(bad, 'malformed')).toEqual(['BAD_REQUEST']);
      const text = await raw('{ molecule(query: "CCO") { valid } }', 'text/plain');
      expect(text.status).toBe(400);
      expect(handled(text, 'text/plain')).toEqual(['BAD_REQUEST']);
      const get = await request(app.getHttpServer()).get('/graphql').query({ query: 'mutation { cancelRun(id: "x") { id } }' }).set('apollo-require-preflight', 'true');
      expect(get.status).toBeLessThan(500);
      expect(handled({ status: get.status, body: get.body }, 'GET mutation')).toEqual(['BAD_REQUEST']);
    });
    it('graphql-ws subscriptions get the same query limits', async () => {
      const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
      const first = async (query: string): Promise<string[]> => {
        try {
          for await (const r of client.iterate({ query })) return (r.errors ?? []).map((e) => String(e.extensions?.code));
          return [];
        } catch (e) {
          return Array.isArray(e) ? e.map((x: any) => String(x.extensions?.code)) : [`THROWN ${String(e)}`];
        }
      };
      try {
        const aliases = Array.from({ length: 40 }, (_, i) => `p${i}: runProgress(id: "${runId}") { runId }`).join(' ');
        // (graphql-js also reports that a subscription must have one root field.)
        expect(await first(`subscription { ${aliases} }`)).toContain('QUERY_TOO_COMPLEX');
        expect(await first(`subscription { runProgress(id: "\ud800") { runId } }`)).toEqual(['BAD_USER_INPUT']);
        expect(await first(`subscription { runProgress(id: "${runId}") { runId } } # ${'x'.repeat(30_000)}`)).toEqual(['QUERY_TOO_COMPLEX']);
        expect(await first(`subscription { runProgress(id: "no-such-run") { runId } }`)).toEqual(['NOT_FOUND']);
      } finally {
        await client.dispose();
      }
    });
  });

  describe('afterwards', () => {
    it('still answers, kept its first run and its tables (rejected requests were checked to store nothing)', async () => {
      const ok = await gql(`{ molecule(query: "celecoxib") { valid inchiKey } }`);
      expect(ok.body.data.molecule).toEqual({ valid: true, inchiKey: 'RZEKVGVHFLEQIL-UHFFFAOYSA-N' });
      const now = await counts();
      expect(now.runs).toBeGreaterThanOrEqual(before.runs);
      expect(now.candidates).toBeGreaterThanOrEqual(before.candidates);
      const run = await gql(`query($id: ID!) { run(id: $id) { status candidates { position } } }`, { id: runId });
      expect(run.body.data.run.status).toBe('SUCCEEDED');
      expect(await store.ping()).toBe(true);
      if (TEST_PROVIDER === 'sqlite') {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const Database = require('better-sqlite3') as new (f: string, o: object) => { prepare(sql: string): { all(): { name: string }[] }; close(): void };
        const db = new Database(store.databaseFile!, { readonly: true });
        const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all().map((r) => r.name);
        db.close();
        expect(tables).toEqual(expect.arrayContaining(['Candidate', 'Run', 'RunCandidate', 'ApiKey']));
      }
      const page = await store.listCandidates({ first: 200 });
      for (const c of page.items) expect(INJECTION_STRINGS.map((i) => i.value)).not.toContain(c.canonicalSmiles);
    });
  });
});
