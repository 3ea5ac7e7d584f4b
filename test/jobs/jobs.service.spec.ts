/**
 * JobsService with the real store on a temporary SQLite file: success, failure, cancellation, progress throttling,
 * subscriptions, shutdown and runs interrupted by a restart.
 */
import { NotFoundError as ApiNotFoundError } from '../../src/common/errors';
import {
  CANCELLED_MESSAGE,
  JobAlreadyStartedError,
  JobsService,
  RESTART_MESSAGE,
  SHUTDOWN_MESSAGE,
  type RunEvent,
} from '../../src/jobs';
import { StoreService } from '../../src/store';
import { TestDatabases } from '../db';
import { item, MOLECULES } from '../store/helpers';
import { queuedRun, sleep, syntheticWork, waitFor } from './helpers';

describe('JobsService (real store, fresh database)', () => {
  const dbs = new TestDatabases('jobs');
  let store: StoreService;
  let jobs: JobsService;

  beforeAll(async () => {
    store = await StoreService.open({ databaseUrl: await dbs.url() });
  });

  afterAll(async () => {
    await store.close();
    await dbs.cleanup();
  });

  beforeEach(async () => {
    jobs = new JobsService(store, { progressIntervalMs: 100, pollIntervalMs: 50 });
    await jobs.onModuleInit();
  });

  afterEach(async () => {
    await jobs.shutdown();
  });

  it('runs a job without blocking the caller: QUEUED -> RUNNING -> SUCCEEDED, candidates and stats stored', async () => {
    const runId = await queuedRun(store, { target: 'qed' });
    expect((await store.getRun(runId))!.status).toBe('QUEUED');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    jobs.start(runId, async (ctx) => {
      expect(ctx.runId).toBe(runId);
      await store.addCandidates(ctx.runId, [item(MOLECULES.aspirin, 0, { score: 0.55 })]);
      ctx.progress({ oracleCalls: 1, budget: 2, bestScore: 0.55, generation: 1 });
      await gate;
      await store.addCandidates(ctx.runId, [item(MOLECULES.ibuprofen, 1, { score: 0.82 })]);
      ctx.progress({ oracleCalls: 2, budget: 2, bestScore: 0.82, generation: 2 });
      return { oracleCalls: 2, best: 0.82 };
    });
    expect(jobs.isActive(runId)).toBe(true);
    const running = await waitFor(async () => {
      const r = await store.getRun(runId);
      return r?.status === 'RUNNING' && r.progress !== null ? r : null;
    }, 5000, 'RUNNING with progress');
    expect(running.startedAt).toBeInstanceOf(Date);
    expect(running.finishedAt).toBeNull();
    expect(running.progress).toEqual({ oracleCalls: 1, budget: 2, bestScore: 0.55, generation: 1 });
    release();
    await jobs.settled(runId);
    expect(jobs.isActive(runId)).toBe(false);
    const done = (await store.getRun(runId))!;
    expect(done).toMatchObject({ status: 'SUCCEEDED', error: null, stats: { oracleCalls: 2, best: 0.82 }, cancelRequested: false });
    expect(done.progress).toEqual({ oracleCalls: 2, budget: 2, bestScore: 0.82, generation: 2 }); // last value always written
    expect(done.finishedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime());
    expect(done.durationMs).toBe(done.finishedAt!.getTime() - done.startedAt!.getTime());
    expect((await store.getRunCandidates(runId)).map((l) => l.candidate.canonicalSmiles)).toEqual([
      MOLECULES.aspirin.canonicalSmiles, MOLECULES.ibuprofen.canonicalSmiles,
    ]);
  });

  it('marks the run FAILED with the message when the work throws, keeping what it stored', async () => {
    const runId = await queuedRun(store);
    jobs.start(runId, async (ctx) => {
      await store.addCandidates(ctx.runId, [item(MOLECULES.caffeine, 0)]);
      throw new Error('decoder exploded');
    });
    await jobs.settled(runId);
    const run = (await store.getRun(runId))!;
    expect(run).toMatchObject({ status: 'FAILED', error: 'decoder exploded' });
    expect(run.finishedAt).toBeInstanceOf(Date);
    expect((await store.getRunCandidates(runId)).map((l) => l.candidate.canonicalSmiles)).toEqual([MOLECULES.caffeine.canonicalSmiles]);
  });

  it('cancels a running job: the work sees signal.aborted and stops, the run ends CANCELLED with its partial stats', async () => {
    const runId = await queuedRun(store);
    const { work, state } = syntheticWork({ steps: 1000, stepMs: 10 });
    jobs.start(runId, async (ctx) => {
      await store.addCandidates(ctx.runId, [item(MOLECULES.paracetamol, 0)]);
      return work(ctx);
    });
    await waitFor(async () => state.stepsDone >= 3, 5000, 'a few steps');
    expect(await jobs.cancel(runId)).toBe(true);
    expect((await store.getRun(runId))!.cancelRequested).toBe(true);
    expect(await jobs.settled(runId, 5000)).toBe(true);
    expect(state.seenAbort).toBe(true);
    expect(state.stepsDone).toBeLessThan(1000);
    const run = (await store.getRun(runId))!;
    expect(run).toMatchObject({ status: 'CANCELLED', error: CANCELLED_MESSAGE, cancelRequested: true, stats: { stepsDone: state.stepsDone } });
    expect(await store.getRunCandidates(runId)).toHaveLength(1); // kept
    // A finished run cannot be cancelled again; an unknown one is NOT_FOUND.
    expect(await jobs.cancel(runId)).toBe(false);
    await expect(jobs.cancel('no-such-run')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(jobs.cancel('no-such-run')).rejects.toBeInstanceOf(ApiNotFoundError);
  });

  it('a work that throws the abort reason after a cancel ends CANCELLED, not FAILED', async () => {
    const runId = await queuedRun(store);
    jobs.start(runId, async (ctx) => {
      for (;;) {
        ctx.throwIfCancelled();
        await sleep(5);
      }
    });
    await waitFor(async () => (await store.getRun(runId))?.status === 'RUNNING', 5000, 'RUNNING');
    await jobs.cancel(runId);
    await jobs.settled(runId);
    expect((await store.getRun(runId))!.status).toBe('CANCELLED');
  });

  it('queues jobs beyond maxConcurrent; a queued job cancelled before it starts never runs', async () => {
    const one = new JobsService(store, { maxConcurrent: 1, progressIntervalMs: 50 });
    try {
      const first = await queuedRun(store);
      const second = await queuedRun(store);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let secondRan = false;
      one.start(first, async () => gate);
      one.start(second, async () => {
        secondRan = true;
      });
      await waitFor(async () => (await store.getRun(first))?.status === 'RUNNING', 5000, 'first RUNNING');
      expect((await store.getRun(second))!.status).toBe('QUEUED');
      expect(await one.cancel(second)).toBe(true);
      expect((await store.getRun(second))!).toMatchObject({ status: 'CANCELLED', durationMs: 0 }); // never started
      release();
      await one.settled(first);
      expect((await store.getRun(first))!.status).toBe('SUCCEEDED');
      expect(secondRan).toBe(false);
      expect(() => one.start(first, async () => undefined)).not.toThrow(); // finished: a new start is refused by the store, not by the map
      await one.settled(first);
      expect((await store.getRun(first))!.status).toBe('SUCCEEDED');
    } finally {
      await one.shutdown();
    }
  });

  it('refuses to start the same run twice while it is active', async () => {
    const runId = await queuedRun(store);
    const { work } = syntheticWork({ steps: 5, stepMs: 10 });
    jobs.start(runId, work);
    expect(() => jobs.start(runId, work)).toThrow(JobAlreadyStartedError);
    await jobs.settled(runId);
  });

  it('cancels a QUEUED run that no job holds yet; a later start does not execute it', async () => {
    const runId = await queuedRun(store);
    expect(await jobs.cancel(runId)).toBe(true);
    expect((await store.getRun(runId))!.status).toBe('CANCELLED');
    let ran = false;
    jobs.start(runId, async () => {
      ran = true;
    });
    await jobs.settled(runId);
    expect(ran).toBe(false);
    expect((await store.getRun(runId))!.status).toBe('CANCELLED');
  });

  it('throttles progress: the first report at once, then at most one store write and event per interval, the last one kept', async () => {
    const interval = 200;
    const throttled = new JobsService(store, { progressIntervalMs: interval });
    const runId = await queuedRun(store);
    const writes: { at: number; value: unknown }[] = [];
    const spy = jest.spyOn(store, 'updateProgress');
    const events: RunEvent[] = [];
    const stream = await throttled.subscribe(runId);
    const reading = (async () => {
      for await (const e of stream) events.push(e);
    })();
    try {
      const started = Date.now();
      throttled.start(runId, async (ctx) => {
        for (let i = 1; i <= 250; i++) {
          ctx.progress({ oracleCalls: i, budget: 250, bestScore: i === 1 ? Number.NaN : i / 250 });
          await sleep(4); // ~1 s of reports every 4 ms
        }
        return null;
      });
      await throttled.settled(runId);
      const elapsed = Date.now() - started;
      for (const call of spy.mock.calls) if (call[0] === runId) writes.push({ at: (call[2] as Date).getTime(), value: call[1] });
      const maxWrites = Math.ceil(elapsed / interval) + 2;
      expect(writes.length).toBeGreaterThanOrEqual(3);
      expect(writes.length).toBeLessThanOrEqual(maxWrites);
      expect(writes[0].value).toEqual({ oracleCalls: 1, budget: 250, bestScore: null }); // leading edge; NaN -> null
      // Throttled writes are an interval apart; only the last one (written when the work returns) may come sooner.
      for (let i = 1; i < writes.length - 1; i++) expect(writes[i].at - writes[i - 1].at).toBeGreaterThanOrEqual(interval - 5);
      expect(writes[writes.length - 1].value).toEqual({ oracleCalls: 250, budget: 250, bestScore: 1 });
      expect((await store.getRun(runId))!.progress).toEqual({ oracleCalls: 250, budget: 250, bestScore: 1 });
      await reading;
      const progressEvents = events.filter((e) => !e.final && e.progress !== null);
      expect(progressEvents.length).toBe(writes.length); // one event per write
      expect(events[events.length - 1]).toMatchObject({ status: 'SUCCEEDED', final: true });
    } finally {
      spy.mockRestore();
      await throttled.shutdown();
    }
  });

  it('subscribe: the stored state first, then progress events, then one final event; the stream ends', async () => {
    const runId = await queuedRun(store);
    const stream = await jobs.subscribe(runId);
    const events: RunEvent[] = [];
    const reading = (async () => {
      for await (const e of stream) events.push(e);
    })();
    const { work } = syntheticWork({ steps: 30, stepMs: 10 });
    jobs.start(runId, work);
    await jobs.settled(runId);
    await reading;
    expect(events[0]).toMatchObject({ runId, status: 'QUEUED', final: false });
    expect(events.some((e) => e.status === 'RUNNING' && e.progress !== null)).toBe(true);
    expect(events.filter((e) => e.final)).toHaveLength(1);
    expect(events[events.length - 1]).toMatchObject({ runId, status: 'SUCCEEDED', final: true, progress: { generation: 30 } });
    // A finished run: one final event, then done. An unknown run: NOT_FOUND.
    const again: RunEvent[] = [];
    for await (const e of await jobs.subscribe(runId)) again.push(e);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ status: 'SUCCEEDED', final: true });
    await expect(jobs.subscribe('no-such-run')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('subscribe: a consumer that leaves early (return) releases its subscription at once', async () => {
    const runId = await queuedRun(store);
    const stream = await jobs.subscribe(runId);
    const first = await stream.next();
    expect(first.value).toMatchObject({ status: 'QUEUED' });
    const pending = stream.next(); // nothing happens to the run: this read waits
    await stream.return!();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    await jobs.cancel(runId);
  });

  it('subscribe: a run finished outside the job runner (a synchronous mutation) is picked up by polling', async () => {
    const run = await store.createRun({ kind: 'SYNTHETIC', params: {}, modelVersion: 'test', seed: null });
    const stream = await jobs.subscribe(run.id);
    expect((await stream.next()).value).toMatchObject({ status: 'RUNNING', final: false });
    expect(await jobs.cancel(run.id)).toBe(false); // RUNNING without a job here: cannot be stopped
    await store.completeRun(run.id, { status: 'SUCCEEDED', stats: { ok: true } });
    const last = await stream.next();
    expect(last.value).toMatchObject({ status: 'SUCCEEDED', final: true });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('shutdown aborts running jobs and marks them INTERRUPTED; waiting ones too', async () => {
    const one = new JobsService(store, { maxConcurrent: 1, shutdownGraceMs: 2000 });
    const a = await queuedRun(store);
    const b = await queuedRun(store);
    const { work, state } = syntheticWork({ steps: 10_000, stepMs: 5 });
    one.start(a, work);
    one.start(b, async () => null);
    await waitFor(async () => state.stepsDone > 0, 5000, 'job a running');
    await one.shutdown();
    expect(state.seenAbort).toBe(true);
    expect((await store.getRun(a))!).toMatchObject({ status: 'INTERRUPTED', error: SHUTDOWN_MESSAGE });
    expect((await store.getRun(b))!).toMatchObject({ status: 'INTERRUPTED', error: SHUTDOWN_MESSAGE });
    expect(() => one.start(a, work)).toThrow(/shutting down/);
  });

  it('at start-up, runs left RUNNING/QUEUED by a previous process become INTERRUPTED; their candidates are kept', async () => {
    // A "previous process": runs left unfinished in the file, one with a stored candidate, then the store closes.
    const sub = new TestDatabases('jobs-restart');
    try {
      const url = await sub.url();
      const before = await StoreService.open({ databaseUrl: url });
      const running = await before.createRun({ kind: 'OPTIMIZE', params: {}, modelVersion: 'test', seed: 1 });
      await sleep(5); // distinct createdAt: runs are listed oldest first
      const queued = await before.createRun({ kind: 'OPTIMIZE', params: {}, modelVersion: 'test', seed: 2, status: 'QUEUED' });
      const finished = await before.createRun({ kind: 'OPTIMIZE', params: {}, modelVersion: 'test', seed: 3 });
      await before.completeRun(finished.id, { status: 'SUCCEEDED', stats: { n: 1 } });
      await before.addCandidates(running.id, [item(MOLECULES.aspirin, 0, { score: 0.5 })]);
      await before.updateProgress(running.id, { oracleCalls: 10, budget: 200 });
      await before.close();

      // The next process.
      const after = await StoreService.open({ databaseUrl: url });
      try {
        expect((await after.listRunsByStatus(['RUNNING', 'QUEUED'])).map((r) => r.id)).toEqual([running.id, queued.id]);
        const restarted = new JobsService(after);
        await restarted.onModuleInit();
        expect(await after.listRunsByStatus(['RUNNING', 'QUEUED'])).toEqual([]);
        const interrupted = await after.listRunsByStatus(['INTERRUPTED']);
        expect(interrupted.map((r) => r.id)).toEqual([running.id, queued.id]);
        for (const r of interrupted) {
          expect(r.error).toBe(RESTART_MESSAGE);
          expect(r.finishedAt).toBeInstanceOf(Date);
        }
        expect(interrupted[0].progress).toEqual({ oracleCalls: 10, budget: 200 }); // last progress kept
        expect((await after.getRun(finished.id))!.status).toBe('SUCCEEDED'); // finished runs untouched
        expect((await after.getRunCandidates(running.id)).map((l) => l.candidate.canonicalSmiles)).toEqual([MOLECULES.aspirin.canonicalSmiles]);
        // Idempotent: a second start-up finds nothing to mark.
        expect(await new JobsService(after).recoverInterrupted()).toEqual([]);
        await restarted.shutdown();
      } finally {
        await after.close();
      }
    } finally {
      await sub.cleanup();
    }
  });
});
