import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description:
    'State of a run as pushed by the runProgress subscription: on start, on each progress write (at most every ~500 ms), ' +
    'on a cancel request, and a last event with the terminal status (final: true), after which the subscription completes.',
})
export class RunProgress {
  @Field(() => ID)
  runId!: string;

  @Field({ description: 'QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED or INTERRUPTED (PENDING for older rows).' })
  status!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Latest progress as a JSON object of numbers, strings and nulls (e.g. {"oracleCalls":120,"budget":200,"bestScore":0.81,"generation":14}).',
  })
  progress!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the progress was reported.' })
  progressAt!: Date | null;

  @Field({ description: 'A cancellation was requested (cancelRun).' })
  cancelRequested!: boolean;

  @Field(() => String, { nullable: true, description: 'Error message (FAILED) or reason (CANCELLED, INTERRUPTED).' })
  error!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  startedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  finishedAt!: Date | null;

  @Field({ description: 'True for the last event (terminal status); the subscription completes after it.' })
  final!: boolean;
}
