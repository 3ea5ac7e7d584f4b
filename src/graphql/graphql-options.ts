import { ApolloDriverConfig } from '@nestjs/apollo';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError } from 'graphql';
import { AppConfig } from '../config/config';
import { formatError } from './format-error';

/**
 * GraphQL server options. The schema is generated from the code-first decorators, sorted, and kept in memory;
 * `npm run schema` prints the same schema to schema.gql, which is committed so schema changes are reviewed
 * (test/e2e/schema.spec.ts fails when the committed file is stale).
 */
export function graphqlOptions(config: AppConfig): ApolloDriverConfig {
  return {
    autoSchemaFile: true,
    sortSchema: true,
    path: '/graphql',
    introspection: true,
    playground: false,
    plugins: config.production ? [ApolloServerPluginLandingPageDisabled()] : [],
    includeStacktraceInErrorResponses: false,
    formatError: (formatted: GraphQLFormattedError, error: unknown) => formatError(formatted, error, config.production),
  };
}
