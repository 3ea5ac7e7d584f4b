/**
 * Structured logs with pino: the root logger, the HTTP request logger (pino-http through nestjs-pino) and a small
 * human-readable formatter for development. Nest's own `Logger` calls are routed to the same pino logger by
 * `app.useLogger(app.get(PinoNestLogger))` in main.ts.
 *
 * What is never logged: request bodies (GraphQL documents and variables: molecules may be confidential), query
 * strings (a GET /graphql carries the variables there), and the credentials in `authorization`,
 * `proxy-authorization`, `x-api-key` and `cookie` request headers (replaced by "[Redacted]").
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream, type LevelWithSilent, type Logger } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';

/** Log output format: one JSON object per line, or one readable line per record (still produced by pino). */
export type LogFormat = 'json' | 'pretty';

/** Logging configuration (see {@link logOptionsFromEnv}). */
export interface LogOptions {
  /** Lowest level written: fatal, error, warn, info, debug, trace or silent. */
  level: LevelWithSilent;
  format: LogFormat;
  /** Where records go; default stdout. Tests pass a stream that collects them. */
  destination?: DestinationStream;
}

/** pino level names accepted in LOG_LEVEL. */
export const LOG_LEVELS: readonly LevelWithSilent[] = Object.freeze(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Paths replaced by "[Redacted]" in every record (pino `redact`). */
export const REDACTED_PATHS: readonly string[] = Object.freeze([
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
]);

/** Paths whose requests are not logged when they succeed (probes and scrapes would drown the log); failures are. */
const QUIET_PATHS = [/^\/health(\/|$)/, /^\/metrics(\/|$)/];

/** A client-supplied `x-request-id` is reused when it matches this; otherwise a UUID is generated. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Reads the logging configuration:
 * - `LOG_LEVEL`: one of {@link LOG_LEVELS}; default `info`, or `silent` when NODE_ENV=test (Jest sets it) so test
 *   runs stay quiet;
 * - `LOG_FORMAT`: `json` or `pretty`; default `json` when NODE_ENV=production, else `pretty`.
 * @throws Error naming the variable when a value is not recognised
 */
export function logOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LogOptions {
  const rawLevel = env.LOG_LEVEL?.trim().toLowerCase();
  const level = (rawLevel || (env.NODE_ENV === 'test' ? 'silent' : 'info')) as LevelWithSilent;
  if (!LOG_LEVELS.includes(level)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`);
  const rawFormat = env.LOG_FORMAT?.trim().toLowerCase();
  const format = (rawFormat || (env.NODE_ENV === 'production' ? 'json' : 'pretty')) as LogFormat;
  if (format !== 'json' && format !== 'pretty') throw new Error(`LOG_FORMAT must be json or pretty, got ${JSON.stringify(env.LOG_FORMAT)}`);
  return { level, format };
}

/**
 * The root pino logger: ISO timestamps, level names (`"level":"info"`), {@link REDACTED_PATHS} censored. Records go
 * to `options.destination`, else to stdout (as JSON lines, or through {@link prettyDestination}).
 */
export function createRootLogger(options: LogOptions): Logger {
  const out =
    options.format === 'pretty'
      ? prettyDestination(options.destination ?? process.stdout)
      : (options.destination ?? pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED_PATHS], censor: '[Redacted]' },
    },
    out,
  );
}

/** Path of a request URL without its query string (which may carry GraphQL variables). */
export function pathOnly(url: string | undefined): string {
  if (!url) return '';
  const q = url.search(/[?#]/);
  return q >= 0 ? url.slice(0, q) : url;
}

type Req = IncomingMessage & { originalUrl?: string };

/**
 * pino-http options: request id (client `x-request-id` when well-formed, else a UUID; echoed in the response
 * header), one record per completed request with method, path (no query string), headers (credentials redacted),
 * status, `responseTime` (ms) and, for GraphQL, the fields the GraphQL plugin assigns (`operationType`,
 * `operationName`, `graphqlErrors`); level info, warn for 4xx, error for 5xx. Successful /health and /metrics
 * requests are not logged (failed ones are, e.g. a scrape without the token).
 */
export function httpLoggerOptions(logger: Logger): PinoHttpOptions {
  return {
    logger,
    quietReqLogger: true, // logs inside a request carry `reqId` only, not the whole request
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string; headers?: Record<string, unknown>; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: pathOnly(req.url),
        headers: req.headers,
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (req, res, err) => {
      if (err || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return QUIET_PATHS.some((p) => p.test(pathOnly((req as Req).originalUrl ?? req.url))) ? 'silent' : 'info';
    },
    customSuccessMessage: (req, res, ms) => `${req.method} ${pathOnly((req as Req).originalUrl ?? req.url)} ${res.statusCode} ${ms} ms`,
    customErrorMessage: (req, res) => `${req.method} ${pathOnly((req as Req).originalUrl ?? req.url)} ${res.statusCode} failed`,
  };
}

/**
 * nestjs-pino parameters: the HTTP logger above on every route, and `assign()`ed fields (the GraphQL operation) also
 * on the request-completed record.
 */
export function loggerModuleParams(options: LogOptions): Params {
  return {
    pinoHttp: httpLoggerOptions(createRootLogger(options)),
    assignResponse: true,
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  };
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/**
 * A pino destination that rewrites each JSON record as one readable line:
 * `HH:MM:SS.mmm LEVEL [context] message key=value ...` (nested objects as compact JSON; `req`/`res` are summarised
 * by the message; an error's stack on the following lines).
 */
export function prettyDestination(out: { write(chunk: string): unknown }): DestinationStream {
  return {
    write(line: string): void {
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const { time, level, msg, context, pid: _pid, hostname: _host, req: _req, res: _res, err, ...rest } = rec;
      const t = typeof time === 'string' ? time.slice(11, 23) : new Date().toISOString().slice(11, 23);
      const lv = (typeof level === 'number' ? LEVEL_NAMES[level] : String(level).toUpperCase()).padEnd(5);
      const ctx = context ? `[${String(context)}] ` : '';
      const extras = Object.entries(rest)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      const e = err as { stack?: string; message?: string } | undefined;
      const stack = e ? `\n    ${(e.stack ?? e.message ?? '').split('\n').join('\n    ')}` : '';
      out.write(`${t} ${lv} ${ctx}${String(msg ?? '')}${extras ? ` ${extras}` : ''}${stack}\n`);
    },
  };
}
