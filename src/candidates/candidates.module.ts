import { Module } from '@nestjs/common';
import { MoleculesModule } from '../molecules/molecules.module';
import { CandidatesResolver, RunsResolver } from './candidates.resolver';
import { CandidatesService } from './candidates.service';

@Module({ imports: [MoleculesModule], providers: [CandidatesService, CandidatesResolver, RunsResolver] })
export class CandidatesModule {}
