/**
 * Production error masking end to end: an unexpected server-side failure (the store closed under a running app)
 * reaches the client as INTERNAL_SERVER_ERROR with a generic message and no stack trace when NODE_ENV=production,
 * while the details are logged on the server; outside production the message is kept (still no stack trace).
 */
import { Logger, type INestApplication } from '@nestjs/common';
import { RateLimitedError } from '../../src/auth/errors';
import { formatError } from '../../src/graphql/format-error';
import { StoreService } from '../../src/store';
import { lightApp, post } from '../auth/helpers';
import { TestDatabases } from '../db';

const dbs = new TestDatabases('prod-errors');
afterAll(() => dbs.cleanup());

const CANDIDATES = `{ candidates(first: 5) { totalCount edges { node { canonicalSmiles } } } }`;

describe.each([
  { env: 'production', generic: true },
  { env: 'test', generic: false },
])('an internal error with NODE_ENV=$env', ({ env, generic }) => {
  let app: INestApplication;
  let logged: jest.SpyInstance;

  beforeAll(async () => {
    ({ app } = await lightApp({ env: { NODE_ENV: env, MOLNAV_AUTH_MUTATIONS: 'open' }, databaseUrl: await dbs.url(env) }));
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    logged.mockRestore();
    await app?.close();
  });

  it(`answers INTERNAL_SERVER_ERROR ${generic ? 'with a generic message' : 'with the message'} and no stack trace`, async () => {
    expect((await post(app, CANDIDATES)).body.data.candidates.totalCount).toBe(0);
    await app.get(StoreService).close(); // every later store call throws StoreNotReadyError: not a client error

    const r = await post(app, CANDIDATES);
    expect(r.status).toBeLessThan(500);
    expect(r.body.data).toBeNull();
    expect(r.body.errors).toHaveLength(1);
    const [e] = r.body.errors!;
    expect(e.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    if (generic) expect(e.message).toBe('Internal server error');
    else expect(e.message).toMatch(/Store/);
    const text = JSON.stringify(r.body);
    expect(text).not.toMatch(/stacktrace|\.ts:\d+|node_modules|\bat [A-Za-z.]+ \(/);
    // The details went to the server log instead.
    expect(logged.mock.calls.flat().join('\n')).toMatch(/Store.*(closed|not initialised)/);
  });
});

describe('formatError in production', () => {
  it('keeps typed client errors and masks everything else', () => {
    const internal = new TypeError("Cannot read properties of undefined (reading 'secret') at /srv/molnav/dist/x.js:1:2");
    const quiet = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const masked = formatError({ message: internal.message, path: ['molecule'] }, internal, true);
      expect(masked).toEqual({ message: 'Internal server error', path: ['molecule'], locations: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      const typed = formatError({ message: 'x', path: ['optimize'] }, new RateLimitedError('default', 600, 60, 12), true);
      expect(typed.extensions).toEqual({ code: 'RATE_LIMITED', bucket: 'default', limit: 600, windowSeconds: 60, retryAfter: 12 });
      expect(typed.message).toMatch(/retry after 12 s/);
    } finally {
      quiet.mockRestore();
    }
  });
});
