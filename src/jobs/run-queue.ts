/**
 * The distributed job queue (BullMQ on Redis), used when REDIS_URL is set.
 *
 * The API process only enqueues: a BullMQ job carries nothing but the run id (`jobId` = run id, so a run is queued at
 * most once); the run's kind and parameters are in the store, which stays the record of every run. Worker processes
 * (`npm run worker`, src/worker.ts) take jobs and execute the stored run with the handler registered for its kind
 * (JobsService.executeStored), writing progress, candidates and the outcome to the same store. Workers can sit on
 * GPU hosts: they load the model like the API does (MOLNAV_DEVICE).
 *
 * Failure semantics: a worker that dies stops renewing its BullMQ lock; after `lockDurationMs` BullMQ re-delivers the
 * job once (maxStalledCount 1), and the worker that receives it finds the run RUNNING and marks it INTERRUPTED (the
 * optimisation is not resumed; what it stored stays). Cancellation goes through the store (`cancelRequested`), which
 * the executing worker polls.
 */
import { Queue, Worker, type Job } from 'bullmq';

/** BullMQ queue name of molnav runs. */
export const RUN_QUEUE_NAME = 'molnav-runs';

/** Payload of a queued run: only its id (everything else is in the store). */
export interface RunJobData {
  runId: string;
}

/** Counts of the shared queue, for the job-queue-depth metric. */
export interface RunQueueCounts {
  waiting: number;
  active: number;
  delayed: number;
}

/** Producer side of the queue (API process). */
export class RunQueue {
  private readonly queue: Queue<RunJobData>;

  /**
   * @param redisUrl `redis://[user:password@]host:port[/db]`.
   */
  constructor(redisUrl: string) {
    // No offline queue: when Redis is down, `add` fails at once instead of hanging the request.
    this.queue = new Queue<RunJobData>(RUN_QUEUE_NAME, { connection: { url: redisUrl, enableOfflineQueue: false } });
    // Connection errors are reported by the calls that fail; without a listener they would be unhandled events.
    this.queue.on('error', () => undefined);
  }

  /**
   * Queues a stored run for a worker. Idempotent per run id.
   * @throws Error when Redis cannot be reached.
   */
  async add(runId: string, kind: string): Promise<void> {
    await this.queue.add(kind, { runId }, { jobId: runId, attempts: 1, removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } });
  }

  /** Jobs waiting, executing and delayed in the shared queue (all workers). */
  async counts(): Promise<RunQueueCounts> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'delayed');
    return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0 };
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export interface RunWorkerOptions {
  redisUrl: string;
  /** Runs executed at once by this worker process. */
  concurrency: number;
  /** BullMQ lock duration, ms: a dead worker's run is re-delivered (and marked INTERRUPTED) after about this long. */
  lockDurationMs?: number;
}

/**
 * Consumer side (worker process): takes queued runs and hands each to `execute` (JobsService.executeStored), which
 * resolves when the run has finished in the store.
 */
export function startRunWorker(execute: (runId: string) => Promise<string>, options: RunWorkerOptions): Worker<RunJobData> {
  const worker = new Worker<RunJobData>(
    RUN_QUEUE_NAME,
    async (job: Job<RunJobData>) => ({ status: await execute(job.data.runId) }),
    {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs ?? 30_000,
      // Check for stalled jobs (dead workers) as often as a lock can expire.
      stalledInterval: options.lockDurationMs ?? 30_000,
      maxStalledCount: 1,
    },
  );
  return worker;
}
