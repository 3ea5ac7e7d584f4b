import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Chemistry, ChemistryOptions, FingerprintedDescription, MoleculeDescription, ValidationResult } from './chemistry';
import { DrugIndex } from './drugs';
import { ChemNotReadyError, InvalidSmilesError, ValidationCode } from './errors';
import { MoleculeRef, ResolvedMolecule, resolveAndDescribe, resolveMolecule } from './resolve';
import { tanimotoBits } from './scores';
import { recordMolecules } from '../observability/telemetry';

/**
 * Nest wrapper around one `Chemistry` (RDKit WASM + tables) and one `DrugIndex`, created once in `onModuleInit`.
 * All logic lives in those classes; this service only owns their lifetime and adds throwing convenience methods
 * (it satisfies navigation's `ChemPort`). Outside Nest call `await service.init()` once.
 * Each call that parses molecules is counted through src/observability/telemetry.ts (`molnav_rdkit_molecules_total`).
 */
@Injectable()
export class ChemService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ChemService.name);
  private chemistry: Chemistry | null = null;
  private drugIndex: DrugIndex | null = null;
  private initializing: Promise<this> | null = null;

  async onModuleInit(): Promise<void> {
    await this.init();
  }

  onModuleDestroy(): void {
    this.chemistry?.dispose();
    this.chemistry = null;
    this.drugIndex = null;
    this.initializing = null;
  }

  /**
   * Loads RDKit, the tables and the drug index (idempotent; concurrent calls share one load).
   *
   * @throws ChemDataError when the tables are missing; Error when RDKit cannot be loaded.
   */
  init(opts: ChemistryOptions = {}): Promise<this> {
    if (!this.initializing) {
      this.initializing = (async () => {
        const started = Date.now();
        const chemistry = await Chemistry.create(opts);
        const drugIndex = DrugIndex.load(opts.dataDir ?? chemistry.tables.dataDir);
        this.chemistry = chemistry;
        this.drugIndex = drugIndex;
        this.logger.log(
          `RDKit ${chemistry.rdkitVersion} ready, ${chemistry.tables.saFragments.size} SA fragments, ` +
            `${drugIndex.size} drug names (${Date.now() - started} ms)`,
        );
        return this;
      })().catch((err: unknown) => {
        this.initializing = null;
        throw err;
      });
    }
    return this.initializing;
  }

  /** The chemistry toolkit. @throws ChemNotReadyError before `init()`/`onModuleInit`. */
  get chem(): Chemistry {
    if (!this.chemistry) throw new ChemNotReadyError();
    return this.chemistry;
  }

  /** The approved-drug index. @throws ChemNotReadyError before `init()`/`onModuleInit`. */
  get drugs(): DrugIndex {
    if (!this.drugIndex) throw new ChemNotReadyError();
    return this.drugIndex;
  }

  /** See `Chemistry.validate`. Never throws for bad chemistry. */
  validate(smiles: string): ValidationResult {
    recordMolecules('chem_service', 'validate');
    return this.chem.validate(smiles);
  }

  /** Canonical SMILES or null when invalid. Never throws for bad chemistry. */
  canonical(smiles: string): string | null {
    recordMolecules('chem_service', 'canonical');
    return this.chem.canonical(smiles);
  }

  /**
   * `Chemistry.describeCanonical` of each RDKit canonical SMILES: InChIKey, properties and ECFP4 from one parse; null
   * where RDKit cannot parse the string.
   */
  describeCanonical(canonicalSmiles: readonly string[]): Array<FingerprintedDescription | null> {
    recordMolecules('chem_service', 'describe', canonicalSmiles.length);
    return canonicalSmiles.map((s) => this.chem.describeCanonical(s));
  }

  /**
   * Canonical SMILES, InChIKey and properties (MW Da, TPSA Å², QED, SA, plogP; see `MolecularProperties`).
   *
   * @throws InvalidSmilesError when `smiles` is invalid.
   */
  describe(smiles: string): MoleculeDescription {
    recordMolecules('chem_service', 'describe');
    const d = this.chem.describe(smiles);
    if (!d) throw this.invalid(smiles);
    return d;
  }

  /**
   * A SMILES or approved-drug name -> {input, name, chemblId, canonicalSmiles} (see `resolveMolecule`).
   *
   * @throws InvalidSmilesError, UnknownMoleculeNameError.
   */
  resolveMolecule(input: string): MoleculeRef {
    recordMolecules('chem_service', 'resolve');
    return resolveMolecule(this.chem, this.drugs, input);
  }

  /**
   * `resolveMolecule` plus InChIKey and properties.
   *
   * @throws InvalidSmilesError, UnknownMoleculeNameError.
   */
  resolve(input: string): ResolvedMolecule {
    recordMolecules('chem_service', 'resolve');
    return resolveAndDescribe(this.chem, this.drugs, input);
  }

  /** ECFP4 (Morgan r=2, 2048 bits) packed fingerprint. @throws InvalidSmilesError */
  fingerprint(smiles: string): Uint8Array {
    recordMolecules('chem_service', 'fingerprint');
    return this.chem.fingerprint(smiles);
  }

  /**
   * ECFP4 Tanimoto similarity of two fingerprints from `fingerprint()` or of two SMILES.
   *
   * @throws InvalidSmilesError for invalid SMILES; RangeError when fingerprint lengths differ.
   */
  tanimoto(a: Uint8Array, b: Uint8Array): number;
  tanimoto(a: string, b: string): number;
  tanimoto(a: Uint8Array | string, b: Uint8Array | string): number {
    if (typeof a === 'string' || typeof b === 'string') {
      return this.chem.tanimoto(this.fp(a), this.fp(b));
    }
    return tanimotoBits(a, b);
  }

  /**
   * SVG depiction, optionally with the matches of a SMARTS `highlight` highlighted (see `Chemistry.depictSvg`).
   * @throws InvalidSmartsError for a bad highlight; InvalidSmilesError; RangeError for sizes outside 50..2000 px.
   */
  depictSvg(smiles: string, opts?: { width?: number; height?: number; highlight?: string | null }): string {
    recordMolecules('chem_service', 'depict');
    return this.chem.depictSvg(smiles, opts);
  }

  private fp(x: Uint8Array | string): Uint8Array {
    return typeof x === 'string' ? this.chem.fingerprint(x) : x;
  }

  private invalid(smiles: string): InvalidSmilesError {
    const v = this.chem.validate(smiles);
    return new InvalidSmilesError(smiles, v.reason ?? 'invalid', (v.code ?? 'SYNTAX') as ValidationCode);
  }
}
