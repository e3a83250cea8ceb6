import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialValidator, standardOf } from '../support/officialSchemas.ts';
import { launchChromium, saveScreenshot, withPage } from './browser.ts';
import { exportedMesh, newMesh, productNode, quantaValidate, runAll, waitSaved } from './editorActions.ts';

/*
 * Issue 14's proof, the third user's whole path in Chromium with nothing but the app: from an
 * empty mesh, a CSV of 100,000 rows dropped on the window becomes a product (preview first);
 * its contract is derived from what it published; a quality rule added in the form refuses
 * the next run and the refused rows are shown; the transform is fixed and the product
 * publishes; a reload keeps all of it; and the files the app wrote validate against the
 * official ODPS and ODCS schemas and with `quanta validate`.
 */
const ROWS = 100_000;
/** Every 40th order has a status the team did not plan for. */
const UNKNOWN_EVERY = 40;
const BAD_ROWS = ROWS / UNKNOWN_EVERY;

function ordersCsv(): string {
  const lines = ['Order ID,Customer Email,Status,Amount EUR,Ordered At'];
  for (let i = 1; i <= ROWS; i++) {
    const status = i % UNKNOWN_EVERY === 0 ? 'unknown' : i % 3 === 0 ? 'refunded' : 'paid';
    const day = String((i % 28) + 1).padStart(2, '0');
    lines.push(`${i},customer${i % 5000}@example.com,${status},${(i % 997) / 4},2026-11-${day} 10:${String(i % 60).padStart(2, '0')}:00`);
  }
  return `${lines.join('\n')}\n`;
}

/** A row count as the app may print it, with or without a thousands separator. */
const count = (n: number): string => n.toLocaleString('en-US').replace(/,/g, ',?');

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});

/** Drops `text` as a file named `name` on the canvas, as a drag from the desktop would. */
async function dropFile(page: Page, name: string, text: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ fileName, body }) => {
      const data = new DataTransfer();
      data.items.add(new File([body], fileName, { type: 'text/csv' }));
      return data;
    },
    { fileName: name, body: text },
  );
  const canvas = page.locator('.react-flow__pane');
  await canvas.dispatchEvent('dragover', { dataTransfer: transfer });
  await canvas.dispatchEvent('drop', { dataTransfer: transfer });
}

const ID = 'shop-orders';

/** The inspector and the boxes around it that are wider than they show, or scrolled sideways. */
function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.getByTestId('inspector').evaluate((inspector) => {
    const wide: string[] = [];
    for (let el: Element | null = inspector; el && el !== document.documentElement; el = el.parentElement) {
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollLeft > 0) {
        wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}: ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    return wide;
  });
}

describe('prototyping a data product with your own data, in the app only (issue 14)', () => {
  it(
    'drops a 100,000-row CSV, derives the contract, adds a blocking rule in the form, sees the refused rows, fixes the transform, publishes, reloads, and the files validate',
    { timeout: 420_000 },
    async () => {
      await withPage(browser, '', async (page) => {
        await newMesh(page, 'Prototype');

        // 1. Bring the data in: preview with inferred types, then one product.
        await dropFile(page, 'Shop Orders.csv', ordersCsv());
        const dialog = page.getByRole('dialog', { name: 'Import data' });
        const heading = dialog.getByRole('heading', { name: /shop-orders\.csv/ });
        await heading.waitFor({ timeout: 60_000 });
        expect(await heading.textContent()).toContain('100,000 rows');
        expect(await dialog.getByLabel('Type of status').inputValue()).toBe('string');
        expect(await dialog.getByLabel('Type of ordered_at').inputValue()).toBe('timestamp');
        await dialog.getByRole('button', { name: 'Create product' }).click();
        await dialog.waitFor({ state: 'detached' });
        await productNode(page, ID).waitFor();
        await productNode(page, ID).click();
        await runAll(page);
        expect(await productNode(page, ID).getAttribute('data-status')).toBe('published');

        // 2. Derive the contract from what it published, and accept the proposals.
        const inspector = page.getByTestId('inspector');
        await inspector.getByRole('tab', { name: 'Contract' }).click();
        await inspector.getByRole('button', { name: 'Derive contract from output' }).click();
        const derive = inspector.getByRole('region', { name: 'Derive contract of shop_orders from output' });
        await derive.waitFor({ timeout: 60_000 });
        expect(await derive.innerText()).toMatch(/customer_email/);
        const apply = derive.getByRole('button', { name: /^Apply \d+ changes?$/ });
        expect(await apply.isEnabled()).toBe(true);
        await apply.click();
        await derive.waitFor({ state: 'detached' });

        // 3. A blocking quality rule in the form: status is paid or refunded.
        await inspector.getByRole('group', { name: 'Contract view' }).getByRole('button', { name: 'Quality' }).click();
        const quality = inspector.getByTestId('quality-rules');
        await quality.getByRole('button', { name: 'Add a rule' }).click();
        const form = quality.getByRole('form', { name: 'New quality rule' });
        await form.getByLabel('Where').selectOption({ label: 'Column status' });
        await form.getByLabel('Kind').selectOption('invalidValues');
        await form.getByLabel('Valid values').fill('paid, refunded');
        await form.getByLabel('Severity').selectOption('error');
        await form.getByRole('button', { name: 'Run this check now' }).click();
        const result = quality.getByRole('region', { name: 'Check result of the new rule' });
        await expect.poll(() => result.getAttribute('data-status'), { timeout: 60_000 }).toMatch(/^(failed|passed|error)$/);
        expect(await result.getAttribute('data-status'), await result.innerText()).toBe('failed');
        expect(Number((await result.getByTestId('check-now-measured').innerText()).replace(/,/g, ''))).toBe(BAD_ROWS);
        await form.getByRole('button', { name: 'Add rule' }).click();
        await form.waitFor({ state: 'detached' });
        expect(await quality.locator('.quality-says').allInnerTexts()).toContain('status: no value outside paid, refunded');

        // 4. The run refuses it; the Data tab shows the refused candidate and its failing rows.
        await runAll(page);
        expect(await productNode(page, ID).getAttribute('data-status')).toBe('refused');
        await inspector.getByRole('tab', { name: 'Data' }).click();
        const refused = inspector.getByTestId('refused-candidate');
        await refused.getByRole('note', { name: 'Refused, not published' }).waitFor();
        const check = refused.locator('[data-testid="refused-check"][data-check*="status"]');
        // A rule without a description is named by what it checks, as the Quality view says it.
        expect(await check.locator('.refused-check-name').innerText()).toBe('status: no value outside paid, refunded');
        const show = check.getByRole('button', { name: /^Show [\d,]+ rows failing / });
        await show.click();
        await expect
          .poll(() => refused.getByTestId('refused-rows-status').innerText())
          .toMatch(new RegExp(`^${count(BAD_ROWS)} rows failing `));
        const firstRow = refused.getByTestId('data-preview').locator('.vt-row').first();
        expect(await firstRow.innerText()).toContain('unknown');
        await saveScreenshot(page, 'prototype-refused-rows');
        // Everything of the refused view fits the inspector: nothing pushes it sideways.
        expect(await sidewaysOverflow(page)).toEqual([]);

        // 5. Fix the transform: the unplanned status stays out of the product.
        await inspector.getByRole('tab', { name: 'Transform' }).click();
        const sql = inspector.locator('.cm-content');
        await sql.click();
        await page.keyboard.press('Control+End');
        await page.keyboard.type("WHERE status <> 'unknown'");
        await expect.poll(() => sql.innerText()).toMatch(/WHERE status <> 'unknown'\s*$/);
        await runAll(page);
        expect(await productNode(page, ID).getAttribute('data-status')).toBe('published');
        await inspector.getByRole('tab', { name: 'Data' }).click();
        await expect.poll(() => inspector.locator('.data-summary').innerText()).toMatch(new RegExp(`${count(ROWS - BAD_ROWS)} rows`));
        await waitSaved(page);

        // 6. A reload keeps the product, its rule and its transform; it publishes again.
        await page.reload();
        await productNode(page, ID).waitFor({ timeout: 30_000 });
        await productNode(page, ID).click();
        await inspector.getByRole('tab', { name: 'Contract' }).click();
        await inspector.getByRole('group', { name: 'Contract view' }).getByRole('button', { name: 'Quality' }).click();
        expect(await inspector.getByTestId('quality-rules').locator('.quality-says').allInnerTexts()).toContain(
          'status: no value outside paid, refunded',
        );
        await runAll(page);
        expect(await productNode(page, ID).getAttribute('data-status')).toBe('published');

        // 7. What the app wrote is standard and valid.
        const { dir, paths } = await exportedMesh(page, 'prototype-export');
        expect(paths.some((p) => p.endsWith(`/${ID}/data/shop-orders.csv`))).toBe(true);
        const standards = paths.filter((p) => standardOf(p) !== undefined);
        expect(standards.length).toBeGreaterThanOrEqual(2);
        for (const path of standards) {
          const validate = await officialValidator(standardOf(path) ?? '');
          expect(validate(parse(await fsp.readFile(nodePath.join(dir, path), 'utf8'))), path).toEqual([]);
        }
        const contract = standards.find((p) => p.endsWith('.odcs.yaml')) ?? '';
        const contractText = await fsp.readFile(nodePath.join(dir, contract), 'utf8');
        expect(contractText).toMatch(/validValues:[\s\S]*paid[\s\S]*refunded/);
        const validation = await quantaValidate(dir);
        expect(validation.code, validation.out).toBe(0);
      });
    },
  );
});
