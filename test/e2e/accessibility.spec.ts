import { mkdirSync, readFileSync } from 'node:fs';
import nodePath from 'node:path';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, launchChromium, SCREENSHOT_DIR } from './browser.ts';
import { THEMES, themedContext, tourScreens } from './screenTour.ts';

/*
 * An axe-core scan of every screen (screenTour.ts: start screen, editor, every inspector tab,
 * the Contract tab's views, governance, command palette, shortcut sheet, an empty mesh) in the
 * light and the dark theme. A serious or critical violation fails the test, each printed with
 * the elements it is about. axe is evaluated in the page through the DevTools protocol (like
 * page.addScriptTag, but the app's Content-Security-Policy, which refuses inline scripts,
 * stays on).
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Finding {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: readonly string[];
}

async function scan(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
    }
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.slice(0, 6).map((n) => n.target.join(' ')) }));
  });
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('accessibility (axe-core)', () => {
  for (const theme of THEMES)
    it(`finds no serious or critical violation on any screen in the ${theme} theme`, { timeout: 300_000 }, async () => {
      const context = await themedContext(browser, theme, { width: 1280, height: 720 });
      const problems: string[] = [];
      const screens: string[] = [];
      try {
        const page = await context.newPage();
        page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
        await tourScreens(page, BASE_URL, async (screen) => {
          screens.push(screen);
          expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
          // The run log's Download OpenLineage is on the scanned screen, enabled once the mesh ran.
          if (screen === 'editor-after-run')
            expect(await page.getByRole('button', { name: 'Download OpenLineage' }).isEnabled()).toBe(true);
          for (const f of await scan(page)) problems.push(`${screen}: ${f.id} (${f.impact}) ${f.help}\n    ${f.targets.join('\n    ')}`);
        });
      } finally {
        await context.close();
      }
      expect(screens).toEqual(
        expect.arrayContaining([
          'start',
          'editor',
          'inspector-product',
          'contract-schema',
          'governance',
          'command-palette',
          'shortcut-sheet',
        ]),
      );
      if (problems.length > 0) console.log(`${theme} theme:\n${problems.join('\n')}`);
      expect(problems).toEqual([]);
    });

  for (const theme of THEMES)
    it(
      `finds no serious or critical violation on the marketplace and a product page in the ${theme} theme`,
      { timeout: 300_000 },
      async () => {
        const context = await themedContext(browser, theme, { width: 1280, height: 720 });
        const problems: string[] = [];
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        try {
          const page = await context.newPage();
          page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
          const at = async (screen: string): Promise<void> => {
            for (const f of await scan(page)) problems.push(`${screen}: ${f.id} (${f.impact}) ${f.help}\n    ${f.targets.join('\n    ')}`);
          };
          await page.goto(new URL('?sample=daff&view=marketplace', BASE_URL).href);
          await page.getByTestId('marketplace').waitFor();
          await page.keyboard.type('email');
          await page.locator('[data-testid="market-card"]').first().waitFor();
          await at('marketplace');
          await page.screenshot({ path: nodePath.join(SCREENSHOT_DIR, `marketplace-${theme}.png`) });
          await page.goto(new URL('?sample=daff&product=listener-registrations', BASE_URL).href);
          await page.getByTestId('product-page').waitFor();
          await at('product-page');
          // After a run: versions, quality results, measured SLAs and sample rows.
          await page.getByRole('button', { name: 'Run to see sample rows' }).click();
          await page.getByTestId('sample-rows').waitFor({ timeout: 200_000 });
          await page.getByTestId('sample-masked').waitFor({ timeout: 60_000 });
          await at('product-page-after-run');
          await page.screenshot({ path: nodePath.join(SCREENSHOT_DIR, `product-page-${theme}.png`) });
        } finally {
          await context.close();
        }
        if (problems.length > 0) console.log(`${theme} theme:\n${problems.join('\n')}`);
        expect(problems).toEqual([]);
      },
    );
});
