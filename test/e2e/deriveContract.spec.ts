import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, saveScreenshot, withPage } from './browser.ts';

/*
 * "Derive contract from output" in Chromium on hello-mesh: a contract loosened in the schema
 * table, a run, the proposals from the published data, the diff, Apply, and Undo.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});

const node = (page: Page, id: string) => page.locator(`[data-testid="product-node"][data-product-id="${id}"]`);

async function runAll(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await page.getByRole('button', { name: /^Running \d+\/\d+…$/ }).waitFor();
  await page.getByRole('button', { name: 'Run all', exact: true }).waitFor({ timeout: 90_000 });
}

describe('deriving a contract from output', () => {
  it('proposes required for a column the data never leaves empty, shows the diff, applies it as one undoable edit', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await node(page, 'orders').click();
      const inspector = page.getByTestId('inspector');
      await inspector.getByRole('tab', { name: 'Contract' }).click();
      const derive = inspector.getByRole('button', { name: 'Derive contract from output' });
      expect(await derive.isDisabled()).toBe(true);

      const required = inspector.getByRole('checkbox', { name: 'Required: amount_eur' });
      await required.uncheck();
      await expect.poll(() => required.isChecked()).toBe(false);

      await runAll(page);
      await expect.poll(() => derive.isEnabled()).toBe(true);
      await derive.click();
      const panel = inspector.getByRole('region', { name: 'Derive contract of orders from output' });
      await panel.waitFor();
      const proposal = panel.getByRole('checkbox', { name: 'Required (never null)' });
      expect(await proposal.isChecked()).toBe(true);
      expect(await panel.innerText()).toContain('no value is null in 120 rows');
      const diff = panel.getByLabel('Contract diff');
      expect(await diff.innerText()).toMatch(/became required/);
      await saveScreenshot(page, 'derive-contract-panel');

      // Unticked, nothing is left to apply; ticked again, Apply makes the edit.
      await proposal.uncheck();
      expect(await panel.getByRole('button', { name: 'Apply 0 changes' }).isDisabled()).toBe(true);
      await proposal.check();
      await panel.getByRole('button', { name: 'Apply 1 change' }).click();
      await panel.waitFor({ state: 'detached' });
      await expect.poll(() => required.isChecked()).toBe(true);

      await page.keyboard.press('Control+z');
      await expect.poll(() => required.isChecked()).toBe(false);
    });
  }, 150_000);
});
