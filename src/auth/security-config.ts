/**
 * Access-control and rate-limit settings, read once from the environment as part of AppConfig (src/config/config.ts).
 * Documented in docs/security.md. No imports from the rest of molnav, so config.ts can depend on this file.
 */

/** Whether an operation type needs an API key: `required` (a valid key with the right scope) or `open` (anyone). */
export type AuthMode = 'required' | 'open';

const AUTH_MODES: readonly AuthMode[] = ['required', 'open'];

export interface SecurityConfig {
  /** MOLNAV_AUTH_MUTATIONS: default `required` when NODE_ENV=production, otherwise `open`. Needs the `write` scope. */
  authMutations: AuthMode;
  /** True when authMutations was not set explicitly (the open default logs a warning at startup). */
  authMutationsDefaulted: boolean;
  /** MOLNAV_AUTH_QUERIES: default `open`. Applies to queries and subscriptions; needs the `read` scope. */
  authQueries: AuthMode;
  /** MOLNAV_RATE_LIMIT: GraphQL requests per minute per API key (or per client IP without a key); 0 = off. */
  rateLimitPerMinute: number;
  /** MOLNAV_RATE_LIMIT_EXPENSIVE: expensive mutations (EXPENSIVE_OPERATIONS) per minute per key or IP; 0 = off. */
  expensiveRateLimitPerMinute: number;
  /**
   * MOLNAV_TRUST_PROXY: Express `trust proxy` setting (unset = trust none, so the client IP is the socket's peer).
   * Set it (e.g. `1` for one reverse proxy, or `loopback`) when molnav runs behind a proxy, or every client shares the
   * proxy's IP and its rate-limit bucket.
   */
  trustProxy: string | number | boolean | undefined;
}

/** Defaults of the rate limits (per minute). */
export const DEFAULT_RATE_LIMIT = 600;
export const DEFAULT_EXPENSIVE_RATE_LIMIT = 60;

function authMode(name: string, value: string | undefined, fallback: AuthMode): AuthMode {
  if (value === undefined || value.trim() === '') return fallback;
  const v = value.trim().toLowerCase() as AuthMode;
  if (!AUTH_MODES.includes(v)) throw new Error(`${name} must be one of ${AUTH_MODES.join(', ')}, got ${JSON.stringify(value)}`);
  return v;
}

function perMinute(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw new Error(`${name} must be an integer 0..1000000 (0 = off), got ${JSON.stringify(value)}`);
  return n;
}

function trustProxy(value: string | undefined): SecurityConfig['trustProxy'] {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v; // 'loopback', 'uniquelocal', comma-separated addresses/subnets: passed to Express as is
}

/**
 * Reads MOLNAV_AUTH_MUTATIONS, MOLNAV_AUTH_QUERIES, MOLNAV_RATE_LIMIT, MOLNAV_RATE_LIMIT_EXPENSIVE and
 * MOLNAV_TRUST_PROXY.
 *
 * @throws Error naming the variable when a value is not allowed (startup fails rather than running unprotected).
 */
export function loadSecurityConfig(env: NodeJS.ProcessEnv): SecurityConfig {
  const production = env.NODE_ENV === 'production';
  const mutationsSet = env.MOLNAV_AUTH_MUTATIONS !== undefined && env.MOLNAV_AUTH_MUTATIONS.trim() !== '';
  return {
    authMutations: authMode('MOLNAV_AUTH_MUTATIONS', env.MOLNAV_AUTH_MUTATIONS, production ? 'required' : 'open'),
    authMutationsDefaulted: !mutationsSet,
    authQueries: authMode('MOLNAV_AUTH_QUERIES', env.MOLNAV_AUTH_QUERIES, 'open'),
    rateLimitPerMinute: perMinute('MOLNAV_RATE_LIMIT', env.MOLNAV_RATE_LIMIT, DEFAULT_RATE_LIMIT),
    expensiveRateLimitPerMinute: perMinute('MOLNAV_RATE_LIMIT_EXPENSIVE', env.MOLNAV_RATE_LIMIT_EXPENSIVE, DEFAULT_EXPENSIVE_RATE_LIMIT),
    trustProxy: trustProxy(env.MOLNAV_TRUST_PROXY),
  };
}
