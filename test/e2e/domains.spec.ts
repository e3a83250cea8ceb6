import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers.ts';
import { axeViolations, exportedMesh, newMesh, quantaValidate, waitSaved } from './editorActions.ts';
import { launchChromium, saveScreenshot, withPage } from './browser.ts';
import { withHarness } from './storageHarness.ts';

/*
 * Domains, teams and personas in the editor (issue 14 item 5), and the contract's schema
 * table at the inspector's width, in Chromium against the web build.
 */
const PRODUCT = '[data-testid="product-node"]';
const DOMAIN = '[data-testid="domain-node"]';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});

const domainIds = (page: Page): Promise<string[]> =>
  page.$$eval(DOMAIN, (nodes) => nodes.map((n) => (n as HTMLElement).dataset.domainId ?? '').sort());

describe('renaming a domain (issue 14)', () => {
  it('gives the starter domain of a new mesh a new id: folder, domain.yaml and contract ids follow, validate is clean, undo restores', async () => {
    await withPage(browser, '', async (page) => {
      await newMesh(page, 'Shop mesh');
      await page.getByRole('button', { name: 'New product' }).click();
      const create = page.getByRole('dialog', { name: 'New data product' });
      await create.getByLabel('Name').fill('Orders');
      await create.getByRole('button', { name: 'Create product' }).click();
      await page.locator(`${PRODUCT}[data-product-id="orders"]`).waitFor();

      await page.getByRole('button', { name: 'Rename domain' }).click();
      const dialog = page.getByRole('dialog', { name: 'Rename domain' });
      await dialog.getByLabel('New name').fill('Sales');
      const id = dialog.getByLabel('New id');
      expect(await id.inputValue()).toBe('sales');
      const preview = dialog.getByTestId('rename-preview');
      expect(await preview.innerText()).toContain('domains/first-domain/ → domains/sales/');
      expect(await dialog.getByTestId('contract-id-change').innerText()).toBe(
        'Contract shop-mesh.first-domain.orders.orders → shop-mesh.sales.orders.orders',
      );
      await saveScreenshot(page, 'domains-rename-dialog');

      // An invalid id is refused with a reason, and nothing changes.
      await id.fill('Sales Team');
      await dialog.getByRole('button', { name: 'Rename' }).click();
      expect(await dialog.getByRole('alert').innerText()).toMatch(/lowercase letters, digits and single hyphens/);
      await id.fill('sales');
      await dialog.getByRole('button', { name: 'Rename' }).click();
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => domainIds(page)).toEqual(['sales']);

      await waitSaved(page);
      const { dir, paths } = await exportedMesh(page, 'domains-export');
      expect(paths.filter((p) => p.startsWith('domains/'))).toEqual([
        'domains/sales/domain.yaml',
        'domains/sales/orders/orders.odcs.yaml',
        'domains/sales/orders/product.odps.yaml',
        'domains/sales/orders/quanta.yaml',
        'domains/sales/orders/transform.sql',
      ]);
      expect(await fsp.readFile(nodePath.join(dir, 'domains/sales/domain.yaml'), 'utf8')).toMatch(/^id: sales$/m);
      expect(await fsp.readFile(nodePath.join(dir, 'domains/sales/orders/orders.odcs.yaml'), 'utf8')).toMatch(
        /^id: shop-mesh\.sales\.orders\.orders$/m,
      );
      const result = await quantaValidate(dir);
      expect(result.out).toMatch(/✓ shop-mesh is valid/);
      expect(result.code).toBe(0);

      await page.getByRole('button', { name: 'Undo' }).click();
      await expect.poll(() => domainIds(page)).toEqual(['first-domain']);
      await page.locator(`${PRODUCT}[data-product-id="orders"]`).waitFor();
    });
  }, 120_000);

  it('moves daff songs to catalog with its seed data: after the save and a reload the export has it all, and validates', async () => {
    await withPage(browser, '?sample=daff', async (page) => {
      await page.locator(`${PRODUCT}[data-product-id="music-catalog"]`).waitFor();
      await page.getByRole('button', { name: 'Rename domain' }).click();
      const dialog = page.getByRole('dialog', { name: 'Rename domain' });
      await dialog.getByRole('combobox', { name: /^Domain/ }).selectOption('songs');
      await dialog.getByLabel('New name').fill('Catalog');
      const preview = await dialog.getByTestId('rename-preview').innerText();
      expect(preview).toContain('Contract daff.songs.music-catalog.tracks → daff.catalog.music-catalog.tracks');
      expect(preview).toMatch(/Input ports that read them: .*artist-profiles\.tracks/);
      await dialog.getByRole('button', { name: 'Rename' }).click();
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => domainIds(page)).toContain('catalog');
      await waitSaved(page);

      await page.reload();
      await page.locator(`${DOMAIN}[data-domain-id="catalog"]`).waitFor();
      const { dir, paths } = await exportedMesh(page, 'domains-export');
      expect(paths.filter((p) => p.startsWith('domains/songs/'))).toEqual([]);
      expect(paths).toContain('domains/catalog/music-catalog/data/genres.csv');
      expect(await fsp.readFile(nodePath.join(dir, 'domains/catalog/music-catalog/data/genres.csv'))).toEqual(
        await fsp.readFile(nodePath.join(REPO, 'sample-meshes/daff/domains/songs/music-catalog/data/genres.csv')),
      );
      const result = await quantaValidate(dir);
      expect(result.out).toMatch(/✓ daff is valid/);
      expect(result.code).toBe(0);
    });
  }, 120_000);

  it('runs the mesh after the rename: the moved product reads its seed file at the new path', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await page.locator(PRODUCT).first().waitFor();
      await page.getByRole('button', { name: 'Rename domain' }).click();
      const dialog = page.getByRole('dialog', { name: 'Rename domain' });
      await dialog.getByRole('combobox', { name: /^Domain/ }).selectOption('sales');
      await dialog.getByLabel('New name').fill('Shop');
      await dialog.getByRole('button', { name: 'Rename' }).click();
      await expect.poll(() => domainIds(page)).toEqual(['finance', 'shop']);
      await page.getByRole('button', { name: 'Run all', exact: true }).click();
      const published = page.locator(`${PRODUCT}[data-status="published"]`);
      await expect.poll(() => published.count(), { timeout: 90_000 }).toBe(2);
    });
  }, 120_000);

  it('refuses the id of another domain, and keeps the id when asked to rename only', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await page.locator(PRODUCT).first().waitFor();
      await page.getByRole('button', { name: 'Rename domain' }).click();
      const dialog = page.getByRole('dialog', { name: 'Rename domain' });
      await dialog.getByRole('combobox', { name: /^Domain/ }).selectOption('sales');
      await dialog.getByLabel('New id').fill('finance');
      await dialog.getByRole('button', { name: 'Rename' }).click();
      expect(await dialog.getByRole('alert').innerText()).toContain('There is already a domain with the id "finance"');

      await dialog.getByLabel('New name').fill('Shop');
      await dialog.getByLabel(/^Rename only/).check();
      await dialog.getByRole('button', { name: 'Rename' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await domainIds(page)).toEqual(['finance', 'sales']);
      expect(await page.locator(`${DOMAIN}[data-domain-id="sales"] .domain-box-name`).innerText()).toBe('Shop');
    });
  }, 120_000);
});

describe('deleting a domain (issue 14)', () => {
  it('asks first, listing its products and the consumers elsewhere that break; Delete is one undoable step', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await page.locator(PRODUCT).first().waitFor();
      const open = page.getByRole('button', { name: 'Delete domain' });
      const dialog = page.getByRole('dialog', { name: /^Delete domain/ });
      // Cancel has the focus: Enter keeps everything.
      await open.click();
      await dialog.waitFor();
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      expect(await domainIds(page)).toEqual(['finance', 'sales']);

      await open.click();
      await dialog.getByRole('combobox', { name: /^Domain/ }).selectOption('sales');
      expect(await dialog.getByTestId('deleted-products').innerText()).toContain('Orders (orders), 4 files');
      expect(await dialog.getByTestId('broken-consumers').innerText()).toContain('daily-revenue (input port orders, reads orders)');
      await saveScreenshot(page, 'domains-delete-dialog');
      await dialog.getByRole('button', { name: 'Delete domain' }).click();
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => domainIds(page)).toEqual(['finance']);
      expect(await page.locator(`${PRODUCT}[data-product-id="orders"]`).count()).toBe(0);

      await page.getByRole('button', { name: 'Undo' }).click();
      await expect.poll(() => domainIds(page)).toEqual(['finance', 'sales']);
      await page.locator(`${PRODUCT}[data-product-id="orders"]`).waitFor();
    });
  }, 120_000);

  it('deletes an empty domain without a product list', async () => {
    await withPage(browser, '', async (page) => {
      await newMesh(page, 'Empty domains');
      await page.getByRole('button', { name: 'Delete domain' }).click();
      const dialog = page.getByRole('dialog', { name: /^Delete domain/ });
      expect(await dialog.getByTestId('delete-domain-preview').innerText()).toContain(
        'The domain has no data products: only domains/first-domain/domain.yaml goes.',
      );
      expect(await dialog.getByTestId('deleted-products').count()).toBe(0);
      await dialog.getByRole('button', { name: 'Delete domain' }).click();
      await expect.poll(() => page.locator(DOMAIN).count()).toBe(0);
    });
  }, 120_000);
});

describe('teams and personas (issue 14)', () => {
  it('adds a team and a persona that a reload keeps, and will not remove a team a domain still uses', async () => {
    await withPage(browser, '', async (page) => {
      await newMesh(page, 'People mesh');
      await page.getByRole('button', { name: 'Teams & personas' }).click();
      const dialog = page.getByRole('dialog', { name: 'Teams & personas' });
      await dialog.getByLabel('Team name').fill('Data platform');
      expect(await dialog.getByLabel('Team id').inputValue()).toBe('data-platform');
      await dialog.getByLabel('Team description').fill('Runs the self-serve platform.');
      await dialog.getByRole('button', { name: 'Add team' }).click();
      await expect.poll(() => dialog.getByTestId('team-row').count()).toBe(2);

      await dialog.getByLabel('Persona name').fill('Finance analyst');
      await dialog.getByLabel('Persona team').selectOption('data-platform');
      await dialog.getByLabel(/^Purposes/).fill('royalties, reporting');
      await dialog.getByRole('button', { name: 'Add persona' }).click();
      await expect.poll(() => dialog.getByTestId('persona-row').count()).toBe(1);
      expect(await dialog.getByTestId('persona-row').innerText()).toMatch(/finance-analyst[\s\S]*data-platform[\s\S]*royalties, reporting/);

      // The starter domain is owned by platform-team: removing it is refused, naming the domain.
      await dialog.getByRole('button', { name: 'Remove team platform-team' }).click();
      expect(await dialog.getByRole('alert').innerText()).toContain('Team platform-team is still named by domain first-domain');
      expect(await dialog.getByTestId('team-row').count()).toBe(2);
      // The persona's team is in use too; editing a team keeps its id.
      await dialog.getByRole('button', { name: 'Edit team data-platform' }).click();
      await dialog.getByLabel('Team name').fill('Platform engineering');
      await dialog.getByRole('button', { name: 'Save team' }).click();
      await expect.poll(() => dialog.getByTestId('team-row').nth(1).innerText()).toContain('Platform engineering');
      await saveScreenshot(page, 'domains-teams-dialog');
      await dialog.getByRole('button', { name: 'Done' }).click();

      await waitSaved(page);
      await page.reload();
      await page.locator(DOMAIN).first().waitFor();
      await page.getByRole('button', { name: 'Teams & personas' }).click();
      const again = page.getByRole('dialog', { name: 'Teams & personas' });
      expect(await again.getByTestId('team-row').allInnerTexts()).toEqual([
        expect.stringContaining('platform-team'),
        expect.stringMatching(/data-platform[\s\S]*Platform engineering[\s\S]*persona finance-analyst/),
      ]);
      expect(await again.getByTestId('persona-row').innerText()).toContain('royalties, reporting');

      // The domain dialog offers the new team as owner.
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Rename domain' }).click();
      const rename = page.getByRole('dialog', { name: 'Rename domain' });
      await rename.getByLabel('Owning team').selectOption('data-platform');
      await rename.getByLabel(/^Rename only/).check();
      await rename.getByRole('button', { name: 'Rename' }).click();
      await expect.poll(() => page.locator(DOMAIN).first().innerText()).toContain('team data-platform');
    });
  }, 120_000);
});

describe('the schema table in the inspector (issue 14)', () => {
  it('shows Classification, Description and the row actions inside the inspector at 1280×720, without scrolling sideways', async () => {
    await withPage(browser, '?sample=hello-mesh', async (page) => {
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.locator(`${PRODUCT}[data-product-id="orders"]`).click();
      const inspector = page.getByTestId('inspector');
      await inspector.getByRole('tab', { name: 'Contract' }).click();
      await page.getByTestId('schema-table').first().waitFor();
      const panel = await page.locator('aside.editor-inspector').boundingBox();
      if (!panel) throw new Error('no inspector');
      const table = page.getByTestId('schema-table').first();
      expect(await table.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      for (const name of [
        'Name of customer_email',
        'Classification of customer_email',
        'Description of customer_email',
        'Remove customer_email',
      ]) {
        const cell = inspector.getByLabel(name, { exact: true });
        await cell.scrollIntoViewIfNeeded();
        const box = await cell.boundingBox();
        if (!box) throw new Error(`${name} has no box`);
        expect(box.x, name).toBeGreaterThanOrEqual(panel.x);
        expect(box.x + box.width, name).toBeLessThanOrEqual(panel.x + panel.width);
        // Nothing covers it: the element itself is hit at its centre.
        const hit = await cell.evaluate((el) => {
          const r = el.getBoundingClientRect();
          const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
          return top === el || el.contains(top);
        });
        expect(hit, name).toBe(true);
      }
      // The name column is wide enough to read a whole property name.
      const name = inspector.getByLabel('Name of customer_email', { exact: true });
      expect(await name.evaluate((el) => (el as HTMLInputElement).scrollWidth <= (el as HTMLInputElement).clientWidth)).toBe(true);
      await saveScreenshot(page, 'domains-schema-table');
    });
  }, 120_000);
});

describe('the domain dialogs are accessible (issue 14)', () => {
  it('has no serious axe-core violation in Rename domain, Delete domain and Teams & personas', async () => {
    await withPage(browser, '?sample=daff', async (page) => {
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.locator(PRODUCT).first().waitFor();
      const dialogs: [string, RegExp | string][] = [
        ['Rename domain', 'Rename domain'],
        ['Delete domain', /^Delete domain/],
        ['Teams & personas', 'Teams & personas'],
      ];
      for (const [button, name] of dialogs) {
        await page.getByRole('button', { name: button, exact: true }).click();
        const dialog = page.getByRole('dialog', { name });
        await dialog.waitFor();
        if (button === 'Rename domain') await dialog.getByLabel('New name').fill('Music catalog');
        expect(await axeViolations(page), button).toEqual([]);
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' });
      }
    });
  }, 120_000);
});

describe('a picked folder after a domain moves (issue 14)', () => {
  it('is left without the emptied folders, so reopening it finds no domain folder without domain.yaml', async () => {
    await withHarness(browser, async (page) => {
      const left = await page.evaluate(async () => {
        const h = window.quantaStorageHarness;
        const encoder = new TextEncoder();
        const root = await (await navigator.storage.getDirectory()).getDirectoryHandle('moved-mesh', { create: true });
        const put = async (path: string, content: string): Promise<void> => {
          const parts = path.split('/');
          let folder = root;
          for (const part of parts.slice(0, -1)) folder = await folder.getDirectoryHandle(part, { create: true });
          const stream = await (await folder.getFileHandle(parts[parts.length - 1] ?? '', { create: true })).createWritable();
          await stream.write(content);
          await stream.close();
        };
        await put('mesh.yaml', 'name: moved\n');
        await put('domains/old/domain.yaml', 'id: old\n');
        await put('domains/old/orders/product.odps.yaml', 'id: orders\n');
        await put('domains/old/orders/data/orders.csv', 'a\n1\n');
        await put('domains/keep/domain.yaml', 'id: keep\n');
        await put('domains/keep/notes/readme.txt', 'not Quanta’s\n');
        const picker = window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> };
        picker.showDirectoryPicker = () => Promise.resolve(root);
        const opened = await h.pickMeshFolder();
        if (!opened) throw new Error('pickMeshFolder returned nothing');
        // What a save of "rename domain old to new" writes: the files at the new paths, nulls at the old ones.
        await opened.write(
          new Map<string, Uint8Array | null>([
            ['domains/new/domain.yaml', encoder.encode('id: new\n')],
            ['domains/new/orders/product.odps.yaml', encoder.encode('id: orders\n')],
            ['domains/new/orders/data/orders.csv', encoder.encode('a\n1\n')],
            ['domains/old/domain.yaml', null],
            ['domains/old/orders/product.odps.yaml', null],
            ['domains/old/orders/data/orders.csv', null],
            ['domains/keep/notes/readme.txt', null],
          ]),
        );
        const names = async (folder: FileSystemDirectoryHandle): Promise<string[]> => {
          const out: string[] = [];
          for await (const [name, handle] of (folder as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
            // A folder is listed with a trailing slash, so an empty one shows.
            if (handle.kind === 'directory') {
              out.push(`${name}/`);
              for (const inner of await names(handle as FileSystemDirectoryHandle)) out.push(`${name}/${inner}`);
            } else out.push(name);
          }
          return out.sort();
        };
        return names(root);
      });
      expect(left).toEqual([
        'domains/',
        'domains/keep/',
        'domains/keep/domain.yaml',
        'domains/new/',
        'domains/new/domain.yaml',
        'domains/new/orders/',
        'domains/new/orders/data/',
        'domains/new/orders/data/orders.csv',
        'domains/new/orders/product.odps.yaml',
        'mesh.yaml',
      ]);
    });
  }, 120_000);
});
