import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, waitSaved } from './editorActions.ts';
import { launchChromium, saveScreenshot, withPage } from './browser.ts';

/*
 * Contract tab → SLA & access in Chromium on daff: a freshness SLA, a role and the port's
 * visibility edited through the forms; making listener-profiles private, which two products
 * of other domains read, is flagged by the governance panel; undo and redo; the edits survive
 * a reload, and the YAML views show them with the files' comments intact.
 */
const PRODUCT = '[data-testid="product-node"]';
const PROFILES = `${PRODUCT}[data-product-id="listener-profiles"]`;
const CROSS_DOMAIN = 'quanta.no-cross-domain-private-ports';
const FRESHNESS = 'quanta.freshness-sla-declared';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const policy = (page: Page, id: string, violations: number) =>
  page.locator(`[data-testid="policy-result"][data-policy-id="${id}"][data-violations="${violations}"]`);

/** The governance panel and the inspector share the right column: the toolbar's Governance button toggles between them. */
async function showGovernance(page: Page, shown: boolean): Promise<void> {
  const button = page.getByRole('button', { name: 'Governance', exact: true });
  if ((await button.getAttribute('aria-pressed')) !== String(shown)) await button.click();
  await page.getByTestId(shown ? 'governance-panel' : 'inspector').waitFor();
}

/** The inspector of listener-profiles (selected before), Contract tab, SLA & access view. */
async function openTerms(page: Page): Promise<Locator> {
  await showGovernance(page, false);
  const inspector = page.getByTestId('inspector');
  await inspector.getByRole('tab', { name: 'Contract' }).click();
  await inspector.getByRole('button', { name: 'SLA & access' }).click();
  await inspector.getByTestId('contract-terms').waitFor();
  return inspector;
}

/** The text of the CodeMirror editor in view: its first lines, then (after Ctrl+End) its last ones. */
async function yamlEnds(page: Page, inspector: Locator): Promise<{ head: string; tail: string }> {
  const content = inspector.locator('.cm-content').first();
  await content.waitFor();
  const head = await content.innerText();
  await content.click();
  await page.keyboard.press('Control+End');
  await page.waitForTimeout(300);
  return { head, tail: await content.innerText() };
}

describe('the SLA & access view of the Contract tab', () => {
  it('edits a freshness SLA, a role and the port visibility; governance flags the private port; undo, reload and YAML keep them', async () => {
    await withPage(browser, '?sample=daff', async (page) => {
      await page.locator(PROFILES).click();
      await showGovernance(page, true);
      await policy(page, CROSS_DOMAIN, 0).waitFor({ timeout: 90_000 });
      await policy(page, FRESHNESS, 0).waitFor({ timeout: 30_000 });
      const inspector = await openTerms(page);

      // Freshness: the old promise removed, a new one added (12 h on updated_at).
      const slas = inspector.getByTestId('sla-row');
      expect(await slas.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-property')))).toEqual([
        'latency',
        'frequency',
        'retention',
      ]);
      await inspector.getByRole('button', { name: 'Remove latency' }).click();
      await expect.poll(() => slas.count()).toBe(2);
      await inspector.getByRole('button', { name: 'Add SLA property' }).click();
      const latency = inspector.locator('[data-testid="sla-row"][data-property="latency"]');
      await latency.waitFor();
      await latency.getByRole('textbox', { name: 'Value of latency' }).fill('12');
      await latency.getByRole('combobox', { name: 'Unit of latency' }).selectOption('h');
      await latency.getByRole('combobox', { name: 'Element of latency' }).selectOption('listener_profiles.updated_at');
      expect(await latency.innerText()).toContain('Freshness');
      // A value that is no duration is refused with the reason, and the file keeps 12.
      const value = latency.getByRole('textbox', { name: 'Value of latency' });
      await value.fill('soon');
      expect(await inspector.getByRole('alert').first().innerText()).toMatch(/latency takes a number/);
      await value.fill('12');
      await value.blur();

      // A role: named after a purpose no role names yet (royalties), held by the finance analyst.
      await inspector.getByRole('button', { name: 'Add role' }).click();
      const role = inspector.locator('[data-testid="role-row"][data-role="royalties"]');
      await role.waitFor();
      expect(await role.getByTestId('role-holders').innerText()).toBe('Finance analyst');
      await role.getByRole('textbox', { name: 'Description of royalties' }).fill('Finance sees who listened, for payouts.');

      // Visibility: private cuts off two consumers of other domains, which the policy flags.
      const visibility = inspector.getByTestId('port-visibility');
      expect(await visibility.getAttribute('data-visibility')).toBe('public');
      expect(await visibility.getByTestId('visibility-cut-off').innerText()).toBe(
        'Read from other domains by podcast-listeners (podcasts), listener-music-profiles (recommendations). ' +
          'Domain or private would cut them off: quanta.no-cross-domain-private-ports flags each read (blocking).',
      );
      expect(await visibility.locator('[data-visibility="private"]').innerText()).toMatch(/Cuts off its 2 consumers of other domains/);
      await visibility.getByRole('radio', { name: /^private/ }).check();
      await expect.poll(() => visibility.getAttribute('data-visibility')).toBe('private');
      expect(await visibility.getByTestId('visibility-violation').innerText()).toMatch(/podcast-listeners \(podcasts\)/);
      await saveScreenshot(page, 'terms-form-private-port');
      // Every control of the three forms is named; nothing serious for axe-core.
      expect(await axeViolations(page)).toEqual([]);

      // The governance panel: the private port read from two other domains; a freshness promise again.
      await showGovernance(page, true);
      await policy(page, CROSS_DOMAIN, 2).waitFor({ timeout: 30_000 });
      await policy(page, FRESHNESS, 0).waitFor({ timeout: 30_000 });
      expect(await page.locator(`[data-testid="policy-result"][data-policy-id="${CROSS_DOMAIN}"]`).innerText()).toMatch(
        /reads private port listener-profiles\.listener_profiles of domain listeners from domain podcasts/,
      );
      await page.locator(`${PRODUCT}[data-product-id="podcast-listeners"] .problem-badge`).waitFor();

      // Undo takes back the visibility alone (one step); redo makes it private again.
      await page.getByRole('button', { name: 'Undo', exact: true }).click();
      await policy(page, CROSS_DOMAIN, 0).waitFor({ timeout: 30_000 });
      const terms = await openTerms(page);
      expect(await terms.getByTestId('port-visibility').getAttribute('data-visibility')).toBe('public');
      expect(await terms.locator('[data-testid="role-row"][data-role="royalties"]').count()).toBe(1);
      await page.getByRole('button', { name: 'Redo', exact: true }).click();
      await expect.poll(() => terms.getByTestId('port-visibility').getAttribute('data-visibility')).toBe('private');
      await showGovernance(page, true);
      await policy(page, CROSS_DOMAIN, 2).waitFor({ timeout: 30_000 });

      // After a reload the mesh is the edited one.
      await waitSaved(page);
      await page.reload();
      await page.locator(PROFILES).click();
      const again = await openTerms(page);
      const reloaded = again.locator('[data-testid="sla-row"][data-property="latency"]');
      expect(await reloaded.getByRole('textbox', { name: 'Value of latency' }).inputValue()).toBe('12');
      expect(await reloaded.getByRole('combobox', { name: 'Unit of latency' }).inputValue()).toBe('h');
      expect(await again.locator('[data-testid="role-row"][data-role="royalties"]').count()).toBe(1);
      expect(await again.getByTestId('port-visibility').getAttribute('data-visibility')).toBe('private');
      await saveScreenshot(page, 'terms-form');

      // The YAML views: the new entries, and the comments the files had.
      await again.getByRole('button', { name: 'YAML' }).click();
      const contract = await yamlEnds(page, again);
      expect(contract.head).toContain("# Where this port's data lives when the mesh runs in Quanta");
      expect(contract.tail).toMatch(/- property: latency\s+value: 12\s+unit: h\s+element: listener_profiles\.updated_at/);
      expect(contract.tail).toMatch(/- role: royalties\s+access: read\s+description: Finance sees who listened, for payouts\./);
      await again.getByRole('tab', { name: 'Product' }).click();
      await again.getByRole('button', { name: 'YAML' }).click();
      const product = await yamlEnds(page, again);
      expect(product.head).toContain('# An aggregate product: who each listener is today');
      expect(product.tail).toMatch(/customProperties:\s+- property: visibility\s+value: private/);

      // Once the product has run, its freshness is measured against the 12 h promise.
      const terms2 = await openTerms(page);
      const measured = terms2.locator('[data-testid="sla-row"][data-property="latency"]');
      expect(await measured.innerText()).toContain('run the product to measure its freshness');
      await page.getByRole('button', { name: 'Run all', exact: true }).click();
      await page.getByRole('button', { name: 'Run all', exact: true }).waitFor({ timeout: 120_000 });
      const verdict = measured.getByTestId('sla-measured');
      await verdict.waitFor({ timeout: 30_000 });
      expect(await verdict.getAttribute('data-met')).toBe('true');
      expect(await verdict.innerText()).toMatch(/^Measured: met — version 1 is \S+ old now, the promise is 12h\.$/);
      await saveScreenshot(page, 'terms-form-measured');
    });
  }, 300_000);
});
