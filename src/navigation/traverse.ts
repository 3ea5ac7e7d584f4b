/**
 * Traversal of latent space along a property direction (directions.json of the model, see src/model/directions.ts).
 *
 * 1. The start molecule is encoded to its posterior mean mu ([1, latentDim]).
 * 2. For i = 0..steps, z_i = mu + (i / steps) * distance * d, with d the property's unit direction: offsets from
 *    0 to `distance` latent units ([steps + 1, latentDim] float32, one decode call; greedy by default, syntax mask on).
 * 3. Each decode is checked by RDKit: a valid point gets its canonical SMILES, properties, the actual value of the
 *    directed property, and ECFP4 Tanimoto to the start molecule; an invalid one gets RDKit's reason. Every point
 *    also gets the linear prediction start value + slope * offset.
 * 4. Over the valid distinct points (a molecule repeated at a later point counts once, at its first point), the
 *    Spearman rank correlation of the actual property with the offset, and whether the property moves monotonically
 *    in the predicted direction (sign of slope x distance).
 * Deterministic for a given seed (which matters only for sampled decoding).
 */
import { BadUserInputError } from '../common/errors';
import type { PropertyDirection } from '../model/directions';
import { checkDecodingChoice, decodePoints, DecodingChoice } from './decoding-choice';
import type { ChemPort, ModelPort, MolecularPropertiesLike, ResolvedMolecule } from './ports';

export interface TraverseOptions {
  /** Signed length of the walk along the direction, latent units; finite, non-zero, |distance| <= maxDistance. */
  distance: number;
  /** Intervals; the walk has steps + 1 points. */
  steps: number;
  minSteps: number;
  maxSteps: number;
  maxDistance: number;
  decoding: DecodingChoice;
  seed: number;
}

export interface TraversePoint {
  /** 0..steps. */
  index: number;
  /** index / steps, 0..1. */
  t: number;
  /** Signed distance from mu along the direction, latent units: t * distance. */
  offset: number;
  canonicalSmiles: string | null;
  inchiKey: string | null;
  properties: MolecularPropertiesLike | null;
  /** Actual value of the directed property of the decoded molecule (property units); null when invalid. */
  value: number | null;
  /** Linear prediction: the start molecule's value + slope * offset (property units). */
  predicted: number;
  /** ECFP4 Tanimoto to the start molecule, 0..1; null when invalid. */
  tanimotoToStart: number | null;
  /** False when the molecule already appeared at an earlier point (or the point is invalid). */
  distinct: boolean;
  /** RDKit's reason when the decode is invalid, else null. */
  reason: string | null;
}

export interface TraverseOutcome {
  direction: PropertyDirection;
  /** The start molecule's value of the directed property (property units). */
  startValue: number;
  points: TraversePoint[];
  decodes: number;
  validPoints: number;
  distinctValidPoints: number;
  /**
   * Spearman rank correlation (average ranks for ties) of the actual property with the offset over the valid
   * distinct points, -1..1; null with fewer than 3 such points or when either side is constant.
   */
  spearman: number | null;
  /**
   * Whether the actual property never moves against the predicted direction (sign of slope x distance) from one
   * valid distinct point to the next, in order of index; null with fewer than 2 such points.
   */
  monotonic: boolean | null;
}

/** A numeric property of a molecule by key, or null when the properties have no such number. */
export function propertyValue(p: MolecularPropertiesLike, key: string): number | null {
  const v = (p as unknown as Record<string, unknown>)[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Checks traverse options (the API calls it before anything is stored).
 * @throws BadUserInputError naming the first bad option: distance not finite, zero or over maxDistance in absolute
 *   value; steps not an integer in minSteps..maxSteps; bad temperature / topK
 */
export function checkTraverseOptions(o: TraverseOptions): void {
  if (!Number.isFinite(o.distance) || o.distance === 0 || Math.abs(o.distance) > o.maxDistance) {
    throw new BadUserInputError(`distance must be finite, non-zero and at most ${o.maxDistance} latent units in absolute value, got ${o.distance}`);
  }
  if (!Number.isInteger(o.steps) || o.steps < o.minSteps || o.steps > o.maxSteps) {
    throw new BadUserInputError(`steps must be an integer in ${o.minSteps}..${o.maxSteps}, got ${o.steps}`);
  }
  checkDecodingChoice(o.decoding);
}

/**
 * Walks from `start` along `direction` and decodes each point (see the file header).
 * @throws BadUserInputError for bad options (see {@link checkTraverseOptions}) or when the direction's key is not a
 *   numeric property of the start molecule
 * @throws the model port's errors for a start molecule outside the model's vocabulary (MOLECULE_OUT_OF_DOMAIN)
 */
export async function traverse(
  chem: ChemPort,
  model: ModelPort,
  start: ResolvedMolecule,
  direction: PropertyDirection,
  opts: TraverseOptions,
): Promise<TraverseOutcome> {
  checkTraverseOptions(opts);
  const startValue = propertyValue(start.properties, direction.property);
  if (startValue === null) throw new BadUserInputError(`"${direction.property}" is not a numeric molecular property`);
  const dim = model.latentDim;
  if (direction.direction.length !== dim) {
    throw new RangeError(`direction has ${direction.direction.length} values, the model's latent size is ${dim}`);
  }
  const { mu } = await model.encode([start.canonicalSmiles]);
  const n = opts.steps + 1;
  const z = new Float32Array(n * dim);
  const offsets = Array.from({ length: n }, (_, i) => (i === 0 ? 0 : (i / opts.steps) * opts.distance)); // no -0 at i = 0
  offsets.forEach((s, i) => {
    for (let d = 0; d < dim; d++) z[i * dim + d] = mu[d] + s * direction.direction[d];
  });
  const decoded = await decodePoints(model, chem, z, n, opts.decoding, opts.seed, 0);
  const startFp = chem.fingerprint(start.canonicalSmiles);
  // walks often repeat a molecule at consecutive points: describe and compare each distinct molecule once
  const described = new Map<string, { inchiKey: string | null; properties: MolecularPropertiesLike; tanimotoToStart: number }>();
  const points: TraversePoint[] = decoded.map((smiles, i) => {
    const base = { index: i, t: i / opts.steps, offset: offsets[i], predicted: startValue + direction.slope * offsets[i] };
    const v = chem.validate(smiles);
    if (v.canonicalSmiles === null) {
      return {
        ...base, canonicalSmiles: null, inchiKey: null, properties: null, value: null, tanimotoToStart: null, distinct: false,
        reason: `decoded ${JSON.stringify(smiles)} is not a valid molecule: ${v.reason ?? 'rejected by RDKit'}`,
      };
    }
    const canon = v.canonicalSmiles;
    let known = described.get(canon);
    const distinct = known === undefined;
    if (known === undefined) {
      known = { ...chem.describe(canon), tanimotoToStart: chem.tanimoto(chem.fingerprint(canon), startFp) };
      described.set(canon, known);
    }
    const { inchiKey, properties, tanimotoToStart } = known;
    return {
      ...base, canonicalSmiles: canon, inchiKey, properties, value: propertyValue(properties, direction.property),
      tanimotoToStart, distinct, reason: null,
    };
  });
  const used = points.filter((p) => p.distinct && p.value !== null);
  const sign = Math.sign(direction.slope * opts.distance);
  let monotonic: boolean | null = null;
  if (used.length >= 2) {
    monotonic = used.every((p, k) => k === 0 || sign * ((p.value as number) - (used[k - 1].value as number)) >= 0);
  }
  return {
    direction,
    startValue,
    points,
    decodes: n,
    validPoints: points.filter((p) => p.canonicalSmiles !== null).length,
    distinctValidPoints: used.length,
    spearman: spearman(used.map((p) => p.offset), used.map((p) => p.value as number)),
    monotonic,
  };
}

/** Ranks 1..n with ties given their average rank. */
export function averageRanks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = r;
    i = j + 1;
  }
  return ranks;
}

/**
 * Spearman rank correlation: Pearson correlation of the average ranks, -1..1.
 * @returns null for fewer than 3 pairs or when either side is constant
 * @throws RangeError when the arrays differ in length
 */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new RangeError(`spearman needs equal lengths, got ${x.length} and ${y.length}`);
  if (x.length < 3) return null;
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const mean = (x.length + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) ** 2;
    syy += (ry[i] - mean) ** 2;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}
