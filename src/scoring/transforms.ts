/**
 * Score transforms: map a component's raw value (a property in its own units) to a desirability in [0, 1].
 *
 * Definitions follow REINVENT 4 (Loeffler et al., J. Cheminform. 2024, 16, 20, doi:10.1186/s13321-024-00812-5;
 * `reinvent/scoring/transforms/`) for the sigmoid family and step, and GuacaMol (Brown et al., J. Chem. Inf. Model.
 * 2019, 59, 1096, doi:10.1021/acs.jcim.8b00839; `guacamol/score_modifier.py`) for the Gaussian family and the
 * clamped linear ramp, so the PMO tasks (which use GuacaMol's modifiers) are expressed exactly.
 */

/** Transform kinds of the scoring language. */
export const TRANSFORM_KINDS = ['SIGMOID', 'REVERSE_SIGMOID', 'DOUBLE_SIGMOID', 'GAUSSIAN', 'STEP', 'CLAMPED_LINEAR'] as const;
export type TransformKind = (typeof TRANSFORM_KINDS)[number];

/** Which side of a Gaussian is flat at 1 (GuacaMol MinGaussianModifier = BELOW, MaxGaussianModifier = ABOVE). */
export const GAUSSIAN_FLAT = ['NONE', 'BELOW', 'ABOVE'] as const;
export type GaussianFlat = (typeof GAUSSIAN_FLAT)[number];

/**
 * A transform in the scoring language (the same JSON as the GraphQL `TransformInput`). Fields by kind:
 * - SIGMOID, REVERSE_SIGMOID: `low` < `high`, steepness `k` > 0 (default 0.25);
 * - DOUBLE_SIGMOID: `low` < `high`, `coefDiv` > 0 (default 100), `coefSi` > 0 and `coefSe` > 0 (default 150 each);
 * - GAUSSIAN: `mu`, `sigma` > 0, `flat` (default NONE);
 * - STEP: `low` <= `high` (either may be omitted for an open interval);
 * - CLAMPED_LINEAR: `x0` != `x1`; 0 at x0, 1 at x1 (x0 > x1 makes it decreasing).
 */
export interface TransformSpec {
  kind: TransformKind;
  low?: number;
  high?: number;
  k?: number;
  coefDiv?: number;
  coefSi?: number;
  coefSe?: number;
  mu?: number;
  sigma?: number;
  flat?: GaussianFlat;
  x0?: number;
  x1?: number;
}

/** 1 / (1 + 10^(-t)), the base-10 logistic REINVENT's sigmoids use; stable for large |t|. */
function logistic10(t: number): number {
  if (t >= 0) return 1 / (1 + Math.pow(10, -t));
  const e = Math.pow(10, t);
  return e / (1 + e);
}

/**
 * Applies a validated transform to a raw value. Non-finite input gives 0 (the least desirable score).
 *
 * - SIGMOID (REINVENT `sigmoid`): 1 / (1 + 10^(10 k (mid − x) / (high − low))), mid = (low + high) / 2: rises from
 *   0 below `low` to 1 above `high`.
 * - REVERSE_SIGMOID (REINVENT `reverse_sigmoid`): 1 − SIGMOID.
 * - DOUBLE_SIGMOID (REINVENT `double_sigmoid`): 10^(se x/d) / (10^(se x/d) + 10^(se low/d)) − 10^(si x/d) /
 *   (10^(si x/d) + 10^(si high/d)), d = coefDiv, si = coefSi, se = coefSe: ≈ 1 between `low` and `high`.
 * - GAUSSIAN (GuacaMol `GaussianModifier`): exp(−(x − mu)² / (2 sigma²)); flat BELOW (`MinGaussianModifier`)
 *   gives 1 for x <= mu, flat ABOVE (`MaxGaussianModifier`) 1 for x >= mu.
 * - STEP (REINVENT `step`): 1 when low <= x <= high, else 0.
 * - CLAMPED_LINEAR (GuacaMol `ClippedScoreModifier` with scores 0 and 1): (x − x0) / (x1 − x0) clamped to [0, 1].
 */
export function applyTransform(t: TransformSpec, x: number): number {
  if (!Number.isFinite(x)) return 0;
  switch (t.kind) {
    case 'SIGMOID': {
      const { low, high } = t as Required<Pick<TransformSpec, 'low' | 'high'>>;
      const k = t.k ?? 0.25;
      return logistic10((10 * k * (x - (low + high) / 2)) / (high - low));
    }
    case 'REVERSE_SIGMOID': {
      const { low, high } = t as Required<Pick<TransformSpec, 'low' | 'high'>>;
      const k = t.k ?? 0.25;
      return logistic10((10 * k * ((low + high) / 2 - x)) / (high - low));
    }
    case 'DOUBLE_SIGMOID': {
      const { low, high } = t as Required<Pick<TransformSpec, 'low' | 'high'>>;
      const d = t.coefDiv ?? 100;
      const si = t.coefSi ?? 150;
      const se = t.coefSe ?? 150;
      const v = logistic10((se * (x - low)) / d) - logistic10((si * (x - high)) / d);
      return Math.min(1, Math.max(0, v));
    }
    case 'GAUSSIAN': {
      const mu = t.mu as number;
      const sigma = t.sigma as number;
      if (t.flat === 'BELOW' && x <= mu) return 1;
      if (t.flat === 'ABOVE' && x >= mu) return 1;
      return Math.exp(-0.5 * ((x - mu) / sigma) ** 2);
    }
    case 'STEP': {
      const low = t.low ?? -Infinity;
      const high = t.high ?? Infinity;
      return x >= low && x <= high ? 1 : 0;
    }
    case 'CLAMPED_LINEAR': {
      const x0 = t.x0 as number;
      const x1 = t.x1 as number;
      return Math.min(1, Math.max(0, (x - x0) / (x1 - x0)));
    }
  }
}

/**
 * Checks a transform's parameters; returns readable problems prefixed with `path` (empty when valid).
 */
export function checkTransform(t: unknown, path: string): string[] {
  const errs: string[] = [];
  if (typeof t !== 'object' || t === null || Array.isArray(t)) return [`${path}: must be an object`];
  const spec = t as Record<string, unknown>;
  const kind = spec.kind;
  if (typeof kind !== 'string' || !(TRANSFORM_KINDS as readonly string[]).includes(kind)) {
    return [`${path}.kind: must be one of ${TRANSFORM_KINDS.join(', ')}`];
  }
  const allowed: Record<TransformKind, string[]> = {
    SIGMOID: ['low', 'high', 'k'],
    REVERSE_SIGMOID: ['low', 'high', 'k'],
    DOUBLE_SIGMOID: ['low', 'high', 'coefDiv', 'coefSi', 'coefSe'],
    GAUSSIAN: ['mu', 'sigma', 'flat'],
    STEP: ['low', 'high'],
    CLAMPED_LINEAR: ['x0', 'x1'],
  };
  const fields = allowed[kind as TransformKind];
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'kind' || value === undefined || value === null) continue;
    if (!fields.includes(key)) errs.push(`${path}.${key}: not a parameter of ${kind} (allowed: ${fields.join(', ')})`);
  }
  const num = (key: string, required: boolean, positive = false): number | undefined => {
    const v = spec[key];
    if (v === undefined || v === null) {
      if (required) errs.push(`${path}.${key}: required for ${kind}`);
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      errs.push(`${path}.${key}: must be a finite number`);
      return undefined;
    }
    if (positive && !(v > 0)) errs.push(`${path}.${key}: must be > 0`);
    return v;
  };
  switch (kind as TransformKind) {
    case 'SIGMOID':
    case 'REVERSE_SIGMOID':
    case 'DOUBLE_SIGMOID': {
      const low = num('low', true);
      const high = num('high', true);
      if (low !== undefined && high !== undefined && !(low < high)) errs.push(`${path}: low must be < high`);
      if (kind === 'DOUBLE_SIGMOID') {
        num('coefDiv', false, true);
        num('coefSi', false, true);
        num('coefSe', false, true);
      } else num('k', false, true);
      break;
    }
    case 'GAUSSIAN': {
      num('mu', true);
      num('sigma', true, true);
      const flat = spec.flat;
      if (flat !== undefined && flat !== null && !(GAUSSIAN_FLAT as readonly unknown[]).includes(flat)) {
        errs.push(`${path}.flat: must be one of ${GAUSSIAN_FLAT.join(', ')}`);
      }
      break;
    }
    case 'STEP': {
      const low = num('low', false);
      const high = num('high', false);
      if (low === undefined && high === undefined && errs.length === 0) errs.push(`${path}: STEP needs low, high or both`);
      if (low !== undefined && high !== undefined && low > high) errs.push(`${path}: low must be <= high`);
      break;
    }
    case 'CLAMPED_LINEAR': {
      const x0 = num('x0', true);
      const x1 = num('x1', true);
      if (x0 !== undefined && x1 !== undefined && x0 === x1) errs.push(`${path}: x0 and x1 must differ`);
      break;
    }
  }
  return errs;
}
