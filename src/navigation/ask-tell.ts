/**
 * Ask/tell optimisation sessions: the service proposes molecules (optimiser points decoded and checked by RDKit),
 * the client scores them with its own tools and tells the scores back, and the optimiser moves on. The service keeps
 * no session in memory: the whole state (optimiser snapshot with its random stream, the pending batch, the scores
 * seen so far) is a JSON document saved with the run, so any process on the same store can continue a session, also
 * after a restart, and a continued session proposes exactly what the original would have.
 *
 * Scores are maximised. A molecule scored before (in this session) is not proposed for scoring again: its entry
 * carries `knownScore`, and the client may send null for it. Invalid decodes and null scores count as +Infinity
 * (worst) for the optimiser.
 */
import { AskTellOptimizer, restoreOptimizer } from '../optim/ask-tell';
import { createOptimizer, OptimizerKind } from '../optim/factory';
import type { ChemPort, ModelPort } from './ports';

/** Molecules remembered with their scores per session (older ones are forgotten first). */
export const ASK_TELL_MEMORY = 20000;

/** One proposed molecule of a batch. */
export interface AskedMolecule {
  index: number;
  /** RDKit canonical SMILES, null when the decode is invalid. */
  smiles: string | null;
  /** RDKit's reason when invalid. */
  reason: string | null;
  /** The score told for this molecule earlier in the session (no need to score it again). */
  knownScore: number | null;
}

/** The persisted session (JSON). */
export interface AskTellState {
  /** Incremented on every save: a tell carries the version it answers. */
  version: number;
  optimizer: unknown;
  pending: AskedMolecule[];
  /** Canonical SMILES -> score, insertion-ordered. */
  seen: Array<[string, number]>;
  told: number;
  best: Array<{ smiles: string; score: number }>;
}

export interface AskTellStartOptions {
  optimizer: OptimizerKind;
  /** Latent starts (the seed molecules' mu); empty = `priorStarts` points drawn from N(0, I). */
  starts: Float32Array[];
  priorStarts: number;
  sigma: number;
  population: number | null;
  seed: number;
  normal: () => number;
}

async function decodeBatch(chem: ChemPort, model: ModelPort, opt: AskTellOptimizer, seen: Map<string, number>): Promise<AskedMolecule[]> {
  const points = opt.ask();
  const dim = model.latentDim;
  const z = new Float32Array(points.length * dim);
  points.forEach((x, k) => z.set(x, k * dim));
  const decoded = await model.decode(z, points.length, { strategy: 'greedy' });
  return decoded.map((s, index) => {
    const v = chem.validate(s);
    const smiles = v.canonicalSmiles;
    return { index, smiles, reason: smiles === null ? v.reason : null, knownScore: smiles !== null ? seen.get(smiles) ?? null : null };
  });
}

/** Creates the optimiser and its first batch. */
export async function startSession(chem: ChemPort, model: ModelPort, opts: AskTellStartOptions): Promise<AskTellState> {
  const starts = opts.starts.length > 0 ? opts.starts : Array.from({ length: opts.priorStarts }, () => Float32Array.from({ length: model.latentDim }, () => opts.normal()));
  const opt = createOptimizer(opts.optimizer, { starts, sigma: opts.sigma, seed: opts.seed, population: opts.population ?? undefined });
  const pending = await decodeBatch(chem, model, opt, new Map());
  return { version: 1, optimizer: opt.snapshot(), pending, seen: [], told: 0, best: [] };
}

/** The outcome of a tell: the next state and the molecules newly scored (to store). */
export interface TellOutcome {
  state: AskTellState;
  scored: Array<{ smiles: string; score: number; order: number }>;
}

/**
 * Applies the client's scores to the pending batch, updates the optimiser and decodes the next batch.
 *
 * @param scores one entry per pending molecule, in order: a finite score, or null (invalid decode, not scored, or
 *   already known: the known score is used).
 * @throws RangeError when the number of scores differs from the batch, or a score is given for an invalid decode;
 *   Error when the stored optimiser state is corrupt.
 */
export async function tellSession(chem: ChemPort, model: ModelPort, state: AskTellState, scores: Array<number | null>): Promise<TellOutcome> {
  if (scores.length !== state.pending.length) {
    throw new RangeError(`expected ${state.pending.length} scores (one per proposed molecule, null where invalid or not scored), got ${scores.length}`);
  }
  const seen = new Map(state.seen);
  const scored: TellOutcome['scored'] = [];
  let told = state.told;
  const fitness = state.pending.map((m, i) => {
    const s = scores[i];
    if (m.smiles === null) {
      if (s !== null && s !== undefined) throw new RangeError(`scores[${i}]: molecule ${i} is an invalid decode; send null`);
      return Infinity;
    }
    if (s !== null && s !== undefined && !Number.isFinite(s)) throw new RangeError(`scores[${i}]: must be a finite number or null`);
    const known = seen.get(m.smiles);
    if (s === null || s === undefined) return known === undefined ? Infinity : -known;
    if (known === undefined) {
      seen.set(m.smiles, s);
      scored.push({ smiles: m.smiles, score: s, order: told++ });
    }
    return -s;
  });
  const opt = restoreOptimizer(state.optimizer);
  opt.tell(fitness);
  while (seen.size > ASK_TELL_MEMORY) seen.delete(seen.keys().next().value as string);
  const best = [...state.best, ...scored.map(({ smiles, score }) => ({ smiles, score }))]
    .sort((a, b) => b.score - a.score)
    .filter((x, i, all) => all.findIndex((y) => y.smiles === x.smiles) === i)
    .slice(0, 10);
  const pending = await decodeBatch(chem, model, opt, seen);
  return { state: { version: state.version + 1, optimizer: opt.snapshot(), pending, seen: [...seen], told, best }, scored };
}

/** Checks that a stored document is a session state. @throws Error otherwise. */
export function asSessionState(v: unknown): AskTellState {
  const s = v as Partial<AskTellState> | null;
  if (!s || typeof s.version !== 'number' || !Array.isArray(s.pending) || !Array.isArray(s.seen) || !Array.isArray(s.best) || typeof s.told !== 'number') {
    throw new Error('stored ask/tell state is malformed');
  }
  return s as AskTellState;
}
