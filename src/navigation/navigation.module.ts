import { Module } from '@nestjs/common';
import { ChemModule } from '../chem/chem.module';
import { ChemService } from '../chem/chem.service';
import { ModelModule } from '../model/model.module';
import { ModelService } from '../model/model.service';
import { ScoringModule } from '../scoring/scoring.module';
import { ScoringService } from '../scoring/scoring.service';
import { StoreService } from '../store/store.service';
import { NavigationResolver } from './navigation.resolver';
import { NavigationService } from './navigation.service';
import { JobsService } from '../jobs/jobs.service';
import { CHEM_PORT, JOBS_PORT, MODEL_PORT, SCORING_PORT, STORE_PORT } from './ports';

/** Binds the navigation ports to the chemistry, model and store services. */
@Module({
  imports: [ChemModule, ModelModule, ScoringModule],
  providers: [
    NavigationService,
    NavigationResolver,
    { provide: CHEM_PORT, useExisting: ChemService },
    { provide: MODEL_PORT, useExisting: ModelService },
    { provide: STORE_PORT, useExisting: StoreService },
    { provide: SCORING_PORT, useExisting: ScoringService },
    { provide: JOBS_PORT, useExisting: JobsService },
  ],
})
export class NavigationModule {}
