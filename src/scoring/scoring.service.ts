import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ChemService } from '../chem/chem.service';
import { InvalidObjectiveError, LimitExceededError } from '../common/errors';
import { LIMITS } from '../config/config';
import { BatchScorer, inProcessScorer } from '../navigation/optimization';
import type { DescribedMolecule } from '../navigation/ports';
import { chemistryForScoring } from './chem-adapter';
import { COMPONENT_INFO, ComponentInfo, ScoringSpec, ScoringSpecError, validateScoringSpec } from './spec';
import { CompiledObjective, ScoreResult } from './engine';
import { defaultPoolSize, ScoringPool } from './pool';

/** Environment variable: scoring worker threads (0 = score on the main thread; default the cores, 1..4). */
export const SCORING_WORKERS_ENV = 'MOLNAV_SCORING_WORKERS';

/** A scored input SMILES (null fields when RDKit rejects it). */
export interface ScoredInput {
  input: string;
  canonicalSmiles: string | null;
  reason: string | null;
  result: ScoreResult | null;
}

/**
 * The scoring language as a service: validates objectives (with RDKit for SMILES and SMARTS), lists the component
 * kinds, and scores batches in worker threads (`ScoringPool`) so RDKit work stays off the event loop.
 */
@Injectable()
export class ScoringService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ScoringService.name);
  private pool: ScoringPool | null = null;

  constructor(private readonly chem: ChemService) {}

  async onModuleInit(): Promise<void> {
    const raw = process.env[SCORING_WORKERS_ENV];
    const size = raw === undefined || raw === '' ? defaultPoolSize() : Number(raw);
    if (!Number.isInteger(size) || size < 0 || size > 16) throw new Error(`${SCORING_WORKERS_ENV} must be an integer 0..16, got ${raw}`);
    if (size === 0) {
      this.logger.log('scoring on the main thread (MOLNAV_SCORING_WORKERS=0)');
      return;
    }
    const t0 = Date.now();
    this.pool = await ScoringPool.create(size);
    this.logger.log(`${size} scoring worker thread(s) ready (${Date.now() - t0} ms)`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }

  /** Component kinds with units, ranges, parameters and sources. */
  components(): ComponentInfo[] {
    return Object.values(COMPONENT_INFO);
  }

  /**
   * Validates an objective given as the scoring-language JSON (or a GraphQL input with nulls removed).
   *
   * @throws InvalidObjectiveError (INVALID_OBJECTIVE) listing every problem.
   */
  validate(input: unknown): ScoringSpec {
    try {
      return validateScoringSpec(input, chemistryForScoring(this.chem.chem));
    } catch (err) {
      if (err instanceof ScoringSpecError) throw new InvalidObjectiveError(err.problems);
      throw err;
    }
  }

  /**
   * Scores SMILES strings under a validated objective; invalid SMILES come back with RDKit's reason.
   *
   * @throws LimitExceededError when more than LIMITS.maxFilterBatch strings are given.
   */
  async scoreMany(spec: ScoringSpec, smiles: readonly string[]): Promise<ScoredInput[]> {
    if (smiles.length > LIMITS.maxFilterBatch) throw new LimitExceededError('smiles', LIMITS.maxFilterBatch, smiles.length);
    const checked = smiles.map((s) => ({ input: s, v: this.chem.validate(s) }));
    const valid = checked.filter((c) => c.v.valid).map((c) => c.v.canonicalSmiles as string);
    const results = await this.scorer(spec).score(valid);
    let k = 0;
    return checked.map(({ input, v }) =>
      v.valid ? { input, canonicalSmiles: v.canonicalSmiles, reason: null, result: results[k++] } : { input, canonicalSmiles: null, reason: v.reason, result: null },
    );
  }

  /** RDKit canonical SMILES of each raw string (null where rejected), in the worker threads when they run. */
  async canonicalizeMany(smiles: readonly string[]): Promise<Array<string | null>> {
    if (this.pool) return this.pool.canonicalize(smiles);
    return smiles.map((s) => this.chem.canonical(s));
  }

  /**
   * InChIKey, properties and ECFP4 of RDKit canonical SMILES of valid molecules, one parse each
   * (`Chemistry.describeCanonical`), in the worker threads when they run.
   * @throws Error when a string cannot be parsed (the callers pass outputs of `canonicalizeMany`).
   */
  async describeMany(canonicalSmiles: readonly string[]): Promise<DescribedMolecule[]> {
    const out = this.pool ? await this.pool.describeCanonical(canonicalSmiles) : this.chem.describeCanonical(canonicalSmiles);
    return out.map((d, i) => {
      if (!d) throw new Error(`RDKit cannot parse the canonical SMILES ${JSON.stringify(canonicalSmiles[i])}`);
      return d;
    });
  }

  /**
   * A batch scorer for the optimiser and scoreMany: the worker pool, or the main thread when workers are off. It takes
   * RDKit canonical SMILES of valid molecules (both callers canonicalise first).
   */
  scorer(spec: ScoringSpec): BatchScorer {
    const pool = this.pool;
    if (pool) {
      return {
        canonicalize: (smiles) => pool.canonicalize(smiles),
        score: async (smiles) => {
          const out = await pool.score(spec, smiles, true);
          return out.map((r, i) => {
            if (!r) throw new Error(`scoring worker rejected ${smiles[i]}`);
            return r;
          });
        },
      };
    }
    return inProcessScorer(new CompiledObjective(spec, chemistryForScoring(this.chem.chem)));
  }
}
