/**
 * Build of the workbench (docs/workbench.md): `npm run build:web` (part of `npm run build`) bundles src/web into
 * dist/web, which the service serves at `/` (src/workbench/workbench.module.ts). Assets are addressed relative to
 * the page (`base: './'`), so the page also works behind a path prefix (a reverse proxy serving it at /molnav/).
 */
import { defineConfig } from 'vite';

/** This folder (vite replaces import.meta.url in config files with the file's own URL). */
const here = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: here,
  base: './',
  clearScreen: false,
  build: {
    outDir: `${here}../../dist/web`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 400,
  },
});
