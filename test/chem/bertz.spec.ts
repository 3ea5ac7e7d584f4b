/**
 * BertzCT (src/chem/bertz.ts) against RDKit 2022.09.3 `GraphDescriptors.BertzCT` on the molecules of
 * test/reference/alerts.json (all of test/reference/reference.json, 300 more ZINC250k test molecules and 300
 * approved drugs; regenerate with `/usr/bin/python3 test/reference/make_alerts.py`). Tolerance: 1e-6 relative.
 */
import * as path from 'path';
import { BERTZ_DEFAULT_CUTOFF, bertzCT } from '../../src/chem/bertz';
import { Chemistry } from '../../src/chem/chemistry';
import { InvalidSmilesError } from '../../src/chem/errors';
import { parseRdkitJson } from '../../src/chem/graph';
import type { JSMol } from '../../src/chem/rdkit';

interface Ref {
  rdkit: string;
  molecules: Array<{ id: string; smiles: string; bertzCT: number }>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ref = require(path.join(__dirname, '..', 'reference', 'alerts.json')) as Ref;

let chem: Chemistry;

beforeAll(async () => {
  chem = await Chemistry.create();
});

afterAll(() => chem?.dispose());

describe('bertzCT', () => {
  it(`agrees with RDKit ${ref.rdkit} to 1e-6 relative on all ${ref.molecules.length} reference molecules`, () => {
    let worst = 0;
    const bad: string[] = [];
    for (const m of ref.molecules) {
      const got = chem.bertzCT(m.smiles);
      const rel = Math.abs(got - m.bertzCT) / Math.max(1, Math.abs(m.bertzCT));
      worst = Math.max(worst, rel);
      if (!(rel <= 1e-6)) bad.push(`${m.id} ${m.smiles}: ${got} vs RDKit ${m.bertzCT}`);
    }
    console.log(`BertzCT parity: ${ref.molecules.length} molecules, worst relative difference ${worst.toExponential(2)}`);
    expect(bad).toEqual([]);
  });

  it("gives sitagliptin's value used by GuacaMol's valsartan SMARTS task (896.38)", () => {
    expect(chem.bertzCT('N[C@@H](CC(=O)N1CCn2c(nnc2C(F)(F)F)C1)Cc1cc(F)c(F)cc1F')).toBeCloseTo(896.3804853871784, 9);
  });

  it('is 0 below two atoms, and handles fragments and small cases', () => {
    expect(chem.bertzCT('C')).toBe(0);
    expect(chem.bertzCT('[Na+]')).toBe(0);
    // ethane: 2 atoms of one element, no connections -> 0
    expect(chem.bertzCT('CC')).toBe(0);
    // RDKit 2022.09.3 values
    expect(chem.bertzCT('CC=O')).toBeCloseTo(10.264662506490405, 9);
    expect(chem.bertzCT('CC(=O)[O-].[Na+]')).toBeCloseTo(30.629190483090685, 9);
  });

  it('rejects invalid input', () => {
    expect(() => chem.bertzCT('C1CC')).toThrow(InvalidSmilesError);
    const mol = chem.rdkit.get_mol('CCO') as JSMol;
    try {
      const g = parseRdkitJson(mol.get_json());
      expect(() => bertzCT(g, 0)).toThrow(RangeError);
      expect(bertzCT(g, BERTZ_DEFAULT_CUTOFF)).toBe(bertzCT(g));
    } finally {
      mol.delete();
    }
  });
});
