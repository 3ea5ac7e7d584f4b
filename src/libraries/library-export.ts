/**
 * CSV and SDF text of library entries (docs/libraries.md, "Export"). Pure functions: the molblock of a structure is
 * passed in (src/chem/substructure.ts `molBlock`).
 */
import type { EntryHit } from './search-page';

/** Export formats: `csv` (RFC 4180, UTF-8, CRLF line ends) or `sdf` (MDL SD file, V2000 molblocks with 2D coordinates). */
export type ExportFormat = 'csv' | 'sdf';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'sdf'];

/** Content types of the formats. */
export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = Object.freeze({
  csv: 'text/csv; charset=utf-8',
  sdf: 'chemical/x-mdl-sdfile; charset=utf-8',
});

/** Columns of the CSV, in order; the same names are the SDF data fields (`smiles` ... `added_at`). */
export const EXPORT_COLUMNS = [
  'id', 'smiles', 'inchikey', 'mw', 'clogp', 'tpsa', 'hbd', 'hba', 'rotatable_bonds', 'heavy_atoms', 'aromatic_rings',
  'qed', 'sa', 'plogp', 'score', 'similarity', 'tags', 'note', 'source_run_id', 'added_at',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

/** The export values of one entry: numbers as JavaScript writes them (shortest round-trip), tags joined by ';'. */
export function exportValues(h: EntryHit): Record<ExportColumn, string | number | null> {
  const { entry } = h;
  const p = entry.candidate.properties;
  return {
    id: entry.candidate.id,
    smiles: entry.candidate.canonicalSmiles,
    inchikey: entry.candidate.inchiKey,
    mw: p.mw,
    clogp: p.clogp,
    tpsa: p.tpsa,
    hbd: p.hbd,
    hba: p.hba,
    rotatable_bonds: p.rotatableBonds,
    heavy_atoms: p.heavyAtoms,
    aromatic_rings: p.aromaticRings,
    qed: p.qed,
    sa: p.sa,
    plogp: p.plogp,
    score: entry.score,
    similarity: h.similarity,
    tags: entry.tags.length > 0 ? entry.tags.join(';') : null,
    note: entry.note,
    source_run_id: entry.sourceRunId,
    added_at: entry.addedAt.toISOString(),
  };
}

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"), plus tab and CR. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field: text starting with = + - @ (or a tab/CR) gets a leading apostrophe so spreadsheets show it as text;
 * a field with a comma, quote, CR or LF is quoted with inner quotes doubled (RFC 4180). Numbers are written as they
 * are (a negative number is data, not a formula); null is an empty field.
 */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const text = FORMULA_START.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV header line (with CRLF). */
export function csvHeader(): string {
  return `${EXPORT_COLUMNS.join(',')}\r\n`;
}

/** One CSV record (with CRLF). */
export function csvRecord(h: EntryHit): string {
  const v = exportValues(h);
  return `${EXPORT_COLUMNS.map((c) => csvField(v[c])).join(',')}\r\n`;
}

/**
 * One SD file record: the molblock (its title line set to the candidate id) followed by a `> <column>` data item per
 * non-empty value, and `$$$$`. Line breaks inside a value (notes) become spaces: a blank line ends a data item.
 */
export function sdfRecord(h: EntryHit, molBlockOf: (smiles: string, title: string) => string): string {
  const v = exportValues(h);
  let block = molBlockOf(h.entry.candidate.canonicalSmiles, String(h.entry.candidate.id));
  if (!block.endsWith('\n')) block += '\n';
  const items: string[] = [];
  for (const c of EXPORT_COLUMNS) {
    const value = v[c];
    if (value === null || value === '') continue;
    const text = String(value).replace(/\r\n|[\r\n]/g, ' ');
    items.push(`> <${c}>\n${text}\n\n`);
  }
  return `${block}${items.join('')}$$$$\n`;
}

/**
 * A file name for the download: the library name reduced to [A-Za-z0-9._-] (other runs of characters become '_'),
 * at most 80 characters, then the extension.
 */
export function exportFileName(libraryName: string, format: ExportFormat): string {
  const base = libraryName.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|_+$/g, '').slice(0, 80) || 'library';
  return `${base}.${format}`;
}

/** Content-Disposition value: attachment with an ASCII filename and the UTF-8 original (RFC 6266 / 5987). */
export function contentDisposition(libraryName: string, format: ExportFormat): string {
  const ascii = exportFileName(libraryName, format);
  const utf8 = encodeURIComponent(`${libraryName}.${format}`).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}
