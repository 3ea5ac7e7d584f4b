/**
 * Element counts, molecular formulas and GuacaMol's isomer score (src/chem/formula.ts, `Chemistry.elementCounts`)
 * against RDKit 2022.09.3 Python on test/reference/alerts.json (`/usr/bin/python3 test/reference/make_alerts.py`):
 * element counts as GuacaMol's AtomCounter (symbols after Chem.AddHs), total atoms as GuacaMol's num_atoms,
 * formulas as rdMolDescriptors.CalcMolFormula (without its net-charge suffix), isomer scores from GuacaMol's
 * IsomerScoringFunction formula.
 */
import * as path from 'path';
import { Chemistry } from '../../src/chem/chemistry';
import { InvalidSmilesError } from '../../src/chem/errors';
import { formatFormula, formulaCounts, gaussianModifier, isomerScore, parseFormula } from '../../src/chem/formula';

interface Ref {
  rdkit: string;
  molecules: Array<{
    id: string;
    smiles: string;
    elementCounts: Record<string, number>;
    numAtoms: number;
    formula: string;
  }>;
  isomerScores: Array<{ id: string; smiles: string; formula: string; mean: 'geometric' | 'arithmetic'; score: number }>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ref = require(path.join(__dirname, '..', 'reference', 'alerts.json')) as Ref;

let chem: Chemistry;

beforeAll(async () => {
  chem = await Chemistry.create();
});

afterAll(() => chem?.dispose());

describe('elementCounts / molecularFormula', () => {
  it(`agree with RDKit ${ref.rdkit} (AddHs atom symbols, CalcMolFormula) on all ${ref.molecules.length} molecules`, () => {
    const bad: string[] = [];
    for (const m of ref.molecules) {
      const counts = chem.elementCounts(m.smiles);
      const total = Object.values(counts).reduce((s, x) => s + x, 0);
      if (JSON.stringify(sortKeys(counts)) !== JSON.stringify(sortKeys(m.elementCounts)) || total !== m.numAtoms) {
        bad.push(`${m.id}: ${JSON.stringify(counts)} vs ${JSON.stringify(m.elementCounts)} (${m.numAtoms} atoms)`);
      }
      const rdkitFormula = m.formula.replace(/[+-]\d*$/, '');
      if (chem.molecularFormula(m.smiles) !== rdkitFormula) {
        bad.push(`${m.id}: formula ${chem.molecularFormula(m.smiles)} vs ${m.formula}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('counts implicit, explicit and isotopic hydrogens', () => {
    expect(chem.molecularFormula('Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1')).toBe('C17H14F3N3O2S');
    expect(chem.elementCounts('[2H]C([2H])([2H])Oc1ccccc1')).toEqual({ C: 7, O: 1, H: 8 });
    expect(chem.elementCounts('[H][H]')).toEqual({ H: 2 });
    expect(chem.elementCounts('c1cc[nH]c1')).toEqual({ C: 4, N: 1, H: 5 });
    expect(chem.elementCounts('CC(=O)[O-].[Na+]')).toEqual({ C: 2, O: 2, Na: 1, H: 3 });
    expect(() => chem.elementCounts('C1CC')).toThrow(InvalidSmilesError);
  });
});

describe('parseFormula / formatFormula', () => {
  it('parses formulas, keeping repeated elements as separate terms', () => {
    expect(parseFormula('C9H10N2O2PF2Cl')).toEqual([
      { element: 'C', count: 9 },
      { element: 'H', count: 10 },
      { element: 'N', count: 2 },
      { element: 'O', count: 2 },
      { element: 'P', count: 1 },
      { element: 'F', count: 2 },
      { element: 'Cl', count: 1 },
    ]);
    expect(parseFormula('CH3COOH').map((t) => t.element)).toEqual(['C', 'H', 'C', 'O', 'O', 'H']);
    expect(formulaCounts('CH3COOH')).toEqual({ C: 2, H: 4, O: 2 });
    expect(parseFormula('C1')).toEqual([{ element: 'C', count: 1 }]);
  });

  it.each([
    ['', /empty/],
    ['c6h6', /expected an element symbol at position 0/],
    ['C6H6 ', /position 4/],
    ['C6H6+', /position 4/],
    ['Xx2', /unknown element Xx/],
    ['C0', /bad count 0/],
    ['C01', /bad count 01/],
    ['C(CH3)2', /position 1/],
    ['2C', /position 0/],
  ])('rejects %j', (formula, message) => {
    expect(() => parseFormula(formula)).toThrow(RangeError);
    expect(() => parseFormula(formula)).toThrow(message);
  });

  it("writes formulas in RDKit's CalcMolFormula order", () => {
    expect(formatFormula({ H: 14, C: 17, S: 1, O: 2, N: 3, F: 3 })).toBe('C17H14F3N3O2S');
    expect(formatFormula({ H: 2, O: 1 })).toBe('H2O');
    expect(formatFormula({ Na: 1, Cl: 1 })).toBe('ClNa');
    expect(formatFormula({ C: 1, H: 0, Cl: 4 })).toBe('CCl4');
    expect(formatFormula({ Al: 1, O: 3, H: 3 })).toBe('H3AlO3');
  });
});

describe('isomerScore (GuacaMol IsomerScoringFunction)', () => {
  it(`matches the Python formula on ${ref.isomerScores.length} (molecule, formula, mean) cases`, () => {
    let worst = 0;
    for (const c of ref.isomerScores) {
      const got = isomerScore(chem.elementCounts(c.smiles), c.formula, c.mean);
      worst = Math.max(worst, Math.abs(got - c.score));
    }
    console.log(`isomer score parity: ${ref.isomerScores.length} cases, worst absolute difference ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-12);
  });

  it('is 1 for an exact isomer (4-nitrobenzylamine and C7H8N2O2) and lower otherwise', () => {
    const counts = chem.elementCounts('NCc1ccc(cc1)[N+](=O)[O-]');
    expect(formatFormula(counts)).toBe('C7H8N2O2');
    expect(isomerScore(counts, 'C7H8N2O2')).toBe(1);
    expect(isomerScore(counts, 'C7H8N2O2', 'arithmetic')).toBe(1);
    const undecane = chem.elementCounts('CCCCCCCCCCC');
    expect(isomerScore(undecane, 'C11H24')).toBe(1);
    // one C too few: C term exp(-0.5), H term 1 (C10H22 has 22 H: exp(-2)), total 32 vs 35: exp(-0.5 * 1.5^2)
    const decane = chem.elementCounts('CCCCCCCCCC');
    const want = Math.cbrt(gaussianModifier(10, 11, 1) * gaussianModifier(22, 24, 1) * gaussianModifier(32, 35, 2));
    expect(isomerScore(decane, 'C11H24')).toBeCloseTo(want, 15);
    expect(() => isomerScore(decane, 'C11H24', 'median' as never)).toThrow(RangeError);
    expect(() => isomerScore(decane, 'C11h24')).toThrow(RangeError);
  });
});

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
