/**
 * The data tables the chemistry layer ships in src/chem/data/ (see src/chem/data/README.md for sources, licences
 * and checksums) and how they are found at run time.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { ChemDataError } from './errors';

/** File names inside the data directory. */
export const CHEM_DATA_FILES = Object.freeze({
  saFragmentScores: 'sa_fpscores.tsv.gz',
  qedParameters: 'qed_parameters.csv',
  qedAcceptors: 'qed_acceptor_smarts.txt',
  qedAlerts: 'qed_structural_alerts.txt',
  approvedDrugs: 'approved-drugs.tsv',
});

/** Environment variable that, when set, overrides the data directory. */
export const CHEM_DATA_DIR_ENV = 'MOLNAV_CHEM_DATA_DIR';

/**
 * Directory holding the chemistry data tables.
 *
 * `tsc -p tsconfig.build.json` compiles src/ to dist/ but does not copy data files, so the directory is searched in
 * this order and the first one containing `sa_fpscores.tsv.gz` wins:
 * 1. `$MOLNAV_CHEM_DATA_DIR` (deployments that put the tables elsewhere);
 * 2. `<this module's directory>/data` — src/chem/data when running from sources (ts-node, jest), or dist/chem/data
 *    if a build step copied it;
 * 3. `<repository>/src/chem/data`, found from dist/chem/ (two levels up) — the compiled build in a checkout.
 *
 * @throws ChemDataError when none of the candidates contains the tables.
 */
export function chemDataDir(): string {
  const candidates = [
    process.env[CHEM_DATA_DIR_ENV],
    path.join(__dirname, 'data'),
    path.resolve(__dirname, '..', '..', 'src', 'chem', 'data'),
  ].filter((d): d is string => typeof d === 'string' && d.length > 0);
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, CHEM_DATA_FILES.saFragmentScores))) return dir;
  }
  throw new ChemDataError(`chemistry data tables not found; looked in: ${candidates.join(', ')}`);
}

function readText(dir: string, file: string): string {
  const p = path.join(dir, file);
  try {
    return fs.readFileSync(p, 'utf8');
  } catch (err) {
    throw new ChemDataError(`cannot read ${p}: ${(err as Error).message}`);
  }
}

/** Non-empty, non-comment lines of a text table. */
function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}

/** Parameters of one QED desirability function (asymmetric double sigmoid, Bickerton et al. 2012, eq. 1). */
export interface AdsParameters {
  A: number;
  B: number;
  C: number;
  D: number;
  E: number;
  F: number;
  DMAX: number;
}

/** The eight QED properties in the order of RDKit's `QEDproperties` namedtuple. */
export const QED_PROPERTY_NAMES = ['MW', 'ALOGP', 'HBA', 'HBD', 'PSA', 'ROTB', 'AROM', 'ALERTS'] as const;
export type QedPropertyName = (typeof QED_PROPERTY_NAMES)[number];

export interface QedParameters {
  ads: Record<QedPropertyName, AdsParameters>;
  weightMax: Record<QedPropertyName, number>;
  weightMean: Record<QedPropertyName, number>;
  weightNone: Record<QedPropertyName, number>;
}

/**
 * Parses qed_parameters.csv (`property,A,B,C,D,E,F,DMAX,WEIGHT_MAX,WEIGHT_MEAN,WEIGHT_NONE`).
 *
 * @throws ChemDataError on a missing property or a non-numeric field.
 */
export function parseQedParameters(csv: string): QedParameters {
  const rows = lines(csv);
  const header = rows[0].split(',');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new ChemDataError(`qed_parameters.csv: missing column ${name}`);
    return i;
  };
  const out = { ads: {}, weightMax: {}, weightMean: {}, weightNone: {} } as QedParameters;
  const seen = new Set<string>();
  for (const row of rows.slice(1)) {
    const f = row.split(',');
    const name = f[col('property')] as QedPropertyName;
    if (!QED_PROPERTY_NAMES.includes(name)) throw new ChemDataError(`qed_parameters.csv: unknown property ${name}`);
    const v = (c: string): number => {
      const x = Number(f[col(c)]);
      if (!Number.isFinite(x)) throw new ChemDataError(`qed_parameters.csv: bad ${c} for ${name}`);
      return x;
    };
    out.ads[name] = { A: v('A'), B: v('B'), C: v('C'), D: v('D'), E: v('E'), F: v('F'), DMAX: v('DMAX') };
    out.weightMax[name] = v('WEIGHT_MAX');
    out.weightMean[name] = v('WEIGHT_MEAN');
    out.weightNone[name] = v('WEIGHT_NONE');
    seen.add(name);
  }
  for (const name of QED_PROPERTY_NAMES) {
    if (!seen.has(name)) throw new ChemDataError(`qed_parameters.csv: missing property ${name}`);
  }
  return out;
}

/**
 * SA-score fragment contributions keyed by RDKit unfolded Morgan radius-2 identifiers (Ertl & Schuffenhauer 2009),
 * stored as a sorted Uint32Array of identifiers with an index into the distinct scores (binary search lookup;
 * ~7 MB instead of a 705k-entry Map).
 */
export class SaFragmentTable {
  private constructor(
    private readonly ids: Uint32Array,
    private readonly scoreIndex: Uint16Array,
    private readonly scores: Float64Array,
  ) {}

  /** Number of fragment identifiers. */
  get size(): number {
    return this.ids.length;
  }

  /** The contribution of identifier `id`, or `undefined` when the fragment is not in the table. */
  get(id: number): number | undefined {
    let lo = 0;
    let hi = this.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ids[mid];
      if (v < id) lo = mid + 1;
      else if (v > id) hi = mid - 1;
      else return this.scores[this.scoreIndex[mid]];
    }
    return undefined;
  }

  /**
   * Parses the `morgan_r2_bit_id<TAB>score` table (with header line).
   *
   * @throws ChemDataError on malformed lines or duplicate identifiers.
   */
  static parse(tsv: string): SaFragmentTable {
    const distinct = new Map<number, number>();
    const scoreList: number[] = [];
    // identifiers are < 2^32 and there are < 2^16 distinct scores, so id * 2^16 + scoreIndex < 2^48 is an exact
    // double and one native numeric sort orders identifiers and carries their score along.
    const packed: number[] = [];
    let start = tsv.indexOf('\n') + 1;
    while (start < tsv.length) {
      let end = tsv.indexOf('\n', start);
      if (end < 0) end = tsv.length;
      const tab = tsv.indexOf('\t', start);
      if (end > start) {
        if (tab < 0 || tab > end) throw new ChemDataError(`sa_fpscores: malformed line at offset ${start}`);
        const id = Number(tsv.slice(start, tab));
        const score = Number(tsv.slice(tab + 1, end));
        if (!Number.isInteger(id) || id < 0 || id > 0xffffffff || !Number.isFinite(score)) {
          throw new ChemDataError(`sa_fpscores: malformed line at offset ${start}`);
        }
        let si = distinct.get(score);
        if (si === undefined) {
          si = scoreList.length;
          if (si >= 0x10000) throw new ChemDataError('sa_fpscores: too many distinct scores');
          distinct.set(score, si);
          scoreList.push(score);
        }
        packed.push(id * 0x10000 + si);
      }
      start = end + 1;
    }
    const sorted = Float64Array.from(packed).sort();
    const ids = new Uint32Array(sorted.length);
    const scoreIndex = new Uint16Array(sorted.length);
    for (let i = 0; i < sorted.length; i++) {
      ids[i] = Math.floor(sorted[i] / 0x10000);
      scoreIndex[i] = sorted[i] % 0x10000;
      if (i > 0 && ids[i] === ids[i - 1]) throw new ChemDataError(`sa_fpscores: duplicate identifier ${ids[i]}`);
    }
    return new SaFragmentTable(ids, scoreIndex, Float64Array.from(scoreList));
  }
}

/** All tables `Chemistry` needs. */
export interface ChemTables {
  dataDir: string;
  qed: QedParameters;
  /** QED hydrogen-bond acceptor SMARTS (RDKit QED.py `AcceptorSmarts`). */
  qedAcceptorSmarts: string[];
  /** QED structural alert SMARTS (RDKit QED.py `StructuralAlertSmarts`, 116 patterns). */
  qedAlertSmarts: string[];
  saFragments: SaFragmentTable;
}

/**
 * Reads the QED and SA-score tables from `dataDir` (default `chemDataDir()`).
 *
 * @throws ChemDataError when a file is missing or malformed.
 */
export function loadChemTables(dataDir: string = chemDataDir()): ChemTables {
  const gz = path.join(dataDir, CHEM_DATA_FILES.saFragmentScores);
  let tsv: string;
  try {
    tsv = zlib.gunzipSync(fs.readFileSync(gz)).toString('utf8');
  } catch (err) {
    throw new ChemDataError(`cannot read ${gz}: ${(err as Error).message}`);
  }
  return {
    dataDir,
    qed: parseQedParameters(readText(dataDir, CHEM_DATA_FILES.qedParameters)),
    qedAcceptorSmarts: lines(readText(dataDir, CHEM_DATA_FILES.qedAcceptors)),
    qedAlertSmarts: lines(readText(dataDir, CHEM_DATA_FILES.qedAlerts)),
    saFragments: SaFragmentTable.parse(tsv),
  };
}

/** Reads the approved-drug table text from `dataDir` (default `chemDataDir()`). @throws ChemDataError */
export function readApprovedDrugsTsv(dataDir: string = chemDataDir()): string {
  return readText(dataDir, CHEM_DATA_FILES.approvedDrugs);
}
