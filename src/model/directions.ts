/**
 * Property directions: a model artifact written beside the ONNX graphs (`directions.json` in the model directory) by
 * the training pipeline. Each direction is a unit vector d in latent space along which a molecular property is
 * predicted to change linearly: moving a latent z by `s` latent units along d changes the property by about
 * `slope * s` (property units). Navigation's `traverse` walks z = mu + s * d.
 *
 * The file (contract with notebooks/):
 *
 *   {
 *     "model_version": "smiles-gru-vae-v2",        must equal metadata.json model_version
 *     "latent_dim": 128,                           must equal metadata.json latent_dim
 *     "method": "...", "created": "ISO date", "provenance": { ...free-form object... },
 *     "properties": {
 *       "<key>": { "label": "cLogP (Crippen)", "unit": "", "direction": [latent_dim floats, unit norm],
 *                  "slope": 0.8, "r2_heldout": 0.7, "spearman_heldout": 0.8, "mean": 2.4, "std": 1.3 }, ...
 *     }
 *   }
 *
 * Keys of `properties` name MolecularProperties fields of the chemistry layer (clogp, tpsa, qed, mw, sa, ...); they
 * are read generically here. A missing file is not an error (the model works without directions); a malformed file
 * is a {@link ModelLoadError} naming the first problem.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ModelLoadError } from './errors';

/** File name of the property directions in a model directory. */
export const DIRECTIONS_FILE = 'directions.json';

/** Largest accepted | |d| - 1 | of a direction vector. */
export const DIRECTION_NORM_TOLERANCE = 1e-3;

/** Accepted property keys: lower camel-case identifiers such as `clogp`, `tpsa`, `rotatableBonds`. */
const PROPERTY_KEY_RE = /^[a-z][A-Za-z0-9_]{0,63}$/;

/** One property direction, camel-cased and checked. */
export interface PropertyDirection {
  /** Property key, a MolecularProperties field name (e.g. 'tpsa'). */
  property: string;
  /** Human-readable name, e.g. 'cLogP (Crippen)'. */
  label: string;
  /** Unit of the property ('' when unitless), e.g. 'Å²', 'Da'. */
  unit: string;
  /** Unit vector, [latentDim] float64. */
  direction: Float64Array;
  /** Predicted property change per latent unit moved along `direction` (property units per latent unit). */
  slope: number;
  /** Coefficient of determination of the linear predictor on held-out molecules (may be negative). */
  r2Heldout: number;
  /** Spearman rank correlation of predicted and actual property on held-out molecules, -1..1. */
  spearmanHeldout: number;
  /** Mean of the property over the molecules the direction was fitted on (property units). */
  mean: number;
  /** Standard deviation of the property over those molecules (property units, >= 0). */
  std: number;
}

/** The whole directions.json of a model, checked against the model's metadata. */
export interface PropertyDirections {
  /** Absolute path of the file read. */
  file: string;
  modelVersion: string;
  latentDim: number;
  /** How the directions were fitted (free text from the file). */
  method: string;
  /** When the file was written (ISO date string from the file). */
  created: string;
  /** Free-form provenance object from the file (data, sample sizes, seeds, ...). */
  provenance: Record<string, unknown>;
  /** Directions by property key, in the file's order. */
  properties: ReadonlyMap<string, PropertyDirection>;
}

/** What the file must agree with: the loaded model's metadata. */
export interface DirectionsExpectation {
  modelVersion: string;
  latentDim: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks a parsed directions.json.
 * @param raw    the parsed JSON
 * @param expect the model's version and latent size
 * @param file   path used in error messages
 * @throws {ModelLoadError} naming the first problem: not an object, model_version or latent_dim mismatch, missing or
 *   empty `properties`, a bad property key, a direction of the wrong length, with a non-finite value or not of unit
 *   norm (within {@link DIRECTION_NORM_TOLERANCE}), a non-finite slope / r2_heldout / spearman_heldout / mean / std,
 *   a negative std, or a missing label / unit string
 */
export function parseDirections(raw: unknown, expect: DirectionsExpectation, file: string): PropertyDirections {
  const fail = (msg: string): never => {
    throw new ModelLoadError(`bad ${DIRECTIONS_FILE}: ${msg}`, file);
  };
  if (!isObject(raw)) fail('must be a JSON object');
  const r = raw as Record<string, unknown>;
  if (r.model_version !== expect.modelVersion) {
    fail(`model_version ${JSON.stringify(r.model_version)} does not match the model's ${JSON.stringify(expect.modelVersion)}`);
  }
  if (r.latent_dim !== expect.latentDim) {
    fail(`latent_dim ${JSON.stringify(r.latent_dim)} does not match the model's ${expect.latentDim}`);
  }
  for (const key of ['method', 'created'] as const) {
    if (typeof r[key] !== 'string') fail(`"${key}" must be a string`);
  }
  if (r.provenance !== undefined && !isObject(r.provenance)) fail('"provenance" must be an object');
  if (!isObject(r.properties) || Object.keys(r.properties).length === 0) fail('"properties" must be a non-empty object');

  const properties = new Map<string, PropertyDirection>();
  for (const [key, value] of Object.entries(r.properties as Record<string, unknown>)) {
    const where = `properties.${key}`;
    if (!PROPERTY_KEY_RE.test(key)) fail(`property key ${JSON.stringify(key)} is not an identifier`);
    if (!isObject(value)) fail(`${where} must be an object`);
    const p = value as Record<string, unknown>;
    const str = (k: string): string => (typeof p[k] === 'string' ? (p[k] as string) : fail(`${where}.${k} must be a string`));
    const num = (k: string): number =>
      typeof p[k] === 'number' && Number.isFinite(p[k]) ? (p[k] as number) : fail(`${where}.${k} must be a finite number, got ${JSON.stringify(p[k])}`);
    const d = p.direction;
    if (!Array.isArray(d) || d.length !== expect.latentDim) {
      fail(`${where}.direction must be an array of ${expect.latentDim} numbers, got ${Array.isArray(d) ? d.length : typeof d}`);
    }
    const direction = new Float64Array(expect.latentDim);
    let norm2 = 0;
    (d as unknown[]).forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${where}.direction[${i}] must be a finite number, got ${JSON.stringify(x)}`);
      direction[i] = x as number;
      norm2 += (x as number) * (x as number);
    });
    const norm = Math.sqrt(norm2);
    if (Math.abs(norm - 1) > DIRECTION_NORM_TOLERANCE) fail(`${where}.direction must have unit norm (±${DIRECTION_NORM_TOLERANCE}), has ${norm}`);
    const std = num('std');
    if (std < 0) fail(`${where}.std must be >= 0, got ${std}`);
    properties.set(key, {
      property: key,
      label: str('label'),
      unit: str('unit'),
      direction,
      slope: num('slope'),
      r2Heldout: num('r2_heldout'),
      spearmanHeldout: num('spearman_heldout'),
      mean: num('mean'),
      std,
    });
  }
  return {
    file,
    modelVersion: expect.modelVersion,
    latentDim: expect.latentDim,
    method: r.method as string,
    created: r.created as string,
    provenance: (r.provenance as Record<string, unknown> | undefined) ?? {},
    properties,
  };
}

/**
 * Reads `directions.json` of a model directory.
 * @param dir    model directory
 * @param expect the loaded model's version and latent size
 * @returns the checked directions, or null when the directory has no directions.json
 * @throws {ModelLoadError} the file exists but cannot be read, is not JSON, or fails {@link parseDirections}
 */
export function readDirections(dir: string, expect: DirectionsExpectation): PropertyDirections | null {
  const file = path.join(path.resolve(dir), DIRECTIONS_FILE);
  if (!existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ModelLoadError(`cannot read ${DIRECTIONS_FILE}: ${e instanceof Error ? e.message : String(e)}`, file, { cause: e });
  }
  return parseDirections(raw, expect, file);
}
