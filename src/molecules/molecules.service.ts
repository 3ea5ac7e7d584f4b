import { Injectable } from '@nestjs/common';
import { ChemService } from '../chem/chem.service';
import { InvalidSmilesError, UnknownMoleculeNameError } from '../chem/errors';
import { LimitExceededError } from '../common/errors';
import { LIMITS } from '../config/config';
import { toMolecule } from '../navigation/navigation.mappers';
import { FilterResult, Molecule } from './models/molecule.model';

/** Description of the `highlight` argument of the `svg` fields (Molecule.svg, Candidate.svg). */
export const HIGHLIGHT_DESCRIPTION =
  'SMARTS pattern (at most 4000 characters) whose matches are highlighted (atoms and bonds of every match, at most 100 matches); ' +
  'no match: the plain depiction.';

/** Molecule lookup, validity filtering and depiction (all RDKit, through ChemService). */
@Injectable()
export class MoleculesService {
  constructor(private readonly chem: ChemService) {}

  /**
   * Resolve and describe a SMILES or approved-drug name. Invalid SMILES and unknown names are answered with
   * `valid: false` and the reason (this is the validation query); other errors propagate.
   */
  molecule(query: string): Molecule {
    try {
      return toMolecule(this.chem.resolve(query));
    } catch (err) {
      if (err instanceof InvalidSmilesError || err instanceof UnknownMoleculeNameError) {
        return { input: query, name: null, chemblId: null, valid: false, reason: err.message, canonicalSmiles: null, inchiKey: null, properties: null };
      }
      throw err;
    }
  }

  /** RDKit validity and canonical form of each SMILES. @throws LimitExceededError over LIMITS.maxFilterBatch. */
  filter(smiles: string[]): FilterResult[] {
    if (smiles.length > LIMITS.maxFilterBatch) throw new LimitExceededError('filterMolecules batch size', LIMITS.maxFilterBatch, smiles.length);
    return smiles.map((input) => {
      const v = this.chem.validate(input);
      return { input, valid: v.valid, canonicalSmiles: v.canonicalSmiles, reason: v.reason };
    });
  }

  /**
   * SVG depiction of a valid SMILES, `width` × `height` pixels; with `highlight` (SMARTS) the atoms and bonds of its
   * matches are highlighted (no match: the plain depiction).
   * @throws LimitExceededError for sizes outside 50..LIMITS.maxSvgSize; InvalidSmartsError (INVALID_SMARTS) for a bad
   *   highlight pattern.
   */
  svg(smiles: string, width: number, height: number, highlight?: string | null): string {
    for (const [what, v] of [['width', width], ['height', height]] as const) {
      if (v > LIMITS.maxSvgSize || v < 50) throw new LimitExceededError(`depiction ${what} (50..${LIMITS.maxSvgSize} px)`, LIMITS.maxSvgSize, v);
    }
    return this.chem.depictSvg(smiles, { width, height, highlight: highlight ?? null });
  }

  /** Approved drugs whose name starts with `prefix` (case-insensitive), for autocomplete. */
  searchDrugs(prefix: string, limit: number): { name: string; chemblId: string; smiles: string }[] {
    return this.chem.drugs.search(prefix, limit).map((d) => ({ name: d.name, chemblId: d.chemblId, smiles: d.smiles }));
  }
}
