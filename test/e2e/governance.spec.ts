import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, saveScreenshot, withPage } from './browser.ts';

/*
 * The governance column of the editor in the web build, in Chromium: policies evaluated on a
 * catalog quantum (DuckDB-WASM in a Web Worker) after every edit and every run, the report
 * and the scorecard, violation badges on the canvas, a policy edited with its SQL error marked
 * inline, and the SQL console run as a persona with masking and an audit log.
 */
const PRODUCT = '[data-testid="product-node"]';
const POLICY = 'personal-data-classified';
const POLICY_FILE = `policies/${POLICY}.policy.yaml`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const result = (page: Page) => page.locator(`[data-testid="policy-result"][data-policy-id="${POLICY}"]`);

async function attribute(page: Page, selector: string, name: string): Promise<string | null> {
  return page.locator(selector).first().getAttribute(name);
}

describe('the governance panel', () => {
  it('evaluates policies on every edit and run, badges violating products, marks policy SQL errors and queries as a persona', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await page.locator(PRODUCT).first().waitFor();
      await page.getByRole('button', { name: 'Governance', exact: true }).click();
      const panel = page.getByTestId('governance-panel');
      await panel.waitFor();

      // hello-mesh passes its one policy: score 100, no badge on any product.
      await page.locator('[data-testid="governance-score"][data-score="100"]').waitFor({ timeout: 60_000 });
      expect(await result(page).getAttribute('data-status')).toBe('passed');
      expect(await result(page).getAttribute('data-violations')).toBe('0');
      expect(await page.locator(`${PRODUCT} .problem-badge`).count()).toBe(0);

      // A typo in the policy's SQL: the policy reports an error, marked inline in the policy editor.
      await page.getByRole('tab', { name: 'Policies' }).click();
      const editor = page.locator(`[data-testid="code-editor"][data-file="${POLICY_FILE}"] .cm-content`);
      await editor.click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Backspace'); // to the end of the WHERE line of check.sql
      const typo = ' AND nonexistent_col = 1';
      await page.keyboard.type(typo);
      await page.locator('.gov-policy-editor .cm-lintRange-error').first().waitFor({ timeout: 30_000 });
      expect(await page.locator('.gov-policy-editor').innerText()).toContain('nonexistent_col');
      await page.getByRole('tab', { name: 'Governance', exact: true }).click();
      await page.locator(`[data-testid="policy-result"][data-policy-id="${POLICY}"][data-status="error"]`).waitFor({ timeout: 30_000 });
      expect(await result(page).innerText()).toMatch(new RegExp(`${POLICY_FILE.replace(/[.]/g, '\\.')}:\\d+:\\d+ policy ${POLICY}:`));

      // Fixed, then widened to catch order_id: one violation, on orders, badged on the canvas.
      await page.getByRole('tab', { name: 'Policies' }).click();
      await editor.click();
      await page.keyboard.press('Control+End'); // the file ends with the typo now (its final newline went above)
      for (let i = 0; i < typo.length; i++) await page.keyboard.press('Backspace');
      await page.keyboard.type(" OR column_name = 'order_id'");
      await page.getByRole('tab', { name: 'Governance', exact: true }).click();
      await page.locator(`[data-testid="policy-result"][data-policy-id="${POLICY}"][data-violations="1"]`).waitFor({ timeout: 30_000 });
      const score = Number(await attribute(page, '[data-testid="governance-score"]', 'data-score'));
      expect(score).toBeLessThan(100);
      await page.locator(`${PRODUCT}[data-product-id="orders"] .problem-badge`).waitFor();
      expect(await page.locator(`${PRODUCT}[data-product-id="orders"] .problem-badge`).innerText()).toContain('1');
      expect(await page.locator(`${PRODUCT}[data-product-id="daily-revenue"] .problem-badge`).count()).toBe(0);
      const violation = result(page).getByTestId('violation');
      expect(await violation.innerText()).toMatch(/orders[\s\S]*not classified[\s\S]*domains\/sales\/orders\/orders\.odcs\.yaml:\d+/);

      // Clicking the violation selects the product: its usability scorecard on eight characteristics.
      await violation.getByRole('button').click();
      await page.locator('[data-testid="scorecard"][data-product-id="orders"]').waitFor();
      expect(await page.locator('[data-testid="scorecard"] [data-characteristic]').count()).toBe(8);
      await page.getByRole('tab', { name: 'By domain' }).click();
      expect(await attribute(page, '[data-testid="domain-result"][data-domain-id="sales"]', 'data-violations')).toBe('1');
      expect(await attribute(page, '[data-testid="domain-result"][data-domain-id="finance"]', 'data-violations')).toBe('0');
      await saveScreenshot(page, 'governance-panel');

      // The SQL console needs published data; after Run all, the newcomer reads orders with e-mails masked.
      await page.getByRole('tab', { name: 'SQL console' }).click();
      await page.getByTestId('sql-needs-run').waitFor();
      expect(await page.getByRole('button', { name: 'Run query' }).isDisabled()).toBe(true);
      const runAll = async () => {
        await page.getByRole('button', { name: 'Run all', exact: true }).click();
        await page.getByRole('button', { name: /^Running / }).waitFor();
        await page.getByRole('button', { name: 'Run all', exact: true }).waitFor({ timeout: 120_000 });
      };
      const status = (id: string) => page.locator(`${PRODUCT}[data-product-id="${id}"]`).getAttribute('data-status');
      // The blocking violation refuses orders' publish, as a failed contract rule would; its consumer runs on nothing new.
      await runAll();
      expect(await status('orders')).toBe('refused');
      expect(await page.getByTestId('run-log-entry').filter({ hasText: 'orders refused' }).count()).toBe(1);
      // Undo the policy edits until the policy is as it was: it passes again, and orders publishes.
      const original = page.locator(`[data-testid="policy-result"][data-policy-id="${POLICY}"][data-status="passed"]`);
      for (let undo = 0; undo < 6 && !(await page.getByRole('button', { name: 'Undo' }).isDisabled()); undo++) {
        await page.getByRole('button', { name: 'Undo' }).click();
      }
      await page.getByRole('tab', { name: 'Governance', exact: true }).click();
      await original.waitFor({ timeout: 30_000 });
      await page.getByRole('tab', { name: 'SQL console' }).click();
      await runAll();
      expect(await status('orders')).toBe('published');
      await page.getByTestId('sql-needs-run').waitFor({ state: 'detached' });
      await page.getByRole('combobox', { name: 'Persona' }).selectOption('newcomer');
      await page
        .getByRole('textbox', { name: 'SQL query' })
        .fill('SELECT order_id, customer_email FROM "orders".orders ORDER BY order_id LIMIT 3');
      await page.getByRole('button', { name: 'Run query' }).click();
      await page.getByTestId('sql-result').waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('sql-result').getAttribute('data-row-count')).toBe('3');
      const table = await page.getByTestId('sql-result').innerText();
      expect(table).toContain('***');
      expect(table).not.toContain('@');
      const entry = page.getByTestId('audit-entry').first();
      expect(await entry.getAttribute('data-decision')).toBe('allowed');
      expect(await entry.innerText()).toMatch(/newcomer read "orders"\.orders v1[\s\S]*masked: customer_email/);

      // A query naming no port it may read fails in plain words, and the panel stays usable.
      await page.getByRole('textbox', { name: 'SQL query' }).fill('SELECT * FROM nowhere');
      await page.getByRole('button', { name: 'Run query' }).click();
      await page.getByTestId('sql-error').waitFor();
      expect(await page.getByTestId('sql-error').innerText()).toMatch(/^error: .*nowhere/i);
      await saveScreenshot(page, 'governance-sql-console');
    });
  }, 300_000);

  it('shows a what-if draft against its baseline: score before and after, new violations, badges of the draft', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await page.locator(PRODUCT).first().waitFor();
      await page.getByRole('button', { name: 'Governance', exact: true }).click();
      await page.locator('[data-testid="governance-score"][data-score="100"]').waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'What if…' }).click();
      await page.getByTestId('draft-bar').waitFor();

      await page.getByRole('tab', { name: 'Policies' }).click();
      await page.locator(`[data-testid="code-editor"][data-file="${POLICY_FILE}"] .cm-content`).click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Backspace');
      await page.keyboard.type(" OR column_name = 'order_id'");
      await page.getByRole('tab', { name: 'Governance', exact: true }).click();
      const change = page.locator('[data-testid="governance-change"][data-score-before="100"][data-added="1"][data-resolved="0"]');
      await change.waitFor({ timeout: 30_000 });
      expect(await change.innerText()).toMatch(/^Draft: score 100 → \d+; 1 new violation, 0 resolved\.$/);
      expect(await result(page).getAttribute('data-violations-before')).toBe('0');
      expect(await result(page).getAttribute('data-violations')).toBe('1');
      await page.locator(`${PRODUCT}[data-product-id="orders"] .problem-badge`).waitFor();

      // Discarded: back to the saved mesh, nothing to compare, no badge.
      await page.getByRole('button', { name: 'Discard draft' }).click();
      await page.getByTestId('governance-change').waitFor({ state: 'detached' });
      await page.locator('[data-testid="governance-score"][data-score="100"]').waitFor({ timeout: 30_000 });
      await page.locator(`${PRODUCT} .problem-badge`).waitFor({ state: 'detached' });
    });
  }, 300_000);

  it('refuses a persona a port it has no grant for, in plain words, and audits the refusal', async () => {
    await withPage(browser, '?sample=daff', async (page) => {
      await page.locator(PRODUCT).first().waitFor();
      await page.getByRole('button', { name: 'Governance', exact: true }).click();
      await page.getByRole('tab', { name: 'SQL console' }).click();
      await page.getByRole('button', { name: 'Run all', exact: true }).click();
      await page.getByTestId('sql-needs-run').waitFor({ state: 'detached', timeout: 120_000 });
      await page.getByRole('combobox', { name: 'Persona' }).selectOption('data-scientist');
      await page.getByRole('textbox', { name: 'SQL query' }).fill('SELECT * FROM "artist-royalties".artist_royalties LIMIT 1');
      await page.getByRole('button', { name: 'Run query' }).click();
      await page.getByTestId('sql-error').waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('sql-error').innerText()).toMatch(
        /^denied: data-scientist may not read "artist-royalties"\.artist_royalties: .*ask Head of Finance/,
      );
      expect(await page.getByTestId('sql-result').count()).toBe(0);
      const entry = page.getByTestId('audit-entry').first();
      expect(await entry.getAttribute('data-decision')).toBe('denied');
      expect(await entry.innerText()).toContain('data-scientist was refused "artist-royalties".artist_royalties');
    });
  }, 300_000);
});
