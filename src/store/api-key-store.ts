import { Injectable } from '@nestjs/common';
import type { ApiKey as ApiKeyRow, PrismaClient } from '@prisma/client';
import { StoreValidationError } from './errors';
import { StoreService, type StoreOptions } from './store.service';

/** Scopes of an API key: `read` (queries, subscriptions) and `write` (mutations). */
export const API_KEY_SCOPES = Object.freeze(['read', 'write'] as const);
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A stored API key. `secretHash` is the scrypt hash written by src/auth (never the secret itself). */
export interface ApiKeyRecord {
  id: string;
  /** Unique label (1..100 printable characters). */
  name: string;
  /** Public lookup part of the key `mnk_<prefix>_<secret>` (unique, [A-Za-z0-9]{8,32}). */
  prefix: string;
  /** `scrypt$N$r$p$<salt base64url>$<hash base64url>` (src/auth/api-key.ts). */
  secretHash: string;
  /** Distinct scopes in API_KEY_SCOPES order. */
  scopes: ApiKeyScope[];
  createdAt: Date;
  /** Last successful authentication, written at most about once a minute per key; null if never used. */
  lastUsedAt: Date | null;
  /** When the key was revoked; null while it is active. */
  revokedAt: Date | null;
}

export interface CreateApiKeyInput {
  name: string;
  prefix: string;
  secretHash: string;
  scopes: readonly ApiKeyScope[];
}

const NAME_MAX = 100;
const PREFIX_RE = /^[A-Za-z0-9]{8,32}$/;
const HASH_RE = /^scrypt\$[0-9$A-Za-z_-]+$/;

/**
 * Validates a key name: 1..100 characters after trimming, no control or bidirectional-override characters.
 *
 * @throws StoreValidationError naming the problem.
 */
export function validateApiKeyName(name: unknown): string {
  if (typeof name !== 'string') throw new StoreValidationError('API key name must be a string');
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > NAME_MAX) {
    throw new StoreValidationError(`API key name must be 1..${NAME_MAX} characters`);
  }
  // C0/C1 controls, and bidi overrides/isolates that can disguise a name in terminal listings.
  if (/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u.test(trimmed)) {
    throw new StoreValidationError('API key name must not contain control or bidirectional-override characters');
  }
  return trimmed;
}

/**
 * Parses a scope list (`'read,write'` or an array) into distinct scopes in API_KEY_SCOPES order.
 *
 * @throws StoreValidationError for an empty list or an unknown scope.
 */
export function parseApiKeyScopes(scopes: string | readonly string[]): ApiKeyScope[] {
  const items = (typeof scopes === 'string' ? scopes.split(',') : [...scopes]).map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  const unknown = items.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new StoreValidationError(`unknown API key scope(s) ${unknown.join(', ')}; known: ${API_KEY_SCOPES.join(', ')}`);
  if (items.length === 0) throw new StoreValidationError(`an API key needs at least one scope (${API_KEY_SCOPES.join(', ')})`);
  return API_KEY_SCOPES.filter((s) => items.includes(s));
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    secretHash: row.secretHash,
    scopes: parseApiKeyScopes(row.scopes),
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

/**
 * API keys in the store (table `ApiKey`). Holds names, public prefixes, scopes and scrypt hashes; hashing and
 * verification live in src/auth. Operations go through {@link StoreService}'s queue and client, so they share its
 * connection, its ordering guarantees and its error mapping (errors are StoreErrors; a duplicate name or prefix is a
 * ConflictError).
 */
@Injectable()
export class ApiKeyStore {
  constructor(private readonly store: StoreService) {}

  /** Opens a store outside Nest (CLI, tests) and returns the key store on it; call {@link close} when done. */
  static async open(options: StoreOptions = {}): Promise<ApiKeyStore> {
    return new ApiKeyStore(await StoreService.open(options));
  }

  /** Closes the underlying store (only for stores made by {@link open}). */
  close(): Promise<void> {
    return this.store.close();
  }

  // This sibling store of the store layer runs its operations through StoreService's queue and client.
  private run<T>(fn: (db: PrismaClient) => Promise<T>): Promise<T> {
    return this.store.exclusive(fn);
  }

  /**
   * Stores a new key.
   *
   * @throws StoreValidationError for a bad name, prefix, hash or scope list; ConflictError when the name or prefix
   *   is taken.
   */
  async create(input: CreateApiKeyInput): Promise<ApiKeyRecord> {
    const name = validateApiKeyName(input.name);
    if (!PREFIX_RE.test(input.prefix)) throw new StoreValidationError('API key prefix must be 8..32 characters [A-Za-z0-9]');
    if (!HASH_RE.test(input.secretHash)) throw new StoreValidationError('secretHash must be an encoded scrypt hash');
    const scopes = parseApiKeyScopes(input.scopes);
    const row = await this.run((db) =>
      db.apiKey.create({ data: { name, prefix: input.prefix, secretHash: input.secretHash, scopes: scopes.join(',') } }),
    );
    return toRecord(row);
  }

  /** The key with this prefix (revoked or not), or null. */
  async findByPrefix(prefix: string): Promise<ApiKeyRecord | null> {
    if (typeof prefix !== 'string' || !PREFIX_RE.test(prefix)) return null;
    const row = await this.run((db) => db.apiKey.findUnique({ where: { prefix } }));
    return row ? toRecord(row) : null;
  }

  /** The key with this name (revoked or not), or null. */
  async findByName(name: string): Promise<ApiKeyRecord | null> {
    const row = await this.run((db) => db.apiKey.findUnique({ where: { name: validateApiKeyName(name) } }));
    return row ? toRecord(row) : null;
  }

  /** Every key, oldest first (revoked ones included). */
  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.run((db) => db.apiKey.findMany({ orderBy: [{ createdAt: 'asc' }, { name: 'asc' }] }));
    return rows.map(toRecord);
  }

  /**
   * Revokes the key with this name (`revokedAt` = `at`; a key already revoked keeps its first revocation time).
   * Returns the key, or null when no key has that name.
   */
  async revoke(name: string, at: Date = new Date()): Promise<ApiKeyRecord | null> {
    const valid = validateApiKeyName(name);
    const row = await this.run(async (db) => {
      await db.apiKey.updateMany({ where: { name: valid, revokedAt: null }, data: { revokedAt: at } });
      return db.apiKey.findUnique({ where: { name: valid } });
    });
    return row ? toRecord(row) : null;
  }

  /** Sets `lastUsedAt` of an active key. Returns false when the key does not exist or is revoked. */
  async touch(id: string, at: Date = new Date()): Promise<boolean> {
    const { count } = await this.run((db) => db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { lastUsedAt: at } }));
    return count === 1;
  }
}
