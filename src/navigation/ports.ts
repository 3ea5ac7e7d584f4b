/**
 * The narrow views of chemistry, model and store that the navigation logic needs. The Nest module binds them to
 * ChemService, ModelService and StoreService; tests can bind them to the same real services without Nest.
 */
import type { MolecularProperties } from '../chem/chemistry';

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
  /** Canonical SMILES, or null when RDKit rejects the string. Never throws for bad chemistry. */
  canonical(smiles: string): string | null;
  /** InChIKey and properties of a valid canonical SMILES. */
  describe(canonicalSmiles: string): { inchiKey: string | null; properties: MolecularPropertiesLike };
  /** ECFP4 fingerprint handle for repeated Tanimoto comparisons. */
  fingerprint(canonicalSmiles: string): Uint8Array;
  tanimoto(a: Uint8Array, b: Uint8Array): number;
}

export interface DecodeOptions {
  strategy: 'greedy' | 'sample';
  temperature?: number;
  seed?: number;
}

export interface ModelPort {
  readonly latentDim: number;
  readonly modelVersion: string;
  /** mu and logvar, each `[batch, latentDim]` float32 row-major. */
  encode(smiles: string[]): Promise<{ mu: Float32Array; logvar: Float32Array }>;
  /** Decode a `[batch, latentDim]` float32 batch to raw SMILES strings (may be invalid). */
  decode(z: Float32Array, batch: number, opts: DecodeOptions): Promise<string[]>;
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
  createRun(input: { kind: string; params: unknown; modelVersion: string; seed: number | null }): Promise<{ id: string }>;
  completeRun(id: string, input: { status: 'SUCCEEDED' | 'FAILED'; error?: string; stats?: unknown }): Promise<unknown>;
  addCandidates(runId: string, items: StoredCandidate[]): Promise<unknown>;
}

export const CHEM_PORT = Symbol('CHEM_PORT');
export const MODEL_PORT = Symbol('MODEL_PORT');
export const STORE_PORT = Symbol('STORE_PORT');
