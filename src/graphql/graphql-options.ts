import { ApolloDriverConfig } from '@nestjs/apollo';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import type { ServerOptions } from 'graphql-ws';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  parse,
  specifiedRules,
  validate,
  visit,
  type ExecutionResult,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { QueryTooComplexError } from '../auth/errors';
import { BadUserInputError, type MolnavError } from '../common/errors';
import { AppConfig, LIMITS } from '../config/config';
import { formatError } from './format-error';

/**
 * GraphQL server options. The schema is generated from the code-first decorators, sorted, and kept in memory;
 * `npm run schema` prints the same schema to schema.gql, which is committed so schema changes are reviewed
 * (test/e2e/schema.spec.ts fails when the committed file is stale).
 *
 * Query limits (LIMITS.maxQuery*, docs/security.md) apply to HTTP and graphql-ws alike: depth, cost, aliases and
 * directives as validation rules (graphql-armor), tokens as a parse option, and the length and token count of the
 * query string before parsing (requestLimitError; HTTP: QueryLimitsMiddleware in src/auth/http-limits.ts; graphql-ws:
 * onSubscribe). Every rejection is `QUERY_TOO_COMPLEX` with `extensions.limit` and `extensions.max`.
 */
export function graphqlOptions(config: AppConfig): ApolloDriverConfig {
  return {
    autoSchemaFile: true,
    sortSchema: true,
    path: '/graphql',
    introspection: true,
    playground: false,
    plugins: config.production ? [ApolloServerPluginLandingPageDisabled()] : [],
    validationRules: queryLimitRules(),
    // Backstop for the token limit checked before parsing (queryLimitError): graphql-js stops lexing past it.
    parseOptions: { maxTokens: LIMITS.maxQueryTokens },
    // Apollo's default; stated because the limits above are per operation: a JSON array body is refused (BAD_REQUEST).
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted: GraphQLFormattedError, error: unknown) => formatError(formatted, error, config.production),
    // Subscriptions (runProgress) over graphql-ws on the same path (ws://host:port/graphql). graphql-ws does not go
    // through Apollo's formatError, so its results and errors are formatted here the same way.
    subscriptions: { 'graphql-ws': wsOptions(config) },
  };
}

/** graphql-armor's rejection callback (GraphQLArmorRejectCallback). */
type RejectCallback = (context: ValidationContext | null, error: GraphQLError) => void;

/**
 * Reports a graphql-armor rejection as a QueryTooComplexError, without the "Syntax Error: " armor puts before every
 * message (these are not syntax errors).
 */
function reporter(limit: string, max: number): RejectCallback {
  return (context, error) => {
    const message = error.message.replace(/^Syntax Error: /, '');
    const found = Number(/found (\d+(?:\.\d+)?)/.exec(message)?.[1]);
    const cause = new QueryTooComplexError(limit, max, message, Number.isFinite(found) ? found : undefined);
    context?.reportError(new GraphQLError(message, { originalError: cause, extensions: { code: cause.code } }));
  };
}

/** graphql-armor validation rules for the given protections only (the others disabled). */
function armorRules(config: ConstructorParameters<typeof ApolloArmor>[0]): ValidationRule[] {
  const off = { enabled: false };
  const armor = new ApolloArmor({ blockFieldSuggestion: off, maxTokens: off, costLimit: off, maxAliases: off, maxDepth: off, maxDirectives: off, ...config });
  return armor.protect().validationRules as ValidationRule[];
}

/**
 * graphql-armor multiplies the cost of a list field by its literal `first`/`last` argument. Pages over
 * LIMITS.maxPageSize are refused when the field runs (with its own precise error), so the cost rule sees them clamped
 * to that size: `candidates(first: 100000)` stays a BAD_USER_INPUT about the page size, not a cost error.
 */
function withPageSizesClamped(rule: ValidationRule): ValidationRule {
  const clamp = (operation: OperationDefinitionNode): OperationDefinitionNode =>
    visit(operation, {
      Argument(node) {
        const pageArg = node.name.value === 'first' || node.name.value === 'last';
        if (!pageArg || node.value.kind !== Kind.INT || Number(node.value.value) <= LIMITS.maxPageSize) return undefined;
        return { ...node, value: { ...node.value, value: String(LIMITS.maxPageSize) } };
      },
    });
  return (context) => {
    const visitor = rule(context) as { OperationDefinition: { enter: (node: OperationDefinitionNode) => void } };
    return { OperationDefinition: { enter: (node: OperationDefinitionNode) => visitor.OperationDefinition.enter.call(visitor, clamp(node)) } };
  };
}

/**
 * Validation rules enforcing LIMITS.maxQueryDepth, maxQueryCost, maxQueryAliases and maxQueryDirectives (graphql-armor,
 * errors reported to the validation context, so Apollo answers HTTP 400). Introspection queries are exempt from the
 * depth and cost limits (graphql-armor's default; the standard introspection query is 21 levels deep); their fan-out
 * (`types { fields { type { fields ... } } }`) is refused by graphql-js's own MaxIntrospectionDepthRule (part of
 * specifiedRules since graphql 16.9: GRAPHQL_VALIDATION_FAILED "Maximum introspection depth exceeded"). Token counting
 * is not done here (queryLimitError, before parsing); field suggestions ("Did you mean ...") are kept: the schema is
 * public (introspection is on, schema.gql is committed).
 */
export function queryLimitRules(): ValidationRule[] {
  const reject = (limit: keyof typeof LIMITS) => ({ propagateOnRejection: false, onReject: [reporter(limit, LIMITS[limit])] });
  return [
    ...armorRules({ maxDepth: { n: LIMITS.maxQueryDepth, ...reject('maxQueryDepth') } }),
    ...armorRules({ costLimit: { maxCost: LIMITS.maxQueryCost, ...reject('maxQueryCost') } }).map(withPageSizesClamped),
    ...armorRules({ maxAliases: { n: LIMITS.maxQueryAliases, ...reject('maxQueryAliases') } }),
    ...armorRules({ maxDirectives: { n: LIMITS.maxQueryDirectives, ...reject('maxQueryDirectives') } }),
  ];
}

/**
 * Checks a query string against LIMITS.maxQueryLength and LIMITS.maxQueryTokens without parsing it (lexing stops at
 * the first token over the limit). Returns the error to answer with, or null. A lexical error is left to the parser.
 */
export function queryLimitError(query: unknown): QueryTooComplexError | null {
  if (typeof query !== 'string') return null;
  if (query.length > LIMITS.maxQueryLength) {
    return new QueryTooComplexError(
      'maxQueryLength',
      LIMITS.maxQueryLength,
      `query is limited to ${LIMITS.maxQueryLength} characters, got ${query.length}; pass large values as variables`,
      query.length,
    );
  }
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      if (++tokens > LIMITS.maxQueryTokens) {
        return new QueryTooComplexError('maxQueryTokens', LIMITS.maxQueryTokens, `query is limited to ${LIMITS.maxQueryTokens} tokens`);
      }
    }
  } catch {
    return null; // a syntax error: the parser reports it (GRAPHQL_PARSE_FAILED)
  }
  return null;
}

/** A UTF-16 surrogate without its pair: not a Unicode character, and refused by the database drivers. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when a string (value or key) anywhere in `root` holds a lone surrogate. Iterative: any nesting depth. */
function hasIllFormedString(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return true;
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (LONE_SURROGATE.test(k)) return true;
        stack.push(x);
      }
    }
  }
  return false;
}

/**
 * Checks a GraphQL request (`{ query, variables, operationName, extensions }`, over HTTP or graphql-ws) before it is
 * parsed: the query limits of {@link queryLimitError} (QUERY_TOO_COMPLEX), then well-formed Unicode in every string
 * (BAD_USER_INPUT: JSON may carry lone surrogates as `\ud800` escapes; no argument of this API can use them, and the
 * database drivers reject them with an internal error). Returns the error to answer with, or null.
 */
export function requestLimitError(request: unknown): MolnavError | null {
  const query = request !== null && typeof request === 'object' ? (request as { query?: unknown }).query : undefined;
  const tooComplex = queryLimitError(query);
  if (tooComplex) return tooComplex;
  if (hasIllFormedString(request)) return new BadUserInputError('the request contains a string that is not well-formed Unicode (a lone UTF-16 surrogate)');
  return null;
}

/** graphql-ws hooks: the same query limits as over HTTP, and errors with the same `extensions.code` and messages. */
function wsOptions(config: AppConfig): GraphQLWsSubscriptionsConfig {
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((e) => {
      const json = e.toJSON();
      // Errors raised before execution (document validation) carry no code: same code as Apollo gives them over HTTP.
      const code = json.extensions?.code ?? (e.originalError ? undefined : 'GRAPHQL_VALIDATION_FAILED');
      return formatError({ ...json, extensions: { ...json.extensions, ...(code ? { code } : {}) } }, e, config.production);
    });
  const rules = [...specifiedRules, ...queryLimitRules()];
  // Nest's type lists only some graphql-ws server options, but passes all of them to useServer (parse, validate too).
  const options: GraphQLWsSubscriptionsConfig & Pick<ServerOptions, 'parse' | 'validate'> & { onError: (...args: any[]) => GraphQLFormattedError[] } = {
    onSubscribe: (_ctx, _id, payload) => {
      const refused = requestLimitError(payload);
      return refused ? [new GraphQLError(refused.message, { originalError: refused, extensions: { code: refused.code } })] : undefined;
    },
    parse: (source) => parse(source, { maxTokens: LIMITS.maxQueryTokens }),
    validate: (schema, document) => validate(schema, document, rules),
    onNext: (_ctx, _id, _payload, _args, result: ExecutionResult) =>
      result.errors ? { ...result, errors: format(result.errors) } : undefined,
    onError: (_ctx: unknown, _id: string, _payload: unknown, errors: readonly GraphQLError[]) => format(errors),
  };
  return options;
}
