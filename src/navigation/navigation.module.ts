import { Module } from '@nestjs/common';
import { ChemModule } from '../chem/chem.module';
import { ChemService } from '../chem/chem.service';
import { ModelModule } from '../model/model.module';
import { ModelService } from '../model/model.service';
import { StoreService } from '../store/store.service';
import { NavigationResolver } from './navigation.resolver';
import { NavigationService } from './navigation.service';
import { CHEM_PORT, MODEL_PORT, STORE_PORT } from './ports';

/** Binds the navigation ports to the chemistry, model and store services. */
@Module({
  imports: [ChemModule, ModelModule],
  providers: [
    NavigationService,
    NavigationResolver,
    { provide: CHEM_PORT, useExisting: ChemService },
    { provide: MODEL_PORT, useExisting: ModelService },
    { provide: STORE_PORT, useExisting: StoreService },
  ],
})
export class NavigationModule {}
