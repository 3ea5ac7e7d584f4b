import { ApolloDriverConfig } from '@nestjs/apollo';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { ExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
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
    // Subscriptions (runProgress) over graphql-ws on the same path (ws://host:port/graphql). graphql-ws does not go
    // through Apollo's formatError, so its results and errors are formatted here the same way.
    subscriptions: { 'graphql-ws': wsOptions(config) },
  };
}

/** graphql-ws hooks: errors leave with the same `extensions.code` and messages as over HTTP. */
function wsOptions(config: AppConfig): GraphQLWsSubscriptionsConfig {
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((e) => {
      const json = e.toJSON();
      // Errors raised before execution (document validation) carry no code: same code as Apollo gives them over HTTP.
      const code = json.extensions?.code ?? (e.originalError ? undefined : 'GRAPHQL_VALIDATION_FAILED');
      return formatError({ ...json, extensions: { ...json.extensions, ...(code ? { code } : {}) } }, e, config.production);
    });
  const options: GraphQLWsSubscriptionsConfig & { onError: (...args: any[]) => GraphQLFormattedError[] } = {
    onNext: (_ctx, _id, _payload, _args, result: ExecutionResult) =>
      result.errors ? { ...result, errors: format(result.errors) } : undefined,
    onError: (_ctx: unknown, _id: string, _payload: unknown, errors: readonly GraphQLError[]) => format(errors),
  };
  return options;
}
