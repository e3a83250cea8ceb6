import type { Browser, BrowserContext, Page } from 'playwright-core';

/*
 * Every screen of the app, one after another, in one theme at one size: the accessibility
 * scan (accessibility.spec.ts) checks each, `npm run screenshots` (scripts/screenshots.mjs)
 * photographs each. No vitest and no environment here, so both can import it.
 */
export type Theme = 'light' | 'dark';

export interface Size {
  readonly width: number;
  readonly height: number;
}

export const SIZES: readonly Size[] = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];

export const THEMES: readonly Theme[] = ['light', 'dark'];

/** The sample the editor screens show: domains, policies, scenarios. */
const SAMPLE = 'retail';
const PRODUCT = '[data-testid="product-node"]';
const INSPECTOR_TABS = ['Product', 'Contract', 'Sources', 'Transform', 'Data', 'Observability', 'Faults'];
const CONTRACT_VIEWS = ['Schema', 'Quality', 'SLA & access', 'YAML'];

/** A fresh browser context whose pages start in `theme` (the app reads it from localStorage). */
export async function themedContext(browser: Browser, theme: Theme, size: Size): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: size, deviceScaleFactor: 1 });
  await context.addInitScript((chosen) => {
    try {
      if (window.localStorage.getItem('quanta.theme') === null) window.localStorage.setItem('quanta.theme', chosen);
    } catch {
      // An opaque origin has no storage: the page then follows the system.
    }
  }, theme);
  return context;
}

/** Lets animations and a canvas fit finish before a screen is looked at. */
async function settle(page: Page, ms = 400): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(ms);
}

/**
 * Walks `page` through every screen and calls `at(name)` on each: the start screen, the editor
 * (before and after Run all), every inspector tab, the Contract tab's views, the governance
 * panel, the command palette, the shortcut sheet and an empty mesh.
 */
export async function tourScreens(page: Page, baseUrl: string, at: (name: string) => Promise<void>): Promise<void> {
  await page.goto(baseUrl);
  await page.locator('[data-testid="sample-card"][data-status="valid"]').first().waitFor({ timeout: 60_000 });
  await settle(page);
  await at('start');

  await page.goto(new URL(`?sample=${SAMPLE}`, baseUrl).href);
  await page.locator(PRODUCT).first().waitFor({ timeout: 60_000 });
  await settle(page, 800);
  await at('editor');

  const runAll = page.getByRole('button', { name: 'Run all', exact: true });
  await runAll.click();
  await page.getByRole('button', { name: /^Running / }).waitFor();
  await runAll.waitFor({ timeout: 120_000 });
  await settle(page);
  await at('editor-after-run');

  await page.locator(PRODUCT).first().click();
  await page.getByTestId('inspector').waitFor();
  for (const tab of INSPECTOR_TABS) {
    const button = page.getByRole('tab', { name: tab, exact: true });
    if ((await button.count()) === 0) continue;
    await button.click();
    await settle(page, 300);
    if (tab !== 'Contract') {
      await at(`inspector-${tab.toLowerCase()}`);
      continue;
    }
    for (const view of CONTRACT_VIEWS) {
      const option = page.getByRole('group', { name: 'Contract view' }).getByRole('button', { name: view, exact: true });
      if ((await option.count()) === 0) continue;
      await option.click();
      await settle(page, 300);
      await at(`contract-${view.toLowerCase().replace(/[^a-z]+/g, '-')}`);
    }
  }

  await page.getByRole('button', { name: 'Governance', exact: true }).click();
  await page.getByTestId('governance-panel').waitFor();
  await settle(page, 800);
  await at('governance');
  await page.getByRole('button', { name: 'Governance', exact: true }).click();

  await page.keyboard.press('Alt+n');
  await page.getByRole('dialog', { name: 'New data product' }).waitFor();
  await settle(page, 200);
  await at('new-product-dialog');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog', { name: 'New data product' }).waitFor({ state: 'detached' });

  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: 'Search commands' }).waitFor();
  await settle(page, 200);
  await at('command-palette');
  await page.keyboard.type('run');
  await settle(page, 200);
  await at('command-palette-filtered');
  await page.keyboard.press('Escape');

  await page.keyboard.press('?');
  await page.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor();
  await settle(page, 200);
  await at('shortcut-sheet');
  await page.keyboard.press('Escape');

  await page.goto(baseUrl);
  await page.getByPlaceholder('Name of a new mesh').fill('Empty mesh');
  await page.getByRole('button', { name: 'New mesh' }).click();
  await page.getByTestId('canvas-empty').waitFor({ timeout: 60_000 });
  await settle(page, 600);
  await at('empty-mesh');
}
