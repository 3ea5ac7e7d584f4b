import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { AuthModule } from './auth/auth.module';
import { CandidatesModule } from './candidates/candidates.module';
import { ConfigModule } from './config/config.module';
import { APP_CONFIG, AppConfig } from './config/config';
import { graphqlOptions } from './graphql/graphql-options';
import { GraphqlPassThroughFilter } from './graphql/pass-through.filter';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { LibrariesModule } from './libraries/libraries.module';
import { MoleculesModule } from './molecules/molecules.module';
import { NavigationModule } from './navigation/navigation.module';
import { ObservabilityModule } from './observability/observability.module';
import { ScoringModule } from './scoring/scoring.module';
import { StoreModule } from './store/store.module';
import { WorkbenchModule } from './workbench/workbench.module';

@Module({
  imports: [
    ConfigModule,
    ObservabilityModule, // first: its request logger wraps every route
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [ConfigModule],
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => graphqlOptions(config),
    }),
    StoreModule,
    AuthModule, // after StoreModule (API keys); its guards rate-limit, then authenticate, every GraphQL operation
    JobsModule, // after StoreModule: jobs stop before the store closes
    MoleculesModule,
    ScoringModule,
    NavigationModule,
    CandidatesModule,
    LibrariesModule,
    HealthModule,
    WorkbenchModule.register(), // the browser workbench at / (dist/web), when built: docs/workbench.md
  ],
  providers: [{ provide: APP_FILTER, useClass: GraphqlPassThroughFilter }],
})
export class AppModule {}
