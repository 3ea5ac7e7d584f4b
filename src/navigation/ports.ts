/**
 * The narrow views of chemistry, model and store that the navigation logic needs. The Nest module binds them to
 * ChemService, ModelService and StoreService; tests can bind them to the same real services without Nest.
 */
import type { FingerprintedDescription, MolecularProperties } from '../chem/chemistry';
import type { PropertyDirections } from '../model/directions';
import type { ScoringSpec } from '../scoring/spec';
import type { BatchScorer } from './optimization';

/** Descriptors and scores of one molecule: the chemistry layer's type (units and sources documented there). */
export type MolecularPropertiesLike = MolecularProperties;

export interface ResolvedMolecule {
  input: string;
  name: string | null;
  chemblId: string | null;
  canonicalSmiles: string;
  inchiKey: string | null;
  properties: MolecularPropertiesLike;
}

export interface ChemPort {
  /** Resolve a SMILES or approved-drug name. @throws the chemistry layer's typed errors. */
  resolve(input: string): ResolvedMolecule;
  /** `resolve` without InChIKey and properties (name lookup and RDKit validation only). @throws as `resolve`. */
  resolveMolecule(input: string): Omit<ResolvedMolecule, 'inchiKey' | 'properties'>;
  /** Canonical SMILES, or null when RDKit rejects the string. Never throws for bad chemistry. */
  canonical(smiles: string): string | null;
  /**
   * Canonical SMILES, or null with RDKit's reason (e.g. `valence error (...)`) when the string is rejected. Never
   * throws for bad chemistry.
   */
  validate(smiles: string): { canonicalSmiles: string | null; reason: string | null };
  /** InChIKey and properties of a valid canonical SMILES. */
  describe(canonicalSmiles: string): { inchiKey: string | null; properties: MolecularPropertiesLike };
  /** ECFP4 fingerprint handle for repeated Tanimoto comparisons. */
  fingerprint(canonicalSmiles: string): Uint8Array;
  tanimoto(a: Uint8Array, b: Uint8Array): number;
}

/** Decoding options the navigation logic passes to the model (a subset of the model layer's DecodeOptions). */
export interface DecodeOptions {
  /** 'greedy': argmax per token (deterministic). 'sample': multinomial draw per token. */
  strategy: 'greedy' | 'sample';
  /** Sampling temperature, finite > 0 (default 1); ignored by greedy. */
  temperature?: number;
  /** Keep only the k most likely tokens when sampling (integer >= 1; default all); ignored by greedy. */
  topK?: number;
  /** Sampling seed, integer in [0, 2^32); same seed + same z batch = same output. Ignored by greedy. */
  seed?: number;
  /** SMILES syntax mask (balanced branches, closed rings, organic-subset valence); default on. */
  syntaxMask?: boolean;
}

export interface ModelPort {
  readonly latentDim: number;
  readonly modelVersion: string;
  /** mu and logvar, each `[batch, latentDim]` float32 row-major. */
  encode(smiles: string[]): Promise<{ mu: Float32Array; logvar: Float32Array }>;
  /** Decode a `[batch, latentDim]` float32 batch to raw SMILES strings (may be invalid). */
  decode(z: Float32Array, batch: number, opts: DecodeOptions): Promise<string[]>;
  /**
   * Beam search under the syntax mask (default on): per row of a `[batch, latentDim]` float32 batch, up to
   * `beamWidth` (1..10) raw SMILES, most probable first. Deterministic.
   */
  decodeBeams(z: Float32Array, batch: number, opts: { beamWidth: number; syntaxMask?: boolean }): Promise<Array<Array<{ smiles: string }>>>;
  /** The model's property directions (directions.json), or null when it ships none. */
  readonly directions: PropertyDirections | null;
}

export interface StoredCandidate {
  canonicalSmiles: string;
  inchiKey: string | null;
  properties: MolecularPropertiesLike;
  position: number;
  score?: number | null;
  t?: number | null;
  meta?: unknown;
}

export interface StorePort {
  /** Creates a run, RUNNING by default; QUEUED for a background job. */
  createRun(input: { kind: string; params: unknown; modelVersion: string; seed: number | null; status?: 'RUNNING' | 'QUEUED' }): Promise<{ id: string }>;
  completeRun(id: string, input: { status: 'SUCCEEDED' | 'FAILED'; error?: string; stats?: unknown }): Promise<unknown>;
  addCandidates(runId: string, items: StoredCandidate[]): Promise<unknown>;
  /** addCandidates + completeRun(SUCCEEDED or FAILED) in one transaction: nothing is written if either fails. */
  completeRunWithCandidates(id: string, items: StoredCandidate[], input: { status: 'SUCCEEDED' | 'FAILED'; error?: string; stats?: unknown }): Promise<unknown>;
  /** Kind and status of a run, or null when it does not exist. */
  getRun(id: string): Promise<{ kind: string; status: string } | null>;
  /** Saves an interactive run's state if the stored one has `version` expectedVersion; false otherwise or when finished. */
  saveRunState(id: string, state: Record<string, unknown>, expectedVersion?: number): Promise<boolean>;
  getRunState(id: string): Promise<Record<string, unknown> | null>;
}

/** What a decoded molecule needs before it joins a path: InChIKey, properties and ECFP4 (the chemistry layer's type). */
export type DescribedMolecule = FingerprintedDescription;

/**
 * RDKit work on batches of decoded molecules, in the scoring worker threads when the service runs them (several
 * cores, event loop free), on the main thread otherwise. Bound to ScoringService.
 */
export interface MoleculeBatchPort {
  /** RDKit canonical SMILES of each raw string, in order; null where RDKit rejects it. Never throws for bad chemistry. */
  canonicalizeMany(smiles: readonly string[]): Promise<Array<string | null>>;
  /**
   * InChIKey, properties and ECFP4 of RDKit canonical SMILES of valid molecules (outputs of `canonicalizeMany`), one
   * parse each, in order.
   * @throws Error when a string is not a parseable canonical SMILES (a caller bug).
   */
  describeMany(canonicalSmiles: readonly string[]): Promise<DescribedMolecule[]>;
}

/** The scoring language as the optimiser needs it, and batched RDKit work on decodes (bound to ScoringService). */
export interface ScoringPort extends MoleculeBatchPort {
  /** Validates a scoring-language objective (JSON). @throws InvalidObjectiveError listing every problem. */
  validate(input: unknown): ScoringSpec;
  /** A batch scorer for a validated objective (worker threads in the service). */
  scorer(spec: ScoringSpec): BatchScorer;
}

/** What a background job's work function gets (bound to JobsService). */
export interface JobContextLike {
  readonly signal: AbortSignal;
  progress(p: Record<string, number | string | null>): void;
}

/**
 * Background runs (bound to JobsService): a handler per run kind executes a stored QUEUED run from its stored
 * parameters, in this process or in a worker process (REDIS_URL); its result becomes the run's stats.
 */
export interface JobsPort {
  registerHandler(kind: string, handler: (run: { id: string; params: unknown }, ctx: JobContextLike) => Promise<unknown>): void;
  enqueue(run: { id: string; kind: string }): Promise<void>;
}

export const CHEM_PORT = Symbol('CHEM_PORT');
export const JOBS_PORT = Symbol('JOBS_PORT');
export const SCORING_PORT = Symbol('SCORING_PORT');
export const MODEL_PORT = Symbol('MODEL_PORT');
export const STORE_PORT = Symbol('STORE_PORT');
