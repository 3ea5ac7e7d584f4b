/**
 * Startup migrations: from nothing, idempotent re-open, compatibility with the Prisma CLI in both directions,
 * rollback of a failing migration, and table redefinitions that must not cascade-delete child rows.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { findRepoRoot, resolveDatabaseUrl, DEFAULT_DATABASE_URL } from '../../src/store/database-url';
import { openDatabase } from '../../src/store/database';
import { migrateSqlite, readMigrations } from '../../src/store/migrate';
import { MigrationError, StoreService } from '../../src/store';
import { fileUrl, item, makeTempDir, MOLECULES } from './helpers';

const execFileP = promisify(execFile);
const ROOT = findRepoRoot();
const MIGRATIONS = path.join(ROOT, 'prisma', 'migrations');

// better-sqlite3, resolved like src/store/migrate.ts does, for inspecting files directly.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require(require.resolve('better-sqlite3', { paths: [path.dirname(require.resolve('@prisma/adapter-better-sqlite3'))] })) as new (
  f: string,
) => { prepare(sql: string): { all(...a: unknown[]): unknown[]; get(...a: unknown[]): unknown; run(...a: unknown[]): unknown }; exec(sql: string): void; close(): void };

function inspect<T>(file: string, fn: (db: InstanceType<typeof Database>) => T): T {
  const db = new Database(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function schemaOf(file: string): Array<{ type: string; name: string; sql: string | null }> {
  return inspect(file, (db) =>
    db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all(),
  ) as Array<{ type: string; name: string; sql: string | null }>;
}

/** Runs the local Prisma CLI (offline, WASM engines) against `file`. */
async function prismaCli(args: string[], file: string): Promise<string> {
  const { stdout, stderr } = await execFileP(process.execPath, [path.join(ROOT, 'node_modules', 'prisma', 'build', 'index.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${file}`, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    timeout: 90_000,
  });
  return stdout + stderr;
}

/** A migrations folder holding copies of the committed migrations plus `extra` ones. */
function migrationsDirWith(base: string, extra: Record<string, string>): string {
  const dir = path.join(base, `migrations-${crypto.randomUUID()}`);
  fs.cpSync(MIGRATIONS, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

/** What `prisma migrate diff` emits when Run.kind gains a default: a full SQLite table redefinition of the parent. */
const REDEFINE_RUN_SQL = `-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL DEFAULT 'INTERPOLATE',
    "paramsJson" TEXT NOT NULL,
    "modelVersion" TEXT NOT NULL,
    "seed" BIGINT,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "statsJson" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "durationMs" BIGINT
);
INSERT INTO "new_Run" ("createdAt", "durationMs", "error", "finishedAt", "id", "kind", "modelVersion", "paramsJson", "seed", "startedAt", "statsJson", "status") SELECT "createdAt", "durationMs", "error", "finishedAt", "id", "kind", "modelVersion", "paramsJson", "seed", "startedAt", "statsJson", "status" FROM "Run";
DROP TABLE "Run";
ALTER TABLE "new_Run" RENAME TO "Run";
CREATE INDEX "Run_createdAt_id_idx" ON "Run"("createdAt", "id");
CREATE INDEX "Run_kind_createdAt_id_idx" ON "Run"("kind", "createdAt", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`;

describe('database URL resolution', () => {
  it('defaults to data/molnav.db under the repo root, whatever the working directory', () => {
    expect(DEFAULT_DATABASE_URL).toBe('file:./data/molnav.db');
    const r = resolveDatabaseUrl({ env: {}, rootDir: '/repo' });
    expect(r).toEqual({ url: 'file:/repo/data/molnav.db', filePath: '/repo/data/molnav.db' });
    expect(fs.existsSync(path.join(ROOT, 'prisma', 'schema.prisma'))).toBe(true);
  });

  it('accepts relative, absolute and file:/// forms and ignores query strings', () => {
    expect(resolveDatabaseUrl({ env: { DATABASE_URL: 'file:./x/y.db' }, rootDir: '/r' }).filePath).toBe('/r/x/y.db');
    expect(resolveDatabaseUrl({ env: { DATABASE_URL: 'file:/abs/z.db?connection_limit=1' }, rootDir: '/r' }).filePath).toBe('/abs/z.db');
    expect(resolveDatabaseUrl({ env: { DATABASE_URL: 'file:///abs/w.db' }, rootDir: '/r' }).filePath).toBe('/abs/w.db');
    expect(resolveDatabaseUrl({ env: { DATABASE_URL: 'rel.db' }, rootDir: '/r' }).filePath).toBe('/r/rel.db');
  });

  it('rejects in-memory and non-SQLite URLs', () => {
    expect(() => resolveDatabaseUrl({ env: { DATABASE_URL: 'file::memory:' }, rootDir: '/r' })).toThrow(/memory/);
    expect(() => resolveDatabaseUrl({ env: { DATABASE_URL: 'postgresql://u@h/db' }, rootDir: '/r' })).toThrow(/SQLite/);
  });
});

describe('startup migrations', () => {
  const tmp = makeTempDir('migrate');
  afterAll(() => tmp.cleanup());

  it('has committed migrations with a sqlite lock file', () => {
    const ms = readMigrations(MIGRATIONS);
    expect(ms.length).toBeGreaterThanOrEqual(1);
    for (const m of ms) expect(m.name).toMatch(/^\d{14}_[a-z0-9_]+$/);
    expect(fs.readFileSync(path.join(MIGRATIONS, 'migration_lock.toml'), 'utf8')).toMatch(/provider = "sqlite"/);
  });

  it('migrates a database from nothing (missing folder and file) and records Prisma-format bookkeeping', async () => {
    const file = path.join(tmp.dir, 'nested', 'deeper', 'fresh.db');
    const store = await StoreService.open({ databaseUrl: `file:${file}` });
    try {
      expect(store.databaseFile).toBe(file);
      expect(await store.ping()).toBe(true);
    } finally {
      await store.close();
    }
    const names = schemaOf(file).filter((o) => o.type === 'table').map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(['Candidate', 'Run', 'RunCandidate', '_prisma_migrations']));
    const rows = inspect(file, (db) => db.prepare('SELECT * FROM _prisma_migrations ORDER BY migration_name').all()) as Array<Record<string, unknown>>;
    const local = readMigrations(MIGRATIONS);
    expect(rows.map((r) => r.migration_name)).toEqual(local.map((m) => m.name));
    for (const [i, r] of rows.entries()) {
      expect(r.checksum).toBe(crypto.createHash('sha256').update(fs.readFileSync(path.join(MIGRATIONS, local[i].name, 'migration.sql'))).digest('hex'));
      expect(r.finished_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
      expect(r.rolled_back_at).toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
  });

  it('re-opening an existing database migrates idempotently and keeps the data', async () => {
    const url = fileUrl(tmp.dir, 'reopen.db');
    const first = await StoreService.open({ databaseUrl: url });
    const run = await first.createRun({ kind: 'INTERPOLATE', params: { steps: 4 }, modelVersion: 'v1', seed: 7 });
    await first.addCandidates(run.id, [item(MOLECULES.aspirin, 0)]);
    await first.close();
    const before = schemaOf(url.slice(5));

    expect(migrateSqlite(url.slice(5), MIGRATIONS)).toEqual({ applied: [], alreadyApplied: readMigrations(MIGRATIONS).map((m) => m.name), warnings: [] });
    const second = await StoreService.open({ databaseUrl: url });
    try {
      expect((await second.getRun(run.id))?.params).toEqual({ steps: 4 });
      expect((await second.getRunCandidates(run.id)).map((l) => l.candidate.canonicalSmiles)).toEqual([MOLECULES.aspirin.canonicalSmiles]);
    } finally {
      await second.close();
    }
    expect(schemaOf(url.slice(5))).toEqual(before);
    const count = inspect(url.slice(5), (db) => db.prepare('SELECT COUNT(*) AS n FROM _prisma_migrations').get()) as { n: number };
    expect(count.n).toBe(readMigrations(MIGRATIONS).length);
  });

  it('opens the file in write-ahead-log mode with synchronous = NORMAL, and a second process reads while it writes', async () => {
    const url = fileUrl(tmp.dir, 'wal.db');
    const opened = await openDatabase({ databaseUrl: url });
    try {
      expect(opened.warnings).toEqual([]);
      expect(await opened.client.$queryRawUnsafe('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      const sync = (await opened.client.$queryRawUnsafe<Array<{ synchronous: number | bigint }>>('PRAGMA synchronous'))[0].synchronous;
      expect(Number(sync)).toBe(1); // NORMAL
      // a reader on another connection sees committed rows while this connection holds a write transaction open
      await opened.client.run.create({ data: { kind: 'INTERPOLATE', paramsJson: '{}', modelVersion: 'v1', status: 'RUNNING', createdAt: new Date() } });
      expect(fs.existsSync(`${url.slice(5)}-wal`)).toBe(true); // the commit went to the write-ahead log
      await opened.client.$transaction(async (tx) => {
        await tx.run.create({ data: { kind: 'INTERPOLATE', paramsJson: '{}', modelVersion: 'v1', status: 'RUNNING', createdAt: new Date() } });
        const seen = inspect(url.slice(5), (db) => db.prepare('SELECT COUNT(*) AS n FROM Run').get()) as { n: number };
        expect(seen.n).toBe(1); // not blocked, and the uncommitted row is not visible
      });
    } finally {
      await opened.client.$disconnect();
    }
    expect(inspect(url.slice(5), (db) => db.prepare('SELECT COUNT(*) AS n FROM Run').get())).toEqual({ n: 2 });
  });

  it('is interchangeable with `prisma migrate deploy` / `migrate status` (offline CLI)', async () => {
    // Ours -> CLI: the CLI sees nothing pending.
    const ours = path.join(tmp.dir, 'ours.db');
    migrateSqlite(ours, MIGRATIONS);
    const status = await prismaCli(['migrate', 'status'], ours);
    expect(status).toMatch(/Database schema is up to date/);
    const deploy = await prismaCli(['migrate', 'deploy'], ours);
    expect(deploy).toMatch(/No pending migrations to apply/);

    // CLI -> ours: a database deployed by the CLI needs nothing from us, and both schemas are identical.
    const cli = path.join(tmp.dir, 'cli.db');
    await prismaCli(['migrate', 'deploy'], cli);
    const r = migrateSqlite(cli, MIGRATIONS);
    expect(r.applied).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(schemaOf(cli)).toEqual(schemaOf(ours));
  });

  it('committed migrations match schema.prisma (a schema change without a migration fails here)', async () => {
    // --exit-code: 0 = no difference, 2 = schema.prisma has changes no migration contains.
    const out = await prismaCli(
      ['migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema-datamodel', 'prisma/schema.prisma', '--script', '--exit-code'],
      path.join(tmp.dir, 'unused.db'),
    ).catch((e: { code?: number; stdout?: string }) => {
      throw new Error(`schema.prisma differs from prisma/migrations (exit ${e.code}); run bash prisma/new-migration.sh <name>:\n${e.stdout}`);
    });
    expect(out).toMatch(/empty migration/);
  });

  it('rolls a failing migration back completely and reports it as MigrationError', () => {
    const file = path.join(tmp.dir, 'failing.db');
    const dir = migrationsDirWith(tmp.dir, {
      '29990101000000_broken': 'CREATE TABLE "Half" ("id" INTEGER);\nINSERT INTO "DoesNotExist" VALUES (1);\n',
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(() => migrateSqlite(file, dir)).toThrow(MigrationError);
      const tables = schemaOf(file).map((o) => o.name);
      expect(tables).toContain('Candidate'); // earlier migrations stay applied
      expect(tables).not.toContain('Half'); // nothing of the failing one
      const names = inspect(file, (db) => db.prepare('SELECT migration_name FROM _prisma_migrations').all()) as Array<{ migration_name: string }>;
      expect(names.map((n) => n.migration_name)).not.toContain('29990101000000_broken');
    }
  });

  it('refuses to start over a migration the CLI recorded as failed', () => {
    const file = path.join(tmp.dir, 'cli-failed.db');
    migrateSqlite(file, MIGRATIONS);
    inspect(file, (db) =>
      db.prepare("INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ('x', 'y', '29990101000000_half', '2026-01-01T00:00:00.000+00:00', 0)").run(),
    );
    expect(() => migrateSqlite(file, MIGRATIONS)).toThrow(/29990101000000_half.*migrate resolve/);
  });

  it('warns about edited and unknown migrations without failing', () => {
    const file = path.join(tmp.dir, 'warn.db');
    migrateSqlite(file, MIGRATIONS);
    inspect(file, (db) => {
      db.prepare("UPDATE _prisma_migrations SET checksum = 'edited'").run();
      db.prepare("INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, started_at, applied_steps_count) VALUES ('z', 'c', '20000101000000_from_the_future', '2026-01-01T00:00:00.000+00:00', '2026-01-01T00:00:00.000+00:00', 1)").run();
    });
    const r = migrateSqlite(file, MIGRATIONS);
    expect(r.applied).toEqual([]);
    expect(r.warnings.join('\n')).toMatch(/modified after it was applied/);
    expect(r.warnings.join('\n')).toMatch(/20000101000000_from_the_future.*missing/);
  });

  it('applies a Prisma table redefinition of Run without cascade-deleting its links', async () => {
    const url = fileUrl(tmp.dir, 'redefine.db');
    const store = await StoreService.open({ databaseUrl: url });
    const run = await store.createRun({ kind: 'OPTIMIZE', params: {}, modelVersion: 'v1', seed: null });
    await store.addCandidates(run.id, [item(MOLECULES.caffeine, 0), item(MOLECULES.ibuprofen, 1)]);
    await store.close();

    const dir = migrationsDirWith(tmp.dir, { '29990101000000_run_kind_default': REDEFINE_RUN_SQL });
    expect(migrateSqlite(url.slice(5), dir).applied).toEqual(['29990101000000_run_kind_default']);
    const links = inspect(url.slice(5), (db) => db.prepare('SELECT position FROM RunCandidate ORDER BY position').all());
    expect(links).toEqual([{ position: 0 }, { position: 1 }]);

    // Foreign keys still work on the redefined table (cascade from Run).
    const again = await StoreService.open({ databaseUrl: url, migrationsDir: dir });
    try {
      expect((await again.getRunCandidates(run.id)).length).toBe(2);
      expect(await again.deleteRun(run.id)).toBe(true);
      expect(inspect(url.slice(5), (db) => db.prepare('SELECT COUNT(*) AS n FROM RunCandidate').get())).toEqual({ n: 0 });
    } finally {
      await again.close();
    }
  });
});
