import { DynamicModule, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where `npm run build:web` writes the workbench (vite, src/web/vite.config.ts): dist/web under the repository root,
 * found from this file whether it runs compiled (dist/workbench/) or through ts-node/ts-jest (src/workbench/).
 */
export const WORKBENCH_DIR = resolve(__dirname, '..', '..', 'dist', 'web');

/**
 * Paths the static files never answer (the service's own routes). The workbench is served only at `/` and for the
 * files that exist under dist/web (no fallback to index.html: its routes live in the URL hash), so these cannot be
 * shadowed anyway; listing them keeps it so if that ever changes.
 */
export const WORKBENCH_EXCLUDE = ['/graphql{/*rest}', '/health{/*rest}', '/metrics{/*rest}', '/libraries{/*rest}'];

/** Logs once at start-up where the workbench is served from, or that it is not built. */
class WorkbenchStatus implements OnApplicationBootstrap {
  private readonly logger = new Logger('Workbench');

  constructor(private readonly built: boolean) {}

  onApplicationBootstrap(): void {
    if (this.built) this.logger.log(`workbench served at / from ${WORKBENCH_DIR}`);
    else this.logger.warn(`workbench not built (${join(WORKBENCH_DIR, 'index.html')} missing): run npm run build:web; the API is unaffected`);
  }
}

/**
 * The browser workbench (docs/workbench.md): dist/web served at `/` with @nestjs/serve-static when it has been built;
 * without it the service starts as before and logs that the workbench is not built. Hashed assets are cached for a
 * year, index.html is revalidated on every load.
 *
 * Note: ServeStaticModule chooses its Express loader from the HTTP adapter when the module is instantiated, which
 * NestFactory.create (src/main.ts) provides; an app made from `Test.createTestingModule(...).compile()` has no adapter
 * at that point and serves no files (the API is unaffected), so tests of the page start the app with NestFactory.
 */
@Module({})
export class WorkbenchModule {
  static register(dir: string = WORKBENCH_DIR): DynamicModule {
    const built = existsSync(join(dir, 'index.html'));
    return {
      module: WorkbenchModule,
      imports: built
        ? [
            ServeStaticModule.forRoot({
              rootPath: dir,
              renderPath: '/',
              exclude: WORKBENCH_EXCLUDE,
              serveStaticOptions: {
                index: 'index.html',
                fallthrough: true,
                setHeaders: (res: { setHeader(name: string, value: string): void }, path: string) => {
                  res.setHeader('X-Content-Type-Options', 'nosniff');
                  res.setHeader('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
                },
              },
            }),
          ]
        : [],
      providers: [{ provide: WorkbenchStatus, useFactory: () => new WorkbenchStatus(built) }],
    };
  }
}
