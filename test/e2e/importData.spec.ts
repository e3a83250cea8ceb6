import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, saveScreenshot, withPage } from './browser.ts';

/*
 * Bring your own data, in Chromium: a CSV of 100,000 rows picked in a new mesh is previewed
 * with its inferred types, becomes a source-aligned product that Run all publishes, and is
 * saved with its data file: after a reload it runs again from the browser's storage.
 */
const PRODUCT = '[data-testid="product-node"]';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});

function ordersCsv(rows: number): Buffer {
  const lines = ['Order ID,Ordered At,Amount EUR,Paid,Note'];
  for (let i = 1; i <= rows; i++) {
    const minute = String(i % 60).padStart(2, '0');
    lines.push(`${i},2026-11-${String((i % 28) + 1).padStart(2, '0')} 10:${minute}:00,${(i % 997) / 4},${i % 5 !== 0},"order ${i}, shop"`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

async function statusOf(page: Page, id: string): Promise<string | undefined> {
  return (await page.locator(`${PRODUCT}[data-product-id="${id}"]`).getAttribute('data-status')) ?? undefined;
}

async function runAll(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await page.getByRole('button', { name: /^Running \d+\/\d+…$/ }).waitFor();
  await page.getByRole('button', { name: 'Run all', exact: true }).waitFor({ timeout: 120_000 });
}

describe('importing data in the app', () => {
  it(
    'previews a picked CSV of 100,000 rows with its types, creates a product that publishes, and keeps it after a reload',
    { timeout: 240_000 },
    async () => {
      await withPage(browser, '', async (page) => {
        await page.getByPlaceholder('Name of a new mesh').fill('Own data');
        await page.getByRole('button', { name: 'New mesh' }).click();
        await page.getByRole('heading', { name: 'Own data' }).waitFor();
        await page.getByTestId('domain-node').first().waitFor();

        await page
          .getByLabel('Data files to import')
          .setInputFiles({ name: 'Shop Orders.csv', mimeType: 'text/csv', buffer: ordersCsv(100_000) });
        const dialog = page.getByRole('dialog', { name: 'Import data' });
        await dialog.getByRole('heading', { name: /shop-orders\.csv/ }).waitFor({ timeout: 30_000 });
        expect(await dialog.getByRole('heading', { name: /shop-orders\.csv/ }).textContent()).toContain('100,000 rows');
        const types = Object.fromEntries(
          await Promise.all(
            ['order_id', 'ordered_at', 'amount_eur', 'paid', 'note'].map(async (c) => [
              c,
              await dialog.getByLabel(`Type of ${c}`).inputValue(),
            ]),
          ),
        );
        expect(types).toEqual({ order_id: 'integer', ordered_at: 'timestamp', amount_eur: 'number', paid: 'boolean', note: 'string' });
        expect(await dialog.locator('tbody tr').count()).toBe(20);
        expect(await dialog.locator('tbody tr').first().locator('td').last().textContent()).toBe('order 1, shop');
        await saveScreenshot(page, 'import-preview');
        await dialog.getByRole('button', { name: 'Create product' }).click();
        await dialog.waitFor({ state: 'detached' });

        await page.locator(`${PRODUCT}[data-product-id="shop-orders"]`).waitFor();
        await runAll(page);
        expect(await statusOf(page, 'shop-orders')).toBe('published');
        await page.waitForFunction(
          () => document.querySelector('[data-testid="save-status"]')?.getAttribute('data-status') === 'saved',
          undefined,
          {
            timeout: 30_000,
          },
        );

        await page.reload();
        await page.locator(`${PRODUCT}[data-product-id="shop-orders"]`).waitFor();
        await runAll(page);
        expect(await statusOf(page, 'shop-orders')).toBe('published');
      });
    },
  );
});
