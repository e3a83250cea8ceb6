import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipMesh } from '../../core/fs/zipMesh.ts';
import { SAMPLES_DIR, tempDir } from '../helpers.ts';
import { launchChromium, withPage } from './browser.ts';

/*
 * Defects seen while prototyping a product in the app (issue 14 item 5), each repeated as a
 * user would meet it, in Chromium against the web build.
 */
const PRODUCT = '[data-testid="product-node"]';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});

describe('defects of issue 14', () => {
  it('shows "Apply draft" in the What-if bar as a filled button, not white on white', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await page.locator(PRODUCT).first().waitFor();
      await page.getByRole('button', { name: 'What if…' }).click();
      const apply = page.getByTestId('draft-bar').getByRole('button', { name: 'Apply draft' });
      const colours = await apply.evaluate((button) => {
        const style = getComputedStyle(button);
        return { background: style.backgroundColor, color: style.color };
      });
      expect(colours.color).toBe('rgb(255, 255, 255)');
      expect(colours.background).not.toBe('rgb(255, 255, 255)');
      expect(colours.background).not.toBe(colours.color);
    });
  }, 120_000);

  it('lets the tick count be cleared and retyped: select, Backspace, 3 gives 3, not 13', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await page.locator(PRODUCT).first().waitFor();
      const field = page.getByLabel('Ticks');
      await field.click();
      await field.press('Control+a');
      await field.press('Backspace');
      await expect.poll(() => field.inputValue()).toBe('');
      await field.press('3');
      await expect.poll(() => field.inputValue()).toBe('3');
      await page.getByRole('button', { name: 'Tick ×3' }).waitFor();

      // Out of range or empty: clamped when the field is left or Enter is pressed.
      await field.fill('5000');
      await field.press('Enter');
      await expect.poll(() => field.inputValue()).toBe('1000');
      await field.fill('');
      await field.blur();
      await expect.poll(() => field.inputValue()).toBe('1');
      await page.getByRole('button', { name: 'Tick ×1', exact: true }).waitFor();
    });
  }, 120_000);
});

describe('the New product dialog (issue 14)', () => {
  it('starts at source-aligned in an empty mesh and keeps every archetype name on one line', async () => {
    await withPage(browser, '', async (page) => {
      await page.getByPlaceholder('Name of a new mesh').fill('Empty mesh');
      await page.getByRole('button', { name: 'New mesh' }).click();
      await page.getByTestId('domain-node').first().waitFor();
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.getByRole('button', { name: 'New product' }).click();
      const dialog = page.getByRole('dialog', { name: 'New data product' });
      expect(await dialog.getByRole('radio', { name: /^source-aligned/ }).isChecked()).toBe(true);
      const names = await dialog.locator('label.radio .radio-name').all();
      expect(names).toHaveLength(await dialog.getByRole('radio').count());
      for (const name of names) {
        const lines = await name.evaluate((el) => el.getClientRects().length);
        expect(lines, await name.innerText()).toBe(1);
      }
      await dialog.getByLabel('Name').fill('Play events');
      await dialog.getByRole('button', { name: 'Create product' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.locator(`${PRODUCT}[data-product-id="play-events"]`).waitFor();

      // With a product to read from, the default is consumer-aligned again.
      await page.getByRole('button', { name: 'New product' }).click();
      expect(await dialog.getByRole('radio', { name: /^consumer-aligned/ }).isChecked()).toBe(true);
    });
  }, 120_000);
});

describe('Reset of the runs (issue 14)', () => {
  it('asks before forgetting the runs; Escape or Cancel keeps them, Reset from the keyboard clears them', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await page.locator(PRODUCT).first().waitFor();
      await page.getByRole('button', { name: 'Run all', exact: true }).click();
      const published = page.locator(`${PRODUCT}[data-status="published"]`);
      const count = await page.locator(PRODUCT).count();
      await expect.poll(() => published.count(), { timeout: 90_000 }).toBe(count);
      await page.getByRole('button', { name: 'Run all', exact: true }).waitFor();

      const reset = page.getByRole('button', { name: 'Reset', exact: true });
      await reset.click();
      const dialog = page.getByRole('dialog', { name: 'Reset the runs?' });
      await dialog.waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await published.count()).toBe(count);

      await reset.click();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      expect(await published.count()).toBe(count);

      // Keyboard only: Cancel has the focus, Tab reaches Reset, Enter confirms.
      await reset.focus();
      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      await published.first().waitFor({ state: 'detached' });
    });
  }, 180_000);
});

describe('Your meshes (issue 14)', () => {
  it('tells two stored meshes of the same title apart: the later one is "(copy 2)", and each says where it came from', async () => {
    const root = nodePath.join(SAMPLES_DIR, 'hello-mesh');
    const files = new Map<string, Uint8Array>();
    for (const entry of await fsp.readdir(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const full = nodePath.join(entry.parentPath, entry.name);
      files.set(nodePath.relative(root, full).split(nodePath.sep).join('/'), new Uint8Array(await fsp.readFile(full)));
    }
    const zip = nodePath.join(await tempDir('defects-zip'), 'hello.zip');
    await fsp.writeFile(zip, zipMesh(files, 'hello-mesh'));

    await withPage(browser, '', async (page) => {
      for (let i = 0; i < 2; i++) {
        await page.getByTestId('import-zip').setInputFiles(zip);
        await page.locator(`${PRODUCT}[data-product-id="daily-revenue"]`).waitFor();
        await page.getByRole('button', { name: '← Start' }).click();
        await expect.poll(() => page.getByTestId('stored-mesh').count()).toBe(i + 1);
      }
      const names = await page
        .getByTestId('stored-mesh')
        .evaluateAll((items) => items.map((li) => li.querySelector('button')?.textContent ?? ''));
      expect(names).toHaveLength(2);
      expect(new Set(names).size).toBe(2);
      expect(names.filter((name) => name.endsWith(' (copy 2)'))).toHaveLength(1);
      for (const text of await page.getByTestId('stored-mesh').allInnerTexts()) expect(text).toContain('imported .zip');
    });
  }, 120_000);
});
