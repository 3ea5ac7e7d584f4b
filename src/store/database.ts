/**
 * Database bootstrap: pick the provider from DATABASE_URL, apply the committed migrations, create the Prisma client.
 *
 * - SQLite (default, `file:` URL or a path): the committed SQL in prisma/migrations is applied in-process by
 *   {@link migrateSqlite} (see src/store/migrate.ts for why this instead of spawning `prisma migrate deploy`), then
 *   the client from prisma/schema.prisma runs through @prisma/adapter-better-sqlite3.
 * - PostgreSQL (`postgresql://` or `postgres://`): prisma/postgresql/migrations (derived from the same schema, see
 *   prisma/derive-postgresql.js) are applied by {@link migratePostgres}, then the second generated client
 *   (node_modules/.prisma/client-postgresql) runs through @prisma/adapter-pg. The two clients come from one schema,
 *   so they have the same model API; the store is typed against the SQLite one.
 *
 * Neither path needs the Prisma CLI or network access; both work from dist/ and from ts-jest (the migrations folders
 * are found by walking up from this file to the folder holding prisma/schema.prisma).
 */
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '@prisma/client';
import {
  DEFAULT_DATABASE_URL,
  databaseProvider,
  findRepoRoot,
  redactDatabaseUrl,
  resolveDatabaseUrl,
  type DatabaseProvider,
  type ResolvedDatabaseUrl,
} from './database-url';
import { migrateSqlite, type MigrateResult } from './migrate';
import { migratePostgres } from './migrate-postgresql';

export { DEFAULT_DATABASE_URL, findRepoRoot, resolveDatabaseUrl, type ResolvedDatabaseUrl };

export interface OpenDatabaseOptions {
  /**
   * `file:...` (SQLite) or `postgresql://...`; default: `DATABASE_URL` from the environment, else
   * {@link DEFAULT_DATABASE_URL}.
   */
  databaseUrl?: string;
  /** Apply pending migrations before connecting. Default true. */
  migrate?: boolean;
  /** Folder with the committed migrations. Default `<repo root>/prisma/migrations` (SQLite) or
   * `<repo root>/prisma/postgresql/migrations` (PostgreSQL). */
  migrationsDir?: string;
}

/** Where the store lives. */
export interface DatabaseLocation {
  provider: DatabaseProvider;
  /** URL handed to the driver adapter (SQLite: `file:` + absolute path). */
  url: string;
  /** Absolute path of the SQLite file; null on PostgreSQL. */
  filePath: string | null;
  /** Printable description (file path, or the URL without its password). */
  display: string;
}

export interface OpenedDatabase {
  client: PrismaClient;
  location: DatabaseLocation;
  /** Null when `migrate: false`. */
  migrations: MigrateResult | null;
  /** Problems worth a log line (SQLite: write-ahead logging refused). */
  warnings: string[];
}

/**
 * SQLite settings of the service's connection: write-ahead logging (`journal_mode = WAL`, kept in the file) with
 * `synchronous = NORMAL` (per connection). A commit appends to the WAL without waiting for a sync (the WAL is synced
 * at checkpoints), and readers in other processes (API and workers on one file) do not block the writer. The database
 * stays consistent after a crash of the process or of the machine; a power loss can drop the last commits, never part
 * of one (https://www.sqlite.org/wal.html, https://www.sqlite.org/pragma.html#pragma_synchronous). The file has
 * `-wal` and `-shm` companions while it is open. Where SQLite cannot use WAL (a network file system), the file keeps
 * its rollback journal and the store says so in a warning.
 */
async function applySqliteSettings(client: PrismaClient): Promise<string[]> {
  const rows = await client.$queryRawUnsafe<Array<{ journal_mode: string }>>('PRAGMA journal_mode = WAL');
  await client.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
  const mode = String(rows[0]?.journal_mode ?? 'unknown').toLowerCase();
  return mode === 'wal' ? [] : [`SQLite kept journal_mode=${mode} (write-ahead logging unavailable here): each commit waits for a disk sync`];
}

/** The generated PostgreSQL client's constructor (loaded only when PostgreSQL is selected). */
type ClientConstructor = new (options: { adapter: unknown }) => PrismaClient;

/**
 * Opens the store DATABASE_URL selects: migrates it unless told not to, and returns a connected client.
 *
 * @throws MigrationError when migrating fails (PostgreSQL: also when the server is unreachable); Error for an
 *   unsupported DATABASE_URL or when the PostgreSQL client has not been generated (`npm run prisma:generate`).
 */
export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  const root = findRepoRoot();
  const raw = (opts.databaseUrl ?? process.env.DATABASE_URL ?? '').trim();
  if (databaseProvider(raw) === 'postgresql') {
    const migrations =
      opts.migrate === false
        ? null
        : await migratePostgres(raw, opts.migrationsDir ?? path.join(root, 'prisma', 'postgresql', 'migrations'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PrismaPg } = require('@prisma/adapter-pg') as typeof import('@prisma/adapter-pg');
    let PgClient: ClientConstructor;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      PgClient = (require('.prisma/client-postgresql') as { PrismaClient: ClientConstructor }).PrismaClient;
    } catch (e) {
      throw new Error('The PostgreSQL Prisma client is not generated: run `npm run prisma:generate`', { cause: e });
    }
    const client = new PgClient({ adapter: new PrismaPg({ connectionString: raw }) });
    await client.$connect();
    return { client, location: { provider: 'postgresql', url: raw, filePath: null, display: redactDatabaseUrl(raw) }, migrations, warnings: [] };
  }
  const env = opts.databaseUrl !== undefined ? { DATABASE_URL: opts.databaseUrl } : process.env;
  const file = resolveDatabaseUrl({ env, rootDir: root, createDir: true });
  const migrations =
    opts.migrate === false ? null : migrateSqlite(file.filePath, opts.migrationsDir ?? path.join(root, 'prisma', 'migrations'));
  const client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: file.url }) });
  await client.$connect();
  const warnings = await applySqliteSettings(client);
  return { client, location: { provider: 'sqlite', url: file.url, filePath: file.filePath, display: file.filePath }, migrations, warnings };
}
