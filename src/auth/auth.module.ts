import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ApiKeyGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { QueryLimitsMiddleware } from './http-limits';
import { RateLimitGuard, throttlerOptions } from './rate-limit.guard';

/**
 * Access control and request limits of the GraphQL API (docs/security.md): API keys (AuthService, ApiKeyGuard), rate
 * limits (RateLimitGuard over @nestjs/throttler) and the query-string limits before parsing (QueryLimitsMiddleware).
 * Both guards are global and act on GraphQL operations only; the rate limit runs first. Needs the global ConfigModule
 * and StoreModule (ApiKeyStore). Body-size limits are set on the HTTP app: configureHttpLimits (http-limits.ts).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => throttlerOptions(config.security),
    }),
  ],
  providers: [AuthService, { provide: APP_GUARD, useClass: RateLimitGuard }, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [AuthService],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(QueryLimitsMiddleware).forRoutes({ path: 'graphql', method: RequestMethod.ALL });
  }
}
