import { Args, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { MoleculesService } from '../molecules/molecules.service';
import { CandidatesService } from './candidates.service';
import { CandidatesArgs } from './dto/candidates.args';
import { Candidate, CandidateConnection, Run, RunCandidate } from './models/candidate.models';

@Resolver(() => Candidate)
export class CandidatesResolver {
  constructor(
    private readonly service: CandidatesService,
    private readonly molecules: MoleculesService,
  ) {}

  @Query(() => CandidateConnection, {
    description:
      'Stored candidates, paginated with cursors (Relay style); filter by run and property ranges, order by any property. ' +
      'Errors: INVALID_CURSOR, BAD_USER_INPUT (page size out of range).',
  })
  candidates(@Args() args: CandidatesArgs): Promise<CandidateConnection> {
    return this.service.list(args);
  }

  @ResolveField(() => String, { description: 'SVG depiction (RDKit).' })
  svg(
    @Parent() c: Candidate,
    @Args('width', { type: () => Int, defaultValue: 300, description: 'Pixels, 50..1000.' }) width: number,
    @Args('height', { type: () => Int, defaultValue: 200, description: 'Pixels, 50..1000.' }) height: number,
  ): string {
    return this.molecules.svg(c.canonicalSmiles, width, height);
  }
}

@Resolver(() => Run)
export class RunsResolver {
  constructor(private readonly service: CandidatesService) {}

  @Query(() => Run, { description: 'A stored run by id. Errors: NOT_FOUND.' })
  run(@Args('id', { type: () => ID }) id: string): Promise<Run> {
    return this.service.run(id);
  }

  @ResolveField(() => [RunCandidate], { description: "The run's candidates in path or rank order." })
  candidates(@Parent() run: Run): Promise<RunCandidate[]> {
    return this.service.runCandidates(run.id);
  }
}
