/**
 * Evaluates a validated objective of the scoring language (spec.ts) on molecules. The chemistry comes through the
 * narrow `ScoringChemistry` port (bound to the RDKit wrapper in src/chem by `chemistryForScoring`), so this file
 * holds only the language's semantics: raw component values, transforms, aggregation and constraints.
 */
import {
  Aggregation,
  AlertSetName,
  BOOLEAN_KINDS,
  ComponentSpec,
  componentLabels,
  ConstraintSpec,
  ScoringSpec,
  SimilarityFingerprint,
} from './spec';
import { applyTransform } from './transforms';
import type { BasicDescriptors } from '../chem/chemistry';

/** Descriptors a component may need: the chemistry layer's set (units as in COMPONENT_INFO). */
export type ScoringDescriptors = BasicDescriptors;

/** An opaque fingerprint comparable with `ScoringChemistry.similarity` (same kind only). */
export type ScoringFingerprint = unknown;

/**
 * What the engine needs from the chemistry layer. Every method receives a canonical SMILES that `canonical`
 * accepted, so implementations may throw on invalid input.
 */
export interface ScoringChemistry {
  /** RDKit canonical SMILES, or null when invalid. */
  canonical(smiles: string): string | null;
  descriptors(smiles: string): ScoringDescriptors;
  qed(smiles: string): number;
  saScore(smiles: string): number;
  penalizedLogP(smiles: string): number;
  bertzCT(smiles: string): number;
  /** Element symbol -> atom count, hydrogens included. */
  elementCounts(smiles: string): Record<string, number>;
  /** GuacaMol isomer score of element counts against a formula (`mean` GEOMETRIC or ARITHMETIC). */
  isomerScore(counts: Record<string, number>, formula: string, mean: 'GEOMETRIC' | 'ARITHMETIC'): number;
  fingerprint(smiles: string, kind: SimilarityFingerprint): ScoringFingerprint;
  /** Several fingerprints of one molecule from a single parse. */
  fingerprints(smiles: string, kinds: readonly SimilarityFingerprint[]): Record<string, ScoringFingerprint>;
  similarity(a: ScoringFingerprint, b: ScoringFingerprint): number;
  /** True when the SMARTS matches. */
  matchesSmarts(smiles: string, smarts: string): boolean;
  /** Number of filters of the given sets that fire. */
  alertCount(smiles: string, sets: readonly AlertSetName[]): number;
}

/** One component's contribution to a score. */
export interface ComponentScore {
  name: string;
  /** Raw value in the component's unit (COMPONENT_INFO), NaN when it could not be computed. */
  raw: number;
  /** Transformed value in [0, 1] (soft components only). */
  value: number;
  weight: number;
}

/** One constraint's verdict. */
export interface ConstraintResult {
  name: string;
  raw: number;
  satisfied: boolean;
  /** How far outside [min, max], relative to max(1, |bound|); 0 when satisfied. */
  violation: number;
}

/** The score of one molecule. */
export interface ScoreResult {
  canonicalSmiles: string;
  /** Aggregated soft score in [0, 1] when feasible; 0 when a constraint is violated. */
  score: number;
  /** The aggregate of the soft components, whatever the constraints say. */
  softScore: number;
  feasible: boolean;
  components: ComponentScore[];
  constraints: ConstraintResult[];
}

/** Default alert sets of an ALERTS component. */
export const DEFAULT_ALERT_SETS: readonly AlertSetName[] = ['PAINS', 'BRENK'];

/**
 * An objective bound to a chemistry implementation, with reference fingerprints computed once.
 */
export class CompiledObjective {
  private readonly softLabels: string[];
  private readonly constraintLabels: string[];
  private readonly references = new Map<ComponentSpec, ScoringFingerprint[]>();
  /** Fingerprint kinds the objective compares, computed together from one parse per molecule. */
  private readonly fingerprintKinds: SimilarityFingerprint[];

  /**
   * @param spec a spec returned by `validateScoringSpec` (not re-validated here).
   * @throws Error when a reference SMILES is invalid (cannot happen for a validated spec).
   */
  constructor(
    readonly spec: ScoringSpec,
    private readonly chem: ScoringChemistry,
  ) {
    this.softLabels = componentLabels(spec.components);
    this.constraintLabels = componentLabels(spec.constraints ?? []);
    const kinds = new Set<SimilarityFingerprint>();
    for (const c of [...spec.components, ...(spec.constraints ?? [])]) {
      if (c.kind !== 'SIMILARITY') continue;
      kinds.add(c.fingerprint ?? 'ECFP4');
      const fps = (c.references ?? []).map((r) => {
        const canon = chem.canonical(r);
        if (canon === null) throw new Error(`reference SMILES ${JSON.stringify(r)} is invalid`);
        return chem.fingerprint(canon, c.fingerprint ?? 'ECFP4');
      });
      this.references.set(c, fps);
    }
    this.fingerprintKinds = [...kinds];
  }

  get aggregation(): Aggregation {
    return this.spec.aggregation ?? 'ARITHMETIC';
  }

  /**
   * Scores one molecule.
   *
   * @param isCanonical the caller guarantees `smiles` is an RDKit canonical SMILES of a valid molecule (skips one
   *   parse); a wrong guarantee gives wrong results, not an error.
   * @returns null when the SMILES is invalid; otherwise the score, its components and the constraint verdicts.
   */
  score(smiles: string, isCanonical = false): ScoreResult | null {
    const canon = isCanonical ? smiles : this.chem.canonical(smiles);
    if (canon === null) return null;
    const memo = new Map<string, unknown>();
    const constraints = (this.spec.constraints ?? []).map((c, i) => this.checkConstraint(c, this.constraintLabels[i], canon, memo));
    const components = this.spec.components.map((c, i) => {
      const raw = this.raw(c, canon, memo);
      const value = c.transform ? applyTransform(c.transform, raw) : Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : 0;
      return { name: this.softLabels[i], raw, value, weight: c.weight ?? 1 };
    });
    const softScore = aggregate(this.aggregation, components);
    const feasible = constraints.every((c) => c.satisfied);
    return { canonicalSmiles: canon, score: feasible ? softScore : 0, softScore, feasible, components, constraints };
  }

  private checkConstraint(c: ConstraintSpec, name: string, smiles: string, memo: Map<string, unknown>): ConstraintResult {
    const raw = this.raw(c, smiles, memo);
    const boolean = BOOLEAN_KINDS.includes(c.kind);
    const min = c.min ?? (boolean && c.max === undefined ? 1 : -Infinity);
    const max = c.max ?? Infinity;
    if (!Number.isFinite(raw)) return { name, raw, satisfied: false, violation: 1 };
    let violation = 0;
    if (raw < min) violation = (min - raw) / Math.max(1, Math.abs(min));
    else if (raw > max) violation = (raw - max) / Math.max(1, Math.abs(max));
    return { name, raw, satisfied: violation === 0, violation };
  }

  /** Raw value of a component; NaN if the chemistry throws (reported, never fatal). */
  private raw(c: ComponentSpec, smiles: string, memo: Map<string, unknown>): number {
    const once = <T>(key: string, fn: () => T): T => {
      if (!memo.has(key)) memo.set(key, fn());
      return memo.get(key) as T;
    };
    const d = () => once('descriptors', () => this.chem.descriptors(smiles));
    try {
      switch (c.kind) {
        case 'QED':
          return once('qed', () => this.chem.qed(smiles));
        case 'SA':
          return once('sa', () => this.chem.saScore(smiles));
        case 'PLOGP':
          return once('plogp', () => this.chem.penalizedLogP(smiles));
        case 'CLOGP':
          return d().clogp;
        case 'MW':
          return d().mw;
        case 'TPSA':
          return d().tpsa;
        case 'HBD':
          return d().hbd;
        case 'HBA':
          return d().hba;
        case 'ROTATABLE_BONDS':
          return d().rotatableBonds;
        case 'RINGS':
          return d().rings;
        case 'AROMATIC_RINGS':
          return d().aromaticRings;
        case 'HEAVY_ATOMS':
          return d().heavyAtoms;
        case 'BERTZ':
          return once('bertz', () => this.chem.bertzCT(smiles));
        case 'ATOM_COUNT': {
          const counts = once('elements', () => this.chem.elementCounts(smiles));
          return counts[c.element as string] ?? 0;
        }
        case 'FORMULA': {
          const counts = once('elements', () => this.chem.elementCounts(smiles));
          return this.chem.isomerScore(counts, c.formula as string, c.formulaMean ?? 'GEOMETRIC');
        }
        case 'SIMILARITY': {
          const kind = c.fingerprint ?? 'ECFP4';
          const fp = once('fingerprints', () => this.chem.fingerprints(smiles, this.fingerprintKinds))[kind];
          const sims = (this.references.get(c) ?? []).map((ref) => this.chem.similarity(fp, ref));
          if (sims.length === 0) return NaN;
          return c.referenceAggregation === 'MEAN' ? sims.reduce((a, b) => a + b, 0) / sims.length : Math.max(...sims);
        }
        case 'SUBSTRUCTURE': {
          const hit = once(`smarts:${c.smarts}`, () => this.chem.matchesSmarts(smiles, c.smarts as string));
          return (c.present ?? true) === hit ? 1 : 0;
        }
        case 'ALERTS': {
          const sets = c.alertSets ?? DEFAULT_ALERT_SETS;
          const n = once(`alerts:${sets.join(',')}`, () => this.chem.alertCount(smiles, sets));
          return n === 0 ? 1 : 0;
        }
      }
    } catch {
      return NaN;
    }
  }
}

/**
 * Weighted mean of component values in [0, 1]:
 * - ARITHMETIC: Σ wᵢ vᵢ / Σ wᵢ;
 * - GEOMETRIC: exp(Σ wᵢ ln vᵢ / Σ wᵢ), 0 when any value is 0 (a weighted form of GuacaMol's
 *   GeometricMeanScoringFunction, which is the unweighted case).
 */
export function aggregate(kind: Aggregation, parts: ReadonlyArray<{ value: number; weight: number }>): number {
  const total = parts.reduce((a, p) => a + p.weight, 0);
  if (total <= 0) return 0;
  if (kind === 'ARITHMETIC') return parts.reduce((a, p) => a + p.weight * p.value, 0) / total;
  let s = 0;
  for (const p of parts) {
    if (!(p.value > 0)) return 0;
    s += p.weight * Math.log(p.value);
  }
  return Math.exp(s / total);
}

/**
 * The value a minimising optimiser sees for a scored molecule: −score when feasible (−1 .. 0), else
 * 1 + Σ constraint violations, so every feasible molecule ranks above every infeasible one and infeasible ones are
 * pulled towards feasibility. Invalid decodes get +Infinity (the caller's job).
 */
export function fitnessOf(r: ScoreResult): number {
  if (r.feasible) return -r.score;
  return 1 + r.constraints.reduce((a, c) => a + Math.min(c.violation, 10), 0);
}
