/**
 * Run events: what the `runProgress` subscription pushes, and the async iterator that carries them to graphql-ws.
 */
import { isTerminalRunStatus, type RunProgressValue, type RunRecord, type RunStatus } from '../store/types';

/** A run's state at one moment: pushed on start, on each (throttled) progress write, on cancel, and once at the end. */
export interface RunEvent {
  runId: string;
  status: RunStatus;
  progress: RunProgressValue | null;
  progressAt: Date | null;
  cancelRequested: boolean;
  /** Error message (FAILED) or reason (CANCELLED, INTERRUPTED). */
  error: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** True for the last event of a run (terminal status); the stream completes after it. */
  final: boolean;
}

/** The event describing a stored run as it is now. */
export function runEventFromRecord(run: RunRecord): RunEvent {
  return {
    runId: run.id,
    status: run.status,
    progress: run.progress,
    progressAt: run.progressAt,
    cancelRequested: run.cancelRequested,
    error: run.error,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    final: isTerminalRunStatus(run.status),
  };
}

/**
 * A push-based async iterator of run events. `push` never blocks (events are queued until read); the iterator ends
 * after it has handed out a `final` event, or when the consumer calls `return()` (graphql-ws does when the client
 * unsubscribes or disconnects): pending reads then resolve `done` at once, and `onClose` runs exactly once.
 *
 * Not an async generator on purpose: a generator suspended in `await` cannot be returned until its pending promise
 * settles, which would leak the subscription of a client that leaves while its run is quiet.
 */
export class RunEventStream implements AsyncIterableIterator<RunEvent> {
  private readonly queue: RunEvent[] = [];
  private readonly readers: ((r: IteratorResult<RunEvent>) => void)[] = [];
  private closed = false;
  private finalSeen = false;

  constructor(private readonly onClose: () => void) {}

  /** True once a final event was pushed. */
  get ended(): boolean {
    return this.finalSeen || this.closed;
  }

  push(event: RunEvent): void {
    if (this.ended) return;
    if (event.final) this.finalSeen = true;
    const reader = this.readers.shift();
    if (reader) {
      reader({ value: event, done: false });
      if (event.final) this.close();
    } else {
      this.queue.push(event);
    }
  }

  next(): Promise<IteratorResult<RunEvent>> {
    const event = this.queue.shift();
    if (event) {
      if (event.final) this.close();
      return Promise.resolve({ value: event, done: false });
    }
    if (this.closed || this.finalSeen) {
      this.close();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => this.readers.push(resolve));
  }

  return(): Promise<IteratorResult<RunEvent>> {
    this.queue.length = 0;
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<RunEvent>> {
    this.queue.length = 0;
    this.close();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const reader of this.readers.splice(0)) reader({ value: undefined, done: true });
    this.onClose();
  }
}
