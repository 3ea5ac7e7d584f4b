import { Injectable, Logger } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ecfp4OfCanonical } from '../chem/bitfp';
import { ChemService } from '../chem/chem.service';
import { InvalidSmilesError, UnknownMoleculeNameError } from '../chem/errors';
import { tanimotoBits } from '../chem/scores';
import { molBlock, SubstructureQuery, type SubstructureQueryFormat } from '../chem/substructure';
import { BadUserInputError, LimitExceededError, MolnavError } from '../common/errors';
import { LIMITS } from '../config/config';
import {
  ConflictError,
  LibraryNotFoundError,
  LibraryStore,
  type AddEntriesResult,
  type LibraryEntryFilters,
  type LibraryEntryRecord,
  type LibraryMoleculeInput,
  type LibraryRecord,
  type Page,
  type RangeFilter,
  type SortDirection,
} from '../store';
import { csvHeader, csvRecord, EXPORT_CONTENT_TYPES, contentDisposition, sdfRecord, type ExportFormat } from './library-export';
import { pageHits, type EntryHit, type HitOrderField } from './search-page';

/** What to list: database filters plus the chemistry-side searches and the ordering. */
export interface EntryQuery {
  filters: LibraryEntryFilters;
  /** Substructure query, or null. */
  substructure: { pattern: string; format: SubstructureQueryFormat } | null;
  /** Similarity search: query molecule (SMILES or approved-drug name) and minimum ECFP4 Tanimoto (0..1), or null. */
  similarTo: { molecule: string; threshold: number } | null;
  /** Default: `similarity` with similarTo, else `addedAt`. */
  orderBy: HitOrderField | null;
  /** Default DESC. */
  direction: SortDirection | null;
}

/** A prepared export: headers to send and the body, produced lazily in chunks. */
export interface LibraryExport {
  library: LibraryRecord;
  /** Rows the body will hold. */
  rows: number;
  contentType: string;
  contentDisposition: string;
  body: AsyncGenerator<string>;
}

/** Rows read per store call while a search scans a library. */
const SCAN_BATCH = 500;
/** Rows read per store call while an export walks a library. */
const EXPORT_PAGE = 200;
/** SMILES described between two yields to the event loop (RDKit is synchronous, ~25 ms per molecule). */
const DESCRIBE_SLICE = 8;
/** Rows matched or fingerprinted between two yields to the event loop (~1 ms each), and SD records written. */
const CHEM_SLICE = 50;

/**
 * Named candidate libraries (docs/libraries.md): validation against LIMITS, structures described by the chemistry
 * layer, substructure and similarity searches over the stored entries, and CSV/SDF export. Store errors are turned
 * into API errors here (NOT_FOUND, CONFLICT); the others map by class name (src/graphql/format-error.ts).
 */
@Injectable()
export class LibrariesService {
  private readonly logger = new Logger(LibrariesService.name);

  constructor(
    private readonly libs: LibraryStore,
    private readonly chem: ChemService,
  ) {}

  // -------------------------------------------------------------------------------------------------------------
  // Libraries

  /** @throws CONFLICT when the name is taken; BAD_USER_INPUT for a bad name (1..100 characters) or description. */
  createLibrary(name: string, description?: string | null): Promise<LibraryRecord> {
    return api(() => this.libs.createLibrary({ name, description }));
  }

  /** @throws NOT_FOUND; CONFLICT when another library has the name; BAD_USER_INPUT. */
  updateLibrary(id: string, changes: { name?: string | null; description?: string | null }): Promise<LibraryRecord> {
    return api(() => this.libs.updateLibrary(id, changes));
  }

  /** Deletes a library with its entries (the candidates stay). @throws NOT_FOUND. */
  async deleteLibrary(id: string): Promise<true> {
    if (!(await api(() => this.libs.deleteLibrary(id)))) throw notFound('Library', [id]);
    return true;
  }

  /** The library with this id or (exact) name; give exactly one. @throws BAD_USER_INPUT; NOT_FOUND. */
  async getLibrary(by: { id?: string | null; name?: string | null }): Promise<LibraryRecord> {
    const hasId = by.id !== undefined && by.id !== null;
    const hasName = by.name !== undefined && by.name !== null;
    if (hasId === hasName) throw new BadUserInputError('give exactly one of id and name');
    const lib = hasId ? await this.libs.getLibrary(by.id as string) : await this.libs.getLibraryByName(by.name as string);
    if (!lib) throw notFound('Library', [hasId ? (by.id as string) : (by.name as string)]);
    return lib;
  }

  /** Libraries by name. @throws INVALID_CURSOR; LIMIT_EXCEEDED for a page size over LIMITS.maxPageSize. */
  listLibraries(first: number, after?: string | null): Promise<Page<LibraryRecord>> {
    return api(() => this.libs.listLibraries({ first, after }));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Entries

  /**
   * Adds stored candidates by id.
   * @throws NOT_FOUND for an unknown library or candidate ids (all listed in extensions.ids; nothing written);
   *   LIMIT_EXCEEDED over LIMITS.maxLibraryBatch ids; BAD_USER_INPUT for bad tags.
   */
  async addCandidates(libraryId: string, candidateIds: readonly string[], tags: readonly string[] = []): Promise<AddEntriesResult> {
    checkBatch('candidate ids per call', candidateIds.length, LIMITS.maxLibraryBatch);
    checkBatch('tags per call', tags.length, LIMITS.maxTagsPerCall);
    const ids = toCandidateIds(candidateIds);
    return api(() => this.libs.addEntries(libraryId, ids.map((candidateId) => ({ candidateId })), tags));
  }

  /**
   * Adds molecules given as SMILES or approved-drug names: each is canonicalised and described by RDKit (properties,
   * InChIKey, ECFP4) and stored as a candidate (deduplicated by canonical SMILES) before it is added. All or nothing.
   *
   * @throws INVALID_SMILES / UNKNOWN_MOLECULE_NAME naming the index of the first bad input (extensions.index);
   *   NOT_FOUND for an unknown library; LIMIT_EXCEEDED over LIMITS.maxLibrarySmilesBatch inputs.
   */
  async addSmiles(libraryId: string, inputs: readonly string[], tags: readonly string[] = []): Promise<AddEntriesResult> {
    checkBatch('SMILES per call', inputs.length, LIMITS.maxLibrarySmilesBatch);
    checkBatch('tags per call', tags.length, LIMITS.maxTagsPerCall);
    if (!(await this.libs.getLibrary(libraryId))) throw notFound('Library', [libraryId]);
    const molecules: LibraryMoleculeInput[] = [];
    for (let i = 0; i < inputs.length; i++) {
      if (i > 0 && i % DESCRIBE_SLICE === 0) await nextTurn();
      try {
        const m = this.chem.resolve(inputs[i]);
        molecules.push({ canonicalSmiles: m.canonicalSmiles, inchiKey: m.inchiKey, properties: m.properties, ecfp4: this.chem.fingerprint(m.canonicalSmiles) });
      } catch (e) {
        if (e instanceof InvalidSmilesError) throw new MolnavError('INVALID_SMILES', `smiles[${i}]: ${e.message}`, { index: i });
        if (e instanceof UnknownMoleculeNameError) throw new MolnavError('UNKNOWN_MOLECULE_NAME', `smiles[${i}]: ${e.message}`, { index: i });
        throw e;
      }
    }
    return api(() => this.libs.addMolecules(libraryId, molecules, tags));
  }

  /**
   * Adds a run's candidates (all, or those at `positions`) with the run's scores and provenance.
   * @throws NOT_FOUND for an unknown library or run, or positions the run does not have (nothing written);
   *   LIMIT_EXCEEDED over LIMITS.maxLibraryBatch positions or candidates.
   */
  async addRun(libraryId: string, runId: string, positions: readonly number[] | null, tags: readonly string[] = []): Promise<AddEntriesResult> {
    if (positions) checkBatch('run positions per call', positions.length, LIMITS.maxLibraryBatch);
    checkBatch('tags per call', tags.length, LIMITS.maxTagsPerCall);
    return api(() => this.libs.addRun(libraryId, runId, positions, tags));
  }

  /** Removes candidates from a library. @throws NOT_FOUND for an unknown library or candidates not in it (nothing removed). */
  async remove(libraryId: string, candidateIds: readonly string[]): Promise<{ library: LibraryRecord; removed: number }> {
    checkBatch('candidate ids per call', candidateIds.length, LIMITS.maxLibraryBatch);
    const removed = await api(() => this.libs.removeEntries(libraryId, toCandidateIds(candidateIds)));
    return { library: await this.getLibrary({ id: libraryId }), removed };
  }

  /** Sets or clears (null/empty) the note of a candidate's entry. @throws NOT_FOUND; BAD_USER_INPUT over 2000 characters. */
  annotate(libraryId: string, candidateId: string, note: string | null): Promise<LibraryEntryRecord> {
    const [id] = toCandidateIds([candidateId]);
    return api(() => this.libs.setNote(libraryId, id, note));
  }

  /** Adds (`add`) or removes tags on entries. @throws NOT_FOUND for candidates not in the library; BAD_USER_INPUT for bad tags. */
  async tag(libraryId: string, candidateIds: readonly string[], tags: readonly string[], add: boolean): Promise<LibraryEntryRecord[]> {
    checkBatch('candidate ids per call', candidateIds.length, LIMITS.maxLibraryBatch);
    checkBatch('tags per call', tags.length, LIMITS.maxTagsPerCall);
    const ids = toCandidateIds(candidateIds);
    return api(() => (add ? this.libs.addTags(libraryId, ids, tags) : this.libs.removeTags(libraryId, ids, tags)));
  }

  /**
   * A page of a library's entries. Without `substructure`/`similarTo` the database filters and pages (keyset
   * cursors). With either, the entries selected by the database filters (at most LIMITS.maxLibrarySearchRows) are
   * scanned with RDKit in batches, the matches ordered in memory and paged with cursors of the same shape.
   *
   * @throws NOT_FOUND; INVALID_CURSOR; BAD_USER_INPUT (SIMILARITY order without similarTo, a range with min > max);
   *   INVALID_SMARTS / INVALID_SMILES / UNKNOWN_MOLECULE_NAME for the queries; LIMIT_EXCEEDED when a search would scan
   *   more than LIMITS.maxLibrarySearchRows entries.
   */
  async listEntries(libraryId: string, query: EntryQuery, first: number, after?: string | null): Promise<Page<EntryHit>> {
    const { orderBy, direction } = ordering(query);
    checkRanges(query.filters);
    if (!query.substructure && !query.similarTo) {
      if (orderBy === 'similarity') throw new BadUserInputError('orderBy SIMILARITY needs filter.similarTo');
      const page = await api(() => this.libs.listEntries({ libraryId, filters: query.filters, orderBy, direction, first, after }));
      return {
        ...page,
        items: page.items.map((entry) => ({ entry, similarity: null })),
        edges: page.edges.map((e) => ({ cursor: e.cursor, node: { entry: e.node, similarity: null } })),
      };
    }
    const hits = await this.search(libraryId, query);
    return api(async () => pageHits(hits, { orderBy, direction, first, after }));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Export

  /**
   * Checks an export request and prepares its body (CSV or SDF; see library-export.ts), with the same query as
   * `listEntries`. All errors are raised here, before anything is sent.
   *
   * @param limit export at most this many rows (1..LIMITS.maxExportRows) in the query's order; without it an export of
   *   more than LIMITS.maxExportRows rows is refused.
   * @throws NOT_FOUND; LIMIT_EXCEEDED; the errors of `listEntries`.
   */
  async prepareExport(libraryId: string, query: EntryQuery, format: ExportFormat, limit?: number | null): Promise<LibraryExport> {
    if (limit !== undefined && limit !== null && (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.maxExportRows)) {
      throw new LimitExceededError(`limit (1..${LIMITS.maxExportRows})`, LIMITS.maxExportRows, limit);
    }
    const library = await this.getLibrary({ id: libraryId });
    const { orderBy, direction } = ordering(query);
    checkRanges(query.filters);
    const search = query.substructure !== null || query.similarTo !== null;
    if (!search && orderBy === 'similarity') throw new BadUserInputError('orderBy SIMILARITY needs filter.similarTo');
    let hits: EntryHit[] | null = null;
    let total: number;
    if (search) {
      hits = await this.search(libraryId, query);
      total = hits.length;
    } else {
      total = await api(() => this.libs.countEntries(libraryId, query.filters));
    }
    if ((limit === undefined || limit === null) && total > LIMITS.maxExportRows) {
      throw new LimitExceededError('rows in one export (give limit or narrow the filter)', LIMITS.maxExportRows, total);
    }
    const rows = Math.min(total, limit ?? total);
    const found = hits;
    const source: AsyncGenerator<EntryHit[]> = found
      ? (async function* () {
          const all = pageHits(found, { orderBy, direction, first: Math.max(1, found.length) }).items;
          for (let i = 0; i < rows; i += EXPORT_PAGE) yield all.slice(i, Math.min(rows, i + EXPORT_PAGE));
        })()
      : this.walkEntries(libraryId, query.filters, orderBy as Exclude<HitOrderField, 'similarity'>, direction, rows);
    const chem = this.chem.chem;
    const logger = this.logger;
    const body = (async function* () {
      if (format === 'csv') yield csvHeader();
      for await (const batch of source) {
        const out: string[] = [];
        for (const [i, h] of batch.entries()) {
          if (format === 'csv') {
            out.push(csvRecord(h));
            continue;
          }
          if (i > 0 && i % CHEM_SLICE === 0) await nextTurn(); // ~3.5 ms per molblock (2D coordinates)
          try {
            out.push(sdfRecord(h, (smiles, title) => molBlock(chem, smiles, title)));
          } catch (e) {
            logger.warn(`export: candidate ${h.entry.candidate.id} left out of the SD file: ${(e as Error).message}`);
          }
        }
        yield out.join('');
        await nextTurn();
      }
    })();
    return { library, rows, contentType: EXPORT_CONTENT_TYPES[format], contentDisposition: contentDisposition(library.name, format), body };
  }

  /** Pages through the database-filtered entries in order, `rows` of them at most. */
  private async *walkEntries(
    libraryId: string,
    filters: LibraryEntryFilters,
    orderBy: Exclude<HitOrderField, 'similarity'>,
    direction: SortDirection,
    rows: number,
  ): AsyncGenerator<EntryHit[]> {
    let after: string | null = null;
    let left = rows;
    while (left > 0) {
      const page: Page<LibraryEntryRecord> = await api(() => this.libs.listEntries({ libraryId, filters, orderBy, direction, first: Math.min(EXPORT_PAGE, left), after }));
      if (page.items.length === 0) return;
      left -= page.items.length;
      yield page.items.map((entry) => ({ entry, similarity: null }));
      if (!page.hasNextPage) return;
      after = page.endCursor;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Searches

  /**
   * The entries matching the database filters and the substructure / similarity query, unordered. Reads batches of
   * 500 rows and works through them 50 at a time, yielding to the event loop in between (a substructure match costs
   * ~1 ms per molecule, a Tanimoto on stored bits ~10 µs); computes and stores missing ECFP4 fingerprints on the way
   * (~1 ms each, once); frees the compiled query at the end.
   */
  private async search(libraryId: string, query: EntryQuery): Promise<EntryHit[]> {
    const scanned = await api(() => this.libs.countEntries(libraryId, query.filters));
    if (scanned > LIMITS.maxLibrarySearchRows) {
      throw new LimitExceededError('entries one substructure/similarity search scans (narrow the other filters)', LIMITS.maxLibrarySearchRows, scanned);
    }
    const chem = this.chem.chem;
    const queryFp = query.similarTo ? chem.fingerprint(this.chem.resolveMolecule(query.similarTo.molecule).canonicalSmiles) : null;
    const threshold = query.similarTo?.threshold ?? 0;
    const sub = query.substructure ? SubstructureQuery.compile(chem, query.substructure.pattern, query.substructure.format) : null;
    try {
      const hits: EntryHit[] = [];
      let afterId = 0;
      let seen = 0;
      for (;;) {
        const batch = await api(() => this.libs.scanEntries(libraryId, query.filters, { afterId, take: SCAN_BATCH }));
        seen += batch.length;
        // RDKit is synchronous (~1 ms per molecule parsed): work in slices and let other requests run in between.
        for (let i = 0; i < batch.length; i += CHEM_SLICE) {
          if (i > 0) await nextTurn();
          const slice = batch.slice(i, i + CHEM_SLICE);
          if (queryFp) {
            const computed: { candidateId: number; ecfp4: Uint8Array }[] = [];
            for (const row of slice) {
              if (row.ecfp4) continue;
              try {
                row.ecfp4 = ecfp4OfCanonical(chem, row.candidate.canonicalSmiles);
                computed.push({ candidateId: row.candidate.id, ecfp4: row.ecfp4 });
              } catch (e) {
                this.logger.warn(`no ECFP4 for candidate ${row.candidate.id}: ${(e as Error).message}`);
              }
            }
            // Backfill: stored once, so later searches only compare bits.
            if (computed.length > 0) await api(() => this.libs.setFingerprints(computed));
          }
          for (const row of slice) {
            if (sub && !sub.matches(row.candidate.canonicalSmiles)) continue;
            let similarity: number | null = null;
            if (queryFp) {
              if (!row.ecfp4) continue;
              similarity = tanimotoBits(queryFp, row.ecfp4);
              if (similarity < threshold) continue;
            }
            const { ecfp4: _fp, ...entry } = row;
            hits.push({ entry, similarity });
          }
        }
        // Entries added while scanning may push the count a little over the limit; never scan unboundedly.
        if (batch.length < SCAN_BATCH || seen >= LIMITS.maxLibrarySearchRows + SCAN_BATCH) break;
        afterId = batch[batch.length - 1].id;
        await nextTurn();
      }
      return hits;
    } finally {
      sub?.dispose();
    }
  }
}

/** Ordering of a query with its defaults. */
function ordering(query: EntryQuery): { orderBy: HitOrderField; direction: SortDirection } {
  return { orderBy: query.orderBy ?? (query.similarTo ? 'similarity' : 'addedAt'), direction: query.direction ?? 'DESC' };
}

/** @throws BAD_USER_INPUT for a range with min > max. */
function checkRanges(filters: LibraryEntryFilters): void {
  const ranges: [string, RangeFilter | null | undefined][] = [...Object.entries(filters.properties ?? {}), ['score', filters.score]];
  for (const [field, r] of ranges) {
    if (r && r.min !== null && r.min !== undefined && r.max !== null && r.max !== undefined && r.min > r.max) {
      throw new BadUserInputError(`filter.${field}: min ${r.min} is greater than max ${r.max}`, { field });
    }
  }
}

function checkBatch(what: string, n: number, limit: number): void {
  if (n > limit) throw new LimitExceededError(what, limit, n);
}

/** GraphQL ID strings of candidates -> numbers. @throws BAD_USER_INPUT for a string that is not a positive integer. */
function toCandidateIds(ids: readonly string[]): number[] {
  return ids.map((s) => {
    const n = /^[1-9][0-9]{0,14}$/.test(s) ? Number(s) : NaN;
    if (!Number.isSafeInteger(n)) throw new BadUserInputError(`candidate id ${JSON.stringify(s)} is not a positive integer`);
    return n;
  });
}

function notFound(entity: string, ids: readonly (string | number)[]): MolnavError {
  const list = ids.slice(0, 20).map((i) => JSON.stringify(String(i))).join(', ');
  return new MolnavError('NOT_FOUND', `${entity} not found: ${list}${ids.length > 20 ? ', ...' : ''}`, { entity, ids: ids.map(String) });
}

/** Runs a store call, turning its not-found and conflict errors into API errors (other errors map by class name). */
async function api<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof LibraryNotFoundError) {
      return Promise.reject(new MolnavError('NOT_FOUND', e.message, { entity: e.entity, ids: e.ids.map(String) }));
    }
    if (e instanceof ConflictError) return Promise.reject(new MolnavError('CONFLICT', e.message, { fields: e.fields }));
    throw e;
  }
}
