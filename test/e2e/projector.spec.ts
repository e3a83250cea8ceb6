import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSample } from '../helpers.ts';
import { launchChromium, saveScreenshot, withPage } from './browser.ts';

/*
 * The canvas on a projector (issue 13 item 5), in Chromium at a projector's 1280×720 and at
 * 1920×1080: the mesh fitted on open with nothing cut off, product names legible zoomed out,
 * presentation mode, the run log collapsed and newest first. The screenshots are the ones to
 * look at: test-results/screenshots/projector-*.png.
 */
const PRODUCT = '[data-testid="product-node"]';
const DOMAIN = '[data-testid="domain-node"]';
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

interface NameOnScreen {
  readonly id: string;
  readonly name: string;
  /** Rendered size: the computed font size times the canvas's zoom. */
  readonly screenPx: number;
  /** Inside the canvas's pane, and not clipped by its own box. */
  readonly inside: boolean;
  readonly clipped: boolean;
}

/** Opens `sample` at `size` and waits until the canvas has fitted it (its zoom step has settled). */
async function openFitted(page: Page, size: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(size);
  await page.locator(PRODUCT).first().waitFor({ timeout: 60_000 });
  await settled(page);
}

/** The viewport's transform stops changing: the fit after the last resize is applied. */
async function settled(page: Page): Promise<void> {
  let last = '';
  for (let i = 0; i < 40; i++) {
    const now = await page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
    if (now === last && now !== '') return;
    last = now;
    await page.waitForTimeout(150);
  }
  throw new Error(`the canvas never settled (${last})`);
}

async function namesOnScreen(page: Page): Promise<NameOnScreen[]> {
  return page.evaluate((selector) => {
    const transform = (document.querySelector('.react-flow__viewport') as HTMLElement).style.transform;
    const zoom = Number(/scale\(([\d.]+)\)/.exec(transform)?.[1] ?? 'NaN');
    const pane = (document.querySelector('.react-flow') as HTMLElement).getBoundingClientRect();
    return [...document.querySelectorAll<HTMLElement>(selector)].map((card) => {
      const name = card.querySelector<HTMLElement>('.product-card-name') as HTMLElement;
      const box = name.getBoundingClientRect();
      return {
        id: card.dataset.productId ?? '',
        name: name.textContent ?? '',
        screenPx: parseFloat(getComputedStyle(name).fontSize) * zoom,
        inside: box.left >= pane.left && box.top >= pane.top && box.right <= pane.right && box.bottom <= pane.bottom,
        clipped: name.scrollWidth > name.clientWidth + 1 || name.scrollHeight > name.clientHeight + 1,
      };
    });
  }, PRODUCT);
}

/** Every card and domain box lies wholly inside the canvas's pane. */
async function cutOff(page: Page): Promise<string[]> {
  return page.evaluate(
    ([product, domain]) => {
      const pane = (document.querySelector('.react-flow') as HTMLElement).getBoundingClientRect();
      return [...document.querySelectorAll<HTMLElement>(`${product}, ${domain}`)]
        .filter((el) => {
          const box = el.getBoundingClientRect();
          return box.left < pane.left || box.top < pane.top || box.right > pane.right || box.bottom > pane.bottom;
        })
        .map((el) => el.dataset.productId ?? `domain ${el.dataset.domainId ?? ''}`);
    },
    [PRODUCT, DOMAIN] as const,
  );
}

describe('the canvas on a projector (web build in Chromium)', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const sample of ['daff', 'retail', 'hello-mesh']) {
    for (const size of SIZES) {
      it(`opens ${sample} at ${size.width}×${size.height} fitted: nothing cut off, every product name inside the canvas, whole and at least 12 px`, async () => {
        const { mesh } = await loadSample(sample);
        await withPage(browser, `?sample=${sample}`, async (page) => {
          await openFitted(page, size);
          expect(await cutOff(page)).toEqual([]);
          const names = await namesOnScreen(page);
          expect(names.map((n) => n.id).sort()).toEqual(mesh.products.map((p) => p.id).sort());
          for (const name of names) {
            expect(name.inside, `${name.name} is inside the canvas`).toBe(true);
            expect(name.clipped, `${name.name} is shown whole`).toBe(false);
            expect(name.screenPx, `${name.name} is legible`).toBeGreaterThanOrEqual(12);
          }
          if (sample === 'daff') {
            // Zoomed out: the summary, and no edge label too small to read.
            expect(await page.locator('.mesh-canvas-summary').count()).toBe(1);
            expect(await page.locator('.react-flow__edge-text').count()).toBe(0);
            await saveScreenshot(page, `projector-daff-${size.width}x${size.height}`);
          }
        });
      }, 90_000);
    }
  }

  it('presents daff: Present hides the inspector and the edit buttons and keeps the runs; Shift+P restores the editor as it was', async () => {
    await withPage(browser, '?sample=daff', async (page) => {
      await openFitted(page, SIZES[0]);
      await page.locator(`${PRODUCT}[data-product-id="artist-royalties"]`).click();
      const inspector = page.getByRole('complementary', { name: 'Inspector: Artist royalties' });
      await inspector.waitFor();
      const zoomBefore = await page.locator('.mesh-canvas').getAttribute('data-zoom-step');

      await page.getByRole('button', { name: 'Present' }).click();
      await inspector.waitFor({ state: 'detached' });
      expect(await page.getByRole('complementary').count()).toBe(0);
      expect(await page.getByRole('group', { name: 'Edit' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Undo' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Run all', exact: true }).isEnabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Stop presenting' }).getAttribute('aria-pressed')).toBe('true');
      // The canvas takes the inspector's room and fits again, bigger; names in the bigger presentation type.
      await settled(page);
      expect(Number(await page.locator('.mesh-canvas').getAttribute('data-zoom-step'))).toBeGreaterThan(Number(zoomBefore));
      expect(await cutOff(page)).toEqual([]);
      for (const name of await namesOnScreen(page)) {
        expect(name.clipped, `${name.name} is shown whole`).toBe(false);
        expect(name.screenPx, `${name.name} is legible`).toBeGreaterThanOrEqual(13);
      }
      await saveScreenshot(page, 'projector-daff-presenting-1280x720');

      await page.locator('h1').click();
      await page.keyboard.press('Shift+P');
      await inspector.waitFor();
      expect(await page.getByRole('button', { name: 'Undo' }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Present' }).getAttribute('aria-pressed')).toBe('false');
    });
  }, 120_000);

  it("shows a product's problems as a count on its card, not as text that grows it, and lists them beside the canvas", async () => {
    await withPage(browser, '?sample=daff', async (page) => {
      await openFitted(page, SIZES[0]);
      const card = page.locator(`${PRODUCT}[data-product-id="podcast-listeners"]`);
      const before = await card.boundingBox();
      // daff leaves a warning on purpose: its podcast products declare no retention.
      const badge = card.locator('.problem-badge');
      await badge.waitFor({ timeout: 60_000 });
      expect(await badge.innerText()).toMatch(/^⚠ \d+$/);
      expect(await card.boundingBox()).toEqual(before);

      await badge.click();
      const group = page.locator('[data-testid="problem-group"][data-product-id="podcast-listeners"]');
      await group.waitFor();
      expect(await group.getAttribute('class')).toMatch(/problem-group-focused/);
      expect(await group.locator('.problem-items-policy li').first().innerText()).toMatch(/retention[\s\S]*product\.odps\.yaml:\d+$/);
      const toggle = page.locator('.canvas-problems-toggle');
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      await saveScreenshot(page, 'projector-daff-problems-1280x720');

      // A name in the list selects its product and brings it into view.
      await page.locator('[data-testid="problem-group"][data-product-id="top-daily-podcasts"] .problem-group-title button').click();
      await page.getByRole('complementary', { name: 'Inspector: Top daily podcasts' }).waitFor();
      expect(await page.locator('.react-flow__node[data-id="top-daily-podcasts"]').getAttribute('class')).toMatch(/\bselected\b/);
      await toggle.click();
      expect(await page.getByTestId('canvas-problems').count()).toBe(0);

      // The view moved for it: no longer the fitted one, so the mini map shows where it is; Fit View fits again.
      const canvas = page.locator('.mesh-canvas');
      expect(await canvas.getAttribute('data-following')).toBe('false');
      await page.getByRole('img', { name: 'Overview map of the mesh' }).waitFor();
      await page.getByRole('button', { name: 'Fit View' }).click();
      await page.locator('.mesh-canvas[data-following="true"]').waitFor();
      await settled(page);
      expect(await cutOff(page)).toEqual([]);
      expect(await page.getByRole('img', { name: 'Overview map of the mesh' }).count()).toBe(0);
    });
  }, 120_000);

  it('lists the run log newest first, collapses it to its latest line, and remembers it collapsed after a reload', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await openFitted(page, SIZES[0]);
      const runAll = page.getByRole('button', { name: 'Run all', exact: true });
      await runAll.click();
      await page.getByRole('button', { name: /^Running \d+\/\d+…$/ }).waitFor();
      await runAll.waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Tick ×1' }).click();
      await page.locator('[data-testid="run-log-entry"] .run-log-tick', { hasText: 't1' }).first().waitFor({ timeout: 60_000 });
      await runAll.waitFor({ timeout: 60_000 });
      const ticks = await page.locator('[data-testid="run-log-entry"] .run-log-tick').allInnerTexts();
      expect(ticks[0]).toBe('t1');
      expect(ticks.at(-1)).toBe('t0');
      expect([...ticks].sort().reverse()).toEqual(ticks);
      const newest = await page.getByTestId('run-log-entry').first().innerText();

      const hide = page.getByRole('button', { name: 'Hide run log' });
      expect(await hide.getAttribute('aria-expanded')).toBe('true');
      await hide.focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('run-log-entry').first().waitFor({ state: 'detached' });
      expect(await page.getByRole('button', { name: 'Show run log' }).getAttribute('aria-expanded')).toBe('false');
      expect(newest).toContain(await page.locator('.run-log-latest').innerText());

      await page.reload();
      await page.locator(PRODUCT).first().waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Show run log' }).waitFor();
      await page.getByRole('button', { name: 'Show run log' }).click();
      await page.getByRole('button', { name: 'Hide run log' }).waitFor();
    });
  }, 180_000);
});
