/**
 * A plain molecular graph read from RDKit's JSON (`JSMol.get_json()`, "rdkitjson" / CommonChem format), and the
 * graph algorithms the scores need that MinimalLib does not expose: networkx-compatible `cycle_basis` (for
 * penalised logP) and the cyclomatic number (for QED's aromatic-ring count).
 */

/** RDKit `Bond::BondType` enum values (Code/GraphMol/Bond.h); Morgan hashing uses these numbers. */
export const BondType = Object.freeze({
  SINGLE: 1,
  DOUBLE: 2,
  TRIPLE: 3,
  QUADRUPLE: 4,
  QUINTUPLE: 5,
  HEXTUPLE: 6,
  AROMATIC: 12,
  ZERO: 21,
});

/** Atom and bond arrays of one molecule (all fragments), indexed like the RDKit molecule. */
export interface MolGraph {
  numAtoms: number;
  numBonds: number;
  /** Atomic number per atom. */
  atomicNum: Int32Array;
  /** Total hydrogen count per atom (implicit + explicit H count; H *atoms* in the graph are separate atoms). */
  totalHs: Int32Array;
  formalCharge: Int32Array;
  /** Isotope label (0 = natural abundance). */
  isotope: Int32Array;
  /** 1 when the atom is in at least one ring of RDKit's ring info. */
  inRing: Uint8Array;
  aromaticAtom: Uint8Array;
  bondBegin: Int32Array;
  bondEnd: Int32Array;
  /** RDKit bond type enum value (see `BondType`); aromatic bonds are `BondType.AROMATIC`. */
  bondType: Int32Array;
  /** Neighbour atom indices per atom, ascending. */
  neighbors: number[][];
  /** Incident bond indices per atom, in RDKit's bond order. */
  atomBonds: number[][];
  /** RDKit ring info atom rings (symmetrised SSSR after sanitisation). */
  atomRings: number[][];
}

interface RdkitJson {
  defaults?: { atom?: Record<string, unknown>; bond?: Record<string, unknown> };
  molecules?: Array<{
    atoms?: Array<Record<string, unknown>>;
    bonds?: Array<Record<string, unknown> & { atoms?: number[] }>;
    extensions?: Array<{ name?: string; aromaticAtoms?: number[]; aromaticBonds?: number[]; atomRings?: number[][] }>;
  }>;
}

function num(v: unknown, dflt: number): number {
  return typeof v === 'number' ? v : dflt;
}

/**
 * Parses `JSMol.get_json()` output (rdkitjson version 10+) into a `MolGraph`.
 *
 * @throws Error when the JSON does not describe exactly one molecule.
 */
export function parseRdkitJson(json: string): MolGraph {
  const doc = JSON.parse(json) as RdkitJson;
  const mols = doc.molecules ?? [];
  if (mols.length !== 1) throw new Error(`expected one molecule in RDKit JSON, got ${mols.length}`);
  const m = mols[0];
  const da = doc.defaults?.atom ?? {};
  const db = doc.defaults?.bond ?? {};
  const atoms = m.atoms ?? [];
  const bonds = m.bonds ?? [];
  const rd = (m.extensions ?? []).find((e) => e.name === 'rdkitRepresentation') ?? {};
  const n = atoms.length;
  const g: MolGraph = {
    numAtoms: n,
    numBonds: bonds.length,
    atomicNum: new Int32Array(n),
    totalHs: new Int32Array(n),
    formalCharge: new Int32Array(n),
    isotope: new Int32Array(n),
    inRing: new Uint8Array(n),
    aromaticAtom: new Uint8Array(n),
    bondBegin: new Int32Array(bonds.length),
    bondEnd: new Int32Array(bonds.length),
    bondType: new Int32Array(bonds.length),
    neighbors: Array.from({ length: n }, () => [] as number[]),
    atomBonds: Array.from({ length: n }, () => [] as number[]),
    atomRings: rd.atomRings ?? [],
  };
  atoms.forEach((a, i) => {
    g.atomicNum[i] = num(a.z, num(da.z, 6));
    g.totalHs[i] = num(a.impHs, num(da.impHs, 0));
    g.formalCharge[i] = num(a.chg, num(da.chg, 0));
    g.isotope[i] = num(a.isotope, num(da.isotope, 0));
  });
  for (const i of rd.aromaticAtoms ?? []) g.aromaticAtom[i] = 1;
  for (const ring of g.atomRings) for (const i of ring) g.inRing[i] = 1;
  const aromaticBonds = new Set(rd.aromaticBonds ?? []);
  bonds.forEach((b, i) => {
    const [a0, a1] = b.atoms ?? [];
    g.bondBegin[i] = a0;
    g.bondEnd[i] = a1;
    const bo = num(b.bo, num(db.bo, 1));
    g.bondType[i] = aromaticBonds.has(i) ? BondType.AROMATIC : bo === 0 ? BondType.ZERO : bo;
    g.neighbors[a0].push(a1);
    g.neighbors[a1].push(a0);
    g.atomBonds[a0].push(i);
    g.atomBonds[a1].push(i);
  });
  for (const nb of g.neighbors) nb.sort((x, y) => x - y);
  return g;
}

/**
 * A cycle basis with the exact semantics of `networkx.cycle_basis(nx.Graph(rdmolops.GetAdjacencyMatrix(mol)))` in
 * networkx 2.8.8 (Paton, Comm. ACM 12, 514 (1969)): one spanning tree per connected component, rooted at the
 * lowest-numbered unvisited atom (what CPython's `set.pop()` returns for small-int node sets), grown from a LIFO
 * stack, with neighbours visited in ascending index order (the insertion order `from_numpy_array` produces).
 * The basis is not unique in general, so these details matter for the largest cycle length.
 *
 * @returns the cycles as atom-index lists, in networkx's order.
 */
export function cycleBasis(neighbors: readonly (readonly number[])[]): number[][] {
  const n = neighbors.length;
  const done = new Uint8Array(n);
  const cycles: number[][] = [];
  for (let root = 0; root < n; root++) {
    if (done[root]) continue;
    const stack = [root];
    const pred = new Map<number, number>([[root, root]]);
    const used = new Map<number, Set<number>>([[root, new Set()]]);
    while (stack.length > 0) {
      const z = stack.pop() as number;
      const zused = used.get(z) as Set<number>;
      for (const nbr of neighbors[z]) {
        const nbrUsed = used.get(nbr);
        if (nbrUsed === undefined) {
          pred.set(nbr, z);
          stack.push(nbr);
          used.set(nbr, new Set([z]));
        } else if (nbr === z) {
          cycles.push([z]);
        } else if (!zused.has(nbr)) {
          const cycle = [nbr, z];
          let p = pred.get(z) as number;
          while (!nbrUsed.has(p)) {
            cycle.push(p);
            p = pred.get(p) as number;
          }
          cycle.push(p);
          cycles.push(cycle);
          nbrUsed.add(z);
        }
      }
    }
    for (const k of pred.keys()) done[k] = 1;
  }
  return cycles;
}

/**
 * Cyclomatic number (edges − vertices + connected components) of the sub-graph induced by the atoms where
 * `keep[i]` is true. For a molecule this equals the size of RDKit's SSSR (`len(Chem.GetSSSR(mol))`).
 */
export function cyclomaticNumber(g: MolGraph, keep: (atom: number) => boolean): number {
  const parent = Int32Array.from({ length: g.numAtoms }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  let vertices = 0;
  let components = 0;
  for (let i = 0; i < g.numAtoms; i++) if (keep(i)) vertices++;
  components = vertices;
  let edges = 0;
  for (let b = 0; b < g.numBonds; b++) {
    const u = g.bondBegin[b];
    const v = g.bondEnd[b];
    if (!keep(u) || !keep(v)) continue;
    edges++;
    const ru = find(u);
    const rv = find(v);
    if (ru !== rv) {
      parent[ru] = rv;
      components--;
    }
  }
  return edges - vertices + components;
}
