import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DesktopBackend } from '../../electron/desktopBackend.ts';
import { IpcArgumentError } from '../../electron/ipcArguments.ts';
import { menuSpec, type MenuItemSpec } from '../../electron/menuSpec.ts';
import { RecentMeshes } from '../../electron/recentMeshes.ts';
import { SAMPLES_DIR, tempDir } from '../helpers.ts';

/* What Electron main does for the renderer, driven as main drives it, without Electron. */
const backends: DesktopBackend[] = [];
afterEach(() => {
  for (const b of backends.splice(0)) b.close();
});

async function setup(choice: string | undefined): Promise<{ backend: DesktopBackend; changes: string[][]; recentFile: string }> {
  const changes: string[][] = [];
  const recentFile = nodePath.join(await tempDir('backend'), 'recent.json');
  const backend = new DesktopBackend({
    chooseFolder: async () => choice,
    recent: new RecentMeshes(recentFile),
    notifyExternalChange: (paths) => changes.push(paths),
  });
  backends.push(backend);
  return { backend, changes, recentFile };
}

async function helloCopy(): Promise<string> {
  const dir = await tempDir('backend-mesh');
  await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
  return fsp.realpath(dir);
}

describe('the desktop backend', () => {
  it('opens the folder the user picked, returns its files, remembers it as recent and watches it', async () => {
    const dir = await helloCopy();
    const { backend, changes } = await setup(dir);
    const opened = await backend.openFolder();
    if (!opened.ok) throw new Error('did not open');
    expect(opened.mesh.folder).toBe(dir);
    expect(Object.keys(opened.mesh.files)).toContain('domains/sales/orders/data/orders.csv');
    expect(await backend.recentMeshes()).toEqual([dir]);
    await fsp.writeFile(nodePath.join(dir, 'mesh.yaml'), 'name: changed\n');
    await expect.poll(() => changes.flat(), { timeout: 5_000 }).toContain('mesh.yaml');
  });

  it('says why a folder cannot be opened, and that a cancelled dialog is a cancel', async () => {
    const empty = await tempDir('not-a-mesh');
    expect(await (await setup(empty)).backend.openFolder()).toEqual({
      ok: false,
      message: `${empty} is not a mesh folder: it has no mesh.yaml`,
    });
    expect(await (await setup(undefined)).backend.openFolder()).toEqual({ ok: false, cancelled: true });
  });

  it('opens only folders it listed as recent itself', async () => {
    const dir = await helloCopy();
    const { backend } = await setup(dir);
    await backend.openFolder();
    await expect(backend.openRecent('/etc')).rejects.toThrow(IpcArgumentError);
    expect((await backend.openRecent(dir)).ok).toBe(true);
  });

  it('saves through the open session, validating the request', async () => {
    const dir = await helloCopy();
    const { backend } = await setup(dir);
    await expect(backend.save({ changes: [] })).rejects.toThrow('no mesh folder is open');
    await backend.openFolder();
    const content = new TextEncoder().encode('# new\n');
    expect(await backend.save({ changes: [{ path: 'notes.md', content }] })).toEqual({ ok: true, written: ['notes.md'], deleted: [] });
    await expect(backend.save({ changes: [{ path: '../x', content }] })).rejects.toThrow(IpcArgumentError);
  });
});

describe('the desktop menus', () => {
  const labels = (items: readonly MenuItemSpec[]): string[] =>
    items.flatMap((item) => ('label' in item ? [item.label] : 'role' in item ? [item.role] : []));

  it('have every command of the issue with its shortcut', () => {
    const menus = menuSpec({ samples: [{ folder: 'daff', title: 'Daff' }], recent: ['/home/me/mesh'] });
    const byLabel = Object.fromEntries(menus.map((m) => [m.label, labels(m.items)]));
    expect(byLabel).toEqual({
      File: ['New Mesh…', 'Open Folder…', 'Open Sample', 'Open Recent', 'Save', 'Save As…', 'quit'],
      Edit: ['Undo', 'Redo'],
      View: ['zoomIn', 'zoomOut', 'resetZoom', 'Toggle Inspector', 'Toggle Run Log', 'togglefullscreen', 'reload', 'toggleDevTools'],
      Help: ['Quanta Help', 'About Quanta'],
    });
    const file = menus[0]?.items ?? [];
    expect(file.find((i) => 'label' in i && i.label === 'Save')).toMatchObject({ command: 'save', accelerator: 'CmdOrCtrl+S' });
    expect(menus[1]?.items.find((i) => 'label' in i && i.label === 'Redo')).toMatchObject({ accelerator: 'Shift+CmdOrCtrl+Z' });
    expect(file.find((i) => 'label' in i && i.label === 'Open Sample')).toMatchObject({
      submenu: [{ label: 'Daff', command: 'open-sample', argument: 'daff' }],
    });
    expect(file.find((i) => 'label' in i && i.label === 'Open Recent')).toMatchObject({
      submenu: [{ label: '/home/me/mesh', action: 'open-recent', argument: '/home/me/mesh' }],
    });
  });
});
