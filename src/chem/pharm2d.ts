/**
 * Gobbi 2D pharmacophore fingerprint ("PHCO" in GuacaMol), with RDKit's bit numbering.
 *
 * GuacaMol (Brown et al., J. Chem. Inf. Model. 2019, 59, 1096, doi:10.1021/acs.jcim.8b00839;
 * guacamol/utils/fingerprints.py) and TDC's PMO oracles compute `Generate.Gen2DFingerprint(mol, Gobbi_Pharm2D.factory)`
 * from RDKit's Python package (rdkit/Chem/Pharm2D/Gobbi_Pharm2D.py, Generate.py, SigFactory.py, Utils.py), which the
 * WASM build does not have. This file re-implements that algorithm (Gobbi & Poppinger, Biotechnol. Bioeng. 1998, 61,
 * 47, doi:10.1002/(SICI)1097-0290(199824)61:1<47::AID-BIT9>3.0.CO;2-Z):
 *
 * - 8 feature families, each one single-atom SMARTS (`GOBBI_FEATURES`), in RDKit's order (families sorted by name);
 * - 2- and 3-point pharmacophores: every multiset of families (combinations with repetition, in
 *   `Utils.GetIndexCombinations` order) and every assignment of *distinct* atoms to its points (atoms of the same
 *   family unordered, i.e. ascending atom index, as `Utils.GetUniqueCombinations` yields them);
 * - distances are topological (shortest-path bond counts, `Chem.GetDistanceMatrix`); a pharmacophore is dropped
 *   when any of its distances is < 2 or ≥ 100 (the first bin's lower and the last bin's upper edge; this also
 *   drops atoms in different fragments);
 * - distance bins [2,3) [3,4) [4,5) [5,6) [6,7) [7,8) [8,100); 3-point distances are taken in the order
 *   d(0,1), d(0,2), d(1,2) and put in canonical order by `Utils.OrderTriangle` when families repeat; the
 *   3-point "scaffolds" (bin triples) are those passing the binned triangle inequality (331 of 343);
 * - bit id = start(nPoints) + combinationIndex × nScaffolds + scaffoldIndex, signature size 39,972
 *   (2-point bits 0..251, 3-point bits 252..39,971).
 *
 * The result is the set of on bits of RDKit's `SparseBitVect`, ids identical to RDKit's (verified against RDKit
 * 2022.09 Python in test/chem/fingerprints.spec.ts).
 */

/** One Gobbi feature family: RDKit family label and its single-atom SMARTS (from Gobbi_Pharm2D.py's fdef). */
export interface GobbiFeature {
  readonly family: string;
  readonly smarts: string;
}

/**
 * The 8 Gobbi feature definitions in RDKit's family order (`SigFactory.GetFeatFamilies()`: labels sorted).
 * Source: rdkit/Chem/Pharm2D/Gobbi_Pharm2D.py (RDKit, BSD-3-Clause), after Gobbi & Poppinger 1998.
 */
export const GOBBI_FEATURES: readonly GobbiFeature[] = Object.freeze([
  // acidic group
  { family: 'AG', smarts: '[$([C,S](=[O,S,P])-[O;H1])]' },
  // aromatic ring-fusion / attachment atom
  { family: 'AR', smarts: '[$([a;D3](@*)(@*)*)]' },
  // basic group
  {
    family: 'BG',
    smarts:
      '[$([N;H2&+0][$([C,a]);!$([C,a](=O))]),$([N;H1&+0]([$([C,a]);!$([C,a](=O))])[$([C,a]);!$([C,a](=O))]),' +
      '$([N;H0&+0]([C;!$(C(=O))])([C;!$(C(=O))])[C;!$(C(=O))]),$([N,n;X2;+0])]',
  },
  // H-bond acceptor
  {
    family: 'HA',
    smarts:
      '[$([O,S;H1;v2]-[!$(*=[O,N,P,S])]),$([O,S;H0;v2]),$([O,S;-]),$([N&v3;H1,H2]-[!$(*=[O,N,P,S])]),' +
      '$([N;v3;H0]),$([n,o,s;+0]),F]',
  },
  // H-bond donor
  { family: 'HD', smarts: '[$([N;!H0;v3]),$([N;!H0;+1;v4]),$([O,S;H1;+0]),$([n;H1;+0])]' },
  // hydrophobic
  {
    family: 'LH',
    smarts: '[$([C;H2,H1](!=*)[C;H2,H1][C;H2,H1][$([C;H1,H2,H3]);!$(C=*)]),$(C([C;H2,H3])([C;H2,H3])[C;H2,H3])]',
  },
  // aliphatic ring-fusion / attachment atom
  { family: 'RR', smarts: '[$([A;D3](@*)(@*)*)]' },
  // unusual atom
  { family: 'X', smarts: '[!#1;!#6;!#7;!#8;!#9;!#16;!#17;!#35;!#53]' },
]);

/** Gobbi distance bins [lower, upper) in bonds (`Gobbi_Pharm2D.defaultBins`). */
export const GOBBI_BINS: ReadonlyArray<readonly [number, number]> = Object.freeze([
  [2, 3],
  [3, 4],
  [4, 5],
  [5, 6],
  [6, 7],
  [7, 8],
  [8, 100],
] as const);

const N_FEATS = GOBBI_FEATURES.length;
const N_BINS = GOBBI_BINS.length;
const MIN_D = GOBBI_BINS[0][0];
const MAX_D = GOBBI_BINS[N_BINS - 1][1];

/** bin index per distance 0..MAX_D-1 (-1 below the first bin). */
const BIN_OF = (() => {
  const t = new Int8Array(MAX_D).fill(-1);
  GOBBI_BINS.forEach(([lo, hi], b) => {
    for (let d = lo; d < hi; d++) t[d] = b;
  });
  return t;
})();

/** Index of each non-decreasing family tuple in RDKit's `GetIndexCombinations(nFeats, nSlots)` order. */
function combinationIndex(nSlots: number): Map<string, number> {
  const out = new Map<string, number>();
  const rec = (prefix: number[], from: number): void => {
    if (prefix.length === nSlots) {
      out.set(prefix.join(','), out.size);
      return;
    }
    for (let x = from; x < N_FEATS; x++) rec([...prefix, x], x);
  };
  rec([], 0);
  return out;
}

const COMBO2 = combinationIndex(2);
const COMBO3 = combinationIndex(3);

/**
 * 3-point scaffolds: bin triples (b01, b02, b12) in lexicographic order, kept when the binned triangle inequality
 * holds for every side (upper + upper ≥ lower, `Utils.BinsTriangleInequality`). Maps b01*49+b02*7+b12 -> index.
 */
const SCAFFOLD3 = (() => {
  const idx = new Int32Array(N_BINS * N_BINS * N_BINS).fill(-1);
  let n = 0;
  const ok = (x: readonly number[], y: readonly number[], z: readonly number[]): boolean =>
    !(x[1] + y[1] < z[0] || y[1] + z[1] < x[0] || z[1] + x[1] < y[0]);
  for (let a = 0; a < N_BINS; a++)
    for (let b = 0; b < N_BINS; b++)
      for (let c = 0; c < N_BINS; c++)
        if (ok(GOBBI_BINS[a], GOBBI_BINS[b], GOBBI_BINS[c])) idx[(a * N_BINS + b) * N_BINS + c] = n++;
  return { idx, count: n };
})();

/** First bit of the 2-point and 3-point blocks, and the signature size (39,972 for the Gobbi factory). */
export const GOBBI_START2 = 0;
export const GOBBI_START3 = GOBBI_START2 + COMBO2.size * N_BINS;
export const GOBBI_SIGNATURE_SIZE = GOBBI_START3 + COMBO3.size * SCAFFOLD3.count;

/**
 * `Utils.OrderTriangle`: canonical order of the three distances (d01, d02, d12) of a 3-point pharmacophore whose
 * (sorted) families are `f`; with three distinct families nothing changes. Returns the reordered distances.
 */
export function orderTriangle(f: readonly number[], d: readonly number[]): [number, number, number] {
  const [d0, d1, d2] = d;
  if (f[0] !== f[1] && f[1] !== f[2] && f[0] !== f[2]) return [d0, d1, d2];
  if (f[0] === f[1] && f[1] === f[2]) {
    const s0 = d0 + d1;
    const s1 = d0 + d2;
    const s2 = d1 + d2;
    const m = Math.max(s0, s1, s2);
    if (s0 === m) return d0 > d1 ? [d0, d1, d2] : [d1, d0, d2];
    if (s1 === m) return d0 > d2 ? [d0, d2, d1] : [d2, d0, d1];
    return d1 > d2 ? [d1, d2, d0] : [d2, d1, d0];
  }
  if (f[0] === f[1]) return d1 > d2 ? [d0, d1, d2] : [d0, d2, d1];
  if (f[0] === f[2]) return d0 > d2 ? [d0, d1, d2] : [d2, d1, d0];
  return d0 > d1 ? [d0, d1, d2] : [d1, d0, d2];
}

/** Combination index of families (i, j[, k]) for direct lookup: COMBO2_IDX[i*8+j], COMBO3_IDX[(i*8+j)*8+k]. */
const COMBO2_IDX = (() => {
  const t = new Int32Array(N_FEATS * N_FEATS).fill(-1);
  for (const [key, idx] of COMBO2) {
    const [i, j] = key.split(',').map(Number);
    t[i * N_FEATS + j] = idx;
  }
  return t;
})();
const COMBO3_IDX = (() => {
  const t = new Int32Array(N_FEATS * N_FEATS * N_FEATS).fill(-1);
  for (const [key, idx] of COMBO3) {
    const [i, j, k] = key.split(',').map(Number);
    t[(i * N_FEATS + j) * N_FEATS + k] = idx;
  }
  return t;
})();

/** Scaffold index of the bins of three (already canonically ordered) distances, -1 when not a valid scaffold. */
function scaffold3(e0: number, e1: number, e2: number): number {
  return SCAFFOLD3.idx[(BIN_OF[e0] * N_BINS + BIN_OF[e1]) * N_BINS + BIN_OF[e2]];
}

/**
 * Gobbi 2D pharmacophore fingerprint: RDKit `Generate.Gen2DFingerprint(mol, Gobbi_Pharm2D.factory).GetOnBits()`.
 *
 * @param numAtoms number of atoms of the molecule.
 * @param dist topological distance matrix, row-major `numAtoms × numAtoms` (any value ≥ 100 for atoms in different
 *   fragments), e.g. from `topologicalDistances`.
 * @param featureAtoms per Gobbi family (order of `GOBBI_FEATURES`), the atom indices its SMARTS matches, ascending
 *   and without duplicates.
 * @returns the on bits, ascending, in 0..`GOBBI_SIGNATURE_SIZE`-1.
 */
export function gobbiPharm2D(
  numAtoms: number,
  dist: ArrayLike<number>,
  featureAtoms: readonly (readonly number[])[],
): number[] {
  if (featureAtoms.length !== N_FEATS) {
    throw new RangeError(`expected ${N_FEATS} feature lists, got ${featureAtoms.length}`);
  }
  const seen = SEEN;
  const bits: number[] = [];
  const mark = (bit: number): void => {
    if (!seen[bit]) {
      seen[bit] = 1;
      bits.push(bit);
    }
  };
  try {
    collect(numAtoms, dist, featureAtoms, mark);
  } finally {
    for (const b of bits) seen[b] = 0;
  }
  return bits.sort((x, y) => x - y);
}

function collect(
  numAtoms: number,
  dist: ArrayLike<number>,
  featureAtoms: readonly (readonly number[])[],
  mark: (bit: number) => void,
): void {
  const ok = (d: number): boolean => d >= MIN_D && d < MAX_D;
  const D = (a: number, b: number): number => dist[a * numAtoms + b];
  // 2-point pharmacophores
  for (let i = 0; i < N_FEATS; i++) {
    const A = featureAtoms[i];
    for (let j = i; j < N_FEATS; j++) {
      const B = featureAtoms[j];
      const base2 = GOBBI_START2 + COMBO2_IDX[i * N_FEATS + j] * N_BINS;
      for (let p = 0; p < A.length; p++) {
        const a = A[p];
        for (let q = i === j ? p + 1 : 0; q < B.length; q++) {
          const b = B[q];
          if (a === b) continue;
          const d = D(a, b);
          if (ok(d)) mark(base2 + BIN_OF[d]);
        }
      }
    }
  }
  // 3-point pharmacophores
  for (let i = 0; i < N_FEATS; i++) {
    const A = featureAtoms[i];
    if (A.length === 0) continue;
    for (let j = i; j < N_FEATS; j++) {
      const B = featureAtoms[j];
      for (let k = j; k < N_FEATS; k++) {
        const C = featureAtoms[k];
        if (B.length === 0 || C.length === 0) continue;
        const base3 = GOBBI_START3 + COMBO3_IDX[(i * N_FEATS + j) * N_FEATS + k] * SCAFFOLD3.count;
        // which OrderTriangle rule applies (families are sorted, so f0 == f2 implies all equal)
        const rule = i === j ? (j === k ? 3 : 1) : j === k ? 2 : 0;
        for (let p = 0; p < A.length; p++) {
          const a = A[p];
          for (let q = i === j ? p + 1 : 0; q < B.length; q++) {
            const b = B[q];
            if (b === a) continue;
            const dab = D(a, b);
            if (!ok(dab)) continue;
            for (let r = j === k ? q + 1 : 0; r < C.length; r++) {
              const c = C[r];
              if (c === a || c === b) continue;
              const dac = D(a, c);
              if (!ok(dac)) continue;
              const dbc = D(b, c);
              if (!ok(dbc)) continue;
              let s: number;
              if (rule === 0) s = scaffold3(dab, dac, dbc);
              else if (rule === 1) s = dac > dbc ? scaffold3(dab, dac, dbc) : scaffold3(dab, dbc, dac);
              else if (rule === 2) s = dab > dac ? scaffold3(dab, dac, dbc) : scaffold3(dac, dab, dbc);
              else {
                const o = orderTriangle(ALL_SAME, [dab, dac, dbc]);
                s = scaffold3(o[0], o[1], o[2]);
              }
              if (s < 0) throw new Error(`Gobbi pharmacophore: distances ${dab},${dac},${dbc} violate the triangle rule`);
              mark(base3 + s);
            }
          }
        }
      }
    }
  }
}

/** Scratch marks for `gobbiPharm2D` (always all 0 between calls). */
const SEEN = new Uint8Array(GOBBI_SIGNATURE_SIZE);
const ALL_SAME: readonly number[] = [0, 0, 0];
