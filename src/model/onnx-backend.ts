/**
 * The one module that talks to onnxruntime-node: it creates sessions and runs them, nothing else.
 *
 * The rest of src/model/ works with {@link HostTensor} (a typed array plus dims) and {@link OnnxSession}, so no
 * ONNX Runtime type leaks out of this file.
 *
 * Execution providers come from the frozen {@link DEVICES} table:
 *   - `cpu`:  the CPU execution provider.
 *   - `cuda`: CUDA only; fails to load where the CUDA provider library or a GPU is missing.
 *   - `auto`: CUDA if it loads, else CPU, with one log line saying which provider is in use and why.
 * onnxruntime-node's npm package ships only the CPU provider; the CUDA provider library
 * (`libonnxruntime_providers_cuda.so`) is fetched by its install script, which this project disables.
 *
 * Session options follow measurements on this project's 2-core machines: graph optimisation 'all', sequential
 * execution, thread spinning off (spinning threads of several sessions fight over the cores and double batch-1
 * latency), and 1 intra-op thread by default. With 2 threads, a decode slowed 2-8x whenever another process kept
 * the cores busy (measured while a training run held both cores: GRU-512 greedy decode of 64 latents 570 ms with 2
 * threads against 72 ms with 1), because every step waits for a descheduled worker. Raise it (MOLNAV_ORT_THREADS=2)
 * only on a machine the server has to itself.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import * as ort from 'onnxruntime-node';
import { InputDescription, ModelLoadError, ModelRunError, UnknownDeviceError } from './errors';

/** Device names accepted by {@link createSession}. */
export type Device = 'cpu' | 'cuda' | 'auto';

/** Execution providers this module can put into a session. */
export type ExecutionProvider = 'cpu' | 'cuda';

/** Device name -> execution providers to try, in order. Frozen: the only place device names are defined. */
export const DEVICES: Readonly<Record<Device, readonly ExecutionProvider[]>> = Object.freeze({
  cpu: Object.freeze(['cpu'] as const),
  cuda: Object.freeze(['cuda'] as const),
  auto: Object.freeze(['cuda', 'cpu'] as const),
});

/** Lists the device names of {@link DEVICES}. */
export function knownDevices(): Device[] {
  return Object.keys(DEVICES) as Device[];
}

/**
 * Checks a device name against {@link DEVICES}.
 * @throws {UnknownDeviceError} listing the known devices
 */
export function parseDevice(device: string): Device {
  if (!Object.prototype.hasOwnProperty.call(DEVICES, device)) {
    throw new UnknownDeviceError(device, knownDevices());
  }
  return device as Device;
}

/** Element types this module feeds and reads. */
export type TensorType = 'float32' | 'int64';

/** A host tensor: row-major typed array plus dims. `data.length` must equal the product of `dims`. */
export type HostTensor =
  | { type: 'float32'; data: Float32Array; dims: readonly number[] }
  | { type: 'int64'; data: BigInt64Array; dims: readonly number[] };

/** Minimal logger; Nest's `Logger` satisfies it. */
export interface BackendLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Options of {@link createSession}. */
export interface SessionConfig {
  /** Device from {@link DEVICES}. Default 'cpu'. */
  device?: Device;
  /** ONNX Runtime intra-op threads per session. Default {@link DEFAULT_INTRA_OP_THREADS}. Spinning is always off. */
  intraOpNumThreads?: number;
  /** Logger for the execution-provider line and failed runs. Default: Nest `Logger` with context 'OnnxBackend'. */
  logger?: BackendLogger;
}

/** Default intra-op threads per session (see the file header for why 1). */
export const DEFAULT_INTRA_OP_THREADS = 1;

/** Static description of one session input or output. Dims are numbers (fixed) or names (dynamic axes). */
export interface ValueInfo {
  name: string;
  type: string;
  dims: readonly (number | string)[];
}

/** Path of the CUDA provider library onnxruntime-node would load, or undefined where it cannot be worked out. */
function cudaProviderLibraryPath(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const main = require.resolve('onnxruntime-node');
    const pkgRoot = path.resolve(path.dirname(main), '..');
    return path.join(pkgRoot, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so');
  } catch {
    return undefined;
  }
}

function sessionOptions(ep: ExecutionProvider, threads: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [ep],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

function describe(feeds: Readonly<Record<string, HostTensor>>): InputDescription[] {
  return Object.entries(feeds).map(([name, t]) => ({
    name,
    type: t?.type ?? typeof t,
    dims: Array.isArray(t?.dims) ? [...t.dims] : [],
    length: t?.data?.length ?? -1,
  }));
}

/**
 * A loaded ONNX session with guarded runs. Create with {@link createSession}.
 */
export class OnnxSession {
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  private session: ort.InferenceSession | undefined;

  /** @internal */
  constructor(
    /** Name used in logs and errors (e.g. 'decoder_step'). */
    readonly name: string,
    session: ort.InferenceSession,
    /** Execution provider the session runs on. */
    readonly executionProvider: ExecutionProvider,
    private readonly logger: BackendLogger,
  ) {
    this.session = session;
    const info = (m: readonly ort.InferenceSession.ValueMetadata[]): ValueInfo[] =>
      m.map((v) => ({ name: v.name, type: v.isTensor ? v.type : 'non-tensor', dims: v.isTensor ? [...v.shape] : [] }));
    this.inputs = Object.freeze(info(session.inputMetadata));
    this.outputs = Object.freeze(info(session.outputMetadata));
  }

  /**
   * Checks feeds against the session's inputs: every missing and unexpected name, element type, rank, fixed dims,
   * consistent sizes of named dynamic axes (e.g. every `batch` the same), and data length = product of dims.
   * @returns the list of problems, empty when the feeds are valid
   */
  validate(feeds: Readonly<Record<string, HostTensor>>): string[] {
    const problems: string[] = [];
    const axes = new Map<string, { size: number; where: string }>();
    for (const input of this.inputs) {
      const t = feeds[input.name];
      if (t === undefined) {
        problems.push(`missing input "${input.name}"`);
        continue;
      }
      if (t.type !== input.type) problems.push(`input "${input.name}": type ${t.type}, expected ${input.type}`);
      const expectedArray = input.type === 'int64' ? BigInt64Array : input.type === 'float32' ? Float32Array : undefined;
      if (expectedArray && !(t.data instanceof expectedArray)) {
        problems.push(`input "${input.name}": data is ${t.data?.constructor?.name ?? typeof t.data}, expected ${expectedArray.name}`);
      }
      if (t.dims.length !== input.dims.length) {
        problems.push(`input "${input.name}": rank ${t.dims.length} [${t.dims.join(', ')}], expected [${input.dims.join(', ')}]`);
      } else {
        input.dims.forEach((want, i) => {
          const got = t.dims[i];
          if (!Number.isInteger(got) || got < 0) {
            problems.push(`input "${input.name}": dim ${i} is ${got}`);
          } else if (typeof want === 'number') {
            if (got !== want) problems.push(`input "${input.name}": dim ${i} is ${got}, expected ${want}`);
          } else {
            const seen = axes.get(want);
            if (seen === undefined) axes.set(want, { size: got, where: `${input.name}[${i}]` });
            else if (seen.size !== got) {
              problems.push(`axis "${want}": ${input.name}[${i}] = ${got} but ${seen.where} = ${seen.size}`);
            }
          }
        });
      }
      const n = t.dims.reduce((a, b) => a * b, 1);
      if (t.data && t.data.length !== n) {
        problems.push(`input "${input.name}": data length ${t.data.length} != product of dims [${t.dims.join(', ')}] = ${n}`);
      }
    }
    for (const name of Object.keys(feeds)) {
      if (!this.inputs.some((i) => i.name === name)) problems.push(`unexpected input "${name}"`);
    }
    return problems;
  }

  /**
   * Runs the session after {@link validate}. On failure logs each input's type and dims, then throws.
   * @param feeds input name -> host tensor
   * @returns output name -> host tensor (float32 or int64 outputs only)
   * @throws {ModelRunError} when validation fails, ONNX Runtime fails, or the session was disposed
   */
  async run(feeds: Readonly<Record<string, HostTensor>>): Promise<Record<string, HostTensor>> {
    const session = this.session;
    const problems = session ? this.validate(feeds) : ['session is disposed'];
    if (problems.length > 0) throw this.fail(problems, feeds);
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.type, t.data, t.dims);
      out = await session!.run(ortFeeds);
    } catch (e) {
      throw this.fail([e instanceof Error ? e.message : String(e)], feeds, e);
    }
    const result: Record<string, HostTensor> = {};
    for (const [name, v] of Object.entries(out)) {
      const t = v as ort.Tensor;
      if (t.type === 'float32') result[name] = { type: 'float32', data: t.data as Float32Array, dims: t.dims };
      else if (t.type === 'int64') result[name] = { type: 'int64', data: t.data as BigInt64Array, dims: t.dims };
      else throw this.fail([`output "${name}" has unsupported type ${t.type}`], feeds);
    }
    return result;
  }

  /** Releases the native session. Idempotent; later runs throw {@link ModelRunError}. */
  async dispose(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (s) await s.release();
  }

  /** Whether {@link dispose} has been called. */
  get disposed(): boolean {
    return this.session === undefined;
  }

  private fail(problems: string[], feeds: Readonly<Record<string, HostTensor>>, cause?: unknown): ModelRunError {
    const inputs = describe(feeds);
    this.logger.error(`session "${this.name}" (${this.executionProvider}) run failed: ${problems.join('; ')}`);
    for (const i of inputs) {
      this.logger.error(`  input "${i.name}": type ${i.type}, dims [${i.dims.join(', ')}], length ${i.length}`);
    }
    this.logger.error(`  expected: ${this.inputs.map((i) => `${i.name} ${i.type} [${i.dims.join(', ')}]`).join(', ')}`);
    return new ModelRunError(this.name, problems, inputs, { cause });
  }
}

/**
 * Creates a session on the first execution provider of `config.device` that loads.
 *
 * With device 'auto' the result's `executionProvider` says which provider was taken, and one line is logged
 * (CUDA in use, or CPU in use and why). Use that provider as `device` for the model's other sessions so they
 * all run on the same one.
 *
 * @param file   path of the .onnx file
 * @param name   name for logs and errors
 * @throws {UnknownDeviceError} when `config.device` is not in {@link DEVICES}
 * @throws {ModelLoadError} when the file is missing or no provider of the device can load it
 */
export async function createSession(file: string, name: string, config: SessionConfig = {}): Promise<OnnxSession> {
  const device = parseDevice(config.device ?? 'cpu');
  const logger = config.logger ?? new Logger('OnnxBackend');
  const threads = config.intraOpNumThreads ?? DEFAULT_INTRA_OP_THREADS;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new ModelLoadError(`intraOpNumThreads must be a positive integer, got ${threads}`, file);
  }
  if (!existsSync(file)) throw new ModelLoadError(`ONNX file not found for session "${name}"`, file);
  const candidates = DEVICES[device];
  const reasons: string[] = [];
  for (const ep of candidates) {
    if (ep === 'cuda' && device === 'auto') {
      // The probe keeps ONNX Runtime's own error lines out of the log on CPU-only installs.
      const lib = cudaProviderLibraryPath();
      if (lib !== undefined && !existsSync(lib)) {
        reasons.push(`CUDA provider library not installed (${lib})`);
        continue;
      }
    }
    try {
      const session = await ort.InferenceSession.create(file, sessionOptions(ep, threads));
      if (device === 'auto') {
        if (ep === 'cpu') logger.warn(`device "auto": using the CPU execution provider: ${reasons.join('; ')}`);
        else logger.log(`device "auto": using the CUDA execution provider`);
      }
      return new OnnxSession(name, session, ep, logger);
    } catch (e) {
      reasons.push(`${ep} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new ModelLoadError(`could not create session "${name}" on device "${device}": ${reasons.join('; ')}`, file);
}
