/**
 * Ordering and cursor paging of search results held in memory (substructure / similarity searches compute their
 * matches in code, so the database cannot page them). Same semantics as LibraryStore.listEntries: key in the
 * direction, entries without a key (no score) last in both directions, ties broken by entry id in the direction.
 */
import { decodeLibraryCursor, encodeLibraryCursor, entryOrderKey, type LibraryEntryOrderField, type LibraryEntryRecord, type Page, type SortDirection } from '../store';
import { InvalidCursorError } from '../store/errors';

/** An entry found by a search, with its similarity to the query molecule (null without a similarity search). */
export interface EntryHit {
  entry: LibraryEntryRecord;
  similarity: number | null;
}

/** Orderings of hits: those of the store plus `similarity`. */
export type HitOrderField = LibraryEntryOrderField | 'similarity';

/** The order key of a hit (numbers; dates as epoch ms; null for an entry without score). */
export function hitKey(h: EntryHit, orderBy: HitOrderField): number | null {
  return orderBy === 'similarity' ? h.similarity : entryOrderKey(h.entry, orderBy);
}

/** < 0 when (ka, ia) comes before (kb, ib) in `direction`; null keys last in both directions. */
export function compareKeys(ka: number | null, ia: number, kb: number | null, ib: number, direction: SortDirection): number {
  if (ka === null && kb !== null) return 1;
  if (kb === null && ka !== null) return -1;
  const s = direction === 'ASC' ? 1 : -1;
  if (ka !== null && kb !== null && ka !== kb) return s * (ka < kb ? -1 : 1);
  return s * (ia - ib);
}

/**
 * Sorts `hits` and returns the page after `after` (a cursor this function issued for the same ordering).
 *
 * @throws InvalidCursorError for a malformed cursor or one issued for another list or ordering.
 */
export function pageHits(hits: readonly EntryHit[], opts: { orderBy: HitOrderField; direction: SortDirection; first: number; after?: string | null }): Page<EntryHit> {
  const { orderBy, direction, first } = opts;
  const sorted = [...hits].sort((a, b) => compareKeys(hitKey(a, orderBy), a.entry.id, hitKey(b, orderBy), b.entry.id, direction));
  let start = 0;
  if (opts.after !== undefined && opts.after !== null) {
    const c = decodeLibraryCursor(opts.after, { scope: 'librarySearch', orderBy, direction });
    if (typeof c.id !== 'number' || typeof c.key === 'string') throw new InvalidCursorError('Invalid cursor: bad key or id');
    const key = c.key;
    const id = c.id;
    start = sorted.findIndex((h) => compareKeys(hitKey(h, orderBy), h.entry.id, key, id, direction) > 0);
    if (start < 0) start = sorted.length;
  }
  const page = sorted.slice(start, start + first);
  const edges = page.map((node) => ({
    cursor: encodeLibraryCursor({ scope: 'librarySearch', orderBy, direction, key: hitKey(node, orderBy), id: node.entry.id }),
    node,
  }));
  return {
    items: page,
    edges,
    totalCount: sorted.length,
    hasNextPage: start + first < sorted.length,
    endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
  };
}
