/**
 * Rate limits end to end (MOLNAV_RATE_LIMIT, MOLNAV_RATE_LIMIT_EXPENSIVE) in a real Nest app with low limits:
 * per client IP without a key, per API key with one, one count per HTTP request, a stricter bucket for expensive
 * mutations, RATE_LIMITED with retryAfter and a Retry-After header, health probes never limited, 0 = off.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { generateApiKey } from '../../src/auth/api-key';
import { AuthService } from '../../src/auth/auth.service';
import { TestDatabases } from '../db';
import { bearer, codes, lightApp, post } from './helpers';

const dbs = new TestDatabases('ratelimit');
afterAll(() => dbs.cleanup());

const MOLECULE = `{ molecule(query: "caffeine") { valid } }`;

describe('MOLNAV_RATE_LIMIT=5 (per minute)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    ({ app } = await lightApp({ env: { MOLNAV_RATE_LIMIT: '5', MOLNAV_RATE_LIMIT_EXPENSIVE: '0' }, databaseUrl: await dbs.url('five') }));
  });
  afterAll(() => app?.close());

  it('allows 5 requests per IP (a request counts once, whatever its root fields), then answers RATE_LIMITED', async () => {
    const first = await post(app, MOLECULE);
    expect(first.body.data.molecule.valid).toBe(true);
    expect(first.headers['x-ratelimit-limit']).toBe('5');
    expect(first.headers['x-ratelimit-remaining']).toBe('4');
    // Three root fields in one request: one count.
    const multi = await post(app, `{ a: molecule(query: "aspirin") { valid } b: molecule(query: "caffeine") { valid } c: approvedDrugs(prefix: "ibu") { name } }`);
    expect(multi.body.errors).toBeUndefined();
    expect(multi.headers['x-ratelimit-remaining']).toBe('3');
    for (let i = 0; i < 3; i++) expect((await post(app, MOLECULE)).body.errors).toBeUndefined();

    const limited = await post(app, MOLECULE);
    expect(codes(limited)).toEqual(['RATE_LIMITED']);
    const ext = limited.body.errors![0].extensions!;
    expect(ext).toMatchObject({ bucket: 'default', limit: 5, windowSeconds: 60 });
    expect(ext.retryAfter).toBeGreaterThanOrEqual(1);
    expect(ext.retryAfter).toBeLessThanOrEqual(60);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body.data).toBeNull();

    // No root field of a limited request runs (graphql-js reports the first error of non-null fields).
    const both = codes(await post(app, `{ a: molecule(query: "CCO") { valid } b: molecule(query: "CCN") { valid } }`));
    expect(both.length).toBeGreaterThanOrEqual(1);
    expect(new Set(both)).toEqual(new Set(['RATE_LIMITED']));
    // Guessing keys from a limited IP is limited too (an invalid key is counted against the IP).
    expect(codes(await post(app, MOLECULE, {}, bearer(generateApiKey().key)))).toEqual(['RATE_LIMITED']);
    // Health probes are not limited.
    for (let i = 0; i < 8; i++) expect((await request(app.getHttpServer()).get('/health/live')).status).toBe(200);
  });

  it('gives each API key its own bucket', async () => {
    const { key } = await app.get(AuthService).createKey('own-bucket', 'read');
    for (let i = 0; i < 5; i++) expect((await post(app, MOLECULE, {}, bearer(key))).body.errors).toBeUndefined();
    expect(codes(await post(app, MOLECULE, {}, bearer(key)))).toEqual(['RATE_LIMITED']);
  });
});

describe('MOLNAV_RATE_LIMIT=0 (off), MOLNAV_RATE_LIMIT_EXPENSIVE=2', () => {
  let app: INestApplication;

  beforeAll(async () => {
    ({ app } = await lightApp({ env: { MOLNAV_RATE_LIMIT: '0', MOLNAV_RATE_LIMIT_EXPENSIVE: '2' }, databaseUrl: await dbs.url('expensive'), navigation: true }));
  });
  afterAll(() => app?.close());

  it('does not limit ordinary requests when MOLNAV_RATE_LIMIT=0', async () => {
    for (let i = 0; i < 30; i++) expect((await post(app, MOLECULE)).body.errors).toBeUndefined();
  });

  it('limits optimize/startOptimization/askTell* to 2 per minute per client, each root field counted', async () => {
    // budget 1 is below the minimum: the guard counts the call before the input is validated (BAD_USER_INPUT).
    const optimize = `mutation { optimize(input: { objective: { kind: QED }, budget: 1 }) { runId } }`;
    expect(codes(await post(app, optimize))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await post(app, optimize))).toEqual(['BAD_USER_INPUT']);
    const limited = await post(app, optimize);
    expect(codes(limited)).toEqual(['RATE_LIMITED']);
    expect(limited.body.errors![0].extensions).toMatchObject({ bucket: 'expensive', limit: 2 });
    expect(codes(await post(app, `mutation { startOptimization(input: { objective: { kind: QED }, budget: 1 }) { runId } }`))).toEqual(['RATE_LIMITED']);
    // Other operations are not in that bucket.
    expect((await post(app, MOLECULE)).body.errors).toBeUndefined();
    expect(codes(await post(app, `mutation { cancelRun(id: "no-such-run") { id } }`))).toEqual(['NOT_FOUND']);
  });
});
