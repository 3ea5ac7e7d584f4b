/**
 * Nest wrapper of the SMILES VAE: loads the model directory once at module init and exposes encode/decode.
 *
 * Configuration (read once, by {@link modelOptionsFromEnv}):
 *   MOLNAV_MODEL_DIR    model directory; relative paths are taken from the repository root.
 *                       Default `models/smiles-gru-vae-v2`.
 *   MOLNAV_DEVICE       'cpu' (default), 'cuda' or 'auto'.
 *   MOLNAV_ORT_THREADS  ONNX Runtime intra-op threads per session; default 1 (see onnx-backend.ts).
 *   MOLNAV_MAX_BATCH    rows per ONNX run (larger requests are chunked); default 512.
 *   MOLNAV_DECODER_PRECISION  'auto' (default: int8 decoder step on the CPU provider when the model has one), 'fp32'
 *                       or 'int8'; see LoadModelOptions.precision.
 *
 * Beside the ONNX graphs the model directory may hold `directions.json` (property directions, see directions.ts),
 * loaded and checked at init with the model; without it the model loads and {@link ModelService.directions} is null.
 *
 * Every encode/decode call reports its wall time and row count to src/observability/telemetry.ts (the
 * `molnav_model_batch_duration_seconds` metric); this layer does not depend on the metrics library.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { DecodeOptions } from './decoding';
import { PropertyDirections, readDirections } from './directions';
import { ModelNotLoadedError } from './errors';
import { DecodedSequence, DEFAULT_MAX_BATCH, EncodedBatch, loadModel, LoadModelOptions, parseDecoderPrecision, SmilesVae } from './model';
import { Device, parseDevice } from './onnx-backend';
import { timeModelBatch } from '../observability/telemetry';

/** Injection token of {@link ModelServiceOptions}. */
export const MODEL_OPTIONS = Symbol('MODEL_OPTIONS');

/** Default model directory, relative to the repository root. */
export const DEFAULT_MODEL_DIR = 'models/smiles-gru-vae-v2';

/** Options of {@link ModelService}. */
export interface ModelServiceOptions extends LoadModelOptions {
  /** Absolute model directory. */
  modelDir: string;
}

/** The repository root: the nearest directory above this file with a package.json. */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/**
 * Reads the service options from the environment (see the file header for the variables).
 * @throws {UnknownDeviceError} MOLNAV_DEVICE is not a known device
 * @throws {Error} MOLNAV_ORT_THREADS or MOLNAV_MAX_BATCH is not a positive integer, or MOLNAV_DECODER_PRECISION is not
 *   auto, fp32 or int8
 */
export function modelOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ModelServiceOptions {
  const int = (name: string): number | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(v)}`);
    return n;
  };
  const dir = env.MOLNAV_MODEL_DIR || DEFAULT_MODEL_DIR;
  return {
    modelDir: path.resolve(repoRoot(), dir),
    device: env.MOLNAV_DEVICE ? parseDevice(env.MOLNAV_DEVICE) : ('cpu' as Device),
    intraOpNumThreads: int('MOLNAV_ORT_THREADS'),
    maxBatch: int('MOLNAV_MAX_BATCH') ?? DEFAULT_MAX_BATCH,
    precision: env.MOLNAV_DECODER_PRECISION ? parseDecoderPrecision(env.MOLNAV_DECODER_PRECISION) : 'auto',
  };
}

/**
 * The SMILES VAE for the rest of the app. Latents are `Float32Array`s of shape [batch, latentDim], row-major.
 * Every method throws {@link ModelNotLoadedError} before `onModuleInit` has finished or after `onModuleDestroy`.
 */
@Injectable()
export class ModelService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ModelService.name);
  private readonly options: ModelServiceOptions;
  private model: SmilesVae | undefined;
  private propertyDirections: PropertyDirections | null = null;

  constructor(@Optional() @Inject(MODEL_OPTIONS) options?: ModelServiceOptions) {
    this.options = options ?? modelOptionsFromEnv();
  }

  /**
   * Loads metadata, vocabulary, the three ONNX sessions and, when present, directions.json; logs model version,
   * execution provider, load time and the property directions (or that there are none).
   * @throws {ModelLoadError} the model directory is missing or broken, or directions.json is malformed or belongs to
   *   another model (version or latent size)
   */
  async onModuleInit(): Promise<void> {
    if (this.model) return;
    const t0 = performance.now();
    const model = await loadModel(this.options.modelDir, { ...this.options, logger: this.options.logger ?? this.logger });
    const m = model.metadata;
    try {
      this.propertyDirections = readDirections(model.dir, { modelVersion: m.modelVersion, latentDim: m.latentDim });
    } catch (e) {
      await model.dispose();
      throw e;
    }
    this.model = model;
    this.logger.log(
      `loaded model ${m.modelVersion} from ${model.dir} on ${model.executionProvider.toUpperCase()} ` +
        `(latent ${m.latentDim}, vocab ${m.vocabSize}, max_len ${m.maxLen}, decoder step ${model.decoderPrecision}) in ${(performance.now() - t0).toFixed(0)} ms`,
    );
    const d = this.propertyDirections;
    if (d) this.logger.log(`property directions: ${[...d.properties.keys()].join(', ')} (${d.file})`);
    else this.logger.warn(`no directions.json in ${model.dir}: traverse is unavailable`);
  }

  /** Releases the ONNX sessions. */
  async onModuleDestroy(): Promise<void> {
    await this.dispose();
  }

  /** Releases the ONNX sessions; idempotent. */
  async dispose(): Promise<void> {
    const m = this.model;
    this.model = undefined;
    this.propertyDirections = null;
    if (m) await m.dispose();
  }

  /** The loaded model, for code that needs more than this service offers (benchmarks). */
  get loaded(): SmilesVae {
    if (!this.model) throw new ModelNotLoadedError();
    return this.model;
  }

  /** Latent size D. */
  get latentDim(): number {
    return this.loaded.latentDim;
  }

  /** metadata.json `model_version`, e.g. 'smiles-gru-vae-v1'. */
  get modelVersion(): string {
    return this.loaded.modelVersion;
  }

  /**
   * The model's property directions (directions.json, checked at init: unit-norm [latentDim] vectors, same model
   * version and latent size), or null when the model directory has none.
   */
  get directions(): PropertyDirections | null {
    if (!this.model) throw new ModelNotLoadedError();
    return this.propertyDirections;
  }

  /** Execution provider in use: 'cpu' or 'cuda'. */
  get executionProvider(): string {
    return this.loaded.executionProvider;
  }

  /**
   * Rows per ONNX run (default 512). encode/decode split larger requests into chunks of this size, so it bounds
   * memory per run, not request size: the API layer must cap request sizes.
   */
  get maxBatch(): number {
    return this.loaded.maxBatch;
  }

  /**
   * Encodes canonical SMILES to posterior mean and log-variance.
   * @param smiles B strings, expected RDKit canonical
   * @returns mu, logvar: [B, latentDim] float32 row-major; `batch` = B, `dim` = latentDim
   * @throws {UntokenizableSmilesError} | {OutOfVocabularyError} | {SmilesTooLongError} naming the input's `index`
   * @throws {ModelRunError} ONNX Runtime failed
   */
  async encode(smiles: string[]): Promise<EncodedBatch> {
    return timeModelBatch('encode', 'none', smiles.length, () => this.loaded.encode(smiles));
  }

  /**
   * Decodes latents to raw SMILES strings, which may be chemically invalid (the chemistry layer validates).
   * @param z     [batch, latentDim] float32 row-major
   * @param batch rows of z
   * @param opts  strategy 'greedy' (default) | 'sample'; temperature (> 0, default 1), topK (>= 1), seed (uint32;
   *              default random), maxSteps (1..max_decode_steps, default max_decode_steps). Greedy ignores
   *              temperature, topK and seed.
   * @returns batch strings
   * @throws {InvalidLatentError} z length != batch * latentDim, or a NaN/Infinity value
   * @throws {InvalidDecodeOptionsError} an option is out of range
   * @throws {ModelRunError} ONNX Runtime failed
   */
  async decode(z: Float32Array, batch: number, opts?: DecodeOptions): Promise<string[]> {
    return timeModelBatch('decode', opts?.strategy ?? 'greedy', batch, () => this.loaded.decode(z, batch, opts));
  }

  /** As {@link decode}, with token ids and whether each row emitted `<eos>` (false: cut at maxSteps). */
  async decodeSequences(z: Float32Array, batch: number, opts?: DecodeOptions): Promise<DecodedSequence[]> {
    return timeModelBatch('decode', opts?.strategy ?? 'greedy', batch, () => this.loaded.decodeSequences(z, batch, opts));
  }

  /** Beam search, per row the beamWidth most probable sequences: see {@link SmilesVae.decodeBeams}. */
  async decodeBeams(z: Float32Array, batch: number, opts?: Parameters<SmilesVae['decodeBeams']>[2]) {
    return timeModelBatch('decode', 'beam', batch, () => this.loaded.decodeBeams(z, batch, opts));
  }
}
