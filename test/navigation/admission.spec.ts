/** Admission control of the navigation operations: bounded concurrency, arrival order, bounded waiting line. */
import { LimitExceededError } from '../../src/common/errors';
import { Admission, admissionOptionsFromEnv } from '../../src/navigation/admission';

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}
const tick = () => new Promise((r) => setImmediate(r));

it('runs at most `concurrency` operations at once and starts the waiting ones in arrival order', async () => {
  const admission = new Admission({ concurrency: 2, maxWaiting: 10 });
  const gates = Array.from({ length: 5 }, deferred);
  const started: number[] = [];
  const done = gates.map((g, i) => admission.run(async () => {
    started.push(i);
    await g.promise;
    return i;
  }));
  await tick();
  expect(started).toEqual([0, 1]);
  expect(admission.load).toEqual({ running: 2, waiting: 3 });
  gates[1].resolve();
  await tick();
  expect(started).toEqual([0, 1, 2]);
  gates[0].reject(new Error('boom')); // a failing operation frees its slot too
  await expect(done[0]).rejects.toThrow('boom');
  await tick();
  expect(started).toEqual([0, 1, 2, 3]);
  for (const g of gates) g.resolve();
  expect(await Promise.all(done.slice(1))).toEqual([1, 2, 3, 4]);
  expect(admission.load).toEqual({ running: 0, waiting: 0 });
});

it('refuses an operation with LIMIT_EXCEEDED when the waiting line is full, and accepts again once it drains', async () => {
  const admission = new Admission({ concurrency: 1, maxWaiting: 1 });
  const gate = deferred();
  const first = admission.run(() => gate.promise);
  const second = admission.run(async () => 'second');
  await tick();
  await expect(admission.run(async () => 'third')).rejects.toBeInstanceOf(LimitExceededError);
  gate.resolve();
  await first;
  expect(await second).toBe('second');
  expect(await admission.run(async () => 'fourth')).toBe('fourth');
});

it('reads its settings from the environment and refuses bad values', () => {
  expect(admissionOptionsFromEnv({})).toEqual({ concurrency: 2, maxWaiting: 256 });
  expect(admissionOptionsFromEnv({ MOLNAV_NAVIGATION_CONCURRENCY: '4', MOLNAV_NAVIGATION_QUEUE: '0' })).toEqual({ concurrency: 4, maxWaiting: 0 });
  expect(() => admissionOptionsFromEnv({ MOLNAV_NAVIGATION_CONCURRENCY: '0' })).toThrow(/MOLNAV_NAVIGATION_CONCURRENCY/);
  expect(() => admissionOptionsFromEnv({ MOLNAV_NAVIGATION_QUEUE: 'many' })).toThrow(/MOLNAV_NAVIGATION_QUEUE/);
});
