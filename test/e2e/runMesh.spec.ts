import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSample } from '../helpers.ts';
import { BASE_URL, launchChromium, saveScreenshot, withPage } from './browser.ts';
import { runProblemLines } from './canvasProblems.ts';

/*
 * "Run all" in the web build: every product's quantum runs in a Web Worker on DuckDB-WASM,
 * the wasm served by the app itself and compiled once by the page. withPage fails the test
 * on any console error, uncaught exception or HTTP error (a blocked worker or wasm included).
 */
const PRODUCT = '[data-testid="product-node"]';

/** Each product row as `id: status`, with the row's text when it did not publish (it says why). */
function statuses(page: Page): Promise<string[]> {
  return page.$$eval(PRODUCT, (rows) =>
    rows.map((row) => {
      const { productId, status } = (row as HTMLElement).dataset;
      return status === 'published'
        ? `${productId}: published`
        : `${productId}: ${status} (${(row as HTMLElement).innerText.replace(/\s+/g, ' ')})`;
    }),
  );
}

/**
 * Clicks "Run all", checks the button while it runs (and saves a screenshot of that when
 * `runningScreenshot` names one), and waits until it is "Run all" again.
 */
async function runAll(page: Page, timeoutMs: number, runningScreenshot?: string): Promise<void> {
  const button = page.getByRole('button', { name: 'Run all', exact: true });
  await button.click();
  // While it runs, the button is disabled and counts: "Running 3/14…".
  const progress = page.getByRole('button', { name: /^Running \d+\/\d+…$/ });
  await progress.waitFor();
  expect(await progress.isDisabled()).toBe(true);
  if (runningScreenshot) {
    await page.locator(`${PRODUCT}[data-status="running"]`).first().waitFor({ timeout: timeoutMs });
    await saveScreenshot(page, runningScreenshot);
  }
  await button.waitFor({ timeout: timeoutMs });
  expect(await button.isEnabled()).toBe(true);
}

async function expectRunAllPublishes(page: Page, sample: string, timeoutMs: number, runningScreenshot?: string): Promise<void> {
  const { mesh } = await loadSample(sample);
  await page.locator(PRODUCT).first().waitFor();
  expect(await page.$$eval(PRODUCT, (rows) => rows.map((row) => (row as HTMLElement).dataset.status))).toEqual(
    mesh.products.map(() => 'idle'),
  );
  expect(await page.locator(`${PRODUCT} .run-badge`).first().innerText()).toBe('not run');

  await runAll(page, timeoutMs, runningScreenshot);
  expect((await statuses(page)).sort()).toEqual(mesh.products.map((p) => `${p.id}: published`).sort());
  expect(await page.getByRole('status').innerText()).toMatch(new RegExp(`^Last run: ${mesh.products.length} published in \\d+\\.\\d s$`));
  // Every badge says it in words, and each product shows what it published.
  const badges = await page.$$eval(`${PRODUCT} .run-badge`, (els) => els.map((el) => (el as HTMLElement).innerText));
  expect(new Set(badges)).toEqual(new Set(['published']));
  expect(await page.locator(`${PRODUCT} .run-facts`).count()).toBe(mesh.products.length);
}

/**
 * Serves the bundled hello-mesh with `edits` applied to its files' text (the sample's build
 * chunk holds them verbatim), then reloads, so a test can break a product without touching
 * sample-meshes/.
 */
async function editHelloMesh(page: Page, edits: readonly (readonly [string, string])[]): Promise<void> {
  await page.route(/\/sample-hello-mesh-[^/]*\.js$/, async (route) => {
    const response = await route.fetch();
    let body = await response.text();
    for (const [from, to] of edits) {
      expect(body.split(from), `"${from}" occurs once in the hello-mesh bundle`).toHaveLength(2);
      body = body.replace(from, to);
    }
    await route.fulfill({ response, body });
  });
  await page.reload();
}

/** A product row's badge and problem lines, as the user reads them. */
async function rowOf(page: Page, id: string): Promise<{ status: string | undefined; badge: string; problems: string[] }> {
  const row = page.locator(`${PRODUCT}[data-product-id="${id}"]`);
  return {
    status: (await row.getAttribute('data-status')) ?? undefined,
    badge: await row.locator('.run-badge').innerText(),
    problems: await runProblemLines(page, id),
  };
}

const NO_STACK_TRACE = /\bat .+:\d+:\d+|\.(js|ts|mjs):\d+/;

describe('run a mesh in the browser (quanta in Web Workers)', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('runs hello-mesh: every product publishes, with DuckDB fetched once from the app itself', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await expectRunAllPublishes(page, 'hello-mesh', 60_000);
      await saveScreenshot(page, 'run-hello-mesh');
      expect(requests.filter((url) => !url.startsWith(BASE_URL))).toEqual([]); // no CDN, nothing outside
      expect(requests.filter((url) => /\/quantum\.worker-[^/]*\.js$/.test(url)).length).toBeGreaterThan(0);
      // Compiled once by the page and posted to every worker: one download, however many workers.
      expect(requests.filter((url) => /\/duckdb-eh-[^/]*\.wasm$/.test(url))).toHaveLength(1);
    });
  }, 90_000);

  it('shows a failed transform in plain words with its file and line; its upstream still publishes', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await editHelloMesh(page, [['sum(amount_eur) AS revenue_eur', 'sum(amount_euros) AS revenue_eur']]);
      await page.locator(PRODUCT).first().waitFor();
      await runAll(page, 60_000);
      expect((await rowOf(page, 'orders')).status).toBe('published');
      const failed = await rowOf(page, 'daily-revenue');
      expect(failed).toMatchObject({ status: 'failed', badge: 'failed' });
      expect(failed.problems).toHaveLength(1);
      expect(failed.problems[0]).toMatch(/amount_euros/);
      expect(failed.problems[0]).toMatch(/domains\/finance\/daily-revenue\/transform\.sql:5$/);
      expect(failed.problems[0]).not.toMatch(NO_STACK_TRACE);
      expect(await page.getByRole('status').innerText()).toMatch(/^Last run: 1 published, 1 failed in /);
      await saveScreenshot(page, 'run-hello-mesh-failed');
    });
  }, 90_000);

  it('shows a refused publish with the failed contract checks, and the consumer as stale', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      // Negative amounts break the orders contract's rule "an order is never negative".
      await editHelloMesh(page, [
        ['CAST(amount_eur AS DECIMAL(10, 2)) AS amount_eur', 'CAST(-amount_eur AS DECIMAL(10, 2)) AS amount_eur'],
      ]);
      await page.locator(PRODUCT).first().waitFor();
      await runAll(page, 60_000);
      const refused = await rowOf(page, 'orders');
      expect(refused).toMatchObject({ status: 'refused', badge: 'refused' });
      expect(refused.problems[0]).toBe('publish refused: 1 contract check failed');
      expect(refused.problems[1]).toMatch(/Refunds are separate records.*domains\/sales\/orders\/orders\.odcs\.yaml:\d+$/);
      const stale = await rowOf(page, 'daily-revenue');
      expect(stale).toMatchObject({ status: 'stale', badge: 'stale' });
      expect(stale.problems.join('\n')).toMatch(/upstream orders\.orders has no published version yet/);
      for (const line of [...refused.problems, ...stale.problems]) expect(line).not.toMatch(NO_STACK_TRACE);
      await saveScreenshot(page, 'run-hello-mesh-refused');
    });
  }, 90_000);

  it('runs a downstream product after an edit on the version its upstream published (issue 12)', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await page.locator(PRODUCT).first().waitFor();
      await runAll(page, 60_000);
      const orders = page.locator(`${PRODUCT}[data-product-id="orders"]`);
      const revenue = page.locator(`${PRODUCT}[data-product-id="daily-revenue"]`);
      expect(await orders.locator('.run-facts').innerText()).toMatch(/^version 1 · /);

      // Edit the downstream product's SQL in the Transform tab.
      await revenue.click();
      const inspector = page.getByTestId('inspector');
      await inspector.getByRole('tab', { name: 'Transform' }).click();
      await inspector.locator('.cm-content').click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type('\n-- edited after the run\n');
      await page.locator(`${PRODUCT}[data-product-id="daily-revenue"][data-changed="true"]`).waitFor({ timeout: 10_000 });
      expect(await inspector.getByTestId('changed-since-run').innerText()).toBe('changed since last run');
      // The upstream's files did not change: it is not marked, and it still shows its version.
      expect(await orders.getAttribute('data-changed')).toBeNull();
      expect(await orders.getAttribute('data-status')).toBe('published');
      await saveScreenshot(page, 'run-changed-since-run');

      await inspector.getByRole('button', { name: 'Run', exact: true }).click();
      await page
        .locator(`${PRODUCT}[data-product-id="daily-revenue"] .run-facts`, { hasText: /^version 2 · / })
        .waitFor({ timeout: 60_000 });
      expect(await revenue.getAttribute('data-status')).toBe('published');
      expect(await revenue.getAttribute('data-changed')).toBeNull();
      expect(await orders.locator('.run-facts').innerText()).toMatch(/^version 1 · /);
      expect(await page.locator('body').innerText()).not.toContain('no published version yet');
      await saveScreenshot(page, 'run-after-edit');
    });
  }, 120_000);

  it('runs daff: all 14 products publish, and a second run publishes version 2 of each', async () => {
    await withPage(browser, '?sample=daff', async (page) => {
      await expectRunAllPublishes(page, 'daff', 120_000, 'run-daff-running');
      await saveScreenshot(page, 'run-daff');

      await runAll(page, 120_000);
      expect((await statuses(page)).every((s) => s.endsWith(': published'))).toBe(true);
      // Fitted, daff is zoomed out to names and statuses; what a run published is in the cards' details.
      while ((await page.locator('.mesh-canvas-detail').count()) === 0) await page.getByRole('button', { name: 'Zoom In' }).click();
      const versions = await page.$$eval(`${PRODUCT} .run-facts`, (els) => els.map((el) => (el as HTMLElement).innerText.split(' · ')[0]));
      expect(new Set(versions)).toEqual(new Set(['version 2']));
    });
  }, 300_000);
});
