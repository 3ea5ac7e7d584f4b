/** Public surface of the job runner. */
export {
  JobsService, JOBS_OPTIONS, JobCancelledError, JobInterruptedError, JobAlreadyStartedError, RESTART_MESSAGE, SHUTDOWN_MESSAGE,
  CANCELLED_MESSAGE, WORKER_LOST_MESSAGE, type JobContext, type JobWork, type JobsOptions, type RunHandler,
} from './jobs.service';
export { RunQueue, startRunWorker, RUN_QUEUE_NAME, type RunQueueCounts } from './run-queue';
export { JobsModule } from './jobs.module';
export { type RunEvent } from './run-events';
