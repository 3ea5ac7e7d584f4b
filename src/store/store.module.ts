import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ApiKeyStore } from './api-key-store';
import { LibraryStore } from './library-store';
import { STORE_OPTIONS, StoreService, type StoreOptions } from './store.service';

/**
 * Provides {@link StoreService}, {@link LibraryStore} and {@link ApiKeyStore} (global: import it once, in the root module). `StoreModule` reads DATABASE_URL from
 * the environment; `StoreModule.forRoot({ databaseUrl })` sets the database explicitly (e2e tests). Use one of the
 * two, not both, or two stores would open the same file.
 */
@Global()
@Module({
  providers: [StoreService, LibraryStore, ApiKeyStore],
  exports: [StoreService, LibraryStore, ApiKeyStore],
})
export class StoreModule {
  static forRoot(options: StoreOptions = {}): DynamicModule {
    return {
      module: StoreModule,
      global: true,
      providers: [{ provide: STORE_OPTIONS, useValue: options }, StoreService, LibraryStore, ApiKeyStore],
      exports: [StoreService, LibraryStore, ApiKeyStore],
    };
  }
}
