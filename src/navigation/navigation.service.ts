import { Inject, Injectable, Logger } from '@nestjs/common';
import { LIMITS } from '../config/config';
import { Rng } from '../model/rng';
import { interpolate, InterpolationOutcome } from './interpolation';
import { InterpolationKind } from './latent';
import { ObjectiveSpec } from './objective';
import { optimize, OptimizationOutcome } from './optimization';
import { CHEM_PORT, ChemPort, MODEL_PORT, ModelPort, ResolvedMolecule, STORE_PORT, StorePort } from './ports';

export interface InterpolateRequest {
  from: string;
  to: string;
  steps: number;
  method: InterpolationKind;
  seed: number;
}

export interface OptimizeRequest {
  seed: string;
  objective: ObjectiveSpec;
  minSimilarity: number;
  budget: number;
  sigma: number;
  topK: number;
  randomSeed: number;
}

/**
 * Latent navigation: interpolation and optimisation, each recorded as a stored run with its candidates.
 * A failure after the run row is created marks the run FAILED (with the message) and rethrows.
 */
@Injectable()
export class NavigationService {
  private readonly logger = new Logger(NavigationService.name);

  constructor(
    @Inject(CHEM_PORT) private readonly chem: ChemPort,
    @Inject(MODEL_PORT) private readonly model: ModelPort,
    @Inject(STORE_PORT) private readonly store: StorePort,
  ) {}

  get modelVersion(): string {
    return this.model.modelVersion;
  }

  /**
   * Decode the path between two molecules and store it as an INTERPOLATE run.
   * @throws InvalidSmilesError, UnknownMoleculeNameError (endpoints), OutOfVocabularyError (endpoint outside the
   * model's vocabulary)
   */
  async interpolate(req: InterpolateRequest): Promise<{ runId: string; from: ResolvedMolecule; to: ResolvedMolecule; outcome: InterpolationOutcome }> {
    const from = this.chem.resolve(req.from);
    const to = this.chem.resolve(req.to);
    return this.recorded('INTERPOLATE', req, req.seed, async () => {
      const rng = new Rng(req.seed);
      const outcome = await interpolate(this.chem, this.model, from, to,
        { steps: req.steps, method: req.method, seed: req.seed, maxAttempts: LIMITS.interpolationAttempts }, () => rng.normal());
      const items = outcome.path
        .filter((p) => p.canonicalSmiles !== null && p.properties !== null)
        .map((p) => ({
          canonicalSmiles: p.canonicalSmiles as string,
          inchiKey: p.inchiKey,
          properties: p.properties!,
          position: p.index,
          t: p.t,
          score: null,
          meta: { source: p.source, attempts: p.attempts, tanimotoToFrom: p.tanimotoToFrom, tanimotoToTo: p.tanimotoToTo },
        }));
      const stats = { decodes: outcome.decodes, distinctIntermediates: outcome.distinctIntermediates, points: outcome.path.length };
      return { result: { from, to, outcome }, items, stats };
    });
  }

  /**
   * Optimise an objective around a seed molecule with sep-CMA-ES and store the top-K as an OPTIMIZE run.
   * @throws InvalidSmilesError, UnknownMoleculeNameError, OutOfVocabularyError
   */
  async optimize(req: OptimizeRequest): Promise<{ runId: string; seed: ResolvedMolecule; outcome: OptimizationOutcome }> {
    const seed = this.chem.resolve(req.seed);
    return this.recorded('OPTIMIZE', req, req.randomSeed, async () => {
      const rng = new Rng(req.randomSeed);
      const outcome = await optimize(this.chem, this.model, seed,
        { objective: req.objective, minSimilarity: req.minSimilarity, budget: req.budget, sigma: req.sigma, topK: req.topK }, () => rng.normal());
      const items = outcome.ranked.map((m, i) => ({
        canonicalSmiles: m.canonicalSmiles,
        inchiKey: m.inchiKey,
        properties: m.properties,
        position: i,
        score: m.score,
        t: null,
        meta: { similarityToSeed: m.similarityToSeed, feasible: m.feasible, foundAtCall: m.foundAtCall },
      }));
      const stats = {
        seedScore: outcome.seedScore, oracleCalls: outcome.oracleCalls, decodes: outcome.decodes, invalidDecodes: outcome.invalidDecodes,
        generations: outcome.generations, stopReason: outcome.stopReason, best: outcome.ranked[0]?.score ?? null,
      };
      return { result: { seed, outcome }, items, stats };
    });
  }

  /** Create the run row, execute, store candidates and complete the run (FAILED with the message on error). */
  private async recorded<T>(
    kind: string,
    params: object,
    seed: number,
    body: () => Promise<{ result: T; items: Parameters<StorePort['addCandidates']>[1]; stats: unknown }>,
  ): Promise<T & { runId: string }> {
    const run = await this.store.createRun({ kind, params, modelVersion: this.model.modelVersion, seed });
    try {
      const { result, items, stats } = await body();
      await this.store.addCandidates(run.id, items);
      await this.store.completeRun(run.id, { status: 'SUCCEEDED', stats });
      return { ...result, runId: run.id };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.logger.warn(`${kind} run ${run.id} failed: ${message}`);
      await this.store.completeRun(run.id, { status: 'FAILED', error: message });
      throw err;
    }
  }
}
