import {
  Chemistry,
  MAX_ATOMS,
  MAX_SMILES_LENGTH,
  SVG_MAX_SIZE,
  VALIDATION_REASONS,
} from '../../src/chem/chemistry';
import { InvalidSmilesError, ValidationCode } from '../../src/chem/errors';
import { cycleBasis, cyclomaticNumber, parseRdkitJson } from '../../src/chem/graph';
import { hashCombine, hashVector } from '../../src/chem/morgan';
import { ads, penalizedLogPFrom, saScoreFromComponents, tanimotoBits } from '../../src/chem/scores';

let chem: Chemistry;

beforeAll(async () => {
  chem = await Chemistry.create();
});

afterAll(() => chem?.dispose());

describe('validate', () => {
  it('accepts valid SMILES, including multi-fragment salts, and canonicalises', () => {
    expect(chem.validate('OC(=O)c1ccccc1OC(C)=O')).toEqual({
      valid: true,
      canonicalSmiles: 'CC(=O)Oc1ccccc1C(=O)O',
      reason: null,
      code: null,
    });
    expect(chem.validate('[Na+].CC(=O)[O-]')).toMatchObject({ valid: true, canonicalSmiles: 'CC(=O)[O-].[Na+]' });
  });

  it('gives the same canonical SMILES for different writings of one molecule', () => {
    const writings = ['c1ccccc1O', 'Oc1ccccc1', 'C1=CC=CC=C1O', 'OC1=CC=CC=C1'];
    expect(new Set(writings.map((s) => chem.canonical(s)))).toEqual(new Set(['Oc1ccccc1']));
    // L-alanine written from either end
    expect(chem.canonical('N[C@@H](C)C(=O)O')).toBe(chem.canonical('C[C@H](N)C(=O)O'));
    expect(chem.canonical('N[C@@H](C)C(=O)O')).not.toBe(chem.canonical('N[C@H](C)C(=O)O'));
  });

  const rejected: Array<[string, ValidationCode, string]> = [
    ['', 'EMPTY', VALIDATION_REASONS.EMPTY],
    ['C1CC', 'SYNTAX', 'SMILES syntax error (unclosed ring)'],
    ['C1CC(', 'SYNTAX', 'SMILES syntax error'],
    ['Xx', 'SYNTAX', 'SMILES syntax error'],
    ['CC)', 'SYNTAX', 'SMILES syntax error'],
    ['{"a":1}', 'SYNTAX', 'SMILES syntax error'],
    ['C(C)(C)(C)(C)C', 'VALENCE', 'valence error (Explicit valence for atom # 0 C, 5, is greater than permitted)'],
    ['c1cccc1', 'KEKULIZATION', 'kekulization error'],
    ['cccc', 'SANITIZATION', 'sanitization failed'],
    ['C C', 'WHITESPACE', VALIDATION_REASONS.WHITESPACE],
    [' CCO', 'WHITESPACE', VALIDATION_REASONS.WHITESPACE],
    ['CCO\n', 'WHITESPACE', VALIDATION_REASONS.WHITESPACE],
    ['CC\u0000O', 'WHITESPACE', VALIDATION_REASONS.WHITESPACE],
    // RDKit alone reads these as methane and ethanol (it skips leading non-ASCII characters).
    ['\u{1F48A}\u{1F9EA}C', 'SYNTAX', 'SMILES syntax error (character U+1F48A is not SMILES (SMILES is ASCII))'],
    ['\u202eOCC', 'SYNTAX', 'SMILES syntax error (character U+202E is not SMILES'],
    ['CCé', 'SYNTAX', 'SMILES syntax error (character U+00E9'],
    ['C'.repeat(MAX_SMILES_LENGTH + 1), 'TOO_LONG', 'too long (1001 characters; maximum 1000)'],
  ];
  it.each(
    rejected.map(([smiles, code, reason]) => {
      const label = smiles.length > 40 ? `C×${smiles.length}` : JSON.stringify(smiles);
      return [label, code, smiles, reason] as const;
    }),
  )('rejects %s with code %s', (_label, code, smiles, reason) => {
    const v = chem.validate(smiles);
    expect(v.valid).toBe(false);
    expect(v.canonicalSmiles).toBeNull();
    expect(v.code).toBe(code);
    expect(v.reason?.startsWith(reason)).toBe(true);
    expect(v.reason?.startsWith(VALIDATION_REASONS[v.code!])).toBe(true);
  });

  it('rejects molecules over MAX_ATOMS before any deep recursion (a 1000-atom chain would crash RDKit WASM)', () => {
    const v = chem.validate('C'.repeat(MAX_SMILES_LENGTH));
    expect(v).toMatchObject({ valid: false, code: 'TOO_MANY_ATOMS', reason: 'too many atoms (1000 atoms; maximum 500)' });
    expect(chem.describe('C'.repeat(MAX_ATOMS + 1))).toBeNull();
    // the module still works afterwards
    expect(chem.canonical('OCC')).toBe('CCO');
  });

  it('handles a MAX_ATOMS linear chain end to end', () => {
    const d = chem.describe('C'.repeat(MAX_ATOMS));
    expect(d?.properties.heavyAtoms).toBe(MAX_ATOMS);
    expect(chem.depictSvg('C'.repeat(MAX_ATOMS))).toContain('<svg');
    expect(chem.canonical('OCC')).toBe('CCO');
  });

  it('rejects a molecule whose canonical SMILES RDKit cannot read back', () => {
    // RDKit sometimes writes a canonical SMILES it cannot re-read (aromatic hypervalent S fails kekulization); simulate
    // that for ethanol by an RDKit whose get_mol refuses the canonical form 'CCO'.
    const rdkit = chem.rdkit;
    const refusing = new Proxy(rdkit, {
      get(target, prop, receiver) {
        if (prop === 'get_mol') return (s: string, d?: string) => (s === 'CCO' ? null : d === undefined ? target.get_mol(s) : target.get_mol(s, d));
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const strict = new Chemistry(refusing, chem.tables);
    try {
      const r = strict.validate('OCC');
      expect(r).toMatchObject({ valid: false, canonicalSmiles: null, code: 'SANITIZATION' });
      expect(r.reason).toMatch(/cannot re-read its canonical SMILES CCO/);
      expect(strict.validate('CC(=O)O')).toMatchObject({ valid: true, canonicalSmiles: 'CC(=O)O' });
    } finally {
      strict.dispose();
    }
  });

  it('includes RDKit detail for syntax errors and never throws on garbage', () => {
    expect(chem.validate('C1CC(').reason).toMatch(/position 5/);
    for (const s of ['(((', '[', ']', '#', '1', '%99', '[X]', 'ü', 'C=', '*', '[2H+3]']) {
      expect(() => chem.validate(s)).not.toThrow();
    }
  });
});

describe('describe / properties', () => {
  it('returns null for invalid SMILES and a full description otherwise', () => {
    expect(chem.describe('C1CC')).toBeNull();
    expect(chem.properties('C(C)(C)(C)(C)C')).toBeNull();
    expect(chem.qed('')).toBeNull();
    expect(chem.saScore('c1cccc1')).toBeNull();
    expect(chem.penalizedLogP('Xx')).toBeNull();
    const d = chem.describe('OC(=O)c1ccccc1OC(C)=O')!;
    expect(d.canonicalSmiles).toBe('CC(=O)Oc1ccccc1C(=O)O');
    expect(d.inchiKey).toBe('BSYNRYMUTXBXSQ-UHFFFAOYSA-N');
    expect(Object.keys(d.properties).sort()).toEqual(
      ['aromaticRings', 'clogp', 'hba', 'hbd', 'heavyAtoms', 'mw', 'plogp', 'qed', 'rotatableBonds', 'sa', 'tpsa'].sort(),
    );
  });

  it('describeCanonical gives describe() and fingerprint() of a canonical SMILES from one parse', () => {
    const inputs = ['OC(=O)c1ccccc1OC(C)=O', 'C1CCCCCCCCCCC1', 'CN1CCN(CCC=C2c3ccccc3Sc3ccc(S(=O)(=O)N(C)C)cc32)CC1', '[13CH3]O'];
    for (const input of inputs) {
      const canonical = chem.canonical(input)!;
      // Compared with describe() of the canonical SMILES: RDKit's descriptors depend on atom order in the last digits
      // (aspirin's Crippen cLogP is 1.31009 read as written, 1.3101 from its canonical SMILES).
      expect(chem.describeCanonical(canonical)).toEqual({ ...chem.describe(canonical), ecfp4: chem.fingerprint(canonical) });
      expect(chem.describeCanonical(canonical)?.ecfp4).toEqual(chem.fingerprint(input));
    }
    expect(chem.describeCanonical('C1CC')).toBeNull();
    expect(chem.describeCanonical('')).toBeNull();
  });

  it('separate score functions agree with describe()', () => {
    const s = 'Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1';
    const p = chem.properties(s)!;
    expect(chem.qed(s)).toBe(p.qed);
    expect(chem.saScore(s)).toBe(p.sa);
    expect(chem.penalizedLogP(s)).toBe(p.plogp);
    expect(chem.describeMany([s, 'C1CC', 'CCO']).map((x) => x?.canonicalSmiles ?? null)).toEqual([
      chem.canonical(s),
      null,
      'CCO',
    ]);
  });

  it('plogP is a function of the molecule, not of the SMILES writing', () => {
    // fused/bridged tricycle: the cycle basis is computed on the canonical re-parse, as in JT-VAE
    const a = chem.penalizedLogP('O=C1O[C@@H]2C[C@H]3C[C@@H](C1)[C@H]32')!;
    const b = chem.penalizedLogP(chem.canonical('O=C1O[C@@H]2C[C@H]3C[C@@H](C1)[C@H]32')!)!;
    expect(a).toBeCloseTo(b, 10); // only floating-point summation order may differ
  });

  it('InChIKey is null for invalid SMILES', () => {
    expect(chem.inchiKey('C1CC')).toBeNull();
    expect(chem.inchiKey('Cn1c(=O)c2c(ncn2C)n(C)c1=O')).toBe('RYYVLZVUVIJVGH-UHFFFAOYSA-N');
  });

  it('deletes every RDKit object it creates (no WASM memory growth from leaked JSMols)', async () => {
    // Wrap the module so that every JSMol / MolList handed out is recorded; embind handles know isDeleted().
    const created: Array<{ isDeleted(): boolean; label: string }> = [];
    const wrap = <T extends object>(obj: T, label: string): T => {
      created.push({ isDeleted: () => (obj as unknown as { isDeleted(): boolean }).isDeleted(), label });
      return new Proxy(obj, {
        get(target, prop) {
          const v = Reflect.get(target, prop, target) as unknown;
          if (typeof v !== 'function') return v;
          return (...args: unknown[]) => {
            const out = (v as (...a: unknown[]) => unknown).apply(target, args.map(unwrap));
            if (prop === 'at') return wrap(out as object, `${label}.at`);
            if (prop === 'get_frags') {
              const r = out as { molList: object; mappings: string };
              return { ...r, molList: wrap(r.molList, `${label}.get_frags`) };
            }
            return out;
          };
        },
      });
    };
    const originals = new WeakMap<object, object>();
    const unwrap = (x: unknown): unknown => (x && typeof x === 'object' && originals.has(x) ? originals.get(x) : x);
    const rd = chem.rdkit;
    const tracked = new Proxy(rd, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target) as unknown;
        if (prop !== 'get_mol' && prop !== 'get_qmol') return typeof v === 'function' ? v.bind(target) : v;
        return (...args: unknown[]) => {
          const m = (v as (...a: unknown[]) => object | null).apply(target, args);
          if (!m) return m;
          const p = wrap(m, String(prop));
          originals.set(p, m);
          return p;
        };
      },
    });
    const c = new Chemistry(tracked, chem.tables);
    const inputs = ['CC(C)Cc1ccc(cc1)[C@@H](C)C(=O)O', 'C1CC', 'C(C)(C)(C)(C)C', '[2H]C([2H])([2H])Oc1ccccc1', 'Cl.CCN'];
    for (const s of inputs) {
      c.describe(s);
      c.validate(s);
      for (const fn of [() => c.largestFragment(s), () => c.fingerprint(s), () => c.depictSvg(s), () => c.morganCounts(s)]) {
        try {
          fn();
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidSmilesError);
        }
      }
      c.penalizedLogP(s);
    }
    const live = created.filter((h) => !h.isDeleted()).map((h) => h.label);
    // only the long-lived QED query molecules (11 acceptors + 116 alerts + 1) are alive before dispose()
    expect(live.filter((l) => l !== 'get_qmol')).toEqual([]);
    expect(live.length).toBe(chem.tables.qedAcceptorSmarts.length + chem.tables.qedAlertSmarts.length + 1);
    c.dispose();
    expect(created.filter((h) => !h.isDeleted())).toEqual([]);
    expect(created.length).toBeGreaterThan(150);
  });

  it('repeated describe() calls do not grow process memory unboundedly', () => {
    const smiles = 'CC(C)Cc1ccc(cc1)[C@@H](C)C(=O)O';
    for (let i = 0; i < 50; i++) chem.describe(smiles);
    const before = process.memoryUsage().external;
    for (let i = 0; i < 300; i++) chem.describe(smiles);
    // coarse: WASM memory grows in large steps and is counted in `external`
    expect(process.memoryUsage().external - before).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('fingerprints and Tanimoto', () => {
  const aspirin = 'CC(=O)Oc1ccccc1C(=O)O';
  const paracetamol = 'CC(=O)Nc1ccc(O)cc1';

  it('identity is 1, symmetric, in [0, 1]', () => {
    expect(chem.tanimoto(aspirin, 'OC(=O)c1ccccc1OC(C)=O')).toBe(1);
    const ab = chem.tanimoto(aspirin, paracetamol);
    expect(ab).toBe(chem.tanimoto(paracetamol, aspirin));
    expect(ab).toBeGreaterThan(0);
    expect(ab).toBeLessThan(1);
    // RDKit Python: DataStructs.TanimotoSimilarity(ECFP4(aspirin), ECFP4(paracetamol)) = 0.2222...
    expect(ab).toBeCloseTo(2 / 9, 12);
  });

  it('fingerprint() gives 2048 packed bits usable with tanimotoFp/bulkTanimoto', () => {
    const fa = chem.fingerprint(aspirin);
    const fb = chem.fingerprint(paracetamol);
    expect(fa).toBeInstanceOf(Uint8Array);
    expect(fa.length).toBe(256);
    expect(chem.tanimotoFp(fa, fb)).toBe(chem.tanimoto(aspirin, paracetamol));
    expect(chem.tanimoto(fa, fb)).toBe(chem.tanimotoFp(fa, fb));
    expect(chem.bulkTanimoto(fa, [fa, fb])).toEqual([1, chem.tanimotoFp(fa, fb)]);
  });

  it('throws typed errors', () => {
    expect(() => chem.fingerprint('C1CC')).toThrow(InvalidSmilesError);
    expect(() => chem.tanimoto(aspirin, 'C1CC')).toThrow(InvalidSmilesError);
    expect(() => tanimotoBits(new Uint8Array(2), new Uint8Array(3))).toThrow(RangeError);
    expect(tanimotoBits(new Uint8Array(4), new Uint8Array(4))).toBe(1);
  });

  it('InvalidSmilesError carries the reason and code', () => {
    try {
      chem.fingerprint('C(C)(C)(C)(C)C');
      fail('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidSmilesError);
      const err = e as InvalidSmilesError;
      expect(err.name).toBe('InvalidSmilesError');
      expect(err.code).toBe('VALENCE');
      expect(err.smiles).toBe('C(C)(C)(C)(C)C');
      expect(err.message).toContain('valence error');
    }
  });
});

describe('depictSvg', () => {
  it('returns an SVG document of the requested size', () => {
    const svg = chem.depictSvg('c1ccccc1O', { width: 320, height: 240 });
    expect(svg.startsWith('<svg') || svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('<svg');
    expect(svg).toContain("width='320px'");
    expect(svg).toContain("height='240px'");
    expect(chem.depictSvg('CCO')).toContain("width='300px'");
  });

  it('rejects invalid SMILES and sizes', () => {
    expect(() => chem.depictSvg('C1CC')).toThrow(InvalidSmilesError);
    expect(() => chem.depictSvg('CCO', { width: SVG_MAX_SIZE + 1 })).toThrow(RangeError);
    expect(() => chem.depictSvg('CCO', { height: 10.5 })).toThrow(RangeError);
  });
});

describe('largestFragment', () => {
  it.each([
    ['CC(=O)[O-].[Na+]', 'CC(=O)[O-]'],
    ['Cl.CN(C)C(=N)NC(=N)N', 'CN(C)C(=N)NC(=N)N'],
    ['O.O.CCO', 'CCO'],
    ['[Na+].[Cl-]', '[Cl-]'],
    ['CCO', 'CCO'],
    ['OCC', 'CCO'],
    // carbon wins over a larger inorganic fragment
    ['C.OS(=O)(=O)O', 'C'],
  ])('%s -> %s', (input, parent) => {
    expect(chem.largestFragment(input)).toBe(parent);
  });

  it('throws for invalid SMILES', () => {
    expect(() => chem.largestFragment('C1CC')).toThrow(InvalidSmilesError);
  });
});

describe('pure helpers', () => {
  it('hashCombine is boost::hash_combine on 32 bits', () => {
    expect(hashCombine(0, 0)).toBe(0x9e3779b9);
    expect(hashCombine(0xffffffff, 0xffffffff)).toBeLessThanOrEqual(0xffffffff);
    // RDKit invariant of a methyl carbon [6, 4, 3, 0, 0] (GetConnectivityInvariants)
    expect(hashVector([6, 4, 3, 0, 0])).toBe(2246728737);
  });

  it.each([
    // expected: networkx 2.8.8 nx.cycle_basis(nx.Graph(rdmolops.GetAdjacencyMatrix(MolFromSmiles(smiles))))
    ['c1ccc2ccccc2c1', [[3, 4, 5, 6, 7, 8], [1, 2, 3, 8, 9, 0]]],
    ['C1CC2CCC1C2', [[1, 2, 6, 5, 0], [4, 3, 2, 6, 5]]],
    ['C12C3C4C1C5C2C3C45', [[1, 6, 5, 0], [4, 7, 6, 5], [1, 2, 7, 6], [3, 2, 7, 6, 5, 0], [3, 4, 5, 0]]],
    ['C1CC1.C1CCC1', [[1, 2, 0], [4, 5, 6, 3]]],
    ['CCO', []],
  ])('cycleBasis(%s) equals networkx 2.8.8 cycle_basis', (smiles, expected) => {
    const mol = chem.rdkit.get_mol(smiles as string)!;
    try {
      const g = parseRdkitJson(mol.get_json());
      expect(cycleBasis(g.neighbors)).toEqual(expected);
      expect(cyclomaticNumber(g, () => true)).toBe((expected as number[][]).length);
    } finally {
      mol.delete();
    }
  });

  it('score formulas', () => {
    // at x = C with D = 0 both sigmoids are 1/2: B/2 · (1 − 1/2) = 0.25
    expect(ads(300, { A: 0, B: 1, C: 300, D: 0, E: 1, F: 1, DMAX: 1 })).toBeCloseTo(0.25, 12);
    expect(penalizedLogPFrom(2.4570953396190123, 3.0525811293166134, 6)).toBeCloseTo(0.0485696876403053 / 0.2860212110245455, 12);
    expect(penalizedLogPFrom(0, 1, 8) - penalizedLogPFrom(0, 1, 6)).toBeCloseTo(-2 / 0.2860212110245455, 12);
    const c = { fragmentScore: 10, nAtoms: 5, nChiralCenters: 0, nSpiro: 0, nBridgeheads: 0, nMacrocycles: 0, nDistinctIds: 5 };
    expect(saScoreFromComponents(c)).toBe(1);
    expect(saScoreFromComponents({ ...c, fragmentScore: -100 })).toBe(10);
  });
});
