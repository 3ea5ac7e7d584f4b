/**
 * Database bootstrap: resolve the SQLite file, apply the committed migrations, create the Prisma client.
 *
 * Startup migration strategy: the committed SQL in prisma/migrations is applied in-process by
 * {@link migrateSqlite} (see src/store/migrate.ts for why this instead of spawning `prisma migrate deploy`). It
 * needs neither the Prisma CLI nor network access, works from dist/ and from ts-jest (the migrations folder is found
 * by walking up from this file to the folder holding prisma/schema.prisma), and writes the same `_prisma_migrations`
 * rows as the CLI, so `npx prisma migrate status|deploy` keep working on the same file.
 */
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '@prisma/client';
import { DEFAULT_DATABASE_URL, findRepoRoot, resolveDatabaseUrl, type ResolvedDatabaseUrl } from './database-url';
import { migrateSqlite, type MigrateResult } from './migrate';

export { DEFAULT_DATABASE_URL, findRepoRoot, resolveDatabaseUrl, type ResolvedDatabaseUrl };

export interface OpenDatabaseOptions {
  /** SQLite URL (`file:...`); default: `DATABASE_URL` from the environment, else {@link DEFAULT_DATABASE_URL}. */
  databaseUrl?: string;
  /** Apply pending migrations before connecting. Default true. */
  migrate?: boolean;
  /** Folder with the committed migrations. Default `<repo root>/prisma/migrations`. */
  migrationsDir?: string;
}

export interface OpenedDatabase {
  client: PrismaClient;
  location: ResolvedDatabaseUrl;
  /** Null when `migrate: false`. */
  migrations: MigrateResult | null;
}

/**
 * Resolves the database file (creating its folder), migrates it unless told not to, and returns a connected client.
 *
 * @throws MigrationError when migrating fails; Error for an unsupported DATABASE_URL.
 */
export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  const root = findRepoRoot();
  const env = opts.databaseUrl !== undefined ? { DATABASE_URL: opts.databaseUrl } : process.env;
  const location = resolveDatabaseUrl({ env, rootDir: root, createDir: true });
  const migrations =
    opts.migrate === false
      ? null
      : migrateSqlite(location.filePath, opts.migrationsDir ?? path.join(root, 'prisma', 'migrations'));
  const client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: location.url }) });
  await client.$connect();
  return { client, location, migrations };
}
