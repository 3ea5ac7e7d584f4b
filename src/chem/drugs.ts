/**
 * Approved-drug name resolution over src/chem/data/approved-drugs.tsv (made by scripts/derive-drug-table.py from
 * ChEMBL's approved small molecules; data CC BY-SA 3.0, attribution "ChEMBL, EMBL-EBI"; see data/README.md).
 */
import { ChemDataError } from './errors';
import { readApprovedDrugsTsv } from './tables';

/** One row of the drug table. */
export interface DrugRecord {
  /** ChEMBL preferred name, as in ChEMBL (upper case), e.g. "METFORMIN HYDROCHLORIDE". */
  name: string;
  chemblId: string;
  /** Parent structure (salts stripped), RDKit canonical SMILES as written by the derivation script. */
  smiles: string;
  /** Year of first approval, or null when unknown. */
  firstApproval: number | null;
  /** True when the ChEMBL record was a salt or mixture and `smiles` is its largest organic fragment. */
  saltStripped: boolean;
}

/** What `resolve` and `search` return. */
export interface DrugMatch {
  name: string;
  chemblId: string;
  smiles: string;
}

/**
 * Counter-ion and hydrate words that may end the ChEMBL name of a salt ("METFORMIN HYDROCHLORIDE",
 * "NAPROXEN SODIUM", "... HYDROCHLORIDE MONOHYDRATE"). Collected from the table's salt rows; words that also name
 * active moieties (e.g. OXYBATE) are deliberately absent.
 */
export const SALT_WORDS: ReadonlySet<string> = new Set(
  (
    'HYDROCHLORIDE DIHYDROCHLORIDE HCL HYDROBROMIDE HYDROIODIDE SODIUM DISODIUM TRISODIUM TETRASODIUM POTASSIUM ' +
    'DIPOTASSIUM CALCIUM MAGNESIUM ZINC LITHIUM SULFATE BISULFATE MONOSULFATE METHYLSULFATE MESYLATE MESYLATES ' +
    'DIMESYLATE MALEATE DIMALEATE PHOSPHATE MONOBASIC DIBASIC CHLORIDE BROMIDE IODIDE FLUORIDE NITRATE CITRATE ' +
    'TARTRATE BITARTRATE FUMARATE DIFUMARATE HEMIFUMARATE SUCCINATE TOSYLATE DITOSYLATE ACETATE LACTATE ' +
    'TROMETHAMINE BESYLATE CARBONATE BICARBONATE PAMOATE MEGLUMINE DIMEGLUMINE MALATE L-MALATE S-MALATE BENZOATE ' +
    'GLUCONATE OXALATE NAPSYLATE METHYLBROMIDE ISETHIONATE DIOLAMINE OLAMINE CAMSYLATE ADIPATE XINAFOATE ' +
    'TRIFENATATE HYCLATE EDISYLATE ESYLATE ERBUMINE EPOLAMINE BENZATHINE ARGININE LYSINE HIPPURATE LACTOBIONATE ' +
    'GLUCEPTATE STEARATE OLEATE ASPARTATE ASCORBATE SACCHARATE SULFOSALICYLATE PERCHLORATE ETHANOLATE ' +
    'MONOHYDRATE DIHYDRATE TRIHYDRATE TETRAHYDRATE PENTAHYDRATE HEMIHYDRATE SESQUIHYDRATE HYDRATE ANHYDROUS'
  ).split(' '),
);

/**
 * Salt-free names that are never created as aliases because the salt's largest organic fragment is not the named
 * moiety (e.g. AMMONIUM LACTATE -> lactic acid, PIPERAZINE CITRATE -> citric acid, BARIUM SULFATE -> sulfuric acid).
 */
export const ALIAS_DENY: ReadonlySet<string> = new Set(['ALUMINUM', 'AMMONIUM', 'BARIUM', 'BISMUTH', 'ETHANOLAMINE', 'PIPERAZINE']);

/** Trims, applies Unicode NFKC, collapses internal whitespace and upper-cases a drug name. */
export function normalizeDrugName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toUpperCase();
}

/**
 * The normalised name without its trailing salt/hydrate words ("METFORMIN HYDROCHLORIDE" -> "METFORMIN"), or null
 * when the name does not end with one or nothing meaningful would remain (at least one word that is not itself a
 * salt word must be left, so "POTASSIUM CHLORIDE" gives null).
 */
export function stripSaltWords(normalizedName: string): string | null {
  const words = normalizedName.split(/[\s,]+/).filter((w) => w.length > 0);
  let n = words.length;
  while (n > 1 && SALT_WORDS.has(words[n - 1])) n--;
  if (n === words.length) return null;
  const rest = words.slice(0, n);
  if (rest.every((w) => SALT_WORDS.has(w))) return null;
  return rest.join(' ');
}

/**
 * Case-insensitive index of approved-drug names. Resolution order: exact (normalised) name; then the name with a
 * trailing salt word dropped, for salt records only, when no entry has that plain name (e.g. a query "metformin"
 * would give "METFORMIN HYDROCHLORIDE" if ChEMBL had no plain "METFORMIN"); several salts with the same plain name
 * resolve to the earliest approved, then lowest ChEMBL id.
 */
export class DrugIndex {
  private readonly byName = new Map<string, DrugRecord>();
  private readonly byAlias = new Map<string, DrugRecord>();
  /** Normalised names, sorted, for prefix search. */
  private readonly sortedNames: string[];

  constructor(records: readonly DrugRecord[]) {
    for (const r of records) {
      const key = normalizeDrugName(r.name);
      if (key && !this.byName.has(key)) this.byName.set(key, r);
    }
    for (const r of records) {
      if (!r.saltStripped) continue;
      const alias = stripSaltWords(normalizeDrugName(r.name));
      if (!alias || this.byName.has(alias) || ALIAS_DENY.has(alias)) continue;
      const prev = this.byAlias.get(alias);
      if (!prev || lessThan(rank(r), rank(prev))) this.byAlias.set(alias, r);
    }
    this.sortedNames = [...this.byName.keys()].sort();
  }

  /**
   * Parses the approved-drugs TSV (lines starting with '#' are comments; a header row names the columns `name`,
   * `chembl_id`, `parent_smiles` and optionally `first_approval`, `salt_stripped`).
   *
   * @throws ChemDataError when required columns are missing.
   */
  static fromTsv(text: string): DrugIndex {
    const rows = text.split(/\r?\n/).filter((l) => l.length > 0 && !l.startsWith('#'));
    if (rows.length === 0) throw new ChemDataError('approved-drugs.tsv: empty');
    const header = rows[0].split('\t');
    const col = (name: string, required: boolean): number => {
      const i = header.indexOf(name);
      if (i < 0 && required) throw new ChemDataError(`approved-drugs.tsv: missing column ${name}`);
      return i;
    };
    const iName = col('name', true);
    const iId = col('chembl_id', true);
    const iSmiles = col('parent_smiles', true);
    const iYear = col('first_approval', false);
    const iSalt = col('salt_stripped', false);
    const records: DrugRecord[] = [];
    for (const row of rows.slice(1)) {
      const f = row.split('\t');
      if (!f[iName] || !f[iSmiles]) continue;
      const year = iYear >= 0 && f[iYear] ? Number(f[iYear]) : NaN;
      records.push({
        name: f[iName],
        chemblId: f[iId] ?? '',
        smiles: f[iSmiles],
        firstApproval: Number.isFinite(year) ? year : null,
        saltStripped: iSalt >= 0 && f[iSalt] === '1',
      });
    }
    return new DrugIndex(records);
  }

  /**
   * Loads src/chem/data/approved-drugs.tsv (or the table in `dataDir`).
   *
   * @throws ChemDataError when the file is missing or malformed.
   */
  static load(dataDir?: string): DrugIndex {
    return DrugIndex.fromTsv(readApprovedDrugsTsv(dataDir));
  }

  /** Number of names (aliases not counted). */
  get size(): number {
    return this.byName.size;
  }

  /** All records, sorted by name. */
  records(): DrugRecord[] {
    return this.sortedNames.map((n) => this.byName.get(n) as DrugRecord);
  }

  /**
   * Resolves a drug name (case-insensitive, trimmed, whitespace-collapsed) to its ChEMBL name, id and parent SMILES.
   *
   * @returns null when the name is unknown.
   */
  resolve(name: string): DrugMatch | null {
    if (typeof name !== 'string') return null;
    const key = normalizeDrugName(name);
    if (!key) return null;
    const r = this.byName.get(key) ?? this.byAlias.get(key);
    return r ? toMatch(r) : null;
  }

  /**
   * Names starting with `prefix` (case-insensitive), alphabetically, at most `limit` (default 10, capped at 100).
   *
   * @returns an empty list for an empty prefix or a non-positive limit.
   */
  search(prefix: string, limit = 10): DrugMatch[] {
    const p = typeof prefix === 'string' ? normalizeDrugName(prefix) : '';
    const n = Math.min(Math.floor(limit), 100);
    if (!p || !(n > 0)) return [];
    let lo = 0;
    let hi = this.sortedNames.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sortedNames[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    const out: DrugMatch[] = [];
    for (let i = lo; i < this.sortedNames.length && out.length < n && this.sortedNames[i].startsWith(p); i++) {
      out.push(toMatch(this.byName.get(this.sortedNames[i]) as DrugRecord));
    }
    return out;
  }
}

function toMatch(r: DrugRecord): DrugMatch {
  return { name: r.name, chemblId: r.chemblId, smiles: r.smiles };
}

function rank(r: DrugRecord): [number, number] {
  const num = Number(r.chemblId.replace(/^CHEMBL/, ''));
  return [r.firstApproval ?? 9999, Number.isFinite(num) ? num : Number.MAX_SAFE_INTEGER];
}

function lessThan(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}
