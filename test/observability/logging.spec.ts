/**
 * Structured logs of the real app, captured through a pino destination: Nest's Logger goes through pino (as main.ts
 * wires it), each HTTP/GraphQL request leaves one record with request id, operation, status and duration, and no
 * record carries a molecule sent as a GraphQL variable (POST body or GET query string) or an API key header.
 */
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { validationPipe } from '../../src/main';
import { OBSERVABILITY_OPTIONS, ObservabilityOptions, PinoNestLogger } from '../../src/observability';
import { TestDatabases } from '../db';

const dbs = new TestDatabases('observability-logging');
afterAll(() => dbs.cleanup());

// Confidential inputs: none of these strings may appear in any log record.
const CELECOXIB = 'Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1';
const CAFFEINE = 'Cn1c(=O)c2c(ncn2C)n(C)c1=O';
const BEARER = 'mnk_7d1f0c2b_9a83e6c44f0b1d2e8a7c';
const API_KEY = 'mnk_5b0e9c1d_77aa3f9e0c1b2d4e6f80';

describe('structured logs (e2e)', () => {
  let app: INestApplication;
  const lines: string[] = [];
  const records = (): Record<string, any>[] => lines.map((l) => JSON.parse(l));
  const completed = (reqId: string) => records().filter((r) => r.reqId === reqId && r.res);

  /** The request-completed record is written on the response's 'finish' event, just after supertest resolves. */
  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  beforeAll(async () => {
    process.env.DATABASE_URL = await dbs.url('logging');
    process.env.MOLNAV_SCORING_WORKERS = '0';
    const options: ObservabilityOptions = {
      log: { level: 'info', format: 'json', destination: { write: (s: string) => void lines.push(s) } },
      metricsToken: null,
    };
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(OBSERVABILITY_OPTIONS).useValue(options).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(PinoNestLogger)); // as main.ts does
    app.useGlobalPipes(validationPipe());
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    delete process.env.DATABASE_URL;
    delete process.env.MOLNAV_SCORING_WORKERS;
  });

  it("routes Nest's Logger through pino: start-up messages are JSON records with their context", () => {
    const model = records().find((r) => r.context === 'ModelService' && /loaded model/.test(r.msg));
    expect(model).toMatchObject({ level: 'info' });
    expect(typeof model!.time).toBe('string');
    expect(records().some((r) => r.context === 'ChemService' && /RDKit .* ready/.test(r.msg))).toBe(true);
  });

  it('logs a GraphQL request with request id, operation, status and duration, without variables or credentials', async () => {
    // Credentials in both headers the API reads (whether the key is accepted is the auth layer's business).
    const res = await request(app.getHttpServer())
      .post('/graphql')
      .set('Authorization', `Bearer ${BEARER}`)
      .set('X-Api-Key', API_KEY)
      .set('X-Request-Id', 'test-req-0001')
      .send({ query: 'query Describe($q: String!) { molecule(query: $q) { canonicalSmiles } }', variables: { q: CELECOXIB } });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('test-req-0001');
    await settle();
    const [rec] = completed('test-req-0001');
    expect(rec).toMatchObject({
      level: 'info',
      operationType: 'query',
      operationName: 'Describe',
      req: { method: 'POST', url: '/graphql', headers: { authorization: '[Redacted]', 'x-api-key': '[Redacted]' } },
      res: { statusCode: 200 },
    });
    expect(rec.responseTime).toBeGreaterThanOrEqual(0);
    expect(rec.msg).toMatch(/^POST \/graphql 200 \d+ ms$/);
    expect(rec.req.body).toBeUndefined();

    // The same operation without credentials succeeds; its record has no error codes.
    const ok = await request(app.getHttpServer())
      .post('/graphql')
      .set('X-Request-Id', 'test-req-0002')
      .send({ query: 'query Describe($q: String!) { molecule(query: $q) { canonicalSmiles } }', variables: { q: CELECOXIB } });
    expect(ok.body.data.molecule.canonicalSmiles).toBe(CELECOXIB);
    await settle();
    const [rec2] = completed('test-req-0002');
    expect(rec2).toMatchObject({ operationType: 'query', operationName: 'Describe', res: { statusCode: 200 } });
    expect(rec2.graphqlErrors).toBeUndefined();
  });

  it('logs a GET /graphql without its query string (where the variables travel) and generates a request id', async () => {
    const res = await request(app.getHttpServer())
      .get('/graphql')
      .set('apollo-require-preflight', 'true')
      .query({ query: 'query Check($q: String!) { molecule(query: $q) { valid } }', variables: JSON.stringify({ q: CAFFEINE }) });
    expect(res.status).toBe(200);
    expect(res.body.data.molecule.valid).toBe(true);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await settle();
    const [rec] = completed(id);
    expect(rec).toMatchObject({ operationName: 'Check', req: { method: 'GET', url: '/graphql' }, res: { statusCode: 200 } });
  });

  it('names the error codes of a failed operation and keeps the code, not the input, in the record', async () => {
    const res = await request(app.getHttpServer())
      .post('/graphql')
      .set('X-Request-Id', 'test-req-0003')
      .send({ query: 'mutation Walk($i: InterpolateInput!) { interpolate(input: $i) { runId } }', variables: { i: { from: 'C1CC(C', to: CAFFEINE, steps: 4 } } });
    expect(res.body.errors[0].extensions.code).toBe('INVALID_SMILES');
    await settle();
    const [rec] = completed('test-req-0003');
    expect(rec).toMatchObject({ operationType: 'mutation', operationName: 'Walk', graphqlErrors: ['INVALID_SMILES'] });
  });

  it('does not log successful health probes', async () => {
    expect((await request(app.getHttpServer()).get('/health/live').set('X-Request-Id', 'probe-1')).status).toBe(200);
    await settle();
    expect(records().filter((r) => r.reqId === 'probe-1')).toEqual([]);
  });

  it('never wrote a SMILES variable or a credential into any record', () => {
    const all = lines.join('');
    expect(lines.length).toBeGreaterThan(5);
    for (const secret of [CELECOXIB, CAFFEINE, 'C1CC(C', BEARER, API_KEY]) expect(all).not.toContain(secret);
  });
});
