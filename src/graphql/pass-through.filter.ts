import { ArgumentsHost, Catch } from '@nestjs/common';
import { GqlExceptionFilter } from '@nestjs/graphql';

/**
 * Hands every error thrown in a resolver to Apollo untouched, so `formatError` (format-error.ts) is the single
 * place that maps errors to codes and logs the unexpected ones (Nest would otherwise log expected user errors, such
 * as an invalid SMILES, as server errors with stack traces).
 */
@Catch()
export class GraphqlPassThroughFilter implements GqlExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): unknown {
    return exception;
  }
}
