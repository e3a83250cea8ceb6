import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acknowledgeArguments, IpcArgumentError, recentArguments, saveArguments } from '../../electron/ipcArguments.ts';
import { MeshFolderError, MeshSession } from '../../electron/meshSession.ts';
import { RecentMeshes } from '../../electron/recentMeshes.ts';
import { SAMPLES_DIR, tempDir } from '../helpers.ts';

/* Electron main's file logic, without Electron: opening, saving, conflicts, the watcher. */
const sessions: MeshSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.unwatch();
});

async function helloCopy(): Promise<{ dir: string; session: MeshSession }> {
  const dir = await tempDir('session');
  await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
  const session = await MeshSession.open(dir);
  sessions.push(session);
  return { dir, session };
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const PRODUCT = 'domains/sales/orders/product.odps.yaml';

describe('a mesh session', () => {
  it('reads every file of the mesh folder, seed data included, and skips .git and hidden files', async () => {
    const { dir, session } = await helloCopy();
    await fsp.mkdir(nodePath.join(dir, '.git'));
    await fsp.writeFile(nodePath.join(dir, '.git/HEAD'), 'ref');
    await fsp.writeFile(nodePath.join(dir, '.DS_Store'), 'x');
    const files = await session.readAll();
    expect(files.has('mesh.yaml')).toBe(true);
    expect(files.has('domains/sales/orders/data/orders.csv')).toBe(true);
    expect([...files.keys()].some((p) => p.startsWith('.git') || p === '.DS_Store')).toBe(false);
  });

  it('refuses a folder that is not a mesh, saying why', async () => {
    const dir = await tempDir('not-mesh');
    await expect(MeshSession.open(dir)).rejects.toThrow(new MeshFolderError(`${dir} is not a mesh folder: it has no mesh.yaml`));
    await expect(MeshSession.open(nodePath.join(dir, 'nope'))).rejects.toThrow('does not exist');
  });

  it('saves atomically and refuses to overwrite a file changed on disk since it was read', async () => {
    const { dir, session } = await helloCopy();
    await session.readAll();
    const edited = bytes('# edited by Quanta\n');
    expect(await session.save([{ path: PRODUCT, content: edited }])).toEqual({ ok: true, written: [PRODUCT], deleted: [] });
    expect(await fsp.readFile(nodePath.join(dir, PRODUCT), 'utf8')).toBe('# edited by Quanta\n');

    await fsp.writeFile(nodePath.join(dir, PRODUCT), '# edited in another editor\n');
    expect(await session.save([{ path: PRODUCT, content: bytes('# second edit\n') }])).toEqual({ ok: false, conflicts: [PRODUCT] });
    expect(await fsp.readFile(nodePath.join(dir, PRODUCT), 'utf8')).toBe('# edited in another editor\n');

    expect((await session.save([{ path: PRODUCT, content: bytes('# second edit\n') }], { overwrite: true })).ok).toBe(true);
    const leftovers = (await fsp.readdir(nodePath.dirname(nodePath.join(dir, PRODUCT)))).filter((f) => f.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });

  it('creates new files and deletes files, but never writes outside the folder, even through a symlink', async () => {
    const { dir, session } = await helloCopy();
    await session.readAll();
    const created = 'domains/finance/weekly/transform.sql';
    expect(await session.save([{ path: created, content: bytes('SELECT 1') }])).toMatchObject({ ok: true, written: [created] });
    expect(await session.save([{ path: created, content: null }])).toMatchObject({ ok: true, deleted: [created] });
    await expect(session.save([{ path: '../escape.txt', content: bytes('x') }])).rejects.toThrow('is not a path inside the mesh folder');
    const outside = await tempDir('outside');
    await fsp.symlink(outside, nodePath.join(dir, 'domains/link'));
    await expect(session.save([{ path: 'domains/link/x.yaml', content: bytes('x') }])).rejects.toThrow('through a symbolic link');
    expect(await fsp.readdir(outside)).toEqual([]);
  });

  it('reports files edited by another program, not its own saves', async () => {
    const { dir, session } = await helloCopy();
    await session.readAll();
    const seen: string[][] = [];
    session.watch((paths) => seen.push(paths), 100);
    await session.save([{ path: PRODUCT, content: bytes('# by Quanta\n') }]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(seen).toEqual([]);
    await fsp.writeFile(nodePath.join(dir, 'mesh.yaml'), 'name: changed-elsewhere\n');
    await expect.poll(() => seen.flat(), { timeout: 5_000 }).toContain('mesh.yaml');
    await session.acknowledge(['mesh.yaml']);
    expect((await session.save([{ path: 'mesh.yaml', content: bytes('name: x\n') }])).ok).toBe(true);
  });
});

describe('IPC arguments', () => {
  it('accepts a well-formed save', () => {
    expect(
      saveArguments({
        changes: [
          { path: PRODUCT, content: bytes('x') },
          { path: 'mesh.yaml', content: null },
        ],
      }),
    ).toEqual({
      changes: [
        { path: PRODUCT, content: bytes('x') },
        { path: 'mesh.yaml', content: null },
      ],
      overwrite: false,
    });
  });

  it.each([
    ['not an object', 'nope', 'the save request must be an object'],
    ['changes not a list', { changes: 'x' }, 'changes must be a list'],
    ['absolute path', { changes: [{ path: '/etc/passwd', content: null }] }, 'must be relative to the mesh folder'],
    ['.. segment', { changes: [{ path: 'a/../../b', content: null }] }, 'must not contain empty, . or .. segments'],
    ['backslash', { changes: [{ path: 'a\\..\\b', content: null }] }, 'must be relative to the mesh folder'],
    ['string content', { changes: [{ path: 'a.yaml', content: 'text' }] }, 'must be bytes (Uint8Array) or null'],
    [
      'duplicate path',
      {
        changes: [
          { path: 'mesh.yaml', content: null },
          { path: 'mesh.yaml', content: null },
        ],
      },
      'appears twice',
    ],
    ['overwrite not boolean', { changes: [], overwrite: 'yes' }, 'overwrite must be true or false'],
  ])('rejects %s', (_name, value, message) => {
    expect(() => saveArguments(value)).toThrow(IpcArgumentError);
    expect(() => saveArguments(value)).toThrow(message);
  });

  it('rejects acknowledging paths outside the mesh and opening a folder that is not a recent one', () => {
    expect(() => acknowledgeArguments(['../x'])).toThrow(IpcArgumentError);
    expect(() => recentArguments('/etc', ['/home/me/mesh'])).toThrow('not one of the recent meshes');
    expect(recentArguments('/home/me/mesh', ['/home/me/mesh'])).toBe('/home/me/mesh');
  });
});

describe('recent meshes', () => {
  it('keeps folders newest first, without duplicates or folders that are gone, and survives a damaged file', async () => {
    const dir = await tempDir('recent');
    const file = nodePath.join(dir, 'recent.json');
    const recent = new RecentMeshes(file);
    const a = await tempDir('mesh-a');
    const b = await tempDir('mesh-b');
    await recent.add(a);
    await recent.add(b);
    expect(await recent.add(a)).toEqual([a, b]);
    await fsp.rm(b, { recursive: true });
    expect(await recent.list()).toEqual([a]);
    await fsp.writeFile(file, '{ not json');
    expect(await recent.list()).toEqual([]);
  });
});
