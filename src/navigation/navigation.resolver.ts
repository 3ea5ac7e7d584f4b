import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { BadRequestException } from '@nestjs/common';
import { LIMITS } from '../config/config';
import { InterpolateInput, OptimizeInput, SampleNeighboursInput, TraverseInput } from './dto/navigation.inputs';
import {
  InterpolationResult, NeighbourResult, ObjectiveKind, OptimizationResult, PropertyDirectionSet, TraverseResult,
} from './models/navigation.models';
import {
  toDecodingChoice, toInterpolationResult, toNeighbourResult, toOptimizationResult, toPropertyDirectionSet, toTraverseResult,
} from './navigation.mappers';
import { NavigationService } from './navigation.service';

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
      'Property-guided search in latent space around a seed molecule (sep-CMA-ES on z, greedy decoding, RDKit scoring) ' +
      'within a budget of oracle calls (distinct valid molecules scored). Stores an OPTIMIZE run with the top-K. ' +
      'Errors: INVALID_SMILES, UNKNOWN_MOLECULE_NAME, MOLECULE_OUT_OF_DOMAIN, BAD_USER_INPUT.',
  })
  async optimize(@Args('input') input: OptimizeInput): Promise<OptimizationResult> {
    if (input.objective.kind === ObjectiveKind.CLOGP_TARGET && input.objective.target === undefined) {
      throw new BadRequestException('objective.target is required for CLOGP_TARGET');
    }
    const r = await this.navigation.optimize({
      seed: input.seed,
      objective: { kind: input.objective.kind, target: input.objective.target ?? undefined },
      minSimilarity: input.constraints?.minSimilarity ?? 0,
      budget: input.budget,
      sigma: input.sigma,
      topK: input.topK,
      randomSeed: input.randomSeed,
    });
    return toOptimizationResult(r.runId, r.seed, input.objective.kind, r.outcome, this.navigation.modelVersion);
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
