/**
 * End to end: background jobs through the real app (AppModule) listening on a random port. A synthetic job is started
 * through the app's JobsService; its progress is followed with a graphql-ws client over ws:// (runProgress), its run
 * read back with run(id), and another one cancelled with cancelRun.
 */
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { mkdtempSync, rmSync } from 'fs';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import WebSocket from 'ws';
import { AppModule } from '../../src/app.module';
import { JobsService, type JobContext } from '../../src/jobs';
import { validationPipe } from '../../src/main';
import { StoreService } from '../../src/store';
import { graphqlClient } from './graphql-client';
import { TestDatabases } from '../db';

/** Fresh databases of this file: SQLite files, or PostgreSQL databases under MOLNAV_TEST_POSTGRES_URL. */
const dbs = new TestDatabases('e2e-jobs');
afterAll(() => dbs.cleanup());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const RUN_PROGRESS = `subscription($id: ID!) {
  runProgress(id: $id) { runId status progress progressAt cancelRequested error startedAt finishedAt final }
}`;
const RUN = `query($id: ID!) {
  run(id: $id) { id kind status progress progressAt cancelRequested error stats createdAt startedAt finishedAt durationMs }
}`;
const CANCEL = `mutation($id: ID!) { cancelRun(id: $id) { id status cancelRequested error stats finishedAt } }`;

/** A synthetic job: `steps` steps of `stepMs`, reporting progress; stops when its signal is aborted. */
function synthetic(steps: number, stepMs: number) {
  return async (ctx: JobContext) => {
    let done = 0;
    for (let i = 1; i <= steps && !ctx.signal.aborted; i++) {
      await sleep(stepMs);
      done = i;
      ctx.progress({ oracleCalls: i, budget: steps, bestScore: i / steps, generation: i });
    }
    return { stepsDone: done };
  };
}

describe('background jobs (e2e: graphql-ws subscription, run(id), cancelRun)', () => {
  let app: INestApplication;
  let dir: string;
  let wsUrl: string;
  let ws: Client;
  let jobs: JobsService;
  let store: StoreService;
  const { gql, errorCode } = graphqlClient(() => app);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'molnav-jobs-e2e-'));
    process.env.DATABASE_URL = await dbs.url('e2e');
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    app.useGlobalPipes(validationPipe());
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    wsUrl = `ws://127.0.0.1:${port}/graphql`;
    ws = createClient({ url: wsUrl, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
    jobs = app.get(JobsService);
    store = app.get(StoreService);
  });

  afterAll(async () => {
    await ws?.dispose();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
    delete process.env.DATABASE_URL;
  });

  async function queuedRun(): Promise<string> {
    return (await store.createRun({ kind: 'SYNTHETIC', params: { e2e: true }, modelVersion: 'test', seed: 0, status: 'QUEUED' })).id;
  }

  /** All results of one subscription until the server completes it (or `timeoutMs`). */
  async function collect(id: string, onFirst?: () => void, timeoutMs = 20_000): Promise<FormattedExecutionResult<{ runProgress: any }, unknown>[]> {
    const results: FormattedExecutionResult<{ runProgress: any }, unknown>[] = [];
    const it = ws.iterate<{ runProgress: any }>({ query: RUN_PROGRESS, variables: { id } });
    const timer = setTimeout(() => void it.return?.(), timeoutMs);
    try {
      for await (const r of it) {
        results.push(r);
        if (results.length === 1) onFirst?.();
      }
    } finally {
      clearTimeout(timer);
    }
    return results;
  }

  it('streams progress and a final event over ws://, and run(id) shows status, progress and timestamps', async () => {
    const id = await queuedRun();
    const results = await collect(id, () => jobs.start(id, synthetic(12, 60)));
    expect(results.every((r) => r.errors === undefined)).toBe(true);
    const events = results.map((r) => r.data!.runProgress);
    expect(events[0]).toMatchObject({ runId: id, status: 'QUEUED', final: false });
    const progress = events.filter((e) => e.status === 'RUNNING' && e.progress !== null);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(progress[0].progress)).toMatchObject({ budget: 12 });
    const last = events[events.length - 1];
    expect(last).toMatchObject({ runId: id, status: 'SUCCEEDED', final: true, error: null });
    expect(JSON.parse(last.progress)).toEqual({ oracleCalls: 12, budget: 12, bestScore: 1, generation: 12 });
    expect(events.filter((e) => e.final)).toHaveLength(1);

    // run(id), polled until the run is finished (it already is: the final event is sent after the store write).
    let run: any;
    for (let i = 0; i < 100; i++) {
      run = (await gql(RUN, { id })).data.run;
      if (run.status !== 'QUEUED' && run.status !== 'RUNNING') break;
      await sleep(50);
    }
    expect(run).toMatchObject({ id, kind: 'SYNTHETIC', status: 'SUCCEEDED', cancelRequested: false, error: null });
    expect(JSON.parse(run.stats)).toEqual({ stepsDone: 12 });
    expect(JSON.parse(run.progress)).toEqual({ oracleCalls: 12, budget: 12, bestScore: 1, generation: 12 });
    for (const f of ['createdAt', 'startedAt', 'finishedAt', 'progressAt']) expect(Number.isNaN(Date.parse(run[f]))).toBe(false);
    expect(run.durationMs).toBeGreaterThanOrEqual(600);
  });

  it('run(id) shows a running job with its latest progress', async () => {
    const id = await queuedRun();
    jobs.start(id, synthetic(400, 10));
    let run: any;
    for (let i = 0; i < 200; i++) {
      run = (await gql(RUN, { id })).data.run;
      if (run.status === 'RUNNING' && run.progress) break;
      await sleep(25);
    }
    expect(run.status).toBe('RUNNING');
    expect(JSON.parse(run.progress).budget).toBe(400);
    expect(run.finishedAt).toBeNull();
    await gql(CANCEL, { id });
    await jobs.settled(id);
  });

  it('cancelRun stops a running job: CANCELLED, and the subscription ends with that status', async () => {
    const id = await queuedRun();
    jobs.start(id, synthetic(10_000, 10));
    const streamed = collect(id);
    let running: any;
    for (let i = 0; i < 200; i++) {
      running = (await gql(RUN, { id })).data.run;
      if (running.status === 'RUNNING' && running.progress) break;
      await sleep(25);
    }
    expect(running.status).toBe('RUNNING');
    const body = await gql(CANCEL, { id });
    expect(body.errors).toBeUndefined();
    expect(body.data.cancelRun).toMatchObject({ id, status: 'CANCELLED', cancelRequested: true, error: 'cancelled by request' });
    expect(JSON.parse(body.data.cancelRun.stats).stepsDone).toBeLessThan(10_000);
    const events = (await streamed).map((r) => r.data!.runProgress);
    expect(events[events.length - 1]).toMatchObject({ status: 'CANCELLED', final: true, cancelRequested: true });
    expect((await gql(RUN, { id })).data.run.status).toBe('CANCELLED');
    // Cancelling a finished run returns it unchanged.
    expect((await gql(CANCEL, { id })).data.cancelRun.status).toBe('CANCELLED');
  });

  it('answers unknown run ids with NOT_FOUND: cancelRun over HTTP and runProgress over graphql-ws', async () => {
    expect(await errorCode(CANCEL, { id: 'no-such-run' })).toBe('NOT_FOUND');
    const results = await collect('no-such-run');
    expect(results).toHaveLength(1);
    expect(results[0].errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(results[0].errors?.[0].message).toMatch(/no-such-run/);
  });
});
