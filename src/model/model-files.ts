/**
 * Reading and checking the model directory written by notebooks/molnav_vae/export.py (its docstring is the contract):
 *
 *   encoder.onnx            tokens [B, L] int64 (right-padded with 0), lengths [B] int64 -> mu [B, D], logvar [B, D]
 *   decoder_init.onnx       z [B, D] float32 -> h0 [layers, B, H], ctx [B, C] (C = context_dim = 3H)
 *   decoder_step.onnx       ctx [B, C], token [B] int64, h [layers, B, H] -> logits [B, V], h_out [layers, B, H]
 *   decoder_step.int8.onnx  optional: the same step with int8 weights (notebooks/molnav_vae/quantize.py)
 *   vocab.json              tokens (id = index), special ids, tokenizer regex
 *   metadata.json           dims, special ids, max_len, max_decode_steps, model_version, context_dim, ONNX file names
 *
 * ctx is the per-sequence conditioning of the decoder: the z part of the first GRU layer's input gates, computed
 * once by decoder_init ("lean" decoder form; see export.py). Model directories exported before that form (decoder
 * steps that take z) are refused with a ModelLoadError that says how to re-export them.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ModelLoadError } from './errors';
import { VocabJson } from './tokenizer';

/** The ONNX graphs of the model; `decoder_step_int8` is optional. */
export type GraphName = 'encoder' | 'decoder_init' | 'decoder_step' | 'decoder_step_int8';

/** Inputs and outputs of a decoder step graph, fp32 or int8. */
const STEP_IO = Object.freeze({ inputs: ['ctx', 'token', 'h'], outputs: ['logits', 'h_out'] });

/** Input and output names each graph must have (the export contract). */
export const GRAPH_IO: Readonly<Record<GraphName, { inputs: readonly string[]; outputs: readonly string[] }>> = Object.freeze({
  encoder: { inputs: ['tokens', 'lengths'], outputs: ['mu', 'logvar'] },
  decoder_init: { inputs: ['z'], outputs: ['h0', 'ctx'] },
  decoder_step: STEP_IO,
  decoder_step_int8: STEP_IO,
});

/** Default file of each graph in the model directory. */
const DEFAULT_FILES: Readonly<Record<GraphName, string>> = Object.freeze({
  encoder: 'encoder.onnx',
  decoder_init: 'decoder_init.onnx',
  decoder_step: 'decoder_step.onnx',
  decoder_step_int8: 'decoder_step.int8.onnx',
});

/** metadata.json, camel-cased and checked. */
export interface ModelMetadata {
  modelVersion: string;
  /** Latent size D. */
  latentDim: number;
  /** Decoder GRU hidden size H. */
  decHidden: number;
  /** Decoder GRU layers. */
  decLayers: number;
  /** Vocabulary size V. */
  vocabSize: number;
  /** Most tokens of an encoder input (without `<bos>`/`<eos>`). */
  maxLen: number;
  /** Most decoder steps (max_len + 1 for the `<eos>`). */
  maxDecodeSteps: number;
  /** Width C of the decoder conditioning ctx (3H for a GRU decoder). */
  contextDim: number;
  opset?: number;
  configSha256?: string;
  /** ONNX file of each graph, absolute; `decoder_step_int8` is undefined when metadata.json lists none. */
  files: Record<Exclude<GraphName, 'decoder_step_int8'>, string> & { decoder_step_int8?: string };
}

function readJson(file: string): unknown {
  if (!existsSync(file)) throw new ModelLoadError('model file not found', file);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ModelLoadError(`cannot parse JSON: ${e instanceof Error ? e.message : String(e)}`, file, { cause: e });
  }
}

function positiveInt(obj: Record<string, unknown>, key: string, file: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new ModelLoadError(`metadata "${key}" must be a positive integer, got ${JSON.stringify(v)}`, file);
  }
  return v;
}

/**
 * Reads and checks metadata.json of a model directory.
 * @throws {ModelLoadError} when the file is missing, unparsable, or a field is missing or out of range
 */
export function readMetadata(dir: string): ModelMetadata {
  const file = path.join(dir, 'metadata.json');
  const raw = readJson(file);
  if (typeof raw !== 'object' || raw === null) throw new ModelLoadError('metadata must be a JSON object', file);
  const m = raw as Record<string, unknown>;
  if (typeof m.model_version !== 'string' || m.model_version.length === 0) {
    throw new ModelLoadError('metadata "model_version" must be a non-empty string', file);
  }
  const rawFiles = (m.files ?? {}) as Record<string, { path?: unknown; inputs?: unknown } | undefined>;
  const stepInputs = rawFiles.decoder_step?.inputs;
  if (Array.isArray(stepInputs) && stepInputs[0] === 'z') {
    throw new ModelLoadError(
      'this model directory was exported before the lean decoder form (decoder_step takes z, not ctx); re-export it from ' +
        'its checkpoint with `python3 notebooks/run.py --config <its config> --only 04`',
      file,
    );
  }
  const fileOf = (g: GraphName): string => {
    const p = rawFiles[g]?.path;
    return path.resolve(dir, typeof p === 'string' ? p : DEFAULT_FILES[g]);
  };
  const files: ModelMetadata['files'] = {
    encoder: fileOf('encoder'),
    decoder_init: fileOf('decoder_init'),
    decoder_step: fileOf('decoder_step'),
    decoder_step_int8: rawFiles.decoder_step_int8 ? fileOf('decoder_step_int8') : undefined,
  };
  const maxLen = positiveInt(m, 'max_len', file);
  return {
    modelVersion: m.model_version,
    latentDim: positiveInt(m, 'latent_dim', file),
    decHidden: positiveInt(m, 'dec_hidden', file),
    decLayers: positiveInt(m, 'dec_layers', file),
    vocabSize: positiveInt(m, 'vocab_size', file),
    maxLen,
    maxDecodeSteps: m.max_decode_steps === undefined ? maxLen + 1 : positiveInt(m, 'max_decode_steps', file),
    contextDim: positiveInt(m, 'context_dim', file),
    opset: typeof m.opset === 'number' ? m.opset : undefined,
    configSha256: typeof m.config_sha256 === 'string' ? m.config_sha256 : undefined,
    files,
  };
}

/**
 * Reads vocab.json of a model directory (checked further by the SmilesTokenizer constructor).
 * @throws {ModelLoadError} when the file is missing, unparsable or lacks tokens/pattern
 */
export function readVocab(dir: string): VocabJson {
  const file = path.join(dir, 'vocab.json');
  const raw = readJson(file) as Partial<VocabJson> | null;
  if (!raw || !Array.isArray(raw.tokens) || typeof raw.pattern !== 'string') {
    throw new ModelLoadError('vocab.json must have "tokens" (array) and "pattern" (string)', file);
  }
  return raw as VocabJson;
}
