/**
 * Beam search over the SMILES decoder: for each latent row, the `beamWidth` most probable token sequences.
 *
 * Per step, every live beam of every row runs in one decoder_step batch; each beam's logits go through the SMILES
 * syntax mask (syntax.ts, when on) and a log-softmax; each row then keeps the `beamWidth` best of its ended beams and
 * all one-token extensions of its live beams, ranked by summed log-probability (ties: earlier parent, then lower
 * token id). A row stops when its kept beams have all ended (log-probabilities only fall, so no live beam can pass
 * them), and every row stops after maxSteps tokens. Unlike a search that stops at the first ended beam, the k returned
 * beams are the k best the search kept. Final ranking may add the GNMT length penalty (Wu et al. 2016,
 * arXiv:1609.08144): score = logProb / ((5 + length) / 6)^alpha; alpha 0 (default) ranks by logProb alone.
 *
 * Beam search is deterministic: no RNG. With beamWidth 1 it is greedy decoding (same tokens as decodeLatents).
 */
import { InvalidDecodeOptionsError } from './errors';
import type { DecoderRunner } from './decoding';
import type { SmilesGrammar, SyntaxState } from './syntax';

/** Largest beam width accepted. */
export const MAX_BEAM_WIDTH = 10;

/** Beam search settings. */
export interface BeamConfig {
  /** Beams kept per row, integer in [1, MAX_BEAM_WIDTH]. */
  beamWidth: number;
  /** Most tokens per beam, `<eos>` included. */
  maxSteps: number;
  /** GNMT length-penalty exponent alpha >= 0 for the final ranking; 0 = rank by log-probability. */
  lengthPenalty: number;
  /** Decode under the SMILES syntax mask. */
  syntaxMask: boolean;
  bos: number;
  eos: number;
}

/** One finished or cut beam. */
export interface Beam {
  /** Generated ids, ending with `<eos>` when the beam ended by itself. */
  ids: number[];
  /** Sum of the log-probabilities of its tokens (natural log; after the syntax mask's renormalisation when on). */
  logProb: number;
  /** Ranking score: logProb / ((5 + length) / 6)^lengthPenalty. */
  score: number;
  /** Whether the beam emitted `<eos>`. */
  ended: boolean;
}

/**
 * Checks beam settings.
 * @throws {InvalidDecodeOptionsError} beamWidth not an integer in [1, 10], or lengthPenalty not finite >= 0
 */
export function checkBeamOptions(beamWidth: number, lengthPenalty: number): void {
  if (!Number.isInteger(beamWidth) || beamWidth < 1 || beamWidth > MAX_BEAM_WIDTH) {
    throw new InvalidDecodeOptionsError('beamWidth', `must be an integer in [1, ${MAX_BEAM_WIDTH}], got ${beamWidth}`);
  }
  if (!Number.isFinite(lengthPenalty) || lengthPenalty < 0) {
    throw new InvalidDecodeOptionsError('lengthPenalty', `must be a finite number >= 0, got ${lengthPenalty}`);
  }
}

interface LiveBeam {
  row: number;
  ids: number[];
  logProb: number;
  /** Position of this beam's hidden state in the last step's output, or -1 before the first step. */
  hIndex: number;
  syntax: SyntaxState | undefined;
}

interface Candidate {
  parent: LiveBeam | undefined; // undefined: an ended beam carried over
  parentIndex: number; // the parent's position in this step's batch
  ended?: Beam;
  token: number;
  logProb: number;
  order: number; // tie-break: parent position * V + token
}

/**
 * Beam search for a latent batch.
 * @param runner  the decoder networks
 * @param z       [batch, latentDim] float32, row-major; not modified
 * @param batch   rows of z
 * @param config  beam settings (checked with {@link checkBeamOptions} by the caller)
 * @param grammar the vocabulary's grammar; required when config.syntaxMask is on
 * @returns per row, up to beamWidth beams, best first
 * @throws {ModelRunError} from the runner
 */
export async function beamSearch(
  runner: DecoderRunner,
  z: Float32Array,
  batch: number,
  config: BeamConfig,
  grammar?: SmilesGrammar,
): Promise<Beam[][]> {
  if (config.syntaxMask && !grammar) throw new RangeError('syntaxMask is on but no SmilesGrammar was given');
  const { contextDim: C, vocabSize: V, layers: L, hiddenSize: H } = runner;
  const k = config.beamWidth;
  const finished: Beam[][] = Array.from({ length: batch }, () => []);
  if (batch === 0) return [];
  const { h: h0, ctx } = await runner.init(z, batch); // ctx [batch, C]: one row per input row, shared by its beams
  let hPrev = h0; // [L, n, H] of the beams of the previous step
  let nPrev = batch;
  let live: LiveBeam[] = Array.from({ length: batch }, (_, row) => ({
    row,
    ids: [],
    logProb: 0,
    hIndex: row,
    syntax: config.syntaxMask && grammar ? grammar.start(config.maxSteps) : undefined,
  }));
  const done = new Array<boolean>(batch).fill(false);
  const logits64 = new Float64Array(V);

  for (let step = 0; step < config.maxSteps && live.length > 0; step++) {
    const n = live.length;
    const ctxs = new Float32Array(n * C);
    const tokens = new BigInt64Array(n);
    const h = new Float32Array(L * n * H);
    live.forEach((b, j) => {
      ctxs.set(ctx.subarray(b.row * C, (b.row + 1) * C), j * C);
      tokens[j] = BigInt(b.ids.length ? b.ids[b.ids.length - 1] : config.bos);
      for (let l = 0; l < L; l++) h.set(hPrev.subarray((l * nPrev + b.hIndex) * H, (l * nPrev + b.hIndex + 1) * H), (l * n + j) * H);
    });
    const out = await runner.step(ctxs, tokens, h, n);

    // expansions per row
    const pools = new Map<number, Candidate[]>();
    live.forEach((b, j) => {
      const row = out.logits.subarray(j * V, (j + 1) * V);
      const masked = Float32Array.from(row);
      b.syntax?.mask(masked);
      let max = -Infinity;
      for (let v = 0; v < V; v++) if (masked[v] > max) max = masked[v];
      let sum = 0;
      for (let v = 0; v < V; v++) sum += masked[v] > -Infinity ? Math.exp(masked[v] - max) : 0;
      const logZ = max + Math.log(sum);
      for (let v = 0; v < V; v++) logits64[v] = masked[v] > -Infinity ? masked[v] - logZ : -Infinity;
      // the k best tokens of this beam are enough: no other extension of it can enter the row's top k
      const best = topIndices(logits64, k);
      const pool = pools.get(b.row) ?? [];
      for (const v of best) pool.push({ parent: b, parentIndex: j, token: v, logProb: b.logProb + logits64[v], order: j * V + v });
      pools.set(b.row, pool);
    });

    const next: LiveBeam[] = [];
    for (const [row, pool] of pools) {
      for (const e of finished[row]) pool.push({ parent: undefined, parentIndex: -1, ended: e, token: -1, logProb: e.logProb, order: -1 });
      pool.sort((a, b) => b.logProb - a.logProb || a.order - b.order);
      const kept = pool.slice(0, k);
      finished[row] = [];
      for (const c of kept) {
        if (c.ended) {
          finished[row].push(c.ended);
          continue;
        }
        const p = c.parent!;
        const ids = [...p.ids, c.token];
        if (c.token === config.eos) {
          finished[row].push({ ids, logProb: c.logProb, score: c.logProb, ended: true });
          continue;
        }
        let syntax: SyntaxState | undefined;
        if (p.syntax) {
          syntax = p.syntax.clone();
          syntax.advance(c.token);
        }
        next.push({ row, ids, logProb: c.logProb, hIndex: c.parentIndex, syntax });
      }
      if (kept.every((c) => c.ended || c.token === config.eos)) done[row] = true;
    }
    hPrev = out.h;
    nPrev = n;
    live = next.filter((b) => !done[b.row]);
  }
  // rows cut at maxSteps: their live beams join as not ended
  for (const b of live) finished[b.row].push({ ids: b.ids, logProb: b.logProb, score: b.logProb, ended: false });
  return finished.map((beams) =>
    beams
      .map((b) => ({ ...b, score: b.logProb / Math.pow((5 + b.ids.length) / 6, config.lengthPenalty) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k),
  );
}

/** Indices of the k largest finite values, largest first (lower index first on ties). */
function topIndices(values: Float64Array, k: number): number[] {
  const idx: number[] = [];
  for (let v = 0; v < values.length; v++) if (values[v] > -Infinity) idx.push(v);
  idx.sort((a, b) => values[b] - values[a] || a - b);
  return idx.slice(0, k);
}
