import 'reflect-metadata';
import { Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureHttpLimits } from './auth/http-limits';
import { APP_CONFIG, AppConfig } from './config/config';
import { PinoNestLogger } from './observability';

/** Global pipe: class-validator bounds on every GraphQL input; unknown properties are rejected. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({ transform: true, forbidUnknownValues: true, stopAtFirstError: false });
}

async function bootstrap(): Promise<void> {
  // Logs written during start-up are buffered until pino takes over Nest's logger (docs/observability.md).
  const app = await NestFactory.create(AppModule, { bufferLogs: true });
  app.useLogger(app.get(PinoNestLogger));
  app.useGlobalPipes(validationPipe());
  configureHttpLimits(app); // body-size limit (413), trust proxy: docs/security.md
  app.enableShutdownHooks();
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.listen(config.port, config.host);
  new Logger('molnav').log(`GraphQL ready at http://${config.host}:${config.port}/graphql`);
}

if (require.main === module) {
  bootstrap().catch((err) => {
    // eslint-disable-next-line no-console
    console.error(err);
    process.exit(1);
  });
}
