/**
 * Database location resolution, free of Prisma imports so that `prisma.config.ts` can use it before the client has
 * been generated.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Which store a DATABASE_URL selects: a SQLite file (the embedded default) or a PostgreSQL server. */
export type DatabaseProvider = 'sqlite' | 'postgresql';

/** `postgresql://` or `postgres://` selects PostgreSQL; anything else (a `file:` URL, a path, empty) selects SQLite. */
export function databaseProvider(url: string | undefined): DatabaseProvider {
  return /^postgres(ql)?:\/\//i.test((url ?? '').trim()) ? 'postgresql' : 'sqlite';
}

/** A URL safe to log: the password of a PostgreSQL URL replaced by `***`. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/** Default database URL; relative `file:` paths are resolved against the repository root. */
export const DEFAULT_DATABASE_URL = 'file:./data/molnav.db';

/** A resolved SQLite location. */
export interface ResolvedDatabaseUrl {
  /** `file:` URL with an absolute path, suitable for the driver adapter and the Prisma CLI. */
  url: string;
  /** Absolute path of the database file. */
  filePath: string;
}

/**
 * Finds the repository root: the closest ancestor of `startDir` holding `prisma/schema.prisma`. Works from `src/store`
 * (ts-node, ts-jest) as well as from `dist/store` (compiled). Falls back to `process.cwd()`.
 */
export function findRepoRoot(startDir: string = __dirname): string {
  let dir = path.resolve(startDir);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'prisma', 'schema.prisma'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/**
 * Resolves the SQLite database location from `DATABASE_URL` (default {@link DEFAULT_DATABASE_URL}).
 *
 * Accepted forms: `file:relative/or/absolute.db` (query string ignored) or a bare path. Relative paths are resolved
 * against `rootDir` (the repository root), never against the process working directory, so the API, tests and the
 * Prisma CLI all agree on the file.
 *
 * @throws Error for in-memory databases (`:memory:`) — migrations run on their own connection, so a private in-memory
 *   database would be migrated and then lost — and for non-SQLite URLs.
 */
export function resolveDatabaseUrl(
  opts: { env?: NodeJS.ProcessEnv; rootDir?: string; createDir?: boolean } = {},
): ResolvedDatabaseUrl {
  const env = opts.env ?? process.env;
  const raw = (env.DATABASE_URL ?? '').trim() || DEFAULT_DATABASE_URL;
  let p = raw.startsWith('file:') ? raw.slice('file:'.length) : raw;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p) && !p.startsWith('file:')) {
    throw new Error(`DATABASE_URL must be a SQLite file: URL, got "${raw}"`);
  }
  p = p.replace(/^\/\/(?=\/)/, ''); // file:///abs/path -> /abs/path
  const q = p.indexOf('?');
  if (q >= 0) p = p.slice(0, q);
  if (p === '' || p === ':memory:' || p.includes('mode=memory')) {
    throw new Error(`DATABASE_URL "${raw}" is not supported: use a file path (e.g. in os.tmpdir()) instead of :memory:`);
  }
  const filePath = path.resolve(opts.rootDir ?? findRepoRoot(), p);
  if (opts.createDir) fs.mkdirSync(path.dirname(filePath), { recursive: true });
  return { url: `file:${filePath}`, filePath };
}
