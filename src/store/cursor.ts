/**
 * Opaque keyset-pagination cursors.
 *
 * A cursor is base64url(JSON) of `{ v: 1, s: scope, o: orderField, d: direction, k: orderKey, i: id }`. The order key
 * plus the unique id give a total order, so pages are stable even when many rows share a key (ties) and when rows are
 * inserted between requests. Clients must treat cursors as opaque strings.
 */
import { InvalidCursorError } from './errors';
import type { Page, SortDirection } from './types';

/** Lists that issue cursors. `librarySearch`: in-memory pages of a library substructure/similarity search. */
export type CursorScope = 'candidates' | 'runs' | 'libraries' | 'libraryEntries' | 'librarySearch';

/** An order key: a number (dates as epoch milliseconds), a string (e.g. a name) or null (a missing score). */
export type CursorKey = number | string | null;

export interface CursorPayload<I extends number | string = number | string, K extends CursorKey = number> {
  /** Which list issued the cursor. */
  scope: CursorScope;
  orderBy: string;
  direction: SortDirection;
  /** Order-key value of the row. */
  key: K;
  /** Row id (tie-breaker). */
  id: I;
}

const VERSION = 1;
const MAX_CURSOR_LENGTH = 1024;
const MAX_STRING_KEY_LENGTH = 200;

export function encodeCursor(p: CursorPayload<number | string, CursorKey>): string {
  const json = JSON.stringify({ v: VERSION, s: p.scope, o: p.orderBy, d: p.direction, k: p.key, i: p.id });
  return Buffer.from(json, 'utf8').toString('base64url');
}

interface Expected {
  scope: CursorScope;
  orderBy: string;
  direction: SortDirection;
}

/** Decodes the envelope and checks version, scope and ordering; returns the unchecked key and id. */
function decodeEnvelope(cursor: string, expected: Expected): { k: unknown; i: unknown } {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw new InvalidCursorError('Invalid cursor: not an opaque cursor string');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (e) {
    throw new InvalidCursorError('Invalid cursor: cannot be decoded', { cause: e });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InvalidCursorError('Invalid cursor: bad payload');
  const { v, s, o, d, k, i } = raw as Record<string, unknown>;
  if (v !== VERSION) throw new InvalidCursorError('Invalid cursor: unsupported version');
  if (s !== expected.scope) throw new InvalidCursorError(`Invalid cursor: issued by another list (${String(s)}), not ${expected.scope}`);
  if (o !== expected.orderBy || d !== expected.direction) {
    throw new InvalidCursorError(
      `Invalid cursor: issued for ordering ${String(o)} ${String(d)}, used with ${expected.orderBy} ${expected.direction}`,
    );
  }
  return { k, i };
}

const isNumericId = (i: unknown): i is number => typeof i === 'number' && Number.isSafeInteger(i) && i >= 0;
const isStringId = (i: unknown): i is string => typeof i === 'string' && i.length > 0 && i.length <= 128;

/**
 * Decodes and checks a cursor with a numeric order key against the list it is used with.
 *
 * @throws InvalidCursorError when the string is not a cursor of this version, or was issued by another list
 *   (`scope`), for another ordering (`orderBy`/`direction`), or carries a key or an id of the wrong type.
 */
export function decodeCursor<I extends number | string>(
  cursor: string,
  expected: Expected & { idType: I extends number ? 'number' : 'string' },
): CursorPayload<I> {
  const { k, i } = decodeEnvelope(cursor, expected);
  if (typeof k !== 'number' || !Number.isFinite(k)) throw new InvalidCursorError('Invalid cursor: bad order key');
  if (!(expected.idType === 'number' ? isNumericId(i) : isStringId(i))) throw new InvalidCursorError('Invalid cursor: bad id');
  return { scope: expected.scope, orderBy: expected.orderBy, direction: expected.direction, key: k, id: i as I };
}

/**
 * Like {@link decodeCursor} for lists whose order key may also be a string (at most 200 characters) or null and
 * whose ids are numbers or strings (libraries, library entries).
 * @throws InvalidCursorError as decodeCursor does.
 */
export function decodeAnyKeyCursor(cursor: string, expected: Expected): CursorPayload<number | string, CursorKey> {
  const { k, i } = decodeEnvelope(cursor, expected);
  const keyOk = k === null || (typeof k === 'number' && Number.isFinite(k)) || (typeof k === 'string' && k.length <= MAX_STRING_KEY_LENGTH);
  if (!keyOk) throw new InvalidCursorError('Invalid cursor: bad order key');
  if (!isNumericId(i) && !isStringId(i)) throw new InvalidCursorError('Invalid cursor: bad id');
  return { scope: expected.scope, orderBy: expected.orderBy, direction: expected.direction, key: k as CursorKey, id: i };
}

/** A page of a cursor connection from its edges (in order), the total count and whether more rows follow. */
export function makePage<T>(edges: { cursor: string; node: T }[], totalCount: number, hasNextPage: boolean): Page<T> {
  return {
    items: edges.map((e) => e.node),
    edges,
    totalCount,
    hasNextPage,
    endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
  };
}
