import { MolnavError } from '../common/errors';

/**
 * Typed errors of access control and request limits (docs/security.md). Each carries a stable `extensions.code`;
 * messages never echo a presented key.
 */

/** No API key where one is required, or a presented key that is malformed, unknown, revoked or wrong. */
export class UnauthenticatedError extends MolnavError {
  constructor(message: string) {
    super('UNAUTHENTICATED', message);
    this.name = 'UnauthenticatedError';
  }
}

/** A valid API key without the scope the operation needs (`write` for mutations, `read` for queries/subscriptions). */
export class ForbiddenError extends MolnavError {
  constructor(readonly requiredScope: string) {
    super('FORBIDDEN', `this API key lacks the '${requiredScope}' scope`, { requiredScope });
    this.name = 'ForbiddenError';
  }
}

/** A rate-limit bucket is empty. `retryAfter` is in seconds; `limit` requests per `windowSeconds` in `bucket`. */
export class RateLimitedError extends MolnavError {
  constructor(bucket: string, limit: number, windowSeconds: number, retryAfter: number) {
    super('RATE_LIMITED', `rate limit exceeded (${bucket}: ${limit} requests per ${windowSeconds} s); retry after ${retryAfter} s`, {
      bucket,
      limit,
      windowSeconds,
      retryAfter,
    });
    this.name = 'RateLimitedError';
  }
}

/**
 * A GraphQL document over one of the query limits (depth, cost, aliases, directives, tokens, length). `limit` names
 * the LIMITS entry, `max` its value.
 */
export class QueryTooComplexError extends MolnavError {
  constructor(limit: string, max: number, message: string, found?: number) {
    super('QUERY_TOO_COMPLEX', message, { limit, max, ...(found !== undefined ? { found } : {}) });
    this.name = 'QueryTooComplexError';
  }
}
