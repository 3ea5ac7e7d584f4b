/**
 * API key administration against the database of DATABASE_URL (docs/security.md):
 *
 *   npm run apikey -- create <name> [--scopes read,write]   prints the new key once
 *   npm run apikey -- list
 *   npm run apikey -- revoke <name>
 *
 * Compiled: `node dist/auth/cli.js <command> ...` (same arguments; the Docker image has no ts-node).
 * Exit status: 0 on success, 1 on a failure (message on stderr), 2 on a usage error.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ApiKeyStore, StoreError, type ApiKeyRecord, type StoreOptions } from '../store';
import { AuthService } from './auth.service';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const USAGE = [
  'usage: apikey create <name> [--scopes read,write]   create a key (printed once; default scopes read,write)',
  '       apikey list                                  list keys (never their secrets)',
  '       apikey revoke <name>                         revoke a key (effective on the next request)',
  'The database is DATABASE_URL (default file:./data/molnav.db).',
].join('\n');

class UsageError extends Error {}

function iso(d: Date | null): string {
  return d ? d.toISOString() : '-';
}

function table(keys: ApiKeyRecord[]): string[] {
  const rows = [['NAME', 'PREFIX', 'SCOPES', 'CREATED', 'LAST USED', 'STATUS']];
  for (const k of keys) {
    rows.push([k.name, `mnk_${k.prefix}`, k.scopes.join(','), iso(k.createdAt), iso(k.lastUsedAt), k.revokedAt ? `revoked ${iso(k.revokedAt)}` : 'active']);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}

/** Parses `create` arguments: one name and an optional `--scopes a,b` / `--scopes=a,b`. */
function createArgs(args: string[]): { name: string; scopes: string } {
  let scopes = 'read,write';
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--scopes') {
      if (i + 1 >= args.length) throw new UsageError('--scopes needs a value (e.g. read or read,write)');
      scopes = args[++i];
    } else if (a.startsWith('--scopes=')) {
      scopes = a.slice('--scopes='.length);
    } else if (a.startsWith('--')) {
      throw new UsageError(`unknown option ${a}`);
    } else {
      positional.push(a);
    }
  }
  if (positional.length !== 1) throw new UsageError('create needs exactly one <name>');
  return { name: positional[0], scopes };
}

/**
 * Runs one CLI command and returns the exit status. `options` selects the database (default: DATABASE_URL); tests
 * pass their own and capture `io`.
 */
export async function runApiKeyCli(argv: readonly string[], io: CliIo = { out: console.log, err: console.error }, options: StoreOptions = {}): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    (command ? io.out : io.err)(USAGE);
    return command ? 0 : 2;
  }
  let keys: ApiKeyStore | null = null;
  try {
    if (!['create', 'list', 'revoke'].includes(command)) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    const parsed = command === 'create' ? createArgs(rest) : null;
    if (command === 'revoke' && rest.length !== 1) throw new UsageError('revoke needs exactly one <name>');
    if (command === 'list' && rest.length !== 0) throw new UsageError('list takes no arguments');
    keys = await ApiKeyStore.open(options);
    const auth = new AuthService(keys);
    if (parsed) {
      const { key, record } = await auth.createKey(parsed.name, parsed.scopes);
      io.out(`Created API key ${JSON.stringify(record.name)} (scopes ${record.scopes.join(',')}, prefix mnk_${record.prefix}).`);
      io.out('Store it now: it is shown only this once (only its hash is kept).');
      io.out(key);
    } else if (command === 'list') {
      const all = await auth.listKeys();
      if (all.length === 0) io.out('No API keys.');
      else for (const line of table(all)) io.out(line);
    } else {
      const revoked = await auth.revokeKey(rest[0]);
      if (!revoked) {
        io.err(`No API key named ${JSON.stringify(rest[0])}.`);
        return 1;
      }
      io.out(`Revoked API key ${JSON.stringify(revoked.name)} (mnk_${revoked.prefix}) at ${iso(revoked.revokedAt)}.`);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n${USAGE}`);
      return 2;
    }
    io.err(e instanceof StoreError ? e.message : `apikey failed: ${(e as Error).message ?? String(e)}`);
    return 1;
  } finally {
    await keys?.close();
  }
}

/** Entry point of `npm run apikey` and `node dist/auth/cli.js`: runs argv and exits with the status. */
export function main(argv: readonly string[] = process.argv.slice(2)): void {
  // Keep stdout for the command's output (the new key); Nest's store logs (migrations applied) are not needed here.
  Logger.overrideLogger(['error', 'warn']);
  runApiKeyCli(argv).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

if (require.main === module) main();
