import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bindDesktopCalls, DesktopBackend } from '../../electron/desktopBackend.ts';
import { DESKTOP_CHANNELS } from '../../electron/desktopChannels.ts';
import { createPreloadApi, type PreloadIpc } from '../../electron/preloadApi.ts';
import { RecentMeshes } from '../../electron/recentMeshes.ts';
import { createAppStore, type AppStore } from '../../renderer/src/store/appStore.ts';
import { followDesktopCommands } from '../../renderer/src/actions/desktopCommands.ts';
import { openActions } from '../../renderer/src/actions/openActions.ts';
import { platformTargets } from '../../renderer/src/workspace/platformTargets.ts';
import { SAMPLES_DIR, tempDir } from '../helpers.ts';

/*
 * The desktop contract end to end in Node, Electron left out: the renderer's open actions
 * and save target, given the API the way main.tsx passes it, call the real preload object;
 * an in-process "IPC" (structured clones, one argument, like ipcMain.handle) reaches the
 * handlers `bindDesktopCalls` binds — the function main.ts uses — on a real mesh folder.
 */

const PRODUCT = 'domains/sales/orders/product.odps.yaml';
const backends: DesktopBackend[] = [];
afterEach(() => {
  for (const b of backends.splice(0)) b.close();
});

type Listener = (event: unknown, ...args: unknown[]) => void;

async function desktop() {
  const dir = await fsp.realpath(await tempDir('desktop-round-trip'));
  await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
  const listeners = new Map<string, Set<Listener>>();
  // main → renderer: what webContents.send would deliver, through the preload's listeners.
  const send = (channel: string, ...args: unknown[]) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'ipcRenderer' }, ...structuredClone(args));
  };
  const backend = new DesktopBackend({
    chooseFolder: async () => dir,
    recent: new RecentMeshes(nodePath.join(await tempDir('recent'), 'recent.json')),
    notifyExternalChange: (paths) => send(DESKTOP_CHANNELS.onExternalChange, paths),
  });
  backends.push(backend);
  const bound = new Map<string, (argument: unknown) => Promise<unknown>>();
  bindDesktopCalls(backend, (channel, run) => bound.set(channel, run));
  const ipc: PreloadIpc = {
    invoke: async (channel, ...args) => {
      const run = bound.get(channel);
      if (!run) throw new Error(`No handler registered for '${channel}'`);
      return structuredClone(await run(structuredClone(args[0])));
    },
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    off: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const api = createPreloadApi(ipc, '0.1.0');
  const targets = platformTargets(api);
  const store: AppStore = createAppStore({
    folders: [],
    openSample: undefined,
    createHost: () => Promise.reject(new Error('nothing runs in this test')),
    autosaveMs: 0,
    saveTargets: targets,
  });
  const routes: unknown[] = [];
  const navigator = { go: (route: unknown) => void routes.push(route), applyUrl: () => undefined };
  const actions = openActions(store, navigator, targets, api);
  return { dir, api, bound, store, actions, navigator, routes, send };
}

function openDoc(store: AppStore) {
  const state = store.getState().document;
  if (state.status !== 'open') throw new Error(`no open document (${state.status}${'message' in state ? `: ${state.message}` : ''})`);
  return state.doc;
}

describe('the desktop contract, renderer to backend', () => {
  it('binds every call of the contract on its own channel', async () => {
    const { bound } = await desktop();
    expect([...bound.keys()].sort()).toEqual(['mesh:acknowledge', 'mesh:open-folder', 'mesh:open-recent', 'mesh:recent', 'mesh:save']);
  });

  it('opens the picked folder, lists it as recent, saves an edit into it and reopens it from the recent list', async () => {
    const { dir, store, actions, routes } = await desktop();
    expect(actions.isDesktop).toBe(true);
    await actions.openFolder();
    expect(routes).toEqual([{ kind: 'unsaved' }]);
    expect(openDoc(store).origin).toEqual({ kind: 'desktop', folder: dir });
    expect(await actions.recentMeshes()).toEqual([dir]);

    store.getState().change({ edit: { kind: 'setField', file: PRODUCT, path: ['name'], value: 'Shop orders' } }, 'Rename orders');
    await store.getState().save();
    expect(store.getState().saveState).toEqual({ status: 'saved' });
    expect(await fsp.readFile(nodePath.join(dir, PRODUCT), 'utf8')).toContain('name: Shop orders');

    store.getState().closeDocument();
    await actions.openRecent(dir);
    expect(openDoc(store).mesh.products.find((p) => p.id === 'orders')?.name).toBe('Shop orders');
  });

  it('refuses to save over a file another program changed, and says which', async () => {
    const { dir, store, actions } = await desktop();
    await actions.openFolder();
    await fsp.writeFile(nodePath.join(dir, PRODUCT), (await fsp.readFile(nodePath.join(dir, PRODUCT), 'utf8')) + '# edited elsewhere\n');
    store.getState().change({ edit: { kind: 'setField', file: PRODUCT, path: ['name'], value: 'Mine' } }, 'Rename orders');
    await store.getState().save();
    expect(store.getState().saveState).toEqual({ status: 'conflict', conflicts: [PRODUCT] });
    expect(await fsp.readFile(nodePath.join(dir, PRODUCT), 'utf8')).toContain('# edited elsewhere');
  });

  it('hands an edit by another program to the store through the API main.tsx passes in', async () => {
    const { dir, api, store, actions, navigator } = await desktop();
    const stop = followDesktopCommands(api, store, navigator, actions);
    await actions.openFolder();
    await fsp.writeFile(nodePath.join(dir, PRODUCT), (await fsp.readFile(nodePath.join(dir, PRODUCT), 'utf8')) + '# edited elsewhere\n');
    // The watcher reports in its own time; 20 s is a hang bound, not a speed requirement.
    await expect.poll(() => store.getState().externalChanges, { timeout: 20_000 }).toEqual([PRODUCT]);
    stop();
  });

  it('puts a menu command that failed on the notice line, through the store action', async () => {
    const { api, store, actions, navigator, send } = await desktop();
    followDesktopCommands(api, store, navigator, actions);
    // File ▸ Open Recent with a folder main does not list (any more): the backend refuses it.
    send(DESKTOP_CHANNELS.onCommand, 'open-recent', '/not/a/recent/mesh');
    await expect.poll(() => store.getState().notice, { timeout: 20_000 }).toBe('mesh:open-recent: not one of the recent meshes');
    expect(store.getState().document).toEqual({ status: 'none' });
  });
});
