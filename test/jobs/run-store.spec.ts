/**
 * The store's job fields and methods (migration 20261121181305_run_jobs): QUEUED runs, markRunStarted, updateProgress,
 * requestCancel, CANCELLED/INTERRUPTED completion, markInterrupted and listRunsByStatus.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidStateError, NotFoundError, StoreService, StoreValidationError } from '../../src/store';
import { migrateSqlite } from '../../src/store/migrate';
import { TestDatabases } from '../db';
import { fileUrl, item, makeTempDir, MOLECULES } from '../store/helpers';

const MIGRATIONS = path.join(__dirname, '..', '..', 'prisma', 'migrations');

describe('store: job fields of runs', () => {
  const dbs = new TestDatabases('run-store');
  let store: StoreService;

  beforeAll(async () => {
    store = await StoreService.open({ databaseUrl: await dbs.url() });
  });

  afterAll(async () => {
    await store.close();
    await dbs.cleanup();
  });

  const queued = () => store.createRun({ kind: 'OPTIMIZE', params: { budget: 10 }, modelVersion: 'v', seed: 1, status: 'QUEUED' });

  it('creates QUEUED runs without startedAt; markRunStarted moves them to RUNNING once', async () => {
    const run = await queued();
    expect(run).toMatchObject({ status: 'QUEUED', startedAt: null, finishedAt: null, progress: null, progressAt: null, cancelRequested: false });
    const started = await store.markRunStarted(run.id);
    expect(started.status).toBe('RUNNING');
    expect(started.startedAt).toBeInstanceOf(Date);
    expect(await store.markRunStarted(run.id)).toEqual(started); // already RUNNING: unchanged
    await store.completeRun(run.id, { status: 'SUCCEEDED' });
    await expect(store.markRunStarted(run.id)).rejects.toBeInstanceOf(InvalidStateError);
    await expect(store.markRunStarted('nope')).rejects.toBeInstanceOf(NotFoundError);
    // The default is still RUNNING with startedAt = createdAt (synchronous runs).
    const sync = await store.createRun({ kind: 'OPTIMIZE', params: {}, modelVersion: 'v', seed: null });
    expect(sync.status).toBe('RUNNING');
    expect(sync.startedAt).toEqual(sync.createdAt);
    await expect(store.createRun({ kind: 'OPTIMIZE', params: {}, modelVersion: 'v', seed: null, status: 'SUCCEEDED' as never })).rejects.toBeInstanceOf(
      StoreValidationError,
    );
    await store.completeRun(sync.id, { status: 'SUCCEEDED' });
  });

  it('updateProgress replaces the progress of an unfinished run and refuses bad values', async () => {
    const run = await queued();
    const at = new Date('2026-01-02T03:04:05.678Z');
    expect(await store.updateProgress(run.id, { oracleCalls: 5, budget: 10, bestScore: null, phase: 'search' }, at)).toBe(true);
    expect(await store.getRun(run.id)).toMatchObject({ progress: { oracleCalls: 5, budget: 10, bestScore: null, phase: 'search' }, progressAt: at });
    expect(await store.updateProgress(run.id, { oracleCalls: 6 })).toBe(true);
    expect((await store.getRun(run.id))!.progress).toEqual({ oracleCalls: 6 });
    for (const bad of [{ x: Number.NaN }, { x: Infinity }, { x: true }, { x: { y: 1 } }, [1, 2], null, Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i])), { s: 'x'.repeat(9000) }]) {
      await expect(store.updateProgress(run.id, bad as never)).rejects.toBeInstanceOf(StoreValidationError);
    }
    await expect(store.updateProgress('nope', { a: 1 })).rejects.toBeInstanceOf(NotFoundError);
    await store.completeRun(run.id, { status: 'FAILED', error: 'x' });
    expect(await store.updateProgress(run.id, { oracleCalls: 7 })).toBe(false); // finished: nothing written
    expect((await store.getRun(run.id))!.progress).toEqual({ oracleCalls: 6 });
  });

  it('requestCancel flags unfinished runs only; completeRun accepts CANCELLED and INTERRUPTED with a reason', async () => {
    const run = await queued();
    expect((await store.requestCancel(run.id)).cancelRequested).toBe(true);
    const done = await store.completeRun(run.id, { status: 'CANCELLED', error: 'cancelled by request', stats: { partial: true } });
    expect(done).toMatchObject({ status: 'CANCELLED', error: 'cancelled by request', stats: { partial: true }, cancelRequested: true });
    await expect(store.completeRun(run.id, { status: 'SUCCEEDED' })).rejects.toBeInstanceOf(InvalidStateError);

    const finished = await queued();
    await store.completeRun(finished.id, { status: 'SUCCEEDED' });
    expect((await store.requestCancel(finished.id)).cancelRequested).toBe(false); // finished runs are left alone
    await expect(store.requestCancel('nope')).rejects.toBeInstanceOf(NotFoundError);

    const stopped = await queued();
    expect(await store.completeRun(stopped.id, { status: 'INTERRUPTED', error: 'stopped' })).toMatchObject({ status: 'INTERRUPTED', error: 'stopped' });
    await expect(store.completeRun(stopped.id, { status: 'PENDING' as never })).rejects.toBeInstanceOf(StoreValidationError);
  });

  it('markInterrupted finishes every PENDING/QUEUED/RUNNING run with the message; listRunsByStatus lists by status, oldest first', async () => {
    await store.markInterrupted('clean slate');
    const a = await store.createRun({ kind: 'TRAVERSE', params: {}, modelVersion: 'v', seed: null });
    await new Promise((resolve) => setTimeout(resolve, 5)); // distinct createdAt: the order below is by time
    const b = await queued();
    await store.addCandidates(a.id, [item(MOLECULES.benzene, 0)]);
    expect((await store.listRunsByStatus(['RUNNING', 'QUEUED'])).map((r) => r.id)).toEqual([a.id, b.id]);
    expect((await store.listRunsByStatus(['QUEUED'])).map((r) => r.id)).toEqual([b.id]);
    expect(await store.listRunsByStatus(['RUNNING', 'QUEUED'], { limit: 1 })).toHaveLength(1);
    await expect(store.listRunsByStatus([])).rejects.toBeInstanceOf(StoreValidationError);
    await expect(store.listRunsByStatus(['DONE' as never])).rejects.toBeInstanceOf(StoreValidationError);
    await expect(store.listRunsByStatus(['RUNNING'], { limit: 0 })).rejects.toBeInstanceOf(StoreValidationError);

    const marked = await store.markInterrupted('service restarted');
    expect(marked.map((r) => r.id)).toEqual([a.id, b.id]);
    for (const r of marked) {
      expect(r).toMatchObject({ status: 'INTERRUPTED', error: 'service restarted' });
      expect(r.finishedAt).toBeInstanceOf(Date);
      expect(r.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(await store.getRunCandidates(a.id)).toHaveLength(1);
    expect(await store.markInterrupted('again')).toEqual([]);
    // listRuns filters by the new statuses too.
    expect((await store.listRuns({ status: 'INTERRUPTED', first: 10 })).items.map((r) => r.id).slice(0, 2)).toEqual([b.id, a.id]);
  });

  it('the migration keeps the runs and links of a database created before it', async () => {
    const sub = makeTempDir('run-store-migrate');
    try {
      const initOnly = path.join(sub.dir, 'migrations');
      fs.mkdirSync(initOnly);
      fs.copyFileSync(path.join(MIGRATIONS, 'migration_lock.toml'), path.join(initOnly, 'migration_lock.toml'));
      const first = fs.readdirSync(MIGRATIONS).filter((n) => /^\d+_/.test(n)).sort()[0];
      fs.cpSync(path.join(MIGRATIONS, first), path.join(initOnly, first), { recursive: true });
      const url = fileUrl(sub.dir);
      const file = path.join(sub.dir, 'store.db');
      // A database of the previous version: only the init migration, rows written with its columns.
      migrateSqlite(file, initOnly);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const Database = require('better-sqlite3') as new (f: string) => { exec(sql: string): void; close(): void };
      const db = new Database(file);
      db.exec(`INSERT INTO "Run" (id, kind, paramsJson, modelVersion, seed, status, statsJson, startedAt, finishedAt, durationMs)
               VALUES ('old-run', 'INTERPOLATE', '{"steps":2}', 'v', 3, 'SUCCEEDED', '{"n":2}', 1700000000000, 1700000001000, 1000),
                      ('old-running', 'OPTIMIZE', '{}', 'v', NULL, 'RUNNING', NULL, 1700000000000, NULL, NULL)`);
      db.exec(`INSERT INTO "Candidate" (id, canonicalSmiles, mw, clogp, tpsa, hbd, hba, rotatableBonds, heavyAtoms, aromaticRings, qed, sa, plogp)
               VALUES (1, 'CCO', 46.07, 0, 20.23, 1, 1, 0, 3, 0, 0.41, 1.98, -1.98), (2, 'c1ccccc1', 78.11, 1.69, 0, 0, 0, 0, 6, 1, 0.44, 1, 0.69)`);
      db.exec(`INSERT INTO "RunCandidate" (runId, candidateId, position) VALUES ('old-run', 1, 0), ('old-run', 2, 1)`);
      db.close();
      const run = { id: 'old-run' };

      const current = await StoreService.open({ databaseUrl: url });
      try {
        const after = (await current.getRun(run.id))!;
        expect(after).toMatchObject({ status: 'SUCCEEDED', stats: { n: 2 }, progress: null, progressAt: null, cancelRequested: false });
        expect((await current.getRunCandidates(run.id)).map((l) => l.position)).toEqual([0, 1]);
        expect((await current.listRunsByStatus(['RUNNING'])).map((r) => r.id)).toEqual(['old-running']);
      } finally {
        await current.close();
      }
    } finally {
      sub.cleanup();
    }
  });
});
