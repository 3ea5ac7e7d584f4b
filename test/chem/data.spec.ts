import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ChemDataError } from '../../src/chem/errors';
import {
  CHEM_DATA_DIR_ENV,
  CHEM_DATA_FILES,
  chemDataDir,
  loadChemTables,
  parseQedParameters,
  SaFragmentTable,
} from '../../src/chem/tables';

const SRC_DATA = path.resolve(__dirname, '..', '..', 'src', 'chem', 'data');

describe('chemDataDir', () => {
  const saved = process.env[CHEM_DATA_DIR_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[CHEM_DATA_DIR_ENV];
    else process.env[CHEM_DATA_DIR_ENV] = saved;
  });

  it('finds src/chem/data when running from sources', () => {
    delete process.env[CHEM_DATA_DIR_ENV];
    expect(chemDataDir()).toBe(SRC_DATA);
  });

  it('honours $MOLNAV_CHEM_DATA_DIR and ignores it when it has no tables', () => {
    process.env[CHEM_DATA_DIR_ENV] = SRC_DATA;
    expect(chemDataDir()).toBe(SRC_DATA);
    process.env[CHEM_DATA_DIR_ENV] = '/nonexistent';
    expect(chemDataDir()).toBe(SRC_DATA);
  });

  it('the compiled layout (dist/chem/tables.js) falls back to <repo>/src/chem/data', () => {
    // tables.ts resolves <dirname>/../../src/chem/data; from dist/chem that is the repository's src/chem/data
    const distChem = path.resolve(__dirname, '..', '..', 'dist', 'chem');
    expect(path.resolve(distChem, '..', '..', 'src', 'chem', 'data')).toBe(SRC_DATA);
  });
});

describe('shipped tables', () => {
  it('match the checksums listed in src/chem/data/README.md', () => {
    const readme = fs.readFileSync(path.join(SRC_DATA, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$/gm)].map((m) => [m[1], m[2]]);
    expect(rows.map((r) => r[0]).sort()).toEqual(Object.values(CHEM_DATA_FILES).sort());
    for (const [file, sha] of rows) {
      const got = createHash('sha256').update(fs.readFileSync(path.join(SRC_DATA, file))).digest('hex');
      expect(`${file} ${got}`).toBe(`${file} ${sha}`);
    }
  });

  it('load with the expected sizes', () => {
    const t = loadChemTables();
    expect(t.saFragments.size).toBe(705292);
    expect(t.qedAcceptorSmarts).toHaveLength(11);
    expect(t.qedAlertSmarts).toHaveLength(116);
    expect(t.qed.weightMean.MW).toBe(0.66);
    // first rows of sa_fpscores.tsv.gz
    expect(t.saFragments.get(1301)).toBe(-2.1265);
    expect(t.saFragments.get(5338)).toBe(-3.1265);
    expect(t.saFragments.get(2)).toBeUndefined();
  });

  it('parsers reject malformed input', () => {
    expect(() => SaFragmentTable.parse('h\n12\n')).toThrow(ChemDataError);
    expect(() => SaFragmentTable.parse('h\n1\t0.5\n1\t0.7\n')).toThrow(/duplicate/);
    expect(SaFragmentTable.parse('h\n4294967295\t-1.5\n7\t2\n').get(4294967295)).toBe(-1.5);
    expect(() => parseQedParameters('property,A\nMW,1\n')).toThrow(ChemDataError);
  });
});
