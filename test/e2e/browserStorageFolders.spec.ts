/**
 * Opening and exporting a mesh in Chromium: a folder chosen with <input webkitdirectory>, a
 * folder picked with the File System Access API (saved into, conflicts refused), a .zip
 * download. The harness: storageHarness.ts.
 */
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipMesh } from '../../core/fs/zipMesh.ts';
import { sampleInMemory, tempDir } from '../helpers.ts';
import { launchChromium } from './browser.ts';
import { addFolderInput, BINARY, fromWire, toWire, withHarness } from './storageHarness.ts';

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
      await addFolderInput(page);
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
      await addFolderInput(page);
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
