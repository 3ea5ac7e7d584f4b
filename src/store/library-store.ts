/**
 * Named candidate libraries (docs/libraries.md): `Library`, `LibraryEntry` and `LibraryEntryTag` rows, and the
 * `Candidate.ecfp4` fingerprint column. Part of the store layer: the only code here that touches these Prisma models;
 * it returns domain records and throws {@link StoreError}s only.
 *
 * Every operation joins StoreService's FIFO queue (see its class comment), so library operations never interleave
 * with run/candidate operations of this process. Queries are plain Prisma (no raw SQL): they run unchanged on SQLite
 * and PostgreSQL.
 */
import { Injectable } from '@nestjs/common';
import type { Prisma, PrismaClient } from '@prisma/client';
import { ConflictError, InvalidCursorError, InvalidPageSizeError, StoreError, StoreValidationError } from './errors';
import { propertyColumns, toCandidateRecord, validateCandidateInput } from './mappers';
import { StoreService } from './store.service';
import { CHUNK, chunks, TX_OPTIONS, type Tx } from './batching';
import { decodeAnyKeyCursor, encodeCursor, makePage, type CursorKey, type CursorPayload, type CursorScope } from './cursor';
import {
  CANDIDATE_PROPERTY_FIELDS,
  MAX_PAGE_SIZE,
  type CandidateFilters,
  type CandidateInput,
  type CandidatePropertyField,
  type CandidateRecord,
  type Page,
  type RangeFilter,
  type SortDirection,
} from './types';

// ---------------------------------------------------------------------------------------------------------------
// Limits and domain types

/** Characters of a library name (after trimming surrounding whitespace). */
export const MAX_LIBRARY_NAME_LENGTH = 100;
/** Characters of a library description or of an entry note. */
export const MAX_LIBRARY_TEXT_LENGTH = 2000;
/** A tag: 1..50 characters from [a-z0-9_.:-] (inputs are trimmed and lower-cased first). */
export const TAG_PATTERN = /^[a-z0-9_.:-]{1,50}$/;
/** Items (candidate ids, molecules, run links, fingerprints) one store call accepts. */
export const MAX_LIBRARY_STORE_BATCH = 10_000;
/** Rows one {@link LibraryStore.scanEntries} call returns at most. */
export const MAX_SCAN_BATCH = 2000;
/** Bytes of a stored ECFP4 fingerprint: 2048 bits, bit i in byte i >> 3 under mask 1 << (i & 7). */
export const ECFP4_BYTES = 256;

/** A library. */
export interface LibraryRecord {
  /** UUID. */
  id: string;
  /** Unique, 1..{@link MAX_LIBRARY_NAME_LENGTH} characters. */
  name: string;
  description: string | null;
  createdAt: Date;
  /** Last change of the name/description or of the entries (added, removed, annotated, tagged). */
  updatedAt: Date;
  /** Number of entries. */
  entryCount: number;
}

/** A candidate in a library. */
export interface LibraryEntryRecord {
  /** Store-internal entry id (increasing with insertion order). */
  id: number;
  libraryId: string;
  candidate: CandidateRecord;
  note: string | null;
  /** Score the candidate had in the run it was added from (RunCandidate.score), if any. */
  score: number | null;
  /** Run the entry was added from, if any (the run may since have been deleted). */
  sourceRunId: string | null;
  addedAt: Date;
  /** Tags, sorted. */
  tags: string[];
}

/** An entry with its candidate's stored ECFP4 (null when not computed yet), from {@link LibraryStore.scanEntries}. */
export interface LibraryScanRow extends LibraryEntryRecord {
  ecfp4: Uint8Array | null;
}

/** Fields entries can be ordered by: a candidate property, the entry's score, addedAt or id; ties broken by id. */
export const LIBRARY_ENTRY_ORDER_FIELDS = [...CANDIDATE_PROPERTY_FIELDS, 'score', 'addedAt', 'id'] as const;
export type LibraryEntryOrderField = (typeof LIBRARY_ENTRY_ORDER_FIELDS)[number];

/** Database-side filters on entries; all must hold. */
export interface LibraryEntryFilters {
  /** Inclusive ranges on candidate properties. */
  properties?: CandidateFilters | null;
  /** Inclusive range on the entry score (entries without a score never match a score range). */
  score?: RangeFilter | null;
  /** Entries carrying every one of these tags (normalised like {@link normalizeTag}). */
  tags?: readonly string[] | null;
  /** Substring of the note; case-insensitive (SQLite: ASCII letters only; PostgreSQL: ILIKE). */
  noteContains?: string | null;
  /** Entries added from this run. */
  sourceRunId?: string | null;
}

export interface ListLibraryEntriesArgs {
  libraryId: string;
  filters?: LibraryEntryFilters | null;
  /** Default `addedAt`. `score` sorts entries without a score last in both directions. */
  orderBy?: LibraryEntryOrderField | null;
  /** Default DESC. */
  direction?: SortDirection | null;
  /** Page size, 1..{@link MAX_PAGE_SIZE}. */
  first: number;
  after?: string | null;
}

/** One entry to add: an existing candidate, with the score and run it comes from (if any). */
export interface LibraryEntryInput {
  candidateId: number;
  score?: number | null;
  sourceRunId?: string | null;
}

/** A molecule to add by structure: stored as a candidate first (deduplicated by canonical SMILES). */
export interface LibraryMoleculeInput extends CandidateInput {
  /** Its ECFP4 ({@link ECFP4_BYTES} bytes), stored with a new candidate or filled into an existing one. */
  ecfp4?: Uint8Array | null;
}

/** Outcome of an add: the entries named by the call in input order (first occurrence of each candidate). */
export interface AddEntriesResult {
  library: LibraryRecord;
  /** Entries created by this call. */
  added: number;
  /** Entries that were in the library already (left as they were, apart from the tags of the call). */
  alreadyPresent: number;
  entries: LibraryEntryRecord[];
}

/** A library, entry, candidate, run or run position that does not exist. Nothing was written. */
export class LibraryNotFoundError extends StoreError {
  override readonly code = 'NOT_FOUND';

  constructor(
    readonly entity: 'Library' | 'LibraryEntry' | 'Candidate' | 'Run' | 'RunPosition',
    /** The ids that were not found (for LibraryEntry: candidate ids without an entry in the library). */
    readonly ids: readonly (string | number)[],
    message?: string,
  ) {
    super(message ?? `${entity} not found: ${ids.slice(0, 20).map((i) => JSON.stringify(i)).join(', ')}${ids.length > 20 ? ', ...' : ''}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Validation (also used by the service, which checks the API limits first)

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A library name trimmed and checked: 1..{@link MAX_LIBRARY_NAME_LENGTH} characters, no control characters.
 * @throws StoreValidationError otherwise.
 */
export function normalizeLibraryName(name: unknown): string {
  const n = typeof name === 'string' ? name.trim() : '';
  if (n.length === 0 || n.length > MAX_LIBRARY_NAME_LENGTH) {
    throw new StoreValidationError(`library name must have 1..${MAX_LIBRARY_NAME_LENGTH} characters (surrounding whitespace is trimmed)`);
  }
  if (CONTROL.test(n)) throw new StoreValidationError('library name must not contain control characters');
  return n;
}

/**
 * A description or note: null/empty -> null; at most {@link MAX_LIBRARY_TEXT_LENGTH} characters (line breaks and
 * tabs allowed, other control characters not).
 * @throws StoreValidationError otherwise.
 */
export function normalizeText(text: unknown, what: string): string | null {
  if (text === null || text === undefined || text === '') return null;
  if (typeof text !== 'string') throw new StoreValidationError(`${what} must be a string`);
  if (text.length > MAX_LIBRARY_TEXT_LENGTH) throw new StoreValidationError(`${what} has ${text.length} characters, at most ${MAX_LIBRARY_TEXT_LENGTH}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) throw new StoreValidationError(`${what} must not contain control characters`);
  return text;
}

/**
 * A tag trimmed and lower-cased, checked against {@link TAG_PATTERN}.
 * @throws StoreValidationError otherwise.
 */
export function normalizeTag(tag: unknown): string {
  const t = typeof tag === 'string' ? tag.trim().toLowerCase() : '';
  if (!TAG_PATTERN.test(t)) {
    throw new StoreValidationError(`tag ${JSON.stringify(tag)} must have 1..50 characters from a-z 0-9 _ . : - (it is lower-cased)`);
  }
  return t;
}

function normalizeTags(tags: readonly unknown[] | null | undefined): string[] {
  return [...new Set((tags ?? []).map(normalizeTag))];
}

function validateFirst(first: unknown, max = MAX_PAGE_SIZE): number {
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > max) {
    throw new InvalidPageSizeError(`first must be an integer between 1 and ${max}, got ${String(first)}`);
  }
  return first;
}

function validateId(id: unknown, what: string): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 128 || CONTROL.test(id)) {
    throw new StoreValidationError(`${what} must be a non-empty string of at most 128 characters without control characters`);
  }
  return id;
}

function validateCandidateIds(ids: readonly unknown[]): number[] {
  if (!Array.isArray(ids)) throw new StoreValidationError('candidate ids must be an array');
  if (ids.length > MAX_LIBRARY_STORE_BATCH) throw new StoreValidationError(`at most ${MAX_LIBRARY_STORE_BATCH} ids per call, got ${ids.length}`);
  const out: number[] = [];
  const seen = new Set<number>();
  for (const id of ids) {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw new StoreValidationError(`candidate id must be a positive integer, got ${String(id)}`);
    if (!seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  }
  return out;
}

function finiteOrNull(v: unknown, what: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new StoreValidationError(`${what} must be a finite number or null`);
  return v;
}

function rangeBounds(range: RangeFilter | null | undefined, what: string): { gte?: number; lte?: number } | null {
  if (range === null || range === undefined) return null;
  const out: { gte?: number; lte?: number } = {};
  for (const [k, op] of [['min', 'gte'], ['max', 'lte']] as const) {
    const v = range[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new StoreValidationError(`${what}.${k} must be a finite number`);
    out[op] = v;
  }
  return Object.keys(out).length > 0 ? out : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Cursors

/** Lists that issue library cursors. `librarySearch`: in-memory pages of a substructure/similarity search. */
export type LibraryCursorScope = Extract<CursorScope, 'libraries' | 'libraryEntries' | 'librarySearch'>;

/**
 * Payload of a library cursor (src/store/cursor.ts format) with string or null keys: a number (dates as epoch ms), a
 * string (library names) or null (entry without score); the id is an entry id (number) or a library id (string).
 */
export type LibraryCursor = CursorPayload<number | string, CursorKey> & { scope: LibraryCursorScope };

/** Encodes a cursor; treat the result as opaque. */
export function encodeLibraryCursor(c: LibraryCursor): string {
  return encodeCursor(c);
}

/**
 * Decodes a cursor and checks it was issued by the same list for the same ordering.
 * @throws InvalidCursorError otherwise.
 */
export function decodeLibraryCursor(cursor: string, expected: { scope: LibraryCursorScope; orderBy: string; direction: SortDirection }): LibraryCursor {
  return decodeAnyKeyCursor(cursor, expected) as LibraryCursor;
}

// ---------------------------------------------------------------------------------------------------------------
// Row mapping

const ENTRY_INCLUDE = {
  candidate: { omit: { ecfp4: true } },
  tags: { select: { tag: true }, orderBy: { tag: 'asc' } },
} satisfies Prisma.LibraryEntryInclude;

const SCAN_INCLUDE = {
  candidate: true,
  tags: { select: { tag: true }, orderBy: { tag: 'asc' } },
} satisfies Prisma.LibraryEntryInclude;

type EntryRow = Prisma.LibraryEntryGetPayload<{ include: typeof ENTRY_INCLUDE }>;
type ScanRow = Prisma.LibraryEntryGetPayload<{ include: typeof SCAN_INCLUDE }>;
type LibraryRow = Prisma.LibraryGetPayload<{ include: { _count: { select: { entries: true } } } }>;

const LIBRARY_INCLUDE = { _count: { select: { entries: true } } } as const;

function toLibraryRecord(row: LibraryRow): LibraryRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    entryCount: row._count.entries,
  };
}

function toEntryRecord(row: EntryRow): LibraryEntryRecord {
  return {
    id: row.id,
    libraryId: row.libraryId,
    candidate: toCandidateRecord({ ...row.candidate, ecfp4: null }),
    note: row.note,
    score: row.score,
    sourceRunId: row.sourceRunId,
    addedAt: row.addedAt,
    tags: row.tags.map((t) => t.tag),
  };
}

function toScanRow(row: ScanRow): LibraryScanRow {
  const ecfp4 = row.candidate.ecfp4;
  return {
    ...toEntryRecord(row),
    ecfp4: ecfp4 && ecfp4.length === ECFP4_BYTES ? new Uint8Array(ecfp4) : null,
  };
}

/** The order key of an entry for `orderBy` (as stored in cursors). */
export function entryOrderKey(e: LibraryEntryRecord, orderBy: LibraryEntryOrderField): number | null {
  switch (orderBy) {
    case 'id':
      return e.id;
    case 'addedAt':
      return e.addedAt.getTime();
    case 'score':
      return e.score;
    default:
      return e.candidate.properties[orderBy];
  }
}



// ---------------------------------------------------------------------------------------------------------------
// The store

/**
 * Libraries of candidates: CRUD, entries with notes, scores and tags, keyset pagination with filters, batched scans
 * for chemistry-side searches, and ECFP4 fingerprints on candidates.
 */
@Injectable()
export class LibraryStore {
  constructor(private readonly store: StoreService) {}

  /** Runs `fn` in StoreService's FIFO queue with its error mapping (Prisma errors -> StoreErrors). */
  private exec<T>(fn: (db: PrismaClient) => Promise<T>): Promise<T> {
    return this.store.exclusive(fn);
  }

  private tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.exec((db) => db.$transaction(fn, TX_OPTIONS));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Libraries

  /**
   * Creates an empty library.
   * @throws StoreValidationError for a bad name or description; ConflictError (fields ['name']) when the name is taken.
   */
  async createLibrary(input: { name: string; description?: string | null }): Promise<LibraryRecord> {
    const name = normalizeLibraryName(input?.name);
    const description = normalizeText(input.description, 'description');
    return this.tx(async (tx) => {
      if (await tx.library.findUnique({ where: { name }, select: { id: true } })) throw nameTaken(name);
      return toLibraryRecord(await tx.library.create({ data: { name, description }, include: LIBRARY_INCLUDE }));
    }).catch((e) => rethrowNameConflict(e, name));
  }

  /**
   * Renames a library and/or changes its description (`undefined` leaves a field as it is; a null/empty description
   * clears it).
   * @throws LibraryNotFoundError; StoreValidationError; ConflictError when another library has the name.
   */
  async updateLibrary(id: string, input: { name?: string | null; description?: string | null }): Promise<LibraryRecord> {
    validateId(id, 'library id');
    const data: Prisma.LibraryUpdateInput = {};
    if (input.name !== undefined && input.name !== null) data.name = normalizeLibraryName(input.name);
    if (input.description !== undefined) data.description = normalizeText(input.description, 'description');
    const name = data.name as string | undefined;
    return this.tx(async (tx) => {
      const row = await tx.library.findUnique({ where: { id }, select: { id: true } });
      if (!row) throw new LibraryNotFoundError('Library', [id]);
      if (name !== undefined) {
        const other = await tx.library.findUnique({ where: { name }, select: { id: true } });
        if (other && other.id !== id) throw nameTaken(name);
      }
      return toLibraryRecord(await tx.library.update({ where: { id }, data: { ...data, updatedAt: new Date() }, include: LIBRARY_INCLUDE }));
    }).catch((e) => rethrowNameConflict(e, name ?? ''));
  }

  /** Deletes a library with its entries and their tags (cascade); candidates stay. @returns false when there was none. */
  async deleteLibrary(id: string): Promise<boolean> {
    if (typeof id !== 'string' || id.length === 0) return false;
    return this.exec(async (db) => (await db.library.deleteMany({ where: { id } })).count === 1);
  }

  /** The library with this id, or null. */
  async getLibrary(id: string): Promise<LibraryRecord | null> {
    if (typeof id !== 'string' || id.length === 0 || id.length > 128) return null;
    return this.exec(async (db) => {
      const row = await db.library.findUnique({ where: { id }, include: LIBRARY_INCLUDE });
      return row ? toLibraryRecord(row) : null;
    });
  }

  /** The library with this name (exact, after trimming), or null. */
  async getLibraryByName(name: string): Promise<LibraryRecord | null> {
    const n = typeof name === 'string' ? name.trim() : '';
    if (n.length === 0 || n.length > MAX_LIBRARY_NAME_LENGTH) return null;
    return this.exec(async (db) => {
      const row = await db.library.findUnique({ where: { name: n }, include: LIBRARY_INCLUDE });
      return row ? toLibraryRecord(row) : null;
    });
  }

  /**
   * Libraries ordered by name (ascending; the database's collation), Relay style.
   * @throws InvalidPageSizeError; InvalidCursorError.
   */
  async listLibraries(args: { first: number; after?: string | null }): Promise<Page<LibraryRecord>> {
    const first = validateFirst(args?.first);
    let after: Prisma.LibraryWhereInput = {};
    if (args.after !== undefined && args.after !== null) {
      const c = decodeLibraryCursor(args.after, { scope: 'libraries', orderBy: 'name', direction: 'ASC' });
      if (typeof c.key !== 'string') throw new InvalidCursorError('Invalid cursor: bad order key');
      after = { name: { gt: c.key } };
    }
    return this.exec(async (db) => {
      const [rows, totalCount] = await Promise.all([
        db.library.findMany({ where: after, orderBy: { name: 'asc' }, take: first + 1, include: LIBRARY_INCLUDE }),
        db.library.count(),
      ]);
      const edges = rows.slice(0, first).map((row) => ({
        cursor: encodeLibraryCursor({ scope: 'libraries', orderBy: 'name', direction: 'ASC', key: row.name, id: row.id }),
        node: toLibraryRecord(row),
      }));
      return makePage(edges, totalCount, rows.length > first);
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Adding entries

  /**
   * Adds existing candidates to a library in one transaction. A candidate already in the library keeps its entry as
   * it is (note, score, provenance); `tags` are added to every entry the call names, new or not.
   *
   * @throws LibraryNotFoundError for an unknown library or candidate ids (all of them listed; nothing written);
   *   StoreValidationError for bad ids, scores, run ids or tags, or more than {@link MAX_LIBRARY_STORE_BATCH} items.
   */
  async addEntries(libraryId: string, items: readonly LibraryEntryInput[], tags: readonly string[] = []): Promise<AddEntriesResult> {
    validateId(libraryId, 'library id');
    const valid = validateEntryInputs(items);
    const tagList = normalizeTags(tags);
    return this.tx((tx) => this.addEntriesTx(tx, libraryId, valid, tagList));
  }

  /**
   * Stores molecules as candidates (deduplicated by canonical SMILES; a new candidate gets its properties and ECFP4,
   * an existing one keeps its properties and only gains a missing InChIKey or ECFP4) and adds them to a library, in
   * one transaction.
   *
   * @throws LibraryNotFoundError for an unknown library; StoreValidationError for a bad molecule (see
   *   StoreService.addCandidates), a fingerprint that is not {@link ECFP4_BYTES} bytes, or bad tags.
   */
  async addMolecules(libraryId: string, molecules: readonly LibraryMoleculeInput[], tags: readonly string[] = []): Promise<AddEntriesResult> {
    validateId(libraryId, 'library id');
    if (!Array.isArray(molecules) || molecules.length > MAX_LIBRARY_STORE_BATCH) {
      throw new StoreValidationError(`molecules must be an array of at most ${MAX_LIBRARY_STORE_BATCH}`);
    }
    molecules.forEach((m, i) => {
      validateCandidateInput(m, `molecules[${i}]`);
      if (m.ecfp4 !== undefined && m.ecfp4 !== null) validateFingerprint(m.ecfp4, `molecules[${i}].ecfp4`);
    });
    const tagList = normalizeTags(tags);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.tx(async (tx) => {
          await requireLibrary(tx, libraryId);
          const ids = await this.ensureCandidatesTx(tx, molecules);
          const items = molecules.map((m) => ({ candidateId: ids.get(m.canonicalSmiles)!, score: null, sourceRunId: null }));
          return this.addEntriesTx(tx, libraryId, items, tagList);
        });
      } catch (e) {
        // Another process inserted one of the molecules between our lookup and insert; a retry finds the row.
        const raced = e instanceof ConflictError && e.fields.includes('canonicalSmiles');
        if (!raced || attempt >= 3) throw e;
      }
    }
  }

  /**
   * Adds the candidates of a run to a library with the run's score and `sourceRunId` = runId: all of them (`positions`
   * null) or those at the given positions. A molecule the run reached at several positions is added once, with the
   * score of its lowest position.
   *
   * @throws LibraryNotFoundError for an unknown library or run, or positions the run does not have (all listed;
   *   nothing written); StoreValidationError for bad positions or tags.
   */
  async addRun(libraryId: string, runId: string, positions: readonly number[] | null, tags: readonly string[] = []): Promise<AddEntriesResult> {
    validateId(libraryId, 'library id');
    validateId(runId, 'run id');
    let wanted: number[] | null = null;
    if (positions !== null && positions !== undefined) {
      if (!Array.isArray(positions) || positions.length > MAX_LIBRARY_STORE_BATCH) throw new StoreValidationError(`positions must be an array of at most ${MAX_LIBRARY_STORE_BATCH}`);
      for (const p of positions) {
        if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 2_147_483_647) throw new StoreValidationError(`position must be a non-negative integer, got ${String(p)}`);
      }
      wanted = [...new Set(positions)];
    }
    const tagList = normalizeTags(tags);
    return this.tx(async (tx) => {
      await requireLibrary(tx, libraryId);
      const run = await tx.run.findUnique({ where: { id: runId }, select: { id: true } });
      if (!run) throw new LibraryNotFoundError('Run', [runId]);
      const links: { candidateId: number; position: number; score: number | null }[] = [];
      if (wanted === null) {
        links.push(...(await tx.runCandidate.findMany({ where: { runId }, orderBy: { position: 'asc' }, select: { candidateId: true, position: true, score: true } })));
      } else {
        for (const part of chunks(wanted)) {
          links.push(...(await tx.runCandidate.findMany({ where: { runId, position: { in: part } }, select: { candidateId: true, position: true, score: true } })));
        }
        const found = new Set(links.map((l) => l.position));
        const missing = wanted.filter((p) => !found.has(p));
        if (missing.length > 0) throw new LibraryNotFoundError('RunPosition', missing, `run ${runId} has no candidate at position(s) ${missing.slice(0, 20).join(', ')}`);
        links.sort((a, b) => a.position - b.position);
      }
      if (links.length > MAX_LIBRARY_STORE_BATCH) throw new StoreValidationError(`the run has ${links.length} candidates; at most ${MAX_LIBRARY_STORE_BATCH} per call (choose positions)`);
      const items = links.map((l) => ({ candidateId: l.candidateId, score: l.score, sourceRunId: runId }));
      return this.addEntriesTx(tx, libraryId, items, tagList);
    });
  }

  private async ensureCandidatesTx(tx: Tx, molecules: readonly LibraryMoleculeInput[]): Promise<Map<string, number>> {
    const bySmiles = new Map<string, LibraryMoleculeInput>();
    for (const m of molecules) if (!bySmiles.has(m.canonicalSmiles)) bySmiles.set(m.canonicalSmiles, m);
    const smiles = [...bySmiles.keys()];
    const ids = new Map<string, number>();
    for (const part of chunks(smiles)) {
      const rows = await tx.candidate.findMany({
        where: { canonicalSmiles: { in: part } },
        select: { id: true, canonicalSmiles: true, inchiKey: true, ecfp4: true },
      });
      for (const r of rows) {
        ids.set(r.canonicalSmiles, r.id);
        const m = bySmiles.get(r.canonicalSmiles)!;
        const data: Prisma.CandidateUpdateInput = {};
        if (r.inchiKey === null && m.inchiKey) data.inchiKey = m.inchiKey;
        if ((r.ecfp4 === null || r.ecfp4.length !== ECFP4_BYTES) && m.ecfp4) data.ecfp4 = bytes(m.ecfp4);
        if (Object.keys(data).length > 0) await tx.candidate.update({ where: { id: r.id }, data });
      }
    }
    const missing = smiles.filter((s) => !ids.has(s));
    const createdAt = new Date();
    for (const part of chunks(missing)) {
      await tx.candidate.createMany({
        data: part.map((s) => {
          const m = bySmiles.get(s)!;
          return { canonicalSmiles: s, inchiKey: m.inchiKey ?? null, ...propertyColumns(m.properties), ecfp4: m.ecfp4 ? bytes(m.ecfp4) : null, createdAt };
        }),
      });
      const rows = await tx.candidate.findMany({ where: { canonicalSmiles: { in: part } }, select: { id: true, canonicalSmiles: true } });
      for (const r of rows) ids.set(r.canonicalSmiles, r.id);
    }
    return ids;
  }

  private async addEntriesTx(tx: Tx, libraryId: string, items: readonly ValidEntryInput[], tags: readonly string[]): Promise<AddEntriesResult> {
    await requireLibrary(tx, libraryId);
    // First occurrence of each candidate wins.
    const byCandidate = new Map<number, ValidEntryInput>();
    for (const it of items) if (!byCandidate.has(it.candidateId)) byCandidate.set(it.candidateId, it);
    const candidateIds = [...byCandidate.keys()];

    const known = new Set<number>();
    for (const part of chunks(candidateIds)) {
      for (const r of await tx.candidate.findMany({ where: { id: { in: part } }, select: { id: true } })) known.add(r.id);
    }
    const unknown = candidateIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new LibraryNotFoundError('Candidate', unknown);

    const present = new Set<number>();
    for (const part of chunks(candidateIds)) {
      const rows = await tx.libraryEntry.findMany({ where: { libraryId, candidateId: { in: part } }, select: { candidateId: true } });
      for (const r of rows) present.add(r.candidateId);
    }
    const fresh = candidateIds.filter((id) => !present.has(id));
    const addedAt = new Date();
    for (const part of chunks(fresh)) {
      await tx.libraryEntry.createMany({
        data: part.map((candidateId) => {
          const it = byCandidate.get(candidateId)!;
          return { libraryId, candidateId, score: it.score, sourceRunId: it.sourceRunId, addedAt };
        }),
      });
    }
    const entryIds = await entryIdsByCandidate(tx, libraryId, candidateIds);
    if (tags.length > 0) await addTagsTx(tx, [...entryIds.values()], tags);
    if (fresh.length > 0 || tags.length > 0) await tx.library.update({ where: { id: libraryId }, data: { updatedAt: new Date() } });
    const entries = await readEntries(tx, [...entryIds.values()]);
    const byId = new Map(entries.map((e) => [e.candidate.id, e]));
    return {
      library: toLibraryRecord(await tx.library.findUniqueOrThrow({ where: { id: libraryId }, include: LIBRARY_INCLUDE })),
      added: fresh.length,
      alreadyPresent: candidateIds.length - fresh.length,
      entries: candidateIds.map((id) => byId.get(id)!),
    };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Changing entries

  /**
   * Removes candidates from a library (their tags go with them; the candidates stay).
   * @returns the number of entries removed.
   * @throws LibraryNotFoundError for an unknown library, or candidate ids without an entry in it (nothing removed).
   */
  async removeEntries(libraryId: string, candidateIds: readonly number[]): Promise<number> {
    validateId(libraryId, 'library id');
    const ids = validateCandidateIds(candidateIds);
    return this.tx(async (tx) => {
      await requireLibrary(tx, libraryId);
      const entryIds = await requireEntries(tx, libraryId, ids);
      let removed = 0;
      for (const part of chunks([...entryIds.values()])) removed += (await tx.libraryEntry.deleteMany({ where: { id: { in: part } } })).count;
      if (removed > 0) await tx.library.update({ where: { id: libraryId }, data: { updatedAt: new Date() } });
      return removed;
    });
  }

  /**
   * Sets (or clears, with null/empty) the note of a candidate's entry.
   * @throws LibraryNotFoundError for an unknown library or a candidate not in it; StoreValidationError for a bad note.
   */
  async setNote(libraryId: string, candidateId: number, note: string | null): Promise<LibraryEntryRecord> {
    validateId(libraryId, 'library id');
    const [id] = validateCandidateIds([candidateId]);
    const text = normalizeText(note, 'note');
    return this.tx(async (tx) => {
      await requireLibrary(tx, libraryId);
      const entryIds = await requireEntries(tx, libraryId, [id]);
      const entryId = entryIds.get(id)!;
      await tx.libraryEntry.update({ where: { id: entryId }, data: { note: text } });
      await tx.library.update({ where: { id: libraryId }, data: { updatedAt: new Date() } });
      return (await readEntries(tx, [entryId]))[0];
    });
  }

  /**
   * Adds tags to entries (tags they already carry are kept once).
   * @returns the entries, in the order of `candidateIds`.
   * @throws LibraryNotFoundError for an unknown library or candidates not in it; StoreValidationError for bad tags.
   */
  async addTags(libraryId: string, candidateIds: readonly number[], tags: readonly string[]): Promise<LibraryEntryRecord[]> {
    return this.changeTags(libraryId, candidateIds, tags, addTagsTx);
  }

  /**
   * Removes tags from entries (absent tags are ignored).
   * @returns the entries, in the order of `candidateIds`.
   * @throws as {@link addTags}.
   */
  async removeTags(libraryId: string, candidateIds: readonly number[], tags: readonly string[]): Promise<LibraryEntryRecord[]> {
    return this.changeTags(libraryId, candidateIds, tags, async (tx, entryIds, tagList) => {
      for (const part of chunks(entryIds)) await tx.libraryEntryTag.deleteMany({ where: { entryId: { in: part }, tag: { in: [...tagList] } } });
    });
  }

  private async changeTags(
    libraryId: string,
    candidateIds: readonly number[],
    tags: readonly string[],
    change: (tx: Tx, entryIds: number[], tags: readonly string[]) => Promise<void>,
  ): Promise<LibraryEntryRecord[]> {
    validateId(libraryId, 'library id');
    const ids = validateCandidateIds(candidateIds);
    const tagList = normalizeTags(tags);
    if (tagList.length === 0) throw new StoreValidationError('give at least one tag');
    return this.tx(async (tx) => {
      await requireLibrary(tx, libraryId);
      const entryIds = await requireEntries(tx, libraryId, ids);
      await change(tx, [...entryIds.values()], tagList);
      await tx.library.update({ where: { id: libraryId }, data: { updatedAt: new Date() } });
      const entries = await readEntries(tx, [...entryIds.values()]);
      const byCandidate = new Map(entries.map((e) => [e.candidate.id, e]));
      return ids.map((id) => byCandidate.get(id)!);
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Reading entries

  /** The entry of a candidate in a library, or null. */
  async getEntry(libraryId: string, candidateId: number): Promise<LibraryEntryRecord | null> {
    if (typeof libraryId !== 'string' || !Number.isSafeInteger(candidateId)) return null;
    return this.exec(async (db) => {
      const row = await db.libraryEntry.findUnique({ where: { libraryId_candidateId: { libraryId, candidateId } }, include: ENTRY_INCLUDE });
      return row ? toEntryRecord(row) : null;
    });
  }

  /**
   * A page of a library's entries, Relay style, ordered by `orderBy` (default addedAt) in `direction` (default DESC),
   * ties broken by entry id in the same direction; `score` puts entries without a score last in both directions. Walking
   * pages with `after: endCursor` visits every matching entry once. `totalCount` counts all matches.
   *
   * @throws LibraryNotFoundError for an unknown library; InvalidPageSizeError; InvalidCursorError; StoreValidationError
   *   for an unknown orderBy/direction or bad filters.
   */
  async listEntries(args: ListLibraryEntriesArgs): Promise<Page<LibraryEntryRecord>> {
    const first = validateFirst(args?.first);
    const libraryId = validateId(args.libraryId, 'library id');
    const orderBy: LibraryEntryOrderField = args.orderBy ?? 'addedAt';
    if (!(LIBRARY_ENTRY_ORDER_FIELDS as readonly string[]).includes(orderBy)) throw new StoreValidationError(`Cannot order entries by ${String(orderBy)}`);
    const direction: SortDirection = args.direction ?? 'DESC';
    if (direction !== 'ASC' && direction !== 'DESC') throw new StoreValidationError(`direction must be ASC or DESC, got ${String(direction)}`);
    const cond = this.entryWhere(libraryId, args.filters);
    let after: Prisma.LibraryEntryWhereInput | null = null;
    if (args.after !== undefined && args.after !== null) {
      const c = decodeLibraryCursor(args.after, { scope: 'libraryEntries', orderBy, direction });
      after = afterWhere(orderBy, direction, c);
    }
    const dir = direction === 'ASC' ? 'asc' : 'desc';
    const order: Prisma.LibraryEntryOrderByWithRelationInput[] =
      orderBy === 'id'
        ? [{ id: dir }]
        : orderBy === 'addedAt'
          ? [{ addedAt: dir }, { id: dir }]
          : orderBy === 'score'
            ? [{ score: { sort: dir, nulls: 'last' } }, { id: dir }]
            : [{ candidate: { [orderBy]: dir } }, { id: dir }];
    return this.exec(async (db) => {
      if (!(await db.library.findUnique({ where: { id: libraryId }, select: { id: true } }))) throw new LibraryNotFoundError('Library', [libraryId]);
      const rows: EntryRow[] = [];
      let keyset = after;
      // One query, unless rows must be checked again (see entryWhere): then batches until first + 1 rows passed.
      const batch = cond.post ? Math.max(first + 1, POST_FILTER_BATCH) : first + 1;
      for (;;) {
        const got = await db.libraryEntry.findMany({ where: keyset ? { AND: [cond.where, keyset] } : cond.where, orderBy: order, take: batch, include: ENTRY_INCLUDE });
        rows.push(...(cond.post ? got.filter((r) => cond.post!(r.note)) : got));
        if (rows.length > first || got.length < batch) break;
        const last = toEntryRecord(got[got.length - 1]);
        keyset = afterWhere(orderBy, direction, { scope: 'libraryEntries', orderBy, direction, key: entryOrderKey(last, orderBy), id: last.id });
      }
      const totalCount = await countWhere(db, cond);
      const edges = rows.slice(0, first).map((row) => {
        const node = toEntryRecord(row);
        return { cursor: encodeLibraryCursor({ scope: 'libraryEntries', orderBy, direction, key: entryOrderKey(node, orderBy), id: node.id }), node };
      });
      return makePage(edges, totalCount, rows.length > first);
    });
  }

  /**
   * Number of entries matching the filters.
   * @throws LibraryNotFoundError for an unknown library; StoreValidationError for bad filters.
   */
  async countEntries(libraryId: string, filters?: LibraryEntryFilters | null): Promise<number> {
    validateId(libraryId, 'library id');
    const cond = this.entryWhere(libraryId, filters);
    return this.exec(async (db) => {
      if (!(await db.library.findUnique({ where: { id: libraryId }, select: { id: true } }))) throw new LibraryNotFoundError('Library', [libraryId]);
      return countWhere(db, cond);
    });
  }

  /**
   * Matching entries with entry id > `afterId`, by ascending id, at most `take` (1..{@link MAX_SCAN_BATCH}), each with
   * its candidate's stored ECFP4: the batches a chemistry-side search (substructure, similarity) walks through.
   *
   * @throws LibraryNotFoundError for an unknown library; StoreValidationError for bad filters or take.
   */
  async scanEntries(libraryId: string, filters: LibraryEntryFilters | null | undefined, opts: { afterId?: number; take: number }): Promise<LibraryScanRow[]> {
    validateId(libraryId, 'library id');
    const take = validateFirst(opts?.take, MAX_SCAN_BATCH);
    const afterId = opts.afterId ?? 0;
    if (!Number.isSafeInteger(afterId) || afterId < 0) throw new StoreValidationError('afterId must be a non-negative integer');
    const cond = this.entryWhere(libraryId, filters);
    return this.exec(async (db) => {
      if (!(await db.library.findUnique({ where: { id: libraryId }, select: { id: true } }))) throw new LibraryNotFoundError('Library', [libraryId]);
      const out: ScanRow[] = [];
      let from = afterId;
      for (;;) {
        const got = await db.libraryEntry.findMany({ where: { AND: [cond.where, { id: { gt: from } }] }, orderBy: { id: 'asc' }, take, include: SCAN_INCLUDE });
        out.push(...(cond.post ? got.filter((r) => cond.post!(r.note)) : got));
        if (out.length >= take || got.length < take) break;
        from = got[got.length - 1].id;
      }
      return out.slice(0, take).map(toScanRow);
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Fingerprints

  /**
   * Stores ECFP4 fingerprints of candidates ({@link ECFP4_BYTES} bytes each; a fingerprint is a function of the
   * structure, so an existing one is simply overwritten with the same value). Unknown candidate ids are ignored.
   *
   * @returns the number of candidates updated.
   * @throws StoreValidationError for a bad id or fingerprint, or more than {@link MAX_LIBRARY_STORE_BATCH} items.
   */
  async setFingerprints(items: readonly { candidateId: number; ecfp4: Uint8Array }[]): Promise<number> {
    if (!Array.isArray(items) || items.length > MAX_LIBRARY_STORE_BATCH) throw new StoreValidationError(`items must be an array of at most ${MAX_LIBRARY_STORE_BATCH}`);
    items.forEach((it, i) => {
      validateCandidateIds([it?.candidateId]);
      validateFingerprint(it.ecfp4, `items[${i}].ecfp4`);
    });
    if (items.length === 0) return 0;
    return this.tx(async (tx) => {
      let n = 0;
      for (const it of items) n += (await tx.candidate.updateMany({ where: { id: it.candidateId }, data: { ecfp4: bytes(it.ecfp4) } })).count;
      return n;
    });
  }

  /**
   * Candidates without a stored ECFP4 (any, or only those in `libraryId`), by ascending id, at most `take`
   * (1..{@link MAX_SCAN_BATCH}): the work list of a fingerprint backfill.
   */
  async candidatesWithoutFingerprint(opts: { libraryId?: string | null; take: number }): Promise<{ id: number; canonicalSmiles: string }[]> {
    const take = validateFirst(opts?.take, MAX_SCAN_BATCH);
    const where: Prisma.CandidateWhereInput = { ecfp4: null };
    if (opts.libraryId) where.libraryEntries = { some: { libraryId: validateId(opts.libraryId, 'library id') } };
    return this.exec((db) => db.candidate.findMany({ where, orderBy: { id: 'asc' }, take, select: { id: true, canonicalSmiles: true } }));
  }

  // -------------------------------------------------------------------------------------------------------------

  /**
   * The database condition of the filters, and an exact note predicate when that condition is only a superset: SQLite's
   * LIKE (Prisma `contains`) has no escape character, so `%` and `_` in the text act as wildcards there and the rows it
   * returns are checked again here. PostgreSQL escapes them with its default LIKE escape character (backslash).
   */
  private entryWhere(libraryId: string, f: LibraryEntryFilters | null | undefined): EntryCondition {
    const and: Prisma.LibraryEntryWhereInput[] = [{ libraryId }];
    const candidate: Record<string, { gte?: number; lte?: number }> = {};
    for (const [field, range] of Object.entries(f?.properties ?? {})) {
      if (!(CANDIDATE_PROPERTY_FIELDS as readonly string[]).includes(field)) throw new StoreValidationError(`Cannot filter entries by ${field}`);
      const b = rangeBounds(range, `filters.${field}`);
      if (b) candidate[field as CandidatePropertyField] = b;
    }
    if (Object.keys(candidate).length > 0) and.push({ candidate: candidate as Prisma.CandidateWhereInput });
    const score = rangeBounds(f?.score, 'filters.score');
    if (score) and.push({ score });
    const tags = normalizeTags(f?.tags);
    if (tags.length > MAX_TAG_FILTER) throw new StoreValidationError(`at most ${MAX_TAG_FILTER} tags in a filter`);
    for (const tag of tags) and.push({ tags: { some: { tag } } });
    let post: ((note: string | null) => boolean) | null = null;
    const text = f?.noteContains;
    if (text !== undefined && text !== null && text !== '') {
      if (typeof text !== 'string' || text.length > MAX_LIBRARY_TEXT_LENGTH) throw new StoreValidationError(`noteContains must be a string of at most ${MAX_LIBRARY_TEXT_LENGTH} characters`);
      if (this.store.provider === 'postgresql') {
        // ILIKE; `mode` is not declared by the SQLite client's types, which the store is typed against.
        and.push({ note: { contains: text.replace(/[\\%_]/g, (c) => `\\${c}`), mode: 'insensitive' } as Prisma.StringNullableFilter });
      } else {
        // SQLite's LIKE is case-insensitive for ASCII letters only; the exact check below does the same.
        and.push({ note: { contains: text } });
        if (/[%_]/.test(text)) {
          const needle = asciiLower(text);
          post = (note) => note !== null && asciiLower(note).includes(needle);
        }
      }
    }
    if (f?.sourceRunId !== undefined && f.sourceRunId !== null) and.push({ sourceRunId: validateId(f.sourceRunId, 'sourceRunId') });
    return { where: { AND: and }, post };
  }
}

/** Tags accepted in one entry filter. */
const MAX_TAG_FILTER = 20;
/** Rows read per query while a note filter is checked again in code (see LibraryStore.entryWhere). */
const POST_FILTER_BATCH = 500;

/** Filters as a database condition plus, when that condition is only a superset, the exact note predicate. */
interface EntryCondition {
  where: Prisma.LibraryEntryWhereInput;
  post: ((note: string | null) => boolean) | null;
}

/** Number of entries meeting the condition (reading only the notes of the superset when a predicate must be applied). */
async function countWhere(db: PrismaClient, cond: EntryCondition): Promise<number> {
  if (!cond.post) return db.libraryEntry.count({ where: cond.where });
  let n = 0;
  let from = 0;
  for (;;) {
    const got = await db.libraryEntry.findMany({ where: { AND: [cond.where, { id: { gt: from } }] }, orderBy: { id: 'asc' }, take: POST_FILTER_BATCH * 10, select: { id: true, note: true } });
    n += got.filter((r) => cond.post!(r.note)).length;
    if (got.length < POST_FILTER_BATCH * 10) return n;
    from = got[got.length - 1].id;
  }
}

/** Lower-cases ASCII letters only, as SQLite's LIKE compares. */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

interface ValidEntryInput {
  candidateId: number;
  score: number | null;
  sourceRunId: string | null;
}

function validateEntryInputs(items: readonly LibraryEntryInput[]): ValidEntryInput[] {
  if (!Array.isArray(items) || items.length > MAX_LIBRARY_STORE_BATCH) throw new StoreValidationError(`items must be an array of at most ${MAX_LIBRARY_STORE_BATCH}`);
  return items.map((it, i) => {
    if (typeof it !== 'object' || it === null) throw new StoreValidationError(`items[${i}] must be an object`);
    const [candidateId] = validateCandidateIds([it.candidateId]);
    const sourceRunId = it.sourceRunId === undefined || it.sourceRunId === null ? null : validateId(it.sourceRunId, `items[${i}].sourceRunId`);
    return { candidateId, score: finiteOrNull(it.score, `items[${i}].score`), sourceRunId };
  });
}

function validateFingerprint(fp: unknown, what: string): void {
  if (!(fp instanceof Uint8Array) || fp.length !== ECFP4_BYTES) throw new StoreValidationError(`${what} must be ${ECFP4_BYTES} bytes (ECFP4, 2048 bits)`);
}

/** A copy of the bytes in a fresh ArrayBuffer (what Prisma's Bytes type asks for). */
function bytes(fp: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(fp);
}

function nameTaken(name: string): ConflictError {
  return new ConflictError(`A library named ${JSON.stringify(name)} already exists`, ['name']);
}

/** A P2002 on Library.name raced past the check above: report it like the check would have. */
function rethrowNameConflict(e: unknown, name: string): never {
  if (e instanceof ConflictError && e.fields.some((f) => f.includes('name'))) throw nameTaken(name);
  throw e;
}

async function requireLibrary(tx: Tx, libraryId: string): Promise<void> {
  if (!(await tx.library.findUnique({ where: { id: libraryId }, select: { id: true } }))) throw new LibraryNotFoundError('Library', [libraryId]);
}

/** Entry ids of these candidates in the library (only those present). */
async function entryIdsByCandidate(tx: Tx, libraryId: string, candidateIds: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const part of chunks(candidateIds)) {
    const rows = await tx.libraryEntry.findMany({ where: { libraryId, candidateId: { in: part } }, select: { id: true, candidateId: true } });
    for (const r of rows) out.set(r.candidateId, r.id);
  }
  return out;
}

/** Entry ids of these candidates; @throws LibraryNotFoundError('LibraryEntry') listing the candidates not in the library. */
async function requireEntries(tx: Tx, libraryId: string, candidateIds: readonly number[]): Promise<Map<number, number>> {
  const ids = await entryIdsByCandidate(tx, libraryId, candidateIds);
  const missing = candidateIds.filter((id) => !ids.has(id));
  if (missing.length > 0) {
    throw new LibraryNotFoundError('LibraryEntry', missing, `candidate(s) ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', ...' : ''} not in library ${libraryId}`);
  }
  return ids;
}

async function addTagsTx(tx: Tx, entryIds: readonly number[], tags: readonly string[]): Promise<void> {
  for (const part of chunks(entryIds, Math.max(1, Math.floor(CHUNK / Math.max(1, tags.length))))) {
    const existing = await tx.libraryEntryTag.findMany({ where: { entryId: { in: part }, tag: { in: [...tags] } }, select: { entryId: true, tag: true } });
    const have = new Set(existing.map((t) => `${t.entryId}\u0000${t.tag}`));
    const data = part.flatMap((entryId) => tags.filter((tag) => !have.has(`${entryId}\u0000${tag}`)).map((tag) => ({ entryId, tag })));
    if (data.length > 0) await tx.libraryEntryTag.createMany({ data });
  }
}

async function readEntries(tx: Tx, entryIds: readonly number[]): Promise<LibraryEntryRecord[]> {
  const out: LibraryEntryRecord[] = [];
  for (const part of chunks(entryIds)) {
    out.push(...(await tx.libraryEntry.findMany({ where: { id: { in: part } }, include: ENTRY_INCLUDE })).map(toEntryRecord));
  }
  return out;
}

/** Keyset condition "after the cursor row" for an ordering (see {@link LibraryStore.listEntries}). */
function afterWhere(orderBy: LibraryEntryOrderField, direction: SortDirection, c: LibraryCursor): Prisma.LibraryEntryWhereInput {
  const cmp = direction === 'ASC' ? 'gt' : 'lt';
  if (typeof c.id !== 'number') throw new InvalidCursorError('Invalid cursor: bad id');
  const id = c.id;
  if (orderBy === 'score') {
    if (c.key === null) return { score: null, id: { [cmp]: id } };
    if (typeof c.key !== 'number') throw new InvalidCursorError('Invalid cursor: bad order key');
    // Nulls last in both directions: every entry without a score comes after any scored one.
    return { OR: [{ score: { [cmp]: c.key } }, { score: c.key, id: { [cmp]: id } }, { score: null }] };
  }
  if (typeof c.key !== 'number') throw new InvalidCursorError('Invalid cursor: bad order key');
  if (orderBy === 'id') return { id: { [cmp]: id } };
  if (orderBy === 'addedAt') {
    const at = new Date(c.key);
    return { OR: [{ addedAt: { [cmp]: at } }, { addedAt: at, id: { [cmp]: id } }] };
  }
  return { OR: [{ candidate: { [orderBy]: { [cmp]: c.key } } }, { candidate: { [orderBy]: c.key }, id: { [cmp]: id } }] };
}

