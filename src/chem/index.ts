/** Public surface of the chemistry layer. */
export { loadRDKit } from './rdkit';
export type { RDKit } from './rdkit';
export {
  Chemistry,
  ECFP4,
  MAX_ATOMS,
  MAX_SMILES_LENGTH,
  SVG_DEFAULT_SIZE,
  SVG_MAX_SIZE,
  SVG_MIN_SIZE,
  VALIDATION_REASONS,
} from './chemistry';
export type { ChemistryOptions, MolecularProperties, MoleculeDescription, ValidationResult } from './chemistry';
export { ALIAS_DENY, DrugIndex, normalizeDrugName, SALT_WORDS, stripSaltWords } from './drugs';
export type { DrugMatch, DrugRecord } from './drugs';
export {
  ChemDataError,
  ChemError,
  ChemNotReadyError,
  InvalidSmilesError,
  UnknownMoleculeNameError,
} from './errors';
export type { ValidationCode } from './errors';
export { NAME_LIKE, resolveAndDescribe, resolveMolecule } from './resolve';
export type { MoleculeRef, ResolvedMolecule } from './resolve';
export { cycleBasis, parseRdkitJson } from './graph';
export type { MolGraph } from './graph';
export { foldToBits, morganCounts } from './morgan';
export { ads, penalizedLogPFrom, PLOGP_NORMALISATION, qedFromProperties, saScoreFromComponents, tanimotoBits } from './scores';
export type { QedProperties, QedWeighting, SaComponents } from './scores';
export { CHEM_DATA_DIR_ENV, CHEM_DATA_FILES, chemDataDir, loadChemTables, QED_PROPERTY_NAMES, SaFragmentTable } from './tables';
export type { ChemTables, QedParameters } from './tables';
export { ChemService } from './chem.service';
export { ChemModule } from './chem.module';
