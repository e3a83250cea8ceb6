import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, saveScreenshot, withPage } from './browser.ts';

/*
 * The inspector's Sources tab in Chromium: a new source-aligned product's quanta.yaml edited
 * only through the form — a second generator source, a reference column into it, a choice
 * column's weights, the schedule — with the live preview, a run whose published rows match
 * the form, the blueprint's comment kept in the file, undo, and a reload.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});

const node = (page: Page, id: string) => page.locator(`[data-testid="product-node"][data-product-id="${id}"]`);

async function waitSaved(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.querySelector('[data-testid="save-status"]')?.getAttribute('data-status') === 'saved',
    undefined,
    {
      timeout: 15_000,
    },
  );
}

async function createSourceProduct(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New product' }).click();
  const dialog = page.getByRole('dialog', { name: 'New data product' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('radio', { name: /^source-aligned/ }).check();
  await dialog.getByRole('button', { name: 'Create product' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** A table's rows as text, by column name (the form's preview or the Data tab's virtual table). */
async function previewRows(table: Locator): Promise<Record<string, string>[]> {
  return table.evaluate((el) => {
    // The Data tab's headers carry the type in a <small> after the name.
    const header = [...el.querySelectorAll('th, [role="columnheader"]')].map((h) => h.firstChild?.textContent?.trim() ?? '');
    const rows = [...el.querySelectorAll('tbody tr, [role="rowgroup"] [role="row"]')];
    return rows.map((row) => {
      const cells = [...row.querySelectorAll('td, [role="rowheader"], [role="cell"]')].map((c) => c.textContent?.trim() ?? '');
      return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    });
  });
}

/** The whole quanta.yaml as its YAML view shows it (the editor let grow, so CodeMirror renders every line). */
async function yamlText(page: Page, inspector: Locator): Promise<string> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 4000 });
  const tall = await page.addStyleTag({ content: '.code-editor .cm-editor { height: auto !important; }' });
  await inspector.getByRole('button', { name: 'YAML', exact: true }).click();
  await page.waitForTimeout(200);
  const text = await inspector.locator('.cm-content').innerText();
  await inspector.getByRole('button', { name: 'Form', exact: true }).click();
  await tall.evaluate((style) => (style as Element).remove());
  if (size) await page.setViewportSize(size);
  return text;
}

describe('the Sources tab', () => {
  it('configures generators in a form, previews them, runs the product with the rows the form describes, and keeps it all after a reload', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await node(page, 'orders').waitFor();
      await createSourceProduct(page, 'Play events');
      await node(page, 'play-events').click();
      const inspector = page.getByTestId('inspector');
      await inspector.getByRole('tab', { name: 'Sources' }).click();
      const feed = inspector.getByRole('region', { name: 'Source play_events_feed' });
      await feed.waitFor();
      expect(await inspector.getByLabel('Archetype').inputValue()).toBe('source-aligned');
      expect(await inspector.getByTestId('schedule-meaning').innerText()).toBe(
        'Runs once per simulated hour (every 1 tick; a tick is one simulated hour).',
      );

      // A second generator source, renamed to customers, of three rows.
      await inspector.getByRole('button', { name: 'Add generator source' }).click();
      const added = inspector.getByRole('region', { name: 'Source generated' });
      await added.getByLabel('Name', { exact: true }).fill('customers');
      const customers = inspector.getByRole('region', { name: 'Source customers' });
      await customers.getByLabel('Rows', { exact: true }).fill('3');
      // A reference within a product points back to an earlier source: customers goes first.
      await customers.getByRole('button', { name: 'Move customers up' }).click();
      await expect.poll(() => inspector.locator('[data-source]').first().getAttribute('data-source')).toBe('customers');
      await expect.poll(async () => (await previewRows(customers.getByTestId('generator-preview'))).length).toBe(3);

      // In the product's own source: a reference column into customers, and a choice that always says active.
      await feed.getByRole('button', { name: 'Add column' }).click();
      await feed.getByLabel('Name of column 5').fill('customer_id');
      await feed.getByLabel('Type of customer_id').selectOption('reference');
      await feed.getByLabel('References of customer_id').selectOption('customers.id');
      await feed.getByLabel('Weights of status').fill('0, 1, 0');
      const preview = feed.getByTestId('generator-preview');
      await expect
        .poll(async () => {
          const rows = await previewRows(preview);
          return rows.length === 20 && rows.every((r) => ['1', '2', '3'].includes(r['customer_id'] ?? '') && r['status'] === 'active');
        })
        .toBe(true);

      // A bad value is refused in the form and never reaches the file; the loader's finding shows inline.
      await feed.getByLabel('Weights of status').fill('0, x, 0');
      expect(await feed.getByRole('alert').innerText()).toContain('“x” is not a number');
      await feed.getByLabel('Weights of status').fill('0, 1, 0');
      await feed.getByLabel('Rows', { exact: true }).fill('-1');
      await feed.getByTestId('inspector-diagnostic').first().waitFor();
      expect(await feed.getByTestId('inspector-diagnostic').first().innerText()).toMatch(/line \d+, column \d+/);
      await feed.getByLabel('Rows', { exact: true }).fill('100');

      // The schedule: every 2 hours, said in words; undo and redo it.
      await inspector.getByLabel('Runs every', { exact: true }).fill('2');
      const meaning = inspector.getByTestId('schedule-meaning');
      await expect.poll(() => meaning.innerText()).toBe('Runs once every 2 simulated hours (every 2 ticks; a tick is one simulated hour).');
      await page.getByRole('button', { name: /^Undo/ }).click();
      await expect.poll(() => meaning.innerText()).toMatch(/^Runs once per simulated hour/);
      await page.getByRole('button', { name: /^Redo/ }).click();
      await expect.poll(() => meaning.innerText()).toMatch(/^Runs once every 2 simulated hours/);
      await saveScreenshot(page, 'sources-form');

      const yaml = await yamlText(page, inspector);
      expect(yaml).toContain("# Quanta's runtime settings of play-events.");
      expect(yaml).toContain('references: customers.id');
      expect(yaml).toContain('every: 2h');

      // The transform passes the new column through; Run publishes what the form describes.
      await inspector.getByRole('tab', { name: 'Transform' }).click();
      await inspector.locator('.cm-content').click();
      await page.keyboard.press('Control+a');
      await page.keyboard.type(
        'SELECT CAST(record_id AS BIGINT) AS record_id, CAST(recorded_at AS TIMESTAMP) AS recorded_at, status, CAST(amount AS DECIMAL(10, 2)) AS amount, customer_id FROM play_events_feed ORDER BY record_id',
      );
      await inspector.getByRole('button', { name: 'Run', exact: true }).click();
      await expect.poll(() => node(page, 'play-events').getAttribute('data-status'), { timeout: 90_000 }).toBe('published');
      await inspector.getByRole('tab', { name: 'Data' }).click();
      const data = page.getByTestId('data-preview');
      await data.waitFor();
      expect(Number(await data.getAttribute('data-row-count'))).toBe(100);
      const published = await previewRows(data);
      expect(published.length).toBeGreaterThan(5);
      for (const row of published) {
        expect(row['status']).toBe('active');
        expect(['1', '2', '3']).toContain(row['customer_id']);
      }

      // After a reload the form shows the same settings.
      expect(await page.getByText('QUANTA_E', { exact: false }).count()).toBe(0);
      await waitSaved(page);
      await page.reload();
      await node(page, 'play-events').click();
      await inspector.getByRole('tab', { name: 'Sources' }).click();
      await inspector.getByRole('region', { name: 'Source customers' }).waitFor();
      expect(await inspector.getByLabel('Weights of status').inputValue()).toBe('0, 1, 0');
      expect(await inspector.getByLabel('References of customer_id').inputValue()).toBe('customers.id');
      expect(await inspector.getByTestId('schedule-meaning').innerText()).toMatch(/^Runs once every 2 simulated hours/);
    });
  }, 180_000);

  it('shows a seed file’s first rows, keeps the file’s comments and unknown keys on form edits, and fills an emptied quanta.yaml', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await node(page, 'orders').click();
      const inspector = page.getByTestId('inspector');
      await inspector.getByRole('tab', { name: 'Sources' }).click();
      const seed = inspector.getByRole('region', { name: 'Source orders_csv' });
      const rows = await previewRows(seed.getByTestId('seed-preview'));
      expect(rows).toHaveLength(5);
      expect(Object.keys(rows[0] ?? {})).toEqual(['order_id', 'ordered_at', 'customer_email', 'amount_eur']);

      await inspector.getByLabel('Description').fill('Orders as the shop exports them.');
      await inspector.getByLabel('Runs every unit').selectOption('h');
      const yaml = await yamlText(page, inspector);
      expect(yaml).toContain('# A table named `orders_csv` is available to transform.sql.');
      expect(yaml).toContain('description: Orders as the shop exports them.');
      expect(yaml).toContain('every: 1h');

      // A key the form does not know: its finding is listed under the form, and a form edit keeps it.
      await inspector.getByRole('button', { name: 'YAML', exact: true }).click();
      await inspector.locator('.cm-content').click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('x-owner: sales-team');
      await inspector.getByRole('button', { name: 'Form', exact: true }).click();
      await expect.poll(() => inspector.getByTestId('inspector-diagnostic').allInnerTexts()).toEqual([expect.stringMatching(/x-owner/)]);
      await inspector.getByLabel('Runs every', { exact: true }).fill('3');
      expect(await yamlText(page, inspector)).toMatch(/every: 3h[\s\S]*x-owner: sales-team/);

      // An emptied quanta.yaml: the form offers sensible defaults, one undo step away from the old file.
      await inspector.getByRole('button', { name: 'YAML', exact: true }).click();
      await inspector.locator('.cm-content').click();
      await page.keyboard.press('Control+a');
      await page.keyboard.press('Delete');
      await inspector.getByRole('button', { name: 'Form', exact: true }).click();
      await inspector.getByRole('button', { name: 'Fill quanta.yaml with defaults' }).click();
      await inspector.getByRole('region', { name: 'Source generated' }).waitFor();
      expect(await inspector.getByLabel('Archetype').inputValue()).toBe('source-aligned');
      await page.getByRole('button', { name: /^Undo/ }).click();
      await inspector.getByRole('button', { name: 'Fill quanta.yaml with defaults' }).waitFor();
    });
  }, 120_000);
});
