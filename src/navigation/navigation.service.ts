import { Inject, Injectable, Logger } from '@nestjs/common';
import { BadUserInputError, DirectionsUnavailableError } from '../common/errors';
import { LIMITS } from '../config/config';
import type { PropertyDirections } from '../model/directions';
import { Rng } from '../model/rng';
import { DecodingChoice } from './decoding-choice';
import { interpolate, InterpolationOutcome } from './interpolation';
import { InterpolationKind } from './latent';
import { checkNeighbourOptions, NeighbourOptions, NeighbourOutcome, sampleNeighbours } from './neighbours';
import { ObjectiveSpec } from './objective';
import { optimize, OptimizationOutcome } from './optimization';
import { CHEM_PORT, ChemPort, MODEL_PORT, ModelPort, MolecularPropertiesLike, ResolvedMolecule, STORE_PORT, StoredCandidate, StorePort } from './ports';
import { checkTraverseOptions, traverse, TraverseOptions, TraverseOutcome } from './traverse';

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
      const items = validPointsAsCandidates(outcome.path, () => null, (p) => ({
        source: p.source, attempts: p.attempts, tanimotoToFrom: p.tanimotoToFrom, tanimotoToTo: p.tanimotoToTo,
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
