/**
 * Prisma CLI configuration (Prisma 6.19).
 *
 * `engine: 'js'` makes `prisma migrate diff|deploy|status` use the WASM schema engine bundled with the CLI together
 * with the better-sqlite3 driver adapter, so the CLI works offline (the classic engine would download a native
 * schema-engine binary). The database file is resolved exactly like the application resolves it (see
 * src/store/database-url.ts): DATABASE_URL, default `file:./data/molnav.db`, relative paths against the repo root.
 *
 * The application does not use this file: it applies prisma/migrations itself at startup (src/store/migrate.ts).
 */
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { databaseProvider, resolveDatabaseUrl } from './src/store/database-url';

// This config is the SQLite one (PostgreSQL: prisma/postgresql/prisma.config.ts). With a PostgreSQL DATABASE_URL in the
// environment it falls back to the default SQLite file, so `bash prisma/new-migration.sh` works in any shell.
const database = resolveDatabaseUrl({
  env: databaseProvider(process.env.DATABASE_URL) === 'postgresql' ? {} : process.env,
  rootDir: __dirname,
  createDir: true,
});
// schema.prisma keeps `url = env("DATABASE_URL")` (without it the CLI wants a query engine); point it at the same file.
process.env.DATABASE_URL = database.url;

type SqlDriverAdapter = Awaited<ReturnType<PrismaBetterSQLite3['connect']>>;
type SqlQuery = Parameters<SqlDriverAdapter['executeRaw']>[0];

/**
 * `prisma migrate diff --from-migrations` replays every migration.sql on an in-memory shadow database through
 * `executeRaw`, which better-sqlite3 refuses for multi-statement scripts ("contains more than one statement").
 * For the shadow database only, such parameterless scripts are run with `executeScript` instead.
 */
function acceptScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const runScript = async <T>(q: SqlQuery, original: () => Promise<T>, empty: T): Promise<T> => {
    try {
      return await original();
    } catch (e) {
      if (e instanceof RangeError && /more than one statement/.test(e.message) && q.args.length === 0) {
        await adapter.executeScript(q.sql);
        return empty;
      }
      throw e;
    }
  };
  return new Proxy(adapter, {
    get(target, prop) {
      if (prop === 'executeRaw') return (q: SqlQuery) => runScript(q, () => target.executeRaw(q), 0);
      if (prop === 'queryRaw') {
        return (q: SqlQuery) => runScript(q, () => target.queryRaw(q), { columnNames: [], columnTypes: [], rows: [] });
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export default defineConfig({
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    const inner = new PrismaBetterSQLite3({ url: database.url });
    return {
      provider: inner.provider,
      adapterName: inner.adapterName,
      connect: () => inner.connect(),
      connectToShadowDb: async () => acceptScripts(await inner.connectToShadowDb()),
    };
  },
});
