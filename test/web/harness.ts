/**
 * Harness of the browser tests (not a spec file): builds the workbench bundle when it is missing or older than its
 * sources, starts the real AppModule on a random port with a fresh database, and launches Debian's chromium through
 * playwright-core (headless; test tools cannot download browsers here).
 */
import type { INestApplication } from '@nestjs/common';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TestDatabases } from '../db';

const ROOT = resolve(__dirname, '..', '..');
const WEB_SRC = join(ROOT, 'src', 'web');
const WEB_INDEX = join(ROOT, 'dist', 'web', 'index.html');

/** The chromium binary the tests drive (CI installs Debian's chromium). */
export const CHROMIUM = process.env.MOLNAV_CHROMIUM ?? '/usr/bin/chromium';

/** Where the tests write the README screenshots. */
export const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

/** Laptop viewport of the screenshots, pixels. */
export const LAPTOP = { width: 1280, height: 800 };

/** True when a chromium binary is there; with MOLNAV_REQUIRE_SERVICES=1 (CI) its absence is an error. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.MOLNAV_REQUIRE_SERVICES === '1') {
    throw new Error(`MOLNAV_REQUIRE_SERVICES=1 but no chromium at ${CHROMIUM} (apt-get install chromium, or set MOLNAV_CHROMIUM)`);
  }
  // eslint-disable-next-line no-console
  console.warn(`browser tests skipped: no chromium at ${CHROMIUM} (apt-get install chromium, or set MOLNAV_CHROMIUM)`);
  return false;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Runs `npm run build:web` (vite) when dist/web/index.html is missing or older than a file under src/web. */
export function ensureWebBuild(): void {
  if (existsSync(WEB_INDEX) && statSync(WEB_INDEX).mtimeMs >= newestMtime(WEB_SRC)) return;
  // vite is ESM-only: run its CLI in a child process rather than through jest's module system.
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(WEB_SRC, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`vite build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

/** A running service and a browser driving it. */
export interface Workbench {
  app: INestApplication;
  baseUrl: string;
  browser: Browser;
  /** A new page at the laptop viewport. */
  page(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Builds the bundle if needed, then starts AppModule (imported only now, so its WorkbenchModule sees dist/web) on
 * 127.0.0.1 with a fresh database, and launches chromium.
 */
export async function startWorkbench(label: string): Promise<Workbench> {
  ensureWebBuild();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dbs = new TestDatabases(label);
  process.env.DATABASE_URL = await dbs.url('web');
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('../../src/app.module');
  const { validationPipe } = await import('../../src/main');
  // NestFactory as in src/main.ts: ServeStaticModule picks its loader from the HTTP adapter when the module is
  // compiled, and a TestingModule has none yet (it would serve nothing).
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  app.useGlobalPipes(validationPipe());
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}/`,
    browser,
    async page() {
      const context = await browser.newContext({ viewport: LAPTOP, deviceScaleFactor: 1 });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      return page;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await app.close();
      delete process.env.DATABASE_URL;
      await dbs.cleanup();
    },
  };
}
