import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import nodePath from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DesktopBackend } from '../../electron/desktopBackend.ts';
import { MeshSession, type SaveSeams } from '../../electron/meshSession.ts';
import { RecentMeshes } from '../../electron/recentMeshes.ts';
import { createAppStore, type AppStore } from '../../renderer/src/store/appStore.ts';
import { openDesktopMesh } from '../../renderer/src/actions/openActions.ts';
import type { SaveTargets } from '../../renderer/src/workspace/saveTargets.ts';
import { SAMPLES_DIR, tempDir } from '../helpers.ts';

/*
 * What the desktop save path did on disk reaches the user: a save undone by another program's
 * edit, with that program's other version kept as `<file>.conflict-<id>`, and an interrupted
 * save completed or undone when the mesh is opened again. Real files, the real backend and
 * session, the real app store; crashes simulated by a save frozen for good at a seam.
 */
const sessions: MeshSession[] = [];
const backends: DesktopBackend[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.unwatch();
  for (const b of backends.splice(0)) b.close();
});

const PRODUCT = 'domains/sales/orders/product.odps.yaml';
const CONTRACT = 'domains/sales/orders/orders.odcs.yaml';
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const read = (dir: string, path: string): Promise<string> => fsp.readFile(nodePath.join(dir, path), 'utf8');

async function helloCopy(seams?: SaveSeams): Promise<{ dir: string; session: MeshSession }> {
  const dir = await fsp.realpath(await tempDir('disk-notices'));
  await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
  const session = await MeshSession.open(dir, seams ? { seams } : {});
  sessions.push(session);
  await session.readAll();
  return { dir, session };
}

/** What a crash at `seam` leaves on disk: a save that stops there for good. */
async function crashedAt(seam: keyof SaveSeams, then?: (dir: string) => Promise<void>): Promise<string> {
  let reach = (): void => undefined;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const { dir, session } = await helloCopy({
    [seam]: () => {
      reach();
      return new Promise<void>(() => undefined);
    },
  });
  void session.save([
    { path: PRODUCT, content: bytes('# saved product\n') },
    { path: CONTRACT, content: bytes('# saved contract\n') },
  ]);
  await reached;
  await then?.(dir);
  return dir;
}

function appStore(saveTargets?: SaveTargets): AppStore {
  return createAppStore({
    folders: [],
    openSample: undefined,
    createHost: () => Promise.reject(new Error('no runs in this test')),
    autosaveMs: 0,
    ...(saveTargets ? { saveTargets } : {}),
  });
}

/** Opens `dir` as the desktop app does: the backend reads it, the renderer opens the result. */
async function openInApp(dir: string): Promise<AppStore> {
  const backend = new DesktopBackend({
    chooseFolder: async () => dir,
    recent: new RecentMeshes(nodePath.join(await tempDir('recent'), 'recent.json')),
    notifyExternalChange: () => undefined,
  });
  backends.push(backend);
  const opened = await backend.openFolder();
  if (!opened.ok) throw new Error('the folder did not open');
  const store = appStore();
  await openDesktopMesh(store, opened.mesh);
  return store;
}

describe('recovery on open, told in the app', () => {
  it('says an interrupted save was completed, naming its files, when the crash came after its journal', async () => {
    const store = await openInApp(await crashedAt('afterClaim'));
    expect(store.getState().document.status).toBe('open');
    expect(store.getState().diskNotices).toEqual([
      {
        id: 'recovery',
        kind: 'recovery',
        message: 'An interrupted save was completed when this mesh was opened: 2 files.',
        details: [`${PRODUCT}: now as that save wrote it`, `${CONTRACT}: now as that save wrote it`],
      },
    ]);
  });

  it('says an interrupted save was undone and the files are as before it, when the crash came before its journal', async () => {
    const dir = await crashedAt('afterCheck');
    const before = await fsp.readFile(nodePath.join(SAMPLES_DIR, 'hello-mesh', PRODUCT), 'utf8');
    const store = await openInApp(dir);
    expect(store.getState().diskNotices.map((n) => n.message)).toEqual([
      'An interrupted save was undone when this mesh was opened: the files are as before it.',
    ]);
    expect(await read(dir, PRODUCT)).toBe(before);
  });

  it("names a file another program changed after the crash, kept instead of the interrupted save's version", async () => {
    const dir = await crashedAt('afterPlace', (d) => fsp.writeFile(nodePath.join(d, PRODUCT), '# edited after the crash\n'));
    const [notice] = (await openInApp(dir)).getState().diskNotices;
    expect(notice?.details).toContain(
      `${PRODUCT}: changed by another program after the interruption, kept as it is (the interrupted save's version was dropped)`,
    );
    expect(await read(dir, PRODUCT)).toBe('# edited after the crash\n');
  });

  it("shows a right-to-left override in a leftover's name as <U+202E>, so the notice names the file that is on disk", async () => {
    // A stranger's mesh can ship save leftovers with any name: no journal, a set-aside file
    // whose target is taken, so recovery keeps it beside as `.conflict-<id>`.
    const { dir } = await helloCopy();
    const name = 'notes\u202Elmth.yaml';
    await fsp.writeFile(nodePath.join(dir, 'domains', name), 'on disk\n');
    await fsp.writeFile(nodePath.join(dir, 'domains', `.${name}.0123456789ab.quanta-old`), 'left over\n');
    const [notice] = (await openInApp(dir)).getState().diskNotices;
    expect(notice?.message).toBe('An interrupted save was undone when this mesh was opened: the files are as before it.');
    expect(notice?.details).toEqual([
      "domains/notes<U+202E>lmth.yaml: a version found among the save's leftovers, neither the old one nor the saved one, " +
        'is kept as notes<U+202E>lmth.yaml.conflict-0123456789ab; compare, then delete it',
    ]);
    expect(await read(dir, `domains/${name}.conflict-0123456789ab`)).toBe('left over\n');
  });

  it('says nothing after a clean open, and a notice goes when dismissed', async () => {
    const { dir } = await helloCopy();
    expect((await openInApp(dir)).getState().diskNotices).toEqual([]);
    const store = await openInApp(await crashedAt('afterClaim'));
    store.getState().dismissDiskNotice('recovery');
    expect(store.getState().diskNotices).toEqual([]);
  });
});

describe('a save another program raced, told in the app', () => {
  it('names the file and where the other version is kept, says nothing was saved, and stays until dismissed', async () => {
    // An editor that opened the file before Quanta moved it aside writes into it afterwards,
    // and meanwhile something writes a new file at the name: the save is undone, and the
    // editor's version cannot go back to the taken name.
    let held: FileHandle | undefined;
    const { dir, session } = await helloCopy({
      afterCheck: async () => {
        held = await fsp.open(nodePath.join(dir, PRODUCT), 'r+');
      },
      afterClaim: async () => {
        await held?.truncate(0);
        await held?.write('# written by an editor that kept the file open\n', 0);
        await held?.close();
        await fsp.writeFile(nodePath.join(dir, PRODUCT), '# written at the name meanwhile\n');
      },
    });
    const store = appStore({
      browserStore: () => Promise.reject(new Error('no browser storage in this test')),
      folder: () => undefined,
      // What DesktopBackend.save hands back is the session's result, unchanged.
      desktop: () => ({ save: (request) => session.save(request.changes, { overwrite: request.overwrite ?? false }) }),
    });
    const files = new Map<string, Uint8Array>();
    for (const [path, content] of await session.readAll()) files.set(path, content);
    await store.getState().openFiles({ kind: 'desktop', folder: dir }, files);
    store.getState().change({ edit: { kind: 'setField', file: PRODUCT, path: ['name'], value: 'Mine' } }, 'Rename orders');
    await store.getState().save();

    expect(store.getState().saveState).toEqual({ status: 'conflict', conflicts: [PRODUCT] });
    const notices = store.getState().diskNotices;
    expect(notices).toHaveLength(1);
    const keptAs = notices[0]?.id.replace(/^kept-aside:/, '') ?? '';
    expect(keptAs).toMatch(/^domains\/sales\/orders\/product\.odps\.yaml\.conflict-[0-9a-f]{12}$/);
    const name = keptAs.split('/').at(-1);
    expect(notices[0]?.message).toBe(
      `${PRODUCT} changed on disk while saving, so nothing of this save was written: your edits are still here, unsaved. ` +
        `The file holds the other program's newest version; another version it wrote meanwhile is kept as ${name}. ` +
        `Compare the two, keep what you need, then delete ${name}.`,
    );
    // The message says what is on disk.
    expect(await read(dir, PRODUCT)).toBe('# written at the name meanwhile\n');
    expect(await read(dir, keptAs)).toBe('# written by an editor that kept the file open\n');

    // Persistent: an edit does not clear it (the kept file is still on disk); Dismiss does.
    store.getState().change({ edit: { kind: 'setField', file: PRODUCT, path: ['name'], value: 'Mine again' } }, 'Rename orders');
    expect(store.getState().diskNotices).toEqual(notices);
    store.getState().dismissDiskNotice(notices[0]?.id ?? '');
    expect(store.getState().diskNotices).toEqual([]);
  });
});
