/**
 * The autoregressive decode loop of the SMILES VAE, written as named steps:
 *
 *   initHidden (once)  ->  per step: runStep -> selectTokens -> dropEndedRows, until every row ended or maxSteps
 *
 * - initHidden:     decoder_init: z [B, D] -> h0 [layers, B, H] and ctx [B, C], the row's conditioning (the z part of
 *                   the first GRU layer's input gates, computed once per row instead of once per token).
 * - runStep:        decoder_step on the running batch: (ctx [B', C], previous token [B'], h [layers, B', H])
 *                   -> logits [B', V], h'. The first step feeds `<bos>`.
 * - selectTokens:   per row: the SMILES syntax mask (syntax.ts; on by default), the logits processors (temperature,
 *                   top-k: small classes with one call signature; empty for greedy), then the sampler (greedy argmax, or a multinomial draw from the row's own seeded
 *                   {@link Rng}), then stopping: a row ends when it emits `<eos>`. Greedy decoding under the mask
 *                   asks the mask for its choice (SyntaxState.greedyChoice: the same token as mask + argmax, but only
 *                   the network's argmax is judged when it is allowed).
 * - dropEndedRows:  rows that ended leave ctx, h and the token batch, so later steps run on the rows still decoding
 *                   only (GenerationConfig.dropEndedRows, default on). The loop exits once every row has ended, and
 *                   after maxSteps tokens in any case.
 *
 * Matches the PyTorch reference `SmilesVAE.sample` (notebooks/molnav_vae/model.py) token for token in greedy mode:
 * rows that ended there keep being fed `<eos>`, which cannot change the other rows. Dropping ended rows pays because
 * decoded lengths vary and a batch otherwise runs until its longest row: GRU-512 model (a partly trained checkpoint),
 * greedy decode of N(0, I) latents, 1 thread, 2-core CPU shared with a training run: batch 64 in 62-78 ms against
 * 78-106 ms with the full batch; batch 256 in 200-285 ms against 750-1240 ms (2 of its rows never emit `<eos>`, so the
 * full batch runs all 121 steps).
 *
 * This module knows nothing of ONNX Runtime: it drives a {@link DecoderRunner}, which model.ts builds from the
 * decoder sessions and tests can fake.
 */
import { InvalidDecodeOptionsError } from './errors';
import { Rng } from './rng';
import { SmilesGrammar, SyntaxState } from './syntax';

/** The two decoder networks, on host arrays. All arrays are row-major float32 unless stated. */
export interface DecoderRunner {
  /** Latent size D. */
  readonly latentDim: number;
  /** Width C of the conditioning ctx that every step of a row takes. */
  readonly contextDim: number;
  /** Vocabulary size V (logits columns). */
  readonly vocabSize: number;
  /** GRU layers of the decoder. */
  readonly layers: number;
  /** GRU hidden size H. */
  readonly hiddenSize: number;
  /** decoder_init: z [batch, D] -> h0 [layers, batch, H] and ctx [batch, C]. */
  init(z: Float32Array, batch: number): Promise<{ h: Float32Array; ctx: Float32Array }>;
  /** decoder_step: ctx [batch, C], tokens [batch] int64, h [layers, batch, H] -> logits [batch, V], h' [layers, batch, H]. */
  step(ctx: Float32Array, tokens: BigInt64Array, h: Float32Array, batch: number): Promise<{ logits: Float32Array; h: Float32Array }>;
}

// ---------------------------------------------------------------------------------------------------------------
// Logits processors
// ---------------------------------------------------------------------------------------------------------------

/** A logits processor rewrites one row of logits ([V] float32) in place. */
export interface LogitsProcessor {
  process(logits: Float32Array): void;
}

/** Divides logits by a temperature > 0: below 1 sharpens the distribution, above 1 flattens it. */
export class TemperatureLogitsWarper implements LogitsProcessor {
  /** @throws {InvalidDecodeOptionsError} unless 0 < temperature < Infinity */
  constructor(readonly temperature: number) {
    if (!(temperature > 0) || !Number.isFinite(temperature)) {
      throw new InvalidDecodeOptionsError('temperature', `must be a finite number > 0, got ${temperature}`);
    }
  }

  process(logits: Float32Array): void {
    if (this.temperature === 1) return;
    for (let i = 0; i < logits.length; i++) logits[i] /= this.temperature;
  }
}

/**
 * Keeps the k largest logits and sets the others to -Infinity. Logits tied with the k-th largest are kept too, so a
 * row may keep more than k tokens on ties. k larger than the vocabulary keeps every token.
 */
export class TopKLogitsWarper implements LogitsProcessor {
  private scratch = new Float32Array(0);

  /** @throws {InvalidDecodeOptionsError} unless k is an integer >= 1 */
  constructor(readonly k: number) {
    if (!Number.isInteger(k) || k < 1) throw new InvalidDecodeOptionsError('topK', `must be an integer >= 1, got ${k}`);
  }

  process(logits: Float32Array): void {
    const v = logits.length;
    if (this.k >= v) return;
    if (this.scratch.length !== v) this.scratch = new Float32Array(v);
    this.scratch.set(logits);
    this.scratch.sort(); // ascending; NaN sorts last
    const threshold = this.scratch[v - this.k];
    for (let i = 0; i < v; i++) if (!(logits[i] >= threshold)) logits[i] = -Infinity;
  }
}

/** Applies processors in order. */
export class LogitsProcessorList implements LogitsProcessor {
  constructor(readonly processors: readonly LogitsProcessor[] = []) {}

  process(logits: Float32Array): void {
    for (const p of this.processors) p.process(logits);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Samplers
// ---------------------------------------------------------------------------------------------------------------

/** Picks the next token id from one row of processed logits ([V] float32), drawing from that row's `rng` if random. */
export interface Sampler {
  select(logits: Float32Array, rng: Rng): number;
}

/** argmax; the first index on ties (as torch.argmax). */
export class GreedySampler implements Sampler {
  select(logits: Float32Array): number {
    let best = 0;
    let bestValue = -Infinity;
    for (let i = 0; i < logits.length; i++) {
      if (logits[i] > bestValue) {
        bestValue = logits[i];
        best = i;
      }
    }
    return best;
  }
}

/** One draw from softmax(logits), using one `rng.nextFloat()` per call. -Infinity and NaN logits get probability 0. */
export class MultinomialSampler implements Sampler {
  private probs = new Float64Array(0);

  select(logits: Float32Array, rng: Rng): number {
    const v = logits.length;
    if (this.probs.length !== v) this.probs = new Float64Array(v);
    let max = -Infinity;
    for (let i = 0; i < v; i++) if (logits[i] > max) max = logits[i];
    if (max === -Infinity) return new GreedySampler().select(logits);
    let sum = 0;
    for (let i = 0; i < v; i++) {
      const p = logits[i] > -Infinity ? Math.exp(logits[i] - max) : 0; // NaN > x is false
      this.probs[i] = p;
      sum += p;
    }
    const u = rng.nextFloat() * sum;
    let acc = 0;
    let last = 0;
    for (let i = 0; i < v; i++) {
      if (this.probs[i] === 0) continue;
      acc += this.probs[i];
      last = i;
      if (u < acc) return i;
    }
    return last; // rounding left u at the very top
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Generation config and loop
// ---------------------------------------------------------------------------------------------------------------

/** Decode strategies. */
export type DecodeStrategy = 'greedy' | 'sample';

/** The closed set of {@link DecodeStrategy} values. */
export const DECODE_STRATEGIES: readonly DecodeStrategy[] = Object.freeze(['greedy', 'sample'] as const);

/** How to decode. Build with {@link resolveGenerationConfig}, which checks ranges and fills defaults. */
export interface GenerationConfig {
  /** 'greedy' (argmax, deterministic) or 'sample' (multinomial draws). Default 'greedy'. */
  strategy: DecodeStrategy;
  /** Sampling temperature, finite > 0. Default 1. Ignored by greedy (argmax does not depend on it). */
  temperature: number;
  /** Keep only the k most likely tokens when sampling, integer >= 1; undefined = all. Ignored by greedy. */
  topK: number | undefined;
  /** Seed of the sampling RNG, integer in [0, 2^32). Ignored by greedy. */
  seed: number;
  /** Most tokens generated per row, `<eos>` included; integer in [1, model max_decode_steps]. */
  maxSteps: number;
  /** Drop ended rows from the batch each step (faster). Default true; false runs the full batch every step. */
  dropEndedRows: boolean;
  /**
   * Mask tokens that would break SMILES syntax, organic-subset valence or aromatic ring rules (syntax.ts). Default
   * true; false decodes the network's raw choices (as the unconstrained PyTorch reference and the model card's
   * "unconstrained" figures).
   */
  syntaxMask: boolean;
  /** Special ids. */
  bos: number;
  eos: number;
}

/** Decode options as callers give them (all optional). */
export interface DecodeOptions {
  /** 'greedy' (default) or 'sample'. */
  strategy?: DecodeStrategy;
  /** Sampling temperature, finite > 0; default 1. Ignored by greedy. */
  temperature?: number;
  /** Top-k filter for sampling, integer >= 1; default none. Ignored by greedy. */
  topK?: number;
  /** Sampling seed, integer in [0, 2^32); default a random seed. Same seed + same z batch = same output. */
  seed?: number;
  /** Most tokens per row, integer in [1, max_decode_steps]; default the model's max_decode_steps. */
  maxSteps?: number;
  /** Decode under the SMILES syntax mask (default true); see {@link GenerationConfig.syntaxMask}. */
  syntaxMask?: boolean;
}

/**
 * Checks decode options and fills defaults.
 * @param limits the model's `maxDecodeSteps` and special ids; `randomSeed` is used when sampling without a seed
 * @throws {InvalidDecodeOptionsError} naming the first bad option
 */
export function resolveGenerationConfig(
  opts: DecodeOptions | undefined,
  limits: { maxDecodeSteps: number; bos: number; eos: number; randomSeed: () => number },
): GenerationConfig {
  const o = opts ?? {};
  const strategy = o.strategy ?? 'greedy';
  if (!DECODE_STRATEGIES.includes(strategy)) {
    throw new InvalidDecodeOptionsError('strategy', `must be one of ${DECODE_STRATEGIES.join(', ')}, got ${JSON.stringify(strategy)}`);
  }
  const temperature = o.temperature ?? 1;
  new TemperatureLogitsWarper(temperature); // validates
  if (o.topK !== undefined) new TopKLogitsWarper(o.topK); // validates
  const maxSteps = o.maxSteps ?? limits.maxDecodeSteps;
  if (!Number.isInteger(maxSteps) || maxSteps < 1 || maxSteps > limits.maxDecodeSteps) {
    throw new InvalidDecodeOptionsError('maxSteps', `must be an integer in [1, ${limits.maxDecodeSteps}], got ${maxSteps}`);
  }
  if (o.seed !== undefined && (!Number.isInteger(o.seed) || o.seed < 0 || o.seed >= 2 ** 32)) {
    throw new InvalidDecodeOptionsError('seed', `must be an integer in [0, 2^32), got ${o.seed}`);
  }
  if (o.syntaxMask !== undefined && typeof o.syntaxMask !== 'boolean') {
    throw new InvalidDecodeOptionsError('syntaxMask', `must be a boolean, got ${JSON.stringify(o.syntaxMask)}`);
  }
  return {
    strategy,
    temperature,
    topK: o.topK,
    seed: o.seed ?? (strategy === 'sample' ? limits.randomSeed() : 0),
    maxSteps,
    dropEndedRows: true,
    syntaxMask: o.syntaxMask ?? true,
    bos: limits.bos,
    eos: limits.eos,
  };
}

/** Decoded token ids of a batch. */
export interface DecodedBatch {
  /** Per row, the generated ids, ending with `<eos>` when the row ended by itself (at most maxSteps ids). */
  ids: number[][];
  /** Per row, whether it emitted `<eos>` (false = cut at maxSteps). */
  ended: boolean[];
  /** Decoder steps run. */
  steps: number;
}

/** Builds the logits processors of a config (empty for greedy). */
export function buildLogitsProcessors(config: GenerationConfig): LogitsProcessorList {
  if (config.strategy === 'greedy') return new LogitsProcessorList();
  const list: LogitsProcessor[] = [];
  if (config.temperature !== 1) list.push(new TemperatureLogitsWarper(config.temperature));
  if (config.topK !== undefined) list.push(new TopKLogitsWarper(config.topK));
  return new LogitsProcessorList(list);
}

/** Builds the sampler of a config. */
export function buildSampler(config: GenerationConfig): Sampler {
  return config.strategy === 'greedy' ? new GreedySampler() : new MultinomialSampler();
}

/**
 * Per-row sampling seeds of a request: row i gets the i-th `nextUint32()` of `new Rng(seed)`. Each row then draws
 * from its own stream, so a sampled row depends only on (seed, its index in the request, its z): not on the other
 * rows, on chunking, or on which rows ended first.
 * @param start index of the first row wanted (for chunks of a larger request)
 */
export function rowSeeds(seed: number, start: number, count: number): number[] {
  const master = new Rng(seed);
  for (let i = 0; i < start; i++) master.nextUint32();
  return Array.from({ length: count }, () => master.nextUint32());
}

/** Rows of `src` ([rows, width] in `blocks` blocks, e.g. layers) whose indices are in `keep`, in order. */
function gatherRows(src: Float32Array, blocks: number, rows: number, width: number, keep: readonly number[]): Float32Array {
  const out = new Float32Array(blocks * keep.length * width);
  for (let b = 0; b < blocks; b++) {
    const from = b * rows * width;
    const to = b * keep.length * width;
    keep.forEach((r, j) => out.set(src.subarray(from + r * width, from + (r + 1) * width), to + j * width));
  }
  return out;
}

/** State of a decode: the running batch (rows still decoding, unless dropEndedRows is off) and the results so far. */
interface DecodeState {
  /** Original index of each row of the running batch. */
  rows: number[];
  /** ctx of the running batch, [rows, C]. */
  ctx: Float32Array;
  /** Hidden state of the running batch, [layers, rows, H]. */
  h: Float32Array;
  /** Token fed at the next step, per running row. */
  tokens: BigInt64Array;
  /** Generated ids per original row. */
  ids: number[][];
  /** Whether each original row emitted <eos>. */
  ended: boolean[];
  steps: number;
}

/** Step runStep: one decoder_step on the running batch; updates h and returns logits [rows, V]. */
async function runStep(runner: DecoderRunner, state: DecodeState): Promise<Float32Array> {
  const out = await runner.step(state.ctx, state.tokens, state.h, state.rows.length);
  state.h = out.h;
  state.steps++;
  return out.logits;
}

/**
 * Steps processLogits, selectTokens and applyStopping for every running row: processes its logits in place, picks
 * its token, records it, and marks the row ended on <eos>. Sets the tokens of the next step.
 * @returns positions (in the running batch) of the rows that go on decoding
 */
function selectTokens(
  logits: Float32Array,
  state: DecodeState,
  vocabSize: number,
  processors: LogitsProcessor,
  sampler: Sampler,
  rngs: readonly Rng[],
  eos: number,
  syntax: readonly SyntaxState[] | undefined,
  greedy: boolean,
): number[] {
  const next = new BigInt64Array(state.rows.length);
  const goOn: number[] = [];
  const eosId = BigInt(eos);
  for (let j = 0; j < state.rows.length; j++) {
    const row = state.rows[j];
    if (state.ended[row]) {
      next[j] = eosId; // only with dropEndedRows off: as the PyTorch reference, feed <eos> to ended rows
      continue;
    }
    const rowLogits = logits.subarray(j * vocabSize, (j + 1) * vocabSize);
    let id: number;
    if (syntax && greedy) {
      id = syntax[row].greedyChoice(rowLogits); // = mask + argmax, judging only the argmax when it is allowed
    } else {
      syntax?.[row].mask(rowLogits);
      processors.process(rowLogits);
      id = sampler.select(rowLogits, rngs[row]);
    }
    syntax?.[row].advance(id);
    state.ids[row].push(id);
    next[j] = BigInt(id);
    if (id === eos) state.ended[row] = true;
    else goOn.push(j);
  }
  state.tokens = next;
  return goOn;
}

/** Step dropEndedRows: keeps only the running rows at positions `keep` in ctx, h and the next tokens. */
function dropEndedRows(state: DecodeState, keep: readonly number[], runner: DecoderRunner): void {
  if (keep.length === state.rows.length) return;
  const n = state.rows.length;
  state.ctx = gatherRows(state.ctx, 1, n, runner.contextDim, keep);
  state.h = gatherRows(state.h, runner.layers, n, runner.hiddenSize, keep);
  const tokens = state.tokens;
  state.tokens = BigInt64Array.from(keep, (j) => tokens[j]);
  state.rows = keep.map((j) => state.rows[j]);
}

/**
 * Decodes a latent batch to token ids.
 *
 * Rows are independent: a greedy row does not depend on the other rows of the batch, and a sampled row depends only
 * on its z and its seed (see {@link rowSeeds}).
 *
 * @param runner the decoder networks
 * @param z      [batch, latentDim] float32, row-major; not modified
 * @param batch  rows of z (0 gives an empty result without running anything)
 * @param config from {@link resolveGenerationConfig}
 * @param seeds  per-row sampling seeds; default `rowSeeds(config.seed, 0, batch)`. Unused by greedy.
 * @param grammar the vocabulary's SMILES grammar; required when `config.syntaxMask` is on
 * @throws {ModelRunError} from the runner
 * @throws {RangeError} seeds of the wrong length, or syntaxMask on without a grammar
 */
export async function decodeLatents(
  runner: DecoderRunner,
  z: Float32Array,
  batch: number,
  config: GenerationConfig,
  seeds?: readonly number[],
  grammar?: SmilesGrammar,
): Promise<DecodedBatch> {
  if (config.syntaxMask && !grammar) throw new RangeError('syntaxMask is on but no SmilesGrammar was given');
  const syntax = config.syntaxMask && grammar ? Array.from({ length: batch }, () => grammar.start(config.maxSteps)) : undefined;
  const processors = buildLogitsProcessors(config);
  const sampler = buildSampler(config);
  let rngs: Rng[];
  if (config.strategy === 'greedy') {
    rngs = new Array<Rng>(batch).fill(new Rng(0)); // never drawn from
  } else {
    const list = seeds ?? rowSeeds(config.seed, 0, batch);
    if (list.length !== batch) throw new RangeError(`${list.length} seeds for ${batch} rows`);
    rngs = list.map((s) => new Rng(s));
  }
  const state: DecodeState = {
    rows: Array.from({ length: batch }, (_, i) => i),
    ctx: new Float32Array(0),
    h: new Float32Array(0),
    tokens: new BigInt64Array(batch).fill(BigInt(config.bos)),
    ids: Array.from({ length: batch }, () => []),
    ended: new Array<boolean>(batch).fill(false),
    steps: 0,
  };
  if (batch === 0) return { ids: [], ended: [], steps: 0 };

  const first = await runner.init(z, batch); // initHidden, once
  state.h = first.h;
  state.ctx = first.ctx;
  while (state.steps < config.maxSteps) {
    const logits = await runStep(runner, state);
    const goOn = selectTokens(logits, state, runner.vocabSize, processors, sampler, rngs, config.eos, syntax, config.strategy === 'greedy');
    if (goOn.length === 0) break; // early exit: every row ended
    if (config.dropEndedRows) dropEndedRows(state, goOn, runner);
  }
  return { ids: state.ids, ended: state.ended, steps: state.steps };
}
