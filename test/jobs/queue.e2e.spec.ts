/**
 * Distributed runs: the API process (REDIS_URL set) only queues; `npm run worker` processes (src/worker.ts) execute
 * the runs from the BullMQ queue against the same database. Needs a Redis server: MOLNAV_TEST_REDIS_URL (.ci/run
 * starts one with apt); without it the suite is skipped.
 */
import { Redis } from 'ioredis';
import { TestDatabases } from '../db';
import { freePort, httpGql, startNode, waitFor, type NodeProcess } from '../processes';

const redisBase = process.env.MOLNAV_TEST_REDIS_URL ?? null;
if (!redisBase && process.env.MOLNAV_REQUIRE_SERVICES === '1') {
  throw new Error('MOLNAV_REQUIRE_SERVICES=1 but MOLNAV_TEST_REDIS_URL is not set (.ci/run starts Redis with scripts/ci-services.sh)');
}
const RUN = `query($id: ID!) { run(id: $id) { id status error progress cancelRequested candidates { position score } } }`;
const START = (budget: number, seed: number) =>
  `mutation { startOptimization(input: { objective: { kind: QED }, budget: ${budget}, topK: 5, randomSeed: ${seed} }) { runId status } }`;

(redisBase ? describe : describe.skip)('BullMQ queue with separate worker processes (MOLNAV_TEST_REDIS_URL)', () => {
  const dbs = new TestDatabases('queue');
  const procs: NodeProcess[] = [];
  let env: Record<string, string>;
  let port: number;

  async function run(id: string) {
    return (await httpGql(port, RUN, { id })).data.run;
  }

  function worker(): NodeProcess {
    const p = startNode('worker.ts', { ...env, MOLNAV_WORKER_LOCK_MS: '2000' });
    procs.push(p);
    return p;
  }

  beforeAll(async () => {
    // A Redis database of its own, emptied: no job of an earlier test run is left in the queue.
    const url = new URL(redisBase as string);
    url.pathname = '/7';
    const redis = new Redis(url.toString());
    await redis.flushdb();
    redis.disconnect();
    env = { DATABASE_URL: await dbs.url('queue'), REDIS_URL: url.toString(), MOLNAV_SCORING_WORKERS: '1', NODE_ENV: 'test', LOG_LEVEL: 'warn' };
    port = await freePort();
    const api = startNode('main.ts', { ...env, PORT: String(port), HOST: '127.0.0.1' });
    procs.push(api);
    await waitFor('the API to answer /health/live', async () => {
      if (api.child.exitCode !== null) throw new Error(`API exited: ${api.output().slice(-2000)}`);
      return fetch(`http://127.0.0.1:${port}/health/live`).then((r) => r.ok, () => false);
    }, 120_000);
  }, 150_000);

  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    await dbs.cleanup();
  });

  it('the API only queues; a worker process executes the run and stores its top-K', async () => {
    const started = await httpGql(port, START(60, 1));
    expect(started.errors).toBeUndefined();
    const id = started.data.startOptimization.runId;
    // No worker yet: the run waits in the queue, the API does not execute it.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await run(id)).status).toBe('QUEUED');

    worker();
    const done = await waitFor('the worker to finish the run', async () => {
      const r = await run(id);
      return ['SUCCEEDED', 'FAILED', 'INTERRUPTED'].includes(r.status) ? r : undefined;
    }, 150_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.candidates.length).toBeGreaterThan(0);
    expect(done.candidates.length).toBeLessThanOrEqual(5);
    expect(JSON.parse(done.progress).budget).toBe(60);
  }, 200_000);

  it('cancelRun from the API stops a run a worker is executing', async () => {
    const id = (await httpGql(port, START(10000, 2))).data.startOptimization.runId;
    await waitFor('progress', async () => {
      const r = await run(id);
      return r.status === 'RUNNING' && r.progress !== null ? r : undefined;
    }, 60_000);
    const cancelled = await httpGql(port, `mutation($id: ID!) { cancelRun(id: $id) { status cancelRequested } }`, { id });
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data.cancelRun.cancelRequested).toBe(true);
    const r = await waitFor('the run to stop', async () => {
      const x = await run(id);
      return x.status !== 'RUNNING' ? x : undefined;
    }, 30_000);
    expect(r.status).toBe('CANCELLED');
    expect(JSON.parse(r.progress).oracleCalls).toBeLessThan(10000);
  }, 120_000);

  it('a run whose worker is killed is marked INTERRUPTED by the next worker; that worker goes on with the queue', async () => {
    const id = (await httpGql(port, START(10000, 3))).data.startOptimization.runId;
    await waitFor('progress', async () => {
      const r = await run(id);
      return r.status === 'RUNNING' && r.progress !== null ? r : undefined;
    }, 60_000);
    for (const p of procs.slice(1)) await p.kill('SIGKILL'); // every worker
    const queued = (await httpGql(port, START(40, 4))).data.startOptimization.runId;
    worker();
    const lost = await waitFor('the killed run to be marked', async () => {
      const r = await run(id);
      return r.status !== 'RUNNING' ? r : undefined;
    }, 120_000);
    expect(lost.status).toBe('INTERRUPTED');
    expect(lost.error).toMatch(/worker executing the run stopped/);
    const next = await waitFor('the queued run to finish', async () => {
      const r = await run(queued);
      return ['SUCCEEDED', 'FAILED', 'INTERRUPTED'].includes(r.status) ? r : undefined;
    }, 120_000);
    expect(next.status).toBe('SUCCEEDED');
  }, 300_000);
});
