/**
 * The SMILES VAE on ONNX Runtime, without Nest: {@link loadModel} returns a {@link SmilesVae} that encodes SMILES to
 * latents and decodes latents to SMILES. ModelService (model.service.ts) wraps it for the Nest app; benchmarks and
 * tests can use it directly.
 */
import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Beam, beamSearch, checkBeamOptions } from './beam';
import { SmilesGrammar } from './syntax';
import { DecodedBatch, DecodeOptions, DecoderRunner, decodeLatents, GenerationConfig, resolveGenerationConfig, rowSeeds } from './decoding';
import {
  InvalidLatentError,
  ModelLoadError,
  ModelNotLoadedError,
  SmilesTooLongError,
  UntokenizableSmilesError,
} from './errors';
import { GRAPH_IO, GraphName, ModelMetadata, readMetadata, readVocab } from './model-files';
import { BackendLogger, createSession, Device, ExecutionProvider, HostTensor, OnnxSession } from './onnx-backend';
import { randomSeed } from './rng';
import { SmilesTokenizer } from './tokenizer';

/** Default cap on the rows of one ONNX run; larger requests are split into chunks of this size. */
export const DEFAULT_MAX_BATCH = 512;

/** Arithmetic of the decoder step: the fp32 graph, or the graph with int8 weights (decoder_step.int8.onnx). */
export type DecoderPrecision = 'fp32' | 'int8';

/** Precision choices of {@link LoadModelOptions.precision}: a {@link DecoderPrecision} or 'auto'. */
export const DECODER_PRECISIONS: readonly (DecoderPrecision | 'auto')[] = Object.freeze(['auto', 'fp32', 'int8'] as const);

/**
 * Checks a precision name.
 * @throws {Error} naming the accepted values
 */
export function parseDecoderPrecision(value: string): DecoderPrecision | 'auto' {
  if (!(DECODER_PRECISIONS as readonly string[]).includes(value)) {
    throw new Error(`decoder precision must be one of ${DECODER_PRECISIONS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as DecoderPrecision | 'auto';
}

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** 'cpu' (default), 'cuda' or 'auto' (CUDA, else CPU); see DEVICES in onnx-backend.ts. */
  device?: Device;
  /** ONNX Runtime intra-op threads per session; default 1 (see onnx-backend.ts). */
  intraOpNumThreads?: number;
  /** Rows per ONNX run, integer >= 1; default {@link DEFAULT_MAX_BATCH}. */
  maxBatch?: number;
  /**
   * Decoder step precision. 'auto' (default): int8 when the model directory has decoder_step.int8.onnx and the
   * sessions run on the CPU provider (steps 1.8-2.2x shorter than fp32 at batch 512 on the 2-core reference machine,
   * same validity and reconstruction within sampling noise; see README), else fp32 (the int8 operator,
   * MatMulIntegerToFloat, has no CUDA kernel). 'int8' without the file is a ModelLoadError.
   */
  precision?: DecoderPrecision | 'auto';
  /** Logger; default Nest `Logger` with context 'SmilesVae'. */
  logger?: BackendLogger;
}

/** Latents of an encoded batch. */
export interface EncodedBatch {
  /** Posterior means, [batch, dim] float32, row-major. */
  mu: Float32Array;
  /** Posterior log-variances, [batch, dim] float32, row-major. */
  logvar: Float32Array;
  batch: number;
  dim: number;
}

/** One decoded row with its token ids. */
export interface DecodedSequence {
  /** Raw decoded string; may be invalid SMILES (the chemistry layer validates). */
  smiles: string;
  /** Generated ids, with the final `<eos>` when `ended`. */
  ids: number[];
  /** Whether the row emitted `<eos>` (false: cut at maxSteps, the string is likely truncated). */
  ended: boolean;
}

function toFloat32(t: HostTensor | undefined, what: string): Float32Array {
  if (t === undefined || t.type !== 'float32') throw new Error(`${what}: expected a float32 output`);
  return t.data;
}

/** Loaded model. Create with {@link loadModel}; call {@link dispose} when done. */
export class SmilesVae {
  /** The decoder networks as a {@link DecoderRunner} (decoder_init and decoder_step on host arrays). */
  readonly decoder: DecoderRunner;
  /** Which decoder step graph runs: 'fp32' (decoder_step.onnx) or 'int8' (decoder_step.int8.onnx). */
  readonly decoderPrecision: DecoderPrecision;
  /** The vocabulary's SMILES grammar, for the decode-time syntax mask. */
  readonly grammar: SmilesGrammar;
  private sessions: Record<LoadedGraph, OnnxSession> | undefined;

  /** @internal use {@link loadModel} */
  constructor(
    /** Absolute model directory. */
    readonly dir: string,
    readonly metadata: ModelMetadata,
    readonly tokenizer: SmilesTokenizer,
    sessions: Record<LoadedGraph, OnnxSession>,
    /** Rows per ONNX run. */
    readonly maxBatch: number,
    decoderPrecision: DecoderPrecision,
  ) {
    this.sessions = sessions;
    this.decoderPrecision = decoderPrecision;
    this.grammar = new SmilesGrammar(tokenizer.vocabulary);
    const { latentDim, vocabSize, decLayers, decHidden, contextDim } = metadata;
    const batchDims = (batch: number) => [decLayers, batch, decHidden];
    this.decoder = {
      latentDim,
      contextDim,
      vocabSize,
      layers: decLayers,
      hiddenSize: decHidden,
      init: async (z, batch) => {
        const out = await this.session('decoder_init').run({ z: { type: 'float32', data: z, dims: [batch, latentDim] } });
        return { h: toFloat32(out.h0, 'decoder_init'), ctx: toFloat32(out.ctx, 'decoder_init') };
      },
      step: async (ctx, tokens, h, batch) => {
        const out = await this.session('decoder_step').run({
          ctx: { type: 'float32', data: ctx, dims: [batch, contextDim] },
          token: { type: 'int64', data: tokens, dims: [batch] },
          h: { type: 'float32', data: h, dims: batchDims(batch) },
        });
        return { logits: toFloat32(out.logits, 'decoder_step'), h: toFloat32(out.h_out, 'decoder_step') };
      },
    };
  }

  /** Latent size D. */
  get latentDim(): number {
    return this.metadata.latentDim;
  }

  /** metadata.json `model_version`. */
  get modelVersion(): string {
    return this.metadata.modelVersion;
  }

  /** Execution provider the sessions run on ('cpu' or 'cuda'). */
  get executionProvider(): ExecutionProvider {
    return this.session('encoder').executionProvider;
  }

  /** Whether {@link dispose} has been called. */
  get disposed(): boolean {
    return this.sessions === undefined;
  }

  /**
   * Token ids of each input, checked before anything runs.
   * @returns ids per input (without `<bos>`/`<eos>`)
   * @throws {UntokenizableSmilesError} | {OutOfVocabularyError} | {SmilesTooLongError} with the input's `index`
   */
  tokenizeBatch(smiles: readonly string[]): number[][] {
    if (!Array.isArray(smiles)) throw new UntokenizableSmilesError(String(smiles), -1);
    return smiles.map((s, i) => {
      const ids = this.tokenizer.encode(s, i);
      if (ids.length > this.metadata.maxLen) throw new SmilesTooLongError(s, ids.length, this.metadata.maxLen, i);
      return ids;
    });
  }

  /**
   * Encodes SMILES to the posterior mean and log-variance of each.
   *
   * Inputs should be RDKit canonical SMILES (the training data was canonical; other spellings of the same molecule
   * get other latents). Every input is checked before the encoder runs; requests larger than {@link maxBatch} run in
   * chunks of {@link maxBatch} rows. Callers (the API layer) should bound request sizes.
   *
   * @param smiles B strings
   * @returns mu and logvar, each [B, latentDim] float32 row-major (B = 0 gives empty arrays)
   * @throws {UntokenizableSmilesError} an input is empty or not covered by the tokenizer regex (`index` says which)
   * @throws {OutOfVocabularyError} an input has a token the model never saw (`index`, `token`)
   * @throws {SmilesTooLongError} an input has more than metadata `max_len` tokens (`index`)
   * @throws {ModelRunError} ONNX Runtime failed
   */
  async encode(smiles: readonly string[]): Promise<EncodedBatch> {
    const all = this.tokenizeBatch(smiles);
    const dim = this.latentDim;
    const mu = new Float32Array(all.length * dim);
    const logvar = new Float32Array(all.length * dim);
    const encoder = this.session('encoder');
    for (let start = 0; start < all.length; start += this.maxBatch) {
      const chunk = all.slice(start, start + this.maxBatch);
      const b = chunk.length;
      const l = Math.max(...chunk.map((ids) => ids.length));
      const tokens = new BigInt64Array(b * l); // right-padded with <pad> = 0
      const lengths = new BigInt64Array(b);
      chunk.forEach((ids, r) => {
        lengths[r] = BigInt(ids.length);
        ids.forEach((id, c) => (tokens[r * l + c] = BigInt(id)));
      });
      const out = await encoder.run({
        tokens: { type: 'int64', data: tokens, dims: [b, l] },
        lengths: { type: 'int64', data: lengths, dims: [b] },
      });
      mu.set(toFloat32(out.mu, 'encoder').subarray(0, b * dim), start * dim);
      logvar.set(toFloat32(out.logvar, 'encoder').subarray(0, b * dim), start * dim);
    }
    return { mu, logvar, batch: all.length, dim };
  }

  /**
   * Checks a latent batch.
   * @throws {InvalidLatentError} unless z is a Float32Array of length batch * latentDim with finite values
   */
  validateLatents(z: Float32Array, batch: number): void {
    const dim = this.latentDim;
    if (Object.prototype.toString.call(z) !== '[object Float32Array]') {
      throw new InvalidLatentError(`z must be a Float32Array, got ${Object.prototype.toString.call(z)}`);
    }
    if (!Number.isInteger(batch) || batch < 0) throw new InvalidLatentError(`batch must be an integer >= 0, got ${batch}`);
    if (z.length !== batch * dim) {
      throw new InvalidLatentError(`z has ${z.length} values, expected batch ${batch} x latentDim ${dim} = ${batch * dim}`);
    }
    for (let i = 0; i < z.length; i++) {
      if (!Number.isFinite(z[i])) {
        const row = Math.floor(i / dim);
        throw new InvalidLatentError(`z[${row}][${i % dim}] is ${z[i]}; every value must be finite`, row, i % dim);
      }
    }
  }

  /**
   * Checks decode options against this model and fills defaults.
   * @throws {InvalidDecodeOptionsError}
   */
  generationConfig(opts?: DecodeOptions): GenerationConfig {
    return resolveGenerationConfig(opts, {
      maxDecodeSteps: this.metadata.maxDecodeSteps,
      bos: this.tokenizer.bos,
      eos: this.tokenizer.eos,
      randomSeed,
    });
  }

  /**
   * Decodes latents to token ids and raw strings.
   *
   * Greedy decoding is deterministic and row-independent. Sampling with a seed is reproducible: row i draws from its
   * own stream derived from (seed, i), so it depends only on the seed, i and its z (not on chunking or other rows).
   *
   * @param z     [batch, latentDim] float32, row-major (copied; the caller may reuse it)
   * @param batch rows of z
   * @param opts  strategy ('greedy' | 'sample'), temperature, topK, seed, maxSteps: see {@link DecodeOptions}
   * @param config overrides of the resolved config, for tests and benchmarks (e.g. `{ dropEndedRows: false }`)
   * @throws {InvalidLatentError} wrong length, non-Float32Array or non-finite value
   * @throws {InvalidDecodeOptionsError} an option is out of range
   * @throws {ModelRunError} ONNX Runtime failed
   */
  async decodeSequences(
    z: Float32Array,
    batch: number,
    opts?: DecodeOptions,
    config?: Partial<Pick<GenerationConfig, 'dropEndedRows'>>,
  ): Promise<DecodedSequence[]> {
    this.validateLatents(z, batch);
    const cfg = { ...this.generationConfig(opts), ...config };
    const dim = this.latentDim;
    const result: DecodedSequence[] = [];
    for (let start = 0; start < batch; start += this.maxBatch) {
      const b = Math.min(this.maxBatch, batch - start);
      const zChunk = new Float32Array(z.subarray(start * dim, (start + b) * dim)); // own copy, this realm
      const seeds = cfg.strategy === 'sample' ? rowSeeds(cfg.seed, start, b) : undefined;
      const decoded: DecodedBatch = await decodeLatents(this.decoder, zChunk, b, cfg, seeds, this.grammar);
      decoded.ids.forEach((ids, r) => result.push({ smiles: this.tokenizer.decode(ids), ids, ended: decoded.ended[r] }));
    }
    return result;
  }

  /**
   * Beam search: per row, the `beamWidth` most probable token sequences (see beam.ts), best first, as raw SMILES.
   * Deterministic. Rows are chunked so that one decoder_step batch holds at most maxBatch beams.
   *
   * @param z     [batch, latentDim] float32, row-major (copied)
   * @param batch rows of z
   * @param opts  beamWidth (integer 1..10, default 5), lengthPenalty (GNMT alpha >= 0, default 0), maxSteps
   *              (1..max_decode_steps, default max_decode_steps), syntaxMask (default true)
   * @returns per row, up to beamWidth beams with smiles, ids, logProb (natural log), score and ended
   * @throws {InvalidLatentError} wrong length, non-Float32Array or non-finite value
   * @throws {InvalidDecodeOptionsError} an option is out of range
   * @throws {ModelRunError} ONNX Runtime failed
   */
  async decodeBeams(
    z: Float32Array,
    batch: number,
    opts: { beamWidth?: number; lengthPenalty?: number; maxSteps?: number; syntaxMask?: boolean } = {},
  ): Promise<(Beam & { smiles: string })[][]> {
    this.validateLatents(z, batch);
    const beamWidth = opts.beamWidth ?? 5;
    const lengthPenalty = opts.lengthPenalty ?? 0;
    checkBeamOptions(beamWidth, lengthPenalty);
    const base = this.generationConfig({ maxSteps: opts.maxSteps, syntaxMask: opts.syntaxMask });
    const config = { beamWidth, lengthPenalty, maxSteps: base.maxSteps, syntaxMask: base.syntaxMask, bos: base.bos, eos: base.eos };
    const dim = this.latentDim;
    const rowsPerChunk = Math.max(1, Math.floor(this.maxBatch / beamWidth));
    const result: (Beam & { smiles: string })[][] = [];
    for (let start = 0; start < batch; start += rowsPerChunk) {
      const b = Math.min(rowsPerChunk, batch - start);
      const zChunk = new Float32Array(z.subarray(start * dim, (start + b) * dim));
      const beams = await beamSearch(this.decoder, zChunk, b, config, this.grammar);
      for (const row of beams) result.push(row.map((x) => ({ ...x, smiles: this.tokenizer.decode(x.ids) })));
    }
    return result;
  }

  /**
   * Decodes latents to raw SMILES strings (may be chemically invalid; validation is the chemistry layer's job).
   * Same arguments and errors as {@link decodeSequences}.
   * @returns B strings
   */
  async decode(z: Float32Array, batch: number, opts?: DecodeOptions): Promise<string[]> {
    return (await this.decodeSequences(z, batch, opts)).map((s) => s.smiles);
  }

  /** Releases the three ONNX sessions. Idempotent; later calls throw {@link ModelNotLoadedError}. */
  async dispose(): Promise<void> {
    const s = this.sessions;
    this.sessions = undefined;
    if (s) await Promise.all(Object.values(s).map((x) => x.dispose()));
  }

  private session(name: LoadedGraph): OnnxSession {
    if (!this.sessions) throw new ModelNotLoadedError(`model ${this.metadata.modelVersion}`);
    return this.sessions[name];
  }
}

/** Checks a session's input/output names and the dims that metadata.json fixes. */
function checkSession(s: OnnxSession, g: GraphName, m: ModelMetadata, file: string): void {
  const problems: string[] = [];
  const io = GRAPH_IO[g];
  const names = (v: readonly { name: string }[]) => v.map((x) => x.name).join(',');
  if (names(s.inputs) !== io.inputs.join(',')) problems.push(`inputs [${names(s.inputs)}], expected [${io.inputs}]`);
  if (names(s.outputs) !== io.outputs.join(',')) problems.push(`outputs [${names(s.outputs)}], expected [${io.outputs}]`);
  const expectDims: Record<string, readonly (number | null)[]> = {
    mu: [null, m.latentDim],
    logvar: [null, m.latentDim],
    z: [null, m.latentDim],
    ctx: [null, m.contextDim],
    h0: [m.decLayers, null, m.decHidden],
    h: [m.decLayers, null, m.decHidden],
    h_out: [m.decLayers, null, m.decHidden],
    logits: [null, m.vocabSize],
  };
  for (const v of [...s.inputs, ...s.outputs]) {
    const want = expectDims[v.name];
    if (!want) continue;
    const ok = v.dims.length === want.length && want.every((w, i) => w === null || v.dims[i] === w);
    if (!ok) problems.push(`${v.name} dims [${v.dims}], expected [${want.map((w) => w ?? 'batch')}]`);
  }
  if (problems.length) throw new ModelLoadError(`${g} does not match metadata.json: ${problems.join('; ')}`, file);
}

/** The graphs a loaded model holds sessions for: decoder_step is the fp32 or the int8 step graph. */
type LoadedGraph = Exclude<GraphName, 'decoder_step_int8'>;

/**
 * Picks the decoder step graph for a requested precision (see {@link LoadModelOptions.precision}).
 * @throws {ModelLoadError} 'int8' asked for and the model directory has no int8 step graph
 */
export function chooseDecoderStep(
  metadata: ModelMetadata,
  requested: DecoderPrecision | 'auto',
  provider: ExecutionProvider,
): { precision: DecoderPrecision; file: string; reason: string } {
  const int8 = metadata.files.decoder_step_int8;
  const haveInt8 = int8 !== undefined && existsSync(int8);
  if (requested === 'fp32') return { precision: 'fp32', file: metadata.files.decoder_step, reason: 'asked for' };
  if (requested === 'int8') {
    if (!haveInt8) throw new ModelLoadError('precision int8 asked for, but the model directory has no decoder_step.int8.onnx', int8 ?? metadata.files.decoder_step);
    return { precision: 'int8', file: int8 as string, reason: provider === 'cpu' ? 'asked for' : `asked for (its int8 nodes run on the CPU, not ${provider})` };
  }
  if (!haveInt8) return { precision: 'fp32', file: metadata.files.decoder_step, reason: 'auto: the model directory has no int8 step graph' };
  if (provider !== 'cpu') return { precision: 'fp32', file: metadata.files.decoder_step, reason: `auto: int8 kernels are CPU-only, sessions run on ${provider}` };
  return { precision: 'int8', file: int8 as string, reason: 'auto: CPU provider and an int8 step graph in the model directory' };
}

/**
 * Loads a model directory (export.py's contract): metadata.json, vocab.json and the three ONNX sessions. The first
 * session settles the execution provider (device 'auto' logs which one and why); the others use the same one.
 *
 * @param dir  model directory (resolved against the working directory when relative)
 * @throws {ModelLoadError} a file is missing or does not match metadata.json
 * @throws {UnknownDeviceError} `opts.device` is not a known device
 */
export async function loadModel(dir: string, opts: LoadModelOptions = {}): Promise<SmilesVae> {
  const abs = path.resolve(dir);
  const logger = opts.logger ?? new Logger('SmilesVae');
  const maxBatch = opts.maxBatch ?? DEFAULT_MAX_BATCH;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new ModelLoadError(`maxBatch must be an integer >= 1, got ${maxBatch}`, abs);
  const metadata = readMetadata(abs);
  let tokenizer: SmilesTokenizer;
  try {
    tokenizer = new SmilesTokenizer(readVocab(abs));
  } catch (e) {
    if (e instanceof ModelLoadError) throw e;
    throw new ModelLoadError(`bad vocab.json: ${e instanceof Error ? e.message : String(e)}`, path.join(abs, 'vocab.json'), { cause: e });
  }
  if (tokenizer.size !== metadata.vocabSize) {
    throw new ModelLoadError(`vocab.json has ${tokenizer.size} tokens, metadata vocab_size is ${metadata.vocabSize}`, abs);
  }
  const created: OnnxSession[] = [];
  try {
    const config = { intraOpNumThreads: opts.intraOpNumThreads, logger };
    const encoder = await createSession(metadata.files.encoder, 'encoder', { ...config, device: opts.device ?? 'cpu' });
    created.push(encoder);
    const rest = { ...config, device: encoder.executionProvider };
    const decoderInit = await createSession(metadata.files.decoder_init, 'decoder_init', rest);
    created.push(decoderInit);
    const { precision, file: stepFile, reason } = chooseDecoderStep(metadata, opts.precision ?? 'auto', encoder.executionProvider);
    const stepGraph = precision === 'int8' ? 'decoder_step_int8' : 'decoder_step';
    const decoderStep = await createSession(stepFile, stepGraph, rest);
    created.push(decoderStep);
    logger.log(`decoder step ${precision} (${path.basename(stepFile)}): ${reason}`);
    const sessions = { encoder, decoder_init: decoderInit, decoder_step: decoderStep };
    checkSession(encoder, 'encoder', metadata, metadata.files.encoder);
    checkSession(decoderInit, 'decoder_init', metadata, metadata.files.decoder_init);
    checkSession(decoderStep, stepGraph, metadata, stepFile);
    return new SmilesVae(abs, metadata, tokenizer, sessions, maxBatch, precision);
  } catch (e) {
    await Promise.all(created.map((s) => s.dispose()));
    throw e;
  }
}
