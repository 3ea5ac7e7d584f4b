/**
 * Interpolation between two molecules in latent space, with RDKit validity filtering and retries.
 *
 * 1. Both endpoints are encoded to their posterior means mu (`[2, latentDim]`).
 * 2. The path z(t) for t = 0, 1/steps, ..., 1 is built with LINEAR or SLERP.
 * 3. Interior points are greedily decoded in one batch (with `beamWidth`: beam search, each point taking its most
 *    probable beam that is valid and new to the path). A point whose decode is invalid (RDKit rejects it) or
 *    repeats an endpoint or an earlier point is retried: each retry round decodes `samplesPerRound` samples per
 *    pending point, at z(t) + noise (noise scale = round x the endpoints' mean posterior standard deviation) with
 *    temperature sampling, all pending points in one batch. The first valid, distinct sample wins (points are
 *    resolved in order of t, so earlier points take precedence).
 * 4. A point that finds nothing within `maxAttempts` decodes is returned as invalid with its reason.
 * Deterministic for a given seed.
 *
 * RDKit work is batched through `MoleculeBatchPort` (the scoring worker threads in the service): the endpoints are
 * described (InChIKey, properties, ECFP4) while the model encodes and decodes; each decode round canonicalises its
 * outputs in one batch, picks the winners in order of t, then describes the winners in a second batch, one parse each.
 */
import { roundSeed } from './decoding-choice';
import { interpolationPath, InterpolationKind, tGrid } from './latent';
import type { ChemPort, DescribedMolecule, ModelPort, MolecularPropertiesLike, MoleculeBatchPort, ResolvedMolecule } from './ports';

export interface InterpolationOptions {
  steps: number;
  method: InterpolationKind;
  seed: number;
  /** Total decodes allowed per interior point, including the first pass (1 greedy decode, or beamWidth beams). */
  maxAttempts: number;
  /** Beam search in the first pass with this many beams per point (1..MAX_BEAM_WIDTH); undefined: greedy. */
  beamWidth?: number;
  /** Sampled decodes per pending point per retry round. */
  samplesPerRound?: number;
  /** Sampling temperature of the retries. */
  temperature?: number;
}

export interface InterpolatedPoint {
  index: number;
  t: number;
  canonicalSmiles: string | null;
  inchiKey: string | null;
  properties: MolecularPropertiesLike | null;
  tanimotoToFrom: number | null;
  tanimotoToTo: number | null;
  source: 'INPUT' | 'GREEDY' | 'BEAM' | 'SAMPLED' | 'NONE';
  attempts: number;
  reason: string | null;
}

/** An endpoint as the caller gives it: a resolved molecule (ChemPort.resolveMolecule), not yet described. */
export type EndpointRef = Omit<ResolvedMolecule, 'inchiKey' | 'properties'>;

/** An endpoint of the path: the resolved molecule, described, and its ECFP4 (packed 2048 bits, as `DescribedMolecule.ecfp4`). */
export type Endpoint = ResolvedMolecule & { ecfp4: Uint8Array };

export interface InterpolationOutcome {
  path: InterpolatedPoint[];
  decodes: number;
  distinctIntermediates: number;
  /** The two endpoints, described. */
  from: Endpoint;
  to: Endpoint;
}

/** Mean of exp(0.5 * logvar) over a `[rows, dim]` batch: the typical posterior standard deviation. */
function meanStd(logvar: Float32Array): number {
  let s = 0;
  for (let i = 0; i < logvar.length; i++) s += Math.exp(0.5 * logvar[i]);
  return s / logvar.length;
}

export async function interpolate(
  chem: Pick<ChemPort, 'tanimoto'>,
  molecules: MoleculeBatchPort,
  model: ModelPort,
  fromRef: EndpointRef,
  toRef: EndpointRef,
  opts: InterpolationOptions,
  normal: () => number,
): Promise<InterpolationOutcome> {
  const dim = model.latentDim;
  const samplesPerRound = opts.samplesPerRound ?? 3;
  const temperature = opts.temperature ?? 0.7;
  // the endpoints are described in the worker threads while the model encodes and decodes
  const ends: Promise<[Endpoint, Endpoint]> = molecules
    .describeMany([fromRef.canonicalSmiles, toRef.canonicalSmiles])
    .then(([a, b]) => [
      { ...fromRef, inchiKey: a.inchiKey, properties: a.properties, ecfp4: a.ecfp4 },
      { ...toRef, inchiKey: b.inchiKey, properties: b.properties, ecfp4: b.ecfp4 },
    ]);
  ends.catch(() => undefined); // handled: awaited below (directly and by every description batch)
  const { mu, logvar } = await model.encode([fromRef.canonicalSmiles, toRef.canonicalSmiles]);
  const a = mu.slice(0, dim);
  const b = mu.slice(dim, 2 * dim);
  const noiseScale = meanStd(logvar);
  const ts = tGrid(opts.steps);
  const zPath = interpolationPath(a, b, ts, opts.method);
  const taken = new Set<string>([fromRef.canonicalSmiles, toRef.canonicalSmiles]);

  const path: InterpolatedPoint[] = ts.map((t, index) => ({
    index, t, canonicalSmiles: null, inchiKey: null, properties: null, tanimotoToFrom: null, tanimotoToTo: null,
    source: 'NONE', attempts: 0, reason: null,
  }));

  /** Description batches in flight: a round's winners are described while the next round decodes. */
  const describing: Promise<void>[] = [];
  /**
   * Settles one decode round: `decoded[k * perPoint + s]` is sample s of pending point `pending[k]`. Each point takes
   * its first valid sample not already on the path (points in order of t); the winners are then described in one
   * batch (not awaited here). Returns the points still pending.
   */
  const settle = async (pendingNow: number[], decoded: string[], perPoint: number, source: 'GREEDY' | 'BEAM' | 'SAMPLED'): Promise<number[]> => {
    const canon = await molecules.canonicalizeMany(decoded);
    const winners: Array<{ i: number; smiles: string }> = [];
    const still: number[] = [];
    pendingNow.forEach((i, k) => {
      path[i].attempts += perPoint;
      for (let s = 0; s < perPoint; s++) {
        const c = canon[k * perPoint + s];
        if (c !== null && !taken.has(c)) {
          taken.add(c);
          winners.push({ i, smiles: c });
          return;
        }
      }
      still.push(i);
    });
    winners.forEach(({ i, smiles }) => Object.assign(path[i], { canonicalSmiles: smiles, source }));
    const batch = Promise.all([molecules.describeMany(winners.map((w) => w.smiles)), ends]).then(([described, [from, to]]: [DescribedMolecule[], [Endpoint, Endpoint]]) => {
      const fpFrom = from.ecfp4;
      const fpTo = to.ecfp4;
      winners.forEach(({ i }, k) => {
        const d = described[k];
        Object.assign(path[i], {
          inchiKey: d.inchiKey, properties: d.properties,
          tanimotoToFrom: chem.tanimoto(d.ecfp4, fpFrom), tanimotoToTo: chem.tanimoto(d.ecfp4, fpTo),
        });
      });
    });
    batch.catch(() => undefined); // handled: a failure surfaces from Promise.all below, even if a later decode throws first
    describing.push(batch);
    return still;
  };

  let decodes = 0;
  let pending = path.slice(1, -1).map((p) => p.index);
  const firstPass = opts.beamWidth ?? 1;
  if (pending.length > 0) {
    const z = new Float32Array(pending.length * dim);
    pending.forEach((i, k) => z.set(zPath.subarray(i * dim, (i + 1) * dim), k * dim));
    if (opts.beamWidth === undefined) {
      const out = await model.decode(z, pending.length, { strategy: 'greedy' });
      decodes += out.length;
      pending = await settle(pending, out, 1, 'GREEDY');
    } else {
      const beams = await model.decodeBeams(z, pending.length, { beamWidth: firstPass, syntaxMask: true });
      // beamWidth strings per point, most probable first (a row with fewer beams repeats its last one)
      const out = beams.flatMap((row) => Array.from({ length: firstPass }, (_, s) => row[Math.min(s, row.length - 1)]?.smiles ?? ''));
      decodes += out.length;
      pending = await settle(pending, out, firstPass, 'BEAM');
    }
  }
  for (let round = 1; pending.length > 0 && firstPass + round * samplesPerRound <= opts.maxAttempts; round++) {
    const rows = pending.length * samplesPerRound;
    const z = new Float32Array(rows * dim);
    const sigma = noiseScale * round;
    pending.forEach((i, k) => {
      for (let s = 0; s < samplesPerRound; s++) {
        const off = (k * samplesPerRound + s) * dim;
        for (let d = 0; d < dim; d++) z[off + d] = zPath[i * dim + d] + sigma * normal();
      }
    });
    const out = await model.decode(z, rows, { strategy: 'sample', temperature, seed: roundSeed(opts.seed, round) });
    decodes += rows;
    pending = await settle(pending, out, samplesPerRound, 'SAMPLED');
  }
  const [from, to] = await ends;
  await Promise.all(describing);
  for (const i of pending) {
    path[i].reason = `no valid molecule distinct from the rest of the path within ${path[i].attempts} decodes`;
  }
  const endpoint = (m: Endpoint, index: number): InterpolatedPoint => ({
    index, t: ts[index], canonicalSmiles: m.canonicalSmiles, inchiKey: m.inchiKey, properties: m.properties,
    tanimotoToFrom: chem.tanimoto(m.ecfp4, from.ecfp4), tanimotoToTo: chem.tanimoto(m.ecfp4, to.ecfp4), source: 'INPUT', attempts: 0, reason: null,
  });
  path[0] = endpoint(from, 0);
  path[ts.length - 1] = endpoint(to, ts.length - 1);
  return { path, decodes, distinctIntermediates: path.slice(1, -1).filter((p) => p.canonicalSmiles !== null).length, from, to };
}
