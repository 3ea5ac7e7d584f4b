/**
 * GET /metrics on the real app (AppModule, shipped model, RDKit, one scoring worker, a fresh database): the
 * Prometheus text carries the molnav metrics, they move with GraphQL traffic, errors are counted by code, and the
 * endpoint honours MOLNAV_METRICS_TOKEN.
 */
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { validationPipe } from '../../src/main';
import { OBSERVABILITY_OPTIONS, ObservabilityOptions } from '../../src/observability';
import { TestDatabases } from '../db';
import { graphqlClient } from '../e2e/graphql-client';

const dbs = new TestDatabases('observability-metrics');
afterAll(() => dbs.cleanup());

const TOKEN = 'test-scrape-token-5f1c2a9e';
const ASPIRIN = 'CC(=O)Oc1ccccc1C(=O)O';
const CAFFEINE = 'Cn1c(=O)c2c(ncn2C)n(C)c1=O';

/** Parses a Prometheus text exposition into `series -> value` (series = name plus its label set, as printed). */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

describe('GET /metrics (e2e)', () => {
  let app: INestApplication;
  const { gql } = graphqlClient(() => app);

  async function scrape(): Promise<Map<string, number>> {
    const res = await request(app.getHttpServer()).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    return parse(res.text);
  }

  /** How much each series moved while `fn` ran (absent series count as 0). */
  async function delta(fn: () => Promise<unknown>): Promise<(series: string) => number> {
    const before = await scrape();
    await fn();
    const after = await scrape();
    return (series) => (after.get(series) ?? 0) - (before.get(series) ?? 0);
  }

  beforeAll(async () => {
    process.env.DATABASE_URL = await dbs.url('metrics');
    process.env.MOLNAV_SCORING_WORKERS = '1';
    const options: ObservabilityOptions = { log: { level: 'silent', format: 'json' }, metricsToken: TOKEN };
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(OBSERVABILITY_OPTIONS).useValue(options).compile();
    app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    app.useGlobalPipes(validationPipe());
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    delete process.env.DATABASE_URL;
    delete process.env.MOLNAV_SCORING_WORKERS;
  });

  it('refuses scrapes without the bearer token and answers with the Prometheus text format', async () => {
    const none = await request(app.getHttpServer()).get('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(none.text).not.toMatch(/molnav_/);
    const wrong = await request(app.getHttpServer()).get('/metrics').set('Authorization', `Bearer ${TOKEN}x`);
    expect(wrong.status).toBe(401);

    const ok = await request(app.getHttpServer()).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain;/);
    expect(ok.headers['content-type']).toMatch(/version=0\.0\.4/);
    for (const [name, type] of [
      ['molnav_graphql_request_duration_seconds', 'histogram'],
      ['molnav_graphql_errors_total', 'counter'],
      ['molnav_model_batch_duration_seconds', 'histogram'],
      ['molnav_model_batch_failures_total', 'counter'],
      ['molnav_rdkit_molecules_total', 'counter'],
      ['molnav_job_queue_depth', 'gauge'],
      ['process_resident_memory_bytes', 'gauge'],
      ['nodejs_heap_size_used_bytes', 'gauge'],
    ]) {
      expect(ok.text).toContain(`# TYPE ${name} ${type}\n`);
    }
    const m = parse(ok.text);
    expect(m.get('molnav_job_queue_depth{scope="process",state="queued"}')).toBe(0);
    expect(m.get('molnav_job_queue_depth{scope="process",state="running"}')).toBe(0);
    // The health endpoints stay open (and are not affected by the metrics token).
    expect((await request(app.getHttpServer()).get('/health/live')).status).toBe(200);
  });

  it('counts a named query by operation, and the molecules ChemService resolved for it', async () => {
    const d = await delta(async () => {
      const body = await gql('query Describe($q: String!) { molecule(query: $q) { canonicalSmiles properties { qed } } }', { q: ASPIRIN });
      expect(body.errors).toBeUndefined();
      expect(body.data.molecule.canonicalSmiles).toBe(ASPIRIN);
    });
    expect(d('molnav_graphql_request_duration_seconds_count{operation_type="query",operation_name="Describe"}')).toBe(1);
    expect(d('molnav_graphql_request_duration_seconds_bucket{le="+Inf",operation_type="query",operation_name="Describe"}')).toBe(1);
    expect(d('molnav_graphql_request_duration_seconds_sum{operation_type="query",operation_name="Describe"}')).toBeGreaterThan(0);
    expect(d('molnav_rdkit_molecules_total{source="chem_service",op="resolve"}')).toBe(1);
    expect(d('molnav_graphql_errors_total{operation_type="query",operation_name="Describe",code="NOT_FOUND"}')).toBe(0);
  });

  it('collapses anonymous operations into one label value', async () => {
    const d = await delta(async () => {
      await gql('{ molecule(query: "CCO") { valid } }');
      await gql('{ molecule(query: "caffeine") { valid } }');
    });
    expect(d('molnav_graphql_request_duration_seconds_count{operation_type="query",operation_name="anonymous"}')).toBe(2);
  });

  it('counts errors by extensions.code, including documents that do not parse or validate', async () => {
    const d = await delta(async () => {
      const missing = await gql('query GetRun($id: ID!) { run(id: $id) { status } }', { id: '00000000-0000-4000-8000-000000000000' });
      expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const parse = await gql('{ molecule(query: "CCO" { valid } }');
      expect(parse.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      const invalid = await gql('query Nope { noSuchField }');
      expect(invalid.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });
    expect(d('molnav_graphql_errors_total{operation_type="query",operation_name="GetRun",code="NOT_FOUND"}')).toBe(1);
    expect(d('molnav_graphql_errors_total{operation_type="unknown",operation_name="unknown",code="GRAPHQL_PARSE_FAILED"}')).toBe(1);
    expect(d('molnav_graphql_errors_total{operation_type="unknown",operation_name="unknown",code="GRAPHQL_VALIDATION_FAILED"}')).toBe(1);
    expect(d('molnav_graphql_request_duration_seconds_count{operation_type="unknown",operation_name="unknown"}')).toBe(2);
  });

  it('counts molecules scored by the worker pool (valid inputs only)', async () => {
    const d = await delta(async () => {
      const body = await gql('query Score($o: ScoringInput!, $s: [String!]!) { scoreMolecules(objective: $o, smiles: $s) { valid score } }', {
        o: { components: [{ kind: 'QED' }] },
        s: [ASPIRIN, CAFFEINE, 'C1CC'],
      });
      expect(body.errors).toBeUndefined();
      expect(body.data.scoreMolecules.map((r: { valid: boolean }) => r.valid)).toEqual([true, true, false]);
    });
    expect(d('molnav_rdkit_molecules_total{source="scoring_pool",op="score"}')).toBe(2);
    expect(d('molnav_graphql_request_duration_seconds_count{operation_type="query",operation_name="Score"}')).toBe(1);
  });

  it('times the model batches of an interpolation by op, strategy and batch size', async () => {
    const d = await delta(async () => {
      const body = await gql(
        'mutation Walk($input: InterpolateInput!) { interpolate(input: $input) { path { valid } } }',
        { input: { from: 'aspirin', to: 'ibuprofen', steps: 4, seed: 1 } },
      );
      expect(body.errors).toBeUndefined();
    });
    // Both endpoints are encoded in one batch of 2 rows; the 3 interior points are decoded greedily (at least once).
    expect(d('molnav_model_batch_duration_seconds_count{op="encode",strategy="none",batch_size="2-8"}')).toBe(1);
    expect(d('molnav_model_batch_duration_seconds_count{op="decode",strategy="greedy",batch_size="2-8"}')).toBeGreaterThanOrEqual(1);
    expect(d('molnav_graphql_request_duration_seconds_count{operation_type="mutation",operation_name="Walk"}')).toBe(1);
  });
});
