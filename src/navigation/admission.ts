/**
 * Admission control for the model-bound navigation operations (interpolate, optimize, sampleNeighbours, traverse,
 * askTellStart, askTellTell): at most `concurrency` run at once, the others wait in arrival order.
 *
 * Why: each of these alternates between ONNX Runtime (decode batches) and RDKit (canonicalisation, retries) many
 * times. Left to interleave freely on a 2-core machine, every stage of every request waits behind the stages of all
 * the others, so a request that needs several retry rounds pays the whole backlog several times over (processor
 * sharing): under 50 clients (bench/load.md, before this) interpolate took 9.0 s on average and the p99 of all
 * requests was 30.8 s. Admitting a few at a time runs each request's stages back to back, so its latency is its own
 * work plus its wait in line (bench/load.md). Cheap queries (molecule, candidates, libraries) are not gated.
 */
import { LimitExceededError } from '../common/errors';

export interface AdmissionOptions {
  /** Operations executing at once (>= 1). */
  concurrency: number;
  /** Operations allowed to wait; one more is refused with LIMIT_EXCEEDED instead of queueing without bound. */
  maxWaiting: number;
}

/**
 * Reads MOLNAV_NAVIGATION_CONCURRENCY (default 2, 1..64) and MOLNAV_NAVIGATION_QUEUE (default 256, 0..100000).
 * @throws Error naming the variable for a value out of range.
 */
export function admissionOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AdmissionOptions {
  const read = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer ${min}..${max}, got ${JSON.stringify(raw)}`);
    return n;
  };
  return {
    concurrency: read('MOLNAV_NAVIGATION_CONCURRENCY', 2, 1, 64),
    maxWaiting: read('MOLNAV_NAVIGATION_QUEUE', 256, 0, 100_000),
  };
}

/** A FIFO semaphore. */
export class Admission {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly options: AdmissionOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new Error('concurrency must be a positive integer');
  }

  /** Operations executing now and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /**
   * Runs `fn` once a slot is free (in arrival order) and releases the slot when it settles.
   * @throws LimitExceededError (LIMIT_EXCEEDED) when `maxWaiting` operations already wait; whatever `fn` throws.
   */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.options.concurrency) {
      if (this.waiting.length >= this.options.maxWaiting) {
        throw new LimitExceededError('navigation requests waiting for the model', this.options.maxWaiting, this.waiting.length + 1);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next in line
      else this.running--;
    }
  }
}
