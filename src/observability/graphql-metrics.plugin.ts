import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { PinoLogger } from 'nestjs-pino';
import { MAX_OPERATION_NAME_LENGTH } from './labels';
import { MetricsService } from './metrics.service';

/**
 * Apollo plugin (found by Nest through `@Plugin()`, so graphql-options.ts is untouched): for each GraphQL request
 * over HTTP it records latency and error codes in {@link MetricsService}, and adds the operation to the request's log
 * records (`operationType`, `operationName` and, when the response has errors, `graphqlErrors`: their codes).
 * Variables and documents are never logged. Subscriptions over graphql-ws do not pass through Apollo's request
 * pipeline and are not counted.
 */
@Plugin()
export class GraphqlMetricsPlugin implements ApolloServerPlugin<BaseContext> {
  constructor(
    private readonly metrics: MetricsService,
    private readonly logger: PinoLogger,
  ) {}

  async requestDidStart(): Promise<GraphQLRequestListener<BaseContext>> {
    const started = process.hrtime.bigint();
    let assigned = false;
    return {
      didResolveOperation: async ({ operation, operationName }) => {
        this.assign({ operationType: operation?.operation ?? 'unknown', operationName: logName(operationName) });
        assigned = true;
      },
      willSendResponse: async ({ response, operation, operationName, errors }) => {
        const formatted = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : (errors ?? []);
        const codes = formatted.map((e) => e.extensions?.code);
        this.metrics.observeGraphqlRequest({
          operationType: operation?.operation,
          operationName: operationName ?? null,
          seconds: Number(process.hrtime.bigint() - started) / 1e9,
          errorCodes: codes,
        });
        if (!assigned) this.assign({ operationType: operation?.operation ?? 'unknown', operationName: logName(operationName) });
        if (codes.length > 0) this.assign({ graphqlErrors: codes.map((c) => (typeof c === 'string' ? c : 'UNKNOWN')) });
      },
    };
  }

  /** Adds fields to this request's log records; outside an HTTP request (no request scope) it does nothing. */
  private assign(fields: Record<string, unknown>): void {
    try {
      this.logger.assign(fields);
    } catch {
      // Not inside a request handled by the pino-http middleware (e.g. executeOperation in a test).
    }
  }
}

/** Operation name as logged: null when anonymous, cut to MAX_OPERATION_NAME_LENGTH characters. */
function logName(name: string | null | undefined): string | null {
  return name ? name.slice(0, MAX_OPERATION_NAME_LENGTH) : null;
}
