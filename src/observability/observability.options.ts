import { Global, Module } from '@nestjs/common';
import { LogOptions, logOptionsFromEnv } from './logging';

/** Configuration of logs and metrics (see {@link observabilityOptionsFromEnv}). */
export interface ObservabilityOptions {
  log: LogOptions;
  /**
   * Bearer token required by GET /metrics (`Authorization: Bearer <token>`), or null: /metrics is open (restrict it
   * at the network level instead).
   */
  metricsToken: string | null;
}

/** Injection token of {@link ObservabilityOptions}; tests override it (`overrideProvider(...).useValue(...)`). */
export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');

/** Shortest accepted MOLNAV_METRICS_TOKEN, characters. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

/**
 * Reads LOG_LEVEL and LOG_FORMAT (see `logOptionsFromEnv`) and MOLNAV_METRICS_TOKEN (unset or empty: /metrics is
 * open).
 * @throws Error for an unknown level or format, or a token shorter than {@link MIN_METRICS_TOKEN_LENGTH} characters
 *   or containing whitespace
 */
export function observabilityOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ObservabilityOptions {
  const token = env.MOLNAV_METRICS_TOKEN ?? '';
  if (token !== '' && (token.length < MIN_METRICS_TOKEN_LENGTH || /\s/.test(token))) {
    throw new Error(`MOLNAV_METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters without whitespace`);
  }
  return { log: logOptionsFromEnv(env), metricsToken: token === '' ? null : token };
}

/** Provides {@link OBSERVABILITY_OPTIONS}, read once from the environment. */
@Global()
@Module({
  providers: [{ provide: OBSERVABILITY_OPTIONS, useFactory: () => observabilityOptionsFromEnv() }],
  exports: [OBSERVABILITY_OPTIONS],
})
export class ObservabilityOptionsModule {}
