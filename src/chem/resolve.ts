/**
 * Turning user input (an approved-drug name or a SMILES string) into a molecule. Pure function over `Chemistry`
 * and `DrugIndex` so it can be tested without Nest; `ChemService.resolveMolecule` delegates here.
 */
import type { Chemistry, MolecularProperties } from './chemistry';
import { VALIDATION_REASONS } from './chemistry';
import type { DrugIndex } from './drugs';
import { InvalidSmilesError, UnknownMoleculeNameError } from './errors';

/** A resolved input. `name`/`chemblId` are set when the input matched an approved-drug name. */
export interface MoleculeRef {
  /** The input as given (untrimmed). */
  input: string;
  /** ChEMBL preferred name, or null when the input was parsed as SMILES. */
  name: string | null;
  chemblId: string | null;
  /** RDKit canonical SMILES (for drug names: of the salt-free parent). */
  canonicalSmiles: string;
}

/** A resolved input with its InChIKey and properties. */
export interface ResolvedMolecule extends MoleculeRef {
  inchiKey: string | null;
  properties: MolecularProperties;
}

/** Inputs that are tried as drug names before SMILES: letters, spaces and hyphens only. */
export const NAME_LIKE = /^[A-Za-z][A-Za-z \-]*$/;

/**
 * Resolves `input` (trimmed first):
 * 1. if it looks like a name (letters, spaces, hyphens only) and is an approved-drug name (case-insensitive, salt
 *    words optional; see `DrugIndex.resolve`), the drug's parent structure;
 * 2. else, if it is valid SMILES, that molecule;
 * 3. else, if it is a drug name containing other characters (e.g. "CAFFEINE, CITRATED"), that drug.
 *
 * @throws InvalidSmilesError for empty input, and for strings that are neither a known name nor valid SMILES unless
 *   they look like a name and do not parse as SMILES at all (letters/spaces/hyphens with a SMILES syntax error).
 * @throws UnknownMoleculeNameError in that last case (e.g. "Celecoxb").
 */
export function resolveMolecule(chem: Chemistry, drugs: DrugIndex, input: string): MoleculeRef {
  const text = typeof input === 'string' ? input.trim() : '';
  if (!text) throw new InvalidSmilesError(String(input ?? ''), VALIDATION_REASONS.EMPTY, 'EMPTY');
  const nameLike = NAME_LIKE.test(text);
  const fromDrug = (hit: { name: string; chemblId: string; smiles: string }): MoleculeRef => {
    const canonicalSmiles = chem.canonical(hit.smiles);
    if (!canonicalSmiles) throw new Error(`drug table SMILES for ${hit.name} (${hit.chemblId}) does not parse`);
    return { input, name: hit.name, chemblId: hit.chemblId, canonicalSmiles };
  };
  if (nameLike) {
    const hit = drugs.resolve(text);
    if (hit) return fromDrug(hit);
  }
  const v = chem.validate(text);
  if (v.valid) return { input, name: null, chemblId: null, canonicalSmiles: v.canonicalSmiles as string };
  if (!nameLike) {
    const hit = drugs.resolve(text);
    if (hit) return fromDrug(hit);
  }
  if (nameLike && v.code === 'SYNTAX') throw new UnknownMoleculeNameError(input);
  throw new InvalidSmilesError(input, v.reason as string, v.code ?? 'SYNTAX');
}

/**
 * `resolveMolecule` plus InChIKey and properties.
 *
 * @throws InvalidSmilesError, UnknownMoleculeNameError as `resolveMolecule`.
 */
export function resolveAndDescribe(chem: Chemistry, drugs: DrugIndex, input: string): ResolvedMolecule {
  const ref = resolveMolecule(chem, drugs, input);
  const d = chem.describe(ref.canonicalSmiles);
  if (!d) throw new Error(`RDKit cannot re-parse its canonical SMILES ${ref.canonicalSmiles}`);
  return { ...ref, inchiKey: d.inchiKey, properties: d.properties };
}
