/** Public surface of the job runner. */
export {
  JobsService, JOBS_OPTIONS, JobCancelledError, JobInterruptedError, JobAlreadyStartedError, RESTART_MESSAGE, SHUTDOWN_MESSAGE,
  CANCELLED_MESSAGE, type JobContext, type JobWork, type JobsOptions,
} from './jobs.service';
export { JobsModule } from './jobs.module';
export { type RunEvent } from './run-events';
