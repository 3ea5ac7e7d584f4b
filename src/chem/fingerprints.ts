/**
 * Unfolded (sparse) fingerprints as used by the GuacaMol and PMO benchmark oracles, with RDKit's identifiers, and
 * their Tanimoto similarities.
 *
 * GuacaMol (Brown et al., J. Chem. Inf. Model. 2019, 59, 1096, doi:10.1021/acs.jcim.8b00839;
 * guacamol/utils/fingerprints.py), and TDC's PMO oracles built on it, compare molecules with RDKit Python
 * fingerprints that MinimalLib (the WASM build: folded bit vectors only) cannot produce:
 *
 * | kind    | RDKit call                                              | vector           |
 * |---------|---------------------------------------------------------|------------------|
 * | `ECFP4` | `AllChem.GetMorganFingerprint(m, 2)`                    | IntSparseIntVect |
 * | `ECFP6` | `AllChem.GetMorganFingerprint(m, 3)`                    | IntSparseIntVect |
 * | `FCFP4` | `AllChem.GetMorganFingerprint(m, 2, useFeatures=True)`  | IntSparseIntVect |
 * | `AP`    | `AllChem.GetAtomPairFingerprint(m, maxLength=10)`       | IntSparseIntVect |
 * | `PHCO`  | `Generate.Gen2DFingerprint(m, Gobbi_Pharm2D.factory)`   | SparseBitVect    |
 *
 * and `DataStructs.TanimotoSimilarity`: for count vectors Σmin / (Σa + Σb − Σmin) (0 when both are empty), for
 * bit vectors |a∩b| / (|a| + |b| − |a∩b|) (1 when both are empty).
 *
 * The algorithms are re-implemented here from RDKit's (Code/GraphMol/Fingerprints/MorganFingerprints.cpp,
 * FingerprintUtil.cpp, AtomPairs.cpp, rdkit/Chem/Pharm2D/*; RDKit is BSD-3-Clause) on a `MolGraph`; only the
 * SMARTS feature perception and, for a few hypervalent atoms, the hybridisation use RDKit WASM
 * (`SparseFingerprinter`). Parity with RDKit 2022.09 Python (identical ids and counts, identical Tanimoto values)
 * is checked by test/chem/fingerprints.spec.ts against test/reference/fingerprints.json.
 */
import type { MolGraph } from './graph';
import { BondType } from './graph';
import { connectivityInvariants, morganCountsMulti } from './morgan';
import { GOBBI_FEATURES, gobbiPharm2D } from './pharm2d';
import type { JSMol } from './rdkit';

/** The fingerprints GuacaMol/PMO use (see the table above). */
export type SparseFingerprintKind = 'ECFP4' | 'ECFP6' | 'FCFP4' | 'AP' | 'PHCO';

/** All kinds, in a fixed order. */
export const SPARSE_FINGERPRINT_KINDS: readonly SparseFingerprintKind[] = Object.freeze([
  'ECFP4',
  'ECFP6',
  'FCFP4',
  'AP',
  'PHCO',
]);

/**
 * An unfolded fingerprint: RDKit identifier → count (`GetNonzeroElements()`); for `PHCO` (a bit vector) every on bit
 * has count 1 and `binary` is true.
 */
export interface SparseFingerprint {
  readonly kind: SparseFingerprintKind;
  /** identifier → count (> 0); RDKit's ids: unsigned 32-bit for Morgan, < 2^23 for AP, < 39,972 for PHCO. */
  readonly counts: ReadonlyMap<number, number>;
  /** Σ counts (for `PHCO` the number of on bits). */
  readonly total: number;
  /** true for bit-vector kinds (`PHCO`): Tanimoto is the bit-vector one. */
  readonly binary: boolean;
}

/** Builds a `SparseFingerprint` from a count map (or, for binary kinds, from the on bits). */
export function makeSparseFingerprint(
  kind: SparseFingerprintKind,
  data: ReadonlyMap<number, number> | Iterable<number>,
): SparseFingerprint {
  const binary = kind === 'PHCO';
  let counts: Map<number, number>;
  if (data instanceof Map) {
    counts = data as Map<number, number>;
  } else {
    counts = new Map();
    for (const id of data as Iterable<number>) counts.set(id, 1);
  }
  let total = 0;
  for (const v of counts.values()) total += v;
  return { kind, counts, total, binary };
}

// ---------------------------------------------------------------------------------------------------------------
// Tanimoto

/**
 * Count Tanimoto of two sparse count vectors, as RDKit's `DataStructs.TanimotoSimilarity` on `SparseIntVect`:
 * Σ min(aᵢ, bᵢ) / (Σ aᵢ + Σ bᵢ − Σ min(aᵢ, bᵢ)), 0 when the denominator is 0 (both empty).
 *
 * @param totalA Σ a (computed when omitted); likewise `totalB`.
 */
export function countTanimoto(
  a: ReadonlyMap<number, number>,
  b: ReadonlyMap<number, number>,
  totalA?: number,
  totalB?: number,
): number {
  const sum = (m: ReadonlyMap<number, number>): number => {
    let s = 0;
    for (const v of m.values()) s += v;
    return s;
  };
  const sa = totalA ?? sum(a);
  const sb = totalB ?? sum(b);
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const [k, v] of small) {
    const w = large.get(k);
    if (w !== undefined) common += v < w ? v : w;
  }
  const denom = sa + sb - common;
  return Math.abs(denom) < 1e-6 ? 0 : common / denom;
}

/**
 * Bit-vector Tanimoto, as RDKit's `TanimotoSimilarity` on `SparseBitVect`/`ExplicitBitVect`:
 * |a ∩ b| / (|a| + |b| − |a ∩ b|), 1 when both are empty.
 */
export function bitTanimoto(
  a: ReadonlySet<number> | ReadonlyMap<number, unknown>,
  b: ReadonlySet<number> | ReadonlyMap<number, unknown>,
): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const k of small.keys()) if (large.has(k)) common++;
  const denom = a.size + b.size - common;
  return denom === 0 ? 1 : common / denom;
}

/**
 * Tanimoto similarity of two fingerprints of the same kind, exactly as GuacaMol/PMO compute it with RDKit: count
 * Tanimoto for ECFP/FCFP/AP, bit Tanimoto for PHCO.
 *
 * @throws RangeError when the kinds differ.
 */
export function sparseTanimoto(a: SparseFingerprint, b: SparseFingerprint): number {
  if (a.kind !== b.kind) throw new RangeError(`cannot compare ${a.kind} with ${b.kind}`);
  return a.binary ? bitTanimoto(a.counts, b.counts) : countTanimoto(a.counts, b.counts, a.total, b.total);
}

// ---------------------------------------------------------------------------------------------------------------
// Morgan (ECFP / FCFP): morganCountsMulti in morgan.ts with connectivity or feature invariants

/**
 * The 6 FCFP feature SMARTS of RDKit's `MorganFingerprints::getFeatureInvariants` (Code/GraphMol/Fingerprints/
 * FingerprintUtil.cpp, adapted there from Gobbi & Poppinger 1998), in bit order: an atom's FCFP invariant has
 * bit i set when pattern i matches it (1 donor, 2 acceptor, 4 aromatic, 8 halogen, 16 basic, 32 acidic).
 */
export const FCFP_FEATURE_SMARTS: readonly string[] = Object.freeze([
  // donor
  '[$([N;!H0;v3,v4&+1]),$([O,S;H1;+0]),n&H1&+0]',
  // acceptor
  '[$([O,S;H1;v2;!$(*-*=[O,N,P,S])]),$([O,S;H0;v2]),$([O,S;-]),$([N;v3;!$(N-*=[O,N,P,S])]),n&H0&+0,' +
    '$([o,s;+0;!$([o,s]:n);!$([o,s]:c:n)])]',
  // aromatic
  '[a]',
  // halogen
  '[F,Cl,Br,I]',
  // basic
  '[#7;+,$([N;H2&+0][$([C,a]);!$([C,a](=O))]),$([N;H1&+0]([$([C,a]);!$([C,a](=O))])[$([C,a]);!$([C,a](=O))]),' +
    '$([N;H0&+0]([C;!$(C(=O))])([C;!$(C(=O))])[C;!$(C(=O))])]',
  // acidic
  '[$([C,S](=[O,S,P])-[O;H1,-1])]',
]);

/**
 * FCFP atom invariants: per atom, the OR of `1 << i` over the feature patterns i (`FCFP_FEATURE_SMARTS`) that match
 * it. These are used directly as layer-0 Morgan identifiers (no hashing), as RDKit does.
 *
 * @param matchedAtoms per pattern, the atom indices of its matches (all atoms of all matches).
 */
export function featureInvariants(numAtoms: number, matchedAtoms: readonly (readonly number[])[]): Uint32Array {
  const inv = new Uint32Array(numAtoms);
  matchedAtoms.forEach((atoms, i) => {
    for (const a of atoms) inv[a] |= 1 << i;
  });
  return inv;
}

// ---------------------------------------------------------------------------------------------------------------
// topological distances and atom pairs

/** Marker for "no path" (atoms in different fragments) in `topologicalDistances`. */
export const NO_PATH = 0xffff;

/**
 * All-pairs shortest-path bond counts (RDKit `Chem.GetDistanceMatrix(mol)` without bond orders), by BFS.
 *
 * @returns row-major `numAtoms × numAtoms` matrix; `NO_PATH` (65535) between fragments.
 */
export function topologicalDistances(g: MolGraph): Uint16Array {
  const n = g.numAtoms;
  const dist = new Uint16Array(n * n).fill(NO_PATH);
  const queue = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const row = s * n;
    dist[row + s] = 0;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    while (head < tail) {
      const u = queue[head++];
      const du = dist[row + u] + 1;
      for (const v of g.neighbors[u]) {
        if (dist[row + v] === NO_PATH) {
          dist[row + v] = du;
          queue[tail++] = v;
        }
      }
    }
  }
  return dist;
}

/**
 * RDKit's atom-pair atom-number classes (`atomNumberTypes` in Code/GraphMol/Fingerprints/AtomPairs.h): B C N O F Si
 * P S Cl As Se Br Sb Te → 0..13; every other element (H, I, metals, ...) → 15 (the table's last slot, 43 = Tc, is
 * never reached because of its sorted early exit).
 */
const AP_TYPE = (() => {
  const t = new Int8Array(128).fill(15);
  [5, 6, 7, 8, 9, 14, 15, 16, 17, 33, 34, 35, 51, 52].forEach((z, i) => (t[z] = i));
  return t;
})();

/** Bond valence contribution (aromatic 1.5, zero-order 0). */
function bondValence(type: number): number {
  switch (type) {
    case BondType.AROMATIC:
      return 1.5;
    case BondType.ZERO:
      return 0;
    default:
      return type;
  }
}

/**
 * RDKit 2022.09's atom-pair π-electron count before the SP3 rule: 1 for aromatic atoms, otherwise the explicit
 * valence minus explicit H count minus degree, i.e. Σ bond orders − number of bonds (0 for saturated atoms).
 * RDKit returns 0 instead when the atom's hybridisation is SP3 (e.g. sulfone S, phosphate P); see `atomPairCodes`.
 */
export function rawPiElectrons(g: MolGraph, atom: number): number {
  if (g.aromaticAtom[atom]) return 1;
  let val = 0;
  for (const b of g.atomBonds[atom]) val += bondValence(g.bondType[b]);
  return Math.max(0, Math.round(val) - g.atomBonds[atom].length);
}

/**
 * Atoms whose π count depends on RDKit's hybridisation: non-aromatic atoms with multiple bonds that are not C, N or O.
 * (For C, N, O with formal charge −1..+1 a multiple bond always gives fewer than 4 σ bonds + lone pairs, hence not
 * SP3; S, P, halogens, Se... can be SP3 with double bonds.)
 */
export function atomsNeedingHybridization(g: MolGraph): number[] {
  const out: number[] = [];
  for (let i = 0; i < g.numAtoms; i++) {
    if (g.aromaticAtom[i] || rawPiElectrons(g, i) === 0) continue;
    const z = g.atomicNum[i];
    if ((z === 6 || z === 7 || z === 8) && Math.abs(g.formalCharge[i]) <= 1) continue;
    out.push(i);
  }
  return out;
}

/**
 * RDKit atom-pair atom codes (`AtomPairs::getAtomCode`, Carhart, Smith & Venkataraghavan, J. Chem. Inf. Comput. Sci.
 * 1985, 25, 64, doi:10.1021/ci00046a002): bits 0-2 degree (heavy + explicit-H neighbours) mod 7, bits 3-4
 * π electrons mod 3, bits 5-8 atom-number class.
 *
 * @param sp3 atoms RDKit perceives as SP3 among those of `atomsNeedingHybridization` (their π count is 0).
 */
export function atomPairCodes(g: MolGraph, sp3: ReadonlySet<number> = new Set()): Uint32Array {
  const codes = new Uint32Array(g.numAtoms);
  for (let i = 0; i < g.numAtoms; i++) {
    const degree = g.neighbors[i].length;
    const nPi = sp3.has(i) && !g.aromaticAtom[i] ? 0 : rawPiElectrons(g, i);
    const z = g.atomicNum[i];
    const type = z >= 0 && z < AP_TYPE.length ? AP_TYPE[z] : 15;
    codes[i] = (degree % 7) | ((nPi % 3) << 3) | (type << 5);
  }
  return codes;
}

/**
 * Atom-pair count fingerprint, RDKit `GetAtomPairFingerprint(mol, minLength, maxLength)` (non-chiral, 2D): for each
 * atom pair i < j at topological distance d with minLength ≤ d ≤ maxLength, identifier
 * d | min(codeᵢ, codeⱼ) << 5 | max(codeᵢ, codeⱼ) << 14 (`getAtomPairCode`).
 *
 * @param codes from `atomPairCodes`; `dist` from `topologicalDistances`.
 */
export function atomPairCounts(
  g: MolGraph,
  codes: Uint32Array,
  dist: Uint16Array,
  maxLength = 10,
  minLength = 1,
): Map<number, number> {
  if (maxLength >= 32) throw new RangeError('maxLength must be < 32');
  const n = g.numAtoms;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const ci = codes[i];
    const row = i * n;
    for (let j = i + 1; j < n; j++) {
      const d = dist[row + j];
      if (d < minLength || d > maxLength) continue;
      const cj = codes[j];
      const id = (d | ((ci < cj ? ci : cj) << 5) | ((ci < cj ? cj : ci) << 14)) >>> 0;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------------------------
// RDKit-backed front end

/** The part of the RDKit module `SparseFingerprinter` needs. */
export interface QueryCompiler {
  get_qmol(smarts: string): JSMol | null;
}

/** SMARTS for RDKit's SP3 hybridisation (RDKit SMARTS extension `^3`). */
const SP3_SMARTS = '[^3]';

const HALOGENS = new Set([9, 17, 35, 53]);
const GOBBI_USUAL = new Set([1, 6, 7, 8, 9, 16, 17, 35, 53]);

/**
 * Exact graph equivalents of the simplest single-atom feature SMARTS, which then need no RDKit substructure search.
 * (The Gobbi ring-attachment patterns `[$([a;D3](@*)(@*)*)]` look simple but are not "ring atom of degree 3": the
 * third neighbour is bonded by SMARTS's implicit single-or-aromatic bond, so they stay with RDKit.)
 */
const GRAPH_FEATURES: ReadonlyMap<string, (g: MolGraph, i: number) => boolean> = new Map([
  ['[a]', (g: MolGraph, i: number) => g.aromaticAtom[i] === 1],
  ['[F,Cl,Br,I]', (g: MolGraph, i: number) => !g.aromaticAtom[i] && HALOGENS.has(g.atomicNum[i])],
  ['[!#1;!#6;!#7;!#8;!#9;!#16;!#17;!#35;!#53]', (g: MolGraph, i: number) => !GOBBI_USUAL.has(g.atomicNum[i])],
]);

function matchedAtoms(mol: JSMol, q: JSMol): number[] {
  const v = JSON.parse(mol.get_substruct_matches(q)) as unknown;
  // MinimalLib answers "{}" when nothing matches
  if (!Array.isArray(v)) return [];
  const atoms = new Set<number>();
  for (const m of v as Array<{ atoms?: number[] }>) for (const a of m.atoms ?? []) atoms.add(a);
  return [...atoms].sort((x, y) => x - y);
}

/**
 * Computes sparse fingerprints of parsed molecules. Holds the compiled feature SMARTS (FCFP, Gobbi, SP3), compiled on
 * first use; call `dispose()` to free them. Not tied to `Chemistry`, but `Chemistry.sparseFingerprints*` is the
 * usual entry point.
 */
export class SparseFingerprinter {
  /** compiled SMARTS by text */
  private readonly queries = new Map<string, JSMol>();
  private disposed = false;

  constructor(private readonly rdkit: QueryCompiler) {}

  /**
   * Fingerprints of one molecule.
   *
   * @param mol the parsed, sanitised molecule (not freed here).
   * @param g its graph (`parseRdkitJson(mol.get_json())`).
   * @param deltaMass per atom `int(mass − standard atomic weight)` (ECFP isotope term; all 0 without isotopes).
   * @param kinds the fingerprints wanted; shared work (distance matrix, Morgan layers) is done once.
   */
  compute<K extends SparseFingerprintKind>(
    mol: JSMol,
    g: MolGraph,
    deltaMass: Int32Array,
    kinds: readonly K[],
  ): Record<K, SparseFingerprint> {
    if (this.disposed) throw new Error('SparseFingerprinter has been disposed');
    const want = new Set<SparseFingerprintKind>(kinds);
    const out = {} as Record<SparseFingerprintKind, SparseFingerprint>;
    if (want.has('ECFP4') || want.has('ECFP6')) {
      const radii = [...(want.has('ECFP4') ? [2] : []), ...(want.has('ECFP6') ? [3] : [])];
      const maps = morganCountsMulti(g, connectivityInvariants(g, deltaMass), radii);
      radii.forEach((r, i) => {
        const kind: SparseFingerprintKind = r === 2 ? 'ECFP4' : 'ECFP6';
        out[kind] = makeSparseFingerprint(kind, maps[i]);
      });
    }
    if (want.has('FCFP4')) {
      const inv = featureInvariants(g.numAtoms, this.featureAtoms(mol, g, FCFP_FEATURE_SMARTS));
      out.FCFP4 = makeSparseFingerprint('FCFP4', morganCountsMulti(g, inv, [2])[0]);
    }
    let dist: Uint16Array | null = null;
    if (want.has('AP')) {
      dist = topologicalDistances(g);
      let sp3: Set<number> = new Set();
      if (atomsNeedingHybridization(g).length > 0) {
        sp3 = new Set(this.featureAtoms(mol, g, [SP3_SMARTS])[0]);
      }
      out.AP = makeSparseFingerprint('AP', atomPairCounts(g, atomPairCodes(g, sp3), dist, 10, 1));
    }
    if (want.has('PHCO')) {
      dist ??= topologicalDistances(g);
      const feats = this.featureAtoms(
        mol,
        g,
        GOBBI_FEATURES.map((f) => f.smarts),
      );
      out.PHCO = makeSparseFingerprint('PHCO', gobbiPharm2D(g.numAtoms, dist, feats));
    }
    return out as Record<K, SparseFingerprint>;
  }

  /** Frees the compiled queries; the instance must not be used afterwards. */
  dispose(): void {
    this.disposed = true;
    for (const q of this.queries.values()) q.delete();
    this.queries.clear();
  }

  /** Per SMARTS, the matched atoms (ascending): from the graph when `GRAPH_FEATURES` has it, else RDKit. */
  private featureAtoms(mol: JSMol, g: MolGraph, smarts: readonly string[]): number[][] {
    return smarts.map((s) => {
      const test = GRAPH_FEATURES.get(s);
      if (test) {
        const out: number[] = [];
        for (let i = 0; i < g.numAtoms; i++) if (test(g, i)) out.push(i);
        return out;
      }
      let q = this.queries.get(s);
      if (!q) {
        const compiled = this.rdkit.get_qmol(s);
        if (!compiled) throw new Error(`cannot parse SMARTS ${s}`);
        this.queries.set(s, compiled);
        q = compiled;
      }
      return matchedAtoms(mol, q);
    });
  }
}
