import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSample, sampleNames } from '../helpers.ts';
import { launchChromium, saveScreenshot, withPage } from './browser.ts';
import { domainFolders, productFolders } from './meshFolders.ts';

const CARD = '[data-testid="sample-card"]';

/** Waits until every sample card has finished loading, then reports each as `folder: status`. */
async function sampleStatuses(page: Page): Promise<string[]> {
  await page.waitForFunction(
    (card) => document.querySelectorAll(card).length > 0 && document.querySelectorAll(`${card}[data-status="loading"]`).length === 0,
    CARD,
  );
  return page.$$eval(CARD, (cards) =>
    cards.map((card) => {
      const { sample, status } = (card as HTMLElement).dataset;
      // The card's text says why a sample is invalid; keep it in the failure message.
      return status === 'valid' ? `${sample}: valid` : `${sample}: ${status} (${(card as HTMLElement).innerText.replace(/\s+/g, ' ')})`;
    }),
  );
}

async function expectOverviewOf(page: Page, sample: string): Promise<void> {
  await page.locator('[data-testid="domain-node"]').first().waitFor();
  expect(await page.locator('[data-testid="domain-node"]').count()).toBe((await domainFolders(sample)).length);
  expect(await page.locator('[data-testid="product-node"]').count()).toBe((await productFolders(sample)).length);
}

describe('start screen (web build in Chromium)', () => {
  let browser: Browser;
  let samples: string[];

  beforeAll(async () => {
    browser = await launchChromium();
    samples = await sampleNames();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lists every folder of sample-meshes/ as a valid sample', async () => {
    expect(samples.length).toBeGreaterThan(0);
    await withPage(browser, '', async (page) => {
      expect(await page.title()).toBe('Quanta');
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Quanta');
      expect(await sampleStatuses(page)).toEqual(samples.map((sample) => `${sample}: valid`));
      await saveScreenshot(page, 'start-screen');
    });
  });

  it('opens hello-mesh on click and shows its domains and every product', async () => {
    const { mesh } = await loadSample('hello-mesh');
    await withPage(browser, '', async (page) => {
      await page.locator(`${CARD}[data-sample="hello-mesh"]`).click();
      await expectOverviewOf(page, 'hello-mesh');
      expect(new URL(page.url()).searchParams.get('sample')).toBe('hello-mesh');
      const shownIds = await page.$$eval('[data-testid="product-node"]', (rows) => rows.map((r) => (r as HTMLElement).dataset.productId));
      expect(shownIds.sort()).toEqual(mesh.products.map((p) => p.id).sort());
      await saveScreenshot(page, 'hello-mesh');
    });
  });

  it('opens a sample directly from ?sample=<folder> and goes back to the list', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await expectOverviewOf(page, 'hello-mesh');
      await page.getByRole('button', { name: '← Start' }).click();
      expect(await sampleStatuses(page)).toHaveLength(samples.length);
      expect(new URL(page.url()).search).toBe('');
    });
  });

  it('opens a sample with the keyboard alone', async () => {
    await withPage(browser, '', async (page) => {
      await sampleStatuses(page);
      // Past the controls for the user's own meshes (new, open, import) to the first sample.
      let focused: string | undefined;
      for (let presses = 0; presses < 10 && focused === undefined; presses++) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.sample);
      }
      expect(focused).toBe(samples[0]);
      await page.keyboard.press('Enter');
      await expectOverviewOf(page, samples[0] ?? '');
    });
  });

  it('explains in plain words when a ?sample= name does not exist', async () => {
    await withPage(browser, '?sample=no-such-mesh', async (page) => {
      const alert = page.getByRole('alert');
      await alert.waitFor();
      const text = await alert.innerText();
      expect(text).toContain('no sample mesh named “no-such-mesh”');
      expect(text).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
    });
  });

  it('shows every domain and product of each sample', async () => {
    for (const sample of samples) {
      await withPage(browser, `?sample=${encodeURIComponent(sample)}`, async (page) => {
        await expectOverviewOf(page, sample);
        await saveScreenshot(page, `sample-${sample}`);
      });
    }
  });
});
