import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, launchChromium, saveScreenshot, withPage } from './browser.ts';

/*
 * The command registry from the keyboard (issue 14 item 6): the palette runs the mesh, the
 * shortcut sheet opens on ?, the theme is remembered, and every shortcut the sheet lists fires
 * its command — the list is read from the app, so a command given a shortcut without a case
 * here fails the test.
 */
const PRODUCT = '[data-testid="product-node"]';
const SAMPLE = '?sample=hello-mesh';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function openEditor(page: Page): Promise<void> {
  await page.locator(PRODUCT).first().waitFor({ timeout: 60_000 });
}

/** "Shift+Mod+Z" → Playwright's "Shift+Control+z". */
function playwrightKey(shortcut: string): string {
  return shortcut
    .split('+')
    .map((part, i, all) => (part === 'Mod' ? 'Control' : i === all.length - 1 && part.length === 1 ? part.toLowerCase() : part))
    .join('+');
}

/** Focus on something that is not a field, as after a click on the toolbar: the keys go to the app. */
async function focusOutside(page: Page): Promise<void> {
  await page.locator('#mesh-title').focus();
}

const statuses = (page: Page) => page.$$eval(PRODUCT, (nodes) => nodes.map((n) => (n as HTMLElement).dataset.status ?? ''));
const domainCount = (page: Page) => page.getByTestId('domain-node').count();
const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);

async function untilRunDone(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run all', exact: true }).waitFor({ timeout: 90_000 });
  await expect.poll(() => page.getByRole('button', { name: 'Run all', exact: true }).isEnabled()).toBe(true);
}

type Case = (page: Page, press: () => Promise<void>) => Promise<void>;

/** What each shortcut must do, in the order they are tried. `save` is last: it stops the page's clock. */
const CASES: Readonly<Record<string, Case>> = {
  'command-palette': async (page, press) => {
    await press();
    await page.getByRole('combobox', { name: 'Search commands' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: 'Search commands' }).waitFor({ state: 'detached' });
  },
  'keyboard-shortcuts': async (page, press) => {
    await press();
    await page.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor({ state: 'detached' });
  },
  'toggle-theme': async (page, press) => {
    const before = await theme(page);
    await press();
    expect(await theme(page)).toBe(before === 'dark' ? 'light' : 'dark');
    await press();
    expect(await theme(page)).toBe(before);
  },
  'new-domain': async (page, press) => {
    const before = await domainCount(page);
    await press();
    const dialog = page.getByRole('dialog', { name: 'New domain' });
    await dialog.getByLabel('Name').fill('Keyboard');
    await dialog.getByRole('button', { name: 'Create domain' }).click();
    await expect.poll(() => domainCount(page)).toBe(before + 1);
  },
  undo: async (page, press) => {
    const before = await domainCount(page);
    await press();
    await expect.poll(() => domainCount(page)).toBe(before - 1);
  },
  redo: async (page, press) => {
    // After undo's case: the new domain is one Redo away; Undo again for the next shortcut of Redo.
    const before = await domainCount(page);
    await press();
    await expect.poll(() => domainCount(page)).toBe(before + 1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => domainCount(page)).toBe(before);
  },
  'new-product': async (page, press) => {
    await press();
    await page.getByRole('dialog', { name: 'New data product' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'New data product' }).waitFor({ state: 'detached' });
  },
  'what-if': async (page, press) => {
    await press();
    await page.getByTestId('draft-bar').waitFor();
    await page.getByRole('button', { name: 'Discard draft' }).click();
    await page.getByTestId('draft-bar').waitFor({ state: 'detached' });
  },
  'run-selected': async (page, press) => {
    const first = page.locator(PRODUCT).first();
    await first.click();
    await focusOutside(page);
    expect(await first.getAttribute('data-status')).toBe('idle');
    await press();
    // It ran (published, or stale when its upstream has not run yet): it is no longer idle.
    await expect.poll(() => first.getAttribute('data-status'), { timeout: 90_000 }).toMatch(/^(published|stale|refused)$/);
  },
  'run-all': async (page, press) => {
    await press();
    await untilRunDone(page);
    expect(new Set(await statuses(page))).toEqual(new Set(['published']));
  },
  tick: async (page, press) => {
    const before = await page.getByTestId('run-log-entry').count();
    await press();
    await untilRunDone(page);
    await expect.poll(() => page.getByTestId('run-log-entry').count(), { timeout: 90_000 }).toBeGreaterThan(before);
  },
  'toggle-inspector': async (page, press) => {
    const inspector = page.locator('aside[aria-label^="Inspector"]');
    expect(await inspector.count()).toBe(1);
    await press();
    await inspector.waitFor({ state: 'detached' });
    await press();
    await inspector.waitFor();
  },
  'toggle-run-log': async (page, press) => {
    const toggle = page.locator('.run-log-toggle');
    const before = await toggle.getAttribute('aria-expanded');
    await press();
    await expect.poll(() => toggle.getAttribute('aria-expanded')).not.toBe(before);
    await press();
    await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe(before);
  },
  'toggle-scenarios': async (page, press) => {
    const button = page.getByRole('button', { name: 'Scenarios', exact: true });
    await press();
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
    await press();
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('false');
  },
  'toggle-presenting': async (page, press) => {
    await press();
    await page.getByRole('button', { name: 'Stop presenting' }).waitFor();
    await press();
    await page.getByRole('button', { name: 'Present', exact: true }).waitFor();
  },
  'find-product': async (page, press) => {
    await press();
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.canvas-search') !== null)).toBe(true);
  },
  'toggle-marketplace': async (page, press) => {
    await press();
    await page.getByTestId('marketplace').waitFor();
    // The search box has the focus: leave it, as a user pressing the shortcut again would.
    await page.getByRole('heading', { name: 'Marketplace' }).click();
    await press();
    await page.getByTestId('marketplace').waitFor({ state: 'detached' });
  },
  'toggle-governance': async (page, press) => {
    await press();
    await page.getByTestId('governance-panel').waitFor();
    await press();
    await page.getByTestId('governance-panel').waitFor({ state: 'detached' });
  },
  'export-zip': async (page, press) => {
    const [download] = await Promise.all([page.waitForEvent('download'), press()]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
  },
  save: async (page, press) => {
    // Autosave would save too, 800 ms after the edit: with the page's timers stopped, only the key can.
    await page.clock.install();
    await page.clock.pauseAt(Date.now() + 60_000);
    await page.getByRole('button', { name: 'New domain', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'New domain' });
    await dialog.getByLabel('Name').fill('Saved by key');
    await dialog.getByRole('button', { name: 'Create domain' }).click();
    await expect.poll(() => page.getByTestId('save-status').getAttribute('data-status')).toBe('unsaved');
    await focusOutside(page);
    await press();
    await expect.poll(() => page.getByTestId('save-status').getAttribute('data-status')).toBe('saved');
    expect(new URL(page.url()).searchParams.get('mesh')).toMatch(/\S/);
  },
};

describe('the command palette and the shortcuts', () => {
  it('runs the mesh from the palette: Ctrl+K, type "run", Enter', async () => {
    await withPage(browser, SAMPLE, async (page) => {
      await openEditor(page);
      await page.keyboard.press('Control+k');
      const input = page.getByRole('combobox', { name: 'Search commands' });
      await input.waitFor();
      expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
      await page.keyboard.type('run');
      // The active option is the one Enter runs: aria-activedescendant names it.
      const active = await input.getAttribute('aria-activedescendant');
      const option = page.locator(`[id="${active}"]`);
      expect(await option.getAttribute('role')).toBe('option');
      expect(await option.getAttribute('aria-selected')).toBe('true');
      expect(await option.getAttribute('data-command-id')).toBe('run-all');
      await saveScreenshot(page, 'command-palette-run');
      // Arrows move the active option and wrap; back up to Run all.
      await page.keyboard.press('ArrowDown');
      expect(await input.getAttribute('aria-activedescendant')).not.toBe(active);
      await page.keyboard.press('ArrowUp');
      expect(await input.getAttribute('aria-activedescendant')).toBe(active);
      await page.keyboard.press('Enter');
      await input.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: /^Running / }).waitFor();
      await untilRunDone(page);
      expect(new Set(await statuses(page))).toEqual(new Set(['published']));
    });
  });

  it("opens the toolbar's dialogs from the palette: Teams & personas, Delete a domain", async () => {
    await withPage(browser, SAMPLE, async (page) => {
      await openEditor(page);
      for (const [query, id] of [
        ['teams', 'teams-personas'],
        ['delete a domain', 'delete-domain'],
      ] as const) {
        await page.keyboard.press('Control+k');
        await page.keyboard.type(query);
        const input = page.getByRole('combobox', { name: 'Search commands' });
        expect(await page.locator(`[id="${await input.getAttribute('aria-activedescendant')}"]`).getAttribute('data-command-id')).toBe(id);
        await page.keyboard.press('Enter');
        await input.waitFor({ state: 'detached' });
        await page.locator('dialog.modal[open]').waitFor();
        await page.keyboard.press('Escape');
        await page.locator('dialog[open]').waitFor({ state: 'detached' });
        await focusOutside(page);
      }
    });
  });

  it('says so when nothing matches, and runs no disabled command', async () => {
    await withPage(browser, SAMPLE, async (page) => {
      await openEditor(page);
      await page.keyboard.press('Control+k');
      await page.keyboard.type('zzqx');
      await page.getByText('No command matches “zzqx”').waitFor();
      await page.keyboard.press('Control+a');
      await page.keyboard.type('undo');
      const undo = page.locator('[data-command-id="undo"]');
      expect(await undo.getAttribute('aria-disabled')).toBe('true');
      await page.keyboard.press('Enter');
      // Still open: nothing to undo, so Enter did nothing.
      await page.getByRole('combobox', { name: 'Search commands' }).waitFor();
    });
  });

  it('opens the shortcut sheet on ?, not while typing in a field, and closes it with Escape', async () => {
    await withPage(browser, SAMPLE, async (page) => {
      await openEditor(page);
      await page.getByRole('searchbox').focus();
      await page.keyboard.press('?');
      expect(await page.getByRole('heading', { name: 'Keyboard shortcuts' }).count()).toBe(0);
      await focusOutside(page);
      await page.keyboard.press('?');
      const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await sheet.waitFor();
      expect(await sheet.locator('[data-command-id="run-all"]').innerText()).toContain('Run all');
      await saveScreenshot(page, 'shortcut-sheet');
      await page.keyboard.press('Escape');
      await sheet.waitFor({ state: 'detached' });
    });
  });

  it('remembers the theme across a reload, and follows the system until the user chooses', async () => {
    const context = await browser.newContext({ colorScheme: 'dark' });
    try {
      const page = await context.newPage();
      await page.goto(BASE_URL);
      expect(await theme(page)).toBe('dark');
      const toggle = page.getByRole('button', { name: 'Dark theme' });
      expect(await toggle.getAttribute('aria-pressed')).toBe('true');
      await toggle.click();
      expect(await theme(page)).toBe('light');
      await page.reload();
      await page.getByRole('button', { name: 'Dark theme' }).waitFor();
      expect(await theme(page)).toBe('light');
      await page.getByRole('button', { name: 'Dark theme' }).click();
      await page.goto(new URL(SAMPLE, BASE_URL).href);
      await openEditor(page);
      expect(await theme(page)).toBe('dark');
      expect(await page.getByRole('button', { name: 'Dark theme' }).getAttribute('aria-pressed')).toBe('true');
    } finally {
      await context.close();
    }
  });

  it('fires every command the shortcut sheet lists by each of its shortcuts', { timeout: 240_000 }, async () => {
    await withPage(browser, SAMPLE, async (page) => {
      await openEditor(page);
      await focusOutside(page);
      await page.keyboard.press('?');
      const rows = await page
        .getByRole('dialog', { name: 'Keyboard shortcuts' })
        .locator('[data-command-id][data-shortcuts]')
        .evaluateAll((els) => els.map((el) => [(el as HTMLElement).dataset.commandId ?? '', (el as HTMLElement).dataset.shortcuts ?? '']));
      await page.keyboard.press('Escape');
      const listed = new Map(rows.map(([id, keys]) => [id as string, (keys as string).split(' ')]));
      expect([...listed.keys()].sort()).toEqual(Object.keys(CASES).sort());
      // No shortcut is claimed by two commands.
      const all = [...listed.values()].flat();
      expect(all.filter((shortcut, i) => all.indexOf(shortcut) !== i)).toEqual([]);
      for (const [id, run] of Object.entries(CASES))
        for (const shortcut of listed.get(id) ?? []) {
          await focusOutside(page);
          try {
            await run(page, () => page.keyboard.press(playwrightKey(shortcut)));
          } catch (error) {
            throw new Error(`${id} by ${shortcut}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
          }
        }
    });
  });
});
