/** Helpers of the job specs (not a spec file). */
import type { StoreService } from '../../src/store';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A QUEUED run of a synthetic kind, as a caller of JobsService.start creates it. */
export async function queuedRun(store: StoreService, params: unknown = {}): Promise<string> {
  const run = await store.createRun({ kind: 'SYNTHETIC', params, modelVersion: 'test', seed: 0, status: 'QUEUED' });
  return run.id;
}

/** Polls `check` every 20 ms until it returns a truthy value or `timeoutMs` passes (then throws). */
export async function waitFor<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * A synthetic job: `steps` steps of `stepMs`, each reporting progress; checks the abort signal between steps and
 * stops (returning its partial stats) when it is aborted. `seenAbort` records whether it saw the signal.
 */
export function syntheticWork(opts: { steps: number; stepMs: number }) {
  const state = { seenAbort: false, stepsDone: 0 };
  const work = async (ctx: { signal: AbortSignal; progress(p: Record<string, number | string | null>): void }) => {
    for (let i = 1; i <= opts.steps; i++) {
      if (ctx.signal.aborted) {
        state.seenAbort = true;
        break;
      }
      await sleep(opts.stepMs);
      state.stepsDone = i;
      ctx.progress({ generation: i, budget: opts.steps, bestScore: i / opts.steps, phase: 'search' });
    }
    return { stepsDone: state.stepsDone };
  };
  return { work, state };
}
