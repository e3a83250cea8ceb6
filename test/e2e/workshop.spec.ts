import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSample } from '../helpers.ts';
import { launchChromium, saveScreenshot, withPage } from './browser.ts';

/*
 * The trainer's day in the web build (issue 13), at projector size (1280×720): a drill opened
 * from the start screen in two clicks, its setup breaking the mesh, goals judged live while the
 * room repairs it in the inspector, Reset for the next group — and faults injected by hand.
 */
const PRODUCT = '[data-testid="product-node"]';
const node = (page: Page, id: string) => page.locator(`${PRODUCT}[data-product-id="${id}"]`);
const goals = (page: Page) => page.locator('[data-testid="scenario-goal"]');

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function solutionText(): Promise<string> {
  const { mesh } = await loadSample('daff');
  const action = mesh.scenarios.find((s) => s.id === 'schema-drift')?.steps[0]?.solution.find((a) => a.kind === 'edit');
  if (action?.kind !== 'edit' || action.edit.kind !== 'setText') throw new Error('schema-drift has no transform in its solution');
  return action.edit.text;
}

/** Selects a product with the canvas's search box (Enter selects the first match) and opens an inspector tab. */
async function openTab(page: Page, productId: string, tab: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Find a data product' }).fill(productId);
  await page.keyboard.press('Enter');
  await page.locator(`[data-testid="inspector"][data-product-id="${productId}"]`).waitFor();
  await page.getByRole('tab', { name: tab, exact: true }).click();
}

describe('the workshop (Chromium, 1280×720)', () => {
  it(
    'plays the schema-drift drill from the start screen: setup breaks it, the fix in the inspector meets every goal, Reset puts it back',
    {
      timeout: 600_000,
    },
    async () => {
      const fix = await solutionText();
      await withPage(browser, '', async (page) => {
        await page.setViewportSize({ width: 1280, height: 720 });
        // Click 1: the drill's card on the start screen.
        await page.locator('[data-testid="scenario-card"][data-scenario="schema-drift"]').click();
        const panel = page.locator('[data-testid="scenario-panel"]');
        await panel.getByRole('heading', { name: 'Schema drift in play events' }).waitFor();
        // Click 2: Start. The setup runs the mesh, injects the rename and runs it again.
        await panel.getByRole('button', { name: 'Start scenario' }).click();
        await expect.poll(() => goals(page).count(), { timeout: 150_000 }).toBe(4);
        expect(await goals(page).first().getAttribute('data-holds')).toBe('false');
        expect(await node(page, 'play-events').getAttribute('data-status')).toBe('failed');
        expect(await node(page, 'artist-royalties').getAttribute('data-status')).toBe('stale');
        expect(await node(page, 'play-events').locator('[data-testid="fault-badge"]').innerText()).toContain('1');
        await saveScreenshot(page, 'workshop-schema-drift-broken-1280x720');

        // The consumer still serves its last good data.
        await openTab(page, 'artist-royalties', 'Data');
        expect(Number(await page.locator('[data-testid="data-preview"]').getAttribute('data-row-count'))).toBeGreaterThan(0);
        // The fault is listed where it can be removed.
        await openTab(page, 'play-events', 'Faults');
        expect(await page.locator('[data-testid="active-fault"]').getAttribute('data-kind')).toBe('renameColumn');

        // The fix, in the Transform tab: read song_id, publish track_id.
        await page.getByRole('tab', { name: 'Transform', exact: true }).click();
        const editor = page.locator('[data-testid="code-editor"] .cm-content').first();
        await editor.click();
        await page.keyboard.press('Control+A');
        await page.keyboard.insertText(fix);
        await expect.poll(() => editor.innerText(), { timeout: 10_000 }).toContain('e.song_id END AS track_id');
        // The editor hands its text to the mesh after a pause: the card says when the edit is in.
        await expect.poll(() => node(page, 'play-events').getAttribute('data-changed'), { timeout: 10_000 }).toBe('true');
        await page.getByRole('button', { name: 'Run all', exact: true }).click();
        await panel.getByText(/Scenario complete in \d+:\d\d/).waitFor({ timeout: 240_000 });
        expect(await node(page, 'artist-royalties').getAttribute('data-status')).toBe('published');
        await saveScreenshot(page, 'workshop-schema-drift-solved-1280x720');

        // Reset, confirmed: the transform is back as it was, and nothing has run.
        await panel.getByRole('button', { name: 'Reset scenario' }).click();
        await panel.getByRole('button', { name: 'Reset', exact: true }).click();
        await panel.getByRole('button', { name: 'Start scenario' }).waitFor();
        await expect.poll(() => node(page, 'play-events').getAttribute('data-status')).toBe('idle');
        expect(await node(page, 'play-events').locator('[data-testid="fault-badge"]').count()).toBe(0);
        await openTab(page, 'play-events', 'Transform');
        const text = await page.locator('[data-testid="code-editor"] .cm-content').first().innerText();
        expect(text).toContain('e.track_id');
        expect(text).not.toContain('song_id');
      });
    },
  );

  it('injects a fault from the Faults tab, badges the card, and removes it again', { timeout: 180_000 }, async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await page.setViewportSize({ width: 1280, height: 720 });
      await node(page, 'orders').waitFor();
      await openTab(page, 'orders', 'Faults');
      const form = page.getByRole('form', { name: 'Inject a fault into Orders' });
      await form.getByLabel('Fault').selectOption('dropColumn');
      await form.getByLabel('Column').fill('amount_eur');
      await form.getByRole('button', { name: 'Inject fault' }).click();
      await node(page, 'orders').locator('[data-testid="fault-badge"]').waitFor();
      expect(await page.locator('[data-testid="active-fault"]').innerText()).toContain('orders reads orders_csv without column amount_eur');

      await page.getByRole('button', { name: 'Run all', exact: true }).click();
      await expect.poll(() => node(page, 'orders').getAttribute('data-status'), { timeout: 60_000 }).toBe('failed');
      expect(await node(page, 'daily-revenue').getAttribute('data-status')).toBe('stale');

      await page.locator('[data-testid="active-fault"]').getByRole('button', { name: 'Remove' }).click();
      await expect.poll(() => node(page, 'orders').locator('[data-testid="fault-badge"]').count()).toBe(0);
      await page.getByRole('button', { name: 'Run all', exact: true }).click();
      await expect.poll(() => node(page, 'orders').getAttribute('data-status'), { timeout: 60_000 }).toBe('published');
    });
  });

  it(
    'runs on a static host that serves the wasm with the wrong type: the app compiles the bytes itself',
    { timeout: 120_000 },
    async () => {
      await withPage(browser, '?sample=hello-mesh', async (page) => {
        await page.route('**/*.wasm', async (route) => {
          const response = await route.fetch();
          await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
        });
        await node(page, 'orders').waitFor();
        await page.getByRole('button', { name: 'Run all', exact: true }).click();
        await expect.poll(() => node(page, 'daily-revenue').getAttribute('data-status'), { timeout: 60_000 }).toBe('published');
      });
    },
  );
});
