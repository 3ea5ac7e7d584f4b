/**
 * Binds the scoring engine's chemistry port and the spec checker to the RDKit wrapper (src/chem). Results that do
 * not depend on the objective (descriptors, QED, SA, fingerprints) are recomputed per call; the engine memoises them
 * per molecule within one score.
 */
import type { Chemistry } from '../chem/chemistry';
import { ELEMENT_SYMBOLS } from '../chem/elements';
import { SparseFingerprint, sparseTanimoto } from '../chem/fingerprints';
import { isomerScore, parseFormula } from '../chem/formula';
import type { ScoringChemistry, ScoringDescriptors } from './engine';
import type { SpecChecker } from './spec';

const need = <T>(v: T | null, what: string, smiles: string): T => {
  if (v === null) throw new Error(`${what}: invalid SMILES ${smiles}`);
  return v;
};

/** The scoring engine's chemistry port on a `Chemistry` instance. */
export function chemistryForScoring(chem: Chemistry): ScoringChemistry & SpecChecker {
  return {
    canonical: (s) => chem.canonical(s),
    descriptors: (s): ScoringDescriptors => need(chem.basicDescriptors(s), 'descriptors', s),
    qed: (s) => need(chem.qed(s), 'QED', s),
    saScore: (s) => need(chem.saScore(s), 'SA score', s),
    penalizedLogP: (s) => need(chem.penalizedLogP(s), 'plogP', s),
    bertzCT: (s) => chem.bertzCT(s),
    elementCounts: (s) => chem.elementCounts(s),
    isomerScore: (counts, formula, mean) => isomerScore(counts, formula, mean === 'ARITHMETIC' ? 'arithmetic' : 'geometric'),
    fingerprint: (s, kind) => chem.sparseFingerprint(s, kind),
    fingerprints: (s, kinds) => chem.sparseFingerprints(s, kinds),
    similarity: (a, b) => sparseTanimoto(a as SparseFingerprint, b as SparseFingerprint),
    matchesSmarts: (s, smarts) => chem.matchesSmarts(s, smarts),
    alertCount: (s, sets) => chem.alerts(s, sets).length,

    smilesProblem: (s) => {
      const v = chem.validate(s);
      return v.valid ? null : (v.reason ?? 'invalid SMILES');
    },
    smartsProblem: (smarts) => {
      try {
        chem.matchesSmarts('C', smarts);
        return null;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    },
    formulaProblem: (formula) => {
      try {
        parseFormula(formula);
        return null;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    },
    elementProblem: (symbol) => (ELEMENT_SYMBOLS.includes(symbol) && symbol !== '*' ? null : `unknown element symbol ${JSON.stringify(symbol)}`),
  };
}
