/**
 * The scoring language: a multi-objective score as JSON (the GraphQL `ScoringInput` has the same shape and field
 * names). An objective is a list of soft components (each a raw property, an optional transform to [0, 1] and a
 * weight) aggregated by a weighted arithmetic or geometric mean, plus hard constraints kept apart: a molecule that
 * violates a constraint is infeasible and scores 0, whatever its soft score.
 *
 * The design follows REINVENT 4 (components, transforms, weighted aggregation; Loeffler et al. 2024,
 * doi:10.1186/s13321-024-00812-5) and MSO's desirability functions (Winter et al. 2019, doi:10.1039/C9SC01928F);
 * the component definitions follow RDKit and GuacaMol (Brown et al. 2019, doi:10.1021/acs.jcim.8b00839) so that the
 * PMO benchmark tasks (Gao et al., NeurIPS 2022, arXiv:2206.12411) are written in it exactly (see pmo-tasks.ts).
 *
 * Example (celecoxib rediscovery):
 * ```json
 * { "aggregation": "ARITHMETIC",
 *   "components": [{ "kind": "SIMILARITY", "references": ["Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1"],
 *                    "fingerprint": "ECFP4" }] }
 * ```
 */
import { ALERT_SETS, AlertSet } from '../chem/alerts';
import { checkTransform, TransformSpec } from './transforms';

/** Component kinds (raw values, units and sources in COMPONENT_INFO). */
export const COMPONENT_KINDS = [
  'QED',
  'SA',
  'CLOGP',
  'MW',
  'TPSA',
  'HBD',
  'HBA',
  'ROTATABLE_BONDS',
  'RINGS',
  'AROMATIC_RINGS',
  'HEAVY_ATOMS',
  'ATOM_COUNT',
  'BERTZ',
  'PLOGP',
  'FORMULA',
  'SIMILARITY',
  'SUBSTRUCTURE',
  'ALERTS',
] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

/** Fingerprints of the SIMILARITY component (GuacaMol definitions, count-based except PHCO). */
export const SIMILARITY_FINGERPRINTS = ['ECFP4', 'ECFP6', 'FCFP4', 'AP', 'PHCO'] as const;
export type SimilarityFingerprint = (typeof SIMILARITY_FINGERPRINTS)[number];

/** How a SIMILARITY component combines several references. */
export const REFERENCE_AGGREGATIONS = ['MAX', 'MEAN'] as const;
export type ReferenceAggregation = (typeof REFERENCE_AGGREGATIONS)[number];

/** Mean of the FORMULA component's element terms (GuacaMol IsomerScoringFunction `mean_function`). */
export const FORMULA_MEANS = ['GEOMETRIC', 'ARITHMETIC'] as const;
export type FormulaMean = (typeof FORMULA_MEANS)[number];

/** Structural-alert sets of the ALERTS component: the chemistry layer's sets (RDKit FilterCatalog tables, MOSES MCF). */
export const ALERT_SET_NAMES = ALERT_SETS;
export type AlertSetName = AlertSet;

/** Aggregations of the soft components. */
export const AGGREGATIONS = ['ARITHMETIC', 'GEOMETRIC'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** What a component measures (parameters depend on the kind; see COMPONENT_INFO). */
export interface ComponentSpec {
  kind: ComponentKind;
  /** Label in results (default: the kind, made unique with an index). */
  name?: string;
  /** SIMILARITY: reference SMILES (1..MAX_REFERENCES). */
  references?: string[];
  /** SIMILARITY: fingerprint (default ECFP4). */
  fingerprint?: SimilarityFingerprint;
  /** SIMILARITY: combine references by MAX (default) or MEAN. */
  referenceAggregation?: ReferenceAggregation;
  /** SUBSTRUCTURE: SMARTS pattern. */
  smarts?: string;
  /** SUBSTRUCTURE: true (default) = must have: 1 when present; false = must not have: 1 when absent. */
  present?: boolean;
  /** ATOM_COUNT: element symbol, e.g. "F" (hydrogens counted for "H"). */
  element?: string;
  /** FORMULA: target molecular formula, e.g. "C9H10N2O2PF2Cl". */
  formula?: string;
  /** FORMULA: GEOMETRIC (default) or ARITHMETIC mean of the element terms. */
  formulaMean?: FormulaMean;
  /** ALERTS: the sets to check (default PAINS and BRENK). */
  alertSets?: AlertSetName[];
}

/** A soft component: measure, transform, weight. */
export interface ScoredComponentSpec extends ComponentSpec {
  /** Relative weight, finite, > 0 (default 1). */
  weight?: number;
  /** Map the raw value to [0, 1]; required when the raw value is not already in [0, 1] (COMPONENT_INFO.unitRange). */
  transform?: TransformSpec;
}

/**
 * A hard constraint: the raw value must lie in [min, max] (either may be omitted). SUBSTRUCTURE and ALERTS
 * constraints without bounds mean min 1: the pattern must match (or, with present: false, must not), the molecule
 * must pass the alert sets.
 */
export interface ConstraintSpec extends ComponentSpec {
  min?: number;
  max?: number;
}

/** An objective in the scoring language. */
export interface ScoringSpec {
  /** Weighted mean of the soft components (default ARITHMETIC). */
  aggregation?: Aggregation;
  /** Soft components, 1..MAX_COMPONENTS. */
  components: ScoredComponentSpec[];
  /** Hard constraints, 0..MAX_CONSTRAINTS. */
  constraints?: ConstraintSpec[];
}

/** Limits of the scoring language (documented in README "Limits"). */
export const SCORING_LIMITS = Object.freeze({
  maxComponents: 20,
  maxConstraints: 20,
  maxReferences: 10,
  maxSmartsLength: 500,
  maxNameLength: 100,
  maxWeight: 1000,
  maxFormulaLength: 100,
});

/** Description of a component kind, served by the `scoringComponents` query. */
export interface ComponentInfo {
  kind: ComponentKind;
  description: string;
  /** Unit of the raw value ("" when dimensionless). */
  unit: string;
  /** True when the raw value is always in [0, 1], so the component may be used without a transform. */
  unitRange: boolean;
  /** Parameter fields the kind accepts (besides name, weight, transform, min, max). */
  parameters: string[];
  /** Definition and literature source. */
  source: string;
}

/** Every component kind with its definition; the API lists these so clients need not hard-code them. */
export const COMPONENT_INFO: Readonly<Record<ComponentKind, ComponentInfo>> = Object.freeze({
  QED: { kind: 'QED', description: 'Quantitative estimate of drug-likeness, 0..1', unit: '', unitRange: true, parameters: [], source: 'Bickerton et al., Nat. Chem. 2012, 4, 90, doi:10.1038/nchem.1243; RDKit QED 1.1.0 (mean weights)' },
  SA: { kind: 'SA', description: 'Synthetic accessibility score, 1 (easy) .. 10 (hard)', unit: '', unitRange: false, parameters: [], source: 'Ertl & Schuffenhauer, J. Cheminform. 2009, 1, 8, doi:10.1186/1758-2946-1-8; RDKit Contrib sascorer.py' },
  CLOGP: { kind: 'CLOGP', description: 'Crippen logP', unit: 'log units', unitRange: false, parameters: [], source: 'Wildman & Crippen, J. Chem. Inf. Comput. Sci. 1999, 39, 868, doi:10.1021/ci990307l; RDKit MolLogP' },
  MW: { kind: 'MW', description: 'Average molecular weight', unit: 'Da', unitRange: false, parameters: [], source: 'RDKit Descriptors.MolWt' },
  TPSA: { kind: 'TPSA', description: 'Topological polar surface area (N and O)', unit: 'Å²', unitRange: false, parameters: [], source: 'Ertl, Rohde & Selzer, J. Med. Chem. 2000, 43, 3714, doi:10.1021/jm000942e; RDKit TPSA' },
  HBD: { kind: 'HBD', description: 'Hydrogen-bond donors', unit: 'count', unitRange: false, parameters: [], source: 'RDKit rdMolDescriptors.CalcNumHBD' },
  HBA: { kind: 'HBA', description: 'Hydrogen-bond acceptors', unit: 'count', unitRange: false, parameters: [], source: 'RDKit rdMolDescriptors.CalcNumHBA' },
  ROTATABLE_BONDS: { kind: 'ROTATABLE_BONDS', description: 'Rotatable bonds (RDKit strict definition)', unit: 'count', unitRange: false, parameters: [], source: 'RDKit rdMolDescriptors.CalcNumRotatableBonds' },
  RINGS: { kind: 'RINGS', description: 'Rings (SSSR size)', unit: 'count', unitRange: false, parameters: [], source: 'RDKit rdMolDescriptors.CalcNumRings (GuacaMol num_rings)' },
  AROMATIC_RINGS: { kind: 'AROMATIC_RINGS', description: 'Aromatic rings', unit: 'count', unitRange: false, parameters: [], source: 'RDKit rdMolDescriptors.CalcNumAromaticRings' },
  HEAVY_ATOMS: { kind: 'HEAVY_ATOMS', description: 'Heavy (non-hydrogen) atoms', unit: 'count', unitRange: false, parameters: [], source: 'RDKit HeavyAtomCount' },
  ATOM_COUNT: { kind: 'ATOM_COUNT', description: 'Atoms of one element, hydrogens included when the element is H', unit: 'count', unitRange: false, parameters: ['element'], source: 'GuacaMol AtomCounter' },
  BERTZ: { kind: 'BERTZ', description: 'Bertz molecular complexity index', unit: '', unitRange: false, parameters: [], source: 'Bertz, J. Am. Chem. Soc. 1981, 103, 3599, doi:10.1021/ja00402a071; RDKit GraphDescriptors.BertzCT' },
  PLOGP: { kind: 'PLOGP', description: 'Penalised logP: standardised cLogP − SA − long-cycle penalty', unit: '', unitRange: false, parameters: [], source: 'Jin, Barzilay & Jaakkola, ICML 2018, arXiv:1802.04364 (JT-VAE normalisation)' },
  FORMULA: { kind: 'FORMULA', description: 'Isomer score against a molecular formula, 0..1 (1 = same formula)', unit: '', unitRange: true, parameters: ['formula', 'formulaMean'], source: 'GuacaMol IsomerScoringFunction (Gaussian sigma 1 per element count, sigma 2 on the total atom count)' },
  SIMILARITY: { kind: 'SIMILARITY', description: 'Tanimoto similarity to reference molecules, 0..1 (ECFP4/ECFP6/FCFP4/AP: count fingerprints; PHCO: Gobbi 2D pharmacophore bits)', unit: '', unitRange: true, parameters: ['references', 'fingerprint', 'referenceAggregation'], source: 'GuacaMol TanimotoScoringFunction; Rogers & Hahn 2010 doi:10.1021/ci100050t; Carhart et al. 1985 doi:10.1021/ci00046a002; Gobbi & Poppinger 1998' },
  SUBSTRUCTURE: { kind: 'SUBSTRUCTURE', description: 'SMARTS match: 1 when present (present: true) or absent (present: false), else 0', unit: '', unitRange: true, parameters: ['smarts', 'present'], source: 'RDKit substructure matching; GuacaMol SMARTSScoringFunction' },
  ALERTS: { kind: 'ALERTS', description: 'Structural-alert filters: 1 when no filter of the chosen sets fires, else 0', unit: '', unitRange: true, parameters: ['alertSets'], source: 'RDKit FilterCatalog (PAINS: Baell & Holloway 2010 doi:10.1021/jm901137j; Brenk et al. 2008 doi:10.1002/cmdc.200700139; NIH, ZINC, ChEMBL sets) and MOSES MCF' },
});

/** An objective whose soft components or constraints could not be accepted; `problems` lists every one. */
export class ScoringSpecError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid objective: ${problems.join('; ')}`);
    this.name = 'ScoringSpecError';
  }
}

/** Parses SMILES / SMARTS strings while validating; supplied by the chemistry layer. */
export interface SpecChecker {
  /** Null when valid, else the reason. */
  smilesProblem(smiles: string): string | null;
  smartsProblem(smarts: string): string | null;
  formulaProblem(formula: string): string | null;
  elementProblem(symbol: string): string | null;
}

const COMMON_FIELDS = ['kind', 'name'];
/** Kinds whose raw value is 0 or 1; as constraints they default to min 1 (must match / must pass). */
export const BOOLEAN_KINDS: readonly ComponentKind[] = ['SUBSTRUCTURE', 'ALERTS'];
const SOFT_FIELDS = ['weight', 'transform'];
const CONSTRAINT_FIELDS = ['min', 'max'];

/**
 * Validates an objective given as parsed JSON (or a GraphQL input object) and returns it typed, with
 * `aggregation` and `constraints` defaulted. Every problem is reported at once, each prefixed with its path
 * (e.g. `components[1].transform.sigma: must be > 0`).
 *
 * @throws ScoringSpecError listing every problem.
 */
export function validateScoringSpec(input: unknown, checker: SpecChecker): ScoringSpec {
  const errs: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ScoringSpecError(['objective: must be an object']);
  const spec = input as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (!['aggregation', 'components', 'constraints'].includes(key) && spec[key] !== undefined) errs.push(`${key}: unknown field`);
  }
  const aggregation = spec.aggregation ?? 'ARITHMETIC';
  if (!(AGGREGATIONS as readonly unknown[]).includes(aggregation)) errs.push(`aggregation: must be one of ${AGGREGATIONS.join(', ')}`);
  const components = spec.components;
  if (!Array.isArray(components) || components.length === 0) errs.push('components: must be a non-empty list');
  else if (components.length > SCORING_LIMITS.maxComponents) errs.push(`components: at most ${SCORING_LIMITS.maxComponents}, got ${components.length}`);
  else components.forEach((c, i) => errs.push(...checkComponent(c, `components[${i}]`, 'soft', checker)));
  const constraints = spec.constraints ?? [];
  if (!Array.isArray(constraints)) errs.push('constraints: must be a list');
  else if (constraints.length > SCORING_LIMITS.maxConstraints) errs.push(`constraints: at most ${SCORING_LIMITS.maxConstraints}, got ${constraints.length}`);
  else constraints.forEach((c, i) => errs.push(...checkComponent(c, `constraints[${i}]`, 'constraint', checker)));
  if (errs.length > 0) throw new ScoringSpecError(errs);
  return { aggregation: aggregation as Aggregation, components: components as ScoredComponentSpec[], constraints: constraints as ConstraintSpec[] };
}

function checkComponent(input: unknown, path: string, role: 'soft' | 'constraint', checker: SpecChecker): string[] {
  const errs: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return [`${path}: must be an object`];
  const c = input as Record<string, unknown>;
  const kind = c.kind;
  if (typeof kind !== 'string' || !(COMPONENT_KINDS as readonly string[]).includes(kind)) {
    return [`${path}.kind: must be one of ${COMPONENT_KINDS.join(', ')}`];
  }
  const info = COMPONENT_INFO[kind as ComponentKind];
  const allowed = [...COMMON_FIELDS, ...(role === 'soft' ? SOFT_FIELDS : CONSTRAINT_FIELDS), ...info.parameters];
  for (const [key, value] of Object.entries(c)) {
    if (value === undefined || value === null) continue;
    if (!allowed.includes(key)) errs.push(`${path}.${key}: not a field of a ${kind} ${role === 'soft' ? 'component' : 'constraint'} (allowed: ${allowed.join(', ')})`);
  }
  const present = (key: string) => c[key] !== undefined && c[key] !== null;
  if (present('name') && (typeof c.name !== 'string' || c.name.length === 0 || c.name.length > SCORING_LIMITS.maxNameLength)) {
    errs.push(`${path}.name: must be a string of 1..${SCORING_LIMITS.maxNameLength} characters`);
  }
  switch (kind as ComponentKind) {
    case 'SIMILARITY': {
      const refs = c.references;
      if (!Array.isArray(refs) || refs.length === 0 || refs.length > SCORING_LIMITS.maxReferences) {
        errs.push(`${path}.references: must list 1..${SCORING_LIMITS.maxReferences} SMILES`);
      } else {
        refs.forEach((r, j) => {
          if (typeof r !== 'string') errs.push(`${path}.references[${j}]: must be a string`);
          else {
            const p = checker.smilesProblem(r);
            if (p) errs.push(`${path}.references[${j}]: ${p}`);
          }
        });
      }
      if (present('fingerprint') && !(SIMILARITY_FINGERPRINTS as readonly unknown[]).includes(c.fingerprint)) {
        errs.push(`${path}.fingerprint: must be one of ${SIMILARITY_FINGERPRINTS.join(', ')}`);
      }
      if (present('referenceAggregation') && !(REFERENCE_AGGREGATIONS as readonly unknown[]).includes(c.referenceAggregation)) {
        errs.push(`${path}.referenceAggregation: must be one of ${REFERENCE_AGGREGATIONS.join(', ')}`);
      }
      break;
    }
    case 'SUBSTRUCTURE': {
      if (typeof c.smarts !== 'string' || c.smarts.length === 0 || c.smarts.length > SCORING_LIMITS.maxSmartsLength) {
        errs.push(`${path}.smarts: must be a SMARTS string of 1..${SCORING_LIMITS.maxSmartsLength} characters`);
      } else {
        const p = checker.smartsProblem(c.smarts);
        if (p) errs.push(`${path}.smarts: ${p}`);
      }
      if (present('present') && typeof c.present !== 'boolean') errs.push(`${path}.present: must be a boolean`);
      break;
    }
    case 'ATOM_COUNT': {
      if (typeof c.element !== 'string') errs.push(`${path}.element: required, an element symbol such as "F"`);
      else {
        const p = checker.elementProblem(c.element);
        if (p) errs.push(`${path}.element: ${p}`);
      }
      break;
    }
    case 'FORMULA': {
      if (typeof c.formula !== 'string' || c.formula.length === 0 || c.formula.length > SCORING_LIMITS.maxFormulaLength) {
        errs.push(`${path}.formula: required, a molecular formula such as "C7H8N2O2"`);
      } else {
        const p = checker.formulaProblem(c.formula);
        if (p) errs.push(`${path}.formula: ${p}`);
      }
      if (present('formulaMean') && !(FORMULA_MEANS as readonly unknown[]).includes(c.formulaMean)) {
        errs.push(`${path}.formulaMean: must be one of ${FORMULA_MEANS.join(', ')}`);
      }
      break;
    }
    case 'ALERTS': {
      if (present('alertSets')) {
        const sets = c.alertSets;
        if (!Array.isArray(sets) || sets.length === 0) errs.push(`${path}.alertSets: must be a non-empty list`);
        else {
          sets.forEach((s, j) => {
            if (!(ALERT_SET_NAMES as readonly unknown[]).includes(s)) errs.push(`${path}.alertSets[${j}]: must be one of ${ALERT_SET_NAMES.join(', ')}`);
          });
        }
      }
      break;
    }
    default:
      break;
  }
  if (role === 'soft') {
    if (present('weight')) {
      const w = c.weight;
      if (typeof w !== 'number' || !Number.isFinite(w) || !(w > 0) || w > SCORING_LIMITS.maxWeight) {
        errs.push(`${path}.weight: must be a finite number in (0, ${SCORING_LIMITS.maxWeight}]`);
      }
    }
    if (present('transform')) errs.push(...checkTransform(c.transform, `${path}.transform`));
    else if (!info.unitRange) {
      errs.push(`${path}.transform: required for ${kind} (its raw value, ${info.unit || 'unitless'}, is not in [0, 1])`);
    }
  } else {
    const min = c.min;
    const max = c.max;
    for (const [key, v] of [['min', min], ['max', max]] as const) {
      if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isFinite(v))) errs.push(`${path}.${key}: must be a finite number`);
    }
    const hasMin = typeof min === 'number';
    const hasMax = typeof max === 'number';
    if (!hasMin && !hasMax && !BOOLEAN_KINDS.includes(kind as ComponentKind)) errs.push(`${path}: a ${kind} constraint needs min, max or both`);
    if (hasMin && hasMax && (min as number) > (max as number)) errs.push(`${path}: min must be <= max`);
  }
  return errs;
}

/** Default label of a component: its name, else the kind (with an index when the kind repeats). */
export function componentLabels(components: readonly ComponentSpec[]): string[] {
  const seen = new Map<string, number>();
  return components.map((c) => {
    if (c.name) return c.name;
    const n = (seen.get(c.kind) ?? 0) + 1;
    seen.set(c.kind, n);
    const repeats = components.filter((d) => !d.name && d.kind === c.kind).length > 1;
    return repeats ? `${c.kind}_${n}` : c.kind;
  });
}
