/**
 * Parity of the sparse GuacaMol/PMO fingerprints (src/chem/fingerprints.ts, src/chem/pharm2d.ts on RDKit MinimalLib
 * 2025.03 WASM) with RDKit 2022.09.3 Python on the 350 molecules of test/reference/fingerprints.json (the
 * reference.json set, the 17 GuacaMol/PMO targets and 58 edge cases; regenerate with
 * `/usr/bin/python3 test/reference/make_fingerprints.py`): identical identifiers and counts for ECFP4, ECFP6, FCFP4
 * and AP, identical on-bit ids for PHCO, and Tanimoto values equal to RDKit's to 1e-12, on every molecule.
 */
import * as path from 'path';
import { Chemistry } from '../../src/chem/chemistry';
import {
  bitTanimoto,
  countTanimoto,
  SPARSE_FINGERPRINT_KINDS,
  SparseFingerprint,
  SparseFingerprintKind,
  sparseTanimoto,
} from '../../src/chem/fingerprints';
import { GOBBI_SIGNATURE_SIZE, orderTriangle } from '../../src/chem/pharm2d';

type Pairs = Array<[number, number]>;

interface RefMolecule {
  id: string;
  name: string | null;
  smiles: string;
  ECFP4: Pairs;
  ECFP6: Pairs;
  FCFP4: Pairs;
  AP: Pairs;
  PHCO: number[];
}

interface Reference {
  rdkit: string;
  phcoSignatureSize: number;
  molecules: RefMolecule[];
  tanimotoPairs: Array<{ a: string; b: string } & Record<SparseFingerprintKind, number>>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ref = require(path.join(__dirname, '..', 'reference', 'fingerprints.json')) as Reference;

let chem: Chemistry;
const got = new Map<string, Record<SparseFingerprintKind, SparseFingerprint>>();

beforeAll(async () => {
  chem = await Chemistry.create();
  for (const m of ref.molecules) got.set(m.id, chem.sparseFingerprints(m.smiles, SPARSE_FINGERPRINT_KINDS));
});

afterAll(() => chem?.dispose());

function asPairs(fp: SparseFingerprint): Pairs {
  return [...fp.counts.entries()].sort((x, y) => x[0] - y[0]);
}

/** First difference between our vector and RDKit's, for the failure message. */
function diff(ours: Pairs, theirs: Pairs): string {
  const a = new Map(ours);
  const b = new Map(theirs);
  const out: string[] = [];
  for (const [k, v] of b) if (a.get(k) !== v) out.push(`${k}: rdkit ${v}, ours ${a.get(k) ?? 0}`);
  for (const [k, v] of a) if (!b.has(k)) out.push(`${k}: rdkit 0, ours ${v}`);
  return out.slice(0, 8).join('; ');
}

describe('sparse fingerprints vs RDKit 2022.09 Python', () => {
  it('has the reference molecules', () => {
    expect(ref.molecules.length).toBeGreaterThanOrEqual(350);
    expect(ref.molecules.filter((m) => m.id.startsWith('target:'))).toHaveLength(17);
    expect(ref.phcoSignatureSize).toBe(GOBBI_SIGNATURE_SIZE);
  });

  for (const kind of SPARSE_FINGERPRINT_KINDS) {
    it(`${kind}: identical identifiers and counts on every molecule`, () => {
      const failures: string[] = [];
      for (const m of ref.molecules) {
        const fp = (got.get(m.id) as Record<SparseFingerprintKind, SparseFingerprint>)[kind];
        const theirs: Pairs = kind === 'PHCO' ? m.PHCO.map((b) => [b, 1] as [number, number]) : m[kind];
        const ours = asPairs(fp);
        if (JSON.stringify(ours) !== JSON.stringify(theirs)) failures.push(`${m.id} ${m.smiles}: ${diff(ours, theirs)}`);
      }
      console.log(`${kind}: ${ref.molecules.length - failures.length}/${ref.molecules.length} molecules identical to RDKit`);
      expect(failures).toEqual([]);
    });
  }

  it('Tanimoto values equal RDKit DataStructs.TanimotoSimilarity (1e-12)', () => {
    let n = 0;
    let worst = 0;
    for (const p of ref.tanimotoPairs) {
      const a = got.get(p.a) as Record<SparseFingerprintKind, SparseFingerprint>;
      const b = got.get(p.b) as Record<SparseFingerprintKind, SparseFingerprint>;
      for (const kind of SPARSE_FINGERPRINT_KINDS) {
        worst = Math.max(worst, Math.abs(sparseTanimoto(a[kind], b[kind]) - p[kind]));
        n++;
      }
    }
    console.log(`Tanimoto: ${n} values, max |ours - rdkit| = ${worst}`);
    expect(n).toBeGreaterThan(5000);
    expect(worst).toBeLessThanOrEqual(1e-12);
  });

});

describe('sparse fingerprint API', () => {
  it('sparseFingerprint equals the batch result and rejects bad SMILES', () => {
    const smi = 'CC(C)(C)NCC(O)c1ccc(O)c(CO)c1';
    const all = chem.sparseFingerprints(smi, SPARSE_FINGERPRINT_KINDS);
    for (const kind of SPARSE_FINGERPRINT_KINDS) expect(asPairs(chem.sparseFingerprint(smi, kind))).toEqual(asPairs(all[kind]));
    expect(Object.keys(chem.sparseFingerprints(smi, ['AP']))).toEqual(['AP']);
    expect(() => chem.sparseFingerprint('C1CC', 'ECFP4')).toThrow();
  });

  it('Tanimoto edge cases follow RDKit (empty count vectors 0, empty bit vectors 1)', () => {
    expect(countTanimoto(new Map(), new Map())).toBe(0);
    expect(bitTanimoto(new Set(), new Set())).toBe(1);
    expect(countTanimoto(new Map([[1, 2], [2, 1]]), new Map([[1, 1], [3, 1]]))).toBeCloseTo(1 / 4, 15);
    const methane = chem.sparseFingerprints('C', ['AP', 'PHCO']);
    expect(sparseTanimoto(methane.AP, methane.AP)).toBe(0);
    expect(sparseTanimoto(methane.PHCO, methane.PHCO)).toBe(1);
    expect(() => sparseTanimoto(methane.AP, methane.PHCO)).toThrow(RangeError);
  });

  it('orderTriangle matches RDKit Utils.OrderTriangle doctests', () => {
    expect(orderTriangle([0, 2, 4], [1, 2, 3])).toEqual([1, 2, 3]);
    for (const d of [[1, 2, 3], [2, 1, 3], [1, 3, 2], [3, 1, 2], [3, 2, 1]]) expect(orderTriangle([0, 0, 0], d)).toEqual([3, 2, 1]);
    expect(orderTriangle([0, 0, 1], [3, 2, 1])).toEqual([3, 2, 1]);
    expect(orderTriangle([0, 0, 1], [1, 3, 2])).toEqual([1, 3, 2]);
    expect(orderTriangle([0, 0, 1], [1, 2, 3])).toEqual([1, 3, 2]);
  });
});
