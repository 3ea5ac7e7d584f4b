/**
 * LibrariesService limits and error translation with a fake LibraryStore (a library "larger" than the limits
 * without writing 10,000 rows) and the real chemistry layer.
 */
import { ChemService } from '../../src/chem/chem.service';
import { MolnavError } from '../../src/common/errors';
import { LIMITS } from '../../src/config/config';
import { LibrariesService, type EntryQuery } from '../../src/libraries/libraries.service';
import { ConflictError, LibraryNotFoundError, type LibraryEntryRecord, type LibraryStore, type Page } from '../../src/store';
import { MOLECULES } from '../store/helpers';

let chem: ChemService;
beforeAll(async () => {
  chem = await new ChemService().init();
});
afterAll(() => chem?.onModuleDestroy());

const library = { id: 'lib-1', name: 'Big library', description: null, createdAt: new Date(0), updatedAt: new Date(0), entryCount: LIMITS.maxExportRows + 1 };

function entry(id: number): LibraryEntryRecord {
  const m = MOLECULES.aspirin;
  return {
    id, libraryId: library.id, note: null, score: null, sourceRunId: null, addedAt: new Date(id), tags: [],
    candidate: { id, canonicalSmiles: m.canonicalSmiles, inchiKey: m.inchiKey, properties: m.properties, createdAt: new Date(0) },
  };
}

/** A store whose library matches `size` entries; listEntries serves pages of consecutive ids. */
function fakeStore(size: number) {
  const calls: string[] = [];
  const store = {
    getLibrary: async (id: string) => (id === library.id ? library : null),
    countEntries: async (id: string) => {
      calls.push('countEntries');
      if (id !== library.id) throw new LibraryNotFoundError('Library', [id]);
      return size;
    },
    scanEntries: async () => {
      calls.push('scanEntries');
      return [];
    },
    listEntries: async (args: { first: number; after?: string | null }): Promise<Page<LibraryEntryRecord>> => {
      calls.push(`listEntries(${args.first})`);
      const start = args.after ? Number(args.after) : 0;
      const items = Array.from({ length: Math.min(args.first, size - start) }, (_, i) => entry(start + i + 1));
      const edges = items.map((node) => ({ cursor: String(node.id), node }));
      return { items, edges, totalCount: size, hasNextPage: start + items.length < size, endCursor: edges.at(-1)?.cursor ?? null };
    },
    createLibrary: async () => {
      throw new ConflictError('A library named "Big library" already exists', ['name']);
    },
  };
  return { store: store as unknown as LibraryStore, calls };
}

const query = (over: Partial<EntryQuery> = {}): EntryQuery => ({ filters: {}, substructure: null, similarTo: null, orderBy: null, direction: null, ...over });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof MolnavError ? e.code : (e as Error).name;
  }
  throw new Error('expected an error');
}

describe('LibrariesService limits', () => {
  it(`refuses a substructure or similarity search over more than ${LIMITS.maxLibrarySearchRows} entries before scanning`, async () => {
    const { store, calls } = fakeStore(LIMITS.maxLibrarySearchRows + 1);
    const service = new LibrariesService(store, chem);
    expect(await codeOf(service.listEntries(library.id, query({ substructure: { pattern: 'c1ccccc1', format: 'SMARTS' } }), 10))).toBe('LIMIT_EXCEEDED');
    expect(await codeOf(service.listEntries(library.id, query({ similarTo: { molecule: 'aspirin', threshold: 0.3 } }), 10))).toBe('LIMIT_EXCEEDED');
    expect(calls).not.toContain('scanEntries');
    const { store: small } = fakeStore(LIMITS.maxLibrarySearchRows);
    const page = await new LibrariesService(small, chem).listEntries(library.id, query({ substructure: { pattern: 'c1ccccc1', format: 'SMARTS' } }), 10);
    expect(page.totalCount).toBe(0); // the (empty) scan ran
  });

  it(`refuses an export of more than ${LIMITS.maxExportRows} rows unless a limit is given, then streams that many`, async () => {
    const { store, calls } = fakeStore(LIMITS.maxExportRows + 1);
    const service = new LibrariesService(store, chem);
    expect(await codeOf(service.prepareExport(library.id, query(), 'csv'))).toBe('LIMIT_EXCEEDED');
    expect(await codeOf(service.prepareExport(library.id, query(), 'csv', LIMITS.maxExportRows + 1))).toBe('LIMIT_EXCEEDED');
    const exp = await service.prepareExport(library.id, query(), 'csv', 450);
    expect(exp.rows).toBe(450);
    let text = '';
    for await (const chunk of exp.body) text += chunk;
    expect(text.split('\r\n').filter((l) => l !== '')).toHaveLength(451); // header + rows
    expect(calls.filter((c) => c.startsWith('listEntries'))).toEqual(['listEntries(200)', 'listEntries(200)', 'listEntries(50)']);
  });

  it('turns store errors into API codes and checks batch sizes and ranges', async () => {
    const { store } = fakeStore(3);
    const service = new LibrariesService(store, chem);
    expect(await codeOf(service.createLibrary('Big library'))).toBe('CONFLICT');
    expect(await codeOf(service.prepareExport('nope', query(), 'csv'))).toBe('NOT_FOUND');
    expect(await codeOf(service.addSmiles(library.id, new Array(LIMITS.maxLibrarySmilesBatch + 1).fill('C')))).toBe('LIMIT_EXCEEDED');
    expect(await codeOf(service.addCandidates(library.id, new Array(LIMITS.maxLibraryBatch + 1).fill('1')))).toBe('LIMIT_EXCEEDED');
    expect(await codeOf(service.listEntries(library.id, query({ filters: { properties: { mw: { min: 300, max: 200 } } } }), 10))).toBe('BAD_USER_INPUT');
    expect(await codeOf(service.listEntries(library.id, query({ orderBy: 'similarity' }), 10))).toBe('BAD_USER_INPUT');
    expect(await codeOf(service.getLibrary({ id: 'a', name: 'b' }))).toBe('BAD_USER_INPUT');
  });
});
