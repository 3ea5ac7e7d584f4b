/** Public surface of the chemistry layer. */
export { loadRDKit } from './rdkit';
export type { RDKit } from './rdkit';
export {
  Chemistry,
  ECFP4,
  MAX_ATOMS,
  MAX_HIGHLIGHT_MATCHES,
  MAX_SMILES_LENGTH,
  SVG_DEFAULT_SIZE,
  SVG_MAX_SIZE,
  SVG_MIN_SIZE,
  VALIDATION_REASONS,
} from './chemistry';
export type { BasicDescriptors, ChemistryOptions, MolecularProperties, MoleculeDescription, ValidationResult } from './chemistry';
export { ALIAS_DENY, DrugIndex, normalizeDrugName, SALT_WORDS, stripSaltWords } from './drugs';
export type { DrugMatch, DrugRecord } from './drugs';
export {
  ChemDataError,
  ChemError,
  ChemNotReadyError,
  InvalidSmartsError,
  InvalidSmilesError,
  UnknownMoleculeNameError,
} from './errors';
export type { ValidationCode } from './errors';
export { NAME_LIKE, resolveAndDescribe, resolveMolecule } from './resolve';
export type { MoleculeRef, ResolvedMolecule } from './resolve';
export { cycleBasis, parseRdkitJson } from './graph';
export type { MolGraph } from './graph';
export { foldToBits, morganCounts, morganCountsMulti } from './morgan';
export {
  atomPairCodes,
  atomPairCounts,
  bitTanimoto,
  countTanimoto,
  FCFP_FEATURE_SMARTS,
  featureInvariants,
  makeSparseFingerprint,
  SPARSE_FINGERPRINT_KINDS,
  SparseFingerprinter,
  sparseTanimoto,
  topologicalDistances,
} from './fingerprints';
export type { SparseFingerprint, SparseFingerprintKind } from './fingerprints';
export { GOBBI_BINS, GOBBI_FEATURES, GOBBI_SIGNATURE_SIZE, gobbiPharm2D } from './pharm2d';
export type { GobbiFeature } from './pharm2d';
export { ads, penalizedLogPFrom, PLOGP_NORMALISATION, qedFromProperties, saScoreFromComponents, tanimotoBits } from './scores';
export type { QedProperties, QedWeighting, SaComponents } from './scores';
export { CHEM_DATA_DIR_ENV, CHEM_DATA_FILES, chemDataDir, loadChemTables, QED_PROPERTY_NAMES, SaFragmentTable } from './tables';
export type { ChemTables, QedParameters } from './tables';
export { ALERT_SETS, ALERT_TABLES, AlertCatalogs, expandAlertSets, loadAlertTable, parseAlertTable } from './alerts';
export type { AlertFilter, AlertHit, AlertSet, AlertTable } from './alerts';
export { BERTZ_DEFAULT_CUTOFF, bertzCT } from './bertz';
export { formatFormula, formulaCounts, gaussianModifier, isomerScore, parseFormula } from './formula';
export type { ElementCounts, FormulaTerm } from './formula';
export { compileSmarts, countSubstructMatches, hasSubstructMatch, MAX_SMARTS_LENGTH, SMARTS_CACHE_SIZE, SmartsCache } from './smarts';
export { ChemService } from './chem.service';
export { ChemModule } from './chem.module';
