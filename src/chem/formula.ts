/**
 * Molecular formulas: parsing formula strings, writing element counts as a formula (RDKit `CalcMolFormula` order)
 * and GuacaMol's isomer score (closeness of a molecule's element counts to a target formula). Pure functions, no
 * RDKit; the element counts of a molecule come from `Chemistry.elementCounts()`.
 */
import { ELEMENT_SYMBOLS } from './elements';

/** Element counts of a molecule or formula, keyed by element symbol (`H` includes implicit hydrogens). */
export type ElementCounts = Record<string, number>;

/** One `<element><count>` term of a formula, in the order written. */
export interface FormulaTerm {
  element: string;
  count: number;
}

const KNOWN_ELEMENTS = new Set(ELEMENT_SYMBOLS.slice(1));
const TERM = /([A-Z][a-z]?)(\d*)/y;

/**
 * Parses a molecular formula such as `C9H10N2O2PF2Cl` into its terms, in the order written (an element written
 * twice, as in `CH3COOH`, gives two terms — GuacaMol scores each term separately). A missing count means 1.
 *
 * Accepted syntax: one or more terms `<symbol><count>`, symbol = an element of the periodic table (H..Og,
 * case-sensitive), count = optional positive integer without leading zeros. No charges, isotopes, parentheses,
 * hydrates or whitespace.
 *
 * @throws RangeError with the offending position for anything else (empty string, unknown element such as `Xx`,
 *   lower-case start, count 0, stray characters).
 */
export function parseFormula(formula: string): FormulaTerm[] {
  if (typeof formula !== 'string' || formula.length === 0) throw new RangeError('empty molecular formula');
  const terms: FormulaTerm[] = [];
  let pos = 0;
  while (pos < formula.length) {
    TERM.lastIndex = pos;
    const m = TERM.exec(formula);
    if (!m) {
      throw new RangeError(
        `malformed molecular formula ${JSON.stringify(formula)}: expected an element symbol at position ${pos}`,
      );
    }
    const [all, element, digits] = m;
    if (!KNOWN_ELEMENTS.has(element)) {
      throw new RangeError(`malformed molecular formula ${JSON.stringify(formula)}: unknown element ${element}`);
    }
    if (digits.length > 0 && (digits[0] === '0' || digits.length > 6)) {
      throw new RangeError(
        `malformed molecular formula ${JSON.stringify(formula)}: bad count ${digits} for ${element} (positive integer)`,
      );
    }
    terms.push({ element, count: digits.length > 0 ? Number(digits) : 1 });
    pos += all.length;
  }
  return terms;
}

/** Sums the terms of `parseFormula(formula)` per element. @throws RangeError for a malformed formula. */
export function formulaCounts(formula: string): ElementCounts {
  const out: ElementCounts = {};
  for (const t of parseFormula(formula)) out[t.element] = (out[t.element] ?? 0) + t.count;
  return out;
}

/**
 * Molecular formula of element counts in RDKit's `CalcMolFormula` order: C, then H, then the other elements
 * alphabetically (unlike strict Hill order, H stays in front without carbon: Al(OH)3 is `H3AlO3`). Count 1 is not
 * written; zero counts are skipped. E.g. celecoxib → `C17H14F3N3O2S`. The net charge is not written (RDKit appends
 * it: acetylcholine is `C7H16NO2+` there, `C7H16NO2` here); isotopes count as their element (`[2H]` is H).
 */
export function formatFormula(counts: ElementCounts): string {
  const elements = Object.keys(counts).filter((e) => counts[e] > 0);
  const first = ['C', 'H'].filter((e) => elements.includes(e));
  const rest = elements.filter((e) => !first.includes(e)).sort();
  return [...first, ...rest].map((e) => (counts[e] === 1 ? e : `${e}${counts[e]}`)).join('');
}

/** GuacaMol's `GaussianModifier`: exp(-0.5 ((x - mu) / sigma)^2), 1 at x = mu. */
export function gaussianModifier(x: number, mu: number, sigma: number): number {
  const z = (x - mu) / sigma;
  return Math.exp(-0.5 * z * z);
}

/**
 * GuacaMol's isomer score of a molecule against a target formula (`IsomerScoringFunction`, Brown, Fiscato, Segler &
 * Vaucher, "GuacaMol: Benchmarking Models for de Novo Molecular Design", J. Chem. Inf. Model. 2019, 59, 1096-1108,
 * doi:10.1021/acs.jcim.8b00839; guacamol/common_scoring_functions.py): one `GaussianModifier(mu = count, sigma = 1)`
 * on the molecule's number of atoms of each term's element (`AtomCounter`, H counted after `AddHs`), one
 * `GaussianModifier(mu = sum of the formula's counts, sigma = 2)` on the molecule's total number of atoms including
 * hydrogens (`num_atoms`), combined by the geometric (product^(1/k), GuacaMol's default) or arithmetic mean of the k
 * scores. Elements the formula does not name only enter through the total. 1.0 exactly for a molecule with the
 * target formula.
 *
 * @param counts element counts of the molecule including all hydrogens (`Chemistry.elementCounts()`); their sum is
 *   the total atom count.
 * @param formula target formula (string, parsed with `parseFormula`, or its terms).
 * @returns score in (0, 1].
 * @throws RangeError for a malformed formula or an unknown mean.
 */
export function isomerScore(
  counts: ElementCounts,
  formula: string | readonly FormulaTerm[],
  mean: 'geometric' | 'arithmetic' = 'geometric',
): number {
  if (mean !== 'geometric' && mean !== 'arithmetic') throw new RangeError(`Invalid mean function: "${mean}"`);
  const terms = typeof formula === 'string' ? parseFormula(formula) : formula;
  if (terms.length === 0) throw new RangeError('empty molecular formula');
  let totalAtoms = 0;
  for (const v of Object.values(counts)) totalAtoms += v;
  let targetAtoms = 0;
  const scores: number[] = [];
  for (const t of terms) {
    scores.push(gaussianModifier(counts[t.element] ?? 0, t.count, 1));
    targetAtoms += t.count;
  }
  scores.push(gaussianModifier(totalAtoms, targetAtoms, 2));
  if (mean === 'arithmetic') return scores.reduce((s, x) => s + x, 0) / scores.length;
  return scores.reduce((p, x) => p * x, 1) ** (1 / scores.length);
}
