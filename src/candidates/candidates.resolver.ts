import { Args, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CandidatesService } from './candidates.service';
import { CandidatesArgs } from './dto/candidates.args';
import { Candidate, CandidateConnection, Run, RunCandidate } from './models/candidate.models';

@Resolver(() => Candidate)
export class CandidatesResolver {
  constructor(private readonly candidates: CandidatesService) {}

  @Query(() => CandidateConnection, {
    description:
      'Stored candidates, paginated with cursors (Relay style); filter by run and property ranges, order by any property. ' +
      'Errors: INVALID_CURSOR, BAD_USER_INPUT (page size out of range).',
  })
  candidates(@Args() args: CandidatesArgs): Promise<CandidateConnection> {
    return this.candidates.list(args);
  }
}

@Resolver(() => Run)
export class RunsResolver {
  constructor(private readonly candidates: CandidatesService) {}

  @Query(() => Run, { description: 'A stored run by id. Errors: NOT_FOUND.' })
  run(@Args('id', { type: () => ID }) id: string): Promise<Run> {
    return this.candidates.run(id);
  }

  @ResolveField(() => [RunCandidate], { description: "The run's candidates in path or rank order." })
  candidates(@Parent() run: Run): Promise<RunCandidate[]> {
    return this.candidates.runCandidates(run.id);
  }
}
