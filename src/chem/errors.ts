/**
 * Typed errors of the chemistry layer. Higher layers map them to API errors by class name
 * (src/graphql/format-error.ts: `InvalidSmilesError` -> INVALID_SMILES, `UnknownMoleculeNameError` ->
 * UNKNOWN_MOLECULE_NAME), so each class sets `name` explicitly and keeps it stable.
 */

/** Why a SMILES string was rejected; stable identifiers (see `VALIDATION_REASONS` in chemistry.ts). */
export type ValidationCode =
  | 'EMPTY'
  | 'TOO_LONG'
  | 'TOO_MANY_ATOMS'
  | 'WHITESPACE'
  | 'SYNTAX'
  | 'VALENCE'
  | 'KEKULIZATION'
  | 'SANITIZATION'
  | 'NO_ATOMS';

/** Base class of all chemistry-layer errors. */
export class ChemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChemError';
  }
}

/** A string is not a valid SMILES (RDKit could not parse or sanitise it, or it failed a pre-check). */
export class InvalidSmilesError extends ChemError {
  constructor(
    /** The offending input, as given. */
    readonly smiles: string,
    /** Human-readable, stable reason (starts with one of `VALIDATION_REASONS`). */
    readonly reason: string,
    /** Machine-readable reason. */
    readonly code: ValidationCode,
  ) {
    super(`Invalid SMILES ${JSON.stringify(truncate(smiles))}: ${reason}`);
    this.name = 'InvalidSmilesError';
  }
}

/**
 * A SMARTS pattern cannot be used as a substructure query: RDKit's SMARTS parser rejected it, or it failed a
 * pre-check (empty, longer than `MAX_SMARTS_LENGTH`, whitespace/control characters). Higher layers map it to
 * `INVALID_SMARTS` (see `code`).
 */
export class InvalidSmartsError extends ChemError {
  /** Stable machine-readable code. */
  readonly code = 'INVALID_SMARTS' as const;

  constructor(
    /** The offending pattern, as given. */
    readonly smarts: string,
    /** Human-readable reason (RDKit's parser message when it could be captured). */
    readonly reason: string,
  ) {
    super(`Invalid SMARTS ${JSON.stringify(truncate(smarts))}: ${reason}`);
    this.name = 'InvalidSmartsError';
  }
}

/** A string looked like a molecule name but is not in the approved-drug table (and is not valid SMILES either). */
export class UnknownMoleculeNameError extends ChemError {
  constructor(readonly input: string) {
    super(`Unknown molecule name ${JSON.stringify(truncate(input))}: not an approved-drug name and not valid SMILES`);
    this.name = 'UnknownMoleculeNameError';
  }
}

/** A shipped data table (src/chem/data) is missing or malformed. This is a deployment error, not a user error. */
export class ChemDataError extends ChemError {
  constructor(message: string) {
    super(message);
    this.name = 'ChemDataError';
  }
}

/** `ChemService` was used before Nest called `onModuleInit` (or after `onModuleDestroy`). */
export class ChemNotReadyError extends ChemError {
  constructor() {
    super('ChemService is not initialised (RDKit and the chemistry tables load in onModuleInit)');
    this.name = 'ChemNotReadyError';
  }
}

function truncate(s: string, max = 120): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
