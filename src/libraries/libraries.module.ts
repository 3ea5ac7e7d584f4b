import { Module } from '@nestjs/common';
import { ChemModule } from '../chem/chem.module';
import { LibrariesController, RestErrorFilter } from './libraries.controller';
import { LibrariesResolver } from './libraries.resolver';
import { LibrariesService } from './libraries.service';

/**
 * Named candidate libraries (docs/libraries.md): GraphQL queries and mutations, and the CSV/SDF export route. Uses
 * the global StoreModule (LibraryStore) and the chemistry layer.
 */
@Module({
  imports: [ChemModule],
  providers: [LibrariesService, LibrariesResolver, RestErrorFilter],
  controllers: [LibrariesController],
})
export class LibrariesModule {}
