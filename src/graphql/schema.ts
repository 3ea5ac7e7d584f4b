import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { CandidatesResolver, RunsResolver } from '../candidates/candidates.resolver';
import { JobsResolver } from '../jobs/jobs.resolver';
import { MoleculesResolver } from '../molecules/molecules.resolver';
import { NavigationResolver } from '../navigation/navigation.resolver';

/** Every resolver class of the public API (the schema is generated from their decorators). */
export const RESOLVERS = [MoleculesResolver, NavigationResolver, CandidatesResolver, RunsResolver, JobsResolver];

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
