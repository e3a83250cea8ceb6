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

/** Waits until an element is inside the canvas and stops moving (a new product is laid out by elk, then the view settles). */
async function settled(page: Page, selector: string): Promise<void> {
  let last = '';
  let still = 0;
  await expect
    .poll(
      async () => {
        const box = await page.locator(selector).boundingBox();
        const canvas = await page.locator('.react-flow').boundingBox();
        const inside = box && canvas && box.x >= canvas.x && box.y >= canvas.y && box.x + box.width <= canvas.x + canvas.width;
        const key = JSON.stringify(box);
        still = inside && key === last ? still + 1 : 0;
        last = key;
        return still >= 2;
      },
      { interval: 250, timeout: 15_000 },
    )
    .toBe(true);
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

  it('creates a product from a blueprint, connects it by dragging, edits its SQL and contract, runs it, and keeps it after a reload', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await node(page, 'orders').waitFor();
      await createProduct(page, 'Big orders', 'consumer-aligned');
      await node(page, 'big-orders').waitFor();
      const edges = () => page.locator('.react-flow__edge').count();
      expect(await edges()).toBe(1);

      // Drag from orders' output handle onto the new product's card, once the canvas has settled.
      await settled(page, `${PRODUCT}[data-product-id="big-orders"]`);
      await settled(page, '.react-flow__node[data-id="orders"] .react-flow__handle[data-handleid="out:orders"]');
      const handle = page.locator('.react-flow__node[data-id="orders"] .react-flow__handle[data-handleid="out:orders"]');
      const from = await handle.boundingBox();
      const to = await node(page, 'big-orders').boundingBox();
      if (!from || !to) throw new Error('handle or card not on screen');
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
      await page.mouse.up();
      await expect.poll(edges).toBe(2);
      expect(await node(page, 'big-orders').innerText()).toContain('orders');

      // The transform reads the new input port; the contract loses a column the SQL no longer makes.
      await node(page, 'big-orders').click();
      const inspector = page.getByTestId('inspector');
      await inspector.getByRole('tab', { name: 'Transform' }).click();
      await inspector.locator('.cm-content').click();
      await page.keyboard.press('Control+a');
      await page.keyboard.type(
        'SELECT CAST(order_id AS BIGINT) AS item_id, customer_email AS label, CAST(amount_eur AS DECIMAL(10, 2)) AS amount FROM orders WHERE amount_eur > 50',
      );
      await inspector.getByRole('tab', { name: 'Contract' }).click();
      await inspector.getByRole('button', { name: 'Remove updated_at' }).click();
      await expect.poll(() => inspector.getByRole('button', { name: 'Remove updated_at' }).count()).toBe(0);

      await runAll(page);
      expect((await statusesOf(page))['big-orders']).toBe('published');
      await inspector.getByRole('tab', { name: 'Data' }).click();
      const preview = page.getByTestId('data-preview');
      await preview.waitFor();
      expect(Number(await preview.getAttribute('data-row-count'))).toBeGreaterThan(0);
      await saveScreenshot(page, 'editor-new-product-data');

      await waitSaved(page);
      await page.reload();
      await node(page, 'big-orders').waitFor();
      await expect.poll(edges).toBe(2);
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

  it('deletes a product after listing the consumers it breaks, undoes it, and renames a domain', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await node(page, 'orders').click();
      await page.getByRole('button', { name: 'Delete product' }).click();
      const dialog = page.getByRole('dialog', { name: /^Delete Orders/ });
      expect(await dialog.getByTestId('broken-consumers').innerText()).toContain(
        'daily-revenue (input port orders, contract hello.sales.orders)',
      );
      await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
      await expect.poll(() => node(page, 'orders').count()).toBe(0);
      await page.getByRole('button', { name: 'Undo' }).click();
      await node(page, 'orders').waitFor();

      await page.getByRole('button', { name: 'Rename domain' }).click();
      const rename = page.getByRole('dialog', { name: 'Rename domain' });
      await rename.getByLabel('Domain').selectOption('finance');
      await rename.getByLabel('New name').fill('Finance & control');
      await rename.getByLabel(/^Rename only/).check();
      await rename.getByRole('button', { name: 'Rename' }).click();
      await expect
        .poll(() => page.locator('[data-testid="domain-node"][data-domain-id="finance"]').innerText())
        .toContain('Finance & control');
      await saveScreenshot(page, 'editor-toolbar');
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
