/**
 * Unfolded Morgan (ECFP-like) count fingerprints with RDKit's 32-bit identifiers.
 *
 * Why this exists: the SA-score fragment table (src/chem/data/sa_fpscores.tsv.gz) is keyed by the *unfolded*
 * identifiers of RDKit's Morgan radius-2 count fingerprint (`rdMolDescriptors.GetMorganFingerprint(m, 2)`), but
 * RDKit MinimalLib 2025.03 (the WASM build) only returns folded bit vectors (`get_morgan_fp*`: options radius,
 * nBits, useChirality, useBondTypes, includeRedundantEnvironments, onlyNonzeroInvariants; no sparse/unfolded or
 * count variant). So the identifiers are recomputed here from the molecular graph, following RDKit's algorithm
 * (Code/GraphMol/Fingerprints/MorganFingerprints.cpp and FingerprintUtil.cpp; Rogers & Hahn, J. Chem. Inf. Model.
 * 2010, 50, 742, doi:10.1021/ci100050t):
 *
 * - atom invariants (`getConnectivityInvariants`, includeRingMembership = true): a hash of [atomic number,
 *   total degree, total H count including bonded H atoms, formal charge, int(atom mass − standard atomic weight)]
 *   plus 1 if the atom is in a ring;
 * - each iteration hashes (layer, own invariant, sorted (bond type, neighbour invariant) pairs);
 * - an environment (set of bonds) already seen, in this or an earlier iteration, is not counted again and its
 *   atom stops growing ("dead"; its invariant becomes 0 for later iterations); among equal environments of one
 *   iteration the smallest identifier is kept;
 * - hashing is RDKit's copy of boost's `hash_combine` with a 32-bit seed
 *   (`seed ^= v + 0x9e3779b9 + (seed << 6) + (seed >> 2)`), which is why the identifiers are platform independent.
 *
 * Chirality and features are not used (the defaults of `GetMorganFingerprint`). Verified identical to RDKit
 * 2022.09.3 Python `GetMorganFingerprint(m, 2).GetNonzeroElements()` on the molecules of test/reference/, and,
 * folded modulo 2048, to MinimalLib's own `get_morgan_fp` bits (test/chem/morgan.spec.ts).
 */
import type { MolGraph } from './graph';

/** `boost::hash_combine` on a 32-bit seed, as in RDKit's RDGeneral/hash/hash.hpp. */
export function hashCombine(seed: number, value: number): number {
  const mixed = (value >>> 0) + 0x9e3779b9 + ((seed << 6) >>> 0) + (seed >>> 2);
  return (seed ^ (mixed >>> 0)) >>> 0;
}

/** `gboost::hash<std::vector<uint32_t>>`: hash_combine over the elements starting from seed 0. */
export function hashVector(values: readonly number[]): number {
  let seed = 0;
  for (const v of values) seed = hashCombine(seed, v >>> 0);
  return seed;
}

/**
 * RDKit connectivity invariants (the ECFP atom invariants).
 *
 * @param deltaMass per atom, `int(atom.getMass() − standard atomic weight)` (0 unless the atom has an isotope label).
 */
export function connectivityInvariants(g: MolGraph, deltaMass: Int32Array): Uint32Array {
  const inv = new Uint32Array(g.numAtoms);
  for (let i = 0; i < g.numAtoms; i++) {
    const totalDegree = g.neighbors[i].length + g.totalHs[i];
    // RDKit uses getTotalNumHs(includeNeighbors = true): hydrogen *atoms* bonded to the atom count as Hs too.
    let hs = g.totalHs[i];
    for (const j of g.neighbors[i]) if (g.atomicNum[j] === 1) hs++;
    const comps = [g.atomicNum[i], totalDegree, hs, g.formalCharge[i], deltaMass[i]];
    if (g.inRing[i]) comps.push(1);
    inv[i] = hashVector(comps);
  }
  return inv;
}

/**
 * Unfolded Morgan count fingerprint: identifier -> number of occurrences, like RDKit's
 * `GetMorganFingerprint(mol, radius).GetNonzeroElements()` (useChirality = false, useBondTypes = true,
 * useCounts = true, connectivity invariants).
 *
 * @param radius number of iterations (2 for ECFP4-like environments); must be a non-negative integer.
 */
export function morganCounts(g: MolGraph, deltaMass: Int32Array, radius = 2): Map<number, number> {
  return morganCountsMulti(g, connectivityInvariants(g, deltaMass), [radius])[0];
}

/**
 * Unfolded Morgan count fingerprints from given atom invariants, for several radii in one pass, following RDKit's
 * `MorganFingerprints::getFingerprint` (useChirality = false, useBondTypes = true, useCounts = true,
 * onlyNonzeroInvariants = false, includeRedundantEnvironments = false; Rogers & Hahn, J. Chem. Inf. Model. 2010, 50,
 * 742, doi:10.1021/ci100050t). The invariants are a parameter: connectivity invariants give
 * ECFP (`morganCounts`), feature invariants (fingerprints.ts `featureInvariants`) give FCFP.
 *
 * @param invariants per atom, the layer-0 identifiers (length `g.numAtoms`).
 * @param radii the radii wanted (non-negative integers).
 * @returns one count map per entry of `radii`, in that order.
 */
export function morganCountsMulti(
  g: MolGraph,
  invariants: Uint32Array,
  radii: readonly number[],
): Map<number, number>[] {
  for (const r of radii) {
    if (!Number.isInteger(r) || r < 0) throw new RangeError(`radius must be a non-negative integer, got ${r}`);
  }
  const maxRadius = Math.max(0, ...radii);
  const n = g.numAtoms;
  // identifiers added per layer; the count map for radius r is the union of layers 0..r
  const layers: number[][] = [];
  let inv = invariants;
  layers.push(Array.from(inv));

  const words = Math.max(1, Math.ceil(g.numBonds / 32));
  let atomEnv: Uint32Array[] = Array.from({ length: n }, () => new Uint32Array(words));
  const seen = new Set<string>();
  const dead = new Uint8Array(n);
  const nbrs: Array<[number, number]> = [];

  for (let layer = 0; layer < maxRadius; layer++) {
    const added: number[] = [];
    const roundInv = new Uint32Array(n);
    const roundEnv = atomEnv.map((e) => e.slice());
    const round: Array<{ key: string; id: number; atom: number }> = [];
    for (let atom = 0; atom < n; atom++) {
      if (dead[atom]) continue;
      const bonds = g.atomBonds[atom];
      if (bonds.length === 0) {
        dead[atom] = 1;
        continue;
      }
      const env = roundEnv[atom];
      nbrs.length = 0;
      for (const b of bonds) {
        env[b >>> 5] |= 1 << (b & 31);
        const other = g.bondBegin[b] === atom ? g.bondEnd[b] : g.bondBegin[b];
        const otherEnv = atomEnv[other];
        for (let w = 0; w < words; w++) env[w] |= otherEnv[w];
        nbrs.push([g.bondType[b], inv[other]]);
      }
      nbrs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      let id = hashCombine(layer, inv[atom]);
      for (const [bt, nbrInv] of nbrs) id = hashCombine(id, hashCombine(hashCombine(0, bt), nbrInv));
      roundInv[atom] = id;
      const key = env.join(',');
      round.push({ key, id, atom });
      if (seen.has(key)) dead[atom] = 1;
    }
    // among identical environments of one layer RDKit keeps the smallest identifier (then the smallest atom index)
    round.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.id - y.id || x.atom - y.atom));
    for (const t of round) {
      if (!seen.has(t.key)) {
        added.push(t.id);
        seen.add(t.key);
      } else {
        dead[t.atom] = 1;
      }
    }
    layers.push(added);
    inv = roundInv;
    atomEnv = roundEnv;
  }
  return radii.map((r) => {
    const counts = new Map<number, number>();
    for (let l = 0; l <= r && l < layers.length; l++) {
      for (const id of layers[l]) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  });
}

/** Folds unfolded identifiers into an `nBits` bit vector (bit = id mod nBits), packed little-endian per byte. */
export function foldToBits(ids: Iterable<number>, nBits = 2048): Uint8Array {
  const out = new Uint8Array(Math.ceil(nBits / 8));
  for (const id of ids) {
    const bit = id % nBits;
    out[bit >>> 3] |= 1 << (bit & 7);
  }
  return out;
}
