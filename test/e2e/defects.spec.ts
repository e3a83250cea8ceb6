import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
      expect(await field.inputValue()).toBe('');
      await field.press('3');
      expect(await field.inputValue()).toBe('3');
      await page.getByRole('button', { name: 'Tick ×3' }).waitFor();

      // Out of range or empty: clamped when the field is left or Enter is pressed.
      await field.fill('5000');
      await field.press('Enter');
      expect(await field.inputValue()).toBe('1000');
      await field.fill('');
      await field.blur();
      expect(await field.inputValue()).toBe('1');
      await page.getByRole('button', { name: 'Tick ×1', exact: true }).waitFor();
    });
  }, 120_000);
});
