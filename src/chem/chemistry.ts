/**
 * molnav's chemistry toolkit: SMILES validation with reasons, canonical SMILES, InChIKey, descriptors, QED,
 * SA score, penalised logP, ECFP4 fingerprints/Tanimoto, SVG depiction and salt stripping, on top of RDKit's WASM
 * build (MinimalLib 2025.03). Pure TypeScript, no Nest; `ChemService` (chem.service.ts) wraps one instance.
 *
 * Memory: every JSMol created here is deleted in a `finally`; the query molecules compiled for QED, the structural
 * alerts (compiled per table on first use) and user SMARTS (bounded cache) live as long as the instance and are freed
 * by `dispose()`.
 */
import { molProfile, passesScreen, QueryScreen, queryScreen } from './screen';
import type { JSMol } from './rdkit';
import { ext, loadRDKit, RDKit, rdkitLogCapture } from './rdkit';
import { elementSymbol } from './elements';
import { InvalidSmilesError, ValidationCode } from './errors';
import { cycleBasis, cyclomaticNumber, MolGraph, parseRdkitJson } from './graph';
import { morganCounts as computeMorganCounts } from './morgan';
import {
  penalizedLogPFrom,
  QedProperties,
  qedFromProperties,
  SaComponents,
  saScoreFromComponents,
  tanimotoBits,
} from './scores';
import { ChemTables, loadChemTables } from './tables';
import { AlertCatalogs, AlertHit, AlertSet } from './alerts';
import { bertzCT as computeBertzCT } from './bertz';
import { ElementCounts, formatFormula } from './formula';
import { countSubstructMatches, hasSubstructMatch, SmartsCache } from './smarts';
import { SparseFingerprint, SparseFingerprinter, SparseFingerprintKind } from './fingerprints';

/** Longest SMILES string `validate()` accepts, in characters. */
export const MAX_SMILES_LENGTH = 1000;

/**
 * Largest molecule (atoms, including any explicit H atoms) that is processed further. RDKit's canonical SMILES
 * writer recurses along chains and overflows the WASM stack (which corrupts the module for every later call) for a
 * linear chain of ~700 atoms; 500 keeps a margin and is far above any approved drug (max 121 heavy atoms).
 */
export const MAX_ATOMS = 500;

/** ECFP4 as used for similarity: Morgan radius 2 folded to 2048 bits (Rogers & Hahn 2010). */
export const ECFP4 = Object.freeze({ radius: 2, nBits: 2048 });

/** Default and allowed depiction sizes, pixels. */
export const SVG_DEFAULT_SIZE = Object.freeze({ width: 300, height: 200 });
export const SVG_MIN_SIZE = 50;
export const SVG_MAX_SIZE = 2000;

/** Matches of a highlight pattern drawn by `depictSvg` (a pattern matching more often draws the first ones). */
export const MAX_HIGHLIGHT_MATCHES = 100;

/**
 * The stable start of each validation reason. A reason is this text alone or followed by RDKit's explanation in
 * parentheses, e.g. `SMILES syntax error (unclosed ring)` or
 * `valence error (Explicit valence for atom # 0 C, 5, is greater than permitted)`.
 */
export const VALIDATION_REASONS: Readonly<Record<ValidationCode, string>> = Object.freeze({
  EMPTY: 'empty input',
  TOO_LONG: 'too long',
  TOO_MANY_ATOMS: 'too many atoms',
  WHITESPACE: 'contains whitespace or control characters',
  SYNTAX: 'SMILES syntax error',
  VALENCE: 'valence error',
  KEKULIZATION: 'kekulization error',
  SANITIZATION: 'sanitization failed',
  NO_ATOMS: 'no atoms',
});

/** Result of `Chemistry.validate()`. */
export interface ValidationResult {
  valid: boolean;
  /** RDKit canonical isomeric SMILES when valid, else null. */
  canonicalSmiles: string | null;
  /** Why the string was rejected (starts with a `VALIDATION_REASONS` entry), null when valid. */
  reason: string | null;
  /** Machine-readable reason, null when valid. */
  code: ValidationCode | null;
}

/** Descriptors and scores of one molecule (all fragments, as given). */
export interface MolecularProperties {
  /** Average molecular weight, Da (RDKit `Descriptors.MolWt`). */
  mw: number;
  /** Crippen logP (Wildman & Crippen, J. Chem. Inf. Comput. Sci. 1999, 39, 868). */
  clogp: number;
  /** Topological polar surface area, Å² (Ertl, Rohde & Selzer, J. Med. Chem. 2000, 43, 3714; N and O only). */
  tpsa: number;
  /** H-bond donors (`rdMolDescriptors.CalcNumHBD`, = Lipinski.NumHDonors). */
  hbd: number;
  /** H-bond acceptors (`rdMolDescriptors.CalcNumHBA`, = Lipinski.NumHAcceptors). */
  hba: number;
  /** Rotatable bonds (`CalcNumRotatableBonds`, RDKit default = strict definition). */
  rotatableBonds: number;
  /** Heavy (Z > 1) atoms. */
  heavyAtoms: number;
  /** Aromatic rings (`CalcNumAromaticRings`). */
  aromaticRings: number;
  /** QED 0..1 (Bickerton et al. 2012; RDKit QED 1.1.0, mean weights). */
  qed: number;
  /** Synthetic accessibility 1 (easy) .. 10 (hard) (Ertl & Schuffenhauer 2009). */
  sa: number;
  /** JT-VAE normalised penalised logP (Jin et al. 2018), unitless. */
  plogp: number;
}

/** Result of `Chemistry.basicDescriptors()`: the RDKit descriptors of `MolecularProperties` (same units) and the ring count. */
export type BasicDescriptors = Pick<
  MolecularProperties,
  'mw' | 'clogp' | 'tpsa' | 'hbd' | 'hba' | 'rotatableBonds' | 'aromaticRings' | 'heavyAtoms'
> & {
  /** Rings of the SSSR (`NumRings`). */
  rings: number;
};

/** Result of `Chemistry.describe()`. */
export interface MoleculeDescription {
  canonicalSmiles: string;
  /** Standard InChIKey, or null when InChI generation fails. */
  inchiKey: string | null;
  properties: MolecularProperties;
}

/** Result of `Chemistry.describeCanonical()`: `describe()` plus the ECFP4 fingerprint of the same parse. */
export interface FingerprintedDescription extends MoleculeDescription {
  /** ECFP4 (Morgan radius 2, 2048 bits), packed as `fingerprint()` returns it (256 bytes). */
  ecfp4: Uint8Array;
}

/** Options of `Chemistry.create()`. */
export interface ChemistryOptions {
  /** An already loaded RDKit module (default: `loadRDKit()`). */
  rdkit?: RDKit;
  /** Preloaded tables (default: `loadChemTables(dataDir)`). */
  tables?: ChemTables;
  /** Data directory for the tables (default: `chemDataDir()`). */
  dataDir?: string;
}

/** Descriptor keys of MinimalLib's `get_descriptors()` JSON that are used here. */
interface Descriptors {
  amw: number;
  CrippenClogP: number;
  tpsa: number;
  NumHBD: number;
  NumHBA: number;
  NumRotatableBonds: number;
  NumHeavyAtoms: number;
  NumAromaticRings: number;
  NumRings: number;
  NumAtomStereoCenters: number;
  NumSpiroAtoms: number;
  NumBridgeheadAtoms: number;
}

/** SMARTS for QED's aromatic-ring count: aliphatic ring atoms bonded to a non-aromatic atom (RDKit QED.py). */
const QED_ALIPHATIC_RING_SMARTS = '[$([A;R][!a])]';

// Whitespace (incl. Unicode spaces) and C0/C1 control characters.
// eslint-disable-next-line no-control-regex
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]/;

/**
 * The chemistry toolkit. Create with `Chemistry.create()`. Methods taking a SMILES:
 * - `validate`, `canonical` never throw for bad chemistry;
 * - `describe`, `properties`, `qed`, `qedProperties`, `saScore`, `saComponents`, `penalizedLogP`, `inchiKey`
 *   return `null` for invalid SMILES;
 * - `fingerprint`, `morganCounts`, `tanimoto`, `depictSvg`, `largestFragment` throw `InvalidSmilesError`.
 * - `alerts`, `matchesSmarts`, `countSmartsMatches`, `bertzCT`, `elementCounts`, `molecularFormula` throw
 *   `InvalidSmilesError` (and `InvalidSmartsError` for a bad pattern).
 */
export class Chemistry {
  private readonly acceptorQueries: JSMol[] = [];
  private readonly alertQueries: JSMol[] = [];
  private aliphaticRingQuery: JSMol | null = null;
  /** Pre-screens of the QED acceptor and alert queries, built on first use. */
  private qedScreens: { acceptors: QueryScreen[]; alerts: QueryScreen[] } | null = null;
  private readonly deltaMassCache = new Map<string, number>();
  /** Structural-alert tables, compiled on first use; freed by `dispose()`. */
  private alertCatalogs: AlertCatalogs | null = null;
  /** User SMARTS of `matchesSmarts`/`countSmartsMatches` (LRU, 256 patterns); freed by `dispose()`. */
  private smartsCache: SmartsCache | null = null;
  private disposed = false;

  /**
   * Compiles the QED SMARTS. Prefer `Chemistry.create()`.
   *
   * @throws Error when a shipped SMARTS does not parse.
   */
  constructor(
    readonly rdkit: RDKit,
    readonly tables: ChemTables,
  ) {
    const compile = (smarts: string): JSMol => {
      const q = rdkit.get_qmol(smarts);
      if (!q) throw new Error(`cannot parse SMARTS ${smarts}`);
      return q;
    };
    try {
      for (const s of tables.qedAcceptorSmarts) this.acceptorQueries.push(compile(s));
      for (const s of tables.qedAlertSmarts) this.alertQueries.push(compile(s));
      this.aliphaticRingQuery = compile(QED_ALIPHATIC_RING_SMARTS);
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /**
   * Loads RDKit (once per process) and the data tables, and builds a `Chemistry`.
   *
   * @throws ChemDataError when the tables are missing; Error when RDKit cannot be loaded.
   */
  static async create(opts: ChemistryOptions = {}): Promise<Chemistry> {
    const rdkit = opts.rdkit ?? (await loadRDKit());
    const tables = opts.tables ?? loadChemTables(opts.dataDir);
    return new Chemistry(rdkit, tables);
  }

  /** RDKit release of the WASM module, e.g. "2025.03.4". */
  get rdkitVersion(): string {
    return this.rdkit.version();
  }

  /** Frees the compiled query molecules. The instance must not be used afterwards. */
  dispose(): void {
    this.disposed = true;
    for (const q of [...this.acceptorQueries, ...this.alertQueries]) q.delete();
    this.acceptorQueries.length = 0;
    this.alertQueries.length = 0;
    this.aliphaticRingQuery?.delete();
    this.aliphaticRingQuery = null;
    this.alertCatalogs?.dispose();
    this.alertCatalogs = null;
    this.smartsCache?.dispose();
    this.smartsCache = null;
    this.sparseFingerprinter?.dispose();
    this.sparseFingerprinter = null;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // validation and parsing

  /**
   * Checks a SMILES string. Multi-fragment SMILES (salts, mixtures) are valid. Never throws for bad input.
   *
   * Checks, in order: empty; longer than `MAX_SMILES_LENGTH`; whitespace or control characters (inputs are not
   * trimmed); non-ASCII characters (`SYNTAX`); RDKit parse without sanitisation (failure: `SYNTAX`); sanitisation (`VALENCE`, `KEKULIZATION` or
   * `SANITIZATION`, with RDKit's message when the log could be captured); at least one atom (`NO_ATOMS`); at most
   * `MAX_ATOMS` atoms (`TOO_MANY_ATOMS`).
   */
  validate(smiles: string): ValidationResult {
    const { mol, result } = this.parse(smiles);
    mol?.delete();
    return result;
  }

  /** RDKit canonical isomeric SMILES, or null when invalid (never throws for bad chemistry). */
  canonical(smiles: string): string | null {
    return this.validate(smiles).canonicalSmiles;
  }

  /**
   * Parses `smiles`; on success the caller owns (and must delete) the returned molecule.
   */
  private parse(smiles: string): { mol: JSMol | null; result: ValidationResult } {
    this.assertUsable();
    const fail = (code: ValidationCode, detail?: string) => ({
      mol: null,
      result: {
        valid: false,
        canonicalSmiles: null,
        reason: detail ? `${VALIDATION_REASONS[code]} (${detail})` : VALIDATION_REASONS[code],
        code,
      },
    });
    if (typeof smiles !== 'string' || smiles.length === 0) return fail('EMPTY');
    if (smiles.length > MAX_SMILES_LENGTH) {
      return fail('TOO_LONG', `${smiles.length} characters; maximum ${MAX_SMILES_LENGTH}`);
    }
    if (WHITESPACE_OR_CONTROL.test(smiles)) return fail('WHITESPACE');
    // SMILES is ASCII. RDKit silently skips some leading non-ASCII characters ("💊C" would read as methane).
    const nonAscii = /[^\x20-\x7e]/u.exec(smiles);
    if (nonAscii) {
      const cp = nonAscii[0].codePointAt(0) as number;
      return fail('SYNTAX', `character U+${cp.toString(16).toUpperCase().padStart(4, '0')} is not SMILES (SMILES is ASCII)`);
    }
    // get_mol would read a leading '{' as RDKit/CommonChem JSON; no SMILES contains '{' (only CXSMILES extensions
    // after a space, which is rejected above).
    if (smiles.includes('{')) return fail('SYNTAX', "unexpected character '{'");

    const log = rdkitLogCapture(this.rdkit);
    log?.clear_buffer();
    const mol = this.tryParse(smiles);
    if (!mol) {
      const messages = readLog(log?.get_buffer() ?? '');
      log?.clear_buffer();
      // Tell syntax errors from sanitisation errors by parsing again without sanitisation.
      const raw = this.tryParse(smiles, JSON.stringify({ sanitize: false }));
      raw?.delete();
      log?.clear_buffer();
      if (!raw) return fail('SYNTAX', syntaxDetail(messages));
      const text = messages.join(' ');
      if (/valence/i.test(text)) return fail('VALENCE', messages.find((m) => /valence/i.test(m)));
      if (/kekuliz/i.test(text)) return fail('KEKULIZATION', messages.find((m) => /kekuliz/i.test(m)));
      return fail('SANITIZATION', messages[0]);
    }
    log?.clear_buffer();
    let ok = false;
    try {
      const numAtoms = ext(mol).get_num_atoms();
      if (numAtoms === 0) return fail('NO_ATOMS');
      if (numAtoms > MAX_ATOMS) return fail('TOO_MANY_ATOMS', `${numAtoms} atoms; maximum ${MAX_ATOMS}`);
      const canonicalSmiles = mol.get_smiles();
      // RDKit occasionally writes a canonical SMILES it cannot read back (e.g. aromatic hypervalent S that fails
      // kekulization on re-reading). Such a molecule could not be described, stored or drawn later: reject it.
      if (canonicalSmiles !== smiles) {
        const again = this.tryParse(canonicalSmiles);
        if (!again) {
          log?.clear_buffer();
          return fail('SANITIZATION', `RDKit cannot re-read its canonical SMILES ${canonicalSmiles}`);
        }
        again.delete();
      }
      ok = true;
      return { mol, result: { valid: true, canonicalSmiles, reason: null, code: null } };
    } finally {
      if (!ok) mol.delete();
    }
  }

  /** `get_mol` that returns null instead of throwing or returning an invalid molecule (which it then frees). */
  private tryParse(smiles: string, details?: string): JSMol | null {
    let mol: JSMol | null = null;
    try {
      mol = details === undefined ? this.rdkit.get_mol(smiles) : this.rdkit.get_mol(smiles, details);
      if (mol && mol.is_valid()) {
        const ok = mol;
        mol = null;
        return ok;
      }
      return null;
    } catch {
      return null;
    } finally {
      mol?.delete();
    }
  }

  /**
   * Runs `fn` on a stored (already RDKit-canonical) SMILES, parsed once without the checks of `validate` (about a
   * third of its cost), and frees the molecule. For scans over stored candidates (library search, export).
   *
   * @returns fn's result, or null when RDKit cannot parse the string (never the case for a stored candidate).
   */
  withStoredMol<T>(canonicalSmiles: string, fn: (mol: JSMol) => T): T | null {
    // get_mol would read a string starting with '{' as JSON; no SMILES contains '{'.
    if (typeof canonicalSmiles !== 'string' || canonicalSmiles.length === 0 || canonicalSmiles.includes('{')) return null;
    const mol = this.tryParse(canonicalSmiles);
    if (!mol) return null;
    try {
      return fn(mol);
    } finally {
      mol.delete();
    }
  }

  private withMol<T>(smiles: string, fn: (mol: JSMol, canonicalSmiles: string) => T): T | null {
    const { mol, result } = this.parse(smiles);
    if (!mol) return null;
    try {
      return fn(mol, result.canonicalSmiles as string);
    } finally {
      mol.delete();
    }
  }

  /** Like `withMol` but throws `InvalidSmilesError` for invalid SMILES. */
  private requireMol<T>(smiles: string, fn: (mol: JSMol, canonicalSmiles: string) => T): T {
    const { mol, result } = this.parse(smiles);
    if (!mol) throw new InvalidSmilesError(smiles, result.reason as string, result.code as ValidationCode);
    try {
      return fn(mol, result.canonicalSmiles as string);
    } finally {
      mol.delete();
    }
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error('Chemistry instance has been disposed');
  }

  // ---------------------------------------------------------------------------------------------------------------
  // description

  /**
   * Canonical SMILES, InChIKey and all properties of a molecule.
   *
   * @returns null when `smiles` is invalid (see `validate()` for the reason).
   */
  describe(smiles: string): MoleculeDescription | null {
    return this.withMol(smiles, (mol, canonicalSmiles) => ({
      canonicalSmiles,
      inchiKey: this.inchiKeyOf(mol),
      properties: this.propertiesOf(mol, smiles, canonicalSmiles),
    }));
  }

  /**
   * `describe()` and `fingerprint()` of an RDKit canonical SMILES of a valid molecule (what `canonical()` returns),
   * from one parse without the checks of `validate` (see `withStoredMol`): what a decoded molecule needs before it
   * joins a path, about half the cost of `describe()` plus `fingerprint()`.
   *
   * @returns null when RDKit cannot parse the string (never for an output of `canonical()`).
   */
  describeCanonical(canonicalSmiles: string): FingerprintedDescription | null {
    return this.withStoredMol(canonicalSmiles, (mol) => ({
      canonicalSmiles,
      inchiKey: this.inchiKeyOf(mol),
      properties: this.propertiesOf(mol, canonicalSmiles, canonicalSmiles),
      ecfp4: this.ecfp4Of(mol),
    }));
  }

  /** `describe()` for each string, in order (null entries for invalid SMILES). */
  describeMany(smiles: readonly string[]): Array<MoleculeDescription | null> {
    return smiles.map((s) => this.describe(s));
  }

  /**
   * Descriptors and scores (MW in Da, TPSA in Å², see `MolecularProperties`).
   *
   * @returns null when `smiles` is invalid.
   */
  properties(smiles: string): MolecularProperties | null {
    return this.withMol(smiles, (mol, canonicalSmiles) => this.propertiesOf(mol, smiles, canonicalSmiles));
  }

  /**
   * Standard InChIKey computed by the InChI library inside MinimalLib (`get_inchi` + `get_inchikey_for_inchi`).
   *
   * @returns null for invalid SMILES or when InChI cannot be generated.
   */
  inchiKey(smiles: string): string | null {
    return this.withMol(smiles, (mol) => this.inchiKeyOf(mol)) ?? null;
  }

  /**
   * QED, 0..1, with RDKit's default mean weights (Bickerton et al., Nat. Chem. 2012, 4, 90,
   * doi:10.1038/nchem.1243; RDKit `rdkit.Chem.QED.qed`, QED 1.1.0).
   *
   * @returns null when `smiles` is invalid.
   */
  qed(smiles: string): number | null {
    return this.withMol(smiles, (mol) => {
      const g = parseRdkitJson(mol.get_json());
      return qedFromProperties(this.qedPropertiesOf(mol, g, descriptorsOf(mol)), this.tables.qed);
    });
  }

  /**
   * The RDKit descriptors the scoring language uses, from one parse and without QED, SA or InChI (cheaper than
   * `properties`): MW (Da, `amw`), Crippen cLogP, TPSA (Å²), HBD, HBA, rotatable bonds (strict), rings (SSSR,
   * `NumRings`), aromatic rings, heavy atoms.
   *
   * @returns null when `smiles` is invalid.
   */
  basicDescriptors(smiles: string): BasicDescriptors | null {
    return this.withMol(smiles, (mol) => basicDescriptorsFrom(descriptorsOf(mol)));
  }

  /**
   * The eight QED input properties as RDKit's `QED.properties()` computes them: MW (Da), ALOGP (Crippen), HBA
   * (count of matches of QED's 11 acceptor SMARTS), HBD, PSA (TPSA, Å²), ROTB (strict), AROM (SSSR ring count after
   * deleting aliphatic ring atoms bonded to non-aromatic atoms), ALERTS (number of the 116 structural alerts that
   * match).
   *
   * @returns null when `smiles` is invalid.
   */
  qedProperties(smiles: string): QedProperties | null {
    return this.withMol(smiles, (mol) => this.qedPropertiesOf(mol, parseRdkitJson(mol.get_json()), descriptorsOf(mol)));
  }

  /**
   * Synthetic accessibility score, 1 (easy) .. 10 (hard) (Ertl & Schuffenhauer, J. Cheminform. 2009, 1:8,
   * doi:10.1186/1758-2946-1-8), as RDKit's Contrib/SA_Score/sascorer.py computes it.
   *
   * @returns null when `smiles` is invalid.
   */
  saScore(smiles: string): number | null {
    const c = this.saComponents(smiles);
    return c === null ? null : saScoreFromComponents(c);
  }

  /** The inputs of the SA score (see `SaComponents`); null when `smiles` is invalid. */
  saComponents(smiles: string): SaComponents | null {
    return this.withMol(smiles, (mol) => this.saComponentsOf(parseRdkitJson(mol.get_json()), descriptorsOf(mol)));
  }

  /**
   * JT-VAE normalised penalised logP (Jin et al., ICML 2018): standardised Crippen logP − SA score − long-cycle
   * penalty, using the cycle basis of the molecule re-parsed from its canonical SMILES (as JT-VAE does). See
   * `penalizedLogPFrom` in scores.ts for the constants.
   *
   * @returns null when `smiles` is invalid.
   */
  penalizedLogP(smiles: string): number | null {
    return this.withMol(smiles, (mol, canonicalSmiles) => {
      const g = parseRdkitJson(mol.get_json());
      const d = descriptorsOf(mol);
      const sa = saScoreFromComponents(this.saComponentsOf(g, d));
      return penalizedLogPFrom(d.CrippenClogP, sa, this.largestCycleOfCanonical(smiles, canonicalSmiles, g));
    });
  }

  private propertiesOf(mol: JSMol, input: string, canonicalSmiles: string): MolecularProperties {
    const d = descriptorsOf(mol);
    const g = parseRdkitJson(mol.get_json());
    const qed = qedFromProperties(this.qedPropertiesOf(mol, g, d), this.tables.qed);
    const sa = saScoreFromComponents(this.saComponentsOf(g, d));
    const plogp = penalizedLogPFrom(d.CrippenClogP, sa, this.largestCycleOfCanonical(input, canonicalSmiles, g));
    const { rings: _rings, ...basic } = basicDescriptorsFrom(d);
    return {
      ...basic,
      qed,
      sa,
      plogp,
    };
  }

  private qedPropertiesOf(mol: JSMol, g: MolGraph, d: Descriptors): QedProperties {
    // Queries the molecule cannot match (missing elements, aromatic atoms or bond types; screen.ts) are skipped:
    // the same counts, 3x fewer substructure searches.
    const profile = molProfile(g);
    this.qedScreens ??= {
      acceptors: this.acceptorQueries.map((q) => queryScreen(q.get_json())),
      alerts: this.alertQueries.map((q) => queryScreen(q.get_json())),
    };
    const screens = this.qedScreens;
    let hba = 0;
    this.acceptorQueries.forEach((q, i) => {
      if (passesScreen(screens.acceptors[i], profile)) hba += countMatches(mol.get_substruct_matches(q));
    });
    let alerts = 0;
    this.alertQueries.forEach((q, i) => {
      if (passesScreen(screens.alerts[i], profile) && hasMatch(mol.get_substruct_match(q))) alerts++;
    });
    const aliphatic = new Set<number>();
    const ringQuery = this.aliphaticRingQuery as JSMol;
    for (const m of parseMatches(mol.get_substruct_matches(ringQuery))) for (const a of m) aliphatic.add(a);
    const arom = cyclomaticNumber(g, (i) => !aliphatic.has(i));
    return {
      MW: d.amw,
      ALOGP: d.CrippenClogP,
      HBA: hba,
      HBD: d.NumHBD,
      PSA: d.tpsa,
      ROTB: d.NumRotatableBonds,
      AROM: arom,
      ALERTS: alerts,
    };
  }

  private saComponentsOf(g: MolGraph, d: Descriptors): SaComponents {
    const counts = computeMorganCounts(g, this.deltaMasses(g), 2);
    let score = 0;
    let nf = 0;
    for (const [id, n] of counts) {
      nf += n;
      score += (this.tables.saFragments.get(id) ?? -4) * n;
    }
    return {
      fragmentScore: nf > 0 ? score / nf : 0,
      nAtoms: g.numAtoms,
      nChiralCenters: d.NumAtomStereoCenters,
      nSpiro: d.NumSpiroAtoms,
      nBridgeheads: d.NumBridgeheadAtoms,
      nMacrocycles: g.atomRings.filter((r) => r.length > 8).length,
      nDistinctIds: counts.size,
    };
  }

  /** Largest cycle of networkx's cycle basis on the molecule parsed from its canonical SMILES. */
  private largestCycleOfCanonical(input: string, canonicalSmiles: string, g: MolGraph): number {
    let graph = g;
    if (input !== canonicalSmiles) {
      const cmol = this.rdkit.get_mol(canonicalSmiles);
      if (!cmol) throw new Error(`RDKit cannot re-parse its own canonical SMILES ${canonicalSmiles}`);
      try {
        graph = parseRdkitJson(cmol.get_json());
      } finally {
        cmol.delete();
      }
    }
    let largest = 0;
    for (const c of cycleBasis(graph.neighbors)) largest = Math.max(largest, c.length);
    return largest;
  }

  private inchiKeyOf(mol: JSMol): string | null {
    const log = rdkitLogCapture(this.rdkit);
    try {
      const inchi = mol.get_inchi();
      if (!inchi) return null;
      const key = this.rdkit.get_inchikey_for_inchi(inchi);
      return key && /^[A-Z]{14}-[A-Z]{10}-[A-Z]$/.test(key) ? key : null;
    } catch {
      return null;
    } finally {
      log?.clear_buffer();
    }
  }

  /**
   * `int(atom.GetMass() − standard atomic weight)` per atom, the isotope term of RDKit's Morgan invariants. Isotope
   * masses come from RDKit itself (average MW of the bare single-atom molecule `[<isotope><symbol>]`).
   */
  private deltaMasses(g: MolGraph): Int32Array {
    const out = new Int32Array(g.numAtoms);
    for (let i = 0; i < g.numAtoms; i++) {
      if (g.isotope[i] === 0) continue;
      const z = g.atomicNum[i];
      const key = `${z}:${g.isotope[i]}`;
      let dm = this.deltaMassCache.get(key);
      if (dm === undefined) {
        const sym = elementSymbol(z);
        const isoMass = sym && z > 0 ? this.singleAtomMass(`[${g.isotope[i]}${sym}]`) : null;
        const stdMass = sym && z > 0 ? this.singleAtomMass(`[${sym}]`) : null;
        dm = isoMass !== null && stdMass !== null ? Math.trunc(isoMass - stdMass) : 0;
        this.deltaMassCache.set(key, dm);
      }
      out[i] = dm;
    }
    return out;
  }

  private singleAtomMass(smiles: string): number | null {
    const m = this.rdkit.get_mol(smiles);
    if (!m) return null;
    try {
      return descriptorsOf(m).amw;
    } finally {
      m.delete();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // fingerprints and similarity

  /**
   * ECFP4 fingerprint: Morgan radius 2, 2048 bits (RDKit `get_morgan_fp_as_uint8array`), packed 8 bits per byte,
   * bit i in byte i >> 3 at position i & 7. Use with `tanimotoFp` to compare many molecules without re-parsing.
   *
   * @throws InvalidSmilesError when `smiles` is invalid.
   */
  fingerprint(smiles: string): Uint8Array {
    return this.requireMol(smiles, (mol) => this.ecfp4Of(mol));
  }

  /** ECFP4 of a parsed molecule, packed as `fingerprint()` returns it (for callers inside `withStoredMol`). */
  ecfp4Of(mol: JSMol): Uint8Array {
    return Uint8Array.from(mol.get_morgan_fp_as_uint8array(JSON.stringify({ radius: ECFP4.radius, nBits: ECFP4.nBits })));
  }

  /**
   * Unfolded Morgan count fingerprint with RDKit's 32-bit identifiers (`GetMorganFingerprint(m, radius)`), computed
   * in TypeScript (see morgan.ts).
   *
   * @throws InvalidSmilesError when `smiles` is invalid; RangeError for a bad radius.
   */
  morganCounts(smiles: string, radius = 2): Map<number, number> {
    return this.requireMol(smiles, (mol) => {
      const g = parseRdkitJson(mol.get_json());
      return computeMorganCounts(g, this.deltaMasses(g), radius);
    });
  }

  /**
   * ECFP4 Tanimoto similarity, 0..1. Accepts two SMILES (parsed each call) or two fingerprints from
   * `fingerprint()`.
   *
   * @throws InvalidSmilesError when a SMILES is invalid; RangeError when fingerprint lengths differ.
   */
  tanimoto(a: string, b: string): number;
  tanimoto(a: Uint8Array, b: Uint8Array): number;
  tanimoto(a: string | Uint8Array, b: string | Uint8Array): number {
    const fa = typeof a === 'string' ? this.fingerprint(a) : a;
    const fb = typeof b === 'string' ? this.fingerprint(b) : b;
    return tanimotoBits(fa, fb);
  }

  /** Tanimoto similarity of two packed fingerprints (see `fingerprint`). @throws RangeError on length mismatch. */
  tanimotoFp(a: Uint8Array, b: Uint8Array): number {
    return tanimotoBits(a, b);
  }

  /** Tanimoto similarity of `query` to each fingerprint in `fps`. @throws RangeError on length mismatch. */
  bulkTanimoto(query: Uint8Array, fps: readonly Uint8Array[]): number[] {
    return fps.map((f) => tanimotoBits(query, f));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // sparse (unfolded) fingerprints for GuacaMol / PMO similarity (fingerprints.ts, pharm2d.ts)

  /** Feature SMARTS of the sparse fingerprints, compiled on first use; freed by `dispose()`. */
  private sparseFingerprinter: SparseFingerprinter | null = null;

  /**
   * Unfolded fingerprint of a valid SMILES with RDKit 2022.09's identifiers, as GuacaMol/PMO compute them (Brown et
   * al. 2019, doi:10.1021/acs.jcim.8b00839): `ECFP4`/`ECFP6` = `GetMorganFingerprint(m, 2|3)`, `FCFP4` = the same
   * with `useFeatures=True` (Rogers & Hahn 2010, doi:10.1021/ci100050t), `AP` = `GetAtomPairFingerprint(m,
   * maxLength=10)` (Carhart et al. 1985, doi:10.1021/ci00046a002), `PHCO` = `Gen2DFingerprint(m,
   * Gobbi_Pharm2D.factory)` (Gobbi & Poppinger 1998). Compare with `sparseTanimoto` (fingerprints.ts).
   *
   * @returns `{kind, counts: Map<id, count>, total, binary}` (PHCO: on bits with count 1, `binary` true).
   * @throws InvalidSmilesError when `smiles` is invalid.
   */
  sparseFingerprint(smiles: string, kind: SparseFingerprintKind): SparseFingerprint {
    return this.sparseFingerprints(smiles, [kind])[kind];
  }

  /**
   * Several sparse fingerprints of one SMILES with a single parse (see `sparseFingerprint`).
   *
   * @returns an object with one `SparseFingerprint` per requested kind.
   * @throws InvalidSmilesError when `smiles` is invalid.
   */
  sparseFingerprints<K extends SparseFingerprintKind>(smiles: string, kinds: readonly K[]): Record<K, SparseFingerprint> {
    return this.requireMol(smiles, (mol) => this.sparseFingerprintsOf(mol, kinds));
  }

  /**
   * Sparse fingerprints of an already parsed molecule (the caller keeps ownership of `mol`). Pass `graph` when the
   * caller already has `parseRdkitJson(mol.get_json())` to skip that step.
   *
   * @returns an object with one `SparseFingerprint` per requested kind.
   */
  sparseFingerprintsOf<K extends SparseFingerprintKind>(
    mol: JSMol,
    kinds: readonly K[],
    graph?: MolGraph,
  ): Record<K, SparseFingerprint> {
    this.assertUsable();
    const g = graph ?? parseRdkitJson(mol.get_json());
    this.sparseFingerprinter ??= new SparseFingerprinter(this.rdkit);
    return this.sparseFingerprinter.compute(mol, g, this.deltaMasses(g), kinds);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // depiction and fragments

  /**
   * 2D depiction as an SVG document (RDKit MolDraw2DSVG via `get_svg`), `width` × `height` pixels (default 300 × 200,
   * each 50..2000).
   *
   * `highlight`: a SMARTS pattern (plain `MolFromSmarts` semantics, as `matchesSmarts`); the atoms and bonds of every
   * match (RDKit `get_substruct_matches`, uniquified, at most {@link MAX_HIGHLIGHT_MATCHES} matches) are highlighted
   * with `get_svg_with_highlights`. A pattern that does not match gives the plain depiction. The compiled pattern is
   * kept in the SMARTS cache, so a page of depictions with the same highlight compiles it once.
   *
   * @throws InvalidSmartsError for a bad `highlight` (checked first); InvalidSmilesError when `smiles` is invalid;
   *   RangeError for a size outside the limits.
   */
  depictSvg(smiles: string, opts: { width?: number; height?: number; highlight?: string | null } = {}): string {
    const width = opts.width ?? SVG_DEFAULT_SIZE.width;
    const height = opts.height ?? SVG_DEFAULT_SIZE.height;
    for (const [k, v] of [
      ['width', width],
      ['height', height],
    ] as const) {
      if (!Number.isInteger(v) || v < SVG_MIN_SIZE || v > SVG_MAX_SIZE) {
        throw new RangeError(`${k} must be an integer in ${SVG_MIN_SIZE}..${SVG_MAX_SIZE}, got ${v}`);
      }
    }
    const query = opts.highlight === undefined || opts.highlight === null ? null : this.smartsQuery(opts.highlight);
    return this.requireMol(smiles, (mol) => {
      if (!query) return mol.get_svg(width, height);
      const { atoms, bonds } = unionOfMatches(mol.get_substruct_matches(query), MAX_HIGHLIGHT_MATCHES);
      if (atoms.length === 0) return mol.get_svg(width, height);
      return mol.get_svg_with_highlights(JSON.stringify({ atoms, bonds, width, height }));
    });
  }

  /**
   * Parent structure without salts/solvents: the canonical SMILES of the largest fragment, preferring fragments
   * that contain carbon, then more heavy atoms, then larger average MW (Da, rounded to 1e-4), then the smallest
   * canonical SMILES. Same rule as scripts/derive-drug-table.py. A single-fragment molecule is returned canonical.
   *
   * @throws InvalidSmilesError when `smiles` is invalid.
   */
  largestFragment(smiles: string): string {
    return this.requireMol(smiles, (mol, canonicalSmiles) => {
      if (!canonicalSmiles.includes('.')) return canonicalSmiles;
      const { molList } = ext(mol).get_frags();
      try {
        let best: { key: [number, number, number]; smiles: string } | null = null;
        for (let i = 0; i < molList.size(); i++) {
          const frag = molList.at(i);
          try {
            const fsmi = frag.get_smiles();
            const g = parseRdkitJson(frag.get_json());
            let heavy = 0;
            let organic = 0;
            for (let a = 0; a < g.numAtoms; a++) {
              if (g.atomicNum[a] > 1) heavy++;
              if (g.atomicNum[a] === 6) organic = 1;
            }
            const key: [number, number, number] = [organic, heavy, Math.round(descriptorsOf(frag).amw * 1e4) / 1e4];
            if (!best || compareKey(key, fsmi, best.key, best.smiles) > 0) best = { key, smiles: fsmi };
          } finally {
            frag.delete();
          }
        }
        return best ? best.smiles : canonicalSmiles;
      } finally {
        molList.delete();
      }
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // structural alerts, SMARTS, BertzCT, element counts

  /**
   * The structural-alert filters of `sets` that fire on a molecule (see src/chem/alerts.ts for the tables and
   * matching rules: FilterCatalog sets with mergeHs SMARTS and `>= max_allowed_matches + 1` unique matches; MCF with
   * MOSES's plain `HasSubstructMatch`). Each table is compiled once per instance, on first use. `PAINS` stands for
   * PAINS_A + PAINS_B + PAINS_C; hits report their table. Empty array = no alert.
   *
   * @throws InvalidSmilesError when `smiles` is invalid; RangeError for an unknown set (see `ALERT_SETS`).
   */
  alerts(smiles: string, sets: readonly AlertSet[]): AlertHit[] {
    return this.requireMol(smiles, (mol) => this.alertsOfMol(mol, sets));
  }

  /**
   * `alerts()` on an already parsed molecule (for callers that parse once and score many ways). The molecule is
   * neither modified nor freed.
   *
   * @throws RangeError for an unknown set.
   */
  alertsOfMol(mol: JSMol, sets: readonly AlertSet[]): AlertHit[] {
    this.assertUsable();
    this.alertCatalogs ??= new AlertCatalogs(this.rdkit, this.tables.dataDir);
    return this.alertCatalogs.fired(mol, sets);
  }

  /**
   * Whether `smarts` matches the molecule (RDKit `HasSubstructMatch`, plain `MolFromSmarts` semantics, default
   * match parameters: no chirality). Compiled patterns are cached (256, least recently used evicted).
   *
   * @throws InvalidSmilesError for an invalid SMILES; InvalidSmartsError (code INVALID_SMARTS) for a bad pattern.
   */
  matchesSmarts(smiles: string, smarts: string): boolean {
    return this.requireMol(smiles, (mol) => hasSubstructMatch(mol, this.smartsQuery(smarts)));
  }

  /**
   * Number of unique matches of `smarts` in the molecule, as `len(mol.GetSubstructMatches(Chem.MolFromSmarts(s)))`
   * (uniquified, at most 1,000). Same cache and errors as `matchesSmarts`.
   */
  countSmartsMatches(smiles: string, smarts: string): number {
    return this.requireMol(smiles, (mol) => countSubstructMatches(mol, this.smartsQuery(smarts)));
  }

  private smartsQuery(smarts: string): JSMol {
    this.assertUsable();
    this.smartsCache ??= new SmartsCache(this.rdkit);
    return this.smartsCache.get(smarts);
  }

  /**
   * Bertz complexity index CT (unitless; RDKit `GraphDescriptors.BertzCT`, Bertz, J. Am. Chem. Soc. 1981, 103,
   * 3599, doi:10.1021/ja00402a071), see src/chem/bertz.ts. Computed on the molecule as parsed (all fragments).
   *
   * @throws InvalidSmilesError when `smiles` is invalid.
   */
  bertzCT(smiles: string): number {
    return this.requireMol(smiles, (mol) => computeBertzCT(parseRdkitJson(mol.get_json())));
  }

  /**
   * Number of atoms per element symbol including all hydrogens (implicit, explicit and isotopic H such as `[2H]`
   * count as `H`), e.g. celecoxib → {C: 17, H: 14, F: 3, N: 3, O: 2, S: 1}. Equal to GuacaMol's `AtomCounter` per
   * element (atoms by `GetSymbol()` after `Chem.AddHs`); the values sum to GuacaMol's `num_atoms`. Dummy atoms count
   * as `*`.
   *
   * @throws InvalidSmilesError when `smiles` is invalid.
   */
  elementCounts(smiles: string): ElementCounts {
    return this.requireMol(smiles, (mol) => elementCountsOf(parseRdkitJson(mol.get_json())));
  }

  /**
   * Molecular formula without charge in RDKit's `CalcMolFormula` order (C, H, then alphabetical), e.g. celecoxib →
   * `C17H14F3N3O2S` (see `formatFormula`).
   *
   * @throws InvalidSmilesError when `smiles` is invalid.
   */
  molecularFormula(smiles: string): string {
    return formatFormula(this.elementCounts(smiles));
  }
}

/** Element counts of a graph, hydrogens included (graph H atoms plus each atom's total H count). */
function elementCountsOf(g: MolGraph): ElementCounts {
  const out: ElementCounts = {};
  let h = 0;
  for (let i = 0; i < g.numAtoms; i++) {
    const sym = elementSymbol(g.atomicNum[i]) ?? '*';
    out[sym] = (out[sym] ?? 0) + 1;
    h += g.totalHs[i];
  }
  if (h > 0) out.H = (out.H ?? 0) + h;
  return out;
}

/** > 0 when (key a, smiles a) ranks above (key b, smiles b): larger keys win, then the smaller SMILES. */
function compareKey(a: readonly number[], sa: string, b: readonly number[], sb: string): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return sa < sb ? 1 : sa > sb ? -1 : 0;
}

function descriptorsOf(mol: JSMol): Descriptors {
  return JSON.parse(mol.get_descriptors()) as Descriptors;
}

function basicDescriptorsFrom(d: Descriptors): BasicDescriptors {
  return {
    mw: d.amw,
    clogp: d.CrippenClogP,
    tpsa: d.tpsa,
    hbd: d.NumHBD,
    hba: d.NumHBA,
    rotatableBonds: d.NumRotatableBonds,
    rings: d.NumRings,
    aromaticRings: d.NumAromaticRings,
    heavyAtoms: d.NumHeavyAtoms,
  };
}

function parseMatches(json: string): number[][] {
  const v = JSON.parse(json) as unknown;
  if (!Array.isArray(v)) return [];
  return v.map((m: { atoms?: number[] }) => m.atoms ?? []);
}

/**
 * Atom and bond indices (sorted, each once) of the first `max` matches of a `get_substruct_matches` answer (an array
 * of `{atoms, bonds}`; `{}` when nothing matches).
 */
function unionOfMatches(json: string, max: number): { atoms: number[]; bonds: number[] } {
  const v = JSON.parse(json) as unknown;
  const atoms = new Set<number>();
  const bonds = new Set<number>();
  if (Array.isArray(v)) {
    for (const m of v.slice(0, max) as Array<{ atoms?: number[]; bonds?: number[] }>) {
      for (const a of m.atoms ?? []) atoms.add(a);
      for (const b of m.bonds ?? []) bonds.add(b);
    }
  }
  const byIndex = (a: number, b: number) => a - b;
  return { atoms: [...atoms].sort(byIndex), bonds: [...bonds].sort(byIndex) };
}

function countMatches(json: string): number {
  const v = JSON.parse(json) as unknown;
  return Array.isArray(v) ? v.length : 0;
}

function hasMatch(json: string): boolean {
  const v = JSON.parse(json) as { atoms?: number[] } | unknown[];
  return Array.isArray(v) ? v.length > 0 : Array.isArray(v.atoms) && v.atoms.length > 0;
}

/** Log lines without RDKit's "[hh:mm:ss] " prefixes, whitespace collapsed, empty lines dropped. */
function readLog(buffer: string): string[] {
  return buffer
    .split('\n')
    .map((l) => l.replace(/^\[\d{2}:\d{2}:\d{2}\]\s*/, '').replace(/\s+/g, ' ').trim())
    .filter((l) => l.length > 0);
}

/** A short explanation of a SMILES parse error from RDKit's log lines, without the echoed input. */
function syntaxDetail(messages: string[]): string | undefined {
  if (messages.length === 0) return undefined;
  const first = messages[0]
    .replace(/^SMILES Parse Error:\s*/, '')
    .replace(/\s*for input:\s*'.*'$/, '')
    .replace(/\s*while parsing:.*$/, '');
  const pos = messages.map((m) => /around position (\d+)/.exec(m)).find((m) => m);
  return pos ? `${first} at position ${pos[1]}` : first;
}
