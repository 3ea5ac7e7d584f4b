/**
 * A Nest app for the access-control and limit tests (not a spec file): the real GraphQL options, store, jobs,
 * molecules, candidates and AuthModule, with a configuration built from the given environment, on a fresh database.
 * Without `navigation: true` the ONNX model is not loaded (fast start); mutations are exercised with cancelRun.
 */
import { type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AuthModule } from '../../src/auth/auth.module';
import { configureHttpLimits } from '../../src/auth/http-limits';
import { CandidatesModule } from '../../src/candidates/candidates.module';
import { ConfigModule } from '../../src/config/config.module';
import { APP_CONFIG, loadConfig, type AppConfig } from '../../src/config/config';
import { graphqlOptions } from '../../src/graphql/graphql-options';
import { GraphqlPassThroughFilter } from '../../src/graphql/pass-through.filter';
import { HealthModule } from '../../src/health/health.module';
import { JobsModule } from '../../src/jobs/jobs.module';
import { validationPipe } from '../../src/main';
import { MoleculesModule } from '../../src/molecules/molecules.module';
import { NavigationModule } from '../../src/navigation/navigation.module';
import { StoreModule } from '../../src/store';

export interface GqlResult {
  status: number;
  headers: Record<string, string>;
  body: { data?: any; errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[] };
}

export interface LightAppOptions {
  /** Variables layered over process.env for loadConfig (e.g. MOLNAV_AUTH_MUTATIONS). */
  env?: Record<string, string>;
  databaseUrl: string;
  /** Also load NavigationModule (ONNX model, scoring pool): optimize, askTell*. */
  navigation?: boolean;
  /** Listen on a random local port (needed for graphql-ws). */
  listen?: boolean;
  /** Apply configureHttpLimits (body-size limit) as main.ts does. */
  httpLimits?: boolean;
}

/** Builds and starts the app; close it with `app.close()`. */
export async function lightApp(options: LightAppOptions): Promise<{ app: INestApplication; config: AppConfig }> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', ...options.env });
  const imports: (Type<unknown> | DynamicModule)[] = [
    ConfigModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [ConfigModule],
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => graphqlOptions(c),
    }),
    StoreModule.forRoot({ databaseUrl: options.databaseUrl }),
    AuthModule,
    JobsModule,
    MoleculesModule,
    CandidatesModule,
    HealthModule,
    ...(options.navigation ? [NavigationModule] : []),
  ];
  const moduleRef = await Test.createTestingModule({
    imports,
    providers: [{ provide: APP_FILTER, useClass: GraphqlPassThroughFilter }],
  })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  app.useGlobalPipes(validationPipe());
  if (options.httpLimits) configureHttpLimits(app);
  if (options.listen) await app.listen(0, '127.0.0.1');
  else await app.init();
  return { app, config };
}

/** POSTs a GraphQL document with optional headers; resolves with status, headers and parsed body. */
export async function post(app: INestApplication, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GqlResult> {
  let req = request(app.getHttpServer()).post('/graphql');
  for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
  const res = await req.send({ query, variables });
  return { status: res.status, headers: res.headers as Record<string, string>, body: res.body };
}

/** Codes of all errors of a response, in order. */
export function codes(r: GqlResult): (string | undefined)[] {
  return (r.body.errors ?? []).map((e) => e.extensions?.code);
}

export const bearer = (key: string): Record<string, string> => ({ Authorization: `Bearer ${key}` });
