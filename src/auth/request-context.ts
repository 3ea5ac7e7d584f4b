import type { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';

/**
 * What the guards need to know about one GraphQL root field being resolved (over HTTP or graphql-ws), or about one
 * REST request (e.g. a library export: GET/HEAD count as reads, other methods as writes).
 *
 * Over HTTP the GraphQL context is `{ req }` (the Express request). Over graphql-ws Nest builds `{ req: ctx }` where
 * `ctx` is graphql-ws's connection context (`connectionParams`, `extra.request` = the upgrade request). In both cases
 * the context object itself is created once per operation (one HTTP request, or one subscribe message), so it is the
 * key under which per-request results are remembered.
 */
export interface RequestInfo {
  /** The GraphQL context object of this operation (identity = one request). */
  owner: object;
  transport: 'http' | 'ws' | 'rest';
  operation: 'query' | 'mutation' | 'subscription';
  /** The root field being resolved (e.g. `optimize`); for REST `<METHOD> <route>`. */
  fieldName: string;
  /** The presented API key, or null when none was sent. */
  apiKey: string | null;
  /** Client address ('unknown' when the transport does not tell). Honours Express `trust proxy` over HTTP. */
  ip: string;
  /** The HTTP request (HTTP transport) or the graphql-ws context (ws), for the throttler's headers. */
  req: Record<string, any>;
  /** The HTTP response, when there is one (headers such as Retry-After are set on it). */
  res: Record<string, any> | null;
}

function header(headers: Record<string, unknown> | undefined, name: string): string | null {
  const v = headers?.[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return null;
}

/**
 * The key from `Authorization: Bearer <key>` (preferred) or `x-api-key: <key>`. Another Authorization scheme is not
 * a molnav credential and is ignored. An empty value counts as absent.
 */
export function apiKeyFromHeaders(get: (name: string) => string | null): string | null {
  const auth = get('authorization');
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  const x = get('x-api-key')?.trim();
  return x ? x : null;
}

/** Same as {@link apiKeyFromHeaders} for graphql-ws connectionParams (case-insensitive keys; `apiKey` also accepted). */
function apiKeyFromConnectionParams(params: unknown): string | null {
  if (!params || typeof params !== 'object') return null;
  const lower = new Map<string, unknown>(Object.entries(params).map(([k, v]) => [k.toLowerCase(), v]));
  const str = (name: string): string | null => {
    const v = lower.get(name);
    return typeof v === 'string' ? v : null;
  };
  return apiKeyFromHeaders((name) => str(name)) ?? str('apikey')?.trim() ?? null;
}

/**
 * REST paths left open by both guards: health probes (orchestrators call them without keys) and the Prometheus
 * scrape endpoint (restrict it at the network level).
 */
export const OPEN_REST_PATHS: readonly RegExp[] = [/^\/health(\/|$)/, /^\/metrics\/?$/];

function restRequestInfo(context: ExecutionContext): RequestInfo | null {
  const http = context.switchToHttp();
  const req = http.getRequest<Record<string, any>>();
  const path = String(req.path ?? req.url ?? '');
  if (OPEN_REST_PATHS.some((re) => re.test(path))) return null;
  const method = String(req.method ?? 'GET').toUpperCase();
  return {
    owner: req,
    transport: 'rest',
    operation: ['GET', 'HEAD', 'OPTIONS'].includes(method) ? 'query' : 'mutation',
    fieldName: `${method} ${req.route?.path ?? path}`,
    apiKey: apiKeyFromHeaders((n) => header(req.headers, n)),
    ip: (typeof req.ip === 'string' && req.ip) || req.socket?.remoteAddress || 'unknown',
    req,
    res: http.getResponse<Record<string, any>>() ?? null,
  };
}

/**
 * The request info of a GraphQL resolver context or a REST request; null for contexts the guards leave alone (REST
 * paths in OPEN_REST_PATHS, RPC, WebSocket gateways).
 */
export function requestInfo(context: ExecutionContext): RequestInfo | null {
  const type = context.getType<GqlContextType>();
  if (type === 'http') return restRequestInfo(context);
  if (type !== 'graphql') return null;
  const gql = GqlExecutionContext.create(context);
  const owner = gql.getContext<Record<string, any>>() ?? {};
  const info = gql.getInfo();
  const operation = info.operation.operation;
  const req = (owner.req ?? {}) as Record<string, any>;
  const isWs = 'connectionParams' in req || ('extra' in req && typeof req.extra === 'object' && req.extra !== null && 'socket' in req.extra);
  if (isWs) {
    const upgrade = req.extra?.request as { headers?: Record<string, unknown>; socket?: { remoteAddress?: string } } | undefined;
    return {
      owner,
      transport: 'ws',
      operation,
      fieldName: info.fieldName,
      // connectionParams first (browsers cannot set headers on a WebSocket), then the upgrade request's headers.
      apiKey: apiKeyFromConnectionParams(req.connectionParams) ?? apiKeyFromHeaders((n) => header(upgrade?.headers, n)),
      ip: upgrade?.socket?.remoteAddress ?? 'unknown',
      req,
      res: null,
    };
  }
  return {
    owner,
    transport: 'http',
    operation,
    fieldName: info.fieldName,
    apiKey: apiKeyFromHeaders((n) => header(req.headers, n)),
    ip: (typeof req.ip === 'string' && req.ip) || req.socket?.remoteAddress || 'unknown',
    req,
    res: (req.res as Record<string, any> | undefined) ?? null,
  };
}
