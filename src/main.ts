import 'reflect-metadata';
import { Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { APP_CONFIG, AppConfig } from './config/config';

/** Global pipe: class-validator bounds on every GraphQL input; unknown properties are rejected. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({ transform: true, forbidUnknownValues: true, stopAtFirstError: false });
}

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, { bufferLogs: false });
  app.useGlobalPipes(validationPipe());
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
