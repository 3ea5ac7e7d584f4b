/**
 * The workbench in a real browser (Debian's chromium through playwright-core, headless) against the real service
 * (AppModule, shipped model, RDKit, fresh database): a chemist goes from two drug names to a saved, browsable
 * library of drawn candidates, slides a molecule along a property direction, runs (and cancels) a small
 * optimisation, and sees an invalid SMILES explained next to the input. Screenshots for the README are written to
 * docs/screenshots/ (1280 x 800). Skipped with a message when no chromium is installed, unless
 * MOLNAV_REQUIRE_SERVICES=1 (CI).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumAvailable, LAPTOP, SCREENSHOTS, startWorkbench, type Workbench } from './harness';

const ASPIRIN = 'CC(=O)Oc1ccccc1C(=O)O';
const IBUPROFEN = 'CC(C)Cc1ccc(C(C)C(=O)O)cc1';

/** A README screenshot (1280 x 800) with `top` (a selector) scrolled to the top of the window. */
async function shot(page: Page, name: string, top: string): Promise<void> {
  await page.locator(top).first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Alt texts of the depictions matching `selector` (they carry the SMILES). */
const alts = (page: Page, selector: string) => page.locator(selector).evaluateAll((els) => els.map((e) => e.getAttribute('alt') ?? ''));

(chromiumAvailable() ? describe : describe.skip)('workbench in chromium (playwright-core)', () => {
  let wb: Workbench;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    wb = await startWorkbench('web');
  }, 240_000);

  afterAll(async () => {
    await wb?.close();
  });

  beforeEach(async () => {
    page = await wb.page();
    page.on('pageerror', (err) => consoleErrors.push(String(err)));
  });

  afterEach(async () => {
    await page.context().close();
    expect(consoleErrors).toEqual([]);
  });

  it('interpolates aspirin → ibuprofen by name, draws the path, saves it to a library and finds it in Libraries', async () => {
    await page.goto(`${wb.baseUrl}#/interpolate`);
    await page.getByLabel('From', { exact: true }).fill('aspirin');
    await page.getByLabel('To', { exact: true }).fill('ibuprofen');
    await page.getByLabel('Steps').fill('6');
    // Live previews: both endpoints drawn and named.
    await page.locator('#interp-from ~ .preview img').waitFor();
    await page.locator('#interp-to ~ .preview img').waitFor();
    await expect(page.locator('#interp-from ~ .preview').textContent()).resolves.toContain('ASPIRIN');

    await page.getByRole('button', { name: 'Interpolate' }).click();
    const strip = page.locator('ol.strip > li');
    await strip.first().locator('img').waitFor();
    expect(await strip.count()).toBe(7);
    const drawn = await alts(page, 'ol.strip img.depiction');
    expect(drawn.length).toBeGreaterThanOrEqual(3);
    expect(drawn[0]).toContain(ASPIRIN);
    expect(drawn[drawn.length - 1]).toContain(IBUPROFEN);
    expect(await page.locator('ol.strip img.depiction').first().getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(await page.locator('.sparkline svg').count()).toBeGreaterThanOrEqual(3);
    await shot(page, 'interpolate', 'h1');

    // Save the whole path to a new library.
    await page.getByLabel('New library name').fill('Analgesic path');
    await page.getByRole('button', { name: 'Save the path' }).click();
    const saved = page.locator('.save-to-library .ok');
    await saved.waitFor();
    expect(await saved.textContent()).toMatch(new RegExp(`${drawn.length} added`));

    // …and find the drawn molecules in the Libraries view.
    await saved.getByRole('link', { name: 'Analgesic path' }).click();
    await page.locator('#library-title', { hasText: 'Analgesic path' }).waitFor();
    const cards = page.locator('ol.entries > li');
    await cards.first().locator('img').waitFor();
    expect(await cards.count()).toBe(drawn.length);
    const entrySmiles = await alts(page, 'ol.entries img.depiction');
    expect(entrySmiles.some((a) => a.includes(ASPIRIN))).toBe(true);
    expect(entrySmiles.some((a) => a.includes(IBUPROFEN))).toBe(true);
    await page.locator('#plot-histogram canvas').waitFor();
    await page.locator('#plot-scatter canvas').waitFor();

    // Substructure search: carboxylic acids, matches highlighted; a bad SMARTS is explained at its input.
    await page.getByLabel('Substructure (SMARTS)').fill('C(=O)[OH]');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('[role=status]', { hasText: /Entries 1–\d+ of \d+/ }).waitFor();
    const acids = await alts(page, 'ol.entries img.depiction');
    expect(acids.some((a) => a.includes(ASPIRIN))).toBe(true);
    expect(acids.some((a) => a.includes(IBUPROFEN))).toBe(true);
    await shot(page, 'libraries', '#library-title');
    // A phone-width screen: one column, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300); // chart.js follows its container on the next frames
    // (page functions are given as strings: this file is compiled for Node, without the DOM library)
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
    await page.setViewportSize(LAPTOP);
    await page.getByLabel('Substructure (SMARTS)').fill('C(=O');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('#lib-substructure-error', { hasText: 'Invalid SMARTS' }).waitFor();
    expect(await page.getByLabel('Substructure (SMARTS)').getAttribute('aria-invalid')).toBe('true');

    // A candidate page with its provenance: the interpolation run, model version, parameters, seed.
    await page.getByRole('button', { name: 'Reset' }).click();
    await cards.first().locator('img').waitFor();
    await cards.first().getByRole('link', { name: /Details of candidate/ }).click();
    await page.locator('.provenance').waitFor();
    const provenance = await page.locator('.provenance').textContent();
    expect(provenance).toContain('INTERPOLATE');
    expect(provenance).toMatch(/Model version\S+/);
    expect(await page.locator('pre.parameters').first().textContent()).toContain('"steps": 6');
    await shot(page, 'candidate', '[data-view=candidate] h1');
  });

  it('decodes the path with beam search when the Decoding field asks for it, and says so per point', async () => {
    await page.goto(`${wb.baseUrl}#/interpolate`);
    await page.getByLabel('From', { exact: true }).fill('aspirin');
    await page.getByLabel('To', { exact: true }).fill('imatinib');
    await page.getByLabel('Steps').fill('6');
    await page.getByLabel('Decoding').selectOption('3');
    await page.getByRole('button', { name: 'Interpolate' }).click();
    const strip = page.locator('ol.strip > li');
    await strip.first().locator('img').waitFor();
    expect(await strip.count()).toBe(7);
    const sources = await page.locator('ol.strip p.t .muted').allTextContents();
    expect(sources[0]).toBe('input');
    expect(sources.filter((x) => x === 'beam').length).toBeGreaterThanOrEqual(3);
    expect(sources.filter((x) => x === 'greedy')).toEqual([]);
  });

  it('shows why an invalid SMILES is rejected, next to the input, and keeps working by keyboard', async () => {
    await page.goto(`${wb.baseUrl}#/interpolate`);
    const from = page.getByLabel('From', { exact: true });
    await from.fill('C1CC(C');
    await page.locator('#interp-from-error', { hasText: 'SMILES' }).waitFor();
    expect(await page.locator('#interp-from-error').textContent()).toMatch(/SMILES syntax error/);
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    // Submitting with Enter: the API's INVALID_SMILES message lands at the same input.
    await from.press('Enter');
    await page.locator('#interp-from-error', { hasText: 'Invalid SMILES' }).waitFor();
    expect(await page.locator('#interp-to-error').isHidden()).toBe(true);
    expect(await page.locator('ol.strip').count()).toBe(0);
  });

  it('explores the neighbours of ibuprofen and moves a slider along a property direction by keyboard: the structure changes', async () => {
    await page.goto(`${wb.baseUrl}#/explore`);
    await page.getByLabel('Molecule', { exact: true }).fill('ibuprofen');
    await page.getByLabel('Neighbours').fill('6');
    await page.getByLabel('Walk steps').fill('4');
    await page.locator('#explore-molecule ~ .preview img[alt*=IBUPROFEN]').waitFor();
    await page.getByRole('button', { name: 'Explore' }).click();
    await page.locator('ol.grid[aria-label=Neighbours] img').first().waitFor();
    expect(await page.locator('ol.grid[aria-label=Neighbours] > li').count()).toBe(6);

    const card = page.locator('.direction').first();
    const picture = card.locator('.walk-point img');
    expect(await picture.getAttribute('alt')).toContain(IBUPROFEN);
    const slider = card.getByRole('slider');
    const offset = card.locator('output');
    /** Waits until the slider's output reads `k` latent units. */
    const atOffset = (k: number) => card.locator('output', { hasText: new RegExp(`^${k.toFixed(1)}$`) }).waitFor();
    /** What the card shows now: the SMILES of the decoded point, or null for an invalid decode. */
    const shown = async () => ((await picture.count()) > 0 ? (await picture.getAttribute('alt'))!.split(' ').pop()! : null);
    // By keyboard: End walks to the far end (+4 latent units, 4 steps); the first move decodes the walk.
    await slider.focus();
    await slider.press('End');
    await card.locator('.sparkline').waitFor({ timeout: 60_000 });
    expect(await offset.textContent()).toBe('4.0');
    const seen: (string | null)[] = [await shown()];
    for (let k = 3; k >= -4; k--) {
      await slider.press('ArrowLeft');
      await atOffset(k);
      seen.push(await shown());
    }
    const molecules = seen.filter((s): s is string => s !== null);
    expect(molecules.length).toBeGreaterThanOrEqual(3);
    expect(molecules.some((s) => s !== IBUPROFEN)).toBe(true);
    expect(new Set(molecules).size).toBeGreaterThanOrEqual(2);
    // Back to a point that decodes to another molecule, for the screenshot.
    const far = seen.findIndex((s) => s !== null && s !== IBUPROFEN);
    for (let k = -4; k < 4 - far; k++) await slider.press('ArrowRight');
    await atOffset(4 - far);
    await shot(page, 'explore', '#directions-title');
  });

  it('builds an objective from the API, runs a small optimisation with live progress and ranked results, and cancels a run', async () => {
    await page.goto(`${wb.baseUrl}#/optimise`);
    const kind = page.locator('select[id$="-kind"]').first();
    await kind.locator('option').nth(10).waitFor({ state: 'attached' });
    expect(await kind.inputValue()).toBe('QED');
    // A second component, SA score, whose raw value needs a transform: without one the API's problem is listed
    // under that component.
    await page.getByRole('button', { name: 'Add component' }).click();
    const sa = page.locator('fieldset.row-editor').nth(1);
    await sa.getByLabel('Kind').selectOption('SA');
    await page.getByLabel('Budget (oracle calls)').fill('60');
    await page.getByRole('button', { name: 'Start optimisation' }).click();
    await sa.locator('ul.field-error').waitFor();
    expect(await sa.locator('ul.field-error').textContent()).toMatch(/components\[1\]\.transform: required for SA/);
    expect(await page.locator('fieldset.row-editor').first().locator('ul.field-error').count()).toBe(0);
    await sa.getByLabel('Transform').selectOption('REVERSE_SIGMOID');
    await sa.getByLabel('low', { exact: true }).fill('1');
    await sa.getByLabel('high', { exact: true }).fill('10');
    await sa.getByLabel('Weight').fill('0.5');
    await page.getByRole('button', { name: 'Start optimisation' }).click();
    const status = page.locator('[data-status]');
    await status.waitFor({ timeout: 90_000 });
    expect(await status.getAttribute('data-status')).toBe('SUCCEEDED');
    const calls = Number(/(\d+) of 60 oracle calls/.exec((await status.textContent()) ?? '')?.[1]);
    expect(calls).toBeGreaterThanOrEqual(50);
    expect(Number(await page.locator('#opt-chart').getAttribute('data-points'))).toBeGreaterThanOrEqual(1);
    const ranked = page.locator('ol.grid[aria-label="Ranked candidates"] > li');
    await ranked.first().locator('img').waitFor();
    expect(await ranked.count()).toBe(10);
    await shot(page, 'optimise', '#progress-title');

    // A bigger run, cancelled from the page once progress has arrived.
    await page.getByLabel('Budget (oracle calls)').fill('3000');
    await page.getByRole('button', { name: 'Start optimisation' }).click();
    await page.locator('#opt-chart:not([data-points="0"])').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('[data-status="CANCELLED"]').waitFor({ timeout: 60_000 });
  });
});
