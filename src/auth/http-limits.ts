import { Injectable, type INestApplication, type NestMiddleware } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { APP_CONFIG, LIMITS, type AppConfig } from '../config/config';
import { requestLimitError } from '../graphql/graphql-options';

// The few Express request/response members used here (@types/express is not a dependency).
interface Request {
  body?: unknown;
  query?: unknown;
}
interface Response {
  headersSent: boolean;
  status(code: number): Response;
  json(body: unknown): unknown;
}
type NextFunction = (err?: unknown) => void;

/** Body of an HTTP-level rejection: the GraphQL response shape, so GraphQL clients read `extensions.code`. */
function reject(res: Response, status: number, code: string, message: string, details: Record<string, unknown> = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...details } }] });
}

/**
 * Checks a /graphql request (POST body, or the GET parameters) before Apollo parses it (requestLimitError in
 * graphql-options.ts): the query's length and token count (HTTP 400 `QUERY_TOO_COMPLEX` with `extensions.limit` and
 * `max`) and well-formed Unicode in every string (HTTP 400 `BAD_USER_INPUT`). Applied to the /graphql route by
 * AuthModule. A JSON array (a batch) is left to Apollo, which refuses batches.
 */
@Injectable()
export class QueryLimitsMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const body: unknown = req.body;
    const hasBody = body !== null && typeof body === 'object' && Object.keys(body).length > 0;
    const error = requestLimitError(hasBody ? body : req.query);
    if (!error) return next();
    reject(res, 400, error.code, error.message, error.details);
  }
}

/** Express error handler for request bodies the parsers refuse (too large, malformed JSON, unsupported charset). */
function bodyErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const e = err as { type?: unknown; status?: unknown; limit?: unknown } | null;
  if (!e || typeof e.type !== 'string' || res.headersSent) return next(err);
  switch (e.type) {
    case 'entity.too.large':
      return reject(res, 413, 'PAYLOAD_TOO_LARGE', `request body is limited to ${LIMITS.maxRequestBodyBytes} bytes`, { limit: LIMITS.maxRequestBodyBytes });
    case 'entity.parse.failed':
      return reject(res, 400, 'BAD_REQUEST', 'request body is not valid JSON');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return reject(res, 415, 'BAD_REQUEST', 'unsupported request body charset or content encoding');
    default:
      if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return reject(res, e.status, 'BAD_REQUEST', 'malformed request body');
      return next(err);
  }
}

/**
 * HTTP settings of the API that live on the Express application rather than in a module: call once after
 * `NestFactory.create` and before `listen`/`init` (main.ts; tests that need them do the same).
 *
 * - JSON and urlencoded bodies up to LIMITS.maxRequestBodyBytes (Nest's default is 100 kB); larger bodies get HTTP 413
 *   `PAYLOAD_TOO_LARGE`, malformed ones HTTP 400 `BAD_REQUEST`, as a JSON GraphQL error body (never an HTML page).
 * - Express `trust proxy` from MOLNAV_TRUST_PROXY, so per-IP rate limits see the client behind a reverse proxy.
 */
export function configureHttpLimits(app: INestApplication): void {
  const express = app as NestExpressApplication;
  const config = app.get<AppConfig>(APP_CONFIG);
  if (config.security.trustProxy !== undefined) express.set('trust proxy', config.security.trustProxy);
  express.useBodyParser('json', { limit: LIMITS.maxRequestBodyBytes });
  express.useBodyParser('urlencoded', { limit: LIMITS.maxRequestBodyBytes, extended: true });
  express.use(bodyErrorHandler);
}
