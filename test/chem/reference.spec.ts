/**
 * Agreement of src/chem (RDKit MinimalLib 2025.03 WASM + our TypeScript) with RDKit 2022.09.3 Python on the
 * molecules of test/reference/reference.json (regenerate with `npm run reference`).
 *
 * Tolerances: MW 0.01 Da, cLogP 0.01, TPSA 0.01 Å², QED 0.005, SA 0.01, plogP 0.05, integers exact. A property
 * fails the suite when more than 1% of the molecules disagree; the agreement table is printed.
 *
 * Known, accepted difference (1 molecule, `edge:glecaprevir`, kept in the set on purpose): RDKit 2022.09's legacy
 * stereo perception counts the 1-methylcyclopropyl carbon as a possible stereocentre (8 centres), RDKit 2025.03
 * does not (7), which moves its SA score by 0.07 and plogP by 0.085.
 */
import * as path from 'path';
import { Chemistry, MolecularProperties } from '../../src/chem/chemistry';
import { foldToBits } from '../../src/chem/morgan';

/** One reference molecule: RDKit Python's values for every MolecularProperties field plus diagnostics. */
interface RefMolecule extends MolecularProperties {
  id: string;
  name: string | null;
  smiles: string;
  canonicalSmiles: string;
  qedProperties: Record<string, number>;
  saComponents: Record<string, number>;
  cycleBasisMax: number;
  sssrMaxRing: number;
  morganR2Counts?: Record<string, number>;
}

interface Reference {
  rdkit: string;
  molecules: RefMolecule[];
  tanimotoPairs: Array<{ a: string; b: string; tanimoto: number }>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ref = require(path.join(__dirname, '..', 'reference', 'reference.json')) as Reference;

const TOLERANCE: Record<keyof MolecularProperties, number> = {
  mw: 0.01,
  clogp: 0.01,
  tpsa: 0.01,
  hbd: 0,
  hba: 0,
  rotatableBonds: 0,
  heavyAtoms: 0,
  aromaticRings: 0,
  qed: 0.005,
  sa: 0.01,
  plogp: 0.05,
};
const MAX_DISAGREEING_FRACTION = 0.01;

let chem: Chemistry;
const got = new Map<string, { canonicalSmiles: string; properties: MolecularProperties } | null>();

beforeAll(async () => {
  chem = await Chemistry.create();
  for (const m of ref.molecules) got.set(m.id, chem.describe(m.smiles));
});

afterAll(() => chem?.dispose());

describe('reference set', () => {
  it('has at least 250 molecules, all valid in both toolkits', () => {
    expect(ref.molecules.length).toBeGreaterThanOrEqual(250);
    const invalid = ref.molecules.filter((m) => got.get(m.id) === null).map((m) => m.smiles);
    expect(invalid).toEqual([]);
  });

  it('agrees per property within tolerance for at least 99% of molecules', () => {
    const n = ref.molecules.length;
    const rows: string[] = [];
    const failures: string[] = [];
    for (const key of Object.keys(TOLERANCE) as Array<keyof MolecularProperties>) {
      let maxDiff = 0;
      let within = 0;
      const bad: string[] = [];
      for (const m of ref.molecules) {
        const d = got.get(m.id);
        if (!d) continue;
        const diff = Math.abs(d.properties[key] - m[key]);
        maxDiff = Math.max(maxDiff, diff);
        // reference values are rounded to 1e-6
        if (diff <= TOLERANCE[key] + 1e-6) within++;
        else bad.push(`${m.id} ${m.smiles}: got ${d.properties[key]}, RDKit ${m[key]}`);
      }
      rows.push(`${key.padEnd(15)} within ${String(within).padStart(3)}/${n}  max |diff| ${maxDiff.toExponential(2)}`);
      if ((n - within) / n > MAX_DISAGREEING_FRACTION) failures.push(`${key}: ${bad.slice(0, 5).join('; ')}`);
      if (bad.length > 0) rows.push(`  disagreeing: ${bad.slice(0, 3).join('; ')}`);
    }
    const canonSame = ref.molecules.filter((m) => got.get(m.id)?.canonicalSmiles === m.canonicalSmiles).length;
    rows.push(`canonical SMILES identical to RDKit ${ref.rdkit}: ${canonSame}/${n}`);
    console.log(`src/chem vs RDKit ${ref.rdkit} (Python), ${n} molecules\n${rows.join('\n')}`);
    expect(failures).toEqual([]);
  });

  it('canonical SMILES of the Python reference re-canonicalise to ours (same molecule)', () => {
    const mismatched = ref.molecules.filter((m) => chem.canonical(m.canonicalSmiles) !== got.get(m.id)?.canonicalSmiles);
    expect(mismatched.map((m) => m.id)).toEqual([]);
  });

  it('QED inputs (HBA, AROM, ALERTS, ...) match RDKit QED.properties for >= 99%', () => {
    let bad = 0;
    for (const m of ref.molecules) {
      const qp = chem.qedProperties(m.smiles)!;
      const ok = Object.entries(m.qedProperties).every(([k, v]) => Math.abs(qp[k as keyof typeof qp] - v) <= 1e-4);
      if (!ok) bad++;
    }
    expect(bad / ref.molecules.length).toBeLessThanOrEqual(MAX_DISAGREEING_FRACTION);
  });

  it('SA-score components match sascorer.py for >= 99% (fragment score and id counts exactly)', () => {
    let bad = 0;
    for (const m of ref.molecules) {
      const c = chem.saComponents(m.smiles)!;
      expect(c.fragmentScore).toBeCloseTo(m.saComponents.fragmentScore, 5);
      expect(c.nDistinctIds).toBe(m.saComponents.nDistinctIds);
      expect(c.nAtoms).toBe(m.saComponents.nAtoms);
      const ok = (['nChiralCenters', 'nSpiro', 'nBridgeheads', 'nMacrocycles'] as const).every(
        (k) => c[k] === m.saComponents[k],
      );
      if (!ok) bad++;
    }
    expect(bad / ref.molecules.length).toBeLessThanOrEqual(MAX_DISAGREEING_FRACTION);
  });
});

describe('known toolkit difference', () => {
  it('glecaprevir: 8 stereocentres in RDKit 2022.09 (legacy), 7 in MinimalLib 2025.03', () => {
    const m = ref.molecules.find((x) => x.id === 'edge:glecaprevir') as RefMolecule;
    expect(m.saComponents.nChiralCenters).toBe(8);
    expect(chem.saComponents(m.smiles)!.nChiralCenters).toBe(7);
    const d = got.get(m.id)!.properties;
    expect(Math.abs(d.sa - m.sa)).toBeCloseTo(0.0708, 3);
    expect(Math.abs(d.plogp - m.plogp)).toBeCloseTo(0.085, 3);
  });
});

describe('unfolded Morgan identifiers (SA-score keys)', () => {
  const withIds = ref.molecules.filter((m) => m.morganR2Counts);

  it('reference has identifiers for a subset including the edge cases', () => {
    expect(withIds.length).toBeGreaterThanOrEqual(40);
  });

  it.each(withIds.map((m) => [m.id, m] as const))('%s: identical to GetMorganFingerprint(m, 2)', (_id, m) => {
    const counts = chem.morganCounts(m.smiles, 2);
    const mine = Object.fromEntries([...counts.entries()].map(([k, v]) => [String(k), v]));
    expect(mine).toEqual(m.morganR2Counts);
  });

  it('folded to 2048 bits, they equal MinimalLib get_morgan_fp bits (ECFP4)', () => {
    for (const m of ref.molecules.slice(0, 100)) {
      expect(Buffer.from(foldToBits(chem.morganCounts(m.smiles).keys(), 2048))).toEqual(
        Buffer.from(chem.fingerprint(m.smiles)),
      );
    }
  });
});

describe('penalised logP cycle term', () => {
  it('largest networkx cycle_basis cycle equals the reference (checked through plogP) and differs from SSSR sometimes', () => {
    // molecules whose cycle basis has a longer cycle than their largest SSSR ring exercise the cycle_basis port
    const special = ref.molecules.filter((m) => m.cycleBasisMax !== m.sssrMaxRing && m.cycleBasisMax > 6);
    expect(special.length).toBeGreaterThan(0);
    for (const m of special) expect(got.get(m.id)!.properties.plogp).toBeCloseTo(m.plogp, 4);
  });
});

describe('ECFP4 Tanimoto pairs', () => {
  it('match RDKit DataStructs.TanimotoSimilarity', () => {
    expect(ref.tanimotoPairs.length).toBeGreaterThanOrEqual(50);
    for (const p of ref.tanimotoPairs) expect(chem.tanimoto(p.a, p.b)).toBeCloseTo(p.tanimoto, 6);
  });
});

describe('well-known molecules (exact values from RDKit 2022.09.3 Python)', () => {
  const cases: Array<[string, string, Partial<MolecularProperties>]> = [
    [
      'aspirin',
      'CC(=O)Oc1ccccc1C(=O)O',
      { mw: 180.159, clogp: 1.3101, tpsa: 63.6, hbd: 1, hba: 3, rotatableBonds: 2, heavyAtoms: 13, aromaticRings: 1, qed: 0.550122, sa: 1.58004, plogp: 1.136788 },
    ],
    [
      'caffeine',
      'Cn1c(=O)c2c(ncn2C)n(C)c1=O',
      { mw: 194.194, clogp: -1.0293, tpsa: 61.82, hbd: 0, hba: 6, rotatableBonds: 0, heavyAtoms: 14, aromaticRings: 2, qed: 0.538463, sa: 2.297982, plogp: -1.355562 },
    ],
    [
      'celecoxib',
      'Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1',
      { mw: 381.379, clogp: 3.51392, tpsa: 77.98, hbd: 1, hba: 4, rotatableBonds: 3, heavyAtoms: 26, aromaticRings: 3, qed: 0.754105, sa: 2.144357, plogp: 1.996245 },
    ],
  ];
  it.each(cases)('%s', (_name, smiles, expected) => {
    const p = chem.properties(smiles)!;
    for (const [k, v] of Object.entries(expected) as Array<[keyof MolecularProperties, number]>) {
      if (Number.isInteger(v) && ['hbd', 'hba', 'rotatableBonds', 'heavyAtoms', 'aromaticRings'].includes(k)) {
        expect(p[k]).toBe(v);
      } else {
        expect(Math.abs(p[k] - v)).toBeLessThanOrEqual(1.5e-5);
      }
    }
  });

  it('aspirin InChIKey and salicylic-acid similarity', () => {
    expect(chem.inchiKey('CC(=O)Oc1ccccc1C(=O)O')).toBe('BSYNRYMUTXBXSQ-UHFFFAOYSA-N');
    // 13 common / 29 bits set in either (RDKit: 0.4482758620689655)
    expect(chem.tanimoto('CC(=O)Oc1ccccc1C(=O)O', 'O=C(O)c1ccccc1O')).toBeCloseTo(13 / 29, 12);
  });
});
