/**
 * Bertz molecular complexity index CT (Bertz, S. H. "The first general index of molecular complexity",
 * J. Am. Chem. Soc. 1981, 103, 3599-3601, doi:10.1021/ja00402a071) with the exact conventions of RDKit's
 * `rdkit.Chem.GraphDescriptors.BertzCT` (version 2.0.0, default cutoff 100), computed from a `MolGraph`.
 *
 * RDKit's definition, re-implemented here:
 * - symmetry classes: two atoms are equivalent when their rows of the bond-order-weighted distance matrix
 *   (`Chem.GetDistanceMatrix(mol, useBO=1, prefix="Balaban")`: shortest paths with bond length 1 / bond order, i.e.
 *   single 1, double 1/2, triple 1/3, aromatic 2/3), sorted ascending, cut to the first `cutoff` entries and
 *   written with 4 decimals, are equal (atoms of different fragments are at distance 1e8). Here path lengths are
 *   summed exactly in units of 1/12 (every such length is a multiple of 1/6, so equality of the 4-decimal strings
 *   is equality of the exact values);
 * - bond order: 1.5 for aromatic bonds, otherwise the RDKit `BondType` number (1, 2, 3, ...);
 * - "connections" (adjacent bond pairs, Bertz's η): for every atom (the hinge) and every unordered pair of its
 *   distinct neighbours i < j, `order(i) * order(j)` is added under the key (min(class_i, class_j), class_hinge,
 *   max(class_i, class_j)); for every bond to a higher-index neighbour with order > 1, `order * (order - 1) / 2` is
 *   added under (min class, max class) (the connections inside a multiple bond);
 * - CT = C(η) + C(E) with, for the connection counts n_k (total N),
 *   C(η) = N * (H(n) + log2 N), and for the atom counts per atomic number m_e (n atoms), C(E) = n * H(m), where H is
 *   the Shannon entropy in bits of the normalised counts; with no connection at all C(η) = 0;
 * - molecules with fewer than 2 atoms have CT = 0.
 * All atoms of the graph count, hydrogens only where they are explicit atoms (as in RDKit's molecule as parsed).
 */
import { BondType, MolGraph } from './graph';

/** RDKit's default `cutoff` (number of sorted distances compared when assigning symmetry classes). */
export const BERTZ_DEFAULT_CUTOFF = 100;

/** Distance between atoms of different fragments (RDKit: 1e8; any value above every path length works). */
const UNREACHABLE = 2 ** 30;

/** Bond length 1 / order in units of 1/12 (aromatic: order 1.5). Other bond types (zero-order, dative, ...) get 1. */
function bondLength12(bondType: number): number {
  switch (bondType) {
    case BondType.SINGLE:
      return 12;
    case BondType.DOUBLE:
      return 6;
    case BondType.TRIPLE:
      return 4;
    case BondType.QUADRUPLE:
      return 3;
    case BondType.AROMATIC:
      return 8;
    default:
      return 12;
  }
}

/**
 * BertzCT of a molecular graph (unitless, >= 0), equal to RDKit's `GraphDescriptors.BertzCT(mol, cutoff)`.
 *
 * @throws RangeError when `cutoff` is not a positive integer.
 */
export function bertzCT(g: MolGraph, cutoff: number = BERTZ_DEFAULT_CUTOFF): number {
  if (!Number.isInteger(cutoff) || cutoff < 1) throw new RangeError(`cutoff must be a positive integer, got ${cutoff}`);
  const n = g.numAtoms;
  if (n < 2) return 0;

  const classes = symmetryClasses(g, cutoff);
  const order = new Map<number, number>(); // key a * n + b (a < b) -> bond order
  for (let b = 0; b < g.numBonds; b++) {
    const u = Math.min(g.bondBegin[b], g.bondEnd[b]);
    const v = Math.max(g.bondBegin[b], g.bondEnd[b]);
    order.set(u * n + v, g.bondType[b] === BondType.AROMATIC ? 1.5 : g.bondType[b]);
  }
  const bondOrder = (a: number, b: number): number => order.get(Math.min(a, b) * n + Math.max(a, b)) as number;

  const atomTypes = new Map<number, number>();
  const connections = new Map<string, number>();
  const add = (key: string, v: number): void => {
    connections.set(key, (connections.get(key) ?? 0) + v);
  };
  for (let a = 0; a < n; a++) {
    atomTypes.set(g.atomicNum[a], (atomTypes.get(g.atomicNum[a]) ?? 0) + 1);
    const hinge = classes[a];
    const nb = g.neighbors[a]; // ascending, distinct
    for (let i = 0; i < nb.length; i++) {
      const ci = classes[nb[i]];
      const oi = bondOrder(a, nb[i]);
      if (oi > 1 && nb[i] > a) add(`${Math.min(hinge, ci)},${Math.max(hinge, ci)}`, (oi * (oi - 1)) / 2);
      for (let j = i + 1; j < nb.length; j++) {
        const cj = classes[nb[j]];
        add(`${Math.min(ci, cj)},${hinge},${Math.max(ci, cj)}`, oi * bondOrder(a, nb[j]));
      }
    }
  }

  let connectionTerm = 0;
  if (connections.size > 0) {
    const counts = [...connections.values()];
    const total = counts.reduce((s, x) => s + x, 0);
    connectionTerm = total * (entropyBits(counts) + Math.log(total) / Math.LN2);
  }
  return n * entropyBits([...atomTypes.values()]) + connectionTerm;
}

/**
 * Symmetry class per atom (1-based, numbered in order of first appearance): atoms whose sorted bond-order-weighted
 * distance rows agree on the first `cutoff` entries share a class.
 */
function symmetryClasses(g: MolGraph, cutoff: number): Int32Array {
  const n = g.numAtoms;
  const adj: Array<Array<[number, number]>> = Array.from({ length: n }, () => []);
  for (let b = 0; b < g.numBonds; b++) {
    const w = bondLength12(g.bondType[b]);
    adj[g.bondBegin[b]].push([g.bondEnd[b], w]);
    adj[g.bondEnd[b]].push([g.bondBegin[b], w]);
  }
  const seen = new Map<string, number>();
  const classes = new Int32Array(n);
  const dist = new Int32Array(n);
  const done = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    // Dijkstra with integer lengths (binary heap of [distance, atom])
    dist.fill(UNREACHABLE);
    done.fill(0);
    dist[s] = 0;
    const heap: Array<[number, number]> = [[0, s]];
    while (heap.length > 0) {
      const [d, u] = heapPop(heap);
      if (done[u]) continue;
      done[u] = 1;
      for (const [v, w] of adj[u]) {
        if (d + w < dist[v]) {
          dist[v] = d + w;
          heapPush(heap, [d + w, v]);
        }
      }
    }
    const key = Int32Array.from(dist).sort().subarray(0, cutoff).join(',');
    let c = seen.get(key);
    if (c === undefined) {
      c = seen.size + 1;
      seen.set(key, c);
    }
    classes[s] = c;
  }
  return classes;
}

function heapPush(h: Array<[number, number]>, x: [number, number]): void {
  h.push(x);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p][0] <= h[i][0]) break;
    [h[p], h[i]] = [h[i], h[p]];
    i = p;
  }
}

function heapPop(h: Array<[number, number]>): [number, number] {
  const top = h[0];
  const last = h.pop() as [number, number];
  if (h.length > 0) {
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l][0] < h[m][0]) m = l;
      if (r < h.length && h[r][0] < h[m][0]) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
  return top;
}

/** Shannon entropy in bits of counts (normalised by their sum; zero counts contribute nothing; empty or 0 sum: 0). */
function entropyBits(counts: readonly number[]): number {
  let total = 0;
  for (const c of counts) total += c;
  if (total === 0) return 0;
  let h = 0;
  for (const c of counts) {
    if (c > 0) {
      const p = c / total;
      h -= p * Math.log(p);
    }
  }
  return h / Math.LN2;
}
