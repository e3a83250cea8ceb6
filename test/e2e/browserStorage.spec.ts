/**
 * The browser storage modules in real Chromium, in the web app's own page (same origin, same
 * CSP). No app UI drives them yet, so esbuild bundles them into one script, which the page
 * loads from its own origin (a routed URL) and which exposes them as `window.quantaStorageHarness`.
 */
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipMesh, type zipMesh } from '../../core/fs/zipMesh.ts';
import type { openBrowserMeshStore } from '../../renderer/src/platform/browserMeshStore.ts';
import type { downloadBytes } from '../../renderer/src/platform/download.ts';
import type { filesFromDirectoryInput, pickMeshFolder } from '../../renderer/src/platform/folderAccess.ts';
import { REPO, sampleInMemory, tempDir } from '../helpers.ts';
import { BASE_URL, launchChromium, withPage } from './browser.ts';

interface Harness {
  openBrowserMeshStore: typeof openBrowserMeshStore;
  filesFromDirectoryInput: typeof filesFromDirectoryInput;
  pickMeshFolder: typeof pickMeshFolder;
  downloadBytes: typeof downloadBytes;
  zipMesh: typeof zipMesh;
  /** Bytes cross page.evaluate as base64. */
  toWire(files: ReadonlyMap<string, Uint8Array>): Wire;
  fromWire(wire: Wire): Map<string, Uint8Array>;
  changesFromWire(wire: Record<string, string | null>): Map<string, Uint8Array | null>;
}
type Wire = Record<string, string>;

declare global {
  interface Window {
    quantaStorageHarness: Harness;
  }
}

const HARNESS_SOURCE = `
import { openBrowserMeshStore } from './renderer/src/platform/browserMeshStore.ts';
import { filesFromDirectoryInput, pickMeshFolder } from './renderer/src/platform/folderAccess.ts';
import { downloadBytes } from './renderer/src/platform/download.ts';
import { zipMesh } from './core/fs/zipMesh.ts';
const encode = (bytes) => { let s = ''; for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000)); return btoa(s); };
const decode = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
window.quantaStorageHarness = {
  openBrowserMeshStore, filesFromDirectoryInput, pickMeshFolder, downloadBytes, zipMesh,
  toWire: (files) => Object.fromEntries([...files].map(([path, bytes]) => [path, encode(bytes)])),
  fromWire: (wire) => new Map(Object.entries(wire).map(([path, text]) => [path, decode(text)])),
  changesFromWire: (wire) => new Map(Object.entries(wire).map(([path, text]) => [path, text === null ? null : decode(text)])),
};
`;
const HARNESS_URL = new URL('__e2e__/browserStorageHarness.js', BASE_URL).href;

let harnessScript: Promise<string> | undefined;

/** The harness bundled once per run, from the modules as they are on disk. */
function harnessBundle(): Promise<string> {
  harnessScript ??= build({
    stdin: { contents: HARNESS_SOURCE, resolveDir: REPO, loader: 'ts', sourcefile: 'browserStorageHarness.ts' },
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return harnessScript;
}

/** Opens the app, loads the harness from the app's origin (so the app's CSP allows it), runs `use`. */
function withHarness(browser: Browser, use: (page: Page) => Promise<void>): Promise<void> {
  return withPage(browser, '', async (page) => {
    const harnessScript = await harnessBundle();
    await page.context().route(HARNESS_URL, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: harnessScript }));
    await loadHarness(page);
    await use(page);
  });
}

async function loadHarness(page: Page): Promise<void> {
  await page.addScriptTag({ url: HARNESS_URL });
  await page.waitForFunction(() => window.quantaStorageHarness !== undefined);
}

const toWire = (files: ReadonlyMap<string, Uint8Array>): Wire =>
  Object.fromEntries([...files].map(([path, bytes]) => [path, Buffer.from(bytes).toString('base64')]));
const fromWire = (wire: Wire): Map<string, Uint8Array> =>
  new Map(Object.entries(wire).map(([path, text]) => [path, new Uint8Array(Buffer.from(text, 'base64'))]));
const text = (value: string): string => Buffer.from(value).toString('base64');

/** Every byte value and invalid UTF-8: a seed file that must come back as the same bytes. */
const BINARY = new Uint8Array([...Array.from({ length: 256 }, (_, i) => i), 0xff, 0xfe, 0x00, 0xc3]);

describe.each(['opfs', 'indexeddb'] as const)('browser mesh store (%s, in Chromium)', (kind) => {
  let browser: Browser;
  let daff: Wire;

  beforeAll(async () => {
    browser = await launchChromium();
    const files = (await sampleInMemory('daff')).fs.snapshot();
    files.set('domains/songs/music-catalog/data/cover.bin', BINARY);
    daff = toWire(files);
  });
  afterAll(async () => {
    await browser?.close();
  });

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
        const id = await page.evaluate(
          async ({ prefer, files }) => {
            const h = window.quantaStorageHarness;
            return (await h.openBrowserMeshStore({ prefer })).create('Full disk', 'zip', h.fromWire(files));
          },
          { prefer: kind, files: daff },
        );
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
      const id = await page.evaluate(
        async ({ prefer, files }) => {
          const h = window.quantaStorageHarness;
          return (await h.openBrowserMeshStore({ prefer })).create('Crash', 'zip', h.fromWire(files));
        },
        { prefer: kind, files: daff },
      );
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

  it('keeps meshes across a page reload', async () => {
    await withHarness(browser, async (page) => {
      const id = await page.evaluate(
        async ({ prefer, files }) => {
          const h = window.quantaStorageHarness;
          return (await h.openBrowserMeshStore({ prefer })).create('Kept', 'folder', h.fromWire(files));
        },
        { prefer: kind, files: daff },
      );
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

describe('folder input and download (in Chromium)', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('reads a folder chosen with <input webkitdirectory>, leaving out .git, node_modules, hidden and huge files', async () => {
    const dir = nodePath.join(await tempDir('folder-input'), 'my-mesh');
    const write = async (path: string, content: string | Uint8Array): Promise<void> => {
      await fsp.mkdir(nodePath.dirname(nodePath.join(dir, path)), { recursive: true });
      await fsp.writeFile(nodePath.join(dir, path), content);
    };
    await write('mesh.yaml', 'name: my-mesh\n');
    await write('domains/sales/domain.yaml', 'id: sales\n');
    await write('domains/sales/orders/data/seed.bin', BINARY);
    await write('.git/HEAD', 'ref: refs/heads/main\n');
    await write('node_modules/x/index.js', '');
    await write('.DS_Store', 'junk');
    // Sparse: 65 MB on paper, nothing on disk; the browser sees its size without reading it.
    const huge = await fsp.open(nodePath.join(dir, 'domains/sales/orders/data/huge.csv'), 'w');
    await huge.truncate(65 * 1024 * 1024);
    await huge.close();

    await withHarness(browser, async (page) => {
      await page.evaluate(() => {
        const input = document.createElement('input');
        input.type = 'file';
        input.webkitdirectory = true;
        input.id = 'mesh-folder';
        document.body.append(input);
      });
      await page.setInputFiles('#mesh-folder', dir);
      const result = await page.evaluate(async () => {
        const h = window.quantaStorageHarness;
        const input = document.querySelector<HTMLInputElement>('#mesh-folder');
        const { name, files, warnings } = await h.filesFromDirectoryInput(input?.files ?? new DataTransfer().files);
        return { name, files: h.toWire(files), warnings };
      });
      expect(result.name).toBe('my-mesh');
      expect(Object.keys(result.files).sort()).toEqual(['domains/sales/domain.yaml', 'domains/sales/orders/data/seed.bin', 'mesh.yaml']);
      expect(fromWire(result.files).get('domains/sales/orders/data/seed.bin')).toEqual(BINARY);
      expect(result.warnings).toEqual(['Left out "domains/sales/orders/data/huge.csv" (65 MB): Quanta opens files up to 64 MB.']);
    });
  });

  it('refuses a chosen folder without mesh.yaml and points at the mesh inside it', async () => {
    const dir = nodePath.join(await tempDir('folder-input'), 'projects');
    await fsp.mkdir(nodePath.join(dir, 'shop'), { recursive: true });
    await fsp.writeFile(nodePath.join(dir, 'shop', 'mesh.yaml'), 'name: shop\n');
    await withHarness(browser, async (page) => {
      await page.evaluate(() => {
        const input = document.createElement('input');
        input.type = 'file';
        input.webkitdirectory = true;
        input.id = 'mesh-folder';
        document.body.append(input);
      });
      await page.setInputFiles('#mesh-folder', dir);
      const message = await page.evaluate(async () => {
        const input = document.querySelector<HTMLInputElement>('#mesh-folder');
        return window.quantaStorageHarness.filesFromDirectoryInput(input?.files ?? new DataTransfer().files).then(
          () => 'accepted',
          (error: Error) => error.message,
        );
      });
      expect(message).toBe(
        'The folder "projects" is not a mesh folder: it has no mesh.yaml. There is one in "shop": open that folder instead.',
      );
    });
  });

  // The folder dialog cannot be driven headless. Here it is replaced by a function handing
  // back a real directory handle (a folder in OPFS, same API as a folder on disk), so
  // pickMeshFolder's reading, writing and conflict checks run for real.
  it('opens a picked folder, saves into it, and refuses to overwrite a file changed behind its back', async () => {
    await withHarness(browser, async (page) => {
      const result = await page.evaluate(async () => {
        const h = window.quantaStorageHarness;
        const encoder = new TextEncoder();
        const root = await (await navigator.storage.getDirectory()).getDirectoryHandle('picked-mesh', { create: true });
        const put = async (path: string, content: string): Promise<void> => {
          const parts = path.split('/');
          let folder = root;
          for (const part of parts.slice(0, -1)) folder = await folder.getDirectoryHandle(part, { create: true });
          const stream = await (await folder.getFileHandle(parts[parts.length - 1] ?? '', { create: true })).createWritable();
          await stream.write(content);
          await stream.close();
        };
        const get = async (path: string): Promise<string | undefined> => {
          const parts = path.split('/');
          let folder = root;
          try {
            for (const part of parts.slice(0, -1)) folder = await folder.getDirectoryHandle(part);
            return await (await (await folder.getFileHandle(parts[parts.length - 1] ?? '')).getFile()).text();
          } catch {
            return undefined;
          }
        };
        await put('mesh.yaml', 'name: picked\n');
        await put('domains/a/domain.yaml', 'id: a\n');
        await put('.git/HEAD', 'ref: main\n');
        await put('node_modules/x/index.js', '');
        const picker = window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> };

        picker.showDirectoryPicker = () => Promise.reject(new DOMException('The user aborted a request.', 'AbortError'));
        const cancelled = await h.pickMeshFolder();

        picker.showDirectoryPicker = () => Promise.resolve(root);
        const opened = await h.pickMeshFolder();
        if (!opened) throw new Error('pickMeshFolder returned nothing');
        await opened.write(
          new Map<string, Uint8Array | null>([
            ['mesh.yaml', encoder.encode('name: saved\n')],
            ['domains/b/domain.yaml', encoder.encode('id: b\n')],
            ['domains/a/domain.yaml', null],
          ]),
        );
        const saved = { mesh: await get('mesh.yaml'), b: await get('domains/b/domain.yaml'), a: await get('domains/a/domain.yaml') };

        // Another program edits mesh.yaml; Quanta's next save must not silently undo that.
        await new Promise((resolve) => setTimeout(resolve, 20));
        await put('mesh.yaml', 'name: edited elsewhere\n');
        const conflict = await opened.write(new Map([['mesh.yaml', encoder.encode('name: quanta again\n')]])).then(
          () => 'saved over it',
          (error: Error & { paths?: readonly string[] }) => ({ name: error.name, message: error.message, paths: error.paths }),
        );
        const keptExternal = await get('mesh.yaml');
        await opened.write(new Map([['mesh.yaml', encoder.encode('name: quanta again\n')]]), { overwrite: true });
        return {
          cancelled: cancelled === undefined,
          name: opened.name,
          files: [...opened.files.keys()].sort(),
          saved,
          conflict,
          keptExternal,
          overwritten: await get('mesh.yaml'),
        };
      });
      expect(result).toEqual({
        cancelled: true,
        name: 'picked-mesh',
        files: ['domains/a/domain.yaml', 'mesh.yaml'],
        saved: { mesh: 'name: saved\n', b: 'id: b\n', a: undefined },
        conflict: {
          name: 'FolderConflictError',
          message: 'Not saved: "mesh.yaml" changed in the folder "picked-mesh" since Quanta opened it.',
          paths: ['mesh.yaml'],
        },
        keptExternal: 'name: edited elsewhere\n',
        overwritten: 'name: quanta again\n',
      });
    });
  });

  it('downloads a mesh as a .zip that unzips to the same files', async () => {
    const files = (await sampleInMemory('hello-mesh')).fs.snapshot();
    await withHarness(browser, async (page) => {
      const download = page.waitForEvent('download');
      await page.evaluate((wire) => {
        const h = window.quantaStorageHarness;
        h.downloadBytes(h.zipMesh(h.fromWire(wire), 'hello-mesh'), 'hello/mesh.zip', 'application/zip');
      }, toWire(files));
      const saved = await download;
      expect(saved.suggestedFilename()).toBe('hello-mesh.zip');
      const path = nodePath.join(await tempDir('download'), 'hello-mesh.zip');
      await saved.saveAs(path);
      const back = unzipMesh(new Uint8Array(await fsp.readFile(path)), 'hello-mesh.zip');
      expect(toWire(back)).toEqual(toWire(files));
    });
  });
});
