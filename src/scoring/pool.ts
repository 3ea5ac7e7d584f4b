/**
 * Scores molecules in worker threads, so RDKit work stays off the event loop and a batch uses several cores. Each
 * worker loads its own RDKit WASM module and chemistry tables (about 0.7 s and 100 MB) and keeps the last few
 * compiled objectives. A batch is split into contiguous chunks, one per worker; results come back in input order.
 *
 * Under ts-node or jest (the module is a .ts file) the worker is started with ts-node's transpile-only hook;
 * from the compiled build it runs dist/scoring/scoring.worker.js.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { recordMolecules } from '../observability/telemetry';
import type { FingerprintedDescription } from '../chem/chemistry';
import type { ScoreResult } from './engine';
import type { ScoringSpec } from './spec';

/** Request to a worker: score canonical SMILES under an objective (spec validated by the caller). */
export interface ScoreRequest {
  id: number;
  /**
   * 'canonicalize': return RDKit canonical SMILES (or null) per input, without scoring. 'describe': InChIKey,
   * properties and ECFP4 of RDKit canonical SMILES (`Chemistry.describeCanonical`), without scoring.
   */
  op?: 'score' | 'canonicalize' | 'describe';
  spec: ScoringSpec | null;
  smiles: string[];
  /** The SMILES are RDKit canonical SMILES of valid molecules (the worker skips its own validation). */
  canonical: boolean;
}

/** Reply of a worker: one entry per SMILES (null when RDKit rejects it), or an error message. */
export interface ScoreReply {
  id: number;
  results?: Array<ScoreResult | null>;
  canonical?: Array<string | null>;
  described?: Array<FingerprintedDescription | null>;
  error?: string;
}

interface Pending {
  resolve: (r: unknown[]) => void;
  reject: (e: Error) => void;
}

/** Default number of scoring workers: the available cores, at most 4 (the main thread waits while a batch is scored). */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export class ScoringPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** Molecules scored since start (for the /metrics-style counters of the caller). */
  scoredCount = 0;

  private constructor(readonly size: number) {}

  /**
   * Starts `size` workers and waits until each has loaded RDKit.
   *
   * @param size workers, 1..16 (default `defaultPoolSize()`).
   * @throws RangeError for a bad size; Error when a worker fails to start.
   */
  static async create(size = defaultPoolSize()): Promise<ScoringPool> {
    if (!Number.isInteger(size) || size < 1 || size > 16) throw new RangeError(`pool size must be an integer 1..16, got ${size}`);
    const pool = new ScoringPool(size);
    try {
      await Promise.all(Array.from({ length: size }, () => pool.spawn()));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  private spawn(): Promise<void> {
    const js = join(__dirname, 'scoring.worker.js');
    const ts = join(__dirname, 'scoring.worker.ts');
    const worker = existsSync(js)
      ? new Worker(js)
      : new Worker(`require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(ts)});`, { eval: true });
    this.workers.push(worker);
    return new Promise((resolve, reject) => {
      const onReady = (msg: unknown) => {
        if (msg === 'ready') {
          worker.off('message', onReady);
          worker.on('message', (reply: ScoreReply) => this.settle(reply));
          resolve();
        } else if (typeof msg === 'object' && msg && 'fatal' in msg) {
          reject(new Error(`scoring worker failed to start: ${(msg as { fatal: string }).fatal}`));
        }
      };
      worker.on('message', onReady);
      worker.once('error', (err) => {
        reject(err);
        this.failAll(err);
      });
      worker.once('exit', (code) => {
        if (!this.closed) this.failAll(new Error(`scoring worker exited with code ${code}`));
      });
    });
  }

  private settle(reply: ScoreReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (reply.error !== undefined) p.reject(new Error(reply.error));
    else p.resolve(reply.canonical ?? reply.described ?? reply.results ?? []);
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /**
   * Scores `smiles` under `spec` (already validated with `validateScoringSpec`), split across the workers.
   *
   * @param canonical true when every SMILES is an RDKit canonical SMILES of a valid molecule (saves a parse each).
   * @returns one result per input, in order; null where RDKit rejects the SMILES.
   * @throws Error when the pool is closed or a worker fails.
   */
  async score(spec: ScoringSpec, smiles: readonly string[], canonical = false): Promise<Array<ScoreResult | null>> {
    const out = (await this.dispatch(smiles, (id, part) => ({ id, op: 'score', spec, smiles: part, canonical }))) as Array<ScoreResult | null>;
    this.scoredCount += smiles.length;
    recordMolecules('scoring_pool', 'score', smiles.length);
    return out;
  }

  /**
   * RDKit canonical SMILES of each input (null when invalid), computed in the workers.
   * @throws Error when the pool is closed or a worker fails.
   */
  async canonicalize(smiles: readonly string[]): Promise<Array<string | null>> {
    const out = (await this.dispatch(smiles, (id, part) => ({ id, op: 'canonicalize', spec: null, smiles: part, canonical: false }))) as Array<string | null>;
    recordMolecules('scoring_pool', 'canonicalize', smiles.length);
    return out;
  }

  /**
   * `Chemistry.describeCanonical` of each input (RDKit canonical SMILES of valid molecules), computed in the workers:
   * InChIKey, properties and ECFP4 from one parse; null where RDKit cannot parse the string.
   * @throws Error when the pool is closed or a worker fails.
   */
  async describeCanonical(canonicalSmiles: readonly string[]): Promise<Array<FingerprintedDescription | null>> {
    const out = (await this.dispatch(canonicalSmiles, (id, part) => ({ id, op: 'describe', spec: null, smiles: part, canonical: true }))) as Array<FingerprintedDescription | null>;
    recordMolecules('scoring_pool', 'describe', canonicalSmiles.length);
    return out;
  }

  /** Splits `smiles` into one contiguous chunk per worker and concatenates the replies in order. */
  private async dispatch(smiles: readonly string[], request: (id: number, part: string[]) => ScoreRequest): Promise<unknown[]> {
    if (this.closed) throw new Error('scoring pool is closed');
    if (smiles.length === 0) return [];
    const chunk = Math.ceil(smiles.length / this.workers.length);
    const parts: Promise<unknown[]>[] = [];
    for (let w = 0; w * chunk < smiles.length; w++) {
      const req = request(this.nextId++, smiles.slice(w * chunk, (w + 1) * chunk));
      parts.push(
        new Promise((resolve, reject) => {
          this.pending.set(req.id, { resolve, reject });
          this.workers[w].postMessage(req);
        }),
      );
    }
    return (await Promise.all(parts)).flat();
  }

  /** Stops the workers; pending requests fail. */
  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new Error('scoring pool closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
