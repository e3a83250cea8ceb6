import { mkdtemp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import nodePath from 'node:path';
import type { Browser, JSHandle, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, newMesh, runAll, waitSaved } from './editorActions.ts';
import { launchChromium, saveScreenshot, withPage } from './browser.ts';

/*
 * Bring your own data, in Chromium: a CSV of 100,000 rows picked in a new mesh is read with
 * visible progress, previewed with its inferred types, becomes a source-aligned product that
 * Run all publishes, and is saved with its data file: after a reload it runs again from the
 * browser's storage. A Parquet file previews its first rows; a file dropped on a product
 * becomes one more source of it; a broken file names its line and column and nothing is
 * imported; Cancel during a big read leaves nothing.
 */
const PRODUCT = '[data-testid="product-node"]';

let browser: Browser;
let scratch: string;
beforeAll(async () => {
  browser = await launchChromium();
  scratch = await mkdtemp(nodePath.join(tmpdir(), 'quanta-import-'));
});
afterAll(async () => {
  await browser.close();
  await rm(scratch, { recursive: true, force: true });
});

/** Records every value any <progress> of the page shows from now on (a read may be over before a poll would see it). */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: { label: string; value: number; max: number }[] = [];
    (window as unknown as { importProgress: typeof seen }).importProgress = seen;
    const look = (): void => {
      for (const bar of document.querySelectorAll('progress'))
        seen.push({ label: bar.getAttribute('aria-label') ?? '', value: bar.value, max: bar.max });
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

function ordersCsv(rows: number): Buffer {
  const lines = ['Order ID,Ordered At,Amount EUR,Paid,Note'];
  for (let i = 1; i <= rows; i++) {
    const minute = String(i % 60).padStart(2, '0');
    lines.push(`${i},2026-11-${String((i % 28) + 1).padStart(2, '0')} 10:${minute}:00,${(i % 997) / 4},${i % 5 !== 0},"order ${i}, shop"`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

const LATE_ORDERS =
  'order_id,ordered_at,customer_email,amount_eur\n9001,2026-11-20 10:00:00,late@example.com,12.50\n9002,2026-11-20 11:00:00,late2@example.com,7.25\n';

/** A DataTransfer holding `files`, dragged over `target` (as a drag from the desktop would be). */
async function dragFiles(page: Page, target: Locator, files: readonly { name: string; text: string }[]): Promise<JSHandle<DataTransfer>> {
  const transfer = await page.evaluateHandle((list) => {
    const data = new DataTransfer();
    for (const f of list) data.items.add(new File([f.text], f.name, { type: 'text/csv' }));
    return data;
  }, files);
  await target.dispatchEvent('dragover', { dataTransfer: transfer });
  return transfer;
}

async function statusOf(page: Page, id: string): Promise<string | undefined> {
  return (await page.locator(`${PRODUCT}[data-product-id="${id}"]`).getAttribute('data-status')) ?? undefined;
}

describe('importing data in the app', () => {
  it(
    'previews a picked CSV of 100,000 rows with its types, creates a product that publishes, and keeps it after a reload',
    { timeout: 240_000 },
    async () => {
      await withPage(browser, '', async (page) => {
        await newMesh(page, 'Own data');
        await recordProgress(page);
        await page
          .getByLabel('Data files to import')
          .setInputFiles({ name: 'Shop Orders.csv', mimeType: 'text/csv', buffer: ordersCsv(100_000) });
        const dialog = page.getByRole('dialog', { name: 'Import data' });
        await dialog.getByRole('heading', { name: /shop-orders\.csv/ }).waitFor({ timeout: 30_000 });
        expect(await dialog.getByRole('heading', { name: /shop-orders\.csv/ }).textContent()).toContain('100,000 rows');
        const progress = await page.evaluate(
          () => (window as unknown as { importProgress: { label: string; value: number; max: number }[] }).importProgress,
        );
        expect(progress.length).toBeGreaterThan(0);
        expect(new Set(progress.map((p) => p.label))).toEqual(new Set(['Reading Shop Orders.csv']));
        expect(progress[0]?.max).toBeGreaterThan(5_000_000);
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

  it('shows the first rows of a Parquet file in the preview, not only its columns', { timeout: 60_000 }, async () => {
    const parquet = await readFile(new URL('../fixtures/seeds/orders.snappy.parquet', import.meta.url));
    await withPage(browser, '', async (page) => {
      await newMesh(page, 'Parquet preview');
      await page
        .getByLabel('Data files to import')
        .setInputFiles({ name: 'orders.parquet', mimeType: 'application/octet-stream', buffer: parquet });
      const dialog = page.getByRole('dialog', { name: 'Import data' });
      const heading = dialog.getByRole('heading', { name: /orders\.parquet/ });
      await heading.waitFor({ timeout: 30_000 });
      const rows = Number(/([\d,]+) rows?/.exec((await heading.textContent()) ?? '')?.[1]?.replace(/,/g, ''));
      const body = dialog.getByRole('region', { name: 'First rows of orders.parquet' }).locator('tbody tr');
      expect(await body.count()).toBe(Math.min(20, rows));
      const first = await body.first().locator('td').allTextContents();
      expect(first).toHaveLength(4);
      expect(first[0]).toMatch(/^\d+$/);
      expect(first[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d/);
      expect(first[2]).toContain('@');
      await saveScreenshot(page, 'import-parquet-preview');
      expect(await axeViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
    });
  });

  it(
    'adds a file dropped on a product as a new source of it, in one undoable step, and Run all publishes the product',
    { timeout: 120_000 },
    async () => {
      await withPage(browser, '?sample=hello-mesh', async (page) => {
        const orders = page.locator(`${PRODUCT}[data-product-id="orders"]`);
        await orders.waitFor();
        const transfer = await dragFiles(page, orders, [{ name: 'Late Orders.csv', text: LATE_ORDERS }]);
        expect(await orders.evaluate((node) => node.classList.contains('import-drop-target'))).toBe(true);
        await orders.dispatchEvent('drop', { dataTransfer: transfer });
        const dialog = page.getByRole('dialog', { name: 'Import data' });
        await dialog.getByRole('heading', { name: /late-orders\.csv/ }).waitFor({ timeout: 30_000 });
        expect(await orders.evaluate((node) => node.classList.contains('import-drop-target'))).toBe(false);
        expect(await dialog.getByLabel('Import into').locator('option:checked').textContent()).toBe('A new source of Orders (orders)');
        expect(await dialog.getByLabel('Source name').inputValue()).toBe('late_orders');
        expect(await dialog.getByText(/orders gets a table "late_orders"/).count()).toBe(1);
        await dialog.getByLabel(/Publish its rows with those of orders_csv/).check();
        expect(
          await dialog
            .getByText('transform.sql will read "late_orders" together with orders_csv: orders publishes the rows of both.')
            .count(),
        ).toBe(1);
        await saveScreenshot(page, 'import-add-source');
        expect(await axeViolations(page)).toEqual([]);
        await dialog.getByRole('button', { name: 'Add file to orders' }).click();
        await dialog.waitFor({ state: 'detached' });
        const undo = page.getByRole('button', { name: 'Undo', exact: true });
        expect(await undo.getAttribute('title')).toContain('Add data/late-orders.csv to orders');

        await runAll(page);
        expect(await statusOf(page, 'orders')).toBe('published');
        expect(await orders.locator('.run-facts').textContent()).toBe('version 1 · 122 rows');
        expect(await statusOf(page, 'daily-revenue')).toBe('published');

        await undo.click();
        expect((await undo.getAttribute('title')) ?? '').not.toContain('late-orders');
      });
    },
  );

  it(
    'saves a file added to a saved product with it: after a reload Run all publishes the rows of both files',
    { timeout: 120_000 },
    async () => {
      await withPage(browser, '', async (page) => {
        await newMesh(page, 'Two files');
        await page
          .getByLabel('Data files to import')
          .setInputFiles({ name: 'shipments.csv', mimeType: 'text/csv', buffer: Buffer.from('id,weight_kg\n1,2.5\n2,4\n3,1.25\n') });
        const dialog = page.getByRole('dialog', { name: 'Import data' });
        await dialog.getByRole('button', { name: 'Create product' }).click();
        await dialog.waitFor({ state: 'detached' });
        const shipments = page.locator(`${PRODUCT}[data-product-id="shipments"]`);
        await shipments.waitFor();
        await waitSaved(page);

        const transfer = await dragFiles(page, shipments, [{ name: 'more shipments.csv', text: 'id,weight_kg\n4,9\n5,0.5\n' }]);
        await shipments.dispatchEvent('drop', { dataTransfer: transfer });
        await dialog.getByLabel(/Publish its rows with those of shipments_csv/).check();
        await dialog.getByRole('button', { name: 'Add file to shipments' }).click();
        await dialog.waitFor({ state: 'detached' });
        await waitSaved(page);

        await page.reload();
        await shipments.waitFor();
        await runAll(page);
        expect(await statusOf(page, 'shipments')).toBe('published');
        expect(await shipments.locator('.run-facts').textContent()).toBe('version 1 · 5 rows');
      });
    },
  );

  it(
    'names the line and column of a broken file, imports nothing while it is there, and the rest once it is left out',
    { timeout: 90_000 },
    async () => {
      const tooBig = nodePath.join(scratch, 'too-big.csv');
      await writeFile(tooBig, 'a\n');
      await truncate(tooBig, 201 * 1024 * 1024); // sparse: never read, refused by its size
      await withPage(browser, '', async (page) => {
        await newMesh(page, 'Broken files');
        await page.getByLabel('Data files to import').setInputFiles([
          { name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from('id,label\n1,a\n2,b\n') },
          { name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('id,label\n1,a\n2,b,c\n') },
        ]);
        const dialog = page.getByRole('dialog', { name: 'Import data' });
        const alert = dialog.getByRole('alert');
        await alert.waitFor({ timeout: 30_000 });
        expect(await alert.textContent()).toBe('broken.csv:3:5: this row has 3 fields, the header names 2');
        expect(await dialog.getByText(/Nothing is imported while a file cannot be: leave out broken\.csv/).count()).toBe(1);
        const create = dialog.getByRole('button', { name: 'Create product' });
        expect(await create.isDisabled()).toBe(true);
        await saveScreenshot(page, 'import-broken-file');
        expect(await axeViolations(page)).toEqual([]);
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await dialog.waitFor({ state: 'detached' });
        expect(await page.locator(PRODUCT).count()).toBe(0);

        await page.getByLabel('Data files to import').setInputFiles(tooBig);
        await dialog.getByRole('alert').waitFor({ timeout: 30_000 });
        expect(await dialog.getByRole('alert').textContent()).toBe(
          'too-big.csv: it is 201.0 MB; files above 200.0 MB cannot be imported (a quantum holds its data in memory)',
        );
        await dialog.getByRole('button', { name: 'Cancel' }).click();

        await page.getByLabel('Data files to import').setInputFiles([
          { name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from('id,label\n1,a\n2,b\n') },
          { name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('id,label\n1,a\n2,b,c\n') },
        ]);
        await dialog.getByRole('button', { name: 'Leave out broken.csv' }).click();
        await create.click();
        await dialog.waitFor({ state: 'detached' });
        await page.locator(`${PRODUCT}[data-product-id="good"]`).waitFor();
        expect(await page.locator(PRODUCT).count()).toBe(1);
      });
    },
  );

  it('warns of a large file while it is read, and Cancel during the read leaves nothing', { timeout: 120_000 }, async () => {
    const big = nodePath.join(scratch, 'big orders.csv');
    const out = await open(big, 'w');
    await out.write('order_id,ordered_at,amount_eur,paid,note\n');
    const block: string[] = [];
    for (let i = 0; i < 20_000; i++) block.push(`${i},2026-11-01 10:00:00,${i % 997},true,order ${i} of a large file`);
    const chunk = `${block.join('\n')}\n`;
    while ((await out.stat()).size < 100 * 1024 * 1024) await out.write(chunk);
    await out.close();
    await withPage(browser, '', async (page) => {
      await newMesh(page, 'Big file');
      await page.getByLabel('Data files to import').setInputFiles(big);
      const dialog = page.getByRole('dialog', { name: 'Import data' });
      await dialog.getByText(/^Large \(10\d\.\d MB\): the quantum holds it in memory\.$/).waitFor({ timeout: 30_000 });
      const bar = dialog.getByRole('progressbar', { name: 'Reading big orders.csv' });
      await page.waitForFunction(
        () => {
          const progress = document.querySelector('progress');
          return progress !== null && progress.value > 0 && progress.value < progress.max;
        },
        undefined,
        { timeout: 30_000, polling: 20 },
      );
      expect(await dialog.getByTestId('import-progress-text').textContent()).toMatch(/^[\d.]+ MB of 10\d\.\d MB \(\d{1,2}%\)$/);
      await saveScreenshot(page, 'import-reading-progress');
      expect(Number(await bar.getAttribute('value'))).toBeGreaterThan(0);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.waitForTimeout(500);
      expect(await page.getByRole('dialog', { name: 'Import data' }).count()).toBe(0);
      expect(await page.locator(PRODUCT).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Undo', exact: true }).isDisabled()).toBe(true);
    });
  });
});
