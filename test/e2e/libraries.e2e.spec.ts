/**
 * End to end: named candidate libraries through the real Nest app (AppModule) with the shipped ONNX model, RDKit WASM
 * and a fresh database, over HTTP: GraphQL mutations and queries, and the CSV/SDF export route.
 */
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { Chemistry } from '../../src/chem/chemistry';
import { validationPipe } from '../../src/main';
import { TestDatabases } from '../db';
import { graphqlClient } from './graphql-client';

const dbs = new TestDatabases('e2e-libraries');

const SMILES = {
  aspirin: 'CC(=O)Oc1ccccc1C(=O)O',
  caffeine: 'Cn1c(=O)c2c(ncn2C)n(C)c1=O',
  ibuprofen: 'CC(C)Cc1ccc(C(C)C(=O)O)cc1',
  celecoxib: 'Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1',
  paracetamol: 'CC(=O)Nc1ccc(O)cc1',
};

const ENTRY_FIELDS = `id libraryId note score sourceRunId addedAt tags similarity
  candidate { id canonicalSmiles inchiKey properties { mw qed clogp } }`;

const ENTRIES = `query($id: ID!, $filter: LibraryEntryFilterInput, $orderBy: LibraryEntryOrderBy, $direction: SortDirection, $first: Int!, $after: String) {
  libraryEntries(libraryId: $id, filter: $filter, orderBy: $orderBy, direction: $direction, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${ENTRY_FIELDS} } }
  }
}`;

/** A small RFC 4180 reader (quoted fields, doubled quotes, CRLF), written independently of the exporter. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

/** SD file records: molblock text and data items. */
function parseSdf(text: string): { molblock: string; data: Record<string, string> }[] {
  const records = text.split('$$$$\n');
  expect(records.pop()).toBe('');
  return records.map((r) => {
    const end = r.indexOf('M  END\n') + 'M  END\n'.length;
    const data: Record<string, string> = {};
    for (const m of r.slice(end).matchAll(/^> <([^>]+)>\n(.*)\n\n/gm)) data[m[1]] = m[2];
    return { molblock: r.slice(0, end), data };
  });
}

/** GET as text whatever the content type (SD files are not text/* for HTTP clients). */
function download(app: INestApplication, path: string) {
  return request(app.getHttpServer())
    .get(path)
    .buffer(true)
    .parse((res, cb) => {
      let s = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (s += d));
      res.on('end', () => cb(null, s));
    })
    .then((r) => ({ status: r.status, headers: r.headers, text: r.body as string }));
}

describe('named candidate libraries (e2e, shipped model, real molecules)', () => {
  let app: INestApplication;
  let chem: Chemistry;
  const { gql, errorCode } = graphqlClient(() => app);

  let libraryId: string;
  let runId: string;
  let interpolation: { canonicalSmiles: string; tanimotoToFrom: number }[];
  const ids: Record<string, string> = {};

  async function allEntries(filter: Record<string, unknown> | null = null, orderBy: string | null = null, direction: string | null = null, first = 4) {
    const nodes: any[] = [];
    const cursors = new Set<string>();
    let after: string | null = null;
    let total = -1;
    for (let i = 0; i < 100; i++) {
      const body: any = await gql(ENTRIES, { id: libraryId, filter, orderBy, direction, first, after });
      expect(body.errors).toBeUndefined();
      const c = body.data.libraryEntries;
      if (total < 0) total = c.totalCount;
      expect(c.totalCount).toBe(total);
      for (const e of c.edges) {
        expect(cursors.has(e.cursor)).toBe(false);
        cursors.add(e.cursor);
        nodes.push(e.node);
      }
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(nodes).toHaveLength(total);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(total);
    return nodes;
  }

  beforeAll(async () => {
    process.env.DATABASE_URL = await dbs.url('libraries');
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    app.useGlobalPipes(validationPipe());
    await app.init();
    chem = await Chemistry.create();
  });

  afterAll(async () => {
    chem?.dispose();
    await app?.close();
    await dbs.cleanup();
    delete process.env.DATABASE_URL;
  });

  it('creates a library; a duplicate name is CONFLICT, an unknown library NOT_FOUND, a bad name BAD_USER_INPUT', async () => {
    const body = await gql(`mutation { createLibrary(input: { name: "Analgesics", description: "NSAIDs and friends" }) { id name description entryCount createdAt } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.createLibrary).toMatchObject({ name: 'Analgesics', description: 'NSAIDs and friends', entryCount: 0 });
    libraryId = body.data.createLibrary.id;

    const dup = await gql(`mutation { createLibrary(input: { name: " Analgesics " }) { id } }`);
    expect(dup.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(dup.errors?.[0].message).toMatch(/Analgesics/);
    expect(await errorCode(`{ library(id: "00000000-0000-0000-0000-000000000000") { id } }`)).toBe('NOT_FOUND');
    expect(await errorCode(`{ library(name: "No such library") { id } }`)).toBe('NOT_FOUND');
    expect(await errorCode(`{ libraryEntries(libraryId: "nope", first: 5) { totalCount } }`)).toBe('NOT_FOUND');
    expect(await errorCode(`mutation { addToLibrary(input: { libraryId: "nope", smiles: ["CCO"] }) { added } }`)).toBe('NOT_FOUND');
    expect(await errorCode(`mutation { deleteLibrary(id: "nope") }`)).toBe('NOT_FOUND');
    expect(await errorCode(`mutation { createLibrary(input: { name: "   " }) { id } }`)).toBe('BAD_USER_INPUT');
    expect(await errorCode(`mutation($n: String!) { createLibrary(input: { name: $n }) { id } }`, { n: 'x'.repeat(101) })).toBe('BAD_USER_INPUT');
    expect(await errorCode(`{ library { id } }`)).toBe('BAD_USER_INPUT');

    const byName = await gql(`{ library(name: "Analgesics") { id name } }`);
    expect(byName.data.library).toEqual({ id: libraryId, name: 'Analgesics' });
  });

  it('adds molecules from SMILES and drug names: canonicalised, described by RDKit, stored as candidates; all or nothing', async () => {
    const input = { libraryId, smiles: ['O=C(O)c1ccccc1OC(C)=O', 'caffeine', SMILES.ibuprofen, 'Celecoxib', 'CC(=O)Oc1ccccc1C(=O)O'], tags: ['Seed'] };
    const body = await gql(`mutation($input: AddToLibraryInput!) { addToLibrary(input: $input) { added alreadyPresent library { entryCount } entries { ${ENTRY_FIELDS} } } }`, { input });
    expect(body.errors).toBeUndefined();
    const r = body.data.addToLibrary;
    expect(r).toMatchObject({ added: 4, alreadyPresent: 0, library: { entryCount: 4 } });
    expect(r.entries.map((e: any) => e.candidate.canonicalSmiles)).toEqual([SMILES.aspirin, SMILES.caffeine, SMILES.ibuprofen, SMILES.celecoxib]);
    for (const e of r.entries) {
      expect(e.tags).toEqual(['seed']);
      expect(e).toMatchObject({ libraryId, note: null, score: null, sourceRunId: null, similarity: null });
      // The stored properties are the chemistry layer's description of the molecule.
      const m = await gql(`query($q: String!) { molecule(query: $q) { inchiKey properties { mw qed clogp } } }`, { q: e.candidate.canonicalSmiles });
      expect(e.candidate.properties).toEqual(m.data.molecule.properties);
      expect(e.candidate.inchiKey).toBe(m.data.molecule.inchiKey);
    }
    expect(r.entries[0].candidate.properties.mw).toBeCloseTo(180.159, 2);
    for (const e of r.entries) ids[Object.keys(SMILES).find((k) => SMILES[k as keyof typeof SMILES] === e.candidate.canonicalSmiles)!] = e.candidate.id;

    const bad = await gql(`mutation { addToLibrary(input: { libraryId: "${libraryId}", smiles: ["CCO", "C1CC(C"] }) { added } }`);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'INVALID_SMILES', index: 1 });
    expect((await gql(`{ library(id: "${libraryId}") { entryCount } }`)).data.library.entryCount).toBe(4);
    expect(await errorCode(`mutation { addToLibrary(input: { libraryId: "${libraryId}", smiles: ["notadrugname"] }) { added } }`)).toBe('UNKNOWN_MOLECULE_NAME');
    expect(await errorCode(`mutation { addToLibrary(input: { libraryId: "${libraryId}", candidateIds: ["999999"] }) { added } }`)).toBe('NOT_FOUND');
    expect(await errorCode(`mutation { addToLibrary(input: { libraryId: "${libraryId}", candidateIds: ["abc"] }) { added } }`)).toBe('BAD_USER_INPUT');
    expect(await errorCode(`mutation { addToLibrary(input: { libraryId: "${libraryId}" }) { added } }`)).toBe('BAD_USER_INPUT');
    expect(await errorCode(`mutation($s: [String!]) { addToLibrary(input: { libraryId: "${libraryId}", smiles: $s }) { added } }`, { s: new Array(201).fill('C') })).toBe('BAD_USER_INPUT');
    expect(await errorCode(`mutation { addToLibrary(input: { libraryId: "${libraryId}", smiles: ["CCO"], tags: ["no spaces allowed"] }) { added } }`)).toBe('BAD_USER_INPUT');
  });

  it("adds an interpolation run between aspirin and paracetamol, keeping the run's scores and provenance", async () => {
    const interp = await gql(`mutation { interpolate(input: { from: "aspirin", to: "CC(=O)Nc1ccc(O)cc1", steps: 6, seed: 1 }) { runId path { canonicalSmiles tanimotoToFrom } } }`);
    expect(interp.errors).toBeUndefined();
    runId = interp.data.interpolate.runId;
    interpolation = interp.data.interpolate.path;
    const distinct = new Set(interpolation.map((p) => p.canonicalSmiles));
    const body = await gql(`mutation($input: AddRunToLibraryInput!) { addRunToLibrary(input: $input) { added alreadyPresent library { entryCount } entries { ${ENTRY_FIELDS} } } }`, {
      input: { libraryId, runId, tags: ['interp'] },
    });
    expect(body.errors).toBeUndefined();
    const r = body.data.addRunToLibrary;
    expect(r.alreadyPresent).toBe(1); // aspirin
    expect(r.added).toBe(distinct.size - 1);
    expect(r.library.entryCount).toBe(4 + distinct.size - 1);
    expect(r.entries.map((e: any) => e.candidate.canonicalSmiles)).toEqual([...distinct]);
    const run = await gql(`query($id: ID!) { run(id: $id) { candidates { position score candidate { id } } } }`, { id: runId });
    for (const e of r.entries) {
      expect(e.tags).toContain('interp');
      if (e.candidate.canonicalSmiles === SMILES.aspirin) {
        expect(e).toMatchObject({ sourceRunId: null, tags: ['interp', 'seed'] }); // already present: kept as it was
        continue;
      }
      const link = run.data.run.candidates.find((c: any) => c.candidate.id === e.candidate.id);
      expect(e).toMatchObject({ sourceRunId: runId, score: link.score });
    }
    ids.paracetamol = r.entries.find((e: any) => e.candidate.canonicalSmiles === SMILES.paracetamol).candidate.id;

    // An optimisation run has scores: chosen positions keep them.
    const opt = await gql(`mutation { optimize(input: { seed: "ibuprofen", objective: { kind: QED }, budget: 20, topK: 3, randomSeed: 2 }) { runId candidates { rank canonicalSmiles score } } }`);
    expect(opt.errors).toBeUndefined();
    const o = opt.data.optimize;
    const scoredLib = await gql(`mutation { createLibrary(input: { name: "QED picks" }) { id } }`);
    const picks = await gql(`mutation($input: AddRunToLibraryInput!) { addRunToLibrary(input: $input) { added entries { score sourceRunId candidate { canonicalSmiles properties { qed } } } } }`, {
      input: { libraryId: scoredLib.data.createLibrary.id, runId: o.runId, positions: [0] },
    });
    expect(picks.errors).toBeUndefined();
    expect(picks.data.addRunToLibrary.entries).toHaveLength(1);
    const pick = picks.data.addRunToLibrary.entries[0];
    expect(pick.candidate.canonicalSmiles).toBe(o.candidates[0].canonicalSmiles);
    expect(pick.score).toBe(o.candidates[0].score);
    expect(pick.score).toBeCloseTo(pick.candidate.properties.qed, 10);
    expect(pick.sourceRunId).toBe(o.runId);
    expect(await errorCode(`mutation { addRunToLibrary(input: { libraryId: "${libraryId}", runId: "${o.runId}", positions: [0, 99] }) { added } }`)).toBe('NOT_FOUND');
    expect(await errorCode(`mutation { addRunToLibrary(input: { libraryId: "${libraryId}", runId: "no-such-run" }) { added } }`)).toBe('NOT_FOUND');
  });

  it('annotates and tags entries; filters by tag and note text', async () => {
    const note = '=HYPERLINK("http://example.com","click"), reviewed';
    const a = await gql(`mutation($input: AnnotateLibraryEntryInput!) { annotateLibraryEntry(input: $input) { note candidate { id } } }`, {
      input: { libraryId, candidateId: ids.aspirin, note },
    });
    expect(a.data.annotateLibraryEntry).toEqual({ note, candidate: { id: ids.aspirin } });
    const t = await gql(`mutation($input: TagLibraryEntriesInput!) { tagLibraryEntries(input: $input) { tags candidate { id } } }`, {
      input: { libraryId, candidateIds: [ids.aspirin, ids.ibuprofen, ids.celecoxib], tags: ['NSAID', '+cox'] },
    });
    expect(t.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT'); // '+' is not a tag character
    const t2 = await gql(`mutation($input: TagLibraryEntriesInput!) { tagLibraryEntries(input: $input) { tags candidate { id } } }`, {
      input: { libraryId, candidateIds: [ids.aspirin, ids.ibuprofen, ids.celecoxib], tags: ['NSAID', 'cox:2'] },
    });
    expect(t2.errors).toBeUndefined();
    expect(t2.data.tagLibraryEntries[0].tags).toEqual(['cox:2', 'interp', 'nsaid', 'seed']); // aspirin was also in the run
    const u = await gql(`mutation($input: TagLibraryEntriesInput!) { untagLibraryEntries(input: $input) { tags } }`, {
      input: { libraryId, candidateIds: [ids.aspirin, ids.ibuprofen], tags: ['cox:2'] },
    });
    expect(u.data.untagLibraryEntries.map((e: any) => e.tags)).toEqual([['interp', 'nsaid', 'seed'], ['nsaid', 'seed']]);

    const nsaids = await allEntries({ tags: ['nsaid'] });
    expect(new Set(nsaids.map((n) => n.candidate.id))).toEqual(new Set([ids.aspirin, ids.ibuprofen, ids.celecoxib]));
    const both = await allEntries({ tags: ['nsaid', 'cox:2'] });
    expect(both.map((n) => n.candidate.id)).toEqual([ids.celecoxib]);
    const byNote = await allEntries({ noteContains: 'REVIEWED' });
    expect(byNote.map((n) => n.candidate.id)).toEqual([ids.aspirin]);

    expect(await errorCode(`mutation { tagLibraryEntries(input: { libraryId: "${libraryId}", candidateIds: ["999999"], tags: ["x"] }) { id } }`)).toBe('NOT_FOUND');
    expect(await errorCode(`mutation($n: String) { annotateLibraryEntry(input: { libraryId: "${libraryId}", candidateId: "${ids.aspirin}", note: $n }) { id } }`, { n: 'n'.repeat(2001) })).toBe('BAD_USER_INPUT');
  });

  it('filters by a QED range and orders by MW with cursors, each entry once', async () => {
    const all = await allEntries(null, null, null, 50);
    const qed = (n: any) => n.candidate.properties.qed;
    const expected = all.filter((n) => qed(n) >= 0.5 && qed(n) <= 0.75);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    const filtered = await allEntries({ qed: { min: 0.5, max: 0.75 } }, 'MW', 'ASC', 2);
    expect(new Set(filtered.map((n) => n.id))).toEqual(new Set(expected.map((n) => n.id)));
    const mws = filtered.map((n) => n.candidate.properties.mw);
    expect([...mws].sort((x, y) => x - y)).toEqual(mws);

    const byMwDesc = await allEntries(null, 'MW', 'DESC', 3);
    expect(byMwDesc).toHaveLength(all.length);
    const desc = byMwDesc.map((n) => n.candidate.properties.mw);
    expect([...desc].sort((x, y) => y - x)).toEqual(desc);
    expect(byMwDesc[0].candidate.canonicalSmiles).toBe(SMILES.celecoxib); // the heaviest (381 Da)

    const page = await gql(ENTRIES, { id: libraryId, orderBy: 'MW', direction: 'ASC', first: 2 });
    expect(await errorCode(ENTRIES, { id: libraryId, orderBy: 'QED', direction: 'ASC', first: 2, after: page.data.libraryEntries.pageInfo.endCursor })).toBe('INVALID_CURSOR');
    expect(await errorCode(ENTRIES, { id: libraryId, first: 201 })).toBe('BAD_USER_INPUT');
    expect(await errorCode(ENTRIES, { id: libraryId, first: 5, filter: { qed: { min: 0.8, max: 0.2 } } })).toBe('BAD_USER_INPUT');
    expect(await errorCode(ENTRIES, { id: libraryId, first: 5, orderBy: 'SIMILARITY' })).toBe('BAD_USER_INPUT');
  });

  it('finds benzene rings and carboxylic acids by substructure (SMARTS, and SMILES in Kekulé form)', async () => {
    const all = await allEntries(null, null, null, 50);
    const benzene = await allEntries({ substructure: 'c1ccccc1' }, null, null, 3);
    const names = (nodes: any[]) => new Set(nodes.map((n) => n.candidate.id));
    for (const k of ['aspirin', 'ibuprofen', 'celecoxib', 'paracetamol']) expect(names(benzene).has(ids[k])).toBe(true);
    expect(names(benzene).has(ids.caffeine)).toBe(false);
    // Cross-check every entry with the scoring language's SUBSTRUCTURE component (Chemistry.matchesSmarts).
    const check = async (smarts: string) => {
      const s = await gql(`query($s: [String!]!, $o: ScoringInput!) { scoreMolecules(objective: $o, smiles: $s) { score } }`, {
        s: all.map((n) => n.candidate.canonicalSmiles),
        o: { components: [{ kind: 'SUBSTRUCTURE', smarts }] },
      });
      expect(s.errors).toBeUndefined();
      return new Set(all.filter((_, i) => s.data.scoreMolecules[i].score === 1).map((n) => n.candidate.id));
    };
    expect(names(benzene)).toEqual(await check('c1ccccc1'));

    const acidSmarts = '[CX3](=O)[OX2H1]';
    const acids = await allEntries({ substructure: acidSmarts }, 'MW', 'ASC', 50);
    expect(names(acids)).toEqual(await check(acidSmarts));
    for (const k of ['aspirin', 'ibuprofen']) expect(names(acids).has(ids[k])).toBe(true);
    for (const k of ['paracetamol', 'caffeine', 'celecoxib']) expect(names(acids).has(ids[k])).toBe(false);
    const mws = acids.map((n) => n.candidate.properties.mw);
    expect([...mws].sort((x, y) => x - y)).toEqual(mws);

    const kekule = await allEntries({ substructure: 'C1=CC=CC=C1', substructureFormat: 'SMILES' }, null, null, 50);
    expect(names(kekule)).toEqual(names(benzene));
    // As SMARTS, Kekulé benzene asks for aliphatic carbons: no aromatic ring matches.
    expect(await allEntries({ substructure: 'C1=CC=CC=C1' }, null, null, 50)).toHaveLength(0);
    // Combined with a database filter.
    const heavyAcids = await allEntries({ substructure: acidSmarts, mw: { min: 200 } }, null, null, 50);
    expect(names(heavyAcids)).toEqual(new Set(acids.filter((n) => n.candidate.properties.mw >= 200).map((n) => n.candidate.id)));
  });

  it('ranks by ECFP4 similarity to aspirin: aspirin first with similarity 1, the rest at or above 0.3', async () => {
    const nodes = await allEntries({ similarTo: { smiles: 'aspirin', threshold: 0.3 } }, null, null, 2);
    expect(nodes[0].candidate.canonicalSmiles).toBe(SMILES.aspirin);
    expect(nodes[0].similarity).toBe(1);
    const sims = nodes.map((n) => n.similarity);
    expect([...sims].sort((x, y) => y - x)).toEqual(sims);
    expect(sims.every((s) => s >= 0.3 && s <= 1)).toBe(true);
    // Each interpolated molecule's similarity equals the Tanimoto to aspirin the interpolation reported.
    const bySmiles = new Map(nodes.map((n) => [n.candidate.canonicalSmiles, n.similarity]));
    for (const p of interpolation) {
      if (p.tanimotoToFrom >= 0.3) expect(bySmiles.get(p.canonicalSmiles)).toBeCloseTo(p.tanimotoToFrom, 12);
      else expect(bySmiles.has(p.canonicalSmiles)).toBe(false);
    }
    expect(bySmiles.has(SMILES.caffeine)).toBe(false);
    // Independent value: RDKit's bit vectors through the chemistry layer.
    for (const n of nodes) expect(n.similarity).toBeCloseTo(chem.tanimoto(SMILES.aspirin, n.candidate.canonicalSmiles), 12);

    const byMw = await allEntries({ similarTo: { smiles: SMILES.aspirin, threshold: 0.3 } }, 'MW', 'ASC', 3);
    expect(new Set(byMw.map((n) => n.id))).toEqual(new Set(nodes.map((n) => n.id)));
    const all = await allEntries({ similarTo: { smiles: SMILES.aspirin } }, null, null, 50);
    expect(all.length).toBe((await gql(`{ library(id: "${libraryId}") { entryCount } }`)).data.library.entryCount);
  });

  it('rejects bad SMARTS and bad similarity queries with typed errors', async () => {
    const bad = await gql(ENTRIES, { id: libraryId, first: 5, filter: { substructure: 'c1ccc(' } });
    expect(bad.errors?.[0].extensions?.code).toBe('INVALID_SMARTS');
    expect(bad.errors?.[0].message).toMatch(/SMARTS/);
    expect(await errorCode(ENTRIES, { id: libraryId, first: 5, filter: { substructure: '[C@@@' } })).toBe('INVALID_SMARTS');
    expect(await errorCode(ENTRIES, { id: libraryId, first: 5, filter: { substructure: 'C1CC(C', substructureFormat: 'SMILES' } })).toBe('INVALID_SMILES');
    expect(await errorCode(ENTRIES, { id: libraryId, first: 5, filter: { similarTo: { smiles: 'C1CC(C' } } })).toBe('INVALID_SMILES');
    expect(await errorCode(ENTRIES, { id: libraryId, first: 5, filter: { similarTo: { smiles: 'CCO', threshold: 1.5 } } })).toBe('BAD_USER_INPUT');
  });

  it('exports CSV (RFC 4180, formula cells defused) and SDF (2D molblocks, data fields) that parse back', async () => {
    const total = (await gql(`{ library(id: "${libraryId}") { entryCount } }`)).data.library.entryCount;
    const csv = await download(app, `/libraries/${libraryId}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="Analgesics\.csv"/);
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual(expect.arrayContaining(['id', 'smiles', 'mw', 'qed', 'score', 'tags', 'note']));
    expect(rows).toHaveLength(total + 1);
    const col = (name: string) => rows[0].indexOf(name);
    const aspirin = rows.find((r) => r[col('id')] === ids.aspirin)!;
    expect(aspirin[col('smiles')]).toBe(SMILES.aspirin);
    expect(aspirin[col('note')]).toBe(`'=HYPERLINK("http://example.com","click"), reviewed`);
    expect(aspirin[col('tags')]).toBe('interp;nsaid;seed');
    expect(Number(aspirin[col('mw')])).toBeCloseTo(180.159, 2);
    for (const r of rows.slice(1)) for (const cell of r) expect(cell).not.toMatch(/^[=+@]/);

    const filter = encodeURIComponent(JSON.stringify({ qed: { min: 0.5, max: 0.75 } }));
    const filtered = await download(app, `/libraries/${libraryId}/export?format=csv&filter=${filter}&orderBy=MW&direction=ASC`);
    const frows = parseCsv(filtered.text);
    const fcount = (await gql(ENTRIES, { id: libraryId, first: 1, filter: { qed: { min: 0.5, max: 0.75 } } })).data.libraryEntries.totalCount;
    expect(frows).toHaveLength(fcount + 1);
    const fmws = frows.slice(1).map((r) => Number(r[frows[0].indexOf('mw')]));
    expect([...fmws].sort((x, y) => x - y)).toEqual(fmws);
    expect(filtered.headers['x-export-rows']).toBe(String(fcount));

    const sdf = await download(app, `/libraries/${libraryId}/export?format=sdf`);
    expect(sdf.status).toBe(200);
    expect(sdf.headers['content-type']).toMatch(/^chemical\/x-mdl-sdfile/);
    expect(sdf.headers['content-disposition']).toMatch(/filename="Analgesics\.sdf"/);
    const records = parseSdf(sdf.text);
    expect(records).toHaveLength(total);
    for (const rec of records) {
      expect(rec.molblock.split('\n')[1]).toMatch(/2D/);
      const mol = chem.rdkit.get_mol(rec.molblock);
      try {
        expect(mol?.is_valid()).toBe(true);
        expect(mol!.get_smiles()).toBe(rec.data.smiles);
      } finally {
        mol?.delete();
      }
      expect(rec.molblock.split('\n')[0]).toBe(rec.data.id);
    }
    const asp = records.find((r) => r.data.id === ids.aspirin)!;
    expect(Number(asp.data.mw)).toBeCloseTo(180.159, 2);
    expect(asp.data.tags).toBe('interp;nsaid;seed');
    const acids = await download(app, `/libraries/${libraryId}/export?format=sdf&filter=${encodeURIComponent(JSON.stringify({ substructure: '[CX3](=O)[OX2H1]' }))}`);
    expect(parseSdf(acids.text).map((r) => r.data.smiles).sort()).toEqual(
      (await allEntries({ substructure: '[CX3](=O)[OX2H1]' }, null, null, 50)).map((n) => n.candidate.canonicalSmiles).sort(),
    );
    const limited = await download(app, `/libraries/${libraryId}/export?format=sdf&limit=2&orderBy=MW&direction=DESC`);
    const top = parseSdf(limited.text);
    expect(top).toHaveLength(2);
    expect(top[0].data.smiles).toBe(SMILES.celecoxib);
  });

  it('answers export errors as JSON with the GraphQL codes and HTTP statuses', async () => {
    const get = (path: string) => request(app.getHttpServer()).get(path);
    const missing = await get('/libraries/00000000-0000-0000-0000-000000000000/export?format=csv');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    const format = await get(`/libraries/${libraryId}/export?format=xlsx`);
    expect(format.status).toBe(400);
    expect(format.body.error.code).toBe('BAD_USER_INPUT');
    const json = await get(`/libraries/${libraryId}/export?format=csv&filter=${encodeURIComponent('{qed:')}`);
    expect(json.status).toBe(400);
    expect(json.body.error.code).toBe('BAD_USER_INPUT');
    const unknownField = await get(`/libraries/${libraryId}/export?format=csv&filter=${encodeURIComponent('{"qedd":{"min":1}}')}`);
    expect(unknownField.status).toBe(400);
    const smarts = await get(`/libraries/${libraryId}/export?format=csv&filter=${encodeURIComponent('{"substructure":"c1ccc("}')}`);
    expect(smarts.status).toBe(400);
    expect(smarts.body.error.code).toBe('INVALID_SMARTS');
    const limit = await get(`/libraries/${libraryId}/export?format=csv&limit=10001`);
    expect(limit.status).toBe(400);
  });

  it('renames, removes entries and deletes the library (candidates stay)', async () => {
    const renamed = await gql(`mutation { updateLibrary(input: { id: "${libraryId}", name: "Analgesics v2", description: "" }) { name description } }`);
    expect(renamed.data.updateLibrary).toEqual({ name: 'Analgesics v2', description: null });
    expect(await errorCode(`mutation { updateLibrary(input: { id: "${libraryId}", name: "QED picks" }) { name } }`)).toBe('CONFLICT');
    const before = (await gql(`{ library(id: "${libraryId}") { entryCount } }`)).data.library.entryCount;
    const removed = await gql(`mutation { removeFromLibrary(input: { libraryId: "${libraryId}", candidateIds: ["${ids.caffeine}"] }) { removed library { entryCount } } }`);
    expect(removed.data.removeFromLibrary).toEqual({ removed: 1, library: { entryCount: before - 1 } });
    expect(await errorCode(`mutation { removeFromLibrary(input: { libraryId: "${libraryId}", candidateIds: ["${ids.caffeine}"] }) { removed } }`)).toBe('NOT_FOUND');
    const listed = await gql(`{ libraries(first: 10) { totalCount edges { node { name entryCount } } } }`);
    expect(listed.data.libraries.edges.map((e: any) => e.node.name)).toEqual(['Analgesics v2', 'QED picks']);
    expect((await gql(`mutation { deleteLibrary(id: "${libraryId}") }`)).data.deleteLibrary).toBe(true);
    expect(await errorCode(`{ library(id: "${libraryId}") { id } }`)).toBe('NOT_FOUND');
    const still = await gql(`{ candidates(first: 200) { edges { node { id } } } }`);
    expect(still.data.candidates.edges.map((e: any) => e.node.id)).toContain(ids.caffeine);
  });
});
