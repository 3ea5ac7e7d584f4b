import { toCandidate } from '../candidates/candidates.mappers';
import type { SortDirection as GqlSortDirection } from '../candidates/models/candidate.models';
import {
  CANDIDATE_PROPERTY_FIELDS,
  type AddEntriesResult,
  type CandidatePropertyField,
  type LibraryEntryFilters,
  type LibraryEntryRecord,
  type LibraryRecord,
  type Page,
  type RangeFilter,
  type SortDirection,
} from '../store';
import type { LibraryEntryFilterInput } from './dto/library.inputs';
import type { EntryQuery } from './libraries.service';
import { AddToLibraryResult, Library, LibraryConnection, LibraryEntry, LibraryEntryConnection, LibraryEntryOrderBy, SubstructureFormat } from './models/library.models';
import type { EntryHit, HitOrderField } from './search-page';

/** GraphQL types from store records (rows never leave the store; records never leave these mappers). */
export function toLibrary(r: LibraryRecord): Library {
  return { id: r.id, name: r.name, description: r.description, createdAt: r.createdAt, updatedAt: r.updatedAt, entryCount: r.entryCount };
}

export function toLibraryEntry(e: LibraryEntryRecord, similarity: number | null = null): LibraryEntry {
  return {
    id: String(e.id),
    libraryId: e.libraryId,
    candidate: toCandidate(e.candidate),
    note: e.note,
    score: e.score,
    sourceRunId: e.sourceRunId,
    addedAt: e.addedAt,
    tags: [...e.tags],
    similarity,
  };
}

export function toLibraryConnection(page: Page<LibraryRecord>): LibraryConnection {
  return {
    edges: page.edges.map((e) => ({ cursor: e.cursor, node: toLibrary(e.node) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    totalCount: page.totalCount,
  };
}

export function toEntryConnection(page: Page<EntryHit>): LibraryEntryConnection {
  return {
    edges: page.edges.map((e) => ({ cursor: e.cursor, node: toLibraryEntry(e.node.entry, e.node.similarity) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    totalCount: page.totalCount,
  };
}

export function toAddResult(r: AddEntriesResult): AddToLibraryResult {
  return { library: toLibrary(r.library), added: r.added, alreadyPresent: r.alreadyPresent, entries: r.entries.map((e) => toLibraryEntry(e)) };
}

/** The service's query from the GraphQL filter and ordering (GraphQL defaults applied here too, for the export path). */
export function toEntryQuery(
  filter: LibraryEntryFilterInput | null | undefined,
  orderBy?: LibraryEntryOrderBy | null,
  direction?: GqlSortDirection | null,
): EntryQuery {
  const f = filter ?? {};
  const properties: Partial<Record<CandidatePropertyField, RangeFilter>> = {};
  for (const field of CANDIDATE_PROPERTY_FIELDS) {
    const r = f[field];
    if (r) properties[field] = { min: r.min ?? null, max: r.max ?? null };
  }
  const filters: LibraryEntryFilters = {
    properties,
    score: f.score ? { min: f.score.min ?? null, max: f.score.max ?? null } : null,
    tags: f.tags ?? null,
    noteContains: f.noteContains ?? null,
    sourceRunId: f.sourceRunId ?? null,
  };
  return {
    filters,
    substructure: f.substructure ? { pattern: f.substructure, format: f.substructureFormat === SubstructureFormat.SMILES ? 'SMILES' : 'SMARTS' } : null,
    similarTo: f.similarTo ? { molecule: f.similarTo.smiles, threshold: f.similarTo.threshold ?? 0 } : null,
    // The enums' values are the domain names ('addedAt', 'similarity', 'mw', ...; 'ASC' | 'DESC').
    orderBy: (orderBy ?? null) as HitOrderField | null,
    direction: (direction ?? null) as SortDirection | null,
  };
}
