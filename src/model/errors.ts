/**
 * Typed errors of the model layer (src/model/).
 *
 * Every error extends {@link ModelError} and carries a stable `code` string, so the API layer can map them to
 * GraphQL errors without matching on messages. Errors about one input of a batch carry its `index` in the request.
 */

/** Stable machine-readable codes of the model layer's errors. */
export type ModelErrorCode =
  | 'UNKNOWN_DEVICE'
  | 'MODEL_LOAD_FAILED'
  | 'MODEL_NOT_LOADED'
  | 'MODEL_RUN_FAILED'
  | 'UNTOKENIZABLE_SMILES'
  | 'OUT_OF_VOCABULARY'
  | 'SMILES_TOO_LONG'
  | 'INVALID_LATENT'
  | 'INVALID_DECODE_OPTIONS';

/** Base class of all model-layer errors. */
export abstract class ModelError extends Error {
  abstract readonly code: ModelErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A device name that is not in the execution-provider table (see `DEVICES` in onnx-backend.ts). */
export class UnknownDeviceError extends ModelError {
  readonly code = 'UNKNOWN_DEVICE' as const;

  constructor(
    readonly device: string,
    readonly knownDevices: readonly string[],
  ) {
    super(`unknown device ${JSON.stringify(device)}; known devices: ${knownDevices.join(', ')}`);
  }
}

/** The model directory, one of its files, or an ONNX session could not be loaded. */
export class ModelLoadError extends ModelError {
  readonly code = 'MODEL_LOAD_FAILED' as const;

  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`${message} (${path})`, options);
  }
}

/** The model was used before `onModuleInit` loaded it, or after it was disposed. */
export class ModelNotLoadedError extends ModelError {
  readonly code = 'MODEL_NOT_LOADED' as const;

  constructor(what = 'model') {
    super(`${what} is not loaded (not initialised yet, or already disposed)`);
  }
}

/** Description of one tensor fed to a session, as logged and attached to {@link ModelRunError}. */
export interface InputDescription {
  name: string;
  type: string;
  dims: readonly number[];
  length: number;
}

/** An ONNX session run was refused by input validation, or failed inside ONNX Runtime. */
export class ModelRunError extends ModelError {
  readonly code = 'MODEL_RUN_FAILED' as const;

  constructor(
    readonly session: string,
    readonly problems: readonly string[],
    readonly inputs: readonly InputDescription[],
    options?: { cause?: unknown },
  ) {
    super(`session "${session}" run failed: ${problems.join('; ')}`, options);
  }
}

/** The regex tokenizer does not cover the whole string (or the string is empty / not a string). */
export class UntokenizableSmilesError extends ModelError {
  readonly code = 'UNTOKENIZABLE_SMILES' as const;

  /**
   * @param smiles   the input
   * @param position character offset of the first character no token covers (-1 for an empty or non-string input)
   * @param index    index of the input in the request, when it came in a batch
   */
  constructor(
    readonly smiles: string,
    readonly position: number,
    readonly index?: number,
  ) {
    super(
      `${index === undefined ? '' : `input ${index}: `}` +
        (position < 0
          ? `empty or non-string SMILES ${JSON.stringify(smiles)}`
          : `untokenizable SMILES ${JSON.stringify(smiles)}: no token matches at position ${position} ` +
            `(${JSON.stringify(smiles.slice(position, position + 8))})`),
    );
  }
}

/** A token of the input is not in the model's vocabulary: the encoder never saw it in training. */
export class OutOfVocabularyError extends ModelError {
  readonly code = 'OUT_OF_VOCABULARY' as const;

  /**
   * @param smiles   the input
   * @param token    the first token not in the vocabulary
   * @param position character offset of that token in `smiles`
   * @param index    index of the input in the request, when it came in a batch
   */
  constructor(
    readonly smiles: string,
    readonly token: string,
    readonly position: number,
    readonly index?: number,
  ) {
    super(
      `${index === undefined ? '' : `input ${index}: `}token ${JSON.stringify(token)} at position ${position} of ` +
        `${JSON.stringify(smiles)} is not in the model vocabulary`,
    );
  }
}

/** The input has more tokens than the model's `max_len` (the longest sequence it was trained on). */
export class SmilesTooLongError extends ModelError {
  readonly code = 'SMILES_TOO_LONG' as const;

  constructor(
    readonly smiles: string,
    readonly tokenCount: number,
    readonly maxTokens: number,
    readonly index?: number,
  ) {
    super(
      `${index === undefined ? '' : `input ${index}: `}SMILES has ${tokenCount} tokens, more than the model's ` +
        `max_len ${maxTokens}`,
    );
  }
}

/** A latent batch has the wrong length or a non-finite value. */
export class InvalidLatentError extends ModelError {
  readonly code = 'INVALID_LATENT' as const;

  /**
   * @param reason  what is wrong
   * @param row     batch row of the first bad value, when the problem is a value
   * @param column  latent dimension of the first bad value, when the problem is a value
   */
  constructor(
    reason: string,
    readonly row?: number,
    readonly column?: number,
  ) {
    super(`invalid latent batch: ${reason}`);
  }
}

/** A decode option is out of range (temperature, topK, maxSteps, seed, strategy). */
export class InvalidDecodeOptionsError extends ModelError {
  readonly code = 'INVALID_DECODE_OPTIONS' as const;

  constructor(
    readonly option: string,
    reason: string,
  ) {
    super(`invalid decode option ${option}: ${reason}`);
  }
}
