/**
 * API keys end to end: the key format and scrypt hashing, the CLI against a fresh database, and the guard in a real
 * Nest app (GraphQL over HTTP and graphql-ws, REST health) under MOLNAV_AUTH_MUTATIONS / MOLNAV_AUTH_QUERIES.
 * Mutations are exercised with cancelRun on a stored QUEUED run (no ONNX model needed).
 */
import { Logger, type INestApplication } from '@nestjs/common';
import { createClient } from 'graphql-ws';
import type { AddressInfo } from 'net';
import request from 'supertest';
import WebSocket from 'ws';
import { generateApiKey, hashSecret, parseApiKey, verifySecret } from '../../src/auth/api-key';
import { AuthService } from '../../src/auth/auth.service';
import { runApiKeyCli } from '../../src/auth/cli';
import { loadSecurityConfig } from '../../src/auth/security-config';
import { ApiKeyStore, StoreService } from '../../src/store';
import { TEST_PROVIDER, TestDatabases } from '../db';
import { bearer, codes, lightApp, post } from './helpers';

const dbs = new TestDatabases('auth');
afterAll(() => dbs.cleanup());

const CANCEL = `mutation($id: ID!) { cancelRun(id: $id) { id status } }`;
const MOLECULE = `{ molecule(query: "aspirin") { valid canonicalSmiles } }`;

async function queuedRun(app: INestApplication): Promise<string> {
  const store = app.get(StoreService);
  return (await store.createRun({ kind: 'SYNTHETIC', params: {}, modelVersion: 'test', seed: 0, status: 'QUEUED' })).id;
}

describe('key format and scrypt hashing', () => {
  it('generates mnk_<8-char prefix>_<43-char base64url secret> keys that parse back', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^mnk_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.secret, 'base64url')).toHaveLength(32);
    expect(parseApiKey(a.key)).toEqual({ prefix: a.prefix, secret: a.secret });
    expect(a.key).not.toBe(b.key);
    for (const bad of ['', 'mnk_', 'mnk_short_x', `Bearer ${a.key}`, a.key.replace('mnk_', 'mnx_'), `${a.key}\u0000`, a.key + '!']) {
      expect(parseApiKey(bad)).toBeNull();
    }
  });

  it('stores scrypt$N$r$p$salt$hash with a fresh salt; verifies the secret only', async () => {
    const { secret } = generateApiKey();
    const h1 = await hashSecret(secret);
    const h2 = await hashSecret(secret);
    expect(h1).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(h1).not.toBe(h2); // per-key salt
    expect(h1).not.toContain(secret);
    await expect(verifySecret(secret, h1)).resolves.toBe(true);
    await expect(verifySecret(secret, h2)).resolves.toBe(true);
    await expect(verifySecret(secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A'), h1)).resolves.toBe(false);
    // Tampered or absurd parameters are refused without running scrypt on them.
    await expect(verifySecret(secret, h1.replace('$16384$', '$16383$'))).resolves.toBe(false);
    await expect(verifySecret(secret, h1.replace('$16384$', `$${2 ** 30}$`))).resolves.toBe(false);
    await expect(verifySecret(secret, 'plain')).resolves.toBe(false);
  });

  it('reads MOLNAV_AUTH_* with production and non-production defaults, and refuses unknown values', () => {
    expect(loadSecurityConfig({ NODE_ENV: 'production' })).toMatchObject({ authMutations: 'required', authQueries: 'open', authMutationsDefaulted: true });
    expect(loadSecurityConfig({ NODE_ENV: 'test' })).toMatchObject({ authMutations: 'open', authQueries: 'open', rateLimitPerMinute: 600 });
    expect(loadSecurityConfig({ NODE_ENV: 'production', MOLNAV_AUTH_MUTATIONS: 'open' })).toMatchObject({ authMutations: 'open', authMutationsDefaulted: false });
    expect(() => loadSecurityConfig({ MOLNAV_AUTH_QUERIES: 'maybe' })).toThrow(/MOLNAV_AUTH_QUERIES/);
    expect(() => loadSecurityConfig({ MOLNAV_RATE_LIMIT: '-1' })).toThrow(/MOLNAV_RATE_LIMIT/);
  });
});

describe('startup', () => {
  it('warns that mutations are open when MOLNAV_AUTH_MUTATIONS is unset outside production', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const env = { MOLNAV_AUTH_MUTATIONS: '', MOLNAV_AUTH_QUERIES: '' };
    try {
      const { app, config } = await lightApp({ env, databaseUrl: await dbs.url('startup') });
      await app.close();
      expect(config.security.authMutations).toBe('open');
      expect(warn.mock.calls.flat().join('\n')).toMatch(/Mutations are open to anyone without an API key \(MOLNAV_AUTH_MUTATIONS is not set/);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('apikey CLI (create, list, revoke) against DATABASE_URL', () => {
  it('prints the key once, stores only its hash, lists without secrets and revokes', async () => {
    const databaseUrl = await dbs.url('cli');
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };

    expect(await runApiKeyCli(['create', 'ci-bot', '--scopes', 'read'], io, { databaseUrl })).toBe(0);
    const key = out.find((l) => l.startsWith('mnk_'))!;
    const parsed = parseApiKey(key)!;
    expect(parsed).not.toBeNull();
    expect(out.join('\n')).toContain('scopes read');

    // The row holds the prefix and an scrypt hash; no column contains the secret.
    const keys = await ApiKeyStore.open({ databaseUrl });
    try {
      const [row] = await keys.list();
      expect(row).toMatchObject({ name: 'ci-bot', prefix: parsed.prefix, scopes: ['read'], lastUsedAt: null, revokedAt: null });
      expect(row.secretHash).toMatch(/^scrypt\$/);
      expect(JSON.stringify(row)).not.toContain(parsed.secret);
      await expect(verifySecret(parsed.secret, row.secretHash)).resolves.toBe(true);
      if (TEST_PROVIDER === 'sqlite') {
        const file = databaseUrl.replace(/^file:/, '');
        // better-sqlite3 ships no types; the raw table is read directly so no mapping can hide a column.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const Database = require('better-sqlite3') as new (f: string, o: object) => { prepare(sql: string): { all(): unknown[] }; close(): void };
        const db = new Database(file, { readonly: true });
        const raw = db.prepare('SELECT * FROM ApiKey').all();
        db.close();
        expect(raw).toHaveLength(1);
        expect(JSON.stringify(raw)).not.toContain(parsed.secret);
      }
    } finally {
      await keys.close();
    }

    out.length = 0;
    expect(await runApiKeyCli(['list'], io, { databaseUrl })).toBe(0);
    expect(out[0]).toMatch(/^NAME\s+PREFIX\s+SCOPES/);
    expect(out[1]).toMatch(new RegExp(`^ci-bot\\s+mnk_${parsed.prefix}\\s+read\\s+.*active$`));
    expect(out.join('\n')).not.toContain(parsed.secret);
    expect(out.join('\n')).not.toContain('scrypt');

    expect(await runApiKeyCli(['create', 'ci-bot'], io, { databaseUrl })).toBe(1);
    expect(err.pop()).toMatch(/already exists/);
    expect(await runApiKeyCli(['create', 'other', '--scopes', 'admin'], io, { databaseUrl })).toBe(1);
    expect(err.pop()).toMatch(/unknown API key scope/);
    expect(await runApiKeyCli(['frobnicate'], io, { databaseUrl })).toBe(2);
    expect(await runApiKeyCli(['revoke', 'nobody'], io, { databaseUrl })).toBe(1);

    out.length = 0;
    expect(await runApiKeyCli(['revoke', 'ci-bot'], io, { databaseUrl })).toBe(0);
    expect(out[0]).toMatch(/^Revoked API key "ci-bot"/);
    out.length = 0;
    await runApiKeyCli(['list'], io, { databaseUrl });
    expect(out[1]).toMatch(/revoked \d{4}-/);
  });
});

describe('MOLNAV_AUTH_MUTATIONS=required (queries open)', () => {
  let app: INestApplication;
  let auth: AuthService;
  let writeKey: string;
  let readKey: string;

  beforeAll(async () => {
    ({ app } = await lightApp({ env: { MOLNAV_AUTH_MUTATIONS: 'required' }, databaseUrl: await dbs.url('required') }));
    auth = app.get(AuthService);
    writeKey = (await auth.createKey('writer', 'read,write')).key;
    readKey = (await auth.createKey('reader', 'read')).key;
  });
  afterAll(() => app?.close());

  it('refuses a mutation without a key (UNAUTHENTICATED) and leaves the run untouched', async () => {
    const id = await queuedRun(app);
    const r = await post(app, CANCEL, { id });
    expect(codes(r)).toEqual(['UNAUTHENTICATED']);
    expect(r.body.errors![0].message).toMatch(/API key is required for mutations/);
    expect((await app.get(StoreService).getRun(id))!.status).toBe('QUEUED');
  });

  it('answers queries without a key', async () => {
    const r = await post(app, MOLECULE);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.molecule).toEqual({ valid: true, canonicalSmiles: 'CC(=O)Oc1ccccc1C(=O)O' });
  });

  it('refuses a read-only key on a mutation (FORBIDDEN)', async () => {
    const id = await queuedRun(app);
    const r = await post(app, CANCEL, { id }, bearer(readKey));
    expect(codes(r)).toEqual(['FORBIDDEN']);
    expect(r.body.errors![0].extensions).toMatchObject({ requiredScope: 'write' });
  });

  it('runs the mutation with a write key, from Authorization: Bearer or x-api-key', async () => {
    const a = await queuedRun(app);
    const r1 = await post(app, CANCEL, { id: a }, bearer(writeKey));
    expect(r1.body.errors).toBeUndefined();
    expect(r1.body.data.cancelRun).toEqual({ id: a, status: 'CANCELLED' });
    const b = await queuedRun(app);
    const r2 = await post(app, CANCEL, { id: b }, { 'x-api-key': writeKey });
    expect(r2.body.data.cancelRun).toEqual({ id: b, status: 'CANCELLED' });
  });

  it('refuses wrong, malformed and revoked keys, even on open queries, without echoing them', async () => {
    const { prefix } = parseApiKey(writeKey)!;
    const wrongSecret = `mnk_${prefix}_${generateApiKey().secret}`;
    for (const key of [wrongSecret, generateApiKey().key, 'mnk_nope', 'not-a-key']) {
      const r = await post(app, MOLECULE, {}, bearer(key));
      expect(codes(r)).toEqual(['UNAUTHENTICATED']);
      expect(JSON.stringify(r.body)).not.toContain(key);
    }
    const doomed = (await auth.createKey('doomed')).key;
    const id = await queuedRun(app);
    expect((await post(app, MOLECULE, {}, bearer(doomed))).body.errors).toBeUndefined();
    await auth.revokeKey('doomed');
    const r = await post(app, CANCEL, { id }, bearer(doomed));
    expect(codes(r)).toEqual(['UNAUTHENTICATED']);
    expect(r.body.errors![0].message).toMatch(/revoked/);
    expect(codes(await post(app, MOLECULE, {}, bearer(doomed)))).toEqual(['UNAUTHENTICATED']);
    expect((await app.get(StoreService).getRun(id))!.status).toBe('QUEUED');
  });

  it('records lastUsedAt, written at most once a minute per key', async () => {
    const keys = app.get(ApiKeyStore);
    const { key } = await auth.createKey('tracked', 'read');
    expect((await keys.findByName('tracked'))!.lastUsedAt).toBeNull();
    await post(app, MOLECULE, {}, bearer(key));
    const first = (await keys.findByName('tracked'))!.lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await post(app, MOLECULE, {}, bearer(key));
    expect((await keys.findByName('tracked'))!.lastUsedAt).toEqual(first);
    // A use more than a minute later is written again.
    const later = new Date(first!.getTime() + 61_000);
    await auth.authenticate(key, later);
    expect((await keys.findByName('tracked'))!.lastUsedAt).toEqual(later);
  });

  it('leaves the health probes open', async () => {
    const res = await request(app.getHttpServer()).get('/health/live');
    expect(res.status).toBe(200);
  });
});

describe('MOLNAV_AUTH_QUERIES=required: queries and graphql-ws subscriptions need a read key', () => {
  let app: INestApplication;
  let wsUrl: string;
  let readKey: string;
  let writeOnlyKey: string;

  beforeAll(async () => {
    ({ app } = await lightApp({ env: { MOLNAV_AUTH_QUERIES: 'required', MOLNAV_AUTH_MUTATIONS: 'required' }, databaseUrl: await dbs.url('queries'), listen: true }));
    const auth = app.get(AuthService);
    readKey = (await auth.createKey('reader', 'read')).key;
    writeOnlyKey = (await auth.createKey('writer', 'write')).key;
    wsUrl = `ws://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => app?.close());

  it('refuses a query without a key and one with a write-only key; answers with a read key', async () => {
    expect(codes(await post(app, MOLECULE))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await post(app, MOLECULE, {}, bearer(writeOnlyKey)))).toEqual(['FORBIDDEN']);
    const ok = await post(app, MOLECULE, {}, bearer(readKey));
    expect(ok.body.data.molecule.valid).toBe(true);
  });

  async function subscribe(connectionParams?: Record<string, unknown>): Promise<{ results: any[]; error: unknown }> {
    const id = await queuedRun(app);
    const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams });
    const results: any[] = [];
    let error: unknown = null;
    try {
      const it = client.iterate({ query: `subscription($id: ID!) { runProgress(id: $id) { runId status final } }`, variables: { id } });
      for await (const r of it) {
        results.push(r);
        if (results.length === 1) await post(app, CANCEL, { id }, bearer(writeOnlyKey));
      }
    } catch (e) {
      error = e;
    } finally {
      await client.dispose();
    }
    return { results, error };
  }

  it('refuses a subscription without a key in connectionParams, and streams with one', async () => {
    const refused = await subscribe();
    const errors = (refused.results[0]?.errors ?? refused.error) as { extensions?: { code?: string } }[];
    expect(Array.isArray(errors) ? errors.map((e) => e.extensions?.code) : errors).toEqual(['UNAUTHENTICATED']);

    const ok = await subscribe({ Authorization: `Bearer ${readKey}` });
    expect(ok.error).toBeNull();
    expect(ok.results[0].data.runProgress).toMatchObject({ status: 'QUEUED', final: false });
    expect(ok.results.at(-1).data.runProgress).toMatchObject({ status: 'CANCELLED', final: true });
  });
});
