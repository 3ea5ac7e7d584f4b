/**
 * The 20 PMO tasks computable with RDKit alone (Gao, Fu, Sun & Coley, "Sample efficiency matters: a benchmark for
 * practical molecular optimization", NeurIPS 2022 Datasets and Benchmarks, arXiv:2206.12411), written in the scoring
 * language. PMO scores them with the Therapeutics Data Commons oracles (`tdc/chem_utils/oracle/oracle.py`), which
 * re-implement GuacaMol's goal-directed benchmarks (Brown et al. 2019, doi:10.1021/acs.jcim.8b00839); target
 * molecules, fingerprints, modifiers and means are taken from there:
 * - GuacaMol ClippedScoreModifier(upper_x) = CLAMPED_LINEAR x0 0, x1 upper_x;
 * - GaussianModifier / MinGaussianModifier / MaxGaussianModifier = GAUSSIAN with flat NONE / BELOW / ABOVE;
 * - scipy `gmean` = GEOMETRIC aggregation with equal weights, `np.mean` = ARITHMETIC;
 * - `TanimotoSimilarity` on GetMorganFingerprint / GetAtomPairFingerprint(maxLength=10) count vectors = SIMILARITY
 *   with ECFP4 / ECFP6 / FCFP4 / AP; Gen2DFingerprint(Gobbi_Pharm2D) bits = PHCO.
 * Numeric targets that TDC computes from sitagliptin at import time (MolLogP 2.0165, TPSA 77.04 Å², BertzCT
 * 896.38) were computed with RDKit 2022.09 and are checked against our chemistry in test/scoring/pmo-tasks.spec.ts.
 *
 * One deviation, documented in bench/optimisation.md: TDC's `Isomer_scoring` takes the *total* atom count of the
 * molecule from its SMILES text through the formula regex (`([A-Z][a-z]*)(\d*)`, a "todo add Hs" in its code), not
 * from the molecule. The FORMULA component counts atoms of the molecule as GuacaMol's IsomerScoringFunction intends;
 * the benchmark harness scores the isomer tasks (and the isomer term of sitagliptin/zaleplon MPO) the TDC way
 * (`tdcIsomerScore`), so its table is comparable with PMO's published numbers.
 */
import type { ScoringSpec } from './spec';

export interface PmoTask {
  /** TDC oracle name. */
  name: string;
  spec: ScoringSpec;
}

const CELECOXIB = 'CC1=CC=C(C=C1)C1=CC(=NN1C1=CC=C(C=C1)S(N)(=O)=O)C(F)(F)F';
const TROGLITAZONE = 'Cc1c(C)c2OC(C)(COc3ccc(CC4SC(=O)NC4=O)cc3)CCc2c(C)c1O';
const THIOTHIXENE = 'CN(C)S(=O)(=O)c1ccc2Sc3ccccc3C(=CCCN4CCN(C)CC4)c2c1';
const ALBUTEROL = 'CC(C)(C)NCC(O)c1ccc(O)c(CO)c1';
const MESTRANOL = 'COc1ccc2[C@H]3CC[C@@]4(C)[C@@H](CC[C@@]4(O)C#C)[C@@H]3CCc2c1';
const CAMPHOR = 'CC1(C)C2CCC1(C)C(=O)C2';
const MENTHOL = 'CC(C)C1CCC(C)CC1O';
const TADALAFIL = 'O=C1N(CC(N2C1CC3=C(C2C4=CC5=C(OCO5)C=C4)NC6=C3C=CC=C6)=O)C';
const SILDENAFIL = 'CCCC1=NN(C2=C1N=C(NC2=O)C3=C(C=CC(=C3)S(=O)(=O)N4CCN(CC4)C)OCC)C';
const OSIMERTINIB = 'COc1cc(N(C)CCN(C)C)c(NC(=O)C=C)cc1Nc2nccc(n2)c3cn(C)c4ccccc34';
const FEXOFENADINE = 'CC(C)(C(=O)O)c1ccc(cc1)C(O)CCCN2CCC(CC2)C(O)(c3ccccc3)c4ccccc4';
const RANOLAZINE = 'COc1ccccc1OCC(O)CN2CCN(CC(=O)Nc3c(C)cccc3C)CC2';
const PERINDOPRIL = 'O=C(OCC)C(NC(C(=O)N1C(C(=O)O)CC2CCCCC12)C)CCC';
const AMLODIPINE = 'Clc1ccccc1C2C(=C(/N/C(=C2/C(=O)OCC)COCCN)C)\\C(=O)OC';
const SITAGLIPTIN = 'Fc1cc(c(F)cc1F)CC(N)CC(=O)N3Cc2nnc(n2CC3)C(F)(F)F';
const ZALEPLON = 'O=C(C)N(CC)C1=CC=CC(C2=CC=NC3=C(C=NN23)C#N)=C1';
const HOP_QUERY = 'CCCOc1cc2ncnc(Nc3ccc4ncsc4c3)c2cc1S(=O)(=O)C(C)(C)C';
const HOP_SCAFFOLD = '[#7]-c1n[c;h1]nc2[c;h1]c(-[#8])[c;h0][c;h1]c12';

/** Sitagliptin's Crippen logP, TPSA (Å²) and BertzCT as RDKit computes them (targets of two tasks). */
export const SITAGLIPTIN_TARGETS = Object.freeze({ clogp: 2.0165, tpsa: 77.04, bertz: 896.3804853871784 });

const rediscovery = (name: string, smiles: string): PmoTask => ({
  name,
  spec: { aggregation: 'ARITHMETIC', components: [{ kind: 'SIMILARITY', references: [smiles], fingerprint: 'ECFP4' }] },
});

const similarityTask = (name: string, smiles: string, fingerprint: 'FCFP4' | 'AP'): PmoTask => ({
  name,
  spec: {
    aggregation: 'ARITHMETIC',
    components: [{ kind: 'SIMILARITY', references: [smiles], fingerprint, transform: { kind: 'CLAMPED_LINEAR', x0: 0, x1: 0.75 } }],
  },
});

/** The 20 tasks, in PMO's table order. */
export const PMO_TASKS: readonly PmoTask[] = Object.freeze([
  { name: 'qed', spec: { components: [{ kind: 'QED' }] } },
  rediscovery('celecoxib_rediscovery', CELECOXIB),
  rediscovery('troglitazone_rediscovery', TROGLITAZONE),
  rediscovery('thiothixene_rediscovery', THIOTHIXENE),
  similarityTask('albuterol_similarity', ALBUTEROL, 'FCFP4'),
  similarityTask('mestranol_similarity', MESTRANOL, 'AP'),
  { name: 'isomers_c7h8n2o2', spec: { components: [{ kind: 'FORMULA', formula: 'C7H8N2O2' }] } },
  { name: 'isomers_c9h10n2o2pf2cl', spec: { components: [{ kind: 'FORMULA', formula: 'C9H10N2O2PF2Cl' }] } },
  {
    name: 'median1',
    spec: {
      aggregation: 'GEOMETRIC',
      components: [
        { kind: 'SIMILARITY', name: 'camphor', references: [CAMPHOR], fingerprint: 'ECFP4' },
        { kind: 'SIMILARITY', name: 'menthol', references: [MENTHOL], fingerprint: 'ECFP4' },
      ],
    },
  },
  {
    name: 'median2',
    spec: {
      aggregation: 'GEOMETRIC',
      components: [
        { kind: 'SIMILARITY', name: 'tadalafil', references: [TADALAFIL], fingerprint: 'ECFP6' },
        { kind: 'SIMILARITY', name: 'sildenafil', references: [SILDENAFIL], fingerprint: 'ECFP6' },
      ],
    },
  },
  {
    name: 'osimertinib_mpo',
    spec: {
      aggregation: 'GEOMETRIC',
      components: [
        { kind: 'TPSA', transform: { kind: 'GAUSSIAN', mu: 100, sigma: 10, flat: 'ABOVE' } },
        { kind: 'CLOGP', transform: { kind: 'GAUSSIAN', mu: 1, sigma: 1, flat: 'BELOW' } },
        { kind: 'SIMILARITY', name: 'fcfp4', references: [OSIMERTINIB], fingerprint: 'FCFP4', transform: { kind: 'CLAMPED_LINEAR', x0: 0, x1: 0.8 } },
        { kind: 'SIMILARITY', name: 'ecfp6', references: [OSIMERTINIB], fingerprint: 'ECFP6', transform: { kind: 'GAUSSIAN', mu: 0.85, sigma: 0.1, flat: 'BELOW' } },
      ],
    },
  },
  {
    name: 'fexofenadine_mpo',
    spec: {
      aggregation: 'GEOMETRIC',
      components: [
        { kind: 'TPSA', transform: { kind: 'GAUSSIAN', mu: 90, sigma: 10, flat: 'ABOVE' } },
        { kind: 'CLOGP', transform: { kind: 'GAUSSIAN', mu: 4, sigma: 1, flat: 'BELOW' } },
        { kind: 'SIMILARITY', references: [FEXOFENADINE], fingerprint: 'AP', transform: { kind: 'CLAMPED_LINEAR', x0: 0, x1: 0.8 } },
      ],
    },
  },
  {
    name: 'ranolazine_mpo',
    spec: {
      aggregation: 'GEOMETRIC',
      components: [
        { kind: 'TPSA', transform: { kind: 'GAUSSIAN', mu: 95, sigma: 20, flat: 'ABOVE' } },
        { kind: 'CLOGP', transform: { kind: 'GAUSSIAN', mu: 7, sigma: 1, flat: 'ABOVE' } },
        { kind: 'SIMILARITY', references: [RANOLAZINE], fingerprint: 'AP', transform: { kind: 'CLAMPED_LINEAR', x0: 0, x1: 0.7 } },
        { kind: 'ATOM_COUNT', element: 'F', transform: { kind: 'GAUSSIAN', mu: 1, sigma: 1 } },
      ],
    },
  },
  {
    name: 'perindopril_mpo',
    spec: {
      aggregation: 'GEOMETRIC',
      components: [
        { kind: 'SIMILARITY', references: [PERINDOPRIL], fingerprint: 'ECFP4' },
        { kind: 'AROMATIC_RINGS', transform: { kind: 'GAUSSIAN', mu: 2, sigma: 0.5 } },
      ],
    },
  },
  {
    name: 'amlodipine_mpo',
    spec: {
      aggregation: 'GEOMETRIC',
      components: [
        { kind: 'SIMILARITY', references: [AMLODIPINE], fingerprint: 'ECFP4' },
        { kind: 'RINGS', transform: { kind: 'GAUSSIAN', mu: 3, sigma: 0.5 } },
      ],
    },
  },
  {
    name: 'sitagliptin_mpo',
    spec: {
      aggregation: 'GEOMETRIC',
      components: [
        { kind: 'SIMILARITY', references: [SITAGLIPTIN], fingerprint: 'ECFP4', transform: { kind: 'GAUSSIAN', mu: 0, sigma: 0.1 } },
        { kind: 'CLOGP', transform: { kind: 'GAUSSIAN', mu: SITAGLIPTIN_TARGETS.clogp, sigma: 0.2 } },
        { kind: 'TPSA', transform: { kind: 'GAUSSIAN', mu: SITAGLIPTIN_TARGETS.tpsa, sigma: 5 } },
        { kind: 'FORMULA', formula: 'C16H15F6N5O' },
      ],
    },
  },
  {
    name: 'zaleplon_mpo',
    spec: {
      aggregation: 'GEOMETRIC',
      components: [
        { kind: 'SIMILARITY', references: [ZALEPLON], fingerprint: 'ECFP4' },
        { kind: 'FORMULA', formula: 'C19H17N3O2' },
      ],
    },
  },
  {
    name: 'valsartan_smarts',
    spec: {
      aggregation: 'GEOMETRIC',
      components: [
        { kind: 'SUBSTRUCTURE', smarts: 'CN(C=O)Cc1ccc(c2ccccc2)cc1' },
        { kind: 'TPSA', transform: { kind: 'GAUSSIAN', mu: SITAGLIPTIN_TARGETS.tpsa, sigma: 5 } },
        { kind: 'CLOGP', transform: { kind: 'GAUSSIAN', mu: SITAGLIPTIN_TARGETS.clogp, sigma: 0.2 } },
        { kind: 'BERTZ', transform: { kind: 'GAUSSIAN', mu: SITAGLIPTIN_TARGETS.bertz, sigma: 30 } },
      ],
    },
  },
  {
    name: 'deco_hop',
    spec: {
      aggregation: 'ARITHMETIC',
      components: [
        { kind: 'SIMILARITY', references: [HOP_QUERY], fingerprint: 'PHCO', transform: { kind: 'CLAMPED_LINEAR', x0: 0, x1: 0.85 } },
        { kind: 'SUBSTRUCTURE', name: 'no_sulfone', smarts: 'CS([#6])(=O)=O', present: false },
        { kind: 'SUBSTRUCTURE', name: 'no_benzothiazole', smarts: '[#7]-c1ccc2ncsc2c1', present: false },
        { kind: 'SUBSTRUCTURE', name: 'scaffold', smarts: HOP_SCAFFOLD },
      ],
    },
  },
  {
    name: 'scaffold_hop',
    spec: {
      aggregation: 'ARITHMETIC',
      components: [
        { kind: 'SIMILARITY', references: [HOP_QUERY], fingerprint: 'PHCO', transform: { kind: 'CLAMPED_LINEAR', x0: 0, x1: 0.75 } },
        { kind: 'SUBSTRUCTURE', name: 'decoration', smarts: '[#6]-[#6]-[#6]-[#8]-[#6]~[#6]~[#6]~[#6]~[#6]-[#7]-c1ccc2ncsc2c1' },
        { kind: 'SUBSTRUCTURE', name: 'no_scaffold', smarts: HOP_SCAFFOLD, present: false },
      ],
    },
  },
]);

/** PMO task by TDC oracle name. @throws RangeError for an unknown name. */
export function pmoTask(name: string): PmoTask {
  const t = PMO_TASKS.find((x) => x.name === name);
  if (!t) throw new RangeError(`unknown PMO task ${JSON.stringify(name)}; known: ${PMO_TASKS.map((x) => x.name).join(', ')}`);
  return t;
}

/**
 * PMO's AUC of the top-10 average (mol_opt `top_auc`, top_n 10, freq_log 100): the mean of the 10 best scores so far,
 * taken every 100 oracle calls, integrated with the trapezoid rule from 0 and divided by the budget; a run that
 * stops early keeps its final top-10 mean until the budget.
 *
 * @param scores oracle values in call order (distinct valid molecules only).
 * @param budget maximum oracle calls (PMO: 10,000).
 */
export function topKAuc(scores: readonly number[], budget: number, topN = 10, freqLog = 100): number {
  const n = Math.min(scores.length, budget);
  const topMean = (upto: number): number => {
    const best = scores.slice(0, upto).sort((a, b) => b - a).slice(0, topN);
    return best.length === 0 ? 0 : best.reduce((a, b) => a + b, 0) / best.length;
  };
  let sum = 0;
  let prev = 0;
  let called = 0;
  for (let idx = freqLog; idx < n; idx += freqLog) {
    const now = topMean(idx);
    sum += (freqLog * (now + prev)) / 2;
    prev = now;
    called = idx;
  }
  const final = topMean(n);
  sum += ((n - called) * (final + prev)) / 2;
  if (n < budget) sum += (budget - n) * final;
  return sum / budget;
}

/**
 * TDC's `Isomer_scoring` as PMO ran it: Gaussian (sigma 1) on each element count of the formula, and a Gaussian
 * (sigma 2) on the total atom count, where TDC reads the total from the *SMILES text* with its formula regex
 * `([A-Z][a-z]*)(\d*)` (so aromatic atoms and hydrogens are not counted, and ring-closure digits after an
 * upper-case atom are read as counts); geometric mean. Only the benchmark harness uses this, to reproduce PMO's
 * numbers; the FORMULA component uses the molecule's real atom count (GuacaMol's definition).
 *
 * @param counts element counts of the molecule, hydrogens included (`Chemistry.elementCounts`).
 * @param smiles the SMILES TDC received (PMO passes the RDKit canonical SMILES).
 */
export function tdcIsomerScore(counts: Readonly<Record<string, number>>, formula: string, smiles: string): number {
  const parse = (text: string): Array<[string, number]> =>
    [...text.matchAll(/([A-Z][a-z]*)(\d*)/g)].map((m) => [m[1], m[2] === '' ? 1 : Number(m[2])]);
  const terms = parse(formula);
  const gauss = (x: number, mu: number, sigma: number) => Math.exp(-0.5 * ((x - mu) / sigma) ** 2);
  const scores = terms.map(([e, n]) => gauss(counts[e] ?? 0, n, 1));
  const target = terms.reduce((a, [, n]) => a + n, 0);
  const textTotal = parse(smiles).reduce((a, [, n]) => a + n, 0);
  scores.push(gauss(textTotal, target, 2));
  if (scores.some((s) => !(s > 0))) return 0;
  return Math.exp(scores.reduce((a, s) => a + Math.log(s), 0) / scores.length);
}
