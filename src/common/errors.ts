/**
 * Typed API errors. Every error a client can cause carries a stable `code` in GraphQL `extensions.code`;
 * src/graphql/format-error.ts maps domain errors from the chemistry, model and store layers onto these codes.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'INVALID_SMILES'
  | 'UNKNOWN_MOLECULE_NAME'
  | 'MOLECULE_OUT_OF_DOMAIN'
  | 'LIMIT_EXCEEDED'
  | 'NOT_FOUND'
  | 'INVALID_CURSOR'
  | 'DIRECTIONS_UNAVAILABLE'
  | 'INVALID_OBJECTIVE'
  // Access control and request limits (src/auth, docs/security.md).
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'QUERY_TOO_COMPLEX'
  | 'PAYLOAD_TOO_LARGE'
  | 'INVALID_SMARTS'
  | 'CONFLICT'
  | 'INTERNAL_SERVER_ERROR';

/** Base class of errors with a client-facing code and message. */
export class MolnavError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'MolnavError';
  }
}

/** A request argument is over a documented limit. */
export class LimitExceededError extends MolnavError {
  constructor(what: string, limit: number, got: number) {
    super('LIMIT_EXCEEDED', `${what} is limited to ${limit}, got ${got}`, { limit, got });
    this.name = 'LimitExceededError';
  }
}

/** A stored object does not exist. */
export class NotFoundError extends MolnavError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${JSON.stringify(id)} not found`, { id });
    this.name = 'NotFoundError';
  }
}

/** A request argument is invalid in a way the GraphQL input bounds cannot express (e.g. a band with min > max). */
export class BadUserInputError extends MolnavError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('BAD_USER_INPUT', message, details);
    this.name = 'BadUserInputError';
  }
}

/** The loaded model ships no property directions (no directions.json in its directory), so traverse cannot run. */
export class DirectionsUnavailableError extends MolnavError {
  constructor(modelVersion: string) {
    super('DIRECTIONS_UNAVAILABLE', `model ${modelVersion} ships no property directions (directions.json); traverse is unavailable`, { modelVersion });
    this.name = 'DirectionsUnavailableError';
  }
}

/** An objective in the scoring language was rejected; `problems` lists every problem with its path. */
export class InvalidObjectiveError extends MolnavError {
  constructor(readonly problems: string[]) {
    super('INVALID_OBJECTIVE', `invalid objective: ${problems.join('; ')}`, { problems });
    this.name = 'InvalidObjectiveError';
  }
}
