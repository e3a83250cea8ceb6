import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipMesh } from '../../core/fs/zipMesh.ts';
import { SAMPLES_DIR, tempDir } from '../helpers.ts';
import { launchChromium, saveScreenshot, withPage } from './browser.ts';

/*
 * The editor in the web build, in Chromium: meshes created, imported and edited through the
 * UI, saved by autosave into the browser's storage, and still there after a reload.
 */
const PRODUCT = '[data-testid="product-node"]';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});

const node = (page: Page, id: string) => page.locator(`${PRODUCT}[data-product-id="${id}"]`);
const saveStatus = (page: Page) => page.getByTestId('save-status');

async function waitSaved(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.querySelector('[data-testid="save-status"]')?.getAttribute('data-status') === 'saved',
    undefined,
    {
      timeout: 15_000,
    },
  );
}

async function createProduct(page: Page, name: string, archetype: string, upstream?: string): Promise<void> {
  await page.getByRole('button', { name: 'New product' }).click();
  const dialog = page.getByRole('dialog', { name: 'New data product' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('radio', { name: new RegExp(`^${archetype}`) }).check();
  if (upstream) await dialog.getByLabel(/^Reads from/).selectOption(upstream);
  await dialog.getByRole('button', { name: 'Create product' }).click();
  await dialog.waitFor({ state: 'detached' });
}

async function statusesOf(page: Page): Promise<Record<string, string>> {
  return Object.fromEntries(
    await page.$$eval(PRODUCT, (nodes) =>
      nodes.map((n) => [(n as HTMLElement).dataset.productId ?? '', (n as HTMLElement).dataset.status ?? '']),
    ),
  );
}

async function runAll(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await page.getByRole('button', { name: /^Running \d+\/\d+…$/ }).waitFor();
  await page.getByRole('button', { name: 'Run all', exact: true }).waitFor({ timeout: 90_000 });
}

describe('the editor', () => {
  it('creates a mesh, adds a source-aligned and a consumer product from blueprints, runs them, and keeps them after a reload', async () => {
    await withPage(browser, '', async (page) => {
      await page.getByPlaceholder('Name of a new mesh').fill('Workshop mesh');
      await page.getByRole('button', { name: 'New mesh' }).click();
      await page.getByRole('heading', { name: 'Workshop mesh' }).waitFor();
      expect(new URL(page.url()).searchParams.get('mesh')).toMatch(/\S/);
      await page.getByTestId('domain-node').first().waitFor();

      await createProduct(page, 'Play events', 'source-aligned');
      await node(page, 'play-events').waitFor();
      await createProduct(page, 'Top tracks', 'consumer-aligned', 'play-events/play_events');
      await node(page, 'top-tracks').waitFor();
      await runAll(page);
      expect(await statusesOf(page)).toEqual({ 'play-events': 'published', 'top-tracks': 'published' });
      await waitSaved(page);
      await saveScreenshot(page, 'editor-new-mesh');

      await page.reload();
      await node(page, 'top-tracks').waitFor();
      expect(Object.keys(await statusesOf(page)).sort()).toEqual(['play-events', 'top-tracks']);
      expect(await page.getByRole('heading', { name: 'Workshop mesh' }).count()).toBe(1);
    });
  });

  it('undoes and redoes a new domain with the toolbar and the keyboard', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await node(page, 'orders').waitFor();
      const domains = () => page.getByTestId('domain-node').count();
      expect(await domains()).toBe(2);
      await page.getByRole('button', { name: 'New domain' }).click();
      const dialog = page.getByRole('dialog', { name: 'New domain' });
      await dialog.getByLabel('Name').fill('Podcasts');
      await dialog.getByRole('button', { name: 'Create domain' }).click();
      await expect.poll(domains).toBe(3);
      await page.getByRole('button', { name: 'Undo' }).click();
      await expect.poll(domains).toBe(2);
      await page.getByRole('button', { name: 'Redo' }).click();
      await expect.poll(domains).toBe(3);
      await page.locator('body').press('Control+z');
      await expect.poll(domains).toBe(2);
      await page.locator('body').press('Control+Shift+z');
      await expect.poll(domains).toBe(3);
      // The sample itself never changes: the first save made a copy kept in this browser.
      await waitSaved(page);
      expect(new URL(page.url()).searchParams.get('mesh')).toMatch(/\S/);
      expect(new URL(page.url()).searchParams.get('sample')).toBeNull();
    });
  });

  it('imports a mesh from a .zip, and says plainly when a zip is not a mesh', async () => {
    const dir = await tempDir('zip');
    const files = new Map<string, Uint8Array>();
    const root = nodePath.join(SAMPLES_DIR, 'hello-mesh');
    for (const entry of await fsp.readdir(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const full = nodePath.join(entry.parentPath, entry.name);
      files.set(nodePath.relative(root, full).split(nodePath.sep).join('/'), new Uint8Array(await fsp.readFile(full)));
    }
    const good = nodePath.join(dir, 'hello.zip');
    await fsp.writeFile(good, zipMesh(files, 'hello-mesh'));
    const bad = nodePath.join(dir, 'notes.zip');
    await fsp.writeFile(bad, zipMesh(new Map([['notes.txt', 'hello']])));

    await withPage(browser, '', async (page) => {
      await page.getByTestId('import-zip').setInputFiles(bad);
      expect(await page.getByRole('alert').innerText()).toMatch(/mesh\.yaml/);
      await page.getByTestId('import-zip').setInputFiles(good);
      await node(page, 'daily-revenue').waitFor();
      expect(new URL(page.url()).searchParams.get('mesh')).toMatch(/\S/);
      await page.getByRole('button', { name: '← Start' }).click();
      await page.getByTestId('stored-mesh').first().waitFor();
      expect(await page.getByTestId('stored-mesh').allInnerTexts()).toEqual([expect.stringMatching(/^hello/)]);
    });
  });

  it('shows the save state: a broken contract is not saved and says where the error is', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await node(page, 'orders').click();
      await page.getByRole('tab', { name: 'Contract' }).click();
      await page.getByRole('button', { name: 'YAML' }).click();
      const editor = page.locator('.cm-content').first();
      await editor.click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type('\nschema: [unclosed\n');
      await page.locator('.cm-lintRange-error, .cm-lint-marker-error').first().waitFor({ timeout: 10_000 });
      await page.waitForFunction(
        () => document.querySelector('[data-testid="save-status"]')?.getAttribute('data-status') === 'blocked',
        undefined,
        {
          timeout: 10_000,
        },
      );
      expect(await saveStatus(page).innerText()).toMatch(/^Not saved: domains\/sales\/orders\/orders\.odcs\.yaml:\d+:\d+ /);
      await saveScreenshot(page, 'editor-broken-contract');
      // Nothing was written: the sample was not even copied into the browser yet.
      expect(new URL(page.url()).searchParams.get('sample')).toBe('hello-mesh');
    });
  });
});
