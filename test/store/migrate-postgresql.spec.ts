/**
 * The PostgreSQL side of the store's one-schema, two-provider setup:
 * - prisma/postgresql/schema.prisma is exactly what prisma/derive-postgresql.js derives from prisma/schema.prisma;
 * - the PostgreSQL migrations are locked to their provider and build the schema the derived client expects;
 * - migratePostgres (against a real server, when MOLNAV_TEST_POSTGRES_URL is set: CI starts one) is idempotent,
 *   safe for concurrent starters and writes Prisma's bookkeeping rows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { readMigrations } from '../../src/store/migrate';
import { migratePostgres } from '../../src/store/migrate-postgresql';
import { databaseProvider, redactDatabaseUrl } from '../../src/store/database-url';
import { MigrationError } from '../../src/store/errors';
import { TestDatabases } from '../db';

const ROOT = path.resolve(__dirname, '..', '..');
const PG_MIGRATIONS = path.join(ROOT, 'prisma', 'postgresql', 'migrations');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { derive, SOURCE, TARGET } = require('../../prisma/derive-postgresql.js') as {
  derive(source: string): string;
  SOURCE: string;
  TARGET: string;
};

describe('derived PostgreSQL schema', () => {
  it('is up to date with prisma/schema.prisma (run `bash prisma/new-migration.sh <name>` after a schema change)', () => {
    expect(fs.readFileSync(TARGET, 'utf8')).toBe(derive(fs.readFileSync(SOURCE, 'utf8')));
  });

  it('differs from the source only in provider, client output and the generated-file header', () => {
    const derived = derive(fs.readFileSync(SOURCE, 'utf8'));
    expect(derived).toMatch(/provider = "postgresql"/);
    expect(derived).not.toMatch(/provider = "sqlite"/);
    expect(derived).toMatch(/output\s+= "\.\.\/\.\.\/node_modules\/\.prisma\/client-postgresql"/);
    const models = (s: string) => s.slice(s.indexOf('model '));
    expect(models(derived)).toBe(models(fs.readFileSync(SOURCE, 'utf8')));
    expect(() => derive('datasource db {\n provider = "mysql"\n}')).toThrow(/sqlite/);
  });

  it('has its own migration history, locked to postgresql, covering every model', () => {
    const migrations = readMigrations(PG_MIGRATIONS, 'postgresql');
    expect(migrations.length).toBeGreaterThan(0);
    expect(() => readMigrations(PG_MIGRATIONS, 'sqlite')).toThrow(MigrationError);
    const sql = migrations.map((m) => m.sql).join('\n');
    for (const model of fs.readFileSync(SOURCE, 'utf8').matchAll(/^model (\w+) \{/gm)) {
      expect(sql).toContain(`CREATE TABLE "${model[1]}"`);
    }
  });

  it('selects the provider from DATABASE_URL and never logs a password', () => {
    expect(databaseProvider('postgresql://u:p@h:5432/db')).toBe('postgresql');
    expect(databaseProvider('postgres://u@h/db')).toBe('postgresql');
    expect(databaseProvider('file:./data/molnav.db')).toBe('sqlite');
    expect(databaseProvider(undefined)).toBe('sqlite');
    expect(redactDatabaseUrl('postgresql://molnav:s3cret@db:5432/molnav')).toBe('postgresql://molnav:***@db:5432/molnav');
    expect(redactDatabaseUrl('file:/x/y.db')).toBe('file:/x/y.db');
  });
});

const server = process.env.MOLNAV_TEST_POSTGRES_URL ?? null;
if (!server && process.env.MOLNAV_REQUIRE_SERVICES === '1') {
  throw new Error('MOLNAV_REQUIRE_SERVICES=1 but MOLNAV_TEST_POSTGRES_URL is not set (.ci/run starts PostgreSQL)');
}
(server ? describe : describe.skip)('migratePostgres (real server: MOLNAV_TEST_POSTGRES_URL)', () => {
  const dbs = new TestDatabases('pgmigrate', server);
  afterAll(() => dbs.cleanup());

  async function query<T extends object>(url: string, sql: string): Promise<T[]> {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query<T>(sql)).rows;
    } finally {
      await c.end();
    }
  }

  it('applies every migration once, even with three concurrent starters, and records them as the CLI does', async () => {
    const url = await dbs.url();
    const results = await Promise.all([1, 2, 3].map(() => migratePostgres(url, PG_MIGRATIONS)));
    const names = readMigrations(PG_MIGRATIONS, 'postgresql').map((m) => m.name);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(names.sort());
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      url,
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations"',
    );
    expect(rows).toHaveLength(names.length);
    for (const r of rows) {
      expect(r.finished_at).not.toBeNull();
      expect(r.applied_steps_count).toBe(1);
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
    const again = await migratePostgres(url, PG_MIGRATIONS);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(names);
    const tables = await query<{ table_name: string }>(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['Candidate', 'Run', 'RunCandidate', 'Library', 'ApiKey']));
  });

  it('rolls a failing migration back entirely and reports it', async () => {
    const url = await dbs.url();
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'molnav-pgmig-'));
    try {
      fs.copyFileSync(path.join(PG_MIGRATIONS, 'migration_lock.toml'), path.join(dir, 'migration_lock.toml'));
      fs.mkdirSync(path.join(dir, '1_ok'));
      fs.writeFileSync(path.join(dir, '1_ok', 'migration.sql'), 'CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);');
      fs.mkdirSync(path.join(dir, '2_bad'));
      fs.writeFileSync(path.join(dir, '2_bad', 'migration.sql'), 'CREATE TABLE "B" ("id" INTEGER);\nSELECT * FROM "Missing";');
      await expect(migratePostgres(url, dir)).rejects.toThrow(/2_bad failed and was rolled back/);
      const tables = await query<{ table_name: string }>(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      expect(tables.map((t) => t.table_name).sort()).toEqual(['A', '_prisma_migrations']);
      const rows = await query<{ migration_name: string }>(url, 'SELECT migration_name FROM "_prisma_migrations"');
      expect(rows.map((r) => r.migration_name)).toEqual(['1_ok']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with a MigrationError naming the cause when the server is unreachable', async () => {
    await expect(migratePostgres('postgresql://nobody:x@127.0.0.1:1/none', PG_MIGRATIONS)).rejects.toThrow(/Cannot connect to PostgreSQL/);
  });
});
