/**
 * Durability of the real service process: it is killed (SIGKILL: no shutdown hook runs) during a background
 * optimisation and started again on the same database. Nothing stored is lost or stored twice, and the run says what
 * happened (INTERRUPTED, with the progress it had reached).
 */
import { TestDatabases } from '../db';
import { freePort, httpGql, startNode, waitFor, type NodeProcess } from '../processes';

const dbs = new TestDatabases('e2e-kill');
let service: NodeProcess | null = null;

afterAll(async () => {
  await service?.kill();
  await dbs.cleanup();
});

const RUN = `query($id: ID!) { run(id: $id) { id status error progress candidates { position candidate { canonicalSmiles } } } }`;
const CANDIDATES = `{ candidates(first: 200, orderBy: CREATED_AT) { totalCount edges { node { id canonicalSmiles } } } }`;

async function start(env: Record<string, string>, port: number): Promise<NodeProcess> {
  const p = startNode('main.ts', { ...env, PORT: String(port), HOST: '127.0.0.1' });
  await waitFor(
    'the service to answer /health/live',
    async () => {
      if (p.child.exitCode !== null) throw new Error(`service exited (${p.child.exitCode}): ${p.output().slice(-2000)}`);
      try {
        return (await fetch(`http://127.0.0.1:${port}/health/live`)).ok;
      } catch {
        return false;
      }
    },
    120_000,
  );
  return p;
}

it('killing the service during an optimisation loses no stored candidate; after a restart the run is INTERRUPTED with its progress', async () => {
  const env = { DATABASE_URL: await dbs.url('kill'), MOLNAV_SCORING_WORKERS: '1', NODE_ENV: 'test', LOG_LEVEL: 'warn' };
  const port = await freePort();
  service = await start(env, port);

  // Candidates stored before the kill: an interpolation between two approved drugs.
  const path = await httpGql(port, `mutation { interpolate(input: { from: "aspirin", to: "ibuprofen", steps: 6 }) { runId } }`);
  expect(path.errors).toBeUndefined();
  const before = (await httpGql(port, CANDIDATES)).data.candidates;
  expect(before.totalCount).toBeGreaterThan(1);

  // A long background optimisation, killed once it has reported progress.
  const started = await httpGql(port, `mutation { startOptimization(input: { objective: { kind: QED }, budget: 10000, randomSeed: 5 }) { runId } }`);
  expect(started.errors).toBeUndefined();
  const runId: string = started.data.startOptimization.runId;
  const running = await waitFor('progress of the run', async () => {
    const r = (await httpGql(port, RUN, { id: runId })).data.run;
    return r.status === 'RUNNING' && r.progress !== null && JSON.parse(r.progress).oracleCalls > 0 ? r : undefined;
  });
  await service.kill('SIGKILL');
  expect(service.child.signalCode).toBe('SIGKILL');

  service = await start(env, port);
  const after = (await httpGql(port, RUN, { id: runId })).data.run;
  expect(after.status).toBe('INTERRUPTED');
  expect(after.error).toMatch(/restarted during the run/);
  // The progress written before the kill is kept: what the run had reached.
  expect(JSON.parse(after.progress).oracleCalls).toBeGreaterThanOrEqual(JSON.parse(running.progress).oracleCalls);
  const stored = (await httpGql(port, CANDIDATES)).data.candidates;
  expect(stored.totalCount).toBe(before.totalCount + after.candidates.length);
  const ids = stored.edges.map((e: { node: { id: string } }) => e.node.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const e of before.edges) expect(stored.edges).toContainEqual(e);

  // The restarted service works: the same optimisation, small, runs to completion.
  const again = await httpGql(port, `mutation { startOptimization(input: { objective: { kind: QED }, budget: 60, randomSeed: 5 }) { runId } }`);
  const done = await waitFor('the new run to finish', async () => {
    const r = (await httpGql(port, RUN, { id: again.data.startOptimization.runId })).data.run;
    return ['SUCCEEDED', 'FAILED'].includes(r.status) ? r : undefined;
  });
  expect(done.status).toBe('SUCCEEDED');
  expect(done.candidates.length).toBeGreaterThan(0);
}, 300_000);
