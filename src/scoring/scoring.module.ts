import { Module } from '@nestjs/common';
import { ChemModule } from '../chem/chem.module';
import { ScoringResolver } from './scoring.resolver';
import { ScoringService } from './scoring.service';

/** The scoring language: validation, component listing, batch scoring in worker threads. */
@Module({
  imports: [ChemModule],
  providers: [ScoringService, ScoringResolver],
  exports: [ScoringService],
})
export class ScoringModule {}
