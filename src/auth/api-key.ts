/**
 * API key format and hashing (node:crypto only).
 *
 * A key reads `mnk_<prefix>_<secret>`: `prefix` is 8 characters [A-Za-z0-9] (public, unique, used to find the key),
 * `secret` is 32 random bytes in base64url (43 characters, 256 bits). Only an scrypt hash of the secret is stored,
 * encoded with its parameters and salt as `scrypt$N$r$p$<salt>$<hash>` (base64url), so parameters can be raised
 * later without breaking stored keys. Verification recomputes the hash with the stored parameters and compares with
 * `timingSafeEqual`.
 */
import { randomBytes, randomInt, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Literal start of every molnav API key. */
export const API_KEY_MARKER = 'mnk_';
/** Characters of a generated prefix. */
export const PREFIX_LENGTH = 8;
/** Random bytes of a generated secret. */
export const SECRET_BYTES = 32;

const PREFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const KEY_RE = /^mnk_([A-Za-z0-9]{8,32})_([A-Za-z0-9_-]{43,128})$/;

/** scrypt parameters of new hashes: N = 2^14, r = 8, p = 1 (16 MiB, ~50 ms), 16-byte salt, 32-byte output. */
export const SCRYPT_PARAMS = Object.freeze({ N: 16384, r: 8, p: 1, saltBytes: 16, keyBytes: 32 });

/** Upper bounds accepted when reading a stored hash (a corrupted row cannot make verification unbounded). */
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;

/** A new key: give `key` to the client once; store `prefix` and the hash of `secret`. */
export interface GeneratedApiKey {
  key: string;
  prefix: string;
  secret: string;
}

/** Generates a key with a random prefix and a 256-bit secret. */
export function generateApiKey(): GeneratedApiKey {
  let prefix = '';
  for (let i = 0; i < PREFIX_LENGTH; i++) prefix += PREFIX_ALPHABET[randomInt(PREFIX_ALPHABET.length)];
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { key: `${API_KEY_MARKER}${prefix}_${secret}`, prefix, secret };
}

/** Splits a presented key into prefix and secret; null when it is not in the molnav format. */
export function parseApiKey(raw: string): { prefix: string; secret: string } | null {
  if (typeof raw !== 'string' || raw.length > 200) return null;
  const m = KEY_RE.exec(raw);
  return m ? { prefix: m[1], secret: m[2] } : null;
}

function scrypt(secret: string, salt: Buffer, keyBytes: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(secret, salt, keyBytes, options, (err, derived) => (err ? reject(err) : resolve(derived))),
  );
}

function scryptOptions(N: number, r: number, p: number): ScryptOptions {
  // Node's default maxmem (32 MiB) is below what larger N/r need: allow exactly the memory these parameters use.
  return { N, r, p, maxmem: 128 * N * r * p + 1024 * 1024 };
}

/** Hashes a secret with a fresh salt: `scrypt$N$r$p$<salt>$<hash>`. */
export async function hashSecret(secret: string): Promise<string> {
  const { N, r, p, saltBytes, keyBytes } = SCRYPT_PARAMS;
  const salt = randomBytes(saltBytes);
  const hash = await scrypt(secret, salt, keyBytes, scryptOptions(N, r, p));
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/**
 * True when `secret` hashes to `encoded` (constant-time comparison). False for a malformed or out-of-bounds
 * encoding; never throws for bad input.
 */
export async function verifySecret(secret: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N || !Number.isInteger(r) || r < 1 || r > MAX_R || !Number.isInteger(p) || p < 1 || p > MAX_P) return false;
  if (salt.length < 8 || expected.length < 16 || expected.length > 64) return false;
  const actual = await scrypt(secret, salt, expected.length, scryptOptions(N, r, p));
  return timingSafeEqual(actual, expected);
}
