/**
 * The browser mesh store (OPFS and IndexedDB backends) in Chromium: create, read, write,
 * rename, list, remove, refuse bad changes, keep meshes across a reload. The harness:
 * storageHarness.ts; failures mid-write: browserStorageDurability.spec.ts.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BINARY, fromWire, loadHarness, storeMesh, text, withChromiumAndDaff, withHarness, type Wire } from './storageHarness.ts';

describe.each(['opfs', 'indexeddb'] as const)('browser mesh store (%s, in Chromium)', (kind) => {
  let browser: Browser;
  let daff: Wire;

  withChromiumAndDaff((block) => ({ browser, daff } = block));

  it(`opens the ${kind} backend`, async () => {
    await withHarness(browser, async (page) => {
      const opened = await page.evaluate(async (prefer) => (await window.quantaStorageHarness.openBrowserMeshStore({ prefer })).kind, kind);
      expect(opened).toBe(kind);
    });
  });

  it('stores a mesh and reads back every file byte for byte, and lists it', async () => {
    await withHarness(browser, async (page) => {
      const result = await page.evaluate(
        async ({ prefer, files }) => {
          const h = window.quantaStorageHarness;
          const store = await h.openBrowserMeshStore({ prefer });
          const id = await store.create('  DAFF   music ', 'sample', h.fromWire(files));
          return { id, files: h.toWire(await store.read(id)), list: await store.list() };
        },
        { prefer: kind, files: daff },
      );
      expect(result.id).toMatch(/^daff-music-[0-9a-f]{8}$/);
      expect(result.files).toEqual(daff);
      expect(fromWire(result.files).get('domains/songs/music-catalog/data/cover.bin')).toEqual(BINARY);
      expect(result.list).toEqual([
        { id: result.id, title: 'DAFF music', origin: 'sample', savedAt: expect.any(Number), fileCount: Object.keys(daff).length },
      ]);
    });
  });

  it('writes changes (changed, added and deleted files), renames, lists newest first, and removes', async () => {
    await withHarness(browser, async (page) => {
      const result = await page.evaluate(
        async ({ prefer, files, changes }) => {
          const h = window.quantaStorageHarness;
          const store = await h.openBrowserMeshStore({ prefer });
          const first = await store.create('First', 'zip', h.fromWire(files));
          await new Promise((resolve) => setTimeout(resolve, 5));
          const second = await store.create('Second', 'new', new Map([['mesh.yaml', new TextEncoder().encode('name: second\n')]]));
          const before = (await store.list()).map((m) => m.id);
          await new Promise((resolve) => setTimeout(resolve, 5));
          await store.write(first, h.changesFromWire(changes));
          const after = await store.list();
          await store.rename(first, 'First, renamed');
          const renamed = await store.list();
          const read = h.toWire(await store.read(first));
          await store.remove(second);
          const unknown = await store.read(second).then(
            () => 'read a removed mesh',
            (error: Error) => error.message,
          );
          return { first, second, before, after, renamed, read, left: await store.list(), unknown };
        },
        {
          prefer: kind,
          files: daff,
          changes: { 'mesh.yaml': text('name: daff\nchanged: true\n'), 'notes/new.md': text('# new\n'), 'README.md': null },
        },
      );
      expect(result.before).toEqual([result.second, result.first]);
      expect(result.after.map((m) => m.id)).toEqual([result.first, result.second]);
      expect(result.after[0]?.fileCount).toBe(Object.keys(daff).length);
      expect(result.renamed.map((m) => m.title)).toEqual(['First, renamed', 'Second']);
      expect(result.renamed[0]?.savedAt).toBe(result.after[0]?.savedAt);
      const expected: Wire = { ...daff, 'mesh.yaml': text('name: daff\nchanged: true\n'), 'notes/new.md': text('# new\n') };
      delete expected['README.md'];
      expect(result.read).toEqual(expected);
      expect(result.left.map((m) => m.id)).toEqual([result.first]);
      expect(result.unknown).toBe(`There is no mesh "${result.second}" stored in this browser; it may have been deleted in another tab.`);
    });
  });

  it('refuses a change with an invalid path or a file-and-folder clash, changing nothing', async () => {
    await withHarness(browser, async (page) => {
      const result = await page.evaluate(
        async ({ prefer, files }) => {
          const h = window.quantaStorageHarness;
          const store = await h.openBrowserMeshStore({ prefer });
          const id = await store.create('Guarded', 'zip', h.fromWire(files));
          const errors: string[] = [];
          const bytes = new TextEncoder().encode('x');
          for (const changes of [
            new Map<string, Uint8Array | null>([
              ['mesh.yaml', bytes],
              ['../escape.txt', bytes],
            ]),
            new Map<string, Uint8Array | null>([
              ['mesh.yaml', bytes],
              ['domains', bytes],
            ]),
          ]) {
            await store.write(id, changes).then(
              () => errors.push('accepted'),
              (error: Error) => errors.push(error.message),
            );
          }
          return { errors, read: h.toWire(await store.read(id)) };
        },
        { prefer: kind, files: daff },
      );
      expect(result.errors).toEqual([
        'Could not save "Guarded": "../escape.txt" is not a valid mesh path (relative, with "/", inside the mesh folder). Nothing was changed.',
        'Could not save "Guarded": "domains" would be both a file and a folder. Nothing was changed.',
      ]);
      expect(result.read).toEqual(daff);
    });
  });

  it('keeps meshes across a page reload', async () => {
    await withHarness(browser, async (page) => {
      const id = await storeMesh(page, kind, 'Kept', 'folder', daff);
      await page.reload();
      await loadHarness(page);
      const result = await page.evaluate(
        async ({ prefer, id }) => {
          const h = window.quantaStorageHarness;
          const store = await h.openBrowserMeshStore({ prefer });
          return { list: await store.list(), read: h.toWire(await store.read(id)) };
        },
        { prefer: kind, id },
      );
      expect(result.list.map((m) => [m.id, m.title, m.origin])).toEqual([[id, 'Kept', 'folder']]);
      expect(result.read).toEqual(daff);
    });
  });
});
