/**
 * Substructure highlighting in depictions (`Chemistry.depictSvg` with `highlight`), used by the workbench's library
 * search: every match of a SMARTS is drawn highlighted; no match gives the plain depiction; a bad pattern is an
 * InvalidSmartsError, reported before the SMILES is looked at.
 */
import { Chemistry, InvalidSmartsError, InvalidSmilesError } from '../../src/chem';

let chem: Chemistry;

beforeAll(async () => {
  chem = await Chemistry.create();
});

afterAll(() => chem?.dispose());

const ASPIRIN = 'CC(=O)Oc1ccccc1C(=O)O';
/** RDKit's default highlight colour, (1, 0.5, 0.5). */
const HIGHLIGHT = /#FF7F7F/i;

/** Atom indices RDKit drew with the highlight colour (`<ellipse class='atom-N' ... fill:#FF7F7F`). */
function highlightedAtoms(svg: string): number[] {
  const atoms = new Set<number>();
  for (const m of svg.matchAll(/<ellipse[^>]*class='atom-(\d+)'[^>]*>/g)) if (HIGHLIGHT.test(m[0])) atoms.add(Number(m[1]));
  return [...atoms].sort((a, b) => a - b);
}

describe('Chemistry.depictSvg with a highlight', () => {
  it('highlights the atoms of the carboxylic acid of aspirin and nothing else', () => {
    const plain = chem.depictSvg(ASPIRIN, { width: 300, height: 200 });
    const acid = chem.depictSvg(ASPIRIN, { width: 300, height: 200, highlight: 'C(=O)[OH]' });
    expect(plain).not.toMatch(HIGHLIGHT);
    expect(acid).toMatch(HIGHLIGHT);
    expect(acid).toMatch(/width='300px' height='200px'/);
    // Canonical aspirin: atoms 10, 11, 12 are C(=O)O of the acid; the ester carbonyl (1, 2, 3) has no OH.
    expect(highlightedAtoms(acid)).toEqual([10, 11, 12]);
  });

  it('highlights every match: both carbonyl groups of aspirin', () => {
    const svg = chem.depictSvg(ASPIRIN, { highlight: 'C=O' });
    expect(highlightedAtoms(svg)).toEqual([1, 2, 10, 11]);
  });

  it('gives the plain depiction when the pattern does not match', () => {
    expect(chem.depictSvg(ASPIRIN, { highlight: '[Cl]' })).toBe(chem.depictSvg(ASPIRIN));
  });

  it('rejects a bad pattern with InvalidSmartsError (INVALID_SMARTS), before the SMILES', () => {
    expect(() => chem.depictSvg(ASPIRIN, { highlight: 'C(=O' })).toThrow(InvalidSmartsError);
    expect(() => chem.depictSvg('C1CC(C', { highlight: 'C(=O' })).toThrow(InvalidSmartsError);
    expect(() => chem.depictSvg('C1CC(C', { highlight: 'C=O' })).toThrow(InvalidSmilesError);
  });
});
