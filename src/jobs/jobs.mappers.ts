import type { RunEvent } from './run-events';
import { RunProgress } from './models/run-progress.model';

/** GraphQL RunProgress from a run event (domain record); progress is serialised as JSON like Run.stats. */
export function toRunProgress(e: RunEvent): RunProgress {
  return {
    runId: e.runId, status: e.status, progress: e.progress === null ? null : JSON.stringify(e.progress), progressAt: e.progressAt,
    cancelRequested: e.cancelRequested, error: e.error, startedAt: e.startedAt, finishedAt: e.finishedAt, final: e.final,
  };
}
