/**
 * Worker process (`npm run worker`): executes runs queued through BullMQ (REDIS_URL) with the same store, model and
 * scoring as the API, without serving HTTP. Run as many as the hardware allows, e.g. one per GPU host
 * (MOLNAV_DEVICE=cuda). Each executes up to MOLNAV_WORKER_CONCURRENCY runs at once (default 1: one optimisation
 * already keeps the scoring worker threads busy).
 *
 * On SIGTERM/SIGINT the worker stops taking jobs, aborts the runs it executes (they end INTERRUPTED with what they
 * stored kept) and exits. A worker killed outright leaves its runs RUNNING; BullMQ re-delivers their jobs after the
 * lock expires and the receiving worker marks them INTERRUPTED (src/jobs/run-queue.ts).
 */
import 'reflect-metadata';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule } from './config/config.module';
import { JobsModule } from './jobs/jobs.module';
import { JobsService } from './jobs/jobs.service';
import { startRunWorker } from './jobs/run-queue';
import { NavigationModule } from './navigation/navigation.module';
import { LoggingModule, PinoNestLogger } from './observability';
import { StoreModule } from './store/store.module';

/** What a worker needs: logs, the store, the job runner, and the modules that register run handlers (navigation). */
@Module({})
export class WorkerModule {
  static forRoot(concurrency: number): DynamicModule {
    return {
      module: WorkerModule,
      imports: [LoggingModule, ConfigModule, StoreModule, JobsModule.forRoot({ maxConcurrent: concurrency }), NavigationModule],
    };
  }
}

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name] ?? String(fallback);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer ${min}..${max}, got ${raw}`);
  return n;
}

/**
 * Worker settings from the environment: MOLNAV_WORKER_CONCURRENCY (runs at once, 1..16, default 1) and
 * MOLNAV_WORKER_LOCK_MS (BullMQ lock, 1000..600000 ms, default 30000: how soon a dead worker's run is marked).
 * @throws Error for a value out of range.
 */
export function workerSettings(env: NodeJS.ProcessEnv = process.env): { concurrency: number; lockDurationMs: number } {
  return {
    concurrency: intEnv(env, 'MOLNAV_WORKER_CONCURRENCY', 1, 1, 16),
    lockDurationMs: intEnv(env, 'MOLNAV_WORKER_LOCK_MS', 30_000, 1000, 600_000),
  };
}

async function main(): Promise<void> {
  const redisUrl = process.env.REDIS_URL?.trim();
  if (!redisUrl) throw new Error('REDIS_URL is not set: a worker takes runs from the BullMQ queue (without it, the API runs them itself)');
  const { concurrency, lockDurationMs } = workerSettings();
  const logger = new Logger('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(concurrency), { bufferLogs: true });
  app.useLogger(app.get(PinoNestLogger)); // structured logs, as the API (docs/observability.md)
  const jobs = app.get(JobsService);
  const worker = startRunWorker((runId) => jobs.executeStored(runId), { redisUrl, concurrency, lockDurationMs });
  worker.on('error', (e) => logger.error(`queue: ${e.message}`));
  worker.on('failed', (job, e) => logger.warn(`job ${job?.id ?? '?'} failed: ${e.message}`));
  await worker.waitUntilReady();
  logger.log(`Worker ready: taking runs from ${redisUrl.replace(/\/\/[^@]*@/, '//***@')} (concurrency ${concurrency})`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping (running jobs end INTERRUPTED)`);
    // Abort and record our runs first, so the BullMQ jobs complete and close() does not wait for whole runs.
    await jobs.shutdown();
    await worker.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

if (require.main === module) {
  main().catch((err) => {
    // eslint-disable-next-line no-console
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
