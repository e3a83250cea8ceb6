import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import nodePath from 'node:path';
import { launchChromium, SCREENSHOT_DIR, withPage } from './browser.ts';

/*
 * The marketplace and the product page (issue 16) on daff in the web build, in Chromium: a
 * column name finds the product that owns it, its page has a URL, lineage leads upstream,
 * feedback left on a product moves it in the ranking, the keyboard does everything, and a
 * reload keeps the page.
 */
const CARD = '[data-testid="market-card"]';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** What is on screen (the views scroll inside the editor, so a full-page shot would show no more). */
async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: nodePath.join(SCREENSHOT_DIR, `${name}.png`) });
}

const cardIds = (page: Page): Promise<string[]> =>
  page.locator(CARD).evaluateAll((cards) => cards.map((c) => c.getAttribute('data-product-id') ?? ''));

async function openMarketplace(page: Page): Promise<void> {
  await page.locator('[data-testid="product-node"]').first().waitFor();
  await page.getByRole('button', { name: 'Marketplace' }).click();
  await page.getByTestId('marketplace').waitFor();
}

describe('the marketplace', () => {
  it(
    'finds a product by a column name, opens its page, follows lineage upstream, and ranks it again after feedback',
    { timeout: 180_000 },
    async () => {
      await withPage(browser, '?sample=daff', async (page) => {
        await openMarketplace(page);
        expect(new URL(page.url()).searchParams.get('view')).toBe('marketplace');
        // Empty query: every product, ranked.
        const all = await cardIds(page);
        expect(all.length).toBe(14);
        await saveScreenshot(page, 'marketplace-all');

        // The search box has focus on open: type a column name.
        const search = page.getByRole('combobox', { name: 'Search data products' });
        expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
        await page.keyboard.type('payout_status');
        await page.locator(`${CARD}[data-rank="1"][data-product-id="artist-royalties"]`).waitFor();
        expect(await page.locator(`${CARD}[data-rank="1"] [data-testid="market-why"]`).innerText()).toContain('payout_status');
        await saveScreenshot(page, 'marketplace-search');

        // Enter opens the top card's page: the URL names the product.
        await page.keyboard.press('Enter');
        const pageView = page.locator('[data-testid="product-page"][data-product-id="artist-royalties"]');
        await pageView.waitFor();
        expect(new URL(page.url()).searchParams.get('product')).toBe('artist-royalties');
        expect(await pageView.locator('[data-testid="page-schema"] [data-column="payout_status"]').count()).toBe(1);
        await saveScreenshot(page, 'product-page-artist-royalties');

        // Lineage upstream: a chip opens the upstream product's page.
        const upstream = pageView.locator('[data-testid="lineage-chip"]').first();
        const upstreamId = await upstream.getAttribute('data-product-id');
        expect(upstreamId).toBeTruthy();
        await upstream.click();
        await page.locator(`[data-testid="product-page"][data-product-id="${upstreamId}"]`).waitFor();
        expect(new URL(page.url()).searchParams.get('product')).toBe(upstreamId);

        // Back (the browser's) returns to the first page; Esc goes to the marketplace with the query kept.
        await page.goBack();
        await pageView.waitFor();
        await page.keyboard.press('Escape');
        await page.getByTestId('marketplace').waitFor();
        expect(await search.inputValue()).toBe('payout_status');

        // Feedback: 5★ from two teams on the lowest-ranked product of the default list lifts it.
        await search.fill('');
        const before = await cardIds(page);
        const lowest = before[before.length - 1] as string;
        await page.locator(`${CARD}[data-product-id="${lowest}"]`).click();
        const lowPage = page.locator(`[data-testid="product-page"][data-product-id="${lowest}"]`);
        await lowPage.waitFor();
        const form = lowPage.getByTestId('feedback-form');
        const entries = await lowPage.getByTestId('feedback-entry').count();
        for (const team of ['Finance', 'Recommendations']) {
          await form.locator('label', { hasText: '5 stars' }).click();
          await form.getByRole('combobox', { name: 'From' }).selectOption({ label: team });
          await form.getByRole('textbox', { name: 'Comment (optional)' }).fill(`Exactly what ${team} needed.`);
          await form.getByRole('button', { name: 'Send feedback' }).click();
          await form.getByTestId('feedback-message').filter({ hasText: 'Thank you' }).waitFor();
        }
        expect(await lowPage.getByTestId('feedback-entry').count()).toBe(entries + 2);
        await saveScreenshot(page, 'product-page-feedback');
        // Feedback is an edit of the mesh: autosave keeps it (a sample's first save makes a copy in this
        // browser, and the URL follows with the page kept), and Undo takes the last entry back.
        await page.locator('[data-testid="save-status"][data-status="saved"]').waitFor({ timeout: 30_000 });
        const saved = new URL(page.url()).searchParams;
        expect(saved.get('mesh')).toBeTruthy();
        expect(saved.get('product')).toBe(lowest);
        const shown = (n: number) =>
          page.waitForFunction(
            ([id, count]) =>
              document.querySelectorAll(`[data-testid="product-page"][data-product-id="${id}"] [data-testid="feedback-entry"]`).length ===
              count,
            [lowest, n] as const,
          );
        await page.getByRole('button', { name: 'Undo' }).click();
        await shown(entries + 1);
        await page.getByRole('button', { name: 'Redo' }).click();
        await shown(entries + 2);
        await lowPage.getByRole('button', { name: '← Marketplace' }).click();
        await page.getByTestId('marketplace').waitFor();
        const after = await cardIds(page);
        expect(after.indexOf(lowest)).toBeLessThan(before.indexOf(lowest));
        await saveScreenshot(page, 'marketplace-after-feedback');
      });
    },
  );

  it(
    'is keyboard navigable: / focuses search, arrows move, Enter opens, Esc goes back; a reload keeps the product page',
    { timeout: 120_000 },
    async () => {
      await withPage(browser, '?sample=daff', async (page) => {
        await page.locator('[data-testid="product-node"]').first().waitFor();
        // The shortcut opens the marketplace.
        await page.locator('body').press('Alt+m');
        await page.getByTestId('marketplace').waitFor();
        const search = page.getByRole('combobox', { name: 'Search data products' });
        // Away from the box, / brings focus back.
        await page.getByRole('heading', { name: 'Marketplace' }).click();
        await page.keyboard.press('/');
        expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowDown');
        const third = page.locator(`${CARD}[data-rank="3"]`);
        expect(await third.getAttribute('aria-selected')).toBe('true');
        const id = (await third.getAttribute('data-product-id')) as string;
        await page.keyboard.press('ArrowUp');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        await page.locator(`[data-testid="product-page"][data-product-id="${id}"]`).waitFor();

        // A reload opens the same page.
        await page.reload();
        await page.locator(`[data-testid="product-page"][data-product-id="${id}"]`).waitFor();
        await page.setViewportSize({ width: 1920, height: 1080 });
        await saveScreenshot(page, 'product-page-1920');
        // Esc: the marketplace; Esc again: the canvas.
        await page.keyboard.press('Escape');
        await page.getByTestId('marketplace').waitFor();
        await saveScreenshot(page, 'marketplace-1920');
        await page.getByRole('heading', { name: 'Marketplace' }).click();
        await page.keyboard.press('Escape');
        await page.locator('[data-testid="product-node"]').first().waitFor();
        expect(new URL(page.url()).searchParams.get('view')).toBeNull();
        // The command palette opens any product's page.
        await page.keyboard.press('Control+k');
        await page.getByRole('combobox', { name: 'Search commands' }).fill('royalties product page');
        await page.keyboard.press('Enter');
        await page.locator('[data-testid="product-page"][data-product-id="artist-royalties"]').waitFor();
      });
    },
  );

  it('shows sample rows masked for a persona after a run from the product page', { timeout: 240_000 }, async () => {
    await withPage(browser, '?sample=daff&product=listener-registrations', async (page) => {
      const view = page.locator('[data-testid="product-page"][data-product-id="listener-registrations"]');
      await view.waitFor();
      await view.getByRole('button', { name: 'Run to see sample rows' }).click();
      const rows = view.getByTestId('sample-rows');
      await rows.waitFor({ timeout: 200_000 });
      await view.getByRole('combobox', { name: 'As persona' }).selectOption('trainee');
      await view.getByTestId('sample-masked').filter({ hasText: 'masked for this persona: ' }).waitFor({ timeout: 60_000 });
      expect(await view.getByTestId('sample-masked').innerText()).toContain('email');
      expect(await view.locator('[data-testid="page-quality"] .rule-passed').count()).toBeGreaterThan(0);
      await saveScreenshot(page, 'product-page-sample-rows');
    });
  });

  it('flags possible duplicates on retail, pointing at the more used product', { timeout: 120_000 }, async () => {
    await withPage(browser, '?sample=retail&view=marketplace', async (page) => {
      const card = page.locator(`${CARD}[data-product-id="store-orders"]`);
      await card.waitFor();
      expect(await card.getByTestId('similar').innerText()).toBe('Possible duplicate of Online orders, which is used more.');
      await saveScreenshot(page, 'marketplace-retail-duplicates');
      await card.click();
      const view = page.locator('[data-testid="product-page"][data-product-id="store-orders"]');
      await view.getByTestId('page-similar').getByRole('button', { name: 'Online orders' }).click();
      await page.locator('[data-testid="product-page"][data-product-id="online-orders"]').waitFor();
    });
  });
});
