import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  normalizeIp,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { AuthService } from './auth.service';
import { RateLimitedError } from './errors';
import { requestInfo } from './request-context';
import type { SecurityConfig } from './security-config';

/** Mutations that also count against the stricter `expensive` bucket (each root field counts once). */
export const EXPENSIVE_OPERATIONS: ReadonlySet<string> = new Set(['optimize', 'startOptimization', 'askTellStart', 'askTellTell']);

/** Window of both rate limits. */
export const RATE_WINDOW_MS = 60_000;

/**
 * Throttler definitions from the configuration: `default` (MOLNAV_RATE_LIMIT GraphQL requests per minute) and
 * `expensive` (MOLNAV_RATE_LIMIT_EXPENSIVE calls of EXPENSIVE_OPERATIONS per minute). 0 turns one off. Both are
 * sliding windows (blockDuration 0): a request is refused while the bucket holds `limit` requests younger than a
 * minute, and refused requests are not counted.
 */
export function throttlerOptions(security: SecurityConfig): ThrottlerModuleOptions {
  return {
    throttlers: [
      {
        name: 'default',
        ttl: RATE_WINDOW_MS,
        limit: Math.max(1, security.rateLimitPerMinute),
        blockDuration: 0,
        skipIf: () => security.rateLimitPerMinute === 0,
      },
      {
        name: 'expensive',
        ttl: RATE_WINDOW_MS,
        limit: Math.max(1, security.expensiveRateLimitPerMinute),
        blockDuration: 0,
        skipIf: (context) => {
          if (security.expensiveRateLimitPerMinute === 0) return true;
          const info = requestInfo(context);
          return !info || info.operation !== 'mutation' || !EXPENSIVE_OPERATIONS.has(info.fieldName);
        },
      },
    ],
  };
}

/**
 * Global rate limiting of GraphQL operations (HTTP and graphql-ws) and REST requests (except OPEN_REST_PATHS), with
 * @nestjs/throttler's in-memory storage (per process). Runs before {@link ApiKeyGuard}.
 *
 * - Tracker: `key:<id>` for a request with a valid API key, otherwise `ip:<client ip>` (IPv6 grouped by /64). A
 *   request with an invalid key is counted against its IP, so guessing keys is rate limited too.
 * - The `default` bucket counts one per HTTP request (or subscription), however many root fields it has; the
 *   `expensive` bucket counts each expensive root field.
 * - Over the limit: RATE_LIMITED with `retryAfter` (seconds) in the extensions and a `Retry-After` header.
 * Health probes and /metrics are not limited.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly perRequest = new WeakMap<object, Promise<boolean>>();

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storageService: ThrottlerStorage,
    reflector: Reflector,
    private readonly auth: AuthService,
  ) {
    super(options, storageService, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return requestInfo(context) === null;
  }

  protected override getRequestResponse(context: ExecutionContext): { req: Record<string, any>; res: Record<string, any> } {
    const info = requestInfo(context)!;
    return { req: info.req, res: info.res ?? {} };
  }

  protected override async getTracker(_req: Record<string, any>, context?: ExecutionContext): Promise<string> {
    const info = requestInfo(context!)!;
    if (info.apiKey) {
      try {
        const principal = await this.auth.authenticateOnce(info.owner, info.apiKey);
        return `key:${principal.keyId}`;
      } catch {
        // Invalid key: counted against the IP below; ApiKeyGuard answers UNAUTHENTICATED.
      }
    }
    return `ip:${normalizeIp(info.ip, this.ipv6SubnetPrefix)}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}|${tracker}`;
  }

  protected override handleRequest(props: ThrottlerRequest): Promise<boolean> {
    if (props.throttler.name !== 'default') return super.handleRequest(props);
    const owner = requestInfo(props.context)!.owner;
    let decision = this.perRequest.get(owner);
    if (!decision) {
      decision = super.handleRequest(props);
      this.perRequest.set(owner, decision);
    }
    return decision;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const bucket = detail.key.split('|')[0];
    throw new RateLimitedError(bucket, detail.limit, Math.round(detail.ttl / 1000), Math.max(1, detail.timeToBlockExpire));
  }
}
