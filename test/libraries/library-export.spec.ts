/**
 * Export formatting (CSV fields, SD records, file names), in-memory paging of search hits, and the chemistry helpers
 * of library searches (substructure queries, ECFP4 of stored SMILES) on real molecules.
 */
import { ecfp4OfCanonical } from '../../src/chem/bitfp';
import { Chemistry } from '../../src/chem/chemistry';
import { InvalidSmartsError, InvalidSmilesError } from '../../src/chem/errors';
import { molBlock, SubstructureQuery } from '../../src/chem/substructure';
import { contentDisposition, csvField, csvHeader, csvRecord, EXPORT_COLUMNS, exportFileName, sdfRecord } from '../../src/libraries/library-export';
import { pageHits, type EntryHit } from '../../src/libraries/search-page';
import { InvalidCursorError, type LibraryEntryRecord } from '../../src/store';
import { MOLECULES } from '../store/helpers';

let chem: Chemistry;
beforeAll(async () => {
  chem = await Chemistry.create();
});
afterAll(() => chem?.dispose());

function entry(id: number, mol: keyof typeof MOLECULES, extra: Partial<LibraryEntryRecord> = {}): LibraryEntryRecord {
  const m = MOLECULES[mol];
  return {
    id,
    libraryId: 'lib',
    candidate: { id: 100 + id, canonicalSmiles: m.canonicalSmiles, inchiKey: m.inchiKey, properties: m.properties, createdAt: new Date(0) },
    note: null,
    score: null,
    sourceRunId: null,
    addedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, id)),
    tags: [],
    ...extra,
  };
}

describe('CSV', () => {
  it('quotes fields per RFC 4180 and defuses cells a spreadsheet would read as formulas', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(-1.0293)).toBe('-1.0293'); // a negative number is data
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+33 1 23')).toBe("'+33 1 23");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=cmd')).toBe("'\t=cmd");
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('a=b')).toBe('a=b'); // only a leading character matters
  });

  it('writes a header and one record per entry with every column', () => {
    expect(csvHeader()).toBe(`${EXPORT_COLUMNS.join(',')}\r\n`);
    const h: EntryHit = { entry: entry(1, 'caffeine', { note: 'ok, "fine"', tags: ['a', 'b:c'], score: 0.5, sourceRunId: 'run-1' }), similarity: 0.25 };
    const rec = csvRecord(h);
    expect(rec.endsWith('\r\n')).toBe(true);
    expect(rec).toBe(
      `101,Cn1c(=O)c2c(ncn2C)n(C)c1=O,RYYVLZVUVIJVGH-UHFFFAOYSA-N,194.194,-1.0293,61.82,0,6,0,14,2,0.5385,2.298,-3.7826,0.5,0.25,a;b:c,"ok, ""fine""",run-1,2026-01-01T00:00:01.000Z\r\n`,
    );
  });
});

describe('SDF', () => {
  it('writes a 2D molblock titled with the candidate id, data items, and $$$$; RDKit reads it back', () => {
    const h: EntryHit = { entry: entry(2, 'aspirin', { note: 'line one\nline two', tags: ['nsaid'] }), similarity: null };
    const rec = sdfRecord(h, (smiles, title) => molBlock(chem, smiles, title));
    const lines = rec.split('\n');
    expect(lines[0]).toBe('102');
    expect(lines[1]).toMatch(/RDKit\s+2D/);
    expect(rec).toContain('> <smiles>\nCC(=O)Oc1ccccc1C(=O)O\n\n');
    expect(rec).toContain('> <note>\nline one line two\n\n');
    expect(rec).toContain('> <tags>\nnsaid\n\n');
    expect(rec).not.toContain('> <score>'); // empty values are left out
    expect(rec.endsWith('$$$$\n')).toBe(true);
    const mol = chem.rdkit.get_mol(rec.slice(0, rec.indexOf('M  END') + 6));
    try {
      expect(mol!.get_smiles()).toBe(MOLECULES.aspirin.canonicalSmiles);
    } finally {
      mol?.delete();
    }
    expect(() => molBlock(chem, 'C1CC(C', 'x')).toThrow(InvalidSmilesError);
  });

  it('names the download after the library, ASCII-safe, with the UTF-8 original', () => {
    expect(exportFileName('Kinase hits (round 2)', 'csv')).toBe('Kinase_hits_round_2.csv');
    expect(exportFileName('../../etc/passwd', 'sdf')).toBe('etc_passwd.sdf');
    expect(exportFileName('Ésters', 'csv')).toBe('sters.csv');
    expect(exportFileName('日本', 'csv')).toBe('library.csv');
    expect(contentDisposition('a "b"', 'csv')).toBe(`attachment; filename="a_b.csv"; filename*=UTF-8''a%20%22b%22.csv`);
  });
});

describe('paging search hits', () => {
  const hits: EntryHit[] = [
    { entry: entry(1, 'aspirin', { score: 0.5 }), similarity: 1 },
    { entry: entry(2, 'paracetamol', { score: null }), similarity: 0.4 },
    { entry: entry(3, 'ibuprofen', { score: 0.5 }), similarity: 0.4 },
    { entry: entry(4, 'benzene', { score: 0.9 }), similarity: 0.31 },
    { entry: entry(5, 'ethanol', { score: null }), similarity: 0.4 },
  ];

  function walk(orderBy: 'similarity' | 'score' | 'mw', direction: 'ASC' | 'DESC', first: number): number[] {
    const out: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page = pageHits(hits, { orderBy, direction, first, after });
      expect(page.totalCount).toBe(hits.length);
      out.push(...page.items.map((h) => h.entry.id));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    return out;
  }

  it('orders by similarity, score (missing last either way) or a property, ties by id, every hit once', () => {
    expect(walk('similarity', 'DESC', 2)).toEqual([1, 5, 3, 2, 4]);
    expect(walk('similarity', 'ASC', 2)).toEqual([4, 2, 3, 5, 1]);
    expect(walk('score', 'DESC', 1)).toEqual([4, 3, 1, 5, 2]);
    expect(walk('score', 'ASC', 3)).toEqual([1, 3, 4, 2, 5]);
    expect(walk('mw', 'ASC', 2)).toEqual([5, 4, 2, 1, 3]);
  });

  it('rejects a cursor of another ordering or list', () => {
    const page = pageHits(hits, { orderBy: 'similarity', direction: 'DESC', first: 2 });
    expect(() => pageHits(hits, { orderBy: 'score', direction: 'DESC', first: 2, after: page.endCursor })).toThrow(InvalidCursorError);
    expect(() => pageHits(hits, { orderBy: 'similarity', direction: 'DESC', first: 2, after: 'bm90IGEgY3Vyc29y' })).toThrow(InvalidCursorError);
  });
});

describe('search chemistry', () => {
  const drugs = Object.values(MOLECULES).map((m) => m.canonicalSmiles);

  it('matches SMARTS and SMILES queries like RDKit, and frees its query', () => {
    const acid = SubstructureQuery.compile(chem, 'C(=O)[OH]');
    try {
      expect(drugs.filter((s) => acid.matches(s))).toEqual([MOLECULES.aspirin.canonicalSmiles, MOLECULES.ibuprofen.canonicalSmiles]);
      for (const s of drugs) expect(acid.matches(s)).toBe(chem.matchesSmarts(s, 'C(=O)[OH]'));
    } finally {
      acid.dispose();
    }
    expect(() => acid.matches('CCO')).toThrow(/disposed/);
    const kekule = SubstructureQuery.compile(chem, 'C1=CC=CC=C1', 'SMILES');
    const aromatic = SubstructureQuery.compile(chem, 'c1ccccc1', 'SMARTS');
    try {
      for (const s of drugs) expect(kekule.matches(s)).toBe(aromatic.matches(s));
      expect(kekule.matches(MOLECULES.caffeine.canonicalSmiles)).toBe(false);
      expect(kekule.matches(MOLECULES.paracetamol.canonicalSmiles)).toBe(true);
    } finally {
      kekule.dispose();
      aromatic.dispose();
    }
    expect(() => SubstructureQuery.compile(chem, 'c1ccc(')).toThrow(InvalidSmartsError);
    expect(() => SubstructureQuery.compile(chem, '')).toThrow(InvalidSmartsError);
    expect(() => SubstructureQuery.compile(chem, 'C1CC(C', 'SMILES')).toThrow(InvalidSmilesError);
  });

  it('computes the same ECFP4 bits from a stored SMILES as Chemistry.fingerprint', () => {
    for (const s of [...drugs, 'Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1']) {
      const fp = ecfp4OfCanonical(chem, s);
      expect(fp).toHaveLength(256);
      expect([...fp]).toEqual([...chem.fingerprint(s)]);
    }
    expect(() => ecfp4OfCanonical(chem, 'C1CC(C')).toThrow(InvalidSmilesError);
  });
});
