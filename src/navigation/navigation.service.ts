import { Inject, Injectable, Logger } from '@nestjs/common';
import { BadUserInputError, DirectionsUnavailableError, NotFoundError } from '../common/errors';
import { LIMITS } from '../config/config';
import type { PropertyDirections } from '../model/directions';
import { Rng } from '../model/rng';
import { DecodingChoice } from './decoding-choice';
import { interpolate, InterpolationOutcome } from './interpolation';
import { InterpolationKind } from './latent';
import { checkNeighbourOptions, NeighbourOptions, NeighbourOutcome, sampleNeighbours } from './neighbours';
import { ObjectiveName, presetObjective } from './objective';
import { AskedMolecule, AskTellState, asSessionState, startSession, tellSession } from './ask-tell';
import { optimize, OptimizationOutcome, OptimizationProgress, ScoredMolecule } from './optimization';
import type { OptimizerKind } from '../optim/factory';
import { fitnessOf, ScoreResult } from '../scoring/engine';
import type { ScoringSpec } from '../scoring/spec';
import {
  CHEM_PORT, ChemPort, JobContextLike, JOBS_PORT, JobsPort, MODEL_PORT, ModelPort, MolecularPropertiesLike, ResolvedMolecule, SCORING_PORT, ScoringPort, STORE_PORT, StoredCandidate, StorePort,
} from './ports';
import { checkTraverseOptions, traverse, TraverseOptions, TraverseOutcome } from './traverse';
import { Admission, admissionOptionsFromEnv } from './admission';

export interface InterpolateRequest {
  from: string;
  to: string;
  steps: number;
  method: InterpolationKind;
  seed: number;
  /** Beam search with this many beams per path point (1..10); null or absent: greedy. */
  beamWidth?: number | null;
}

export interface OptimizeRequest {
  /** Seed molecule (SMILES or approved-drug name); null = start from prior samples (or from `seeds`). */
  seed: string | null;
  /** Further seed molecules: one more optimiser start at each latent mean. */
  seeds: string[];
  /** A preset objective, or null when `scoring` is given. */
  objective: { preset: ObjectiveName; target: number | null } | null;
  /** A scoring-language objective as JSON (validated here), or null when `objective` is given. */
  scoring: unknown;
  /** Minimum ECFP4 Tanimoto to the seed (0 = none; needs a seed). */
  minSimilarity: number;
  optimizer: OptimizerKind;
  budget: number;
  sigma: number;
  topK: number;
  randomSeed: number;
  population: number | null;
  patience: number | null;
}

/** A ranked optimisation result with the chemistry needed to store and show it. */
export interface DescribedMolecule extends ScoredMolecule {
  inchiKey: string | null;
  properties: MolecularPropertiesLike;
}

export interface OptimizeOutcome extends Omit<OptimizationOutcome, 'ranked'> {
  ranked: DescribedMolecule[];
  seedScore: ScoreResult | null;
}

export interface AskTellStartRequest {
  /** Seed molecules (SMILES or approved-drug names); empty = random prior starts. */
  seeds: string[];
  optimizer: OptimizerKind;
  sigma: number;
  population: number | null;
  priorStarts: number;
  randomSeed: number;
  /** Free-text description of the client's objective, stored with the run. */
  objective: string | null;
}

/** A batch of an ask/tell session as the API returns it. */
export interface AskTellBatch {
  runId: string;
  version: number;
  molecules: AskedMolecule[];
  told: number;
  best: Array<{ smiles: string; score: number }>;
}

export interface NeighboursRequest {
  /** SMILES or approved-drug name. */
  molecule: string;
  count: number;
  /** Initial noise radius, latent units. */
  radius: number;
  minTanimoto: number | null;
  maxTanimoto: number | null;
  decoding: DecodingChoice;
  seed: number;
}

export interface TraverseRequest {
  /** SMILES or approved-drug name. */
  molecule: string;
  /** Property key of the model's directions.json, e.g. 'tpsa'. */
  property: string;
  /** Signed distance along the direction, latent units. */
  distance: number;
  steps: number;
  decoding: DecodingChoice;
  seed: number;
}

/**
 * Latent navigation: interpolation, optimisation, neighbour sampling and property traversal, each recorded as a stored run with its candidates.
 * A failure after the run row is created marks the run FAILED (with the message) and rethrows.
 */
@Injectable()
export class NavigationService {
  private readonly logger = new Logger(NavigationService.name);
  /** Admission control of the model-bound operations (src/navigation/admission.ts). */
  private readonly admission = new Admission(admissionOptionsFromEnv());

  constructor(
    @Inject(CHEM_PORT) private readonly chem: ChemPort,
    @Inject(MODEL_PORT) private readonly model: ModelPort,
    @Inject(STORE_PORT) private readonly store: StorePort,
    @Inject(SCORING_PORT) private readonly scoring: ScoringPort,
    @Inject(JOBS_PORT) private readonly jobs: JobsPort,
  ) {
    this.jobs.registerHandler('OPTIMIZE', (run, ctx) => this.runOptimizationJob(run, ctx));
  }

  get modelVersion(): string {
    return this.model.modelVersion;
  }

  /**
   * Decode the path between two molecules and store it as an INTERPOLATE run.
   * @throws InvalidSmilesError, UnknownMoleculeNameError (endpoints), OutOfVocabularyError (endpoint outside the
   * model's vocabulary)
   */
  async interpolate(req: InterpolateRequest): Promise<{ runId: string; from: ResolvedMolecule; to: ResolvedMolecule; outcome: InterpolationOutcome }> {
    const [fromRef, toRef] = [req.from, req.to].map((input) => this.chem.resolveMolecule(input));
    return this.recorded('INTERPOLATE', req, req.seed, async () => {
      const rng = new Rng(req.seed);
      const outcome = await interpolate(this.chem, this.scoring, this.model, fromRef, toRef,
        { steps: req.steps, method: req.method, seed: req.seed, maxAttempts: LIMITS.interpolationAttempts, beamWidth: req.beamWidth ?? undefined }, () => rng.normal());
      const { from, to } = outcome;
      const items = validPointsAsCandidates(outcome.path, () => null, (p) => ({
        source: p.source, attempts: p.attempts, tanimotoToFrom: p.tanimotoToFrom, tanimotoToTo: p.tanimotoToTo,
      }));
      const stats = { decodes: outcome.decodes, distinctIntermediates: outcome.distinctIntermediates, points: outcome.path.length };
      return { result: { from, to, outcome }, items, stats };
    });
  }

  /**
   * Optimise an objective (scoring language) in latent space, from a seed molecule's latent mean or, without a seed,
   * from the best prior samples, and store the top-K as an OPTIMIZE run.
   * @throws BadUserInputError (minSimilarity without a seed), InvalidSmilesError, UnknownMoleculeNameError,
   * OutOfVocabularyError
   */
  async optimize(req: OptimizeRequest): Promise<{ runId: string; seed: ResolvedMolecule | null; outcome: OptimizeOutcome }> {
    const { spec, seed, extra } = this.checkOptimize(req);
    return this.recorded('OPTIMIZE', { ...req, scoring: spec }, req.randomSeed, async () => this.optimizeBody(req, spec, seed, extra));
  }

  /**
   * Starts an optimisation as a background job and answers at once with the run id (status QUEUED, then RUNNING).
   * Progress (oracle calls, best score, generation) is written to the run about twice a second and published to
   * `runProgress` subscribers; `cancelRun` stops it between generations (CANCELLED, with the top-K found so far
   * stored). Input errors are thrown before the run exists, as for `optimize`.
   * @throws the same errors as `optimize`
   */
  async startOptimization(req: OptimizeRequest): Promise<{ runId: string }> {
    const { spec, seed, extra } = this.checkOptimize(req);
    const run = await this.store.createRun({
      kind: 'OPTIMIZE', params: { ...req, scoring: spec }, modelVersion: this.model.modelVersion, seed: req.randomSeed, status: 'QUEUED',
    });
    await this.jobs.enqueue({ id: run.id, kind: 'OPTIMIZE' });
    return { runId: run.id };
  }

  /**
   * Executes a queued OPTIMIZE run from its stored parameters (the request with its objective already in the scoring
   * language), here or in a worker process: progress twice a second, the top-K stored at the end.
   */
  private async runOptimizationJob(run: { id: string; params: unknown }, ctx: JobContextLike): Promise<unknown> {
    const stored = run.params as OptimizeRequest;
    const req: OptimizeRequest = { ...stored, objective: null };
    const { spec, seed, extra } = this.checkOptimize(req);
    const { items, stats } = await this.optimizeBody(req, spec, seed, extra, ctx.signal, (p) =>
      ctx.progress({
        oracleCalls: p.oracleCalls, budget: p.budget, decodes: p.decodes, invalidDecodes: p.invalidDecodes,
        generation: p.generation, bestScore: p.bestScore, bestSmiles: p.bestSmiles,
      }),
    );
    await this.store.addCandidates(run.id, items);
    return stats;
  }

  /**
   * Checks an optimisation request before any run row exists: exactly one objective, valid, and a seed when a
   * similarity constraint is asked for. Returns the objective in the scoring language and the resolved seed.
   */
  private checkOptimize(req: OptimizeRequest): { spec: ScoringSpec; seed: ResolvedMolecule | null; extra: ResolvedMolecule[] } {
    if ((req.objective === null) === (req.scoring === null || req.scoring === undefined)) {
      throw new BadUserInputError('give exactly one of objective (a preset) and scoring (a scoring-language objective)');
    }
    let spec: ScoringSpec;
    if (req.objective) {
      if (req.objective.preset === 'CLOGP_TARGET' && req.objective.target === null) throw new BadUserInputError('objective.target is required for CLOGP_TARGET');
      spec = presetObjective(req.objective.preset, req.objective.target ?? undefined);
    } else {
      spec = this.scoring.validate(req.scoring);
    }
    if (req.minSimilarity > 0 && req.seed === null) throw new BadUserInputError('constraints.minSimilarity needs a seed molecule');
    return { spec, seed: req.seed === null ? null : this.chem.resolve(req.seed), extra: req.seeds.map((x) => this.chem.resolve(x)) };
  }

  private async optimizeBody(
    req: OptimizeRequest,
    spec: ScoringSpec,
    seed: ResolvedMolecule | null,
    extra: ResolvedMolecule[],
    signal?: AbortSignal,
    onProgress?: (p: OptimizationProgress) => void,
  ): Promise<{ result: { seed: ResolvedMolecule | null; outcome: OptimizeOutcome }; items: StoredCandidate[]; stats: unknown }> {
    const rng = new Rng(req.randomSeed);
    const scorer = this.scoring.scorer(spec);
    const seedMolecules = [...(seed ? [seed] : []), ...extra];
    const starts: Float32Array[] = [];
    if (seedMolecules.length > 0) {
      const { mu } = await this.model.encode(seedMolecules.map((m) => m.canonicalSmiles));
      const n = this.model.latentDim;
      for (let i = 0; i < seedMolecules.length; i++) starts.push(mu.slice(i * n, (i + 1) * n));
    }
    // The seeds are scored first (not counted as oracle calls) and kept out of the results.
    const seedResults = seedMolecules.length > 0 ? await scorer.score(seedMolecules.map((m) => m.canonicalSmiles)) : [];
    const raw = await optimize(this.chem, this.model, scorer, {
      known: seedResults.map((r) => [r.canonicalSmiles, fitnessOf(r)] as [string, number]),
      optimizer: req.optimizer, budget: req.budget, sigma: req.sigma, topK: req.topK, starts, normal: () => rng.normal(), seed: req.randomSeed,
      population: req.population ?? undefined, patience: req.patience ?? undefined,
      seedSimilarity: seed && req.minSimilarity > 0 ? { fingerprint: this.chem.fingerprint(seed.canonicalSmiles), min: req.minSimilarity } : undefined,
      signal, onProgress,
    });
    const seedScore = seed ? seedResults[0] : null;
    const ranked = raw.ranked.map((m) => ({ ...m, ...this.chem.describe(m.canonicalSmiles) }));
    const outcome: OptimizeOutcome = { ...raw, ranked, seedScore };
    const items = ranked.map((m, i) => ({
      canonicalSmiles: m.canonicalSmiles,
      inchiKey: m.inchiKey,
      properties: m.properties,
      position: i,
      score: m.score,
      t: null,
      meta: {
        similarityToSeed: m.similarityToSeed, feasible: m.feasible, foundAtCall: m.foundAtCall, softScore: m.softScore,
        components: m.result.components.map((c) => ({ name: c.name, raw: Number.isFinite(c.raw) ? c.raw : null, value: c.value })),
      },
    }));
    const stats = {
      seedScore: seedScore?.score ?? null, oracleCalls: raw.oracleCalls, decodes: raw.decodes, invalidDecodes: raw.invalidDecodes,
      generations: raw.generations, stopReason: raw.stopReason, best: ranked[0]?.score ?? null,
    };
    return { result: { seed, outcome }, items, stats };
  }

  /**
   * Opens an ask/tell session (an ASK_TELL run) and proposes the first batch: the optimiser starts at the seed
   * molecules' latent means (or at random prior points) and each point is decoded and checked by RDKit.
   * @throws BadUserInputError, InvalidSmilesError, UnknownMoleculeNameError, OutOfVocabularyError
   */
  async askTellStart(req: AskTellStartRequest): Promise<AskTellBatch> {
    const seeds = req.seeds.map((s) => this.chem.resolve(s));
    return this.admission.run(() => this.askTellStartNow(req, seeds));
  }

  private async askTellStartNow(req: AskTellStartRequest, seeds: ResolvedMolecule[]): Promise<AskTellBatch> {
    const starts: Float32Array[] = [];
    if (seeds.length > 0) {
      const { mu } = await this.model.encode(seeds.map((s) => s.canonicalSmiles));
      for (let i = 0; i < seeds.length; i++) starts.push(mu.slice(i * this.model.latentDim, (i + 1) * this.model.latentDim));
    }
    const rng = new Rng(req.randomSeed);
    const state = await startSession(this.chem, this.model, {
      optimizer: req.optimizer, starts, priorStarts: req.priorStarts, sigma: req.sigma, population: req.population, seed: req.randomSeed,
      normal: () => rng.normal(),
    });
    const run = await this.store.createRun({ kind: 'ASK_TELL', params: req, modelVersion: this.model.modelVersion, seed: req.randomSeed });
    await this.store.saveRunState(run.id, state as unknown as Record<string, unknown>);
    return this.batchOf(run.id, state);
  }

  /**
   * Tells the scores of the pending batch of a session and proposes the next one. Newly scored molecules are stored
   * as candidates of the run (score = the client's score). Tells of one session are applied one at a time; a tell
   * that answers an older batch (`version`) is refused.
   * @throws NotFoundError (no such run), BadUserInputError (not an open ask/tell session, stale version, wrong number
   *   of scores, a score for an invalid decode)
   */
  async askTellTell(runId: string, scores: Array<number | null>, version: number | null): Promise<AskTellBatch> {
    return this.serialised(runId, async () => {
      const state = await this.openSession(runId);
      if (version !== null && version !== state.version) {
        throw new BadUserInputError(`stale batch: this tell answers version ${version}, the session is at version ${state.version}`, { version: state.version });
      }
      let outcome;
      try {
        outcome = await this.admission.run(() => tellSession(this.chem, this.model, state, scores));
      } catch (err) {
        if (err instanceof RangeError) throw new BadUserInputError(err.message);
        throw err;
      }
      if (!(await this.store.saveRunState(runId, outcome.state as unknown as Record<string, unknown>, state.version))) {
        throw new BadUserInputError('the session changed or closed during this tell; ask again');
      }
      if (outcome.scored.length > 0) {
        await this.store.addCandidates(runId, outcome.scored.map((m) => {
          const d = this.chem.describe(m.smiles);
          return { canonicalSmiles: m.smiles, inchiKey: d.inchiKey, properties: d.properties, position: m.order, score: m.score, t: null, meta: null };
        }));
      }
      return this.batchOf(runId, outcome.state);
    });
  }

  /** Closes a session: the run becomes SUCCEEDED with its best molecules as stats. @throws NotFoundError, BadUserInputError */
  async askTellFinish(runId: string): Promise<{ runId: string; status: string }> {
    return this.serialised(runId, async () => {
      const state = await this.openSession(runId);
      await this.store.completeRun(runId, { status: 'SUCCEEDED', stats: { told: state.told, best: state.best, batches: state.version } });
      return { runId, status: 'SUCCEEDED' };
    });
  }

  private async openSession(runId: string): Promise<AskTellState> {
    const run = await this.store.getRun(runId);
    if (!run) throw new NotFoundError('Run', runId);
    if (run.kind !== 'ASK_TELL') throw new BadUserInputError(`run ${runId} is a ${run.kind} run, not an ask/tell session`);
    if (run.status !== 'RUNNING') throw new BadUserInputError(`ask/tell session ${runId} is ${run.status}`);
    return asSessionState(await this.store.getRunState(runId));
  }

  private batchOf(runId: string, state: AskTellState): AskTellBatch {
    return { runId, version: state.version, molecules: state.pending, told: state.told, best: state.best };
  }

  private readonly sessionLocks = new Map<string, Promise<unknown>>();

  /** Runs `fn` after any earlier call for the same session has finished (one tell at a time per session). */
  private async serialised<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.sessionLocks.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(fn);
    this.sessionLocks.set(key, next);
    try {
      return await next;
    } finally {
      if (this.sessionLocks.get(key) === next) this.sessionLocks.delete(key);
    }
  }

  /**
   * Sample distinct valid neighbours around a molecule's latent mean and store them as a NEIGHBOURS run (position =
   * rank by Tanimoto, score = Tanimoto to the query). The attempt budget is LIMITS.neighbourDecodesPerResult x count
   * decodes; an incomplete result is not an error (`complete: false` with a message).
   * @throws BadUserInputError (options out of range, band min > max), InvalidSmilesError, UnknownMoleculeNameError,
   * OutOfVocabularyError
   */
  async sampleNeighbours(req: NeighboursRequest): Promise<{ runId: string; query: ResolvedMolecule; outcome: NeighbourOutcome }> {
    const opts: NeighbourOptions = {
      count: req.count, radius: req.radius, maxRadius: LIMITS.maxRadius, minTanimoto: req.minTanimoto, maxTanimoto: req.maxTanimoto,
      decoding: req.decoding, seed: req.seed, maxDecodes: LIMITS.neighbourDecodesPerResult * req.count,
    };
    if (req.count > LIMITS.maxNeighbours) throw new BadUserInputError(`count must be at most ${LIMITS.maxNeighbours}, got ${req.count}`);
    if (req.radius > LIMITS.maxRadius) throw new BadUserInputError(`radius must be at most ${LIMITS.maxRadius} latent units, got ${req.radius}`);
    checkNeighbourOptions(opts);
    const query = this.chem.resolve(req.molecule);
    return this.recorded('NEIGHBOURS', { ...req, maxDecodes: opts.maxDecodes }, req.seed, async () => {
      const rng = new Rng(req.seed);
      const outcome = await sampleNeighbours(this.chem, this.model, query, opts, () => rng.normal());
      const items = outcome.neighbours.map((n, i) => ({
        canonicalSmiles: n.canonicalSmiles,
        inchiKey: n.inchiKey,
        properties: n.properties,
        position: i,
        score: n.tanimoto,
        t: null,
        meta: { tanimoto: n.tanimoto, round: n.round, foundAtDecode: n.foundAtDecode },
      }));
      const { neighbours: _, ...stats } = outcome;
      return { result: { query, outcome }, items, stats };
    });
  }

  /** The loaded model's property directions, or null when it ships none. */
  propertyDirections(): PropertyDirections | null {
    return this.model.directions;
  }

  /**
   * Walk from a molecule's latent mean along a property direction, decode each point and store a TRAVERSE run with
   * the valid points (position = index, t, score = the property's actual value).
   * @throws BadUserInputError (distance or steps out of range, unknown property), DirectionsUnavailableError (the model
   * ships no directions.json), InvalidSmilesError, UnknownMoleculeNameError, OutOfVocabularyError
   */
  async traverse(req: TraverseRequest): Promise<{ runId: string; start: ResolvedMolecule; outcome: TraverseOutcome }> {
    const opts: TraverseOptions = {
      distance: req.distance, steps: req.steps, minSteps: LIMITS.minTraverseSteps, maxSteps: LIMITS.maxTraverseSteps,
      maxDistance: LIMITS.maxTraverseDistance, decoding: req.decoding, seed: req.seed,
    };
    checkTraverseOptions(opts);
    const directions = this.model.directions;
    if (!directions) throw new DirectionsUnavailableError(this.model.modelVersion);
    const direction = directions.properties.get(req.property);
    if (!direction) {
      const available = [...directions.properties.keys()];
      throw new BadUserInputError(`unknown property ${JSON.stringify(req.property)}; available: ${available.join(', ')}`, { available });
    }
    const start = this.chem.resolve(req.molecule);
    return this.recorded('TRAVERSE', req, req.seed, async () => {
      const outcome = await traverse(this.chem, this.model, start, direction, opts);
      const items = validPointsAsCandidates(outcome.points, (p) => p.value, (p) => ({
        offset: p.offset, predicted: p.predicted, tanimotoToStart: p.tanimotoToStart, distinct: p.distinct,
      }));
      const stats = {
        property: direction.property, slope: direction.slope, startValue: outcome.startValue, decodes: outcome.decodes,
        validPoints: outcome.validPoints, distinctValidPoints: outcome.distinctValidPoints, spearman: outcome.spearman,
        monotonic: outcome.monotonic, directionsCreated: directions.created,
      };
      return { result: { start, outcome }, items, stats };
    });
  }

  /** Create the run row, execute, store candidates and complete the run (FAILED with the message on error). */
  private recorded<T>(
    kind: string,
    params: object,
    seed: number,
    body: () => Promise<{ result: T; items: Parameters<StorePort['addCandidates']>[1]; stats: unknown }>,
  ): Promise<T & { runId: string }> {
    // The run row is created once the operation is admitted, so a waiting request leaves no RUNNING row behind.
    return this.admission.run(() => this.recordedNow(kind, params, seed, body));
  }

  private async recordedNow<T>(
    kind: string,
    params: object,
    seed: number,
    body: () => Promise<{ result: T; items: Parameters<StorePort['addCandidates']>[1]; stats: unknown }>,
  ): Promise<T & { runId: string }> {
    const run = await this.store.createRun({ kind, params, modelVersion: this.model.modelVersion, seed });
    try {
      const { result, items, stats } = await body();
      await this.store.completeRunWithCandidates(run.id, items, { status: 'SUCCEEDED', stats });
      return { ...result, runId: run.id };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.logger.warn(`${kind} run ${run.id} failed: ${message}`);
      await this.store.completeRun(run.id, { status: 'FAILED', error: message });
      throw err;
    }
  }
}

/** A decoded path point as interpolate and traverse return it: a molecule, or null where the decode was invalid. */
interface PathPointLike {
  canonicalSmiles: string | null;
  inchiKey: string | null;
  properties: MolecularPropertiesLike | null;
  index: number;
  t: number;
}

/** The valid points of a path as candidates to store, in path order, with a score and metadata per point. */
function validPointsAsCandidates<P extends PathPointLike>(
  points: readonly P[],
  score: (p: P) => number | null,
  meta: (p: P) => unknown,
): StoredCandidate[] {
  return points
    .filter((p) => p.canonicalSmiles !== null && p.properties !== null)
    .map((p) => ({
      canonicalSmiles: p.canonicalSmiles as string,
      inchiKey: p.inchiKey,
      properties: p.properties as MolecularPropertiesLike,
      position: p.index,
      t: p.t,
      score: score(p),
      meta: meta(p),
    }));
}
