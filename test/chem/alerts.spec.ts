/**
 * Structural alerts (src/chem/alerts.ts) and the SMARTS helpers (src/chem/smarts.ts), checked against RDKit
 * 2022.09.3 Python on the molecules of test/reference/alerts.json (regenerate with
 * `/usr/bin/python3 test/reference/make_alerts.py`): RDKit's own FilterCatalog for BRENK, NIH, PAINS_A/B/C and
 * ZINC, the same table rule (mergeHs SMARTS, >= max_allowed_matches + 1 unique matches) for the CHEMBL_* tables, and
 * MOSES's HasSubstructMatch rule for MCF. Every fired-name list must agree exactly.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import {
  ALERT_SETS,
  ALERT_TABLES,
  AlertTable,
  ALERTS_DATA_DIR,
  expandAlertSets,
  loadAlertTable,
  parseAlertTable,
} from '../../src/chem/alerts';
import { Chemistry } from '../../src/chem/chemistry';
import { ChemDataError, InvalidSmartsError, InvalidSmilesError } from '../../src/chem/errors';
import { parseRdkitJson } from '../../src/chem/graph';
import type { JSMol } from '../../src/chem/rdkit';
import { molProfile, passesScreen, queryScreen } from '../../src/chem/screen';
import { compileSmarts, hasSubstructMatch, SmartsCache } from '../../src/chem/smarts';

interface AlertsReference {
  rdkit: string;
  setHits: Record<string, number>;
  molecules: Array<{ id: string; smiles: string; alerts: Partial<Record<AlertTable, string[]>> }>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ref = require(path.join(__dirname, '..', 'reference', 'alerts.json')) as AlertsReference;
const SRC_DATA = path.resolve(__dirname, '..', '..', 'src', 'chem', 'data');
const TABLES = Object.keys(ALERT_TABLES) as AlertTable[];

let chem: Chemistry;

beforeAll(async () => {
  chem = await Chemistry.create();
});

afterAll(() => chem?.dispose());

describe('shipped alert tables', () => {
  it('match the checksums listed in src/chem/data/README.md', () => {
    const readme = fs.readFileSync(path.join(SRC_DATA, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `(alerts\/[^`]+)` \|.*\| `([0-9a-f]{64})` \| .* \|$/gm)].map((m) => [
      m[1],
      m[2],
    ]);
    const files = fs.readdirSync(path.join(SRC_DATA, ALERTS_DATA_DIR)).map((f) => `${ALERTS_DATA_DIR}/${f}`);
    expect(rows.map((r) => r[0]).sort()).toEqual(files.sort());
    for (const [file, sha] of rows) {
      const got = createHash('sha256').update(fs.readFileSync(path.join(SRC_DATA, file))).digest('hex');
      expect(`${file} ${got}`).toBe(`${file} ${sha}`);
    }
  });

  it('have the expected number of filters (RDKit Filters.cpp / MOSES mcf.csv)', () => {
    const sizes = Object.fromEntries(TABLES.map((t) => [t, loadAlertTable(SRC_DATA, t).length]));
    expect(sizes).toEqual({
      PAINS_A: 16,
      PAINS_B: 55,
      PAINS_C: 409,
      BRENK: 105,
      NIH: 180,
      ZINC: 50,
      CHEMBL_BMS: 180,
      CHEMBL_DUNDEE: 105,
      CHEMBL_GLAXO: 55,
      CHEMBL_INPHARMATICA: 91,
      CHEMBL_LINT: 57,
      CHEMBL_MLSMR: 116,
      CHEMBL_SURECHEMBL: 166,
      MCF: 22,
    });
    const mcf = loadAlertTable(SRC_DATA, 'MCF');
    expect(mcf.find((f) => f.name === 'MCF4')).toEqual({
      table: 'MCF',
      name: 'MCF4',
      smarts: '[H]C([H])([#6])[F,Cl,Br,I]',
      maxAllowedMatches: 0,
      mergeHs: false,
    });
    expect(loadAlertTable(SRC_DATA, 'ZINC').find((f) => f.name === 'Fluorines')?.maxAllowedMatches).toBe(7);
  });

  it('parsers reject malformed tables', () => {
    expect(() => parseAlertTable('BRENK', 'name\tsmarts\n')).toThrow(ChemDataError);
    expect(() => parseAlertTable('BRENK', 'name\tsmarts\tmax_allowed_matches\tcomment\nx\tC\tmany\t\n')).toThrow(
      /malformed line/,
    );
    expect(() => parseAlertTable('MCF', 'names,smarts\nMCF1\n')).toThrow(ChemDataError);
    expect(() => loadAlertTable('/nonexistent', 'BRENK')).toThrow(ChemDataError);
  });

  it('every SMARTS compiles, and the RDKit-JSON round trip used for mergeHs preserves each query', () => {
    const rdkit = chem.rdkit;
    let withH = 0;
    for (const t of TABLES) {
      for (const f of loadAlertTable(SRC_DATA, t)) {
        const q = rdkit.get_qmol(f.smarts) as JSMol;
        expect(q?.is_valid()).toBe(true);
        try {
          const json = q.get_json();
          if (!/"z":1[,}]/.test(json)) continue;
          withH++;
          const back = rdkit.get_mol(json, JSON.stringify({ sanitize: false }));
          try {
            expect(`${t} ${f.name} ${back?.get_smarts()}`).toBe(`${t} ${f.name} ${q.get_smarts()}`);
          } finally {
            back?.delete();
          }
        } finally {
          q.delete();
        }
      }
    }
    expect(withH).toBeGreaterThan(350); // most PAINS SMARTS are written with explicit [#1]
  });

  it('merges [#1] query atoms into their neighbours, recursive SMARTS included', () => {
    const merged = compileSmarts(
      chem.rdkit,
      '[#6](-[#1])(-[#1])-[#7]-c:1:c:c:[c;!H0,$(c-[#6](-[#1])-[#1])]:c:c:1-[#8]-[#1]',
      { mergeHs: true },
    );
    try {
      expect(merged.get_smarts()).toBe('[#6&!H0&!H1]-[#7]-c1:c:c:[c;!H0,$(c-[#6&!H0&!H1])]:c:c:1-[#8&!H0]');
    } finally {
      merged.delete();
    }
  });
});

describe('alerts: parity with RDKit FilterCatalog / MOSES', () => {
  it(`fires the same filters as RDKit ${ref.rdkit} on all ${ref.molecules.length} reference molecules`, () => {
    const disagreements: string[] = [];
    const hits: Record<string, number> = {};
    for (const m of ref.molecules) {
      const got: Partial<Record<AlertTable, string[]>> = {};
      for (const h of chem.alerts(m.smiles, TABLES)) (got[h.set] ??= []).push(h.name);
      for (const t of TABLES) {
        const want = m.alerts[t] ?? [];
        const have = got[t] ?? [];
        if (have.length > 0) hits[t] = (hits[t] ?? 0) + 1;
        if (JSON.stringify(have) !== JSON.stringify(want)) {
          disagreements.push(`${m.id} ${t}: got ${JSON.stringify(have)}, RDKit ${JSON.stringify(want)}`);
        }
      }
    }
    console.log(
      `alerts parity: ${ref.molecules.length} molecules x ${TABLES.length} tables, ` +
        `${disagreements.length} disagreements; molecules with hits: ${JSON.stringify(hits)}`,
    );
    expect(disagreements).toEqual([]);
    expect(hits).toEqual(ref.setHits);
  });

  it('the element/bond pre-screen never rejects a query that matches', () => {
    const queries = TABLES.flatMap((t) =>
      loadAlertTable(SRC_DATA, t).map((f) => compileSmarts(chem.rdkit, f.smarts, { mergeHs: f.mergeHs })),
    );
    const screens = queries.map((q) => queryScreen(q.get_json()));
    let screenedOut = 0;
    let pairs = 0;
    const wrong: string[] = [];
    try {
      for (const m of ref.molecules.filter((_, i) => i % 10 === 0)) {
        const mol = chem.rdkit.get_mol(m.smiles) as JSMol;
        try {
          const profile = molProfile(parseRdkitJson(mol.get_json()));
          queries.forEach((q, i) => {
            pairs++;
            if (passesScreen(screens[i], profile)) return;
            screenedOut++;
            if (hasSubstructMatch(mol, q)) wrong.push(`${m.id} query ${i}`);
          });
        } finally {
          mol.delete();
        }
      }
    } finally {
      for (const q of queries) q.delete();
    }
    console.log(`pre-screen: ${screenedOut} of ${pairs} molecule x filter pairs skipped`);
    expect(wrong).toEqual([]);
    expect(screenedOut / pairs).toBeGreaterThan(0.5);
    // conditions of a simple azo query: two N atoms and an N=N double bond
    const azo = chem.rdkit.get_qmol('[#6]-N=N-c') as JSMol;
    try {
      expect(queryScreen(azo.get_json())).toEqual(
        expect.arrayContaining([
          ['a7', 2],
          ['b7-7-2', 1],
        ]),
      );
    } finally {
      azo.delete();
    }
  });

  it('PAINS is PAINS_A + PAINS_B + PAINS_C and reports the table of each hit', () => {
    expect(expandAlertSets(['PAINS'])).toEqual(['PAINS_A', 'PAINS_B', 'PAINS_C']);
    expect(expandAlertSets(['MCF', 'PAINS_B', 'PAINS', 'BRENK'])).toEqual([
      'PAINS_A',
      'PAINS_B',
      'PAINS_C',
      'BRENK',
      'MCF',
    ]);
    const pains = ref.molecules.filter((m) => m.alerts.PAINS_A || m.alerts.PAINS_B || m.alerts.PAINS_C);
    expect(pains.length).toBeGreaterThan(10);
    for (const m of pains.slice(0, 10)) {
      const want = [...(m.alerts.PAINS_A ?? []), ...(m.alerts.PAINS_B ?? []), ...(m.alerts.PAINS_C ?? [])];
      const got = chem.alerts(m.smiles, ['PAINS']);
      expect(got.map((h) => h.name)).toEqual(want);
      for (const h of got) expect(['PAINS_A', 'PAINS_B', 'PAINS_C']).toContain(h.set);
    }
  });

  it('returns name and SMARTS of each hit', () => {
    // crotonaldehyde: an aldehyde and a Michael acceptor
    const hits = chem.alerts('O=CC=CC', ['BRENK']);
    expect(hits.map((h) => h.name)).toEqual(expect.arrayContaining(['aldehyde', 'Michael_acceptor_1']));
    for (const h of hits) {
      expect(h.set).toBe('BRENK');
      expect(h.smarts.length).toBeGreaterThan(0);
    }
    expect(chem.alerts('CCO', ['PAINS', 'BRENK'])).toEqual([]);
  });

  it('alertsOfMol works on a parsed molecule without freeing it', () => {
    const mol = chem.rdkit.get_mol('O=CC=CC') as JSMol;
    try {
      const a = chem.alertsOfMol(mol, ['BRENK']);
      const b = chem.alertsOfMol(mol, ['BRENK']);
      expect(b).toEqual(a);
      expect(mol.is_valid()).toBe(true);
    } finally {
      mol.delete();
    }
  });

  it('rejects invalid SMILES and unknown sets', () => {
    expect(() => chem.alerts('C1CC', ['PAINS'])).toThrow(InvalidSmilesError);
    expect(() => chem.alerts('CCO', ['NOPE' as never])).toThrow(RangeError);
    expect(ALERT_SETS).toContain('PAINS');
    expect(ALERT_SETS).toHaveLength(15);
  });
});

describe('SMARTS helpers', () => {
  it('matchesSmarts / countSmartsMatches follow HasSubstructMatch / len(GetSubstructMatches)', () => {
    expect(chem.matchesSmarts('c1ccccc1O', '[OX2H]')).toBe(true);
    expect(chem.matchesSmarts('CCO', 'c')).toBe(false);
    expect(chem.countSmartsMatches('c1ccccc1', 'c')).toBe(6);
    expect(chem.countSmartsMatches('c1ccccc1', 'cc')).toBe(6); // uniquified: 6 bonds, not 12 ordered pairs
    expect(chem.countSmartsMatches('CC(=O)O', '[#6]')).toBe(2);
    // no mergeHs: an explicit [#1] never matches implicit hydrogens
    expect(chem.matchesSmarts('CO', '[#8]-[#1]')).toBe(false);
    // GuacaMol valsartan SMARTS task pattern on valsartan itself
    expect(chem.matchesSmarts('CCCCC(=O)N(Cc1ccc(-c2ccccc2-c2nnn[nH]2)cc1)[C@H](C(=O)O)C(C)C', 'CN(C=O)Cc1ccc(c2ccccc2)cc1')).toBe(
      true,
    );
  });

  it('throws InvalidSmartsError (code INVALID_SMARTS) with the parser message', () => {
    for (const bad of ['[C', 'C(', 'CC1', '', 'C C', 'commonchem', 'x'.repeat(5000)]) {
      let err: unknown;
      try {
        chem.matchesSmarts('CCO', bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InvalidSmartsError);
      expect((err as InvalidSmartsError).code).toBe('INVALID_SMARTS');
      expect((err as InvalidSmartsError).smarts).toBe(bad);
    }
    expect(() => chem.matchesSmarts('CCO', 'CC1')).toThrow('Invalid SMARTS "CC1": SMARTS syntax error (unclosed ring)');
    expect(() => chem.matchesSmarts('C1CC', 'C')).toThrow(InvalidSmilesError);
  });

  it('SmartsCache keeps at most `capacity` compiled patterns and frees evicted ones', () => {
    const cache = new SmartsCache(chem.rdkit, 2);
    const a = cache.get('C');
    expect(cache.get('C')).toBe(a);
    cache.get('N');
    cache.get('C'); // C is now most recent
    cache.get('O'); // evicts N
    expect(cache.size).toBe(2);
    expect(cache.get('C')).toBe(a);
    expect(() => cache.get('[')).toThrow(InvalidSmartsError);
    expect(cache.size).toBe(2);
    cache.dispose();
    expect(cache.size).toBe(0);
    expect(() => new SmartsCache(chem.rdkit, 0)).toThrow(RangeError);
  });

  it('a disposed Chemistry refuses further alert/SMARTS calls', async () => {
    const c = await Chemistry.create({ rdkit: chem.rdkit, tables: chem.tables });
    expect(c.alerts('O=CC=CC', ['BRENK']).length).toBeGreaterThan(0);
    expect(c.matchesSmarts('CCO', 'O')).toBe(true);
    c.dispose();
    expect(() => c.alerts('CCO', ['BRENK'])).toThrow(/disposed/);
    expect(() => c.matchesSmarts('CCO', 'O')).toThrow(/disposed/);
  });
});
