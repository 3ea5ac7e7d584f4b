/**
 * Prisma CLI configuration for the derived PostgreSQL schema (see prisma/derive-postgresql.js).
 *
 * Used by `prisma generate --config prisma/postgresql/prisma.config.ts` (the second client) and by
 * `prisma migrate diff` between derived schemas. `engine: 'js'` with the pg driver adapter keeps the CLI offline (no
 * schema-engine or query-engine download). Nothing here connects to a server unless a command needs one; the URL
 * is DATABASE_URL when it is a PostgreSQL URL, else a placeholder.
 */
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

const url = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '')
  ? (process.env.DATABASE_URL as string)
  : 'postgresql://molnav@127.0.0.1:5432/molnav';
process.env.DATABASE_URL = url;

export default defineConfig({
  schema: path.join(__dirname, 'schema.prisma'),
  migrations: { path: path.join(__dirname, 'migrations') },
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    return new PrismaPg({ connectionString: url });
  },
});
