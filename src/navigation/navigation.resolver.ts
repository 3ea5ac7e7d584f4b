import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { LIMITS } from '../config/config';
import { AskTellStartInput, AskTellTellInput, InterpolateInput, OptimizeInput, SampleNeighboursInput, TraverseInput } from './dto/navigation.inputs';
import {
  AskTellBatch, InterpolationResult, NeighbourResult, OptimizationJob, OptimizationResult, PropertyDirectionSet, TraverseResult,
} from './models/navigation.models';
import {
  toDecodingChoice, toInterpolationResult, toNeighbourResult, toOptimizationResult, toPropertyDirectionSet, toTraverseResult,
} from './navigation.mappers';
import { NavigationService, OptimizeRequest } from './navigation.service';
import { toPlainSpec } from '../scoring/dto/scoring.inputs';

/**
 * GraphQL entry points of latent navigation. Mutations, because each call stores a run and its candidates;
 * propertyDirections is a query (it reads the loaded model's directions.json).
 */
@Resolver()
export class NavigationResolver {
  constructor(private readonly navigation: NavigationService) {}

  @Mutation(() => InterpolationResult, {
    description:
      'Decode the latent path between two molecules (SMILES or approved-drug names). Invalid decodes are filtered ' +
      'with RDKit and retried so intermediates are valid and distinct. Stores an INTERPOLATE run and its valid points. ' +
      'Errors: INVALID_SMILES, UNKNOWN_MOLECULE_NAME, MOLECULE_OUT_OF_DOMAIN, BAD_USER_INPUT (steps out of range).',
  })
  async interpolate(@Args('input') input: InterpolateInput): Promise<InterpolationResult> {
    const r = await this.navigation.interpolate(input);
    return toInterpolationResult(r.runId, r.from, r.to, input.method, r.outcome, this.navigation.modelVersion);
  }

  @Mutation(() => OptimizationResult, {
    description:
      'Objective-guided search in latent space (ask/tell optimiser on z, greedy decoding, RDKit scoring in worker threads) within a ' +
      'budget of oracle calls (distinct valid molecules scored), from a seed molecule or from prior samples. Waits for the result; ' +
      'use startOptimization for a background job. Stores an OPTIMIZE run with the top-K. ' +
      'Errors: INVALID_OBJECTIVE, INVALID_SMILES, UNKNOWN_MOLECULE_NAME, MOLECULE_OUT_OF_DOMAIN, BAD_USER_INPUT.',
  })
  async optimize(@Args('input') input: OptimizeInput): Promise<OptimizationResult> {
    const r = await this.navigation.optimize(this.optimizeRequest(input));
    return toOptimizationResult(r.runId, r.seed, input.objective?.kind ?? null, input.optimizer, r.outcome, this.navigation.modelVersion);
  }

  @Mutation(() => OptimizationJob, {
    description:
      'Start an optimisation (same input as optimize) as a background job and answer at once with the run id. Progress: run(id) ' +
      '{ status progress } or the runProgress subscription (graphql-ws); cancelRun(id) stops it; candidates(runId) lists the ' +
      'top-K when it has finished. After a service restart an unfinished run reads INTERRUPTED. Errors (before the job starts): as optimize.',
  })
  async startOptimization(@Args('input') input: OptimizeInput): Promise<OptimizationJob> {
    const { runId } = await this.navigation.startOptimization(this.optimizeRequest(input));
    return { runId, status: 'QUEUED' };
  }

  @Mutation(() => AskTellBatch, {
    description:
      'Open an ask/tell session (stored as an ASK_TELL run) and get the first batch of proposed molecules. Score them with your ' +
      'own tools and send the scores with askTellTell. Errors: INVALID_SMILES, UNKNOWN_MOLECULE_NAME, MOLECULE_OUT_OF_DOMAIN, BAD_USER_INPUT.',
  })
  async askTellStart(@Args('input') input: AskTellStartInput): Promise<AskTellBatch> {
    return this.navigation.askTellStart({
      seeds: input.seeds, optimizer: input.optimizer, sigma: input.sigma, population: input.population ?? null,
      priorStarts: input.priorStarts, randomSeed: input.randomSeed, objective: input.objective ?? null,
    });
  }

  @Mutation(() => AskTellBatch, {
    description:
      'Tell the scores of the last batch (higher is better; null where invalid, unscored or already known) and get the next batch. ' +
      'Scored molecules are stored as candidates of the run. Errors: NOT_FOUND, BAD_USER_INPUT (closed session, stale version, wrong count).',
  })
  async askTellTell(@Args('input') input: AskTellTellInput): Promise<AskTellBatch> {
    return this.navigation.askTellTell(input.runId, input.scores, input.version ?? null);
  }

  @Mutation(() => OptimizationJob, { description: 'Close an ask/tell session: its run becomes SUCCEEDED. Errors: NOT_FOUND, BAD_USER_INPUT.' })
  async askTellFinish(@Args('runId', { type: () => ID }) runId: string): Promise<OptimizationJob> {
    return this.navigation.askTellFinish(runId);
  }

  /** The service request of an OptimizeInput (objective checks happen in the service). */
  private optimizeRequest(input: OptimizeInput): OptimizeRequest {
    return {
      seed: input.seed ?? null,
      seeds: input.seeds ?? [],
      objective: input.objective ? { preset: input.objective.kind, target: input.objective.target ?? null } : null,
      scoring: input.scoring ? toPlainSpec(input.scoring) : null,
      minSimilarity: input.constraints?.minSimilarity ?? 0,
      optimizer: input.optimizer, budget: input.budget, sigma: input.sigma, topK: input.topK, randomSeed: input.randomSeed,
      population: input.population ?? null, patience: input.patience ?? null,
    };
  }

  @Mutation(() => NeighbourResult, {
    description:
      'Sample distinct valid molecules around a molecule (SMILES or approved-drug name): z = mu + radius x eps, eps ~ N(0, I), ' +
      'decoded in batched rounds until `count` neighbours are found or ' + `${LIMITS.neighbourDecodesPerResult} x count decodes are spent ` +
      '(then complete: false). Invalid decodes, duplicates and the query itself are dropped; an optional ECFP4 Tanimoto band ' +
      'rejects neighbours outside it and adapts the radius between rounds. Stores a NEIGHBOURS run with the neighbours. ' +
      'Errors: INVALID_SMILES, UNKNOWN_MOLECULE_NAME, MOLECULE_OUT_OF_DOMAIN, BAD_USER_INPUT (count, radius, band, decoding out of range).',
  })
  async sampleNeighbours(@Args('input') input: SampleNeighboursInput): Promise<NeighbourResult> {
    const decoding = toDecodingChoice(input.decoding);
    const band = { minTanimoto: input.minTanimoto ?? null, maxTanimoto: input.maxTanimoto ?? null };
    const r = await this.navigation.sampleNeighbours({ molecule: input.molecule, count: input.count, radius: input.radius, ...band, decoding, seed: input.seed });
    return toNeighbourResult(r.runId, r.query, r.outcome, band, decoding, this.navigation.modelVersion);
  }

  @Query(() => PropertyDirectionSet, {
    description: 'The property directions shipped with the loaded model (directions.json): label, unit, slope, held-out R² and Spearman, how they were fitted.',
  })
  propertyDirections(): PropertyDirectionSet {
    return toPropertyDirectionSet(this.navigation.propertyDirections(), this.navigation.modelVersion);
  }

  @Mutation(() => TraverseResult, {
    description:
      'Walk from a molecule (SMILES or approved-drug name) along a property direction: z_i = mu + (i / steps) x distance x d for ' +
      'i = 0..steps, each point decoded (greedy by default) and checked by RDKit, with the actual and the predicted property, ' +
      'Tanimoto to the start, and the Spearman correlation of the property with the offset. Stores a TRAVERSE run with the valid points. ' +
      'Errors: DIRECTIONS_UNAVAILABLE (the model ships no directions.json), BAD_USER_INPUT (unknown property, distance or steps out of range), ' +
      'INVALID_SMILES, UNKNOWN_MOLECULE_NAME, MOLECULE_OUT_OF_DOMAIN.',
  })
  async traverse(@Args('input') input: TraverseInput): Promise<TraverseResult> {
    const decoding = toDecodingChoice(input.decoding);
    const r = await this.navigation.traverse({
      molecule: input.molecule, property: input.property, distance: input.distance, steps: input.steps, decoding, seed: input.seed,
    });
    return toTraverseResult(r.runId, r.start, input.distance, input.steps, decoding, r.outcome, this.navigation.modelVersion);
  }
}
