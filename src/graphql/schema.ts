import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { CandidatesResolver, RunsResolver } from '../candidates/candidates.resolver';
import { JobsResolver } from '../jobs/jobs.resolver';
import { LibrariesResolver } from '../libraries/libraries.resolver';
import { MoleculesResolver } from '../molecules/molecules.resolver';
import { NavigationResolver } from '../navigation/navigation.resolver';
import { ScoringResolver } from '../scoring/scoring.resolver';

/**
 * Every resolver class of the public API (the schema is generated from their decorators). test/e2e/schema.spec.ts
 * fails when a class decorated with @Resolver in src/ is missing here.
 */
export const RESOLVERS = [MoleculesResolver, NavigationResolver, CandidatesResolver, RunsResolver, JobsResolver, ScoringResolver, LibrariesResolver];

/** The public GraphQL schema as sorted SDL, built from the code-first decorators without starting the service. */
export async function buildSchemaSdl(): Promise<string> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  try {
    const factory = app.get(GraphQLSchemaFactory);
    const schema = await factory.create(RESOLVERS);
    return printSchema(lexicographicSortSchema(schema)) + '\n';
  } finally {
    await app.close();
  }
}
