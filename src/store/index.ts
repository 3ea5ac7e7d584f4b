/** Public surface of the store layer. Nothing here exposes Prisma types. */
export * from './types';
export * from './errors';
export { StoreService, STORE_OPTIONS, MAX_ADD_BATCH, type StoreOptions } from './store.service';
export { StoreModule } from './store.module';
export * from './library-store';
export * from './api-key-store';
export { DEFAULT_DATABASE_URL, resolveDatabaseUrl, type ResolvedDatabaseUrl } from './database-url';
