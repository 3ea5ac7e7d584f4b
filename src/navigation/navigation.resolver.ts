import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { BadRequestException } from '@nestjs/common';
import { InterpolateInput, OptimizeInput } from './dto/navigation.inputs';
import { InterpolationResult, ObjectiveKind, OptimizationResult } from './models/navigation.models';
import { toInterpolationResult, toOptimizationResult } from './navigation.mappers';
import { NavigationService } from './navigation.service';

/** GraphQL entry points of latent navigation. Mutations, because each call stores a run and its candidates. */
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
}
