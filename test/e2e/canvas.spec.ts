import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineageGraph } from '../../core/lineage/lineageGraph.ts';
import { loadSample } from '../helpers.ts';
import { launchChromium, saveScreenshot, withPage } from './browser.ts';

/*
 * The mesh canvas in the web build: React Flow nodes for domains and products, lineage
 * edges, the elk layout computed in a module Web Worker under the page's strict CSP (withPage
 * fails a test on any console error, so a worker blocked by the CSP fails it too).
 */
const PRODUCT = '[data-testid="product-node"]';
const DOMAIN = '[data-testid="domain-node"]';

async function waitForCanvas(page: Page): Promise<void> {
  await page.locator(PRODUCT).first().waitFor({ timeout: 60_000 });
}

interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

async function rectOf(page: Page, selector: string): Promise<Rect> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return box;
}

function inside(inner: Rect, outer: Rect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

describe('mesh canvas (web build in Chromium)', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws daff: every product inside its domain box, and one edge per lineage link labelled with its contract version', async () => {
    const { mesh } = await loadSample('daff');
    const lineage = new LineageGraph(mesh.products);
    await withPage(browser, '?sample=daff', async (page) => {
      await waitForCanvas(page);
      expect(await page.locator(DOMAIN).count()).toBe(mesh.domains.length);
      const shown = await page.$$eval(PRODUCT, (nodes) => nodes.map((n) => (n as HTMLElement).dataset.productId ?? ''));
      expect(shown.sort()).toEqual(mesh.products.map((p) => p.id).sort());
      for (const product of mesh.products) {
        const domain = mesh.domains.find((d) => product.dir.startsWith(`${d.dir}/`));
        expect(domain, `${product.id} has a domain`).toBeDefined();
        const productRect = await rectOf(page, `${PRODUCT}[data-product-id="${product.id}"]`);
        const domainRect = await rectOf(page, `${DOMAIN}[data-domain-id="${domain?.id}"]`);
        expect(inside(productRect, domainRect), `${product.id} is drawn inside domain ${domain?.id}`).toBe(true);
      }
      // One edge element per lineage link. Fitted, daff is zoomed out and the edges carry no labels;
      // zoomed in to the cards' details, each label is the contract version the input port reads.
      expect(await page.locator('.react-flow__edge').count()).toBe(lineage.edges.length);
      expect(await page.locator('.mesh-canvas-summary').count()).toBe(1);
      expect(await page.locator('.react-flow__edge-text').count()).toBe(0);
      await saveScreenshot(page, 'canvas-daff');
      while ((await page.locator('.mesh-canvas-detail').count()) === 0) await page.getByRole('button', { name: 'Zoom In' }).click();
      const labels = await page.$$eval('.react-flow__edge-text', (els) => els.map((el) => el.textContent ?? ''));
      expect(labels.sort()).toEqual(lineage.edges.map((e) => e.version).sort());
      await saveScreenshot(page, 'canvas-daff-detail');
    });
  }, 90_000);

  it('finds a product from the search box: Ctrl+F focuses it, Enter selects the first match and centres it', async () => {
    const { mesh } = await loadSample('daff');
    const links = new LineageGraph(mesh.products).edges.filter((e) => e.from === 'artist-royalties' || e.to === 'artist-royalties');
    await withPage(browser, '?sample=daff', async (page) => {
      await waitForCanvas(page);
      await page.locator('h1').click();
      await page.keyboard.press('Control+f');
      const search = page.getByRole('searchbox', { name: 'Find a data product' });
      expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.type('royalt');
      expect(await page.locator('.canvas-search-hint').innerText()).toBe('1 match; Enter shows Artist royalties');
      await page.keyboard.press('Enter');
      const node = page.locator('.react-flow__node[data-id="artist-royalties"]');
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-id') === 'artist-royalties');
      expect(await node.getAttribute('class')).toMatch(/\bselected\b/);
      const card = await rectOf(page, `${PRODUCT}[data-product-id="artist-royalties"]`);
      const canvas = await rectOf(page, '.mesh-canvas');
      expect(Math.abs(card.x + card.width / 2 - (canvas.x + canvas.width / 2))).toBeLessThan(4);
      expect(Math.abs(card.y + card.height / 2 - (canvas.y + canvas.height / 2))).toBeLessThan(30);
      // Only the selected product's edges are emphasised.
      const emphasised = await page.$$eval('.react-flow__edge.lineage-selected', (els) =>
        els.map((el) => el.getAttribute('data-id') ?? ''),
      );
      expect(emphasised.length).toBe(links.length);
      expect(emphasised.every((id) => id.includes('artist-royalties'))).toBe(true);
      await saveScreenshot(page, 'canvas-daff-search');
    });
  }, 90_000);

  it('moves a dragged product, and its domain box grows to keep it inside', async () => {
    await withPage(browser, '?sample=daff', async (page) => {
      await waitForCanvas(page);
      const selector = `${PRODUCT}[data-product-id="artist-profiles"]`;
      const before = await rectOf(page, selector);
      const domainBefore = await rectOf(page, `${DOMAIN}[data-domain-id="artists"]`);
      await page.mouse.move(before.x + 40, before.y + 12);
      await page.mouse.down();
      // React Flow's drag starts at the first move; the distance is measured from there.
      await page.mouse.move(before.x + 41, before.y + 13);
      await page.mouse.move(before.x + 41 - 60, before.y + 13 + 90, { steps: 8 });
      await page.mouse.up();
      // Known glitch: in the editor the card can sit ~40 px low for a moment after the drop,
      // until the saved position comes back from layout.yaml; it must end where it was dropped.
      await expect.poll(async () => Math.round((await rectOf(page, selector)).y - before.y), { timeout: 5_000 }).toBe(90);
      const after = await rectOf(page, selector);
      expect(after.x - before.x).toBeCloseTo(-60, 0);
      expect(after.y - before.y).toBeCloseTo(90, 0);
      // The domain box is recomputed from the positions reported at drag stop.
      const domainAfter = await rectOf(page, `${DOMAIN}[data-domain-id="artists"]`);
      expect(domainAfter.height).toBeGreaterThan(domainBefore.height);
      expect(inside(after, domainAfter)).toBe(true);
      // A status change does not undo the move.
      await page.getByRole('button', { name: 'Run all', exact: true }).click();
      await page.locator(`${PRODUCT}[data-status="running"]`).first().waitFor({ timeout: 60_000 });
      const during = await rectOf(page, selector);
      expect([during.x, during.y]).toEqual([after.x, after.y]);
    });
  }, 120_000);

  it('opens a generated mesh of 500 products at a readable zoom, renders only what is on screen, and finds its last product', async () => {
    await withPage(browser, '?sample=generated-500', async (page) => {
      await waitForCanvas(page);
      const rendered = await page.locator(PRODUCT).count();
      expect(rendered).toBeGreaterThan(0);
      expect(rendered).toBeLessThan(100);
      await saveScreenshot(page, 'canvas-generated-500');
      // Fit view shows the whole mesh: all four domains, cards reduced to their names.
      await page.getByRole('button', { name: 'Fit View' }).click();
      await page.waitForFunction((selector) => document.querySelectorAll(selector).length === 4, DOMAIN);
      expect(await page.locator('.mesh-canvas-far').count()).toBe(1);
      expect(await page.locator('.react-flow__edge-text').count()).toBe(0);
      await saveScreenshot(page, 'canvas-generated-500-whole');
      await page.getByRole('searchbox', { name: 'Find a data product' }).fill('p499');
      await page.keyboard.press('Enter');
      await page.locator(`${PRODUCT}[data-product-id="p499"]`).waitFor();
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-id') === 'p499');
      // Close enough to read again: labels are back.
      await page.locator('.react-flow__edge-text').first().waitFor();
    });
  }, 120_000);
});
