/** Public surface of the observability layer (logs, metrics, telemetry hooks). */
export { Logger as PinoNestLogger } from 'nestjs-pino';
export { GraphqlMetricsPlugin } from './graphql-metrics.plugin';
export * from './labels';
export { createRootLogger, httpLoggerOptions, LOG_LEVELS, logOptionsFromEnv, loggerModuleParams, pathOnly, prettyDestination, REDACTED_PATHS } from './logging';
export type { LogFormat, LogOptions } from './logging';
export { metricsAuthorized, MetricsController } from './metrics.controller';
export { GRAPHQL_BUCKETS, MetricsService, MODEL_BUCKETS } from './metrics.service';
export type { GraphqlRequestObservation } from './metrics.service';
export { MIN_METRICS_TOKEN_LENGTH, OBSERVABILITY_OPTIONS, observabilityOptionsFromEnv, ObservabilityOptionsModule } from './observability.options';
export type { ObservabilityOptions } from './observability.options';
export { LoggingModule, ObservabilityModule } from './observability.module';
export * from './telemetry';
