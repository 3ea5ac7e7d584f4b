/**
 * StoreService against a real fresh database per test file, migrated from nothing: a temporary SQLite file, or a new
 * PostgreSQL database when MOLNAV_TEST_POSTGRES_URL is set (test/db.ts).
 */
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  CANDIDATE_ORDER_FIELDS,
  ConflictError,
  InvalidCursorError,
  InvalidPageSizeError,
  InvalidStateError,
  MAX_PAGE_SIZE,
  NotFoundError,
  StoreModule,
  StoreNotReadyError,
  StoreService,
  StoreValidationError,
  type AddCandidateItem,
  type CandidateOrderField,
  type CandidateRecord,
  type SortDirection,
} from '../../src/store';
import { TEST_PROVIDER, TestDatabases } from '../db';
import { alkanes, item, MOLECULES } from './helpers';

const dbs = new TestDatabases('store');
let store: StoreService;

beforeAll(async () => {
  store = await StoreService.open({ databaseUrl: await dbs.url() });
});
afterAll(async () => {
  await store?.close();
  await dbs.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function newRun(kind = 'INTERPOLATE', seed: number | null = 42) {
  return store.createRun({ kind, params: { from: 'aspirin', to: 'ibuprofen', steps: 8 }, modelVersion: 'smiles-gru-vae-v1', seed });
}

/** Every candidate, through the API (all pages). */
async function walk(args: { orderBy?: CandidateOrderField; direction?: SortDirection; runId?: string; first: number; filters?: Parameters<StoreService['listCandidates']>[0]['filters'] }) {
  const seen: CandidateRecord[] = [];
  let after: string | null = null;
  let pages = 0;
  let total = -1;
  for (;;) {
    const page = await store.listCandidates({ ...args, after });
    pages++;
    if (total < 0) total = page.totalCount;
    expect(page.totalCount).toBe(total);
    expect(page.items.length).toBeLessThanOrEqual(args.first);
    expect(page.edges.map((e) => e.node)).toEqual(page.items);
    seen.push(...page.items);
    if (!page.hasNextPage) {
      if (page.items.length > 0) expect(page.endCursor).toBe(page.edges[page.edges.length - 1].cursor);
      break;
    }
    expect(page.items.length).toBe(args.first);
    after = page.endCursor;
    expect(pages).toBeLessThan(1000);
  }
  return { seen, total, pages };
}

function keyOf(c: CandidateRecord, f: CandidateOrderField): number {
  return f === 'createdAt' ? c.createdAt.getTime() : f === 'id' ? c.id : c.properties[f];
}

function expectedOrder(all: CandidateRecord[], f: CandidateOrderField, d: SortDirection): number[] {
  const s = d === 'ASC' ? 1 : -1;
  return [...all].sort((a, b) => s * (keyOf(a, f) - keyOf(b, f)) || s * (a.id - b.id)).map((c) => c.id);
}

describe('runs', () => {
  it('createRun starts a RUNNING run; completeRun records finishedAt and durationMs', async () => {
    const t0 = Date.now();
    const run = await newRun('INTERPOLATE', 2 ** 40);
    expect(run).toMatchObject({ kind: 'INTERPOLATE', status: 'RUNNING', modelVersion: 'smiles-gru-vae-v1', seed: 2 ** 40, error: null, finishedAt: null, durationMs: null });
    expect(run.params).toEqual({ from: 'aspirin', to: 'ibuprofen', steps: 8 });
    expect(run.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(run.startedAt!.getTime()).toBeGreaterThanOrEqual(t0 - 5);
    expect(run.createdAt.getTime()).toBe(run.startedAt!.getTime());

    await sleep(40);
    const done = await store.completeRun(run.id, { status: 'SUCCEEDED', stats: { valid: 7, unique: 5 } });
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stats).toEqual({ valid: 7, unique: 5 });
    expect(done.finishedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime() + 35);
    expect(done.durationMs).toBe(done.finishedAt!.getTime() - done.startedAt!.getTime());
    expect(done.durationMs).toBeGreaterThanOrEqual(35);
    expect(done.durationMs).toBeLessThan(10_000);
    expect(await store.getRun(run.id)).toEqual(done);
  });

  it('keeps the error of FAILED runs and refuses to finish a run twice', async () => {
    const run = await newRun('OPTIMIZE', null);
    const failed = await store.completeRun(run.id, { status: 'FAILED', error: 'decoder produced no valid SMILES' });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'decoder produced no valid SMILES', seed: null });
    await expect(store.completeRun(run.id, { status: 'SUCCEEDED' })).rejects.toBeInstanceOf(InvalidStateError);
  });

  it('reports unknown runs with typed errors / null', async () => {
    await expect(store.completeRun('no-such-run', { status: 'SUCCEEDED' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.getRunCandidates('no-such-run')).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.addCandidates('no-such-run', [item(MOLECULES.aspirin, 0)])).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.getRun('no-such-run')).toBeNull();
    expect(await store.deleteRun('no-such-run')).toBe(false);
  });

  it('validates run input', async () => {
    await expect(store.createRun({ kind: 'interpolate', params: {}, modelVersion: 'v', seed: 1 })).rejects.toBeInstanceOf(StoreValidationError);
    await expect(store.createRun({ kind: 'OPTIMIZE', params: {}, modelVersion: '', seed: 1 })).rejects.toBeInstanceOf(StoreValidationError);
    await expect(store.createRun({ kind: 'OPTIMIZE', params: {}, modelVersion: 'v', seed: 1.5 })).rejects.toBeInstanceOf(StoreValidationError);
    await expect(store.createRun({ kind: 'OPTIMIZE', params: { n: 1n }, modelVersion: 'v', seed: 1 })).rejects.toBeInstanceOf(StoreValidationError);
    const run = await newRun();
    await expect(store.completeRun(run.id, { status: 'RUNNING' as never })).rejects.toBeInstanceOf(StoreValidationError);
    // Ids with control characters cannot exist (and PostgreSQL text cannot even hold NUL): typed answers, no query.
    expect(await store.getRun(`${run.id}\u0000`)).toBeNull();
    expect(await store.deleteRun('\u0000')).toBe(false);
    await expect(store.requestCancel('x\u0000y')).rejects.toBeInstanceOf(StoreValidationError);
    await expect(store.getRunCandidates('\u0000')).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.getRun(run.id))?.id).toBe(run.id);
  });

  it('listRuns pages newest first and filters by kind', async () => {
    const a = await newRun('OPTIMIZE');
    const b = await newRun('OPTIMIZE');
    const c = await newRun('OPTIMIZE');
    const all = await store.listRuns({ first: MAX_PAGE_SIZE });
    const times = all.items.map((r) => r.createdAt.getTime());
    expect([...times].sort((x, y) => y - x)).toEqual(times);

    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await store.listRuns({ kind: 'OPTIMIZE', first: 2, after });
      expect(page.items.every((r) => r.kind === 'OPTIMIZE')).toBe(true);
      ids.push(...page.items.map((r) => r.id));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 3)).toEqual([c.id, b.id, a.id]);
    expect(ids.length).toBe((await store.listRuns({ kind: 'OPTIMIZE', first: 1 })).totalCount);
    expect((await store.listRuns({ kind: 'OPTIMIZE', status: 'FAILED', first: 10 })).items.every((r) => r.status === 'FAILED')).toBe(true);
  });
});

describe('addCandidates', () => {
  it('stores real molecules with their properties, ordered by position', async () => {
    const run = await newRun();
    const links = await store.addCandidates(run.id, [
      item(MOLECULES.ibuprofen, 2, { t: 1, score: 0.31 }),
      item(MOLECULES.aspirin, 0, { t: 0, score: 1, meta: { attempts: 1, strategy: 'greedy' } }),
      item(MOLECULES.paracetamol, 1, { t: 0.5, score: 0.52 }),
    ]);
    expect(links.map((l) => l.position)).toEqual([0, 1, 2]);
    const asp = links[0];
    expect(asp).toMatchObject({ runId: run.id, position: 0, t: 0, score: 1, meta: { attempts: 1, strategy: 'greedy' } });
    expect(asp.candidate.canonicalSmiles).toBe('CC(=O)Oc1ccccc1C(=O)O');
    expect(asp.candidate.inchiKey).toBe('BSYNRYMUTXBXSQ-UHFFFAOYSA-N');
    expect(asp.candidate.properties).toEqual(MOLECULES.aspirin.properties);
    expect(asp.candidate.properties.mw).toBeCloseTo(180.159, 3);
    expect(links[1].meta).toBeUndefined();
    expect(await store.getRunCandidates(run.id)).toEqual(links);
    expect(await store.getCandidateBySmiles('CC(=O)Oc1ccccc1C(=O)O')).toEqual(asp.candidate);
    expect(await store.getCandidate(asp.candidate.id)).toEqual(asp.candidate);
  });

  it('stores a molecule seen in two runs (and twice in one run) once, linked at each position', async () => {
    const r1 = await newRun();
    const r2 = await newRun();
    const before = (await store.listCandidates({ first: 1 })).totalCount;
    const l1 = await store.addCandidates(r1.id, [item({ ...MOLECULES.caffeine, inchiKey: null }, 0), item(MOLECULES.benzene, 1), item(MOLECULES.caffeine, 2)]);
    const l2 = await store.addCandidates(r2.id, [item(MOLECULES.caffeine, 0, { t: 0 })]);
    expect((await store.listCandidates({ first: 1 })).totalCount).toBe(before + 2);
    const id = l1[0].candidate.id;
    expect(l1[2].candidate.id).toBe(id);
    expect(l2[0].candidate.id).toBe(id);
    expect(l2[0].candidate.inchiKey).toBe(MOLECULES.caffeine.inchiKey); // first non-null inchiKey of the batch kept
    const inR1 = await store.listCandidates({ runId: r1.id, first: 10 });
    expect(inR1.totalCount).toBe(2); // caffeine listed once although linked twice
    const inR2 = await store.listCandidates({ runId: r2.id, first: 10 });
    expect(inR2.items.map((c) => c.id)).toEqual([id]);
  });

  it('rejects a bad item before writing anything', async () => {
    const run = await newRun();
    const count = async () => [(await store.listCandidates({ first: 1 })).totalCount, (await store.getRunCandidates(run.id)).length];
    const before = await count();
    const bad: Array<[string, AddCandidateItem]> = [
      ['NaN property', item({ ...MOLECULES.ethanol, properties: { ...MOLECULES.ethanol.properties, qed: Number.NaN } }, 1)],
      ['infinite property', item({ ...MOLECULES.ethanol, properties: { ...MOLECULES.ethanol.properties, mw: Infinity } }, 1)],
      ['fractional count', item({ ...MOLECULES.ethanol, properties: { ...MOLECULES.ethanol.properties, hbd: 1.5 } }, 1)],
      ['empty SMILES', item({ ...MOLECULES.ethanol, canonicalSmiles: '' }, 1)],
      ['negative position', item(MOLECULES.ethanol, -1)],
      ['NaN score', item(MOLECULES.ethanol, 1, { score: Number.NaN })],
      ['duplicate position', item(MOLECULES.ethanol, 0)],
      ['unserialisable meta', item(MOLECULES.ethanol, 1, { meta: { big: 10n } })],
    ];
    for (const [what, b] of bad) {
      await expect(store.addCandidates(run.id, [item(MOLECULES.benzene, 0), b])).rejects.toBeInstanceOf(StoreValidationError);
      expect(await count()).toEqual(before);
      void what;
    }
    expect(await store.getCandidateBySmiles('CCO')).toBeNull();
  });

  it('rolls the whole batch back when the database rejects it (position already taken)', async () => {
    const run = await newRun();
    await store.addCandidates(run.id, [item(MOLECULES.benzene, 0)]);
    const total = (await store.listCandidates({ first: 1 })).totalCount;
    const newOnes = alkanes(3, 500); // molecules not stored yet: inserted, then undone
    const err = await store
      .addCandidates(run.id, [item(newOnes[0], 5), item(newOnes[1], 6), item(newOnes[2], 0)])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).fields).toEqual(['runId', 'position']);
    expect((await store.listCandidates({ first: 1 })).totalCount).toBe(total);
    for (const c of newOnes) expect(await store.getCandidateBySmiles(c.canonicalSmiles)).toBeNull();
    expect((await store.getRunCandidates(run.id)).map((l) => l.position)).toEqual([0]);
  });

  it('completeRunWithCandidates stores the candidates and finishes the run in one transaction', async () => {
    const run = await newRun();
    const done = await store.completeRunWithCandidates(run.id, [item(MOLECULES.aspirin, 0, { t: 0 }), item(MOLECULES.ibuprofen, 1, { t: 1 })], {
      status: 'SUCCEEDED', stats: { decodes: 9 },
    });
    expect(done).toMatchObject({ id: run.id, status: 'SUCCEEDED', stats: { decodes: 9 } });
    expect((await store.getRunCandidates(run.id)).map((l) => [l.position, l.candidate.canonicalSmiles])).toEqual([
      [0, MOLECULES.aspirin.canonicalSmiles], [1, MOLECULES.ibuprofen.canonicalSmiles],
    ]);
  });

  it('completeRunWithCandidates writes nothing when the completion fails (run already finished) or an item is bad', async () => {
    const newOnes = alkanes(2, 700);
    const finished = await newRun();
    await store.completeRun(finished.id, { status: 'FAILED', error: 'boom' });
    await expect(store.completeRunWithCandidates(finished.id, [item(newOnes[0], 0)], { status: 'SUCCEEDED' })).rejects.toBeInstanceOf(InvalidStateError);
    expect(await store.getCandidateBySmiles(newOnes[0].canonicalSmiles)).toBeNull();
    expect(await store.getRunCandidates(finished.id)).toEqual([]);
    expect((await store.getRun(finished.id))?.status).toBe('FAILED');

    const running = await newRun();
    const bad = item({ ...newOnes[1], properties: { ...newOnes[1].properties, qed: Number.NaN } }, 1);
    await expect(store.completeRunWithCandidates(running.id, [item(newOnes[0], 0), bad], { status: 'SUCCEEDED' })).rejects.toBeInstanceOf(StoreValidationError);
    expect((await store.getRun(running.id))?.status).toBe('RUNNING');
    expect(await store.getCandidateBySmiles(newOnes[0].canonicalSmiles)).toBeNull();
    await expect(store.completeRunWithCandidates('nope', [], { status: 'SUCCEEDED' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('isolates other operations from an open transaction (no dirty reads, no writes riding on it)', async () => {
    // The driver adapter has one connection per process; without the store's queue, a query issued while a
    // transaction is open would run inside it, seeing rows that are about to be rolled back.
    const run = await newRun();
    await store.addCandidates(run.id, [item(MOLECULES.benzene, 0)]);
    const doomed = alkanes(600, 1000);
    let settled = false;
    // The rejection is caught at once (on PostgreSQL it lands while the loop below awaits I/O, which would otherwise
    // count as an unhandled rejection).
    const failing = store
      .addCandidates(run.id, [...doomed.map((c, i) => item(c, i + 1)), item(MOLECULES.ethanol, 0)])
      .then(() => null, (e: unknown) => e)
      .finally(() => (settled = true));
    const concurrent = Promise.all([newRun('OPTIMIZE', 1), newRun('OPTIMIZE', 2)]);
    const sightings: string[] = [];
    while (!settled) {
      const seen = await store.getCandidateBySmiles(doomed[0].canonicalSmiles);
      if (seen) sightings.push(seen.canonicalSmiles);
    }
    expect(await failing).toBeInstanceOf(ConflictError);
    expect(sightings).toEqual([]);
    expect(await store.getCandidateBySmiles(doomed[0].canonicalSmiles)).toBeNull();
    const [x, y] = await concurrent;
    expect((await store.getRun(x.id))?.id).toBe(x.id);
    expect((await store.getRun(y.id))?.id).toBe(y.id);
  });

  it('cascades link deletion from runs but keeps the candidates', async () => {
    const run = await newRun();
    const [link] = await store.addCandidates(run.id, [item(MOLECULES.paracetamol, 0)]);
    expect(await store.deleteRun(run.id)).toBe(true);
    expect(await store.getRun(run.id)).toBeNull();
    expect(await store.getCandidate(link.candidate.id)).not.toBeNull();
  });
});

describe('listCandidates', () => {
  let runId: string;
  let all: CandidateRecord[];

  beforeAll(async () => {
    const run = await newRun('OPTIMIZE');
    runId = run.id;
    // 45 molecules in 3 batches: ties on qed (3 values), on createdAt (one timestamp per batch) and on integer counts.
    const mols = alkanes(45);
    for (let b = 0; b < 3; b++) {
      await store.addCandidates(run.id, mols.slice(b * 15, (b + 1) * 15).map((c, i) => item(c, b * 15 + i, { score: c.properties.qed })));
    }
    all = (await walk({ orderBy: 'id', direction: 'ASC', first: MAX_PAGE_SIZE })).seen;
  });

  it.each(CANDIDATE_ORDER_FIELDS.flatMap((f) => (['ASC', 'DESC'] as const).map((d) => [f, d] as const)))(
    'walks every row exactly once ordered by %s %s (ties broken by id)',
    async (orderBy, direction) => {
      const { seen, total } = await walk({ orderBy, direction, first: 7 });
      expect(seen.length).toBe(total);
      expect(total).toBe(all.length);
      expect(seen.map((c) => c.id)).toEqual(expectedOrder(all, orderBy, direction));
    },
  );

  it('orders by qed descending with stable ties', async () => {
    const page = await store.listCandidates({ orderBy: 'qed', direction: 'DESC', first: 20 });
    const qeds = page.items.map((c) => c.properties.qed);
    expect([...qeds].sort((a, b) => b - a)).toEqual(qeds);
    expect(qeds[0]).toBe(Math.max(...all.map((c) => c.properties.qed)));
    for (let i = 1; i < page.items.length; i++) {
      if (qeds[i] === qeds[i - 1]) expect(page.items[i].id).toBeLessThan(page.items[i - 1].id);
    }
    expect(page.hasNextPage).toBe(true);
  });

  it('filters by run and by property ranges, also while paging', async () => {
    const inRun = await walk({ runId, orderBy: 'mw', direction: 'ASC', first: 10 });
    expect(inRun.total).toBe(45);
    expect(inRun.seen.every((c) => /^C+$/.test(c.canonicalSmiles))).toBe(true);

    const filtered = await walk({ runId, orderBy: 'qed', direction: 'DESC', first: 4, filters: { qed: { min: 0.4 }, heavyAtoms: { min: 5, max: 30 } } });
    const expected = inRun.seen.filter((c) => c.properties.qed >= 0.4 && c.properties.heavyAtoms >= 5 && c.properties.heavyAtoms <= 30);
    expect(filtered.total).toBe(expected.length);
    expect(filtered.seen.map((c) => c.id)).toEqual(expectedOrder(expected, 'qed', 'DESC'));

    expect((await store.listCandidates({ runId: 'no-such-run', first: 5 })).totalCount).toBe(0);
  });

  it('does not skip or repeat rows when new rows arrive between pages', async () => {
    const first = await store.listCandidates({ orderBy: 'id', direction: 'ASC', first: 10 });
    const run = await newRun();
    await store.addCandidates(run.id, alkanes(2, 900).map((c, i) => item(c, i)));
    const rest = await walk({ orderBy: 'id', direction: 'ASC', first: MAX_PAGE_SIZE });
    const second = await store.listCandidates({ orderBy: 'id', direction: 'ASC', first: MAX_PAGE_SIZE, after: first.endCursor });
    expect([...first.items, ...second.items].map((c) => c.id)).toEqual(rest.seen.map((c) => c.id));
  });

  it('rejects invalid cursors with InvalidCursorError', async () => {
    const page = await store.listCandidates({ orderBy: 'qed', direction: 'DESC', first: 2 });
    const runsPage = await store.listRuns({ first: 1 });
    const bad = [
      'not a cursor!',
      'Zm9v', // base64 "foo"
      Buffer.from(JSON.stringify({ v: 1, s: 'candidates', o: 'qed', d: 'DESC', k: 'x', i: 1 })).toString('base64url'),
      Buffer.from(JSON.stringify({ v: 2, s: 'candidates', o: 'qed', d: 'DESC', k: 0.5, i: 1 })).toString('base64url'),
      runsPage.endCursor!, // issued by another list
    ];
    for (const after of bad) {
      await expect(store.listCandidates({ orderBy: 'qed', direction: 'DESC', first: 2, after })).rejects.toBeInstanceOf(InvalidCursorError);
    }
    // A cursor is tied to its ordering.
    await expect(store.listCandidates({ orderBy: 'mw', direction: 'DESC', first: 2, after: page.endCursor })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.listCandidates({ orderBy: 'qed', direction: 'ASC', first: 2, after: page.endCursor })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.listRuns({ first: 2, after: page.endCursor })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('validates first, orderBy, direction and filters', async () => {
    for (const first of [0, -1, MAX_PAGE_SIZE + 1, 2.5, Number.NaN]) {
      await expect(store.listCandidates({ first })).rejects.toBeInstanceOf(InvalidPageSizeError);
      await expect(store.listRuns({ first })).rejects.toMatchObject({ name: 'InvalidPageSizeError', code: 'INVALID_PAGE_SIZE' });
    }
    expect((await store.listCandidates({ first: MAX_PAGE_SIZE })).items.length).toBeLessThanOrEqual(MAX_PAGE_SIZE);
    await expect(store.listCandidates({ first: 5, orderBy: 'canonicalSmiles' as never })).rejects.toBeInstanceOf(StoreValidationError);
    await expect(store.listCandidates({ first: 5, direction: 'UP' as never })).rejects.toBeInstanceOf(StoreValidationError);
    await expect(store.listCandidates({ first: 5, filters: { qed: { min: Number.NaN } } })).rejects.toBeInstanceOf(StoreValidationError);
    await expect(store.listCandidates({ first: 5, filters: { smiles: { min: 1 } } as never })).rejects.toBeInstanceOf(StoreValidationError);
  });
});

describe('lifecycle', () => {
  it('ping reports health, and a closed or uninitialised store throws StoreNotReadyError', async () => {
    expect(await store.ping()).toBe(true);
    const other = new StoreService({ databaseUrl: await dbs.url('other') });
    await expect(other.getRun('x')).rejects.toBeInstanceOf(StoreNotReadyError);
    expect(await other.ping()).toBe(false);
    await other.onModuleInit();
    expect(await other.ping()).toBe(true);
    await other.onModuleDestroy();
    expect(await other.ping()).toBe(false);
    await expect(other.listRuns({ first: 1 })).rejects.toBeInstanceOf(StoreNotReadyError);
  });

  it('is provided by StoreModule.forRoot and migrates/connects/disconnects with the Nest lifecycle', async () => {
    const databaseUrl = await dbs.url('nest');
    @Module({ imports: [StoreModule.forRoot({ databaseUrl })] })
    class RootModule {}
    const app = await NestFactory.createApplicationContext(RootModule, { logger: false });
    const nestStore = app.get(StoreService);
    expect(nestStore.provider).toBe(TEST_PROVIDER);
    expect(nestStore.databaseFile).toBe(TEST_PROVIDER === 'sqlite' ? databaseUrl.slice('file:'.length) : null);
    const run = await nestStore.createRun({ kind: 'INTERPOLATE', params: {}, modelVersion: 'v1', seed: 3 });
    expect((await nestStore.getRun(run.id))?.seed).toBe(3);
    await app.close();
    expect(await nestStore.ping()).toBe(false);
  });
});
