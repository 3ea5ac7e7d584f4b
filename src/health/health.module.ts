import { Module } from '@nestjs/common';
import { ChemModule } from '../chem/chem.module';
import { ModelModule } from '../model/model.module';
import { HealthController } from './health.controller';

/** Liveness and readiness endpoints (`/health/live`, `/health/ready`). */
@Module({
  imports: [ChemModule, ModelModule],
  controllers: [HealthController],
})
export class HealthModule {}
