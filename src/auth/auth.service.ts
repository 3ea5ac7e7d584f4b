import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ApiKeyStore, ConflictError, parseApiKeyScopes, type ApiKeyRecord, type ApiKeyScope } from '../store';
import { generateApiKey, hashSecret, parseApiKey, verifySecret } from './api-key';
import { UnauthenticatedError } from './errors';

/** The client behind a request that presented a valid, active API key. */
export interface Principal {
  keyId: string;
  name: string;
  prefix: string;
  scopes: readonly ApiKeyScope[];
}

/** `lastUsedAt` is written at most once per this many milliseconds per key. */
export const TOUCH_INTERVAL_MS = 60_000;
/** Verified secrets remembered (as HMACs) so a key costs one scrypt per process, not one per request. */
const VERIFIED_CACHE_SIZE = 1000;
const PREFIX_ATTEMPTS = 5;

/**
 * API keys: creation (the key is returned once; only an scrypt hash is stored), listing, revocation, and
 * authentication of presented keys.
 *
 * Authentication looks the key up by its public prefix on every call, so a revocation (by the CLI, in any process)
 * takes effect on the next request. The scrypt check runs once per key and process: a verified secret is remembered
 * as an HMAC under a random per-process key and later compared in constant time.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');
  private readonly hmacKey = randomBytes(32);
  private readonly verified = new Map<string, { secretHash: string; mac: Buffer }>();
  private readonly touched = new Map<string, number>();
  private readonly memo = new WeakMap<object, Promise<Principal>>();

  constructor(private readonly keys: ApiKeyStore) {}

  /**
   * Creates a key. The returned `key` is the only copy of the secret: print it once, it cannot be recovered.
   *
   * @throws ConflictError when `name` is taken; StoreValidationError for a bad name or scope list.
   */
  async createKey(name: string, scopes: string | readonly string[] = ['read', 'write']): Promise<{ key: string; record: ApiKeyRecord }> {
    const parsedScopes = parseApiKeyScopes(scopes);
    if (await this.keys.findByName(name)) throw new ConflictError(`an API key named ${JSON.stringify(name.trim())} already exists`, ['name']);
    for (let attempt = 1; ; attempt++) {
      const generated = generateApiKey();
      try {
        const record = await this.keys.create({ name, prefix: generated.prefix, secretHash: await hashSecret(generated.secret), scopes: parsedScopes });
        return { key: generated.key, record };
      } catch (e) {
        // A prefix collision (62^8 space) is retried with a new key; a name taken meanwhile is not.
        if (!(e instanceof ConflictError) || attempt >= PREFIX_ATTEMPTS || (await this.keys.findByName(name))) throw e;
      }
    }
  }

  /** Every key, oldest first (hashes included: callers must not print them). */
  listKeys(): Promise<ApiKeyRecord[]> {
    return this.keys.list();
  }

  /** Revokes a key by name; null when no key has that name. Takes effect on the next request in every process. */
  revokeKey(name: string): Promise<ApiKeyRecord | null> {
    return this.keys.revoke(name);
  }

  /**
   * Checks a presented key and returns its principal; updates `lastUsedAt` when the last write is over a minute old.
   *
   * @throws UnauthenticatedError for a malformed, unknown, wrong or revoked key (the message never echoes the key).
   */
  async authenticate(raw: string, now: Date = new Date()): Promise<Principal> {
    const parsed = parseApiKey(raw);
    if (!parsed) throw new UnauthenticatedError('malformed API key (expected mnk_<prefix>_<secret>)');
    const record = await this.keys.findByPrefix(parsed.prefix);
    if (!record || !(await this.secretMatches(record, parsed.secret))) throw new UnauthenticatedError('invalid API key');
    if (record.revokedAt) throw new UnauthenticatedError('this API key has been revoked');
    await this.touch(record, now);
    return { keyId: record.id, name: record.name, prefix: record.prefix, scopes: record.scopes };
  }

  /**
   * {@link authenticate} once per `owner` (a GraphQL context object: one HTTP request or one subscription): the
   * rate-limit guard and the auth guard, and every root field of the operation, share one result.
   */
  authenticateOnce(owner: object, raw: string): Promise<Principal> {
    let p = this.memo.get(owner);
    if (!p) {
      p = this.authenticate(raw);
      p.catch(() => undefined); // observed by the guards; avoid an unhandled rejection when only one looks
      this.memo.set(owner, p);
    }
    return p;
  }

  private mac(secret: string): Buffer {
    return createHmac('sha256', this.hmacKey).update(secret).digest();
  }

  private async secretMatches(record: ApiKeyRecord, secret: string): Promise<boolean> {
    const cached = this.verified.get(record.id);
    if (cached && cached.secretHash === record.secretHash) return timingSafeEqual(cached.mac, this.mac(secret));
    if (!(await verifySecret(secret, record.secretHash))) return false;
    this.verified.delete(record.id);
    this.verified.set(record.id, { secretHash: record.secretHash, mac: this.mac(secret) });
    if (this.verified.size > VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    return true;
  }

  private async touch(record: ApiKeyRecord, now: Date): Promise<void> {
    const last = Math.max(this.touched.get(record.id) ?? 0, record.lastUsedAt?.getTime() ?? 0);
    if (now.getTime() - last < TOUCH_INTERVAL_MS) return;
    this.touched.set(record.id, now.getTime());
    if (this.touched.size > VERIFIED_CACHE_SIZE) this.touched.delete(this.touched.keys().next().value!);
    try {
      await this.keys.touch(record.id, now);
    } catch (e) {
      // Bookkeeping only: a failed write must not fail the request.
      this.logger.warn(`could not update lastUsedAt of API key ${record.prefix}: ${(e as Error).message}`);
    }
  }
}
