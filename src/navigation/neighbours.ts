/**
 * Neighbours of a molecule in latent space: decode points drawn around its posterior mean and keep the distinct
 * valid molecules, optionally inside an ECFP4 Tanimoto band.
 *
 * 1. The query is encoded to its posterior mean mu ([1, latentDim]).
 * 2. Each round draws a batch z = mu + radius * eps, eps ~ N(0, I) ([rows, latentDim] float32; isotropic noise from
 *    the request's seeded RNG), and decodes it in one call (greedy by default, or sampled with temperature / top-k).
 * 3. Every decode is canonicalised by RDKit and classified, in batch order: invalid (RDKit rejects it), identical to
 *    the query, duplicate (a molecule this request already saw, accepted or not), outside the band (Tanimoto to the
 *    query below `minTanimoto` or above `maxTanimoto`), or accepted. Once `count` neighbours are accepted the rest of
 *    the round is left unexamined.
 * 4. Rounds continue until `count` neighbours are found or `maxDecodes` decodes are spent (the attempt budget).
 * 5. With a band, the radius adapts after each round from that round's rejections: when more were too far
 *    (Tanimoto < minTanimoto) than too close (Tanimoto > maxTanimoto, or the query itself), the radius shrinks by
 *    {@link RADIUS_ADAPT_FACTOR}; when more were too close, it grows by the same factor; otherwise it stays. The radius
 *    stays within [{@link MIN_ADAPTED_RADIUS}, maxRadius].
 * Neighbours are returned by Tanimoto to the query, highest first (ties: earlier found first). Deterministic for a
 * given seed (noise and sampling seeds both derive from it).
 */
import { BadUserInputError } from '../common/errors';
import { checkDecodingChoice, decodePoints, DecodingChoice } from './decoding-choice';
import type { ChemPort, ModelPort, MolecularPropertiesLike, ResolvedMolecule } from './ports';

/**
 * Default noise radius, latent units (standard deviation of the noise per latent dimension; the noise vector's norm
 * is about radius x sqrt(128) = 11.3 x radius, against |mu| of about 5-6 for drugs). Chosen on v1 and re-checked on
 * the shipped v2 with scripts/measure-neighbours.ts (20 neighbours of celecoxib, ibuprofen, aspirin and imatinib,
 * greedy, seeds 0-2; table in README "Neighbours and property directions"): at 0.35 every drug finds 20 neighbours
 * in 40-56 decodes with a mean ECFP4 Tanimoto to the query of 0.21-0.49; at 0.25 aspirin mostly decodes to itself
 * and a few others (200-228 decodes for 20); at 0.5 the same cost at a lower Tanimoto for celecoxib and aspirin;
 * beyond 1 validity and similarity both fall steeply (mean 0.09-0.14 at 2).
 */
export const DEFAULT_NEIGHBOUR_RADIUS = 0.35;

/** Factor by which the radius shrinks (divided) or grows (multiplied) between rounds when a band is given. */
export const RADIUS_ADAPT_FACTOR = 1.5;

/** The adaptive radius never goes below this, latent units. */
export const MIN_ADAPTED_RADIUS = 0.01;

/** Rows decoded per round: twice the neighbours still missing, at least 16 and at most 256 (and within budget). */
export const MIN_ROUND_ROWS = 16;
export const MAX_ROUND_ROWS = 256;

export interface NeighbourOptions {
  /** Distinct valid neighbours wanted, >= 1. */
  count: number;
  /** Initial noise standard deviation, latent units, finite > 0. */
  radius: number;
  /** Upper bound of the adaptive radius, latent units. */
  maxRadius: number;
  /** Keep only neighbours with ECFP4 Tanimoto to the query >= this (0..1); null or undefined: no lower bound. */
  minTanimoto?: number | null;
  /** Keep only neighbours with Tanimoto <= this (0..1); null or undefined: no upper bound. */
  maxTanimoto?: number | null;
  decoding: DecodingChoice;
  /** Request seed: noise (through `normal`) and sampling seeds derive from it. */
  seed: number;
  /** Attempt budget: most decodes in total. */
  maxDecodes: number;
}

export interface Neighbour {
  canonicalSmiles: string;
  inchiKey: string | null;
  properties: MolecularPropertiesLike;
  /** ECFP4 Tanimoto similarity to the query, 0..1. */
  tanimoto: number;
  /** Round (1-based) in which it was found. */
  round: number;
  /** 1-based index of the decode that produced it, over the whole request. */
  foundAtDecode: number;
}

export interface NeighbourOutcome {
  /** Accepted neighbours, by Tanimoto to the query (desc). At most `count`. */
  neighbours: Neighbour[];
  requested: number;
  found: number;
  /** Rows decoded, >= invalidDecodes + identicalToQuery + duplicates + outsideBand + found (the rest are rows of the last round left unexamined once `count` was reached). */
  decodes: number;
  invalidDecodes: number;
  /** Decodes that gave back the query molecule itself. */
  identicalToQuery: number;
  /** Valid decodes of a molecule already seen in this request. */
  duplicates: number;
  /** Distinct valid molecules rejected by the Tanimoto band. */
  outsideBand: number;
  rounds: number;
  initialRadius: number;
  /** Radius after the last adaptation (equals initialRadius without a band). */
  finalRadius: number;
  /** True when `count` neighbours were found. */
  complete: boolean;
  /** Why the result is incomplete; null when complete. */
  message: string | null;
}

/**
 * Samples up to `count` distinct valid neighbours of `query` (see the file header for the algorithm).
 * @param normal standard normal draws (the request's seeded RNG), used for the latent noise
 * @throws BadUserInputError for options out of range (count < 1, radius not finite > 0, band outside 0..1 or
 *   min > max, maxDecodes < 1, bad temperature / topK), see {@link checkNeighbourOptions}
 * @throws the model port's errors for a query outside the model's vocabulary (MOLECULE_OUT_OF_DOMAIN)
 */
export async function sampleNeighbours(
  chem: ChemPort,
  model: ModelPort,
  query: ResolvedMolecule,
  opts: NeighbourOptions,
  normal: () => number,
): Promise<NeighbourOutcome> {
  checkNeighbourOptions(opts);
  const dim = model.latentDim;
  const lo = opts.minTanimoto ?? null;
  const hi = opts.maxTanimoto ?? null;
  const banded = lo !== null || hi !== null;
  const { mu } = await model.encode([query.canonicalSmiles]);
  const queryFp = chem.fingerprint(query.canonicalSmiles);
  const seen = new Set<string>([query.canonicalSmiles]);
  const found: Neighbour[] = [];
  let radius = opts.radius;
  let decodes = 0;
  let invalid = 0;
  let identical = 0;
  let duplicates = 0;
  let outsideBand = 0;
  let rounds = 0;

  while (found.length < opts.count && decodes < opts.maxDecodes) {
    const rows = Math.min(opts.maxDecodes - decodes, Math.max(MIN_ROUND_ROWS, Math.min(MAX_ROUND_ROWS, 2 * (opts.count - found.length))));
    const z = new Float32Array(rows * dim);
    for (let r = 0; r < rows; r++) for (let d = 0; d < dim; d++) z[r * dim + d] = mu[d] + radius * normal();
    const out = await decodePoints(model, chem, z, rows, opts.decoding, opts.seed, rounds);
    rounds += 1;
    let tooFar = 0;
    let tooClose = 0;
    for (let r = 0; r < rows && found.length < opts.count; r++) {
      const canon = chem.canonical(out[r]);
      if (canon === null) {
        invalid += 1;
        continue;
      }
      if (canon === query.canonicalSmiles) {
        identical += 1;
        tooClose += 1;
        continue;
      }
      if (seen.has(canon)) {
        duplicates += 1;
        continue;
      }
      seen.add(canon);
      const tanimoto = chem.tanimoto(chem.fingerprint(canon), queryFp);
      if (lo !== null && tanimoto < lo) {
        outsideBand += 1;
        tooFar += 1;
        continue;
      }
      if (hi !== null && tanimoto > hi) {
        outsideBand += 1;
        tooClose += 1;
        continue;
      }
      const { inchiKey, properties } = chem.describe(canon);
      found.push({ canonicalSmiles: canon, inchiKey, properties, tanimoto, round: rounds, foundAtDecode: decodes + r + 1 });
    }
    decodes += rows;
    if (banded && tooFar !== tooClose) {
      radius = tooFar > tooClose ? radius / RADIUS_ADAPT_FACTOR : radius * RADIUS_ADAPT_FACTOR;
      radius = Math.min(opts.maxRadius, Math.max(MIN_ADAPTED_RADIUS, radius));
    }
  }

  const complete = found.length >= opts.count;
  return {
    neighbours: [...found].sort((a, b) => b.tanimoto - a.tanimoto || a.foundAtDecode - b.foundAtDecode),
    requested: opts.count,
    found: found.length,
    decodes,
    invalidDecodes: invalid,
    identicalToQuery: identical,
    duplicates,
    outsideBand,
    rounds,
    initialRadius: opts.radius,
    finalRadius: radius,
    complete,
    message: complete
      ? null
      : `found ${found.length} of ${opts.count} neighbours within the budget of ${opts.maxDecodes} decodes ` +
        `(${invalid} invalid, ${identical} identical to the query, ${duplicates} duplicates, ${outsideBand} outside the band)`,
  };
}

/**
 * Checks neighbour options (the API calls it before anything is stored).
 * @throws BadUserInputError (BAD_USER_INPUT) naming the first bad option
 */
export function checkNeighbourOptions(o: NeighbourOptions): void {
  const bad = (msg: string): never => {
    throw new BadUserInputError(msg);
  };
  if (!Number.isInteger(o.count) || o.count < 1) bad(`count must be an integer >= 1, got ${o.count}`);
  if (!(Number.isFinite(o.radius) && o.radius > 0)) bad(`radius must be a finite number > 0, got ${o.radius}`);
  if (!(Number.isFinite(o.maxRadius) && o.maxRadius >= o.radius)) bad(`maxRadius must be finite and >= radius, got ${o.maxRadius}`);
  if (!Number.isInteger(o.maxDecodes) || o.maxDecodes < 1) bad(`maxDecodes must be an integer >= 1, got ${o.maxDecodes}`);
  for (const [name, v] of [['minTanimoto', o.minTanimoto], ['maxTanimoto', o.maxTanimoto]] as const) {
    if (v !== null && v !== undefined && !(v >= 0 && v <= 1)) bad(`${name} must be in 0..1, got ${v}`);
  }
  if (o.minTanimoto != null && o.maxTanimoto != null && o.minTanimoto > o.maxTanimoto) {
    bad(`minTanimoto (${o.minTanimoto}) must not exceed maxTanimoto (${o.maxTanimoto})`);
  }
  checkDecodingChoice(o.decoding);
}
