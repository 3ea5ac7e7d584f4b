/**
 * SMARTS substructure queries on RDKit MinimalLib: compiling patterns (optionally with RDKit's `mergeHs`
 * semantics), a bounded cache of compiled patterns, and match counting. Used by `Chemistry.matchesSmarts` /
 * `countSmartsMatches` and by the structural-alert catalogs (alerts.ts).
 *
 * Memory: every query returned by `compileSmarts` is a JSMol the caller owns; `SmartsCache` owns its entries and
 * frees them on eviction and in `dispose()`.
 */
import type { JSMol } from './rdkit';
import { RDKit, rdkitLogCapture } from './rdkit';
import { InvalidSmartsError } from './errors';

/** Longest SMARTS accepted, in characters (the longest shipped alert SMARTS is ~1,000 characters). */
export const MAX_SMARTS_LENGTH = 4000;

/** Default number of compiled patterns `SmartsCache` keeps. */
export const SMARTS_CACHE_SIZE = 256;

// eslint-disable-next-line no-control-regex
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]/;

/** Options of `compileSmarts`. */
export interface CompileSmartsOptions {
  /**
   * Merge explicit hydrogen query atoms (`[#1]`, `[H]`) into their heavy neighbours as "at least n H" queries, as
   * `Chem.MolFromSmarts(smarts, mergeHs=True)` (RDKit `MolOps::mergeQueryHs`) does, so that the pattern matches
   * molecules with implicit hydrogens. This is how RDKit's FilterCatalog reads its SMARTS (PAINS contain `[#1]`).
   * Default false (plain `MolFromSmarts`).
   */
  mergeHs?: boolean;
}

/**
 * Compiles a SMARTS pattern into a query molecule; the caller owns (and must `delete()`) the result.
 *
 * `mergeHs`: MinimalLib's `get_qmol` takes no parse options, so the query is written to RDKit JSON (which carries
 * the full query trees, recursive SMARTS included) and read back with `get_mol(json, {sanitize: false,
 * mergeQueryHs: true})`, which runs `MolOps::mergeQueryHs` on it — the same function `SmartsToMol(..., mergeHs)`
 * calls. Patterns without hydrogen atoms are returned as parsed. test/chem/alerts.spec.ts checks that the JSON round
 * trip preserves every shipped alert query and that the merged queries reproduce RDKit's FilterCatalog.
 *
 * @throws InvalidSmartsError when the pattern is empty, longer than `MAX_SMARTS_LENGTH`, contains whitespace,
 *   control or non-ASCII characters, or RDKit cannot parse it (reason: RDKit's parser message when captured).
 */
export function compileSmarts(rdkit: RDKit, smarts: string, opts: CompileSmartsOptions = {}): JSMol {
  if (typeof smarts !== 'string' || smarts.length === 0) throw new InvalidSmartsError(String(smarts), 'empty pattern');
  if (smarts.length > MAX_SMARTS_LENGTH) {
    throw new InvalidSmartsError(smarts, `too long (${smarts.length} characters; maximum ${MAX_SMARTS_LENGTH})`);
  }
  if (WHITESPACE_OR_CONTROL.test(smarts)) {
    throw new InvalidSmartsError(smarts, 'contains whitespace or control characters');
  }
  // SMARTS is ASCII; RDKit would silently skip some leading non-ASCII characters.
  if (/[^\x20-\x7e]/u.test(smarts)) throw new InvalidSmartsError(smarts, 'contains characters that are not SMARTS (SMARTS is ASCII)');
  // get_qmol would read input containing "commonchem" as RDKit JSON; no SMARTS contains that word.
  if (smarts.includes('commonchem')) throw new InvalidSmartsError(smarts, 'not a SMARTS pattern');

  const log = rdkitLogCapture(rdkit);
  log?.clear_buffer();
  let q: JSMol | null = null;
  try {
    q = rdkit.get_qmol(smarts);
  } catch {
    q = null;
  }
  if (!q || !q.is_valid()) {
    q?.delete();
    const detail = parserMessage(log?.get_buffer() ?? '');
    log?.clear_buffer();
    throw new InvalidSmartsError(smarts, detail ? `SMARTS syntax error (${detail})` : 'SMARTS syntax error');
  }
  log?.clear_buffer();
  if (!opts.mergeHs) return q;

  let merged: JSMol | null = null;
  try {
    const json = q.get_json();
    if (!hasHydrogenAtom(json)) {
      const out = q;
      q = null;
      return out;
    }
    merged = rdkit.get_mol(json, JSON.stringify({ sanitize: false, mergeQueryHs: true }));
    if (!merged || !merged.is_valid()) {
      throw new InvalidSmartsError(smarts, 'cannot merge hydrogen query atoms');
    }
    const out = merged;
    merged = null;
    return out;
  } finally {
    q?.delete();
    merged?.delete();
    log?.clear_buffer();
  }
}

/** True when an RDKit JSON document has an atom with atomic number 1. */
function hasHydrogenAtom(json: string): boolean {
  const doc = JSON.parse(json) as { molecules?: Array<{ atoms?: Array<{ z?: number }> }> };
  return (doc.molecules ?? []).some((m) => (m.atoms ?? []).some((a) => a.z === 1));
}

/** The first RDKit "SMARTS Parse Error" message without the echoed input. */
function parserMessage(buffer: string): string | undefined {
  const lines = buffer
    .split('\n')
    .map((l) => l.replace(/^\[\d{2}:\d{2}:\d{2}\]\s*/, '').trim())
    .filter((l) => l.length > 0);
  if (lines.length === 0) return undefined;
  return lines[0]
    .replace(/^SMARTS Parse Error:\s*/, '')
    .replace(/\s*for input:\s*'.*'$/, '')
    .replace(/\s*while parsing:.*$/, '');
}

/** True when `q` matches `mol` at least once (`HasSubstructMatch`, RDKit default match parameters). */
export function hasSubstructMatch(mol: JSMol, q: JSMol): boolean {
  const v = JSON.parse(mol.get_substruct_match(q)) as { atoms?: number[] };
  return Array.isArray(v.atoms) && v.atoms.length > 0;
}

/**
 * Number of unique matches of `q` in `mol`, as `len(mol.GetSubstructMatches(q))` with RDKit's defaults
 * (uniquify = true: matches covering the same atom set count once; at most 1,000 matches are enumerated).
 */
export function countSubstructMatches(mol: JSMol, q: JSMol): number {
  const v = JSON.parse(mol.get_substruct_matches(q)) as unknown;
  return Array.isArray(v) ? v.length : 0;
}

/**
 * Compiled SMARTS patterns keyed by their text, least recently used evicted beyond `capacity` (evicted queries are
 * freed). Not thread-safe (nothing in Node is). Patterns that fail to compile are not cached.
 */
export class SmartsCache {
  private readonly entries = new Map<string, JSMol>();

  constructor(
    private readonly rdkit: RDKit,
    /** Maximum number of compiled patterns kept, >= 1. */
    readonly capacity: number = SMARTS_CACHE_SIZE,
    private readonly opts: CompileSmartsOptions = {},
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be >= 1, got ${capacity}`);
  }

  /** Number of compiled patterns currently held. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The compiled query for `smarts` (owned by the cache: do not delete it, and do not keep it past the next `get`
   * or `dispose`, which may free it).
   *
   * @throws InvalidSmartsError see `compileSmarts`.
   */
  get(smarts: string): JSMol {
    const hit = this.entries.get(smarts);
    if (hit) {
      this.entries.delete(smarts);
      this.entries.set(smarts, hit);
      return hit;
    }
    const q = compileSmarts(this.rdkit, smarts, this.opts);
    this.entries.set(smarts, q);
    while (this.entries.size > this.capacity) {
      const [oldest, oq] = this.entries.entries().next().value as [string, JSMol];
      this.entries.delete(oldest);
      oq.delete();
    }
    return q;
  }

  /** Frees every compiled pattern. The cache stays usable (it recompiles on demand). */
  dispose(): void {
    for (const q of this.entries.values()) q.delete();
    this.entries.clear();
  }
}
