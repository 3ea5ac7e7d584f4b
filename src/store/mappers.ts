/**
 * Row <-> domain mapping and input validation. The only place that knows both Prisma row shapes and domain types.
 */
import type { Candidate, Run, RunCandidate } from '@prisma/client';
import { StoreValidationError } from './errors';
import {
  CANDIDATE_PROPERTY_FIELDS,
  INT_PROPERTIES,
  MAX_PROGRESS_JSON,
  MAX_PROGRESS_KEYS,
  RUN_STATUSES,
  type AddCandidateItem,
  type CandidateProperties,
  type CandidateRecord,
  type RunCandidateRecord,
  type RunProgressValue,
  type RunRecord,
  type RunStatus,
} from './types';

const INT_FIELDS = new Set<string>(INT_PROPERTIES);
const RUN_KIND_RE = /^[A-Z][A-Z0-9_]{0,63}$/;
const MAX_SMILES_LENGTH = 10_000;

export function toCandidateRecord(row: Candidate): CandidateRecord {
  return {
    id: row.id,
    canonicalSmiles: row.canonicalSmiles,
    inchiKey: row.inchiKey,
    properties: {
      mw: row.mw,
      clogp: row.clogp,
      tpsa: row.tpsa,
      hbd: row.hbd,
      hba: row.hba,
      rotatableBonds: row.rotatableBonds,
      heavyAtoms: row.heavyAtoms,
      aromaticRings: row.aromaticRings,
      qed: row.qed,
      sa: row.sa,
      plogp: row.plogp,
    },
    createdAt: row.createdAt,
  };
}

export function toRunRecord(row: Run): RunRecord {
  return {
    id: row.id,
    kind: row.kind,
    params: parseJson(row.paramsJson),
    modelVersion: row.modelVersion,
    seed: row.seed === null ? null : Number(row.seed),
    status: (RUN_STATUSES as readonly string[]).includes(row.status) ? (row.status as RunStatus) : 'FAILED',
    error: row.error,
    stats: row.statsJson === null ? undefined : parseJson(row.statsJson),
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    durationMs: row.durationMs === null ? null : Number(row.durationMs),
    progress: row.progressJson === null ? null : toProgressValue(parseJson(row.progressJson)),
    progressAt: row.progressAt,
    cancelRequested: row.cancelRequested,
  };
}

/** A stored progress object, or null when the text is not a JSON object (written by something else). */
function toProgressValue(v: unknown): RunProgressValue | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as RunProgressValue) : null;
}

/**
 * Checks a job's progress object and returns its JSON text.
 * @throws StoreValidationError for a non-object, too many keys, values other than finite numbers/strings/null, or
 *   JSON longer than {@link MAX_PROGRESS_JSON}.
 */
export function progressJson(progress: unknown): string {
  if (typeof progress !== 'object' || progress === null || Array.isArray(progress)) {
    throw new StoreValidationError('progress must be an object of numbers, strings and nulls');
  }
  const entries = Object.entries(progress);
  if (entries.length > MAX_PROGRESS_KEYS) throw new StoreValidationError(`progress has ${entries.length} keys, at most ${MAX_PROGRESS_KEYS}`);
  for (const [k, v] of entries) {
    const ok = v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
    if (!ok) throw new StoreValidationError(`progress.${k} must be a finite number, a string or null, got ${String(v)}`);
  }
  const text = JSON.stringify(progress);
  if (text.length > MAX_PROGRESS_JSON) throw new StoreValidationError(`progress JSON is ${text.length} characters, at most ${MAX_PROGRESS_JSON}`);
  return text;
}

export function toRunCandidateRecord(row: RunCandidate & { candidate: Candidate }): RunCandidateRecord {
  return {
    runId: row.runId,
    position: row.position,
    score: row.score,
    t: row.t,
    meta: row.metaJson === null ? undefined : parseJson(row.metaJson),
    candidate: toCandidateRecord(row.candidate),
  };
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // written by something else than the store; hand back the raw text rather than failing reads
  }
}

/**
 * JSON text of `value`, or null for undefined.
 * @throws StoreValidationError for values JSON cannot represent faithfully (BigInt, cycles, functions at top level).
 */
export function toJson(value: unknown, what: string): string | null {
  if (value === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw new StoreValidationError(`${what} is not JSON-serialisable: ${(e as Error).message}`, { cause: e });
  }
  if (text === undefined) throw new StoreValidationError(`${what} is not JSON-serialisable`);
  return text;
}

export function validateRunKind(kind: unknown): string {
  if (typeof kind !== 'string' || !RUN_KIND_RE.test(kind)) {
    throw new StoreValidationError(`Run kind must be an upper-case identifier like INTERPOLATE, got ${JSON.stringify(kind)}`);
  }
  return kind;
}

export function validateSeed(seed: unknown): bigint | null {
  if (seed === null || seed === undefined) return null;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new StoreValidationError(`Seed must be a safe integer or null, got ${String(seed)}`);
  }
  return BigInt(seed);
}

function finiteOrNull(v: unknown, what: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new StoreValidationError(`${what} must be a finite number or null, got ${String(v)}`);
  return v;
}

/** Checks a candidate's SMILES and properties. @throws StoreValidationError naming the offending field. */
export function validateCandidateInput(c: { canonicalSmiles: unknown; inchiKey?: unknown; properties: unknown }, where: string): void {
  if (typeof c.canonicalSmiles !== 'string' || c.canonicalSmiles.trim() === '' || c.canonicalSmiles !== c.canonicalSmiles.trim()) {
    throw new StoreValidationError(`${where}: canonicalSmiles must be a non-empty string without surrounding whitespace`);
  }
  if (c.canonicalSmiles.length > MAX_SMILES_LENGTH) throw new StoreValidationError(`${where}: canonicalSmiles longer than ${MAX_SMILES_LENGTH}`);
  if (c.inchiKey !== undefined && c.inchiKey !== null && (typeof c.inchiKey !== 'string' || c.inchiKey === '')) {
    throw new StoreValidationError(`${where}: inchiKey must be a non-empty string or null`);
  }
  const props = c.properties as Record<string, unknown> | null | undefined;
  if (typeof props !== 'object' || props === null) throw new StoreValidationError(`${where}: properties missing`);
  for (const f of CANDIDATE_PROPERTY_FIELDS) {
    const v = props[f];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new StoreValidationError(`${where}: property ${f} must be a finite number, got ${String(v)}`);
    }
    if (INT_FIELDS.has(f) && (!Number.isInteger(v) || v < 0 || v > 2_147_483_647)) {
      throw new StoreValidationError(`${where}: property ${f} must be a non-negative integer, got ${v}`);
    }
  }
}

/** Prisma data of a candidate's property columns (only the known fields are copied). */
export function propertyColumns(p: CandidateProperties): CandidateProperties {
  const out = {} as CandidateProperties;
  for (const f of CANDIDATE_PROPERTY_FIELDS) out[f] = p[f];
  return out;
}

export interface ValidatedItem {
  item: AddCandidateItem;
  score: number | null;
  t: number | null;
  metaJson: string | null;
}

/**
 * Validates a whole `addCandidates` batch before anything is written.
 * @throws StoreValidationError for the first bad item (index in the message) or a position used twice.
 */
export function validateItems(items: readonly AddCandidateItem[]): ValidatedItem[] {
  if (!Array.isArray(items)) throw new StoreValidationError('items must be an array');
  const positions = new Set<number>();
  return items.map((item, i) => {
    const where = `items[${i}]`;
    if (typeof item !== 'object' || item === null) throw new StoreValidationError(`${where} must be an object`);
    validateCandidateInput(item, where);
    if (typeof item.position !== 'number' || !Number.isInteger(item.position) || item.position < 0 || item.position > 2_147_483_647) {
      throw new StoreValidationError(`${where}: position must be a non-negative integer, got ${String(item.position)}`);
    }
    if (positions.has(item.position)) throw new StoreValidationError(`${where}: position ${item.position} used twice in the batch`);
    positions.add(item.position);
    return {
      item,
      score: finiteOrNull(item.score, `${where}.score`),
      t: finiteOrNull(item.t, `${where}.t`),
      metaJson: toJson(item.meta, `${where}.meta`),
    };
  });
}
