import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DesktopBackend } from '../../electron/desktopBackend.ts';
import { IpcArgumentError } from '../../electron/ipcArguments.ts';
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
    // Nothing was interrupted: the recovery report the renderer gets is empty.
    expect(opened.mesh.recovery).toEqual({ completedSave: false, rolledForward: [], removed: [], preserved: [], kept: [] });
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
    expect(await backend.save({ changes: [{ path: 'README.md', content }] })).toEqual({ ok: true, written: ['README.md'], deleted: [] });
    await expect(backend.save({ changes: [{ path: '../x', content }] })).rejects.toThrow(IpcArgumentError);
    await expect(backend.save({ changes: [{ path: 'notes.md', content }] })).rejects.toThrow('is not a file of the mesh format');
  });
});
