/**
 * Domain types of the store. These are what the rest of molnav sees: Prisma's generated row types never leave
 * src/store/ (rows are mapped by src/store/mappers.ts).
 */
import type { MolecularProperties } from '../chem/chemistry';

/** Largest `first` accepted by the paginated list methods (matches `LIMITS.maxPageSize` of the API). */
export const MAX_PAGE_SIZE = 200;

/** Run kinds used by molnav today. Other upper-case identifiers (`/^[A-Z][A-Z0-9_]{0,63}$/`) are accepted too. */
export const KNOWN_RUN_KINDS = ['INTERPOLATE', 'OPTIMIZE', 'NEIGHBOURS', 'TRAVERSE', 'ASK_TELL'] as const;
/** Kinds of interactive runs: they stay RUNNING between client calls and are not interrupted by a restart. */
export const INTERACTIVE_RUN_KINDS: readonly string[] = ['ASK_TELL'];
/** What a run did; stored as a plain string so new kinds need no migration. */
export type RunKind = (typeof KNOWN_RUN_KINDS)[number] | (string & {});

/**
 * Run statuses. Synchronous runs go RUNNING -> SUCCEEDED | FAILED. Background jobs (src/jobs/) start QUEUED, become
 * RUNNING when their worker starts, and end SUCCEEDED, FAILED, CANCELLED (cancelRun) or INTERRUPTED (the process
 * stopped while they were QUEUED/RUNNING; set at the next start-up by `markInterrupted`). PENDING is kept for rows
 * written by older versions.
 */
export const RUN_STATUSES = ['PENDING', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** Statuses of a run that has not finished. */
export const ACTIVE_RUN_STATUSES = ['PENDING', 'QUEUED', 'RUNNING'] as const satisfies readonly RunStatus[];
/** Statuses of a finished run (never changed again). */
export const TERMINAL_RUN_STATUSES = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED'] as const satisfies readonly RunStatus[];
/** Terminal statuses accepted by `completeRun` (INTERRUPTED: the job runner stopped with the process). */
export type RunOutcome = 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'INTERRUPTED';

/** True for SUCCEEDED, FAILED, CANCELLED and INTERRUPTED. */
export function isTerminalRunStatus(status: string): boolean {
  return (TERMINAL_RUN_STATUSES as readonly string[]).includes(status);
}

/**
 * Progress of a background job: a flat JSON object of numbers, strings and nulls, e.g.
 * `{ oracleCalls: 120, budget: 200, bestScore: 0.81, generation: 14 }`. At most {@link MAX_PROGRESS_KEYS} keys and
 * {@link MAX_PROGRESS_JSON} characters of JSON; numbers must be finite.
 */
export type RunProgressValue = Record<string, number | string | null>;
export const MAX_PROGRESS_KEYS = 64;
export const MAX_PROGRESS_JSON = 8_192;

/**
 * RDKit descriptors stored as typed columns (so they can be filtered and ordered): the chemistry layer's
 * MolecularProperties (units and sources documented there). Integer-valued fields must be non-negative integers;
 * all values must be finite.
 */
export type CandidateProperties = MolecularProperties;

export const FLOAT_PROPERTIES = ['mw', 'clogp', 'tpsa', 'qed', 'sa', 'plogp'] as const;
export const INT_PROPERTIES = ['hbd', 'hba', 'rotatableBonds', 'heavyAtoms', 'aromaticRings'] as const;
/** Every numeric property, in display order. */
export const CANDIDATE_PROPERTY_FIELDS = [
  'mw', 'clogp', 'tpsa', 'hbd', 'hba', 'rotatableBonds', 'heavyAtoms', 'aromaticRings', 'qed', 'sa', 'plogp',
] as const satisfies readonly (keyof CandidateProperties)[];
export type CandidatePropertyField = (typeof CANDIDATE_PROPERTY_FIELDS)[number];

/** A molecule to store. `canonicalSmiles` must already be RDKit-canonical: it is the deduplication key. */
export interface CandidateInput {
  canonicalSmiles: string;
  inchiKey?: string | null;
  properties: CandidateProperties;
}

/** A stored molecule. */
export interface CandidateRecord {
  /** Store-internal numeric id (stable, increasing with insertion order). */
  id: number;
  canonicalSmiles: string;
  inchiKey: string | null;
  properties: CandidateProperties;
  /** When the molecule was first stored. */
  createdAt: Date;
}

/** One item of `addCandidates`: a molecule plus its place in the run. Same shape as navigation's StoredCandidate. */
export interface AddCandidateItem extends CandidateInput {
  /** Order within the run (path index for interpolation, rank for optimisation); integer >= 0, unique per run. */
  position: number;
  /** Objective value or similarity, if any. */
  score?: number | null;
  /** Interpolation parameter in [0, 1], if any. */
  t?: number | null;
  /** Any JSON-serialisable extra data (stored as JSON text). */
  meta?: unknown;
}

/** A candidate as it appears in one run. */
export interface RunCandidateRecord {
  runId: string;
  position: number;
  score: number | null;
  t: number | null;
  /** Parsed `meta` (undefined when none was stored). */
  meta: unknown;
  candidate: CandidateRecord;
}

export interface CreateRunInput {
  kind: RunKind;
  /** Request parameters; any JSON-serialisable value. */
  params: unknown;
  modelVersion: string;
  /** RNG seed; a safe integer (|seed| <= 2^53 - 1) or null. */
  seed: number | null;
  /**
   * Initial status: RUNNING (default; `startedAt` = now) for work done right away, QUEUED (`startedAt` null) for a
   * background job that `markRunStarted` (called by JobsService) moves to RUNNING.
   */
  status?: 'RUNNING' | 'QUEUED';
}

export interface CompleteRunInput {
  status: RunOutcome;
  /** Error message or reason (kept for FAILED, CANCELLED and INTERRUPTED runs; ignored for SUCCEEDED). */
  error?: string;
  /** Summary statistics; any JSON-serialisable value. */
  stats?: unknown;
}

export interface RunRecord {
  id: string;
  kind: RunKind;
  params: unknown;
  modelVersion: string;
  seed: number | null;
  status: RunStatus;
  error: string | null;
  stats: unknown;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** finishedAt - startedAt, milliseconds. */
  durationMs: number | null;
  /** Latest progress reported by a background job (null when none was reported). */
  progress: RunProgressValue | null;
  /** When `progress` was last written. */
  progressAt: Date | null;
  /** A cancellation was requested (cancelRun); the run ends CANCELLED once its worker stops. */
  cancelRequested: boolean;
}

/** Fields `listCandidates` can order by: any numeric property, `createdAt` or `id`. Ties are broken by `id`. */
export type CandidateOrderField = CandidatePropertyField | 'createdAt' | 'id';
export const CANDIDATE_ORDER_FIELDS: readonly CandidateOrderField[] = [...CANDIDATE_PROPERTY_FIELDS, 'createdAt', 'id'];
export type SortDirection = 'ASC' | 'DESC';

/** Inclusive bounds on a numeric property. */
export interface RangeFilter {
  min?: number | null;
  max?: number | null;
}
/** Property filters, e.g. `{ qed: { min: 0.6 }, mw: { max: 500 } }`; all must hold. */
export type CandidateFilters = Partial<Record<CandidatePropertyField, RangeFilter>>;

export interface ListCandidatesArgs {
  /** Only candidates linked to this run (each listed once even if linked at several positions). */
  runId?: string | null;
  /** Default `createdAt`. */
  orderBy?: CandidateOrderField | null;
  /** Default `DESC` (newest / largest first). */
  direction?: SortDirection | null;
  /** Page size, 1..{@link MAX_PAGE_SIZE}. */
  first: number;
  /** `endCursor` (or an edge cursor) of the previous page, issued for the same orderBy and direction. */
  after?: string | null;
  filters?: CandidateFilters | null;
}

export interface ListRunsArgs {
  kind?: RunKind | null;
  status?: RunStatus | null;
  /** Page size, 1..{@link MAX_PAGE_SIZE}. */
  first: number;
  after?: string | null;
}

export interface Edge<T> {
  /** Opaque cursor of this node; pass it as `after` to continue right after it. */
  cursor: string;
  node: T;
}

/** One page of a Relay-style connection. */
export interface Page<T> {
  items: T[];
  edges: Edge<T>[];
  /** Number of rows matching the filters (ignoring the cursor). */
  totalCount: number;
  hasNextPage: boolean;
  /** Cursor of the last item, or null for an empty page. */
  endCursor: string | null;
}
