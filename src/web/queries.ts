/**
 * The GraphQL documents the workbench sends (schema.gql is the reference) and the shapes of their answers.
 * Depictions are SVG documents drawn by RDKit on the server (`svg` fields).
 */

/** MolecularProperties, as every view reads them. */
export interface Properties {
  mw: number;
  clogp: number;
  tpsa: number;
  hbd: number;
  hba: number;
  rotatableBonds: number;
  heavyAtoms: number;
  aromaticRings: number;
  qed: number;
  sa: number;
  plogp: number;
}

export const PROPERTIES = 'properties { mw clogp tpsa hbd hba rotatableBonds heavyAtoms aromaticRings qed sa plogp }';

/** Property keys with labels and units, in display order; `order` is the LibraryEntryOrderBy value. */
export const PROPERTY_INFO: readonly { key: keyof Properties; label: string; unit: string; order: string; digits: number }[] = [
  { key: 'mw', label: 'MW', unit: 'Da', order: 'MW', digits: 1 },
  { key: 'clogp', label: 'cLogP', unit: '', order: 'CLOGP', digits: 2 },
  { key: 'tpsa', label: 'TPSA', unit: 'Å²', order: 'TPSA', digits: 1 },
  { key: 'qed', label: 'QED', unit: '', order: 'QED', digits: 3 },
  { key: 'sa', label: 'SA score', unit: '', order: 'SA', digits: 2 },
  { key: 'plogp', label: 'plogP', unit: '', order: 'PLOGP', digits: 2 },
  { key: 'hbd', label: 'HBD', unit: '', order: 'HBD', digits: 0 },
  { key: 'hba', label: 'HBA', unit: '', order: 'HBA', digits: 0 },
  { key: 'rotatableBonds', label: 'Rotatable bonds', unit: '', order: 'ROTATABLE_BONDS', digits: 0 },
  { key: 'heavyAtoms', label: 'Heavy atoms', unit: '', order: 'HEAVY_ATOMS', digits: 0 },
  { key: 'aromaticRings', label: 'Aromatic rings', unit: '', order: 'AROMATIC_RINGS', digits: 0 },
];

export interface MoleculePreview {
  input: string;
  valid: boolean;
  reason: string | null;
  name: string | null;
  chemblId: string | null;
  canonicalSmiles: string | null;
  svg: string | null;
}

export const MOLECULE_PREVIEW = `query Preview($q: String!) {
  molecule(query: $q) { input valid reason name chemblId canonicalSmiles svg(width: 240, height: 160) }
}`;

export interface Drug {
  name: string;
  chemblId: string;
  smiles: string;
}

export const APPROVED_DRUGS = `query Drugs($prefix: String!) { approvedDrugs(prefix: $prefix, first: 10) { name chemblId smiles } }`;

export interface PathPoint {
  index: number;
  t: number;
  valid: boolean;
  reason: string | null;
  canonicalSmiles: string | null;
  tanimotoToFrom: number | null;
  tanimotoToTo: number | null;
  source: string;
  properties: Properties | null;
}

export interface Interpolation {
  runId: string;
  modelVersion: string;
  distinctIntermediates: number;
  decodes: number;
  from: { name: string | null; canonicalSmiles: string | null };
  to: { name: string | null; canonicalSmiles: string | null };
  path: PathPoint[];
}

export const INTERPOLATE = `mutation Interpolate($input: InterpolateInput!) {
  interpolate(input: $input) {
    runId modelVersion distinctIntermediates decodes
    from { name canonicalSmiles } to { name canonicalSmiles }
    path { index t valid reason canonicalSmiles tanimotoToFrom tanimotoToTo source ${PROPERTIES} }
  }
}`;

/** A stored run's candidates with depictions (path, walk, neighbours or ranking order). */
export interface RunCandidate {
  position: number;
  score: number | null;
  t: number | null;
  candidate: { id: string; canonicalSmiles: string; svg: string; properties: Properties };
}

export const RUN_CANDIDATES = `query RunCandidates($id: ID!, $w: Int!, $h: Int!) {
  run(id: $id) { id status candidates { position score t candidate { id canonicalSmiles svg(width: $w, height: $h) ${PROPERTIES} } } }
}`;

export interface Neighbour {
  rank: number;
  tanimoto: number;
  canonicalSmiles: string;
  properties: Properties;
}

export interface NeighbourResult {
  runId: string;
  found: number;
  requested: number;
  complete: boolean;
  message: string | null;
  decodes: number;
  neighbours: Neighbour[];
}

export const SAMPLE_NEIGHBOURS = `mutation Neighbours($input: SampleNeighboursInput!) {
  sampleNeighbours(input: $input) { runId found requested complete message decodes neighbours { rank tanimoto canonicalSmiles ${PROPERTIES} } }
}`;

export interface Direction {
  property: string;
  label: string;
  unit: string;
  slope: number;
  r2Heldout: number;
  spearmanHeldout: number;
}

export const PROPERTY_DIRECTIONS = `query Directions {
  propertyDirections { available modelVersion directions { property label unit slope r2Heldout spearmanHeldout } }
}`;

export interface TraversePoint {
  index: number;
  offset: number;
  valid: boolean;
  reason: string | null;
  canonicalSmiles: string | null;
  predicted: number;
  value: number | null;
  tanimotoToStart: number | null;
}

export interface Traverse {
  runId: string;
  startValue: number;
  spearman: number | null;
  points: TraversePoint[];
}

const TRAVERSE_FIELDS = 'runId startValue spearman points { index offset valid reason canonicalSmiles predicted value tanimotoToStart }';

/** Both halves of a walk through the start molecule: against (`neg`) and along (`pos`) the direction. */
export const TRAVERSE_BOTH_WAYS = `mutation Walk($neg: TraverseInput!, $pos: TraverseInput!) {
  neg: traverse(input: $neg) { ${TRAVERSE_FIELDS} }
  pos: traverse(input: $pos) { ${TRAVERSE_FIELDS} }
}`;

/** Depictions of the points of two traverse runs. */
export const WALK_DEPICTIONS = `query WalkDepictions($neg: ID!, $pos: ID!) {
  neg: run(id: $neg) { candidates { position candidate { id canonicalSmiles svg(width: 260, height: 180) } } }
  pos: run(id: $pos) { candidates { position candidate { id canonicalSmiles svg(width: 260, height: 180) } } }
}`;

export interface ComponentInfo {
  kind: string;
  description: string;
  unit: string;
  unitRange: boolean;
  parameters: string[];
  source: string;
}

/** Component kinds and the enum values the objective builder offers (all from the API). */
export const SCORING_VOCABULARY = `query Vocabulary {
  scoringComponents { kind description unit unitRange parameters source }
  transforms: __type(name: "TransformKind") { enumValues { name } }
  fingerprints: __type(name: "SimilarityFingerprint") { enumValues { name } }
  aggregations: __type(name: "ReferenceAggregation") { enumValues { name } }
  formulaMeans: __type(name: "FormulaMean") { enumValues { name } }
  alertSets: __type(name: "AlertSet") { enumValues { name } }
  optimizers: __type(name: "OptimizerKind") { enumValues { name } }
}`;

export interface EnumType {
  enumValues: { name: string }[];
}

export interface Vocabulary {
  scoringComponents: ComponentInfo[];
  transforms: EnumType | null;
  fingerprints: EnumType | null;
  aggregations: EnumType | null;
  formulaMeans: EnumType | null;
  alertSets: EnumType | null;
  optimizers: EnumType | null;
}

export const START_OPTIMIZATION = `mutation Start($input: OptimizeInput!) { startOptimization(input: $input) { runId status } }`;

export interface RunProgressEvent {
  runId: string;
  status: string;
  progress: string | null;
  error: string | null;
  cancelRequested: boolean;
  final: boolean;
}

export const RUN_PROGRESS = `subscription Progress($id: ID!) {
  runProgress(id: $id) { runId status progress error cancelRequested final }
}`;

export const RUN_STATUS = `query RunStatus($id: ID!) { run(id: $id) { id status progress error cancelRequested } }`;

export const CANCEL_RUN = `mutation Cancel($id: ID!) { cancelRun(id: $id) { id status cancelRequested } }`;

export interface Library {
  id: string;
  name: string;
  description: string | null;
  entryCount: number;
}

export const LIBRARIES = `query Libraries { libraries(first: 200) { totalCount edges { node { id name description entryCount } } } }`;

export const CREATE_LIBRARY = `mutation CreateLibrary($input: CreateLibraryInput!) { createLibrary(input: $input) { id name description entryCount } }`;

export const ADD_RUN_TO_LIBRARY = `mutation AddRun($input: AddRunToLibraryInput!) {
  addRunToLibrary(input: $input) { added alreadyPresent library { id name entryCount } }
}`;

export interface LibraryEntry {
  id: string;
  score: number | null;
  similarity: number | null;
  sourceRunId: string | null;
  tags: string[];
  note: string | null;
  candidate: { id: string; canonicalSmiles: string; svg: string; properties: Properties };
}

export interface EntryPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: LibraryEntry }[];
}

export const LIBRARY_ENTRIES = `query Entries($lib: ID!, $first: Int!, $after: String, $filter: LibraryEntryFilterInput,
    $orderBy: LibraryEntryOrderBy, $direction: SortDirection, $highlight: String) {
  libraryEntries(libraryId: $lib, first: $first, after: $after, filter: $filter, orderBy: $orderBy, direction: $direction) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id score similarity sourceRunId tags note
      candidate { id canonicalSmiles svg(width: 240, height: 170, highlight: $highlight) ${PROPERTIES} } } }
  }
}`;

/** Properties only (no depictions), for the plots. */
export const LIBRARY_PLOT_DATA = `query PlotData($lib: ID!, $first: Int!, $after: String, $filter: LibraryEntryFilterInput) {
  libraryEntries(libraryId: $lib, first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { score candidate { id ${PROPERTIES} } } }
  }
}`;

export interface PlotPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: { score: number | null; candidate: { id: string; properties: Properties } } }[];
}

export interface CandidateDetail {
  id: string;
  canonicalSmiles: string;
  inchiKey: string | null;
  createdAt: string;
  svg: string;
  properties: Properties;
}

export interface RunDetail {
  id: string;
  kind: string;
  status: string;
  modelVersion: string;
  parameters: string;
  stats: string | null;
  seed: number | null;
  createdAt: string;
  durationMs: number | null;
  error: string | null;
  candidates: { position: number; score: number | null; t: number | null; candidate: { id: string } }[];
}

export const CANDIDATE = `query Candidate($id: ID!) {
  candidate(id: $id) { id canonicalSmiles inchiKey createdAt svg(width: 440, height: 320) ${PROPERTIES} }
}`;

export const RUN_DETAIL = `query RunDetail($id: ID!) {
  run(id: $id) { id kind status modelVersion parameters stats seed createdAt durationMs error
    candidates { position score t candidate { id } } }
}`;
