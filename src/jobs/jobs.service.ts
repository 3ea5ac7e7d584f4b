import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { PubSub } from 'graphql-subscriptions';
import { NotFoundError } from '../common/errors';
import { StoreService } from '../store/store.service';
import { InvalidStateError, NotFoundError as StoreNotFoundError } from '../store/errors';
import { isTerminalRunStatus, type RunOutcome, type RunProgressValue, type RunRecord } from '../store/types';
import { RunEvent, RunEventStream, runEventFromRecord } from './run-events';
import { RunQueue, type RunQueueCounts } from './run-queue';

/** What a job's work function gets. */
export interface JobContext {
  /** The run this job executes (store candidates with `store.addCandidates(ctx.runId, items)`). */
  readonly runId: string;
  /** Aborted by `cancel(runId)` (reason: {@link JobCancelledError}) or at shutdown ({@link JobInterruptedError}). */
  readonly signal: AbortSignal;
  /**
   * Reports progress: a flat object of numbers, strings and nulls (non-finite numbers become null). Never blocks and
   * never throws: the latest value is written to the store and published to `runProgress` subscribers at most once
   * per `progressIntervalMs` (default 500 ms); the last value is always written before the run completes.
   */
  progress(p: Record<string, number | string | null>): void;
  /** Throws the abort reason when the job was cancelled; call it between steps. */
  throwIfCancelled(): void;
}

/** A function executed as a job. Its resolved value is stored as the run's stats (JSON; undefined stores none). */
export type JobWork<T> = (ctx: JobContext) => Promise<T>;

/**
 * Executes a stored run of one kind from its stored parameters (`run.params`), in this process or in a worker
 * process: what {@link JobsService.enqueue} runs. Its resolved value is stored as the run's stats.
 */
export type RunHandler = (run: RunRecord, ctx: JobContext) => Promise<unknown>;

export interface JobsOptions {
  /** Minimum time between two progress writes/publications of one job, ms. Default 500. */
  progressIntervalMs?: number;
  /** Jobs executing at once; later ones wait in the run's QUEUED status. Default 2. */
  maxConcurrent?: number;
  /** How long shutdown waits for running jobs to stop after aborting them, ms. Default 5000. */
  shutdownGraceMs?: number;
  /** How often a subscription to a run not executed by this process re-reads it from the store, ms. Default 2000. */
  pollIntervalMs?: number;
  /**
   * Redis URL of the distributed queue (BullMQ). Default: env REDIS_URL; empty/unset = runs execute in this process.
   * With a queue, `enqueue` hands runs to worker processes (`npm run worker`) and start-up marks nothing INTERRUPTED
   * (workers own their runs; see src/jobs/run-queue.ts).
   */
  redisUrl?: string | null;
  /** How often a job executed for a queued run checks the store for a cancellation, ms. Default 1000. */
  cancelPollMs?: number;
}

/** Injection token for {@link JobsOptions} (`JobsModule.forRoot(options)`). */
export const JOBS_OPTIONS = Symbol('JOBS_OPTIONS');

/** Reason of the abort signal when a job is cancelled through `cancel`. */
export class JobCancelledError extends Error {
  constructor(runId: string) {
    super(`run ${runId} was cancelled`);
    this.name = 'JobCancelledError';
  }
}

/** Reason of the abort signal when the service shuts down while a job runs. */
export class JobInterruptedError extends Error {
  constructor(runId: string) {
    super(`run ${runId} was interrupted by a shutdown`);
    this.name = 'JobInterruptedError';
  }
}

/** `start` was called for a run this process already executes or has queued. */
export class JobAlreadyStartedError extends Error {
  constructor(runId: string) {
    super(`run ${runId} is already started`);
    this.name = 'JobAlreadyStartedError';
  }
}

/** Message of runs found unfinished at start-up. */
export const RESTART_MESSAGE = 'service restarted during the run; candidates stored before the restart are kept';
/** Message of runs interrupted by a clean shutdown. */
export const SHUTDOWN_MESSAGE = 'service stopped during the run; candidates stored before the stop are kept';
export const CANCELLED_MESSAGE = 'cancelled by request';
/** Message of a run whose worker process stopped while executing it (distributed queue). */
export const WORKER_LOST_MESSAGE = 'the worker executing the run stopped; candidates stored before it stopped are kept';

interface Published {
  seq: number;
  event: RunEvent;
}

interface Job {
  runId: string;
  /** Poll the store for cancelRequested (runs cancelled from another process). */
  watchCancel: boolean;
  controller: AbortController;
  work: JobWork<unknown>;
  writer: ProgressWriter;
  /** Resolves when the job has finished (run completed in the store, final event published). */
  done: Promise<void>;
  resolveDone: () => void;
  running: boolean;
  startedAt: Date | null;
  cancelRequested: boolean;
}

const topic = (runId: string): string => `runProgress:${runId}`;

/**
 * Durable background jobs in this process. A job executes a run that already exists in the store (created QUEUED,
 * or RUNNING): `start` returns at once; the run becomes RUNNING when a slot is free (`maxConcurrent`), and ends
 * SUCCEEDED (the work's resolved value stored as stats), CANCELLED (aborted through `cancel`; partial stats kept
 * when the work returns), FAILED (the work threw; its message stored) or INTERRUPTED (shutdown). The work stores its
 * candidates itself through the store's idempotent `addCandidates`, so nothing is stored twice and whatever it stored
 * before a cancel, failure or restart stays linked to the run.
 *
 * Durability: the store is the record. At start-up (`onModuleInit`) every run still PENDING/QUEUED/RUNNING was left by
 * a process that stopped, and is marked INTERRUPTED with {@link RESTART_MESSAGE}. One process per database file is
 * assumed (as for the whole store).
 *
 * Events: each state change and each progress write is published on an in-process PubSub (graphql-subscriptions) under
 * `runProgress:<runId>`; {@link subscribe} turns them into an async iterator for the `runProgress` subscription.
 */
@Injectable()
export class JobsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(JobsService.name);
  private readonly options: Required<Omit<JobsOptions, 'redisUrl'>>;
  private readonly handlers = new Map<string, RunHandler>();
  /** The distributed queue (REDIS_URL), or null: runs execute in this process. */
  private readonly queue: RunQueue | null;
  private readonly pubsub: PubSub<Record<string, Published>>;
  private readonly jobs = new Map<string, Job>();
  private readonly waiting: Job[] = [];
  private runningCount = 0;
  private seq = 0;
  private shuttingDown = false;

  constructor(
    private readonly store: StoreService,
    @Optional() @Inject(JOBS_OPTIONS) options?: JobsOptions,
  ) {
    this.options = {
      progressIntervalMs: options?.progressIntervalMs ?? 500,
      maxConcurrent: options?.maxConcurrent ?? 2,
      shutdownGraceMs: options?.shutdownGraceMs ?? 5000,
      pollIntervalMs: options?.pollIntervalMs ?? 2000,
      cancelPollMs: options?.cancelPollMs ?? 1000,
    };
    const redisUrl = (options?.redisUrl === undefined ? process.env.REDIS_URL : options.redisUrl)?.trim() || null;
    this.queue = redisUrl ? new RunQueue(redisUrl) : null;
    if (!Number.isInteger(this.options.maxConcurrent) || this.options.maxConcurrent < 1) {
      throw new Error(`maxConcurrent must be a positive integer, got ${this.options.maxConcurrent}`);
    }
    const ee = new EventEmitter();
    ee.setMaxListeners(0); // one listener per subscriber of a run; no arbitrary cap
    this.pubsub = new PubSub({ eventEmitter: ee });
  }

  /**
   * Nest hook: in-process mode marks runs left unfinished by a previous process INTERRUPTED. With the distributed
   * queue nothing is marked here: workers own their runs (a dead worker's run is marked by the worker that receives its
   * re-delivered job).
   */
  async onModuleInit(): Promise<void> {
    if (this.queue) {
      await this.store.init();
      this.logger.log('Runs go through the BullMQ queue (REDIS_URL): start workers with `npm run worker`');
      return;
    }
    await this.recoverInterrupted();
  }

  /** True when runs are handed to worker processes through Redis (REDIS_URL). */
  get distributed(): boolean {
    return this.queue !== null;
  }

  /**
   * Registers the handler that executes stored runs of `kind` (e.g. 'OPTIMIZE'); modules register theirs at start-up,
   * in the API and in worker processes alike.
   * @throws Error when a handler for `kind` is already registered.
   */
  registerHandler(kind: string, handler: RunHandler): void {
    if (this.handlers.has(kind)) throw new Error(`a run handler for ${kind} is already registered`);
    this.handlers.set(kind, handler);
  }

  /**
   * Executes a stored QUEUED run with the handler of its kind: in this process (no REDIS_URL), or by a worker process
   * through the BullMQ queue. Returns once the run is queued.
   * @throws Error when no handler is registered for the run's kind, or when the queue (Redis) is unreachable; in the
   *   latter case the run is completed FAILED first, so no run stays QUEUED forever.
   */
  async enqueue(run: Pick<RunRecord, 'id' | 'kind'>): Promise<void> {
    const handler = this.handlers.get(run.kind);
    if (!handler) throw new Error(`no run handler registered for ${run.kind}`);
    if (!this.queue) {
      // The handler reads the run back from the store, as a worker does: the same parameters in both modes.
      this.start(run.id, async (ctx) => {
        const stored = await this.store.getRun(run.id);
        if (!stored) throw new Error(`run ${run.id} disappeared before it started`);
        return handler(stored, ctx);
      });
      return;
    }
    try {
      await this.queue.add(run.id, run.kind);
    } catch (e) {
      const message = `could not queue the run: ${(e as Error).message}`;
      await this.store.completeRun(run.id, { status: 'FAILED', error: message }).catch(() => undefined);
      throw new Error(message, { cause: e });
    }
  }

  /**
   * Worker side of the queue: executes the stored run `runId` with its kind's handler and resolves with its final
   * status once it has finished. A run already finished (e.g. cancelled while queued) is left alone; a run found
   * RUNNING was being executed by a worker that died (its job was re-delivered) and is marked INTERRUPTED.
   */
  async executeStored(runId: string): Promise<string> {
    const run = await this.store.getRun(runId);
    if (!run) {
      this.logger.warn(`Queued run ${runId} does not exist; skipped`);
      return 'MISSING';
    }
    if (isTerminalRunStatus(run.status)) return run.status;
    if (run.status === 'RUNNING') {
      const done = await this.store.completeRun(runId, { status: 'INTERRUPTED', error: WORKER_LOST_MESSAGE });
      this.logger.warn(`Run ${runId} was left RUNNING by a worker that stopped; marked INTERRUPTED`);
      return done.status;
    }
    const handler = this.handlers.get(run.kind);
    if (!handler) {
      const done = await this.store.completeRun(runId, { status: 'FAILED', error: `no run handler for ${run.kind} in this worker` });
      return done.status;
    }
    this.start(runId, (ctx) => handler(run, ctx), { watchCancel: true });
    await this.settled(runId);
    return (await this.store.getRun(runId))?.status ?? 'MISSING';
  }

  /** Counts of the shared queue (null in in-process mode); for the queue-depth metric. */
  async sharedQueueCounts(): Promise<RunQueueCounts | null> {
    return this.queue ? this.queue.counts() : null;
  }

  /** Nest hook: {@link shutdown}. */
  async onModuleDestroy(): Promise<void> {
    await this.shutdown();
  }

  /**
   * Marks every run still PENDING, QUEUED or RUNNING in the store INTERRUPTED with {@link RESTART_MESSAGE}. Called at
   * start-up, before any job of this process exists.
   * @returns the runs it marked.
   */
  async recoverInterrupted(): Promise<RunRecord[]> {
    await this.store.init();
    const marked = await this.store.markInterrupted(RESTART_MESSAGE);
    if (marked.length > 0) {
      this.logger.warn(`Marked ${marked.length} run(s) left unfinished by a previous process INTERRUPTED: ${marked.map((r) => r.id).join(', ')}`);
    }
    return marked;
  }

  /**
   * Executes `work` for the stored run `runId` in this process, without blocking the caller. The run must exist and
   * be QUEUED (or RUNNING, e.g. created by `createRun` without a status); problems with it (missing, already finished,
   * cancelled before it started) are logged and the work is not executed.
   *
   * @throws JobAlreadyStartedError (synchronously) when this process already executes or queued this run; Error after
   *   shutdown began.
   */
  start<T>(runId: string, work: JobWork<T>, opts: { watchCancel?: boolean } = {}): void {
    if (this.shuttingDown) throw new Error('JobsService is shutting down; no new jobs are accepted');
    if (typeof runId !== 'string' || runId === '') throw new Error('runId must be a non-empty string');
    if (this.jobs.has(runId)) throw new JobAlreadyStartedError(runId);
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const job: Job = {
      runId,
      watchCancel: opts.watchCancel ?? false,
      controller: new AbortController(),
      work: work as JobWork<unknown>,
      writer: new ProgressWriter(runId, this.store, this.options.progressIntervalMs, this.logger, (progress, at) =>
        this.publish({
          ...this.baseEvent(runId, 'RUNNING'), progress, progressAt: at, startedAt: job.startedAt, cancelRequested: job.cancelRequested,
        }),
      ),
      done,
      resolveDone,
      running: false,
      startedAt: null,
      cancelRequested: false,
    };
    this.jobs.set(runId, job);
    this.waiting.push(job);
    this.pump();
  }

  /**
   * Cancels a run. A job of this process that runs gets its signal aborted (the run ends CANCELLED when the work
   * stops); one still waiting for a slot, or a QUEUED run no job of this process holds, is completed CANCELLED at
   * once. Sets the run's `cancelRequested`.
   *
   * @returns true when a cancellation took place or is under way; false when the run already finished, or is RUNNING
   *   outside this job runner (a synchronous mutation), which cannot be stopped.
   * @throws NotFoundError (API) when no run has this id.
   */
  async cancel(runId: string): Promise<boolean> {
    const run = await this.store.getRun(runId);
    if (!run) throw new NotFoundError('run', runId);
    if (isTerminalRunStatus(run.status)) return false;
    const job = this.jobs.get(runId);
    if (!job && run.status === 'RUNNING') {
      if (!this.queue) return false;
      // Executed by a worker process, which polls the store for the request.
      const updated = await this.store.requestCancel(runId);
      this.publish({ ...runEventFromRecord(updated), final: false });
      return !isTerminalRunStatus(updated.status);
    }
    const updated = await this.store.requestCancel(runId);
    if (isTerminalRunStatus(updated.status)) return false;
    if (job) {
      job.cancelRequested = true;
      if (job.controller.signal.aborted) return true;
      job.controller.abort(new JobCancelledError(runId));
      if (job.running) {
        this.publish({ ...runEventFromRecord(updated), final: false });
      } else {
        // Still waiting for a slot: finish it here; the pump skips aborted jobs.
        this.dequeue(job);
        await this.finish(job, 'CANCELLED', { error: CANCELLED_MESSAGE });
      }
      return true;
    }
    // QUEUED or PENDING without a job here (start() not called yet): a later start() finds it finished.
    try {
      const done = await this.store.completeRun(runId, { status: 'CANCELLED', error: CANCELLED_MESSAGE });
      this.publish(runEventFromRecord(done));
    } catch (e) {
      if (!(e instanceof InvalidStateError)) throw e;
    }
    return true;
  }

  /** True while this process executes or queues a job for the run. */
  isActive(runId: string): boolean {
    return this.jobs.has(runId);
  }

  /** Ids of the runs this process executes or queues. */
  activeRunIds(): string[] {
    return [...this.jobs.keys()];
  }

  /**
   * Queue depth of this process for the `molnav_job_queue_depth{scope="process"}` gauge (read by src/observability
   * at each scrape): jobs waiting for a slot (their runs QUEUED) and executing (RUNNING). The shared queue's depth
   * comes from {@link sharedQueueCounts}.
   */
  queueDepth(): { queued: number; running: number } {
    return { queued: this.waiting.filter((j) => !j.controller.signal.aborted).length, running: this.runningCount };
  }

  /**
   * Resolves true once this process's job for the run has finished (immediately when it has none), or false after
   * `timeoutMs` (default: no timeout).
   */
  async settled(runId: string, timeoutMs?: number): Promise<boolean> {
    const job = this.jobs.get(runId);
    if (!job) return true;
    if (timeoutMs === undefined) {
      await job.done;
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs));
    });
    try {
      return await Promise.race([job.done.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Events of one run, for the `runProgress` subscription: first the run as stored now, then every published change,
   * ending after the event with a terminal status (at once when the run already finished). A run no job of this
   * process executes (a synchronous mutation, another process) is re-read every `pollIntervalMs` instead.
   *
   * @throws NotFoundError (API) when no run has this id.
   */
  async subscribe(runId: string): Promise<AsyncIterableIterator<RunEvent>> {
    const early: Published[] = [];
    let stream: RunEventStream | null = null;
    let lastProgressAt = 0;
    const deliver = (event: RunEvent): void => {
      lastProgressAt = Math.max(lastProgressAt, event.progressAt?.getTime() ?? 0);
      stream?.push(event);
    };
    const subId = await this.pubsub.subscribe(topic(runId), (p: Published) => (stream ? deliver(p.event) : early.push(p)));
    let timer: NodeJS.Timeout | undefined;
    const cleanup = (): void => {
      clearInterval(timer);
      this.pubsub.unsubscribe(subId);
    };
    // Store operations run in order, so the snapshot reflects every event published before it was requested.
    const seqAtRead = this.seq;
    let run: RunRecord | null;
    try {
      run = await this.store.getRun(runId);
    } catch (e) {
      cleanup();
      throw e;
    }
    if (!run) {
      cleanup();
      throw new NotFoundError('run', runId);
    }
    stream = new RunEventStream(cleanup);
    deliver(runEventFromRecord(run));
    for (const p of early) if (p.seq > seqAtRead) deliver(p.event);
    if (!stream.ended) {
      timer = setInterval(() => {
        if (this.jobs.has(runId) || stream?.ended) return;
        this.store.getRun(runId).then(
          (now) => {
            if (!now) {
              stream?.push({ ...this.baseEvent(runId, 'FAILED'), error: 'run was deleted', final: true });
            } else if (isTerminalRunStatus(now.status) || (now.progressAt?.getTime() ?? 0) > lastProgressAt) {
              deliver(runEventFromRecord(now));
            }
          },
          (e: unknown) => this.logger.warn(`runProgress poll of ${runId} failed: ${(e as Error).message}`),
        );
      }, this.options.pollIntervalMs);
      timer.unref();
    }
    return stream;
  }

  /**
   * Stops accepting jobs, completes the waiting ones INTERRUPTED, aborts the running ones and waits up to
   * `shutdownGraceMs` for them to end INTERRUPTED. A job still running after that stays RUNNING in the store and is
   * marked INTERRUPTED at the next start-up.
   */
  async shutdown(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    try {
      await this.drain();
    } finally {
      await this.queue?.close().catch(() => undefined);
    }
  }

  private async drain(): Promise<void> {
    for (const job of this.waiting.splice(0)) {
      job.controller.abort(new JobInterruptedError(job.runId));
      await this.finish(job, 'INTERRUPTED', { error: SHUTDOWN_MESSAGE });
    }
    const running = [...this.jobs.values()];
    if (running.length === 0) return;
    for (const job of running) job.controller.abort(new JobInterruptedError(job.runId));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.shutdownGraceMs);
    });
    const result = await Promise.race([Promise.all(running.map((j) => j.done)), grace]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.logger.warn(`Shutdown: ${this.jobs.size} job(s) did not stop within ${this.options.shutdownGraceMs} ms: ${this.activeRunIds().join(', ')}`);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  private pump(): void {
    while (this.runningCount < this.options.maxConcurrent && this.waiting.length > 0) {
      const job = this.waiting.shift() as Job;
      if (job.controller.signal.aborted) continue;
      job.running = true;
      this.runningCount++;
      void this.execute(job).finally(() => {
        this.runningCount--;
        this.pump();
      });
    }
  }

  private dequeue(job: Job): void {
    const i = this.waiting.indexOf(job);
    if (i >= 0) this.waiting.splice(i, 1);
  }

  private async execute(job: Job): Promise<void> {
    const { runId, controller, writer } = job;
    let started: RunRecord;
    try {
      started = await this.store.markRunStarted(runId);
    } catch (e) {
      if (e instanceof StoreNotFoundError || e instanceof InvalidStateError) {
        this.logger.warn(`Job for run ${runId} not executed: ${(e as Error).message}`);
      } else {
        this.logger.error(`Job for run ${runId} not executed: ${(e as Error).message}`);
      }
      this.release(job);
      return;
    }
    job.startedAt = started.startedAt;
    if (started.cancelRequested && !controller.signal.aborted) controller.abort(new JobCancelledError(runId));
    if (controller.signal.aborted) {
      await this.finish(job, this.abortOutcome(job), { error: this.abortMessage(job) });
      return;
    }
    this.publish(runEventFromRecord(started));
    const watcher = job.watchCancel ? this.watchCancel(job) : null;
    const ctx: JobContext = {
      runId,
      signal: controller.signal,
      progress: (p) => writer.push(p),
      throwIfCancelled: () => controller.signal.throwIfAborted(),
    };
    let outcome: RunOutcome;
    let stats: unknown;
    let error: string | undefined;
    try {
      stats = await job.work(ctx);
      outcome = controller.signal.aborted ? this.abortOutcome(job) : 'SUCCEEDED';
      if (outcome !== 'SUCCEEDED') error = this.abortMessage(job);
    } catch (e) {
      if (controller.signal.aborted) {
        outcome = this.abortOutcome(job);
        error = this.abortMessage(job);
      } else {
        outcome = 'FAILED';
        error = e instanceof Error ? e.message : String(e);
        this.logger.warn(`Job for run ${runId} failed: ${error}`);
      }
    }
    if (watcher) clearInterval(watcher);
    await this.finish(job, outcome, { error, stats });
  }

  /** Aborts the job when its run's cancelRequested is set in the store (by another process's cancelRun). */
  private watchCancel(job: Job): NodeJS.Timeout {
    let reading = false;
    const timer = setInterval(() => {
      if (reading || job.controller.signal.aborted) return;
      reading = true;
      this.store
        .getRun(job.runId)
        .then((r) => {
          if (r?.cancelRequested && !job.controller.signal.aborted) {
            job.cancelRequested = true;
            job.controller.abort(new JobCancelledError(job.runId));
          }
        })
        .catch(() => undefined)
        .finally(() => (reading = false));
    }, this.options.cancelPollMs);
    timer.unref();
    return timer;
  }

  private abortOutcome(job: Job): RunOutcome {
    return job.controller.signal.reason instanceof JobInterruptedError ? 'INTERRUPTED' : 'CANCELLED';
  }

  private abortMessage(job: Job): string {
    return job.controller.signal.reason instanceof JobInterruptedError ? SHUTDOWN_MESSAGE : CANCELLED_MESSAGE;
  }

  /** Writes the last progress, completes the run, publishes the final event and forgets the job. Never throws. */
  private async finish(job: Job, status: RunOutcome, input: { error?: string; stats?: unknown }): Promise<void> {
    const { runId } = job;
    try {
      await job.writer.close();
      let done: RunRecord;
      try {
        done = await this.store.completeRun(runId, { status, error: input.error, stats: input.stats });
      } catch (e) {
        if (!(e instanceof InvalidStateError) && !(e instanceof StoreNotFoundError)) throw e;
        // The work completed (or deleted) the run itself: keep what it wrote.
        const now = await this.store.getRun(runId);
        if (!now) throw e;
        done = now;
      }
      this.publish(runEventFromRecord(done));
    } catch (e) {
      this.logger.error(`Could not record the end (${status}) of run ${runId}: ${(e as Error).message}`);
      this.publish({ ...this.baseEvent(runId, status), error: input.error ?? null, final: true });
    } finally {
      this.release(job);
    }
  }

  private release(job: Job): void {
    if (this.jobs.get(job.runId) === job) this.jobs.delete(job.runId);
    job.resolveDone();
  }

  private baseEvent(runId: string, status: RunEvent['status']): RunEvent {
    return {
      runId, status, progress: null, progressAt: null, cancelRequested: false, error: null, startedAt: null, finishedAt: null,
      final: isTerminalRunStatus(status),
    };
  }

  private publish(event: RunEvent): void {
    const published: Published = { seq: ++this.seq, event };
    void this.pubsub.publish(topic(event.runId), published);
  }
}

/**
 * Throttles one job's progress: the first report is written and published at once, later ones at most once per
 * interval (the latest value wins; none is lost at the end: `close` writes what is pending). At most one store write
 * per job is in flight, so a busy job never piles up writes in the store's queue.
 */
class ProgressWriter {
  private latest: RunProgressValue | null = null;
  private dirty = false;
  private lastFlush = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private closed = false;
  private warned = false;
  /** Number of store writes issued (for tests and logs). */
  writes = 0;

  constructor(
    private readonly runId: string,
    private readonly store: StoreService,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    private readonly onFlush: (progress: RunProgressValue, at: Date) => void,
  ) {}

  push(p: Record<string, number | string | null>): void {
    if (this.closed) return;
    const clean: RunProgressValue = {};
    if (typeof p === 'object' && p !== null) {
      for (const [k, v] of Object.entries(p)) {
        clean[k] = typeof v === 'number' ? (Number.isFinite(v) ? v : null) : typeof v === 'string' ? v : null;
      }
    }
    this.latest = clean;
    this.dirty = true;
    this.schedule();
  }

  /** Stops throttling and writes the pending value, if any. Never throws. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.writing;
    if (this.dirty) this.flush();
    await this.writing;
  }

  private schedule(): void {
    if (this.timer || this.writing || this.closed) return;
    const delay = Math.max(0, this.lastFlush + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, delay);
  }

  private flush(): void {
    if (!this.dirty || this.latest === null) return;
    this.dirty = false;
    const at = new Date();
    this.lastFlush = at.getTime();
    const value = this.latest;
    this.writes++;
    this.onFlush(value, at);
    this.writing = this.store
      .updateProgress(this.runId, value, at)
      .then(
        () => undefined,
        (e: unknown) => {
          if (!this.warned) this.logger.warn(`Progress of run ${this.runId} not stored: ${(e as Error).message}`);
          this.warned = true;
        },
      )
      .finally(() => {
        this.writing = null;
        if (this.dirty && !this.closed) this.schedule();
      });
  }
}
