/**
 * Fresh databases for tests (not a spec file).
 *
 * By default each call gives a new SQLite file in a temporary folder. With MOLNAV_TEST_DATABASE=postgresql (set by
 * `npm run test:postgres`) each call creates a new, empty database on the PostgreSQL server MOLNAV_TEST_POSTGRES_URL
 * names (a user that may create databases, e.g. `postgresql://molnav_ci:molnav_ci@127.0.0.1:5432/postgres`; .ci/run
 * starts one), so the same store, job and end-to-end tests run against both providers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { Client } from 'pg';

/** Provider the store tests run against in this process. */
export const TEST_PROVIDER: 'sqlite' | 'postgresql' = process.env.MOLNAV_TEST_DATABASE === 'postgresql' ? 'postgresql' : 'sqlite';

function postgresServer(): string | null {
  if (TEST_PROVIDER !== 'postgresql') return null;
  const url = process.env.MOLNAV_TEST_POSTGRES_URL;
  if (!url) throw new Error('MOLNAV_TEST_DATABASE=postgresql needs MOLNAV_TEST_POSTGRES_URL (a server URL)');
  return url;
}

/** Databases of one test file; call {@link cleanup} in afterAll. */
export class TestDatabases {
  private dir: string | null = null;
  private readonly created: string[] = [];

  /** @param server a PostgreSQL server URL to use whatever MOLNAV_TEST_DATABASE says (for PostgreSQL-only tests). */
  constructor(
    private readonly label: string,
    private readonly server?: string | null,
  ) {}

  private admin(): string | null {
    return this.server ?? postgresServer();
  }

  /** URL of a new, empty database (`file:` or `postgresql://`). `name` only makes SQLite file names readable. */
  async url(name = 'store'): Promise<string> {
    const admin = this.admin();
    if (admin) {
      const db = `molnav_${this.label.replace(/[^a-z0-9]/gi, '').toLowerCase()}_${crypto.randomBytes(5).toString('hex')}`;
      const client = new Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${db}"`);
      } finally {
        await client.end();
      }
      this.created.push(db);
      const u = new URL(admin);
      u.pathname = `/${db}`;
      return u.toString();
    }
    this.dir ??= fs.mkdtempSync(path.join(os.tmpdir(), `molnav-${this.label}-`));
    return `file:${path.join(this.dir, `${name}.db`)}`;
  }

  /** Removes the temporary folder or drops the databases created (connections still open are terminated). */
  async cleanup(): Promise<void> {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
    const admin = this.admin();
    if (!admin || this.created.length === 0) return;
    const client = new Client({ connectionString: admin });
    await client.connect();
    try {
      for (const db of this.created.splice(0)) await client.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
}
