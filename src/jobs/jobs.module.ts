import { Global, Module, type DynamicModule } from '@nestjs/common';
import { JobsResolver } from './jobs.resolver';
import { JOBS_OPTIONS, JobsService, type JobsOptions } from './jobs.service';

/**
 * Provides {@link JobsService} (global, like StoreModule, so any service can start jobs) and the cancelRun /
 * runProgress API. Import it once in the root module, after StoreModule (its shutdown then runs before the store
 * closes). `JobsModule.forRoot(options)` sets the throttle interval, concurrency or shutdown grace.
 */
@Global()
@Module({
  providers: [JobsService, JobsResolver],
  exports: [JobsService],
})
export class JobsModule {
  static forRoot(options: JobsOptions = {}): DynamicModule {
    return {
      module: JobsModule,
      global: true,
      providers: [{ provide: JOBS_OPTIONS, useValue: options }, JobsService, JobsResolver],
      exports: [JobsService],
    };
  }
}
