import { DynamicModule, Module } from '@nestjs/common';
import { MODEL_OPTIONS, ModelService, ModelServiceOptions, modelOptionsFromEnv } from './model.service';

/**
 * Provides {@link ModelService}. Imported as is, it reads its options from the environment (MOLNAV_MODEL_DIR,
 * MOLNAV_DEVICE, MOLNAV_ORT_THREADS, MOLNAV_MAX_BATCH); `ModelModule.forRoot(options)` sets them explicitly (tests).
 */
@Module({
  providers: [{ provide: MODEL_OPTIONS, useFactory: () => modelOptionsFromEnv() }, ModelService],
  exports: [ModelService],
})
export class ModelModule {
  /** ModelModule with explicit options instead of the environment. */
  static forRoot(options: ModelServiceOptions): DynamicModule {
    return {
      module: ModelModule,
      providers: [{ provide: MODEL_OPTIONS, useValue: options }, ModelService],
      exports: [ModelService],
    };
  }
}
