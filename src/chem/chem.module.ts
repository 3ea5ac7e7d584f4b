import { Module } from '@nestjs/common';
import { ChemService } from './chem.service';

/** Provides `ChemService` (RDKit WASM, QED/SA tables, approved-drug names), initialised in `onModuleInit`. */
@Module({
  providers: [ChemService],
  exports: [ChemService],
})
export class ChemModule {}
