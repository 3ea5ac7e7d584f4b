import { Args, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { HIGHLIGHT_DESCRIPTION, MoleculesService } from '../molecules/molecules.service';
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

  @Query(() => Candidate, { description: 'A stored candidate by id (the ids of runs, candidates and library entries). Errors: NOT_FOUND.' })
  candidate(@Args('id', { type: () => ID }) id: string): Promise<Candidate> {
    return this.service.candidate(id);
  }

  @ResolveField(() => String, { description: 'SVG depiction (RDKit). Errors: INVALID_SMARTS (highlight), LIMIT_EXCEEDED (size).' })
  svg(
    @Parent() c: Candidate,
    @Args('width', { type: () => Int, defaultValue: 300, description: 'Pixels, 50..1000.' }) width: number,
    @Args('height', { type: () => Int, defaultValue: 200, description: 'Pixels, 50..1000.' }) height: number,
    @Args('highlight', { type: () => String, nullable: true, description: HIGHLIGHT_DESCRIPTION }) highlight: string | null,
  ): string {
    return this.molecules.svg(c.canonicalSmiles, width, height, highlight);
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
