/**
 * In-process migration runner for PostgreSQL, compatible with `prisma migrate deploy`.
 *
 * Why not `prisma migrate deploy`? Offline, the CLI can only reach PostgreSQL through its WASM engine and the pg
 * driver adapter, and that path fails on PostgreSQL's `name` type (prisma/orm issue 27403). This runner applies the
 * committed files of prisma/postgresql/migrations (derived from the single schema, see prisma/derive-postgresql.js)
 * with `pg` and keeps Prisma's bookkeeping table `_prisma_migrations` in the format the CLI writes (same DDL, sha256
 * checksum of the file), so a database migrated here stays manageable with the Prisma CLI where it can run.
 *
 * Safety:
 * - a session-level advisory lock serialises concurrent starters (API and workers starting together): each
 *   migration is applied exactly once;
 * - each migration runs in one transaction together with its bookkeeping row (PostgreSQL DDL is transactional): a
 *   failing migration leaves neither a half-applied schema nor a row behind.
 */
import crypto from 'node:crypto';
import { Client } from 'pg';
import { MigrationError } from './errors';
import { readMigrations, type MigrateResult } from './migrate';

/** The DDL `prisma migrate deploy` uses for its bookkeeping table on PostgreSQL (Prisma 6.19). */
const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** Advisory lock key of molnav's migrations (an arbitrary constant; 'mnav' in ASCII). */
const LOCK_KEY = 0x6d6e6176;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies the pending committed migrations of `migrationsDir` to the PostgreSQL database at `url`. Idempotent.
 *
 * @param url `postgresql://user:password@host:port/database` (the connection string `pg` accepts).
 * @throws MigrationError when the server cannot be reached, when a migration fails (that migration is rolled back;
 *   earlier ones stay applied), or when the database records a failed migration (from `prisma migrate deploy`).
 */
export async function migratePostgres(url: string, migrationsDir: string): Promise<MigrateResult> {
  const migrations = readMigrations(migrationsDir, 'postgresql');
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new MigrationError(`Cannot connect to PostgreSQL: ${(e as Error).message}`, { cause: e });
  }
  const result: MigrateResult = { applied: [], alreadyApplied: [], warnings: [] };
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(MIGRATIONS_TABLE_DDL);
    const { rows } = await client.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed.length > 0) {
      throw new MigrationError(
        `Migration ${failed.map((r) => r.migration_name).join(', ')} failed earlier and is recorded as unfinished; ` +
          'inspect the database, then mark it rolled back or applied (`prisma migrate resolve`).',
      );
    }
    const applied = new Map(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => [r.migration_name, r]));
    const known = new Set(migrations.map((m) => m.name));
    for (const name of applied.keys()) {
      if (!known.has(name)) result.warnings.push(`Migration ${name} is applied to the database but missing from ${migrationsDir}`);
    }
    for (const m of migrations) {
      const before = applied.get(m.name);
      if (before) {
        result.alreadyApplied.push(m.name);
        if (before.checksum !== m.checksum) result.warnings.push(`Migration ${m.name} was modified after it was applied`);
        continue;
      }
      await client.query('BEGIN');
      try {
        const startedAt = new Date();
        await client.query(m.sql); // simple query protocol: a multi-statement script without parameters
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) ' +
            'VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)',
          [crypto.randomUUID(), m.checksum, m.name, startedAt],
        );
        await client.query('COMMIT');
        result.applied.push(m.name);
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new MigrationError(`Migration ${m.name} failed and was rolled back: ${(e as Error).message}`, { cause: e });
      }
    }
    return result;
  } catch (e) {
    if (e instanceof MigrationError) throw e;
    throw new MigrationError(`Migrating PostgreSQL failed: ${(e as Error).message}`, { cause: e });
  } finally {
    // Ending the session releases the advisory lock.
    await client.end().catch(() => undefined);
  }
}
