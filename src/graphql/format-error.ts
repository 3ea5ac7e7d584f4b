import { HttpException, Logger } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, MolnavError } from '../common/errors';

/**
 * Domain error class names (from src/chem, src/model, src/store) and the API code each maps to. Matching by name
 * keeps this table the one place that knows every layer's errors.
 */
const DOMAIN_ERROR_CODES: Readonly<Record<string, ErrorCode>> = Object.freeze({
  InvalidSmilesError: 'INVALID_SMILES',
  UnknownMoleculeNameError: 'UNKNOWN_MOLECULE_NAME',
  UntokenizableSmilesError: 'MOLECULE_OUT_OF_DOMAIN',
  OutOfVocabularyError: 'MOLECULE_OUT_OF_DOMAIN',
  SmilesTooLongError: 'MOLECULE_OUT_OF_DOMAIN',
  InvalidLatentError: 'BAD_USER_INPUT',
  InvalidDecodeOptionsError: 'BAD_USER_INPUT',
  BatchTooLargeError: 'LIMIT_EXCEEDED',
  InvalidCursorError: 'INVALID_CURSOR',
  InvalidPageSizeError: 'LIMIT_EXCEEDED',
  StoreValidationError: 'BAD_USER_INPUT',
  NotFoundError: 'NOT_FOUND',
  InvalidSmartsError: 'INVALID_SMARTS',
});

/** Codes that graphql-js / Apollo assign themselves (parse, validation, variable coercion). */
const PASS_THROUGH = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_FOUND', 'BAD_REQUEST']);

const logger = new Logger('GraphQL');

/**
 * Apollo `formatError`: every error leaves with a stable `extensions.code` and a readable message; unexpected
 * errors are logged and, in production, reported as "Internal server error" without stack traces.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, production: boolean): GraphQLFormattedError {
  const unwrapped = unwrapResolverError(error);
  // Errors reported during validation (query limits, graphql-options.ts) have no path but wrap a MolnavError.
  const original = unwrapped instanceof GraphQLError && unwrapped.originalError instanceof MolnavError ? unwrapped.originalError : unwrapped;
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (original instanceof MolnavError) {
    return { ...base, message: original.message, extensions: { code: original.code, ...original.details } };
  }
  if (original instanceof Error && DOMAIN_ERROR_CODES[original.name]) {
    return { ...base, message: original.message, extensions: { code: DOMAIN_ERROR_CODES[original.name] } };
  }
  if (original instanceof HttpException) {
    // class-validator failures from the global ValidationPipe arrive as BadRequestException.
    const response = original.getResponse() as { message?: string | string[] } | string;
    const messages = typeof response === 'string' ? [response] : [response.message ?? original.message].flat();
    const status = original.getStatus();
    const code: ErrorCode = status === 400 ? 'BAD_USER_INPUT' : status === 404 ? 'NOT_FOUND' : 'INTERNAL_SERVER_ERROR';
    return { ...base, message: messages.join('; '), extensions: { code } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PASS_THROUGH.has(code)) {
    return { ...base, extensions: { code } };
  }
  logger.error(original instanceof Error ? original.stack ?? original.message : String(original));
  return {
    ...base,
    message: production ? 'Internal server error' : formatted.message,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
