import { Module } from '@nestjs/common';
import { ChemModule } from '../chem/chem.module';
import { MoleculesResolver } from './molecules.resolver';
import { MoleculesService } from './molecules.service';

@Module({ imports: [ChemModule], providers: [MoleculesService, MoleculesResolver], exports: [MoleculesService] })
export class MoleculesModule {}
