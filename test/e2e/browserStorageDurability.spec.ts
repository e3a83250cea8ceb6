/**
 * The browser mesh store when things go wrong, in Chromium: a write that fails part-way (a
 * transferred buffer, a full disk), a tab closed during a write, packs that must be
 * compacted, a removal cut short. Each leaves the old files or the new, never a mix.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BASE_URL } from './browser.ts';
import { loadHarness, storeMesh, text, withChromiumAndDaff, withHarness, type Wire } from './storageHarness.ts';

describe.each(['opfs', 'indexeddb'] as const)('browser mesh store (%s, in Chromium)', (kind) => {
  let browser: Browser;
  let daff: Wire;

  withChromiumAndDaff((block) => ({ browser, daff } = block));

  it("keeps the previous files when a write fails part-way: a file's bytes were transferred to a worker", async () => {
    await withHarness(browser, async (page) => {
      const result = await page.evaluate(
        async ({ prefer, files }) => {
          const h = window.quantaStorageHarness;
          const store = await h.openBrowserMeshStore({ prefer });
          const id = await store.create('Transferred', 'zip', h.fromWire(files));
          const seed = new Uint8Array([1, 2, 3]);
          // What happens when the app posts a file's buffer to a quantum with a transfer list.
          structuredClone(seed.buffer, { transfer: [seed.buffer] });
          const changes = new Map<string, Uint8Array | null>([
            ['mesh.yaml', new TextEncoder().encode('name: overwritten\n')],
            ['README.md', null],
            ['notes/first.md', new TextEncoder().encode('# written before the failure\n')],
            ['data/seed.bin', seed],
          ]);
          const error = await store.write(id, changes).then(
            () => 'the write succeeded',
            (e: Error) => e.message,
          );
          return { error, read: h.toWire(await store.read(id)), list: await store.list() };
        },
        { prefer: kind, files: daff },
      );
      expect(result.error).toBe(
        'Could not save "Transferred" in the browser: the bytes of "data/seed.bin" were handed to another thread (a transferred buffer), so there is nothing to save. The previously saved version is kept.',
      );
      expect(result.read).toEqual(daff);
      expect(result.list.map((m) => m.fileCount)).toEqual([Object.keys(daff).length]);
    });
  });

  // Only OPFS: Chromium's quota override (CDP Storage.overrideQuotaForOrigin) is enforced for
  // OPFS writes but not at IndexedDB's commit, so IndexedDB cannot be filled up in a test.
  if (kind === 'opfs')
    it('keeps the previous files when a write fails mid-way because the storage is full', async () => {
      await withHarness(browser, async (page) => {
        const id = await storeMesh(page, kind, 'Full disk', 'zip', daff);
        // A real quota error from Chromium's storage, not a mocked one.
        const cdp = await page.context().newCDPSession(page);
        const origin = new URL(BASE_URL).origin;
        const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
        await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 256 * 1024 });
        try {
          const result = await page.evaluate(
            async ({ prefer, id }) => {
              const h = window.quantaStorageHarness;
              const store = await h.openBrowserMeshStore({ prefer });
              const changes = new Map<string, Uint8Array | null>([
                ['mesh.yaml', new TextEncoder().encode('name: overwritten\n')],
                ['README.md', null],
                ['data/huge.bin', new Uint8Array(8 * 1024 * 1024).fill(7)],
              ]);
              const error = await store.write(id, changes).then(
                () => 'the write succeeded',
                (e: Error) => e.message,
              );
              return { error, read: h.toWire(await store.read(id)), list: await store.list() };
            },
            { prefer: kind, id },
          );
          expect(result.error).toBe(
            `Could not save "Full disk" in the browser: the browser's storage for this site is full (free space by deleting meshes you no longer need, or export this one as a .zip). The previously saved version is kept.`,
          );
          expect(result.read).toEqual(daff);
          expect(result.list.map((m) => [m.id, m.fileCount])).toEqual([[id, Object.keys(daff).length]]);
        } finally {
          await cdp.send('Storage.overrideQuotaForOrigin', { origin });
        }
      });
    });

  it('shows the old or the new files, never a mix, after the tab is closed during a write', async () => {
    await withHarness(browser, async (page) => {
      const id = await storeMesh(page, kind, 'Crash', 'zip', daff);
      await page.evaluate(
        async ({ prefer, id, paths }) => {
          const store = await window.quantaStorageHarness.openBrowserMeshStore({ prefer });
          // 24 MB of changes, a new version of 48 files: long enough to be cut mid-way.
          const changes = new Map<string, Uint8Array | null>(paths.map((path) => [path, new Uint8Array(512 * 1024).fill(path.length)]));
          void store.write(id, changes);
          if (prefer !== 'opfs') return;
          // Wait until the write has begun its new pack (OPFS layout: quanta-meshes/<id>/p<n>.bin).
          const folder = await (await (await navigator.storage.getDirectory()).getDirectoryHandle('quanta-meshes')).getDirectoryHandle(id);
          for (let tries = 0; tries < 5000; tries++) {
            for await (const name of folder.keys()) if (name !== 'p0.bin' && name.endsWith('.bin')) return;
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
        },
        { prefer: kind, id, paths: Object.keys(daff).slice(0, 48) },
      );
      // The tab goes away while the write is under way, as when the user closes it.
      if (kind === 'indexeddb') await new Promise((resolve) => setTimeout(resolve, 50));
      await page.close();

      const after = await page.context().newPage();
      await after.goto(BASE_URL);
      await loadHarness(after);
      const { read, next } = await after.evaluate(
        async ({ prefer, id }) => {
          const h = window.quantaStorageHarness;
          const store = await h.openBrowserMeshStore({ prefer });
          const read = h.toWire(await store.read(id));
          // The interrupted write left nothing in the way of the next one.
          await store.write(id, new Map([['mesh.yaml', new TextEncoder().encode('name: after the crash\n')]]));
          return { read, next: h.toWire(await store.read(id)) };
        },
        { prefer: kind, id },
      );
      expect(next).toEqual({ ...read, 'mesh.yaml': text('name: after the crash\n') });
      const rewritten = Object.keys(daff).slice(0, 48);
      const changed = rewritten.filter((path) => read[path] !== daff[path]);
      console.log('CUT', kind, changed.length);
      expect(Object.keys(read).sort()).toEqual(Object.keys(daff).sort());
      expect([0, rewritten.length], `${changed.length} of ${rewritten.length} files were rewritten`).toContain(changed.length);
      await after.close();
    });
  }, 120_000);

  if (kind === 'opfs')
    it('compacts its packs, so saving the same big file again and again does not fill the disk', async () => {
      await withHarness(browser, async (page) => {
        const result = await page.evaluate(async () => {
          const h = window.quantaStorageHarness;
          const store = await h.openBrowserMeshStore({ prefer: 'opfs' });
          const id = await store.create('Busy', 'new', new Map([['mesh.yaml', new TextEncoder().encode('name: busy\n')]]));
          for (let version = 1; version <= 12; version++) {
            // Each pack also holds a small file that stays live, so no pack becomes garbage by itself.
            await store.write(
              id,
              new Map([
                ['data/big.bin', new Uint8Array(2 * 1024 * 1024).fill(version)],
                [`notes/v${version}.md`, new TextEncoder().encode(`# version ${version}\n`)],
              ]),
            );
          }
          const folder = await (await (await navigator.storage.getDirectory()).getDirectoryHandle('quanta-meshes')).getDirectoryHandle(id);
          let stored = 0;
          for await (const handle of folder.values()) if (handle.kind === 'file') stored += (await handle.getFile()).size;
          const files = await store.read(id);
          return { stored, last: files.get('data/big.bin')?.[0], size: files.get('data/big.bin')?.length, count: files.size };
        });
        expect(result).toMatchObject({ last: 12, size: 2 * 1024 * 1024, count: 14 });
        // Twelve versions written (24 MB); what stays is the live 2 MB plus at most the slack.
        expect(result.stored).toBeLessThan(2 * (2 * 1024 * 1024) + 4 * 1024 * 1024 + 4096);
      });
    });

  if (kind === 'opfs')
    it('forgets a mesh whose removal was cut short (its manifest gone) and deletes its folder', async () => {
      await withHarness(browser, async (page) => {
        const result = await page.evaluate(async () => {
          const h = window.quantaStorageHarness;
          const store = await h.openBrowserMeshStore({ prefer: 'opfs' });
          const kept = await store.create('Kept', 'new', new Map([['mesh.yaml', new TextEncoder().encode('name: kept\n')]]));
          const cut = await store.create('Cut', 'new', new Map([['mesh.yaml', new TextEncoder().encode('name: cut\n')]]));
          const meshes = await (await navigator.storage.getDirectory()).getDirectoryHandle('quanta-meshes');
          await (await meshes.getDirectoryHandle(cut)).removeEntry('manifest.json');
          const listed = (await store.list()).map((m) => m.id);
          const folders: string[] = [];
          for await (const name of meshes.keys()) folders.push(name);
          return { kept, listed, folders };
        });
        expect(result.listed).toEqual([result.kept]);
        expect(result.folders).toEqual([result.kept]);
      });
    });
});
