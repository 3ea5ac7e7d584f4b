/**
 * Opaque keyset-pagination cursors.
 *
 * A cursor is base64url(JSON) of `{ v: 1, s: scope, o: orderField, d: direction, k: orderKey, i: id }`. The order key
 * plus the unique id give a total order, so pages are stable even when many rows share a key (ties) and when rows are
 * inserted between requests. Clients must treat cursors as opaque strings.
 */
import { InvalidCursorError } from './errors';
import type { SortDirection } from './types';

export type CursorScope = 'candidates' | 'runs';

export interface CursorPayload<I extends number | string = number | string> {
  /** Which list issued the cursor. */
  scope: CursorScope;
  orderBy: string;
  direction: SortDirection;
  /** Order-key value of the row (numbers as stored; dates as epoch milliseconds). */
  key: number;
  /** Row id (tie-breaker). */
  id: I;
}

const VERSION = 1;
const MAX_CURSOR_LENGTH = 1024;

export function encodeCursor(p: CursorPayload): string {
  const json = JSON.stringify({ v: VERSION, s: p.scope, o: p.orderBy, d: p.direction, k: p.key, i: p.id });
  return Buffer.from(json, 'utf8').toString('base64url');
}

/**
 * Decodes and checks a cursor against the list it is used with.
 *
 * @throws InvalidCursorError when the string is not a cursor of this version, or was issued by another list
 *   (`scope`), for another ordering (`orderBy`/`direction`), or carries an id of the wrong type.
 */
export function decodeCursor<I extends number | string>(
  cursor: string,
  expected: { scope: CursorScope; orderBy: string; direction: SortDirection; idType: I extends number ? 'number' : 'string' },
): CursorPayload<I> {
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
  if (typeof k !== 'number' || !Number.isFinite(k)) throw new InvalidCursorError('Invalid cursor: bad order key');
  if (expected.idType === 'number') {
    if (typeof i !== 'number' || !Number.isSafeInteger(i) || i < 0) throw new InvalidCursorError('Invalid cursor: bad id');
  } else if (typeof i !== 'string' || i.length === 0 || i.length > 128) {
    throw new InvalidCursorError('Invalid cursor: bad id');
  }
  return { scope: expected.scope, orderBy: expected.orderBy, direction: expected.direction, key: k, id: i as I };
}
