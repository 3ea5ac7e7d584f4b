/**
 * In-process migration runner for SQLite, compatible with `prisma migrate deploy`.
 *
 * Why not spawn `prisma migrate deploy`? The CLI is a devDependency, loads prisma.config.ts through a TypeScript
 * loader, and takes seconds per start. This runner applies the same committed files (prisma/migrations/<name>/
 * migration.sql, in name order) in milliseconds with the better-sqlite3 driver the client already uses, and keeps
 * Prisma's bookkeeping table `_prisma_migrations` in the exact format the CLI writes (same DDL, sha256 checksum of
 * the file, ISO timestamps, applied_steps_count = 1). So the two are interchangeable: a file migrated here reports
 * "Database schema is up to date!" to `prisma migrate status`, and a file deployed by the CLI is accepted here
 * (test/store/migrate.spec.ts checks both directions).
 *
 * Safety:
 * - each migration runs in its own `BEGIN IMMEDIATE` transaction together with its bookkeeping row: a failing
 *   migration leaves neither a half-applied schema nor a "failed" row behind (SQLite DDL is transactional);
 * - the write lock is taken before re-reading the applied set, so two processes starting at once apply each
 *   migration exactly once;
 * - foreign-key enforcement is switched off for the migration connection (outside the transaction, where the pragma
 *   is effective) and `PRAGMA foreign_key_check` must pass before commit. This is SQLite's documented procedure for
 *   table redefinitions, which Prisma's migrations use: with enforcement on, `DROP TABLE` in a redefinition would
 *   fire ON DELETE CASCADE and silently delete child rows.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MigrationError } from './errors';

/** The DDL `prisma migrate deploy` uses for its bookkeeping table on SQLite (Prisma 6.19). */
const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** Minimal typing of the parts of better-sqlite3 used here (the package ships no types; @types is not installed). */
interface SqliteStatement {
  run(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface SqliteDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): SqliteStatement;
  close(): unknown;
  readonly inTransaction: boolean;
}
type SqliteConstructor = new (filename: string, options?: { timeout?: number }) => SqliteDatabase;

/**
 * Loads better-sqlite3 from where @prisma/adapter-better-sqlite3 resolves it, so the migrator always uses the very
 * driver the Prisma adapter uses (better-sqlite3 is a dependency of the adapter, not a direct one of molnav).
 */
function loadSqlite(): SqliteConstructor {
  const adapterDir = path.dirname(require.resolve('@prisma/adapter-better-sqlite3'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve('better-sqlite3', { paths: [adapterDir] })) as SqliteConstructor;
}

export interface LocalMigration {
  /** Folder name, e.g. `20261121131710_init`. */
  name: string;
  sql: string;
  /** Hex sha256 of migration.sql, as Prisma computes it. */
  checksum: string;
}

export interface MigrateResult {
  /** Migrations applied by this call, in order. */
  applied: string[];
  /** Migrations that were already applied. */
  alreadyApplied: string[];
  /** Non-fatal findings: edited migration files, migrations in the database unknown to this checkout. */
  warnings: string[];
}

/**
 * Reads the committed migrations of `migrationsDir` (folders with a migration.sql, sorted by name as Prisma does).
 *
 * @param provider the provider the store runs on; migration_lock.toml must name it.
 * @throws MigrationError when the folder is missing or migration_lock.toml names another provider.
 */
export function readMigrations(migrationsDir: string, provider: 'sqlite' | 'postgresql' = 'sqlite'): LocalMigration[] {
  if (!fs.existsSync(migrationsDir)) throw new MigrationError(`Migrations folder not found: ${migrationsDir}`);
  const lock = path.join(migrationsDir, 'migration_lock.toml');
  if (fs.existsSync(lock)) {
    const locked = /provider\s*=\s*"([^"]+)"/.exec(fs.readFileSync(lock, 'utf8'))?.[1];
    if (locked && locked !== provider) {
      throw new MigrationError(`migration_lock.toml is for provider "${locked}", the store runs on ${provider}`);
    }
  }
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(migrationsDir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const buf = fs.readFileSync(path.join(migrationsDir, name, 'migration.sql'));
      return { name, sql: buf.toString('utf8'), checksum: crypto.createHash('sha256').update(buf).digest('hex') };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: string | null;
  rolled_back_at: string | null;
}

/** Timestamp in the format the Prisma CLI writes into `_prisma_migrations` (`2026-01-31T12:00:00.000+00:00`). */
function prismaTimestamp(d: Date = new Date()): string {
  return d.toISOString().replace(/Z$/, '+00:00');
}

/**
 * Applies the pending committed migrations to the SQLite file `filePath` (created if missing). Idempotent.
 *
 * @throws MigrationError when a migration fails (that migration is rolled back; earlier ones stay applied), when
 *   the database records a failed migration (from `prisma migrate deploy`; fix it with `prisma migrate resolve`), or
 *   when a migration leaves foreign-key violations.
 */
export function migrateSqlite(filePath: string, migrationsDir: string): MigrateResult {
  const migrations = readMigrations(migrationsDir);
  const Database = loadSqlite();
  let db: SqliteDatabase;
  try {
    db = new Database(filePath, { timeout: 15_000 });
  } catch (e) {
    throw new MigrationError(`Cannot open database ${filePath}: ${(e as Error).message}`, { cause: e });
  }
  const result: MigrateResult = { applied: [], alreadyApplied: [], warnings: [] };
  try {
    db.exec('PRAGMA foreign_keys = OFF');
    db.exec(MIGRATIONS_TABLE_DDL);

    const readApplied = (): Map<string, AppliedRow> => {
      const rows = db
        .prepare('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at')
        .all() as AppliedRow[];
      const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null);
      if (failed.length > 0) {
        throw new MigrationError(
          `Migration ${failed.map((r) => r.migration_name).join(', ')} failed earlier and is recorded as unfinished; ` +
            'inspect the database, then run `npx prisma migrate resolve --rolled-back <name>` (or --applied).',
        );
      }
      return new Map(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => [r.migration_name, r]));
    };

    const initial = readApplied();
    const known = new Set(migrations.map((m) => m.name));
    for (const name of initial.keys()) {
      if (!known.has(name)) result.warnings.push(`Migration ${name} is applied to the database but missing from ${migrationsDir}`);
    }

    for (const m of migrations) {
      const before = initial.get(m.name);
      if (before) {
        result.alreadyApplied.push(m.name);
        if (before.checksum !== m.checksum) result.warnings.push(`Migration ${m.name} was modified after it was applied`);
        continue;
      }
      db.exec('BEGIN IMMEDIATE');
      try {
        // Another process may have applied it while we waited for the write lock.
        if (readApplied().has(m.name)) {
          db.exec('ROLLBACK');
          result.alreadyApplied.push(m.name);
          continue;
        }
        const startedAt = prismaTimestamp();
        db.exec(m.sql);
        const violations = db.prepare('PRAGMA foreign_key_check').all();
        if (violations.length > 0) {
          throw new Error(`foreign key violations after migration: ${JSON.stringify(violations.slice(0, 5))}`);
        }
        db.prepare(
          'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) ' +
            'VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)',
        ).run(crypto.randomUUID(), m.checksum, prismaTimestamp(), m.name, startedAt);
        db.exec('COMMIT');
        result.applied.push(m.name);
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        if (e instanceof MigrationError) throw e;
        throw new MigrationError(`Migration ${m.name} failed and was rolled back: ${(e as Error).message}`, { cause: e });
      }
    }
    return result;
  } finally {
    db.close();
  }
}
