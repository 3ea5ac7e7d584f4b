/**
 * What the workbench needs from the service, through the real app (AppModule, fresh database), without a browser:
 * the page and its assets at `/` next to the API routes (none shadowed, no fallback for unknown paths), the
 * `candidate(id)` query, and substructure highlighting in `svg(highlight:)`. The bundle is built first when it is
 * missing or stale (vite, a few seconds).
 */
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { graphqlClient } from '../e2e/graphql-client';
import { TestDatabases } from '../db';
import { ensureWebBuild } from './harness';
import { WorkbenchModule } from '../../src/workbench/workbench.module';

const dbs = new TestDatabases('web-api');
afterAll(() => dbs.cleanup());

const ASPIRIN = 'CC(=O)Oc1ccccc1C(=O)O';

describe('workbench API and serving (e2e)', () => {
  let app: INestApplication;
  const { gql, errorCode } = graphqlClient(() => app);

  beforeAll(async () => {
    ensureWebBuild();
    process.env.DATABASE_URL = await dbs.url('web-api');
    // Imported after the build: WorkbenchModule looks for dist/web/index.html when AppModule is loaded.
    const { NestFactory } = await import('@nestjs/core');
    const { AppModule } = await import('../../src/app.module');
    const { validationPipe } = await import('../../src/main');
    // NestFactory as in src/main.ts: ServeStaticModule picks its loader from the HTTP adapter when the module is
    // compiled, and a TestingModule has none yet (it would serve nothing).
    app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
    app.useGlobalPipes(validationPipe());
    await app.init();
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    delete process.env.DATABASE_URL;
  });

  describe('serving', () => {
    it('serves the page at / and its hashed assets with long-lived caching', async () => {
      const page = await request(app.getHttpServer()).get('/');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.text).toContain('<div id="app"></div>');
      const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.text);
      expect(script).not.toBeNull();
      const asset = await request(app.getHttpServer()).get(`/${script![1]}`);
      expect(asset.status).toBe(200);
      expect(asset.headers['content-type']).toMatch(/javascript/);
      expect(asset.headers['cache-control']).toMatch(/immutable/);
      // The bundle is the built one: it matches dist/web on disk.
      expect(asset.text).toBe(readFileSync(resolve(__dirname, '../../dist/web', script![1]), 'utf8'));
    });

    it('leaves the API routes alone and has no fallback page for unknown paths', async () => {
      const server = app.getHttpServer();
      const live = await request(server).get('/health/live');
      expect(live.status).toBe(200);
      expect(live.body.status).toBe('ok');
      const metrics = await request(server).get('/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(/^# HELP/m);
      const viaGet = await request(server).get('/graphql').query({ query: '{ __typename }' }).set('apollo-require-preflight', 'true');
      expect(viaGet.body).toEqual({ data: { __typename: 'Query' } });
      const exportMissing = await request(server).get('/libraries/no-such-library/export?format=csv');
      expect(exportMissing.status).toBe(404);
      expect(exportMissing.body.error.code).toBe('NOT_FOUND');
      const unknown = await request(server).get('/interpolate');
      expect(unknown.status).toBe(404);
      expect(unknown.text).not.toContain('<div id="app">');
    });

    it('starts without a built workbench: no static files, nothing else changed', () => {
      const empty = mkdtempSync(join(tmpdir(), 'molnav-web-'));
      try {
        const mod = WorkbenchModule.register(empty);
        expect(mod.imports).toEqual([]);
        expect(mod.providers).toHaveLength(1);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });
  });

  describe('candidate(id)', () => {
    it('answers a stored candidate by id with its properties and a highlighted depiction', async () => {
      const lib = await gql(`mutation { createLibrary(input: { name: "Workbench API" }) { id } }`);
      const added = await gql(`mutation($lib: ID!) { addToLibrary(input: { libraryId: $lib, smiles: ["aspirin"] }) { entries { candidate { id } } } }`, {
        lib: lib.data.createLibrary.id,
      });
      const id = added.data.addToLibrary.entries[0].candidate.id;
      const body = await gql(`query($id: ID!) { candidate(id: $id) { id canonicalSmiles properties { mw } plain: svg hl: svg(highlight: "C(=O)[OH]") } }`, { id });
      expect(body.errors).toBeUndefined();
      const c = body.data.candidate;
      expect(c).toMatchObject({ id, canonicalSmiles: ASPIRIN });
      expect(c.properties.mw).toBeCloseTo(180.16, 1);
      expect(c.plain).not.toMatch(/#FF7F7F/i);
      expect(c.hl).toMatch(/#FF7F7F/i);
    });

    it('answers NOT_FOUND for an unknown or malformed id', async () => {
      expect(await errorCode(`{ candidate(id: "99999999") { id } }`)).toBe('NOT_FOUND');
      expect(await errorCode(`{ candidate(id: "not-a-number") { id } }`)).toBe('NOT_FOUND');
    });
  });

  describe('svg(highlight:)', () => {
    it('highlights matches in Molecule.svg; no match is the plain depiction; a bad SMARTS is INVALID_SMARTS', async () => {
      const body = await gql(`{ molecule(query: "aspirin") { plain: svg hl: svg(highlight: "c1ccccc1") none: svg(highlight: "[Cl]") } }`);
      const m = body.data.molecule;
      expect(m.hl).toMatch(/#FF7F7F/i);
      expect(m.none).toBe(m.plain);
      const bad = await gql(`{ molecule(query: "aspirin") { svg(highlight: "C(=O") } }`);
      expect(bad.errors?.[0].extensions?.code).toBe('INVALID_SMARTS');
      expect(bad.errors?.[0].message).toMatch(/Invalid SMARTS/);
    });

    it('highlights the same pattern in a page of library entries (one compiled query)', async () => {
      const lib = await gql(`mutation { createLibrary(input: { name: "Highlights" }) { id } }`);
      const libraryId = lib.data.createLibrary.id;
      await gql(`mutation($lib: ID!) { addToLibrary(input: { libraryId: $lib, smiles: ["aspirin", "ibuprofen", "caffeine"] }) { added } }`, { lib: libraryId });
      const body = await gql(
        `query($lib: ID!) { libraryEntries(libraryId: $lib, first: 10, filter: { substructure: "C(=O)[OH]" }) {
          totalCount edges { node { candidate { canonicalSmiles svg(width: 240, height: 170, highlight: "C(=O)[OH]") } } } } }`,
        { lib: libraryId },
      );
      expect(body.errors).toBeUndefined();
      expect(body.data.libraryEntries.totalCount).toBe(2);
      for (const e of body.data.libraryEntries.edges) expect(e.node.candidate.svg).toMatch(/#FF7F7F/i);
    });
  });
});
