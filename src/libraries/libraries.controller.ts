import { ArgumentsHost, Catch, Controller, ExceptionFilter, Get, HttpException, Inject, Logger, Param, Query, Res, StreamableFile, UseFilters } from '@nestjs/common';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, validateSync, type ValidationError } from 'class-validator';
import { Readable } from 'node:stream';
import { BadUserInputError } from '../common/errors';
import { APP_CONFIG, type AppConfig, LIMITS } from '../config/config';
import { formatError } from '../graphql/format-error';
import { LibraryEntryFilterInput } from './dto/library.inputs';
import { EXPORT_FORMATS, type ExportFormat } from './library-export';
import { LibrariesService } from './libraries.service';
import { toEntryQuery } from './libraries.mappers';
import { LibraryEntryOrderBy } from './models/library.models';
import { SortDirection } from '../candidates/models/candidate.models';

/** The parts of the HTTP response (Express) these routes use. */
interface HttpResponse {
  headersSent: boolean;
  status(code: number): HttpResponse;
  json(body: unknown): unknown;
  setHeader(name: string, value: string): unknown;
  on(event: 'close', listener: () => void): unknown;
  destroy(): unknown;
}

/** Characters of the `filter` query parameter (JSON). */
export const MAX_FILTER_PARAM_LENGTH = 8000;

/** Query string of `GET /libraries/:id/export`. */
export class ExportQuery {
  /** `csv` or `sdf`. */
  @IsIn(EXPORT_FORMATS)
  format!: ExportFormat;

  /** JSON of a LibraryEntryFilter (the GraphQL input type: same fields, enums by name), e.g. `{"qed":{"min":0.5},"tags":["hit"]}`. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FILTER_PARAM_LENGTH)
  filter?: string;

  /** A LibraryEntryOrderBy name (ADDED_AT, SCORE, SIMILARITY, MW, ...). */
  @IsOptional()
  @IsIn(Object.keys(LibraryEntryOrderBy))
  orderBy?: keyof typeof LibraryEntryOrderBy;

  @IsOptional()
  @IsIn(['ASC', 'DESC'])
  direction?: 'ASC' | 'DESC';

  /** Export at most this many rows, 1..LIMITS.maxExportRows. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(LIMITS.maxExportRows)
  limit?: number;
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = Object.freeze({
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
});

/**
 * Errors of the REST routes as JSON `{ error: { code, message, ...extensions } }` with the codes GraphQL uses (the same
 * formatError table): UNAUTHENTICATED 401, FORBIDDEN 403 (the API-key guard), NOT_FOUND 404, CONFLICT 409,
 * RATE_LIMITED 429, other client errors 400, unexpected errors 500; an HttpException keeps its status. A failure after the body started aborts the connection, so a truncated file never looks
 * complete. (The app's global GraphQL pass-through filter would leave a REST request unanswered.)
 */
@Catch()
export class RestErrorFilter implements ExceptionFilter {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<HttpResponse>();
    const message = exception instanceof Error ? exception.message : String(exception);
    const f = formatError({ message }, exception, this.config.production);
    const { code: rawCode, ...details } = f.extensions ?? {};
    const code = String(rawCode ?? 'INTERNAL_SERVER_ERROR');
    const status = exception instanceof HttpException && exception.getStatus() !== 400 ? exception.getStatus() : (STATUS_BY_CODE[code] ?? 400);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (typeof details.retryAfter === 'number') res.setHeader('Retry-After', String(details.retryAfter));
    res.status(status).json({ error: { code, message: f.message, ...details } });
  }
}

/** REST routes of libraries: file exports (GraphQL carries everything else). */
@Controller('libraries')
@UseFilters(RestErrorFilter)
export class LibrariesController {
  private readonly logger = new Logger(LibrariesController.name);

  constructor(private readonly service: LibrariesService) {}

  /**
   * `GET /libraries/:id/export?format=csv|sdf[&filter=<JSON>][&orderBy=MW][&direction=ASC][&limit=N]`: the library's
   * entries matching `filter` (as libraryEntries takes it) in the given order (default as libraryEntries), as a CSV
   * (RFC 4180, header row) or SD file download (docs/libraries.md, "Export"). More than LIMITS.maxExportRows (10,000)
   * matching rows without `limit` is refused.
   *
   * Errors (JSON `{error: {code, message}}`): 404 NOT_FOUND; 400 BAD_USER_INPUT (format, filter JSON), LIMIT_EXCEEDED,
   * INVALID_SMARTS, INVALID_SMILES, UNKNOWN_MOLECULE_NAME.
   */
  @Get(':id/export')
  async export(@Param('id') id: string, @Query() q: ExportQuery, @Res({ passthrough: true }) res: HttpResponse): Promise<StreamableFile> {
    const filter = parseFilter(q.filter);
    const query = toEntryQuery(filter, q.orderBy ? LibraryEntryOrderBy[q.orderBy] : null, q.direction ? SortDirection[q.direction] : null);
    const exp = await this.service.prepareExport(id, query, q.format, q.limit ?? null);
    const stream = Readable.from(exp.body, { objectMode: false });
    res.on('close', () => stream.destroy());
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Export-Rows', String(exp.rows));
    return new StreamableFile(stream, { type: exp.contentType, disposition: exp.contentDisposition }).setErrorHandler((err, r) => {
      this.logger.error(`export of library ${id} failed after the body started: ${err.message}`);
      if (!r.destroyed) r.destroy?.();
    });
  }
}

/**
 * The `filter` parameter as a LibraryEntryFilterInput, checked with the same class-validator rules as GraphQL input;
 * unknown fields are rejected.
 * @throws BAD_USER_INPUT for JSON that does not parse or does not validate.
 */
export function parseFilter(text: string | undefined): LibraryEntryFilterInput | null {
  if (text === undefined || text === '') return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new BadUserInputError('filter must be JSON of a LibraryEntryFilter');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BadUserInputError('filter must be a JSON object');
  const input = plainToInstance(LibraryEntryFilterInput, raw);
  const errors = validateSync(input, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new BadUserInputError(`filter: ${flatten(errors).join('; ')}`);
  return input;
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    return [...Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`), ...flatten(e.children ?? [], path)];
  });
}
