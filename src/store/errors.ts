/**
 * Typed store errors. Every error a StoreService method throws is a {@link StoreError}; Prisma errors are mapped
 * by {@link mapPrismaError} and never escape src/store/ unwrapped (the original is kept as `cause`).
 */

export type StoreErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_CURSOR'
  | 'VALIDATION'
  | 'INVALID_PAGE_SIZE'
  | 'CONFLICT'
  | 'INVALID_STATE'
  | 'MIGRATION'
  | 'NOT_READY'
  | 'DATABASE';

/** Base class of all store errors. */
export class StoreError extends Error {
  readonly code: StoreErrorCode = 'DATABASE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A run or candidate that does not exist. */
export class NotFoundError extends StoreError {
  override readonly code = 'NOT_FOUND';

  constructor(
    readonly entity: 'Run' | 'Candidate',
    readonly id: string | number,
    options?: { cause?: unknown },
  ) {
    super(`${entity} ${JSON.stringify(id)} not found`, options);
  }
}

/** A pagination cursor that is malformed, or was issued for another list or another ordering. */
export class InvalidCursorError extends StoreError {
  override readonly code = 'INVALID_CURSOR';
}

/** Bad input (NaN property, duplicate position in a batch, unserialisable JSON, unknown orderBy, ...).
 * Raised before anything is written. */
export class StoreValidationError extends StoreError {
  override readonly code: StoreErrorCode = 'VALIDATION';
}

/** `first` outside 1..MAX_PAGE_SIZE (a limit violation rather than malformed input). */
export class InvalidPageSizeError extends StoreValidationError {
  override readonly code = 'INVALID_PAGE_SIZE';
}

/** A uniqueness constraint was violated (e.g. a run already has a candidate at that position). */
export class ConflictError extends StoreError {
  override readonly code = 'CONFLICT';

  constructor(
    message: string,
    readonly fields: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An operation not allowed in the current state (e.g. completing a run that already finished). */
export class InvalidStateError extends StoreError {
  override readonly code = 'INVALID_STATE';
}

/** Applying the committed migrations failed; the database was left as it was before the failing migration. */
export class MigrationError extends StoreError {
  override readonly code = 'MIGRATION';
}

/** The store was used before `onModuleInit()`/`init()` finished, or after `onModuleDestroy()`. */
export class StoreNotReadyError extends StoreError {
  override readonly code = 'NOT_READY';
}

/** Any other database failure. */
export class DatabaseError extends StoreError {
  override readonly code = 'DATABASE';
}

interface PrismaLikeError {
  code: string;
  message: string;
  meta?: Record<string, unknown>;
}

/** True for a Prisma error with a `Pnnnn` code. */
export function isPrismaKnownError(e: unknown): e is PrismaLikeError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    /^P\d{4}$/.test((e as { code: string }).code)
  );
}

/**
 * Constraint fields of a P2002, from either the classic engine (`meta.target`) or a driver adapter (the pg adapter
 * reports them quoted, `"runId"`; the quotes are removed).
 */
function constraintFields(meta: Record<string, unknown> | undefined): string[] {
  if (!meta) return [];
  const unquote = (f: unknown) => String(f).replace(/^"(.*)"$/, '$1');
  const target = meta.target;
  if (Array.isArray(target)) return target.map(unquote);
  if (typeof target === 'string') return [unquote(target)];
  const cause = (meta.driverAdapterError as { cause?: { constraint?: { fields?: unknown } } } | undefined)?.cause;
  const fields = cause?.constraint?.fields;
  return Array.isArray(fields) ? fields.map(unquote) : [];
}

/**
 * Maps any error thrown by Prisma (or the driver) to a {@link StoreError}. Store errors pass through unchanged.
 *
 * - P2002 (unique constraint) -> {@link ConflictError}
 * - P2025 (record not found), P2003 (foreign key) -> {@link NotFoundError} when `notFound` tells which entity
 * - everything else -> {@link DatabaseError}
 */
export function mapPrismaError(e: unknown, notFound?: { entity: 'Run' | 'Candidate'; id: string | number }): StoreError {
  if (e instanceof StoreError) return e;
  if (isPrismaKnownError(e)) {
    switch (e.code) {
      case 'P2002': {
        const fields = constraintFields(e.meta);
        return new ConflictError(`Unique constraint violated${fields.length ? ` on (${fields.join(', ')})` : ''}`, fields, {
          cause: e,
        });
      }
      case 'P2025':
      case 'P2003':
        if (notFound) return new NotFoundError(notFound.entity, notFound.id, { cause: e });
        return new DatabaseError(`${e.code}: ${e.message}`, { cause: e });
      default:
        return new DatabaseError(`${e.code}: ${e.message}`, { cause: e });
    }
  }
  const message = e instanceof Error ? e.message : String(e);
  return new DatabaseError(message, { cause: e });
}
