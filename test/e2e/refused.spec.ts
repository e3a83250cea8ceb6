import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, runAll } from './editorActions.ts';
import { launchChromium, saveScreenshot, withPage } from './browser.ts';

/*
 * Issue 14 item 4 and a defect of item 5, in the web build: a refused run's candidate output in
 * the Data tab (marked not published, its failed checks, the rows breaking them, the last good
 * version beside it); failed warning checks on the canvas and in the run log; Stop for a
 * running Run all (before, a running Run all could not be stopped).
 */
const PRODUCT = '[data-testid="product-node"]';
const node = (page: Page, id: string) => page.locator(`${PRODUCT}[data-product-id="${id}"]`);
const statusOf = (page: Page, id: string) => node(page, id).getAttribute('data-status');
const runAllButton = (page: Page) => page.getByRole('button', { name: 'Run all', exact: true });
const summary = (page: Page) => page.locator('.run-summary');

/** The orders transform of hello-mesh, and one that blanks the e-mail of every fourth order and gives order 8 the id of order 1. */
const ORDERS_SQL =
  'SELECT order_id, CAST(ordered_at AS TIMESTAMP) AS ordered_at, lower(customer_email) AS customer_email, CAST(amount_eur AS DECIMAL(10, 2)) AS amount_eur FROM orders_csv';
const BROKEN_ORDERS_SQL = ORDERS_SQL.replace(
  'lower(customer_email) AS customer_email',
  'CASE WHEN order_id % 4 = 0 THEN NULL ELSE lower(customer_email) END AS customer_email',
).replace('SELECT order_id,', 'SELECT CASE WHEN order_id = 8 THEN 1 ELSE order_id END AS order_id,');

/** Serves the bundled hello-mesh with `edits` applied to its files' text (as runMesh.spec.ts does), then reloads. */
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

/** Replaces the selected product's transform.sql in the Transform tab's editor. */
async function typeTransform(page: Page, sql: string): Promise<void> {
  const inspector = page.getByTestId('inspector');
  await inspector.getByRole('tab', { name: 'Transform' }).click();
  await inspector.locator('.cm-content').click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type(sql);
  await expect.poll(() => inspector.locator('.cm-content').innerText()).toBe(sql);
}

describe('see what was refused, warnings on the canvas, Stop', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows a refused candidate in the Data tab, marked not published, with its failing rows and the last good version; fixed, it publishes', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await node(page, 'orders').waitFor();
      await runAll(page);
      expect(await statusOf(page, 'orders')).toBe('published');

      await node(page, 'orders').click();
      await typeTransform(page, BROKEN_ORDERS_SQL);
      await runAll(page);
      expect(await statusOf(page, 'orders')).toBe('refused');
      // Its consumer ran on the last good version: stale, not failed.
      expect(await statusOf(page, 'daily-revenue')).toBe('stale');

      const inspector = page.getByTestId('inspector');
      await inspector.getByRole('tab', { name: 'Data' }).click();
      const refused = inspector.getByTestId('refused-candidate');
      await refused.waitFor();
      const banner = refused.getByRole('note', { name: 'Refused, not published' });
      expect(await banner.innerText()).toMatch(/^Refused — not published\./);
      expect(await banner.innerText()).toContain('Consumers keep reading the last good version, v1 (120 rows');
      expect(await inspector.getByRole('combobox', { name: 'Version' }).inputValue()).toBe('refused');

      // The failed checks: name, measured value, expected.
      const required = refused.locator('[data-testid="refused-check"][data-check="orders.customer_email.required"]');
      const cells = await required.locator('td').allInnerTexts();
      expect(cells.slice(0, 2)).toEqual(['30', 'mustBe 0']);
      expect(await required.locator('th').innerText()).toContain('customer_email has no nulls');

      // Every failing row is marked; "only rows failing" shows just those, each with its NULL e-mail.
      // 30 NULL e-mails, and orders 1 and 8 sharing id 1 (row 8 has a NULL e-mail too).
      await expect.poll(() => refused.getByTestId('refused-rows-status').innerText()).toBe('31 rows marked as failing a check');
      for (const id of ['orders.order_id.unique', 'orders.order_id.primaryKey']) {
        const key = refused.locator(`[data-testid="refused-check"][data-check="${id}"]`);
        expect(await key.getByRole('button', { name: `Show 2 rows failing ${id}` }).count()).toBe(1);
      }
      const preview = refused.getByTestId('data-preview');
      expect(await preview.getAttribute('data-row-count')).toBe('120');
      expect(await preview.locator('.vt-row[data-row="3"]').getAttribute('data-failing')).toBe('true');
      expect(await preview.locator('.vt-row[data-row="0"]').getAttribute('data-failing')).toBe('true');
      expect(await preview.locator('.vt-row[data-row="1"]').getAttribute('data-failing')).toBeNull();
      await required.getByRole('button', { name: 'Show 30 rows failing orders.customer_email.required' }).click();
      await expect.poll(() => preview.getAttribute('data-row-count')).toBe('30');
      expect(await refused.getByTestId('refused-rows-status').innerText()).toBe('30 rows failing orders.customer_email.required');
      const shown = await preview
        .locator('.vt-row')
        .evaluateAll((rows) =>
          rows.map((row) => [(row as HTMLElement).dataset.row, (row as HTMLElement).dataset.failing, row.children[3]?.textContent]),
        );
      expect(shown.length).toBeGreaterThan(0);
      for (const [row, failing, email] of shown) {
        expect((Number(row) + 1) % 4).toBe(0);
        expect(failing).toBe('true');
        expect(email).toBe('NULL');
      }
      await saveScreenshot(page, 'refused-candidate');
      expect(await axeViolations(page)).toEqual([]);

      // The last good version is one click away, and back.
      await refused.getByRole('button', { name: 'Show v1' }).click();
      await expect.poll(() => inspector.locator('.data-summary').innerText()).toMatch(/^Version 1 of orders: 120 rows/);
      expect(await inspector.getByTestId('refused-candidate').count()).toBe(0);
      await inspector.getByRole('button', { name: 'show the refused candidate of tick 0' }).click();
      await refused.waitFor();

      // Fixed: it publishes version 2 and the refused candidate is gone.
      await typeTransform(page, ORDERS_SQL);
      await runAll(page);
      expect(await statusOf(page, 'orders')).toBe('published');
      await inspector.getByRole('tab', { name: 'Data' }).click();
      await expect.poll(() => inspector.locator('.data-summary').innerText()).toMatch(/^Version 2 of orders: 120 rows/);
      expect(await inspector.getByTestId('refused-candidate').count()).toBe(0);
      const options = await inspector.getByRole('combobox', { name: 'Version' }).locator('option').allInnerTexts();
      expect(options.some((o) => o.startsWith('Refused'))).toBe(false);
    });
  }, 120_000);

  it('puts failed warning checks on the node (a badge with their words) and in the run log', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await editHelloMesh(page, [
        [
          'WHERE orders < 1\n        mustBe: 0\n        severity: error',
          'WHERE orders < 1000\n        mustBe: 0\n        severity: warning',
        ],
      ]);
      await node(page, 'daily-revenue').waitFor();
      expect(await node(page, 'daily-revenue').getByTestId('warning-badge').count()).toBe(0);
      await runAll(page);
      expect(await statusOf(page, 'daily-revenue')).toBe('published');
      const badge = node(page, 'daily-revenue').getByTestId('warning-badge');
      expect(await badge.innerText()).toBe('! 1');
      expect(await badge.getAttribute('aria-label')).toMatch(
        /^Daily revenue: 1 warning: daily_revenue: Every day with a row had at least one order: measured \d+, mustBe 0 — failed$/,
      );
      expect(await badge.getAttribute('title')).toMatch(/^1 warning: daily_revenue: Every day/);
      expect(await node(page, 'orders').getByTestId('warning-badge').count()).toBe(0);

      if ((await page.getByRole('list', { name: 'Run log (newest first)' }).count()) === 0) {
        await page.getByRole('button', { name: 'Show run log' }).click();
      }
      const warning = page.getByRole('list', { name: 'Failed warning checks of daily-revenue' }).getByTestId('run-log-warning');
      expect(await warning.allInnerTexts()).toEqual([
        expect.stringMatching(/^WARNING daily_revenue: Every day with a row had at least one order: measured \d+, mustBe 0 — failed$/i),
      ]);
      await saveScreenshot(page, 'refused-warning-badge');
      expect(await axeViolations(page)).toEqual([]);
    });
  }, 90_000);

  it('stops a running Run all with Stop (and with Escape): nothing more starts, what did not run keeps its state, a later Run all works', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      // daily-revenue counts a cross join of 10^12 rows: it would run until its 60 s timeout.
      await editHelloMesh(page, [
        [
          'sum(amount_eur) AS revenue_eur',
          'sum(amount_eur) + 0 * (SELECT count(*) FROM range(1000000) a, range(1000000) b WHERE a.range + b.range < 0) AS revenue_eur',
        ],
      ]);
      await node(page, 'daily-revenue').waitFor();
      expect(await page.getByRole('button', { name: 'Stop', exact: true }).count()).toBe(0);

      await runAllButton(page).click();
      await page.locator(`${PRODUCT}[data-product-id="daily-revenue"][data-status="running"]`).waitFor({ timeout: 30_000 });
      const stop = page.getByRole('button', { name: 'Stop', exact: true });
      await saveScreenshot(page, 'refused-stop-button');
      await stop.click();
      const stoppedAt = Date.now();
      await runAllButton(page).waitFor({ timeout: 20_000 });
      expect(Date.now() - stoppedAt).toBeLessThan(20_000);
      expect(await summary(page).innerText()).toBe('Stopped by you after 1 of 2 products');
      expect(await statusOf(page, 'orders')).toBe('published');
      expect(await statusOf(page, 'daily-revenue')).toBe('idle');
      expect(await page.getByRole('button', { name: 'Stop', exact: true }).count()).toBe(0);
      if ((await page.getByRole('list', { name: 'Run log (newest first)' }).count()) === 0) {
        await page.getByRole('button', { name: 'Show run log' }).click();
      }
      const log = page.getByTestId('run-log-entry');
      expect(await log.first().innerText()).toContain('Stopped by you after 1 of 2 products');
      expect(await log.allInnerTexts()).toContainEqual(
        expect.stringContaining('daily-revenue was stopped by you; it keeps its last result'),
      );
      await saveScreenshot(page, 'refused-stopped');

      // Again, stopped from the keyboard.
      await runAllButton(page).click();
      await page.locator(`${PRODUCT}[data-product-id="daily-revenue"][data-status="running"]`).waitFor({ timeout: 30_000 });
      await page.locator('body').press('Escape');
      await runAllButton(page).waitFor({ timeout: 20_000 });
      expect(await summary(page).innerText()).toMatch(/^Stopped by you after \d of 2 products$/);
      expect(await statusOf(page, 'daily-revenue')).toBe('idle');

      // Usable at once: fix the transform, and Run all publishes both.
      await node(page, 'daily-revenue').click();
      await typeTransform(
        page,
        'SELECT CAST(ordered_at AS DATE) AS day, count(*) AS orders, sum(amount_eur) AS revenue_eur FROM orders GROUP BY 1 ORDER BY 1',
      );
      await runAll(page);
      expect(await statusOf(page, 'orders')).toBe('published');
      expect(await statusOf(page, 'daily-revenue')).toBe('published');
      expect(await summary(page).innerText()).toMatch(/^Last run: 2 published in /);
    });
  }, 150_000);
});
