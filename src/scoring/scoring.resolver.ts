import { Args, ArgsType, Field, Query, Resolver } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsString, MaxLength } from 'class-validator';
import { LIMITS } from '../config/config';
import { ScoringInput, toPlainSpec } from './dto/scoring.inputs';
import { MoleculeScore, ScoringComponentInfo } from './models/scoring.models';
import { ScoringService } from './scoring.service';

@ArgsType()
class ScoreMoleculesArgs {
  @Field(() => ScoringInput, { description: 'The objective (scoring language).' })
  objective!: ScoringInput;

  @Field(() => [String], { description: `SMILES to score (at most ${LIMITS.maxFilterBatch}, each at most ${LIMITS.maxInputLength} characters).` })
  @IsArray()
  @ArrayMaxSize(LIMITS.maxFilterBatch)
  @IsString({ each: true })
  @MaxLength(LIMITS.maxInputLength, { each: true })
  smiles!: string[];
}

@Resolver()
export class ScoringResolver {
  constructor(private readonly scoring: ScoringService) {}

  @Query(() => [ScoringComponentInfo], { description: 'The component kinds of the scoring language, with units, ranges, parameters and sources.' })
  scoringComponents(): ScoringComponentInfo[] {
    return this.scoring.components();
  }

  @Query(() => [MoleculeScore], {
    description: 'Score molecules with an objective of the scoring language (RDKit in worker threads). Errors: INVALID_OBJECTIVE, LIMIT_EXCEEDED; invalid SMILES come back with valid: false and the reason.',
  })
  async scoreMolecules(@Args() args: ScoreMoleculesArgs): Promise<MoleculeScore[]> {
    const spec = this.scoring.validate(toPlainSpec(args.objective));
    const scored = await this.scoring.scoreMany(spec, args.smiles);
    return scored.map((s) => ({
      input: s.input,
      canonicalSmiles: s.canonicalSmiles,
      valid: s.canonicalSmiles !== null,
      reason: s.reason,
      score: s.result?.score ?? null,
      softScore: s.result?.softScore ?? null,
      feasible: s.result?.feasible ?? null,
      components: (s.result?.components ?? []).map((c) => ({ name: c.name, raw: Number.isFinite(c.raw) ? c.raw : null, value: c.value, weight: c.weight })),
      constraints: (s.result?.constraints ?? []).map((c) => ({ name: c.name, raw: Number.isFinite(c.raw) ? c.raw : null, satisfied: c.satisfied })),
    }));
  }
}
