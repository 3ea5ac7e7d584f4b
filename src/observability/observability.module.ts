import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { GraphqlMetricsPlugin } from './graphql-metrics.plugin';
import { loggerModuleParams } from './logging';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { OBSERVABILITY_OPTIONS, ObservabilityOptions, ObservabilityOptionsModule } from './observability.options';

/**
 * Structured logs only: pino configured from LOG_LEVEL / LOG_FORMAT, with the pino-http request logger on every route
 * of an HTTP app. A process without HTTP (the worker) imports it and calls `app.useLogger(app.get(PinoNestLogger))`
 * to route Nest's Logger to pino.
 */
@Module({
  imports: [
    ObservabilityOptionsModule,
    LoggerModule.forRootAsync({
      imports: [ObservabilityOptionsModule],
      inject: [OBSERVABILITY_OPTIONS],
      useFactory: (options: ObservabilityOptions) => loggerModuleParams(options.log),
    }),
  ],
  exports: [LoggerModule],
})
export class LoggingModule {}

/**
 * Logs and metrics of the API: {@link LoggingModule}, the Prometheus registry ({@link MetricsService}) with
 * `GET /metrics`, and the Apollo plugin that measures GraphQL requests. Configured from LOG_LEVEL, LOG_FORMAT and
 * MOLNAV_METRICS_TOKEN (docs/observability.md).
 */
@Module({
  imports: [LoggingModule],
  controllers: [MetricsController],
  providers: [MetricsService, GraphqlMetricsPlugin],
  exports: [MetricsService],
})
export class ObservabilityModule {}
