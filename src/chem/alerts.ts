/**
 * Structural-alert catalogs: RDKit's FilterCatalog tables (PAINS, Brenk, NIH, ZINC and the seven ChEMBL 23 rule
 * sets) and the MOSES medicinal-chemistry filters (MCF), shipped in src/chem/data/alerts/ (sources, licences and
 * checksums in src/chem/data/README.md), and their matching on RDKit MinimalLib molecules.
 *
 * Matching rules, as in the tools the tables come from:
 * - FilterCatalog sets (everything but MCF), RDKit `FilterCatalogEntry`/`SmartsMatcher`: each SMARTS is read with
 *   `mergeHs` semantics (`MolFromSmarts(smarts, mergeHs=True)`; the PAINS SMARTS contain explicit `[#1]`), and a
 *   filter fires when the molecule has at least `max_allowed_matches + 1` unique substructure matches (for
 *   `max_allowed_matches = 0`: any match). The molecule is matched as parsed (implicit hydrogens).
 * - MCF, MOSES `mol_passes_filters`: `mol.HasSubstructMatch(Chem.MolFromSmarts(smarts))`, no mergeHs (so MCF
 *   patterns written with `[H]` atoms only match molecules that keep explicit H atoms, exactly as in MOSES).
 *
 * `AlertCatalogs` compiles each table once, on first use, and frees its queries in `dispose()`. Before matching, each
 * filter passes a safe element/bond-count pre-screen (screen.ts) that skips filters the molecule cannot contain.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { JSMol } from './rdkit';
import { RDKit } from './rdkit';
import { ChemDataError, InvalidSmartsError } from './errors';
import { parseRdkitJson } from './graph';
import { compileSmarts, countSubstructMatches, hasSubstructMatch } from './smarts';
import { molProfile, passesScreen, QueryScreen, queryScreen } from './screen';

/** Sub-directory of the chemistry data directory (`chemDataDir()`) holding the alert tables. */
export const ALERTS_DATA_DIR = 'alerts';

/** The individual tables, each one file in `alerts/`. */
export const ALERT_TABLES = Object.freeze({
  PAINS_A: 'pains_a.tsv',
  PAINS_B: 'pains_b.tsv',
  PAINS_C: 'pains_c.tsv',
  BRENK: 'brenk.tsv',
  NIH: 'nih.tsv',
  ZINC: 'zinc.tsv',
  CHEMBL_BMS: 'chembl_bms.tsv',
  CHEMBL_DUNDEE: 'chembl_dundee.tsv',
  CHEMBL_GLAXO: 'chembl_glaxo.tsv',
  CHEMBL_INPHARMATICA: 'chembl_inpharmatica.tsv',
  CHEMBL_LINT: 'chembl_lint.tsv',
  CHEMBL_MLSMR: 'chembl_mlsmr.tsv',
  CHEMBL_SURECHEMBL: 'chembl_surechembl.tsv',
  MCF: 'moses_mcf.csv',
});

/** One table of `ALERT_TABLES`; every fired alert reports the table it comes from. */
export type AlertTable = keyof typeof ALERT_TABLES;

/**
 * The sets callers can ask for: every table, plus `PAINS` = PAINS_A + PAINS_B + PAINS_C (RDKit's 480 PAINS filters,
 * Baell & Holloway, J. Med. Chem. 2010, 53, 2719, doi:10.1021/jm901137j).
 */
export const ALERT_SETS = Object.freeze([
  'PAINS',
  'PAINS_A',
  'PAINS_B',
  'PAINS_C',
  'BRENK',
  'NIH',
  'ZINC',
  'CHEMBL_BMS',
  'CHEMBL_DUNDEE',
  'CHEMBL_GLAXO',
  'CHEMBL_INPHARMATICA',
  'CHEMBL_LINT',
  'CHEMBL_MLSMR',
  'CHEMBL_SURECHEMBL',
  'MCF',
] as const);
export type AlertSet = (typeof ALERT_SETS)[number];

/** Composite sets and the tables they stand for. */
const COMPOSITE_SETS: Readonly<Partial<Record<AlertSet, readonly AlertTable[]>>> = Object.freeze({
  PAINS: ['PAINS_A', 'PAINS_B', 'PAINS_C'],
});

/** One filter of a table. */
export interface AlertFilter {
  table: AlertTable;
  /** Filter name as in RDKit/MOSES, e.g. `ene_six_het_A(483)`, `Oxygen-nitrogen_single_bond`, `MCF1`. */
  name: string;
  /** The SMARTS as shipped. */
  smarts: string;
  /** The filter fires at `maxAllowedMatches + 1` or more unique matches (always 0 for MCF). */
  maxAllowedMatches: number;
  /** Whether the SMARTS is read with mergeHs semantics (FilterCatalog tables: true; MCF: false). */
  mergeHs: boolean;
}

/** A fired filter, as returned by `Chemistry.alerts()`. */
export interface AlertHit {
  /** The table the filter belongs to (`PAINS` hits report `PAINS_A`, `PAINS_B` or `PAINS_C`). */
  set: AlertTable;
  name: string;
  smarts: string;
}

/**
 * The tables behind `sets`, each once, in `ALERT_TABLES` order.
 *
 * @throws RangeError for a name that is not in `ALERT_SETS`.
 */
export function expandAlertSets(sets: readonly AlertSet[]): AlertTable[] {
  const wanted = new Set<AlertTable>();
  for (const s of sets) {
    if (!(ALERT_SETS as readonly string[]).includes(s)) {
      throw new RangeError(`unknown alert set ${JSON.stringify(s)}; known: ${ALERT_SETS.join(', ')}`);
    }
    for (const t of COMPOSITE_SETS[s] ?? [s as AlertTable]) wanted.add(t);
  }
  return (Object.keys(ALERT_TABLES) as AlertTable[]).filter((t) => wanted.has(t));
}

/**
 * Parses one shipped table: the FilterCatalog TSVs (`name<TAB>smarts<TAB>max_allowed_matches<TAB>comment`, header
 * line) or MOSES `mcf.csv` (`names,smarts`, SMARTS containing commas are double-quoted).
 *
 * @throws ChemDataError on a wrong header, a short line or a bad count.
 */
export function parseAlertTable(table: AlertTable, text: string): AlertFilter[] {
  const file = ALERT_TABLES[table];
  const rows = text.split(/\r?\n/).filter((l) => l.length > 0);
  const out: AlertFilter[] = [];
  if (table === 'MCF') {
    if (rows[0] !== 'names,smarts') throw new ChemDataError(`${file}: unexpected header ${JSON.stringify(rows[0])}`);
    for (const row of rows.slice(1)) {
      const m = /^([^,]+),(?:"([^"]*)"|([^",]*))$/.exec(row);
      if (!m) throw new ChemDataError(`${file}: malformed line ${JSON.stringify(row)}`);
      out.push({ table, name: m[1], smarts: m[2] ?? m[3], maxAllowedMatches: 0, mergeHs: false });
    }
    return out;
  }
  if (rows[0] !== 'name\tsmarts\tmax_allowed_matches\tcomment') {
    throw new ChemDataError(`${file}: unexpected header ${JSON.stringify(rows[0])}`);
  }
  for (const row of rows.slice(1)) {
    const f = row.split('\t');
    const max = Number(f[2]);
    if (f.length < 3 || !f[0] || !f[1] || !Number.isInteger(max) || max < 0) {
      throw new ChemDataError(`${file}: malformed line ${JSON.stringify(row)}`);
    }
    out.push({ table, name: f[0], smarts: f[1], maxAllowedMatches: max, mergeHs: true });
  }
  return out;
}

/**
 * Reads one table from `<dataDir>/alerts/`.
 *
 * @throws ChemDataError when the file is missing or malformed.
 */
export function loadAlertTable(dataDir: string, table: AlertTable): AlertFilter[] {
  const p = path.join(dataDir, ALERTS_DATA_DIR, ALERT_TABLES[table]);
  let text: string;
  try {
    text = fs.readFileSync(p, 'utf8');
  } catch (err) {
    throw new ChemDataError(`cannot read ${p}: ${(err as Error).message}`);
  }
  return parseAlertTable(table, text);
}

interface CompiledFilter {
  filter: AlertFilter;
  query: JSMol;
  /** Necessary element/bond counts (screen.ts); filters the molecule cannot satisfy are not matched. */
  screen: QueryScreen;
}

/**
 * The alert tables of one data directory, compiled lazily (each table on first use) with one RDKit module. Owned by
 * a `Chemistry` instance, which frees it in `dispose()`.
 */
export class AlertCatalogs {
  private readonly compiled = new Map<AlertTable, CompiledFilter[]>();

  constructor(
    private readonly rdkit: RDKit,
    private readonly dataDir: string,
  ) {}

  /**
   * The filters of `table`, compiled (compiles the table on first call).
   *
   * @throws ChemDataError when the table is missing, malformed or has a SMARTS RDKit cannot parse.
   */
  filters(table: AlertTable): readonly AlertFilter[] {
    return this.compiledTable(table).map((c) => c.filter);
  }

  /**
   * The filters of `sets` that fire on `mol`, in table order (`ALERT_TABLES`), then file order. The molecule is
   * not modified or freed.
   *
   * @throws RangeError for an unknown set; ChemDataError for a broken table.
   */
  fired(mol: JSMol, sets: readonly AlertSet[]): AlertHit[] {
    const hits: AlertHit[] = [];
    const tables = expandAlertSets(sets);
    if (tables.length === 0) return hits;
    const profile = molProfile(parseRdkitJson(mol.get_json()));
    for (const table of tables) {
      for (const { filter, query, screen } of this.compiledTable(table)) {
        if (!passesScreen(screen, profile)) continue;
        const fires =
          filter.maxAllowedMatches === 0
            ? hasSubstructMatch(mol, query)
            : countSubstructMatches(mol, query) >= filter.maxAllowedMatches + 1;
        if (fires) hits.push({ set: table, name: filter.name, smarts: filter.smarts });
      }
    }
    return hits;
  }

  /** Frees all compiled queries; tables recompile on the next use. */
  dispose(): void {
    for (const list of this.compiled.values()) for (const c of list) c.query.delete();
    this.compiled.clear();
  }

  private compiledTable(table: AlertTable): CompiledFilter[] {
    const have = this.compiled.get(table);
    if (have) return have;
    const list: CompiledFilter[] = [];
    try {
      for (const filter of loadAlertTable(this.dataDir, table)) {
        let query: JSMol;
        try {
          query = compileSmarts(this.rdkit, filter.smarts, { mergeHs: filter.mergeHs });
        } catch (err) {
          if (err instanceof InvalidSmartsError) {
            throw new ChemDataError(`${ALERT_TABLES[table]}: filter ${filter.name}: ${err.reason}`);
          }
          throw err;
        }
        list.push({ filter, query, screen: queryScreen(query.get_json()) });
      }
    } catch (err) {
      for (const c of list) c.query.delete();
      throw err;
    }
    this.compiled.set(table, list);
    return list;
  }
}
