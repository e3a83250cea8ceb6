import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import nodePath from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../core/node/cli.ts';
import type { QuantumHost } from '../../core/run/runTypes.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { REPO, SAMPLES_DIR, tempDir } from '../helpers.ts';
import { launchChromium, SCREENSHOT_DIR } from './browser.ts';

/*
 * The `quanta docs` site as a team gets it (issue 16): daff's site written to a folder after a
 * run, opened from disk (file://) in Chromium with no server. A reader searches a column name,
 * opens the product that has it and follows its lineage upstream. The page may not log an
 * error (a CSP violation is one), throw, or request anything but the site's own files.
 */

const hosts: QuantumHost[] = [];
let browser: Browser;
let site = '';

beforeAll(async () => {
  site = nodePath.join(await tempDir('docs-e2e'), 'daff-docs');
  let err = '';
  const code = await runCli(['docs', nodePath.join(SAMPLES_DIR, 'daff'), '--out', site, '--pool', '1'], {
    out: () => undefined,
    err: (t) => (err += t),
    cwd: REPO,
    createHost: (size) => {
      const host = new InProcessHost(size);
      hosts.push(host);
      return host;
    },
    createCatalogEngine: (host) => new QuantumCatalogEngine(host),
  });
  expect(err).toBe('');
  expect(code).toBe(0);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(hosts.map((h) => h.dispose()));
});

/** Opens a page of the site from disk at one window size, failing on errors and on any request outside the site. */
async function withSitePage(width: number, height: number, file: string, use: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const problems: string[] = [];
  const root = pathToFileURL(site).href;
  try {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(`${root}/`)) problems.push(`request outside the site: ${r.url()}`);
    });
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
    await page.goto(pathToFileURL(nodePath.join(site, file)).href);
    await use(page);
    expect(problems, 'the site reported problems').toEqual([]);
  } finally {
    await context.close();
  }
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical axe-core violations of the page (evaluated through the DevTools protocol, so the page's CSP stays on). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    interface AxeResults {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
    }
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact ?? ''}) ${v.help}: ${v.nodes
            .slice(0, 4)
            .map((n) => n.target.join(' '))
            .join(', ')}`,
      );
  });
}

async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: nodePath.join(SCREENSHOT_DIR, `${name}.png`) });
}

describe('the quanta docs site, opened from disk', () => {
  it('finds a product by a column name, opens its page and follows its lineage upstream', async () => {
    await withSitePage(1280, 720, 'index.html', async (page) => {
      const search = page.getByLabel('Search the products');
      await expect.poll(() => search.isEnabled()).toBe(true);
      await page.locator('body').click({ position: { x: 5, y: 300 } });
      await page.keyboard.press('/');
      await expect.poll(() => search.evaluate((el) => el === document.activeElement)).toBe(true);
      await search.fill('artist_share_eur');
      const first = page.locator('#products > li:not([hidden])').first();
      await expect.poll(() => first.locator('.card-title').textContent()).toBe('Artist royalties');
      expect(await first.locator('.card-why').textContent()).toMatch(/^Matched column artist_share_eur · /);
      expect(await page.locator('#search-status').textContent()).toMatch(/products? match/);
      await screenshot(page, 'docs-site-search-1280x720');

      await first.locator('.card-title').click();
      await page.waitForURL(/product-artist-royalties\.html$/);
      expect(await page.locator('h1').textContent()).toBe('Artist royalties');
      expect(await page.locator('#port-artist_royalties code').first().textContent()).toBe('artist_royalties');
      await expect.poll(() => page.locator('#scorecard meter').count()).toBe(8);
      await screenshot(page, 'docs-site-product-1280x720');

      // Upstream: the list under the diagram, then a box of the diagram itself.
      await page.locator('#lineage .updown').getByRole('link', { name: 'Artist profiles' }).click();
      await page.waitForURL(/product-artist-profiles\.html$/);
      expect(await page.locator('h1').textContent()).toBe('Artist profiles');
      await page.locator('#lineage svg a[href="product-music-catalog.html"]').click();
      await page.waitForURL(/product-music-catalog\.html$/);
      expect(await page.locator('h1').textContent()).toBe('Music catalog');

      // The header's search field on any page: a plain form to the index, which runs the query.
      await page.getByLabel('Search all products').fill('royalties');
      await page.keyboard.press('Enter');
      await page.waitForURL(/index\.html\?q=royalties$/);
      await expect.poll(() => page.locator('#products > li:not([hidden]) .card-title').first().textContent()).toBe('Artist royalties');
      expect(await page.getByLabel('Search the products').inputValue()).toBe('royalties');
    });
  });

  it('looks right at 1920×1080: the index, a product page and the lineage diagram', async () => {
    await withSitePage(1920, 1080, 'index.html', async (page) => {
      await expect.poll(() => page.locator('#search-status').textContent()).toBe('14 products');
      await screenshot(page, 'docs-site-index-1920x1080');
      await page.getByRole('link', { name: 'Lineage', exact: true }).click();
      await page.waitForURL(/lineage\.html$/);
      expect(await page.locator('svg.lineage a').count()).toBe(14);
      await screenshot(page, 'docs-site-lineage-1920x1080');
    });
    await withSitePage(1920, 1080, 'product-listener-registrations.html', async (page) => {
      // A port with personal data: its sample rows are masked for a reader with no purposes.
      expect(await page.locator('#port-listener_registrations').textContent()).toMatch(/masked/);
      await screenshot(page, 'docs-site-product-1920x1080');
    });
  });

  it('lists every product without scripts, and the search box says it needs them', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 720 } });
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(nodePath.join(site, 'index.html')).href);
      expect(await page.locator('#products > li:not([hidden])').count()).toBe(14);
      expect(await page.locator('#search-status').textContent()).toMatch(/needs scripts/);
    } finally {
      await context.close();
    }
  });

  it('has no serious or critical accessibility violation on any kind of page, light or dark', async () => {
    const problems: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 720 } });
      try {
        const page = await context.newPage();
        for (const file of ['index.html', 'product-listener-registrations.html', 'domain-artists.html', 'lineage.html']) {
          await page.goto(pathToFileURL(nodePath.join(site, file)).href);
          for (const v of await axeViolations(page)) problems.push(`${colorScheme} ${file}: ${v}`);
        }
      } finally {
        await context.close();
      }
    }
    expect(problems).toEqual([]);
  });
});
