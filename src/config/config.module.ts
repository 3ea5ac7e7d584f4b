import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, loadConfig } from './config';

/** Provides the typed configuration (read once from the environment) as APP_CONFIG. */
@Global()
@Module({ providers: [{ provide: APP_CONFIG, useFactory: () => loadConfig() }], exports: [APP_CONFIG] })
export class ConfigModule {}
