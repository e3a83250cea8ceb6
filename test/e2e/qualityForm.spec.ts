import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, runAll } from './editorActions.ts';
import { launchChromium, saveScreenshot, withPage } from './browser.ts';

/*
 * The Contract tab's Quality view in Chromium on hello-mesh: rules listed with their last
 * results; an invalidValues rule and an SQL rule added through the form and checked now on
 * the published data (failing values shown, nothing published); made blocking, Run all
 * refuses orders; edited to pass and checked now on the refused output, Run all publishes;
 * undo and redo; the YAML keeps its comments and its other lines as they were.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});

const node = (page: Page, id: string) => page.locator(`[data-testid="product-node"][data-product-id="${id}"]`);

async function ruleSays(quality: Locator): Promise<string[]> {
  return quality.locator('.quality-says').allInnerTexts();
}

describe('quality rules in a form', () => {
  it('adds, checks now, makes blocking, refuses, fixes and publishes, with undo and the comments of the file kept', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await node(page, 'orders').click();
      await runAll(page);
      expect(await node(page, 'orders').getAttribute('data-status')).toBe('published');
      const inspector = page.getByTestId('inspector');
      await inspector.getByRole('tab', { name: 'Contract' }).click();
      await inspector.getByRole('group', { name: 'Contract view' }).getByRole('button', { name: 'Quality' }).click();
      const quality = inspector.getByTestId('quality-rules');
      await quality.waitFor();
      expect(await ruleSays(quality)).toEqual([
        'orders: at least 1 row',
        'amount_eur: SQL SELECT COUNT(*) FROM orders WHERE amount_eur < 0 must be 0',
      ]);
      expect(await quality.getByTestId('quality-last-result').first().innerText()).toMatch(/^Last run: passed/);

      // An invalidValues rule on order_id, checked before it is saved: it fails, naming values.
      await quality.getByRole('button', { name: 'Add a rule' }).click();
      let form = quality.getByRole('form', { name: 'New quality rule' });
      await form.getByLabel('Where').selectOption({ label: 'Column order_id' });
      expect(await form.getByLabel('Kind').inputValue()).toBe('invalidValues');
      await form.getByLabel('Valid values').fill('1, 2, 3');
      await form.getByLabel('Severity').selectOption('warning');
      await form.getByRole('button', { name: 'Run this check now' }).click();
      let result = quality.getByRole('region', { name: 'Check result of the new rule' });
      await page.locator('[data-testid="check-now-result"][data-status="failed"]').waitFor({ timeout: 60_000 });
      expect(await result.innerText()).toContain('Fails — reported as a warning on version 1');
      expect(await result.getByTestId('check-now-measured').innerText()).toBe('117');
      expect(await result.getByRole('list', { name: 'Failing values' }).getByRole('listitem').allInnerTexts()).toEqual([
        '10',
        '100',
        '101',
        '102',
        '103',
      ]);
      expect(await result.innerText()).toContain('nothing was published');
      await saveScreenshot(page, 'quality-check-now');
      // The open form and its result: every control named, nothing serious for axe-core.
      expect(await axeViolations(page)).toEqual([]);
      await form.getByRole('button', { name: 'Add rule' }).click();
      await form.waitFor({ state: 'detached' });
      expect(await ruleSays(quality)).toContain('order_id: no value outside 1, 2, 3');
      expect(await node(page, 'orders').getAttribute('data-status')).not.toBe('refused');

      // An SQL rule on the table, typed in the SQL editor and checked now: it passes.
      await quality.getByRole('button', { name: 'Add a rule' }).click();
      form = quality.getByRole('form', { name: 'New quality rule' });
      await form.getByLabel('Where').selectOption({ label: 'Table orders' });
      await form.getByLabel('Kind').selectOption('sql');
      const sql = form.getByRole('textbox', { name: /SQL query of the rule/ });
      await sql.click();
      await page.keyboard.press('Control+a');
      await page.keyboard.type('SELECT count(*) FROM orders WHERE amount_eur > 1000');
      await form.getByLabel('The number').selectOption('mustBe');
      await form.getByLabel('Value', { exact: true }).fill('0');
      await form.getByLabel('Severity').selectOption('warning');
      await form.getByLabel('Description').fill('No order above a thousand euros');
      await form.getByRole('button', { name: 'Run this check now' }).click();
      result = quality.getByRole('region', { name: 'Check result of the new rule' });
      await page.locator('[data-testid="check-now-result"][data-status="passed"]').waitFor({ timeout: 60_000 });
      expect(await result.getByTestId('check-now-measured').innerText()).toBe('0');
      await form.getByRole('button', { name: 'Add rule' }).click();
      await form.waitFor({ state: 'detached' });
      expect(await ruleSays(quality)).toContain('orders: SQL SELECT count(*) FROM orders WHERE amount_eur > 1000 must be 0');

      // Blocking now: Run all refuses orders.
      const invalid = quality.getByTestId('quality-rule').filter({ hasText: 'order_id: no value outside 1, 2, 3' });
      await invalid.getByRole('button', { name: /^Edit rule/ }).click();
      form = quality.getByRole('form', { name: 'Edit quality rule' });
      await form.getByLabel('Severity').selectOption('error');
      await form.getByRole('button', { name: 'Save rule' }).click();
      await form.waitFor({ state: 'detached' });
      expect(await invalid.getAttribute('data-severity')).toBe('error');
      await runAll(page);
      expect(await node(page, 'orders').getAttribute('data-status')).toBe('refused');
      expect(await invalid.getByTestId('quality-last-result').innerText()).toMatch(/^Last run: failed.*measured 117, mustBe 0/);

      // Edited to allow the 117 others: checked now it passes; Run all publishes.
      await invalid.getByRole('button', { name: /^Edit rule/ }).click();
      form = quality.getByRole('form', { name: 'Edit quality rule' });
      await form.getByLabel('The count').selectOption('mustBeLessOrEqualTo');
      await form.getByLabel('Value', { exact: true }).fill('117');
      await form.getByRole('button', { name: 'Save rule' }).click();
      await form.waitFor({ state: 'detached' });
      const fixed = quality.getByTestId('quality-rule').filter({ hasText: 'order_id: values outside 1, 2, 3 must be at most 117' });
      // The refused run judged the rule as it was: its result is not shown for the edited rule.
      expect(await fixed.locator('.quality-last').innerText()).toBe('Not run as it is now: run the product to see.');
      await fixed.getByRole('button', { name: /^Run this check now/ }).click();
      // The last run was refused: the check reads the output it refused, not the older version 1.
      await fixed.locator('[data-testid="check-now-result"][data-status="passed"]').waitFor({ timeout: 60_000 });
      expect(await fixed.getByTestId('check-now-result').innerText()).toContain('Passes on the refused output of tick 0');
      await runAll(page);
      expect(await node(page, 'orders').getAttribute('data-status')).toBe('published');
      expect(await fixed.getByTestId('quality-last-result').innerText()).toMatch(/^Last run: passed.*mustBeLessOrEqualTo 117 — passed/);
      await saveScreenshot(page, 'quality-rules');
      expect(await axeViolations(page)).toEqual([]);

      // Undo and redo the last edit.
      await page.locator('body').press('Control+z');
      await expect.poll(() => ruleSays(quality)).toContain('order_id: no value outside 1, 2, 3');
      await page.locator('body').press('Control+Shift+z');
      await expect.poll(() => ruleSays(quality)).toContain('order_id: values outside 1, 2, 3 must be at most 117');

      // The file: the rules are written, the comment above servers: is still there.
      await inspector.getByRole('group', { name: 'Contract view' }).getByRole('button', { name: 'YAML' }).click();
      const content = inspector.locator('.cm-content').first();
      await content.waitFor();
      // CodeMirror draws only the lines in view: scroll through the file and keep every line seen.
      const yaml = await content.evaluate(async (el) => {
        const scroller = el.closest('.cm-scroller') as HTMLElement;
        const seen: string[] = [];
        for (let top = 0; top <= scroller.scrollHeight; top += 100) {
          scroller.scrollTop = top;
          await new Promise((resolve) => requestAnimationFrame(resolve));
          for (const line of el.querySelectorAll('.cm-line')) seen.push(line.textContent ?? '');
        }
        return seen.join('\n');
      });
      expect(yaml).toContain(
        "    description: 'The data product''s quantum when the mesh runs in Quanta: an in-memory DuckDB, queried as \"orders\".<port>.'",
      );
      expect(yaml).toContain("# Where this port's data lives when the mesh runs in Quanta");
      expect(yaml).toContain('metric: invalidValues');
      expect(yaml).toContain('validValues:');
      expect(yaml).toContain('mustBeLessOrEqualTo: 117');
      expect(yaml).toContain('query: SELECT count(*) FROM orders WHERE amount_eur > 1000');
    });
  }, 300_000);
  it('refuses an SQL rule that reads a host file, and stops one that runs long, in the browser quantum', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await node(page, 'orders').click();
      await runAll(page);
      const inspector = page.getByTestId('inspector');
      await inspector.getByRole('tab', { name: 'Contract' }).click();
      await inspector.getByRole('group', { name: 'Contract view' }).getByRole('button', { name: 'Quality' }).click();
      const quality = inspector.getByTestId('quality-rules');
      await quality.getByRole('button', { name: 'Add a rule' }).click();
      const form = quality.getByRole('form', { name: 'New quality rule' });
      // Escape leaves the form, nothing written; the keyboard opens it again.
      await form.getByLabel('Kind').press('Escape');
      await form.waitFor({ state: 'detached' });
      await quality.getByRole('button', { name: 'Add a rule' }).focus();
      await page.keyboard.press('Enter');
      await form.getByLabel('Where').selectOption({ label: 'Table orders' });
      await form.getByLabel('Kind').selectOption('sql');
      const typeQuery = async (query: string) => {
        await form.getByRole('textbox', { name: /SQL query of the rule/ }).click();
        await page.keyboard.press('Control+a');
        await page.keyboard.type(query);
      };
      const result = page.getByTestId('check-now-result');

      await typeQuery("SELECT count(*) FROM read_text('/etc/hostname')");
      await form.getByRole('button', { name: 'Run this check now' }).click();
      await page.locator('[data-testid="check-now-result"][data-status="error"]').waitFor({ timeout: 60_000 });
      expect(await result.innerText()).toMatch(/The check could not run[\s\S]*QUANTA_E070/);

      await typeQuery('SELECT sum(range) FROM range(100000000000000)');
      await form.getByRole('button', { name: 'Run this check now' }).click();
      await result.getByRole('button', { name: 'Stop' }).click();
      await page.locator('[data-testid="check-now-result"][data-status="stopped"]').waitFor({ timeout: 30_000 });
      expect(await result.innerText()).toContain('Stopped');
      expect(await node(page, 'orders').getAttribute('data-status')).toBe('published');
    });
  }, 180_000);
});
