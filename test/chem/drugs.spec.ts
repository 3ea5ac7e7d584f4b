import { ChemService } from '../../src/chem/chem.service';
import { DrugIndex, normalizeDrugName, stripSaltWords } from '../../src/chem/drugs';
import { ChemNotReadyError, InvalidSmilesError, UnknownMoleculeNameError } from '../../src/chem/errors';
import type { ChemPort } from '../../src/navigation/ports';

let service: ChemService;

beforeAll(async () => {
  service = await new ChemService().init();
});

afterAll(() => service?.onModuleDestroy());

describe('DrugIndex', () => {
  let drugs: DrugIndex;
  beforeAll(() => {
    drugs = service.drugs;
  });

  it('loads the shipped table', () => {
    expect(drugs.size).toBeGreaterThan(2500);
    expect(DrugIndex.load().size).toBe(drugs.size);
  });

  it('resolves names case-insensitively and trims', () => {
    expect(drugs.resolve('Celecoxib')).toEqual({
      name: 'CELECOXIB',
      chemblId: 'CHEMBL118',
      smiles: 'Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1',
    });
    expect(drugs.resolve('ASPIRIN')).toMatchObject({ name: 'ASPIRIN', chemblId: 'CHEMBL25', smiles: 'CC(=O)Oc1ccccc1C(=O)O' });
    expect(drugs.resolve('  aspirin\t')?.name).toBe('ASPIRIN');
    expect(drugs.resolve('metformin   hydrochloride')?.name).toBe('METFORMIN HYDROCHLORIDE');
  });

  it('returns null for unknown names', () => {
    expect(drugs.resolve('notadrug')).toBeNull();
    expect(drugs.resolve('')).toBeNull();
    expect(drugs.resolve('   ')).toBeNull();
  });

  it('strips salts: HYDROCHLORIDE and SODIUM drugs resolve to a single-fragment, neutral parent', () => {
    for (const name of ['METFORMIN HYDROCHLORIDE', 'SERTRALINE HYDROCHLORIDE', 'NAPROXEN SODIUM', 'ATORVASTATIN CALCIUM']) {
      const hit = drugs.resolve(name);
      expect(hit).not.toBeNull();
      expect(hit!.smiles).not.toContain('.');
      expect(service.chem.validate(hit!.smiles).valid).toBe(true);
    }
    expect(drugs.resolve('naproxen sodium')!.smiles).toBe(drugs.resolve('naproxen')!.smiles);
    const salts = drugs.records().filter((r) => r.saltStripped);
    expect(salts.length).toBeGreaterThan(900);
    expect(salts.filter((r) => r.smiles.includes('.'))).toEqual([]);
  });

  it('accepts a salt name without its salt word when there is no plain entry', () => {
    // ChEMBL has DOPAMINE HYDROCHLORIDE but no plain DOPAMINE record
    expect(drugs.records().some((r) => normalizeDrugName(r.name) === 'DOPAMINE')).toBe(false);
    expect(drugs.resolve('dopamine')).toMatchObject({ name: 'DOPAMINE HYDROCHLORIDE', smiles: 'NCCc1ccc(O)c(O)c1' });
    expect(drugs.resolve('Penicillin G')?.name).toMatch(/^PENICILLIN G /);
    // a plain entry wins over salt forms
    expect(drugs.resolve('metformin')?.name).toBe('METFORMIN');
    // esters are not salts: ABIRATERONE ACETATE is a single-fragment record
    expect(drugs.resolve('abiraterone')).toBeNull();
    // counter-ion names never become aliases
    expect(drugs.resolve('potassium')).toBeNull();
    expect(drugs.resolve('ammonium')).toBeNull();
  });

  it('stripSaltWords', () => {
    expect(stripSaltWords('METFORMIN HYDROCHLORIDE')).toBe('METFORMIN');
    expect(stripSaltWords('X HYDROCHLORIDE MONOHYDRATE')).toBe('X');
    expect(stripSaltWords('POTASSIUM CHLORIDE')).toBeNull();
    expect(stripSaltWords('ASPIRIN')).toBeNull();
  });

  it('search(prefix, limit) for autocomplete', () => {
    const hits = drugs.search('metf', 5);
    expect(hits.map((h) => h.name)).toEqual(['METFORMIN', 'METFORMIN HYDROCHLORIDE']);
    expect(drugs.search('a', 3)).toHaveLength(3);
    expect(drugs.search('A', 3)).toEqual(drugs.search('a', 3));
    const names = drugs.search('c', 50).map((h) => h.name);
    expect(names).toEqual([...names].sort());
    expect(names.every((n) => n.startsWith('C'))).toBe(true);
    expect(drugs.search('', 5)).toEqual([]);
    expect(drugs.search('zzzz', 5)).toEqual([]);
    expect(drugs.search('a', 0)).toEqual([]);
    expect(drugs.search('a', 1000)).toHaveLength(100);
  });

  it('fromTsv parses comments and header columns by name', () => {
    const idx = DrugIndex.fromTsv('# c\nparent_smiles\tname\tchembl_id\nCCO\tEthanol\tCHEMBL545\n');
    expect(idx.resolve('ETHANOL')).toEqual({ name: 'Ethanol', chemblId: 'CHEMBL545', smiles: 'CCO' });
  });
});

describe('ChemService.resolveMolecule', () => {
  it('resolves drug names first when they look like names', () => {
    expect(service.resolveMolecule('Celecoxib')).toEqual({
      input: 'Celecoxib',
      name: 'CELECOXIB',
      chemblId: 'CHEMBL118',
      canonicalSmiles: 'Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1',
    });
    expect(service.resolveMolecule(' metformin hydrochloride ')).toMatchObject({
      name: 'METFORMIN HYDROCHLORIDE',
      canonicalSmiles: 'CN(C)C(=N)NC(=N)N',
    });
  });

  it('parses SMILES otherwise (letters-only SMILES included)', () => {
    expect(service.resolveMolecule('OCC')).toEqual({ input: 'OCC', name: null, chemblId: null, canonicalSmiles: 'CCO' });
    expect(service.resolveMolecule('c1ccccc1O')).toMatchObject({ name: null, canonicalSmiles: 'Oc1ccccc1' });
  });

  it('resolves names with other characters after SMILES parsing fails', () => {
    expect(service.resolveMolecule('Caffeine, citrated')).toMatchObject({ name: 'CAFFEINE, CITRATED' });
  });

  it('throws typed errors', () => {
    expect(() => service.resolveMolecule('Celecoxb')).toThrow(UnknownMoleculeNameError);
    expect(() => service.resolveMolecule('C1CC')).toThrow(InvalidSmilesError);
    expect(() => service.resolveMolecule('C(C)(C)(C)(C)C')).toThrow(/valence error/);
    expect(() => service.resolveMolecule('   ')).toThrow(InvalidSmilesError);
    try {
      service.resolveMolecule('notadrug');
    } catch (e) {
      expect((e as Error).name).toBe('UnknownMoleculeNameError');
    }
  });

  it('resolve() adds InChIKey and properties', () => {
    const r = service.resolve('aspirin');
    expect(r).toMatchObject({ name: 'ASPIRIN', chemblId: 'CHEMBL25', inchiKey: 'BSYNRYMUTXBXSQ-UHFFFAOYSA-N' });
    expect(r.properties.qed).toBeCloseTo(0.550122, 5);
  });
});

describe('ChemService', () => {
  it('satisfies the navigation ChemPort', () => {
    const port: ChemPort = service;
    const fa = port.fingerprint(port.resolve('aspirin').canonicalSmiles);
    const fb = port.fingerprint('O=C(O)c1ccccc1O');
    expect(port.tanimoto(fa, fb)).toBeCloseTo(13 / 29, 12);
    expect(port.canonical('C1CC')).toBeNull();
    expect(port.describe('CCO').properties.heavyAtoms).toBe(3);
    expect(() => port.describe('C1CC')).toThrow(InvalidSmilesError);
  });

  it('throws ChemNotReadyError before init', () => {
    const s = new ChemService();
    expect(() => s.chem).toThrow(ChemNotReadyError);
    expect(() => s.resolveMolecule('aspirin')).toThrow(ChemNotReadyError);
  });

  it('init is idempotent', async () => {
    const s = new ChemService();
    const [a, b] = await Promise.all([s.init(), s.init()]);
    expect(a).toBe(b);
    expect(s.chem).toBe(b.chem);
    s.onModuleDestroy();
  });
});
