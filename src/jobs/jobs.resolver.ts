import { Args, ID, Mutation, Resolver, Subscription } from '@nestjs/graphql';
import { toRun } from '../candidates/candidates.mappers';
import { Run } from '../candidates/models/candidate.models';
import { NotFoundError } from '../common/errors';
import { StoreService } from '../store/store.service';
import { toRunProgress } from './jobs.mappers';
import { JobsService } from './jobs.service';
import { RunProgress } from './models/run-progress.model';
import type { RunEvent } from './run-events';

/** How long cancelRun waits for the job to stop before answering with the run as it is then. */
export const CANCEL_WAIT_MS = 2000;

/** Background runs: cancellation and live progress (graphql-ws subscription). */
@Resolver()
export class JobsResolver {
  constructor(
    private readonly jobs: JobsService,
    private readonly store: StoreService,
  ) {}

  @Mutation(() => Run, {
    description:
      'Cancel a background run: its job sees the cancellation between steps and the run ends CANCELLED (candidates it ' +
      'stored are kept); a QUEUED run ends CANCELLED at once. Waits up to 2 s for the job to stop and returns the run ' +
      '(status RUNNING with cancelRequested while it is still stopping). A finished run is returned unchanged, as is a ' +
      'run of a synchronous mutation, which cannot be cancelled. Errors: NOT_FOUND.',
  })
  async cancelRun(@Args('id', { type: () => ID }) id: string): Promise<Run> {
    if (await this.jobs.cancel(id)) await this.jobs.settled(id, CANCEL_WAIT_MS);
    const run = await this.store.getRun(id);
    if (!run) throw new NotFoundError('run', id);
    return toRun(run);
  }

  @Subscription(() => RunProgress, {
    description:
      'Live state of a run over graphql-ws: the run as stored now, then every progress write (at most every ~500 ms) and ' +
      'state change, and a final event (final: true) with the terminal status, after which the subscription completes. ' +
      'Errors: NOT_FOUND.',
    resolve: (event: RunEvent) => toRunProgress(event),
  })
  runProgress(@Args('id', { type: () => ID }) id: string): Promise<AsyncIterableIterator<RunEvent>> {
    return this.jobs.subscribe(id);
  }
}
