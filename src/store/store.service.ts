import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Prisma, PrismaClient } from '@prisma/client';
import { decodeCursor, encodeCursor, makePage } from './cursor';
import { openDatabase, type DatabaseLocation } from './database';
import { chunks, TX_OPTIONS, type Tx } from './batching';
import {
  ConflictError,
  InvalidPageSizeError,
  InvalidStateError,
  NotFoundError,
  StoreError,
  StoreNotReadyError,
  StoreValidationError,
  isPrismaKnownError,
  mapPrismaError,
} from './errors';
import {
  parseJson,
  progressJson,
  propertyColumns,
  toCandidateRecord,
  toJson,
  toRunCandidateRecord,
  toRunRecord,
  validateItems,
  validateRunKind,
  validateSeed,
} from './mappers';
import {
  ACTIVE_RUN_STATUSES,
  INTERACTIVE_RUN_KINDS,
  CANDIDATE_ORDER_FIELDS,
  CANDIDATE_PROPERTY_FIELDS,
  MAX_PAGE_SIZE,
  RUN_STATUSES,
  type AddCandidateItem,
  type CandidateOrderField,
  type CandidateRecord,
  type CompleteRunInput,
  type CreateRunInput,
  type ListCandidatesArgs,
  type ListRunsArgs,
  type Page,
  type RunCandidateRecord,
  type RunProgressValue,
  type RunRecord,
  type RunStatus,
  type SortDirection,
} from './types';

/** Options of {@link StoreService}; all optional. Provide them with `StoreModule.forRoot(options)`. */
export interface StoreOptions {
  /** SQLite URL (`file:...`, relative paths against the repo root) or PostgreSQL URL (`postgresql://...`). Default:
   * env DATABASE_URL, else `file:./data/molnav.db`. */
  databaseUrl?: string;
  /** Apply committed migrations on init (default true). */
  migrate?: boolean;
  /** Override the migrations folder (default `<repo root>/prisma/migrations`). */
  migrationsDir?: string;
}

/** Injection token for {@link StoreOptions}. */
export const STORE_OPTIONS = Symbol('STORE_OPTIONS');

/** Largest number of items one `addCandidates` call accepts. */
export const MAX_ADD_BATCH = 10_000;




function validateFirst(first: unknown): number {
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new InvalidPageSizeError(`first must be an integer between 1 and ${MAX_PAGE_SIZE}, got ${String(first)}`);
  }
  return first;
}

/** Control characters: no id contains one, and PostgreSQL text cannot hold NUL at all. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** True for a string that can be a stored id (1..128 characters, no control characters). */
function isIdLike(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= 128 && !CONTROL_CHARS.test(id);
}

function validateId(id: unknown, what: string): string {
  if (!isIdLike(id)) throw new StoreValidationError(`${what} must be a non-empty string of at most 128 characters without control characters`);
  return id;
}

/**
 * The store: runs, candidates and their links in SQLite or PostgreSQL through Prisma. The only code in molnav that touches Prisma;
 * it returns domain records (src/store/types.ts) and throws {@link StoreError}s only.
 *
 * Concurrency: the SQLite driver adapter runs every query of this process on one connection, and only interactive
 * transactions take its lock. A query issued by another request while a transaction is open would run *inside* that
 * transaction (seeing uncommitted rows, and being rolled back with it). Every operation therefore runs through a
 * FIFO queue, so operations never interleave; better-sqlite3 is synchronous, so no parallelism is lost. On PostgreSQL
 * (a connection pool) the queue is kept: one process's store operations stay ordered, which the job and ask/tell
 * code relies on; several processes (API and workers) still run concurrently, guarded by transactions and unique keys.
 */
@Injectable()
export class StoreService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(StoreService.name);
  private readonly options: StoreOptions;
  private client: PrismaClient | null = null;
  private location: DatabaseLocation | null = null;
  private initPromise: Promise<void> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(@Optional() @Inject(STORE_OPTIONS) options?: StoreOptions) {
    this.options = options ?? {};
  }

  /** Creates and initialises a store outside Nest (scripts, tests). Call {@link close} when done. */
  static async open(options: StoreOptions = {}): Promise<StoreService> {
    const store = new StoreService(options);
    await store.init();
    return store;
  }

  /** Nest hook: {@link init}. */
  async onModuleInit(): Promise<void> {
    await this.init();
  }

  /** Nest hook: {@link close}. */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  /**
   * Resolves the database file, applies pending committed migrations (fresh or existing file; idempotent) and
   * connects. Safe to call more than once.
   *
   * @throws MigrationError when a migration fails; StoreError for an unusable DATABASE_URL.
   */
  init(): Promise<void> {
    if (this.closed) return Promise.reject(new StoreNotReadyError('Store has been closed'));
    this.initPromise ??= (async () => {
      try {
        const opened = await openDatabase(this.options);
        this.client = opened.client;
        this.location = opened.location;
        for (const w of opened.warnings) this.logger.warn(w);
        const m = opened.migrations;
        if (m) {
          for (const w of m.warnings) this.logger.warn(w);
          if (m.applied.length > 0) this.logger.log(`Applied migrations to ${opened.location.display}: ${m.applied.join(', ')}`);
        }
      } catch (e) {
        this.initPromise = null;
        throw e instanceof StoreError ? e : new StoreError(`Cannot open the store: ${(e as Error).message}`, { cause: e });
      }
    })();
    return this.initPromise;
  }

  /** Waits for queued operations, then disconnects. Later calls throw StoreNotReadyError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    const client = this.client;
    this.client = null;
    if (client) await client.$disconnect();
  }

  /** Absolute path of the SQLite file (null before init and on PostgreSQL). */
  get databaseFile(): string | null {
    return this.location?.filePath ?? null;
  }

  /** The provider in use ('sqlite' | 'postgresql'; null before init). */
  get provider(): DatabaseLocation['provider'] | null {
    return this.location?.provider ?? null;
  }

  /**
   * Runs `fn` after all earlier operations finished, mapping errors to StoreErrors. For the store layer only: the
   * sibling stores (LibraryStore, ApiKeyStore) share this queue and client; no other layer gets a Prisma type.
   */
  exclusive<T>(fn: (db: PrismaClient) => Promise<T>, notFound?: { entity: 'Run' | 'Candidate'; id: string | number }): Promise<T> {
    const db = this.client;
    if (!db || this.closed) return Promise.reject(new StoreNotReadyError('Store is not initialised (call init() / onModuleInit())'));
    const run = this.queue.then(async () => {
      try {
        return await fn(db);
      } catch (e) {
        throw mapPrismaError(e, notFound);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** True when the database answers a trivial query. Never throws. */
  async ping(): Promise<boolean> {
    try {
      await this.exclusive((db) => db.$queryRaw`SELECT 1`);
      return true;
    } catch {
      return false;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Runs

  /**
   * Records a new run with status RUNNING (`createdAt` = `startedAt` = now), or QUEUED (`startedAt` null) when
   * `input.status` is QUEUED (a background job, see src/jobs/).
   *
   * @throws StoreValidationError for a kind that is not an upper-case identifier, an empty modelVersion, a seed that is
   *   not a safe integer, params that are not JSON-serialisable, or a status other than RUNNING/QUEUED.
   */
  async createRun(input: CreateRunInput): Promise<RunRecord> {
    const kind = validateRunKind(input?.kind);
    if (typeof input.modelVersion !== 'string' || input.modelVersion.trim() === '') {
      throw new StoreValidationError('modelVersion must be a non-empty string');
    }
    const paramsJson = toJson(input.params ?? null, 'params') ?? 'null';
    const seed = validateSeed(input.seed);
    const status = input.status ?? 'RUNNING';
    if (status !== 'RUNNING' && status !== 'QUEUED') throw new StoreValidationError(`A new run is RUNNING or QUEUED, got ${String(status)}`);
    return this.exclusive(async (db) => {
      const now = new Date();
      const data: Prisma.RunCreateInput = {
        kind, paramsJson, modelVersion: input.modelVersion, seed, status, createdAt: now, startedAt: status === 'RUNNING' ? now : null,
      };
      return toRunRecord(await db.run.create({ data }));
    });
  }

  /**
   * Finishes a PENDING, QUEUED or RUNNING run: sets status, `finishedAt` = now and `durationMs` = finishedAt - startedAt
   * (milliseconds; startedAt defaults to finishedAt for a run that never started). `error` is stored for every status
   * but SUCCEEDED.
   *
   * @throws NotFoundError when the run does not exist; InvalidStateError when it already finished;
   *   StoreValidationError for another status or unserialisable stats.
   */
  async completeRun(id: string, input: CompleteRunInput): Promise<RunRecord> {
    validateId(id, 'run id');
    const statsJson = validateCompletion(input);
    return this.exclusive((db) => this.completeRunTx(db, id, input, statsJson), { entity: 'Run', id });
  }

  /**
   * `addCandidates` then `completeRun` in one transaction (one commit instead of two, and no read-back of the
   * stored rows): how a synchronous run that stores its result finishes. Nothing is written when either step fails.
   *
   * @throws the errors of `addCandidates` and `completeRun`.
   */
  async completeRunWithCandidates(id: string, items: readonly AddCandidateItem[], input: CompleteRunInput): Promise<RunRecord> {
    validateId(id, 'run id');
    const statsJson = validateCompletion(input);
    const validated = this.validateBatch(items);
    return this.withRaceRetry(() =>
      this.exclusive(
        (db) => db.$transaction(async (tx) => {
          const run = await this.activeRunTx(tx, id);
          await this.addCandidatesTx(tx, id, validated, false, true);
          return this.finishRunTx(tx, run, input, statsJson);
        }, TX_OPTIONS),
        { entity: 'Run', id },
      ),
    );
  }

  private async completeRunTx(db: Tx | PrismaClient, id: string, input: CompleteRunInput, statsJson: string | null): Promise<RunRecord> {
    return this.finishRunTx(db, await this.activeRunTx(db, id), input, statsJson);
  }

  /** The run's row, checked to exist and to be unfinished (one query). */
  private async activeRunTx(db: Tx | PrismaClient, id: string): Promise<{ id: string; status: string; startedAt: Date | null }> {
    const run = await db.run.findUnique({ where: { id }, select: { id: true, status: true, startedAt: true } });
    if (!run) throw new NotFoundError('Run', id);
    if (!isActive(run.status)) {
      throw new InvalidStateError(`Run ${id} already finished with status ${run.status}`);
    }
    return run;
  }

  /**
   * Finishes a run read by `activeRunTx` and returns the stored row (one query). The update matches the status read,
   * so a run another process finished meanwhile is not overwritten.
   */
  private async finishRunTx(
    db: Tx | PrismaClient, run: { id: string; status: string; startedAt: Date | null }, input: CompleteRunInput, statsJson: string | null,
  ): Promise<RunRecord> {
    const finishedAt = new Date();
    const startedAt = run.startedAt ?? finishedAt;
    try {
      const row = await db.run.update({
        where: { id: run.id, status: run.status },
        data: {
          status: input.status,
          error: input.status === 'SUCCEEDED' ? null : (input.error ?? null),
          statsJson,
          startedAt,
          finishedAt,
          durationMs: BigInt(Math.max(0, finishedAt.getTime() - startedAt.getTime())),
        },
      });
      return toRunRecord(row);
    } catch (e) {
      if (isPrismaKnownError(e) && e.code === 'P2025') throw new InvalidStateError(`Run ${run.id} was finished concurrently`);
      throw e;
    }
  }

  /**
   * Moves a QUEUED (or PENDING) run to RUNNING with `startedAt` = now; a RUNNING run is returned unchanged.
   *
   * @throws NotFoundError when the run does not exist; InvalidStateError when it already finished.
   */
  async markRunStarted(id: string): Promise<RunRecord> {
    validateId(id, 'run id');
    return this.exclusive(async (db) => {
      const run = await db.run.findUnique({ where: { id } });
      if (!run) throw new NotFoundError('Run', id);
      if (run.status === 'RUNNING') return toRunRecord(run);
      if (!isActive(run.status)) throw new InvalidStateError(`Run ${id} already finished with status ${run.status}`);
      const { count } = await db.run.updateMany({ where: { id, status: run.status }, data: { status: 'RUNNING', startedAt: new Date() } });
      if (count !== 1) throw new InvalidStateError(`Run ${id} changed status concurrently`);
      return toRunRecord(await db.run.findUniqueOrThrow({ where: { id } }));
    }, { entity: 'Run', id });
  }

  /**
   * Stores the latest progress of an unfinished run (replacing the previous one) with `progressAt` = `at` (default
   * now).
   *
   * @returns false (nothing written) when the run already finished.
   * @throws NotFoundError when the run does not exist; StoreValidationError for a bad progress object (see
   *   {@link RunProgressValue}) or an invalid date.
   */
  async updateProgress(id: string, progress: RunProgressValue, at: Date = new Date()): Promise<boolean> {
    validateId(id, 'run id');
    const json = progressJson(progress);
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new StoreValidationError('at must be a valid Date');
    return this.exclusive(async (db) => {
      const { count } = await db.run.updateMany({
        where: { id, status: { in: [...ACTIVE_RUN_STATUSES] } },
        data: { progressJson: json, progressAt: at },
      });
      if (count === 1) return true;
      if (!(await db.run.findUnique({ where: { id }, select: { id: true } }))) throw new NotFoundError('Run', id);
      return false;
    }, { entity: 'Run', id });
  }

  /**
   * Records that a cancellation was requested (`cancelRequested` = true) for an unfinished run; a finished run is left
   * as it is. Stopping the work is the job runner's business (JobsService.cancel).
   *
   * @returns the run after the update.
   * @throws NotFoundError when the run does not exist.
   */
  async requestCancel(id: string): Promise<RunRecord> {
    validateId(id, 'run id');
    return this.exclusive(async (db) => {
      await db.run.updateMany({ where: { id, status: { in: [...ACTIVE_RUN_STATUSES] } }, data: { cancelRequested: true } });
      const row = await db.run.findUnique({ where: { id } });
      if (!row) throw new NotFoundError('Run', id);
      return toRunRecord(row);
    }, { entity: 'Run', id });
  }

  /**
   * Marks every unfinished run (PENDING, QUEUED, RUNNING) INTERRUPTED with `error` = message, `finishedAt` = now and
   * its duration, in one transaction. Called once at start-up (JobsService): a run still unfinished then was left by a
   * process that stopped. Candidates already linked to those runs are kept.
   *
   * @returns the runs it marked, oldest first.
   */
  async markInterrupted(message: string): Promise<RunRecord[]> {
    if (typeof message !== 'string' || message.trim() === '') throw new StoreValidationError('message must be a non-empty string');
    return this.exclusive((db) =>
      db.$transaction(async (tx) => {
        const rows = await tx.run.findMany({
          where: { status: { in: [...ACTIVE_RUN_STATUSES] }, kind: { notIn: [...INTERACTIVE_RUN_KINDS] } },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        });
        const finishedAt = new Date();
        const out: RunRecord[] = [];
        for (const row of rows) {
          const startedAt = row.startedAt ?? finishedAt;
          const updated = await tx.run.update({
            where: { id: row.id },
            data: {
              status: 'INTERRUPTED', error: message, startedAt, finishedAt,
              durationMs: BigInt(Math.max(0, finishedAt.getTime() - startedAt.getTime())),
            },
          });
          out.push(toRunRecord(updated));
        }
        return out;
      }, TX_OPTIONS),
    );
  }

  /**
   * All runs with one of these statuses, oldest first (`createdAt`, then id), at most `limit` (default 1000, max
   * 10000). For paginated browsing use {@link listRuns}.
   *
   * @throws StoreValidationError for an unknown status or a bad limit.
   */
  async listRunsByStatus(statuses: readonly RunStatus[], opts: { limit?: number } = {}): Promise<RunRecord[]> {
    if (!Array.isArray(statuses) || statuses.length === 0) throw new StoreValidationError('statuses must be a non-empty array');
    for (const s of statuses) {
      if (!(RUN_STATUSES as readonly string[]).includes(s)) throw new StoreValidationError(`Unknown run status ${String(s)}`);
    }
    const limit = opts.limit ?? 1000;
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new StoreValidationError(`limit must be an integer in 1..10000, got ${String(limit)}`);
    return this.exclusive(async (db) => {
      const rows = await db.run.findMany({
        where: { status: { in: [...statuses] } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      return rows.map(toRunRecord);
    });
  }

  /**
   * Saves the resumable state of an unfinished interactive run (an ask/tell session), replacing the previous one.
   *
   * @param expectedVersion when given, the save only happens if the stored state's `version` field equals it
   *   (optimistic concurrency between two clients of one session).
   * @returns true when saved; false when the run has finished or the version did not match.
   * @throws NotFoundError when the run does not exist; StoreValidationError when the state is not a JSON object or
   *   is larger than 4 MB.
   */
  async saveRunState(id: string, state: Record<string, unknown>, expectedVersion?: number): Promise<boolean> {
    validateId(id, 'run id');
    if (typeof state !== 'object' || state === null || Array.isArray(state)) throw new StoreValidationError('state must be a JSON object');
    const json = JSON.stringify(state);
    if (json.length > 4 * 1024 * 1024) throw new StoreValidationError(`state is ${json.length} characters; at most 4 MB`);
    return this.exclusive(async (db) => {
      const row = await db.run.findUnique({ where: { id }, select: { status: true, stateJson: true } });
      if (!row) throw new NotFoundError('Run', id);
      if (!(ACTIVE_RUN_STATUSES as readonly string[]).includes(row.status)) return false;
      if (expectedVersion !== undefined) {
        const current = row.stateJson === null ? null : (parseJson(row.stateJson) as { version?: unknown } | null);
        if ((current?.version ?? null) !== expectedVersion) return false;
      }
      await db.run.update({ where: { id }, data: { stateJson: json } });
      return true;
    }, { entity: 'Run', id });
  }

  /** The saved state of a run, or null when it has none. @throws NotFoundError when the run does not exist. */
  async getRunState(id: string): Promise<Record<string, unknown> | null> {
    validateId(id, 'run id');
    return this.exclusive(async (db) => {
      const row = await db.run.findUnique({ where: { id }, select: { stateJson: true } });
      if (!row) throw new NotFoundError('Run', id);
      const v = row.stateJson === null ? null : parseJson(row.stateJson);
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
    });
  }

  /** The run, or null when there is none with this id. */
  async getRun(id: string): Promise<RunRecord | null> {
    if (!isIdLike(id)) return null;
    return this.exclusive(async (db) => {
      const row = await db.run.findUnique({ where: { id } });
      return row ? toRunRecord(row) : null;
    });
  }

  /**
   * Deletes a run and (cascade) its candidate links; the candidates themselves stay.
   * @returns false when there was no such run.
   */
  async deleteRun(id: string): Promise<boolean> {
    if (!isIdLike(id)) return false;
    return this.exclusive(async (db) => (await db.run.deleteMany({ where: { id } })).count === 1);
  }

  /**
   * Runs, newest first (`createdAt` DESC, ties by id), optionally of one kind and/or status.
   *
   * @throws InvalidPageSizeError when `first` is not an integer in 1..{@link MAX_PAGE_SIZE};
   *   InvalidCursorError for a malformed cursor or one issued by another list.
   */
  async listRuns(args: ListRunsArgs): Promise<Page<RunRecord>> {
    const first = validateFirst(args?.first);
    const where: Prisma.RunWhereInput = {};
    let afterWhere: Prisma.RunWhereInput | null = null;
    if (args.kind !== undefined && args.kind !== null) where.kind = validateRunKind(args.kind);
    if (args.status !== undefined && args.status !== null) {
      if (!(RUN_STATUSES as readonly string[]).includes(args.status)) throw new StoreValidationError(`Unknown run status ${String(args.status)}`);
      where.status = args.status;
    }
    if (args.after !== undefined && args.after !== null) {
      const c = decodeCursor<string>(args.after, { scope: 'runs', orderBy: 'createdAt', direction: 'DESC', idType: 'string' });
      const at = new Date(c.key);
      afterWhere = { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: c.id } }] };
    }
    return this.exclusive(async (db) => {
      const [rows, totalCount] = await Promise.all([
        db.run.findMany({
          where: afterWhere ? { AND: [where, afterWhere] } : where,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: first + 1,
        }),
        db.run.count({ where }),
      ]);
      const page = rows.slice(0, first);
      const edges = page.map((row) => ({
        cursor: encodeCursor({ scope: 'runs', orderBy: 'createdAt', direction: 'DESC', key: row.createdAt.getTime(), id: row.id }),
        node: toRunRecord(row),
      }));
      return makePage(edges, totalCount, rows.length > first);
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Candidates

  /**
   * Stores the molecules of a run and links them at their positions, all in one transaction: on any error nothing
   * is written. Molecules are deduplicated by `canonicalSmiles` (a molecule seen in two runs, or twice in one run, is
   * stored once and linked at each position). Existing molecules keep their stored properties (they are a function of
   * the structure); only a missing inchiKey is filled in.
   *
   * @returns the new links, ordered by position, each with its candidate.
   * @throws StoreValidationError before any write for a bad item (empty SMILES, non-finite or non-integer property,
   *   bad position, position repeated in the batch, unserialisable meta) or more than {@link MAX_ADD_BATCH} items;
   *   NotFoundError when the run does not exist; ConflictError when the run already has a candidate at one of the
   *   positions.
   */
  async addCandidates(runId: string, items: readonly AddCandidateItem[]): Promise<RunCandidateRecord[]> {
    validateId(runId, 'runId');
    const validated = this.validateBatch(items);
    return this.withRaceRetry(() =>
      this.exclusive((db) => db.$transaction((tx) => this.addCandidatesTx(tx, runId, validated, true), TX_OPTIONS), {
        entity: 'Run',
        id: runId,
      }),
    );
  }

  private validateBatch(items: readonly AddCandidateItem[]): ReturnType<typeof validateItems> {
    if (Array.isArray(items) && items.length > MAX_ADD_BATCH) {
      throw new StoreValidationError(`At most ${MAX_ADD_BATCH} items per addCandidates call, got ${items.length}`);
    }
    return validateItems(items);
  }

  /**
   * Runs a transaction that inserts candidates, again when another process inserted one of the molecules between
   * our lookup and insert (the transaction rolled back, and a retry finds the row); at most 3 attempts.
   */
  private async withRaceRetry<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const raced = e instanceof ConflictError && e.fields.includes('canonicalSmiles');
        if (!raced || attempt >= 3) throw e;
      }
    }
  }

  /**
   * Inserts the links (and missing molecules); `readBack`: return the stored rows (one more query); `runChecked`: the
   * caller has already read the run in this transaction (no existence check here).
   */
  private async addCandidatesTx(
    tx: Tx, runId: string, validated: ReturnType<typeof validateItems>, readBack: boolean, runChecked = false,
  ): Promise<RunCandidateRecord[]> {
    if (!runChecked) {
      const run = await tx.run.findUnique({ where: { id: runId }, select: { id: true } });
      if (!run) throw new NotFoundError('Run', runId);
    }
    if (validated.length === 0) return [];

    // First occurrence of each molecule in the batch gives its properties; the first non-null inchiKey is kept.
    const bySmiles = new Map<string, { properties: AddCandidateItem['properties']; inchiKey: string | null }>();
    for (const { item } of validated) {
      const seen = bySmiles.get(item.canonicalSmiles);
      if (!seen) bySmiles.set(item.canonicalSmiles, { properties: item.properties, inchiKey: item.inchiKey ?? null });
      else if (seen.inchiKey === null && item.inchiKey) seen.inchiKey = item.inchiKey;
    }
    const smiles = [...bySmiles.keys()];

    const existing = new Map<string, { id: number; inchiKey: string | null }>();
    for (const part of chunks(smiles)) {
      const rows = await tx.candidate.findMany({ where: { canonicalSmiles: { in: part } }, select: { id: true, canonicalSmiles: true, inchiKey: true } });
      for (const r of rows) existing.set(r.canonicalSmiles, r);
    }
    for (const [s, row] of existing) {
      const inchiKey = bySmiles.get(s)!.inchiKey;
      if (row.inchiKey === null && inchiKey) await tx.candidate.update({ where: { id: row.id }, data: { inchiKey } });
    }

    const ids = new Map<string, number>();
    for (const [s, row] of existing) ids.set(s, row.id);
    const createdAt = new Date();
    const missing = smiles.filter((s) => !existing.has(s));
    for (const part of chunks(missing)) {
      const rows = await tx.candidate.createManyAndReturn({
        data: part.map((s) => {
          const it = bySmiles.get(s)!;
          return { canonicalSmiles: s, inchiKey: it.inchiKey, ...propertyColumns(it.properties), createdAt };
        }),
        select: { id: true, canonicalSmiles: true },
      });
      for (const r of rows) ids.set(r.canonicalSmiles, r.id);
    }

    const links = validated.map((v) => ({
      runId,
      candidateId: ids.get(v.item.canonicalSmiles)!,
      position: v.item.position,
      score: v.score,
      t: v.t,
      metaJson: v.metaJson,
    }));
    for (const part of chunks(links)) await tx.runCandidate.createMany({ data: part });
    if (!readBack) return [];

    const positions = links.map((l) => l.position);
    const out: RunCandidateRecord[] = [];
    for (const part of chunks(positions)) {
      const rows = await tx.runCandidate.findMany({ where: { runId, position: { in: part } }, include: { candidate: true } });
      out.push(...rows.map(toRunCandidateRecord));
    }
    return out.sort((a, b) => a.position - b.position);
  }

  /**
   * The run's candidates ordered by position, each with its molecule.
   * @throws NotFoundError when the run does not exist.
   */
  async getRunCandidates(runId: string): Promise<RunCandidateRecord[]> {
    if (!isIdLike(runId)) throw new NotFoundError('Run', String(runId));
    return this.exclusive(async (db) => {
      const run = await db.run.findUnique({
        where: { id: typeof runId === 'string' ? runId : '' },
        select: { candidates: { orderBy: { position: 'asc' }, include: { candidate: true } } },
      });
      if (!run) throw new NotFoundError('Run', runId);
      return run.candidates.map(toRunCandidateRecord);
    });
  }

  /** The candidate with this id, or null. */
  async getCandidate(id: number): Promise<CandidateRecord | null> {
    if (!Number.isSafeInteger(id)) return null;
    return this.exclusive(async (db) => {
      const row = await db.candidate.findUnique({ where: { id } });
      return row ? toCandidateRecord(row) : null;
    });
  }

  /** The candidate with this canonical SMILES (exact match), or null. */
  async getCandidateBySmiles(canonicalSmiles: string): Promise<CandidateRecord | null> {
    if (typeof canonicalSmiles !== 'string' || canonicalSmiles === '') return null;
    return this.exclusive(async (db) => {
      const row = await db.candidate.findUnique({ where: { canonicalSmiles } });
      return row ? toCandidateRecord(row) : null;
    });
  }

  /**
   * A page of candidates, Relay style: ordered by `orderBy` (any numeric property, `createdAt` or `id`; default
   * `createdAt`) in `direction` (default DESC), ties broken by id in the same direction, so walking pages with
   * `after: endCursor` visits every matching row exactly once. Filters: `runId` (candidates linked to that run) and
   * inclusive min/max bounds on properties. `totalCount` counts all matches, ignoring the cursor.
   *
   * @throws InvalidPageSizeError when `first` is not an integer in 1..{@link MAX_PAGE_SIZE}; StoreValidationError for
   *   an unknown orderBy or direction, or a non-finite filter bound; InvalidCursorError for a malformed cursor, or one issued by another
   *   list or for another ordering.
   */
  async listCandidates(args: ListCandidatesArgs): Promise<Page<CandidateRecord>> {
    const first = validateFirst(args?.first);
    const orderBy: CandidateOrderField = args.orderBy ?? 'createdAt';
    if (!CANDIDATE_ORDER_FIELDS.includes(orderBy)) throw new StoreValidationError(`Cannot order candidates by ${String(orderBy)}`);
    const direction: SortDirection = args.direction ?? 'DESC';
    if (direction !== 'ASC' && direction !== 'DESC') throw new StoreValidationError(`direction must be ASC or DESC, got ${String(direction)}`);
    const filters: Prisma.CandidateWhereInput[] = [];
    if (args.runId !== undefined && args.runId !== null) filters.push({ runs: { some: { runId: validateId(args.runId, 'runId') } } });
    for (const [field, range] of Object.entries(args.filters ?? {})) {
      if (!(CANDIDATE_PROPERTY_FIELDS as readonly string[]).includes(field)) throw new StoreValidationError(`Cannot filter candidates by ${field}`);
      if (range === undefined || range === null) continue;
      const bound: { gte?: number; lte?: number } = {};
      for (const [k, op] of [['min', 'gte'], ['max', 'lte']] as const) {
        const v = range[k];
        if (v === undefined || v === null) continue;
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new StoreValidationError(`filters.${field}.${k} must be a finite number`);
        bound[op] = v;
      }
      if (Object.keys(bound).length > 0) filters.push({ [field]: bound });
    }
    let afterWhere: Prisma.CandidateWhereInput | null = null;
    if (args.after !== undefined && args.after !== null) {
      const c = decodeCursor<number>(args.after, { scope: 'candidates', orderBy, direction, idType: 'number' });
      const cmp = direction === 'ASC' ? 'gt' : 'lt';
      if (orderBy === 'id') {
        afterWhere = { id: { [cmp]: c.id } };
      } else {
        const key = orderBy === 'createdAt' ? new Date(c.key) : c.key;
        afterWhere = { OR: [{ [orderBy]: { [cmp]: key } }, { [orderBy]: key, id: { [cmp]: c.id } }] };
      }
    }
    const where: Prisma.CandidateWhereInput = filters.length > 0 ? { AND: filters } : {};
    const dir = direction === 'ASC' ? 'asc' : 'desc';
    const order: Prisma.CandidateOrderByWithRelationInput[] = orderBy === 'id' ? [{ id: dir }] : [{ [orderBy]: dir }, { id: dir }];
    return this.exclusive(async (db) => {
      const [rows, totalCount] = await Promise.all([
        db.candidate.findMany({ where: afterWhere ? { AND: [...filters, afterWhere] } : where, orderBy: order, take: first + 1 }),
        db.candidate.count({ where }),
      ]);
      const page = rows.slice(0, first);
      const edges = page.map((row) => {
        const node = toCandidateRecord(row);
        const key = orderBy === 'createdAt' ? row.createdAt.getTime() : orderBy === 'id' ? row.id : node.properties[orderBy];
        return { cursor: encodeCursor({ scope: 'candidates', orderBy, direction, key, id: row.id }), node };
      });
      return makePage(edges, totalCount, rows.length > first);
    });
  }
}

/** Checks a CompleteRunInput and serialises its stats. @throws StoreValidationError */
function validateCompletion(input: CompleteRunInput): string | null {
  if (!['SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED'].includes(input?.status)) {
    throw new StoreValidationError(`status must be SUCCEEDED, FAILED, CANCELLED or INTERRUPTED, got ${String(input?.status)}`);
  }
  if (input.error !== undefined && input.error !== null && typeof input.error !== 'string') {
    throw new StoreValidationError('error must be a string');
  }
  return toJson(input.stats, 'stats');
}

function isActive(status: string): boolean {
  return (ACTIVE_RUN_STATUSES as readonly string[]).includes(status);
}

