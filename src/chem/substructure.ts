/**
 * Substructure search over many stored molecules (src/libraries/): one query compiled once, matched against a
 * stream of canonical SMILES, and MDL molblocks with 2D coordinates for SDF export.
 *
 * Memory: every JSMol made here is freed in `finally`; a `SubstructureQuery` owns its compiled query until
 * `dispose()`.
 */
import type { Chemistry } from './chemistry';
import { InvalidSmilesError, type ValidationCode } from './errors';
import { rdkitLogCapture, type JSMol } from './rdkit';
import { compileSmarts, hasSubstructMatch } from './smarts';

/**
 * How a substructure query string is read:
 * - `SMARTS` (default): RDKit `MolFromSmarts` semantics. A SMILES written with aromatic atoms (`c1ccccc1`) is also a
 *   valid SMARTS with the expected meaning; atoms without brackets match any hydrogen count.
 * - `SMILES`: the string is parsed and sanitised as a molecule (so Kekulé input such as `C1=CC=CC=C1` becomes
 *   aromatic) and used as the query, as RDKit does for `mol.HasSubstructMatch(Chem.MolFromSmiles(q))`: elements,
 *   charges, bond orders and aromaticity must match; hydrogen counts are not compared.
 */
export type SubstructureQueryFormat = 'SMARTS' | 'SMILES';

/**
 * A compiled substructure query. Matching uses RDKit's default parameters (no chirality, uniquified), on each
 * molecule as stored (all fragments).
 */
export class SubstructureQuery {
  private query: JSMol | null;

  private constructor(
    private readonly chem: Chemistry,
    query: JSMol,
    /** The pattern as given. */
    readonly pattern: string,
    readonly format: SubstructureQueryFormat,
  ) {
    this.query = query;
  }

  /**
   * Compiles `pattern`; the caller must `dispose()` the result.
   *
   * @throws InvalidSmartsError (code INVALID_SMARTS) for an empty, over-long (> `MAX_SMARTS_LENGTH`) or unparsable
   *   SMARTS; InvalidSmilesError for an invalid SMILES query.
   */
  static compile(chem: Chemistry, pattern: string, format: SubstructureQueryFormat = 'SMARTS'): SubstructureQuery {
    if (format === 'SMARTS') return new SubstructureQuery(chem, compileSmarts(chem.rdkit, pattern), pattern, format);
    const v = chem.validate(pattern);
    if (!v.valid || !v.canonicalSmiles) {
      throw new InvalidSmilesError(pattern, v.reason ?? 'invalid', (v.code ?? 'SYNTAX') as ValidationCode);
    }
    const mol = chem.rdkit.get_mol(v.canonicalSmiles);
    if (!mol || !mol.is_valid()) {
      mol?.delete();
      throw new InvalidSmilesError(pattern, 'RDKit cannot re-read its canonical SMILES', 'SANITIZATION');
    }
    return new SubstructureQuery(chem, mol, pattern, format);
  }

  /**
   * Whether the query matches the molecule of a stored canonical SMILES. A string RDKit cannot parse (never the
   * case for stored candidates) does not match.
   *
   * @throws Error after `dispose()`.
   */
  matches(canonicalSmiles: string): boolean {
    const query = this.query;
    if (!query) throw new Error('SubstructureQuery has been disposed');
    try {
      return this.chem.withStoredMol(canonicalSmiles, (mol) => hasSubstructMatch(mol, query)) ?? false;
    } catch {
      return false;
    }
  }

  /** Frees the compiled query (idempotent) and clears RDKit messages the scan may have logged. */
  dispose(): void {
    this.query?.delete();
    this.query = null;
    rdkitLogCapture(this.chem.rdkit)?.clear_buffer();
  }
}

/**
 * MDL V2000 molblock of a (stored, canonical) SMILES with 2D coordinates (RDKit depiction coordinates, computed by MinimalLib's
 * `get_molblock` for a molecule without a conformer), hydrogens implicit. `title` (control characters removed, cut
 * to 80 characters) replaces the empty first line.
 *
 * @throws InvalidSmilesError when `smiles` is invalid.
 */
export function molBlock(chem: Chemistry, smiles: string, title = ''): string {
  const block = chem.withStoredMol(smiles, (mol) => mol.get_molblock());
  if (block === null) throw new InvalidSmilesError(String(smiles), 'RDKit cannot parse it', 'SYNTAX');
  const nl = block.indexOf('\n');
  // eslint-disable-next-line no-control-regex
  const clean = title.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 80);
  return nl < 0 ? block : clean + block.slice(nl);
}
