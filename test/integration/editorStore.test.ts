import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { DesktopBackend } from '../../electron/desktopBackend.ts';
import { RecentMeshes } from '../../electron/recentMeshes.ts';
import { documentKey } from '../../renderer/src/workspace/meshDocument.ts';
import { createAppStore, type AppStore } from '../../renderer/src/store/appStore.ts';
import type { BrowserStoreLike } from '../../renderer/src/workspace/saveTargets.ts';
import { sampleInMemory, SAMPLES_DIR, tempDir } from '../helpers.ts';
import { disposeDriverHosts, StoreDriver } from '../storeDriver.ts';

/*
 * The editor's store end to end in Node: a mesh folder opened through the desktop backend
 * (real files, atomic writes, conflict detection), edits through core, undo/redo, autosave,
 * and runs of the edited mesh on real DuckDB-WASM quanta.
 */
const backends: DesktopBackend[] = [];
afterEach(() => {
  for (const b of backends.splice(0)) b.close();
});
afterAll(disposeDriverHosts);

const PRODUCT = 'domains/sales/orders/product.odps.yaml';
const CONTRACT = 'domains/sales/orders/orders.odcs.yaml';

async function openHello(autosaveMs = 10): Promise<{ store: AppStore; dir: string }> {
  const dir = await tempDir('editor-store');
  await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
  const real = await fsp.realpath(dir);
  const backend = new DesktopBackend({
    chooseFolder: async () => real,
    recent: new RecentMeshes(nodePath.join(await tempDir('recent'), 'recent.json')),
    notifyExternalChange: () => undefined,
  });
  backends.push(backend);
  const { store } = new StoreDriver({
    autosaveMs,
    saveTargets: {
      browserStore: () => Promise.reject(new Error('no browser storage in this test')),
      folder: () => undefined,
      desktop: () => ({ save: (request) => backend.save(request) }),
    },
  });
  const opened = await backend.openFolder();
  if (!opened.ok) throw new Error('the folder did not open');
  await store.getState().openFiles({ kind: 'desktop', folder: real }, new Map(Object.entries(opened.mesh.files)));
  return { store, dir: real };
}

function doc(store: AppStore) {
  const state = store.getState().document;
  if (state.status !== 'open') throw new Error(`no open document (${state.status})`);
  return state.doc;
}

const settled = (store: AppStore) =>
  expect.poll(() => store.getState().saveState.status, { timeout: 5_000 }).not.toMatch(/^(unsaved|saving)$/);

describe('the editor store', () => {
  it('autosaves an edit to the folder, keeping comments, and shows saved again', async () => {
    const { store, dir } = await openHello();
    expect(doc(store).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    store.getState().change({ edit: { kind: 'setField', file: PRODUCT, path: ['name'], value: 'Shop orders' } }, 'Rename orders');
    expect(store.getState().saveState.status).toBe('unsaved');
    expect(doc(store).mesh.products.find((p) => p.id === 'orders')?.name).toBe('Shop orders');
    await settled(store);
    expect(store.getState().saveState.status).toBe('saved');
    const onDisk = await fsp.readFile(nodePath.join(dir, PRODUCT), 'utf8');
    expect(onDisk).toContain('name: Shop orders');
    const original = await fsp.readFile(nodePath.join(SAMPLES_DIR, 'hello-mesh', PRODUCT), 'utf8');
    const comments = original.split('\n').filter((line) => line.trimStart().startsWith('#'));
    for (const comment of comments) expect(onDisk).toContain(comment);
  });

  it('does not save a broken contract: the last saved file stays, the error names file and line, undo makes it clean', async () => {
    const { store, dir } = await openHello();
    const before = await fsp.readFile(nodePath.join(dir, CONTRACT), 'utf8');
    store.getState().change({ edit: { kind: 'setText', file: CONTRACT, text: `${before}\nschema: [unclosed\n` } }, 'Edit contract');
    await settled(store);
    const state = store.getState().saveState;
    expect(state.status).toBe('blocked');
    expect(state.status === 'blocked' && state.message).toMatch(new RegExp(`^Not saved: ${CONTRACT.replaceAll('.', '\\.')}:\\d+:\\d+ `));
    expect(await fsp.readFile(nodePath.join(dir, CONTRACT), 'utf8')).toBe(before);
    store.getState().undo();
    expect(store.getState().saveState.status).toBe('saved');
    expect(doc(store).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('refuses to overwrite a file changed on disk since it was opened, until the user says so', async () => {
    const { store, dir } = await openHello(0);
    await fsp.writeFile(nodePath.join(dir, PRODUCT), 'name: changed elsewhere\n');
    store.getState().change({ edit: { kind: 'setField', file: PRODUCT, path: ['name'], value: 'Mine' } }, 'Rename orders');
    await store.getState().save();
    expect(store.getState().saveState).toEqual({ status: 'conflict', conflicts: [PRODUCT] });
    expect(await fsp.readFile(nodePath.join(dir, PRODUCT), 'utf8')).toBe('name: changed elsewhere\n');
    await store.getState().save({ overwrite: true });
    expect(store.getState().saveState.status).toBe('saved');
    expect(await fsp.readFile(nodePath.join(dir, PRODUCT), 'utf8')).toContain('name: Mine');
  });

  it('takes in files changed on disk as one undoable step, keeping unsaved edits of other files', async () => {
    const { store, dir } = await openHello(0);
    store.getState().change({ edit: { kind: 'setField', file: PRODUCT, path: ['name'], value: 'Mine' } }, 'Rename orders');
    const manifest = nodePath.join(dir, 'mesh.yaml');
    await fsp.writeFile(manifest, (await fsp.readFile(manifest, 'utf8')).replace('title: Hello, mesh', 'title: Changed elsewhere'));
    store.getState().noticeExternalChange(['mesh.yaml']);
    expect(store.getState().externalChanges).toEqual(['mesh.yaml']);
    const disk = new Map<string, Uint8Array>();
    for (const entry of await fsp.readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = nodePath.relative(dir, nodePath.join(entry.parentPath, entry.name)).split(nodePath.sep).join('/');
      disk.set(path, new Uint8Array(await fsp.readFile(nodePath.join(dir, path))));
    }
    await store.getState().reloadFromDisk(disk);
    expect(store.getState().externalChanges).toEqual([]);
    expect(doc(store).title).toBe('Changed elsewhere');
    expect(doc(store).mesh.products.find((p) => p.id === 'orders')?.name).toBe('Mine');
    expect(store.getState().saveState.status).toBe('unsaved'); // the product edit; mesh.yaml matches the disk
    expect(doc(store).history.undoLabel).toBe('Undo Reload mesh.yaml from disk');
    store.getState().undo();
    expect(doc(store).title).toBe('Hello, mesh');
  });

  it("deletes a product's whole folder on save, seed data included", async () => {
    const { store, dir } = await openHello(0);
    expect(store.getState().change({ change: { kind: 'deleteProduct', productId: 'orders' } }, 'Delete orders')).toBe(true);
    await store.getState().save();
    expect(store.getState().saveState.status).toBe('saved');
    // The folder is gone, empty sub-folders too; the domain folder stays.
    expect(await fsp.readdir(nodePath.join(dir, 'domains/sales'))).toEqual(['domain.yaml']);
  });

  it('collects edits in a what-if draft without saving them; discarding restores the mesh unchanged, applying is one undo step', async () => {
    const { store, dir } = await openHello(0);
    const before = doc(store);
    store.getState().startDraft();
    const contract = CONTRACT;
    const amount = doc(store)
      .mesh.products.find((p) => p.id === 'orders')
      ?.outputPorts[0]?.contract?.tables[0]?.columns.findIndex((c) => c.name === 'amount_eur');
    expect(
      store
        .getState()
        .change({ edit: { kind: 'deleteField', file: contract, path: ['schema', 0, 'properties', amount ?? -1] } }, 'Drop amount_eur'),
    ).toBe(true);
    const draft = store.getState().draft;
    expect(draft?.files.get(contract)?.text).not.toContain('amount_eur\n');
    expect(doc(store)).toBe(before); // the document itself is untouched while drafting
    await store.getState().save();
    expect(await fsp.readFile(nodePath.join(dir, contract), 'utf8')).toContain('- name: amount_eur');
    store.getState().discardDraft();
    expect(store.getState().draft).toBeUndefined();
    expect(doc(store).files).toBe(before.files);

    store.getState().startDraft();
    store.getState().change({ edit: { kind: 'setField', file: PRODUCT, path: ['name'], value: 'Drafted' } }, 'Rename');
    store.getState().applyDraft();
    expect(doc(store).mesh.products.find((p) => p.id === 'orders')?.name).toBe('Drafted');
    expect(doc(store).history.undoLabel).toBe('Undo Apply draft');
    store.getState().undo();
    expect(doc(store).files.get(PRODUCT)?.text).toBe(before.files.get(PRODUCT)?.text);
  });

  it('undoes and redoes edits, squashing a typing burst into one entry', async () => {
    const { store } = await openHello(0);
    for (const value of ['S', 'Sh', 'Sho', 'Shop']) {
      store.getState().change({ edit: { kind: 'setField', file: PRODUCT, path: ['name'], value } }, 'Edit name', `field:${PRODUCT}:name`);
    }
    store.getState().change({ edit: { kind: 'setField', file: PRODUCT, path: ['status'], value: 'draft' } }, 'Edit status');
    const name = () => doc(store).mesh.products.find((p) => p.id === 'orders')?.name;
    store.getState().undo();
    expect(name()).toBe('Shop');
    store.getState().undo();
    expect(name()).toBe('Orders');
    expect(doc(store).history.canUndo).toBe(false);
    store.getState().redo();
    expect(name()).toBe('Shop');
  });

  it('keeps the mesh as it was and says why when an edit is impossible', async () => {
    const { store } = await openHello(0);
    const before = doc(store);
    const ok = store
      .getState()
      .change({ change: { kind: 'connectPorts', from: { productId: 'daily-revenue', port: 'daily_revenue' }, to: 'orders' } }, 'Connect');
    expect(ok).toBe(false);
    expect(store.getState().notice).toMatch(/cycle|loop/i);
    expect(doc(store)).toBe(before);
  });

  it('runs the edited mesh on the versions published before the edit, ticks the clock, logs it, and resets', async () => {
    const { store } = await openHello(0);
    await store.getState().runDocument();
    const key = documentKey(doc(store).origin);
    expect(store.getState().runs[key]?.products['daily-revenue']?.status).toBe('published');
    const transform = doc(store).mesh.products.find((p) => p.id === 'daily-revenue')?.transform;
    if (!transform) throw new Error('daily-revenue has no transform');
    store.getState().change({ edit: { kind: 'setText', file: transform.path, text: `${transform.text}\n-- edited\n` } }, 'Edit SQL');
    await store.getState().runDocument();
    // Issue 12: the edited mesh's runtime goes on from the last one's versions (it used to start over at 1).
    expect(store.getState().runs[key]?.products['daily-revenue']?.last?.version).toBe(2);
    // orders runs every simulated day (24 ticks); daily-revenue follows each publish.
    await store.getState().tickDocument(24);
    const log = store.getState().runs[key]?.log ?? [];
    expect(log.filter((e) => e.text.startsWith('Clock advanced to tick')).map((e) => e.tick)).toEqual(
      Array.from({ length: 24 }, (_, i) => i + 1),
    );
    // The log spans both runtimes: version 1 before the edit, 2 after it, 3 a day later.
    expect(log.filter((e) => e.product === 'orders' && e.status === 'published').map((e) => e.run?.version)).toEqual([1, 2, 3]);
    expect(
      store
        .getState()
        .portHistory('orders', 'orders')
        .map((v) => v.version),
    ).toEqual([1, 2, 3]);
    // Run one: only that product runs again, on the newest good version of its input.
    await store.getState().runProduct('daily-revenue');
    expect(store.getState().portHistory('daily-revenue', 'daily_revenue').length).toBe(
      store.getState().portHistory('orders', 'orders').length + 1,
    );
    expect(store.getState().runs[key]?.log.at(-1)?.product).toBe('daily-revenue');
    store.getState().resetRuns();
    expect(store.getState().runs[key]).toBeUndefined();
    expect(store.getState().portHistory('orders', 'orders')).toEqual([]);
  });

  it("saves a sample's first change as a copy in the browser store and moves the document there", async () => {
    const created: { title: string; files: ReadonlyMap<string, Uint8Array> }[] = [];
    const writes: ReadonlyMap<string, Uint8Array | null>[] = [];
    const browser: BrowserStoreLike = {
      create: async (title, _origin, files) => {
        created.push({ title, files });
        return 'copy-1';
      },
      write: async (_id, changes) => {
        writes.push(changes);
      },
    };
    const moves: string[] = [];
    const store = createAppStore({
      folders: ['hello-mesh'],
      openSample: 'hello-mesh',
      createHost: () => Promise.reject(new Error('not needed')),
      autosaveMs: 0,
      saveTargets: { browserStore: async () => browser, folder: () => undefined, desktop: () => undefined },
      onOriginChange: (origin) => moves.push(origin.kind === 'stored' ? origin.id : origin.kind),
    });
    const { fs } = await sampleInMemory('hello-mesh');
    store.getState().setSampleState('hello-mesh', { status: 'loaded', loaded: await loadMesh(fs), files: fs });
    expect(doc(store).origin).toEqual({ kind: 'sample', folder: 'hello-mesh' });
    store.getState().change({ edit: { kind: 'setField', file: PRODUCT, path: ['name'], value: 'Shop orders' } }, 'Rename');
    await store.getState().save();
    expect(doc(store).origin).toEqual({ kind: 'stored', id: 'copy-1' });
    expect(moves).toEqual(['copy-1']);
    const copy = created[0]?.files;
    expect(new TextDecoder().decode(copy?.get(PRODUCT))).toContain('name: Shop orders');
    expect(copy?.has('domains/sales/orders/data/orders.csv')).toBe(true);
    store.getState().change({ edit: { kind: 'setField', file: PRODUCT, path: ['status'], value: 'draft' } }, 'Status');
    await store.getState().save();
    expect([...(writes[0]?.keys() ?? [])]).toEqual([PRODUCT]);
    expect(store.getState().saveState.status).toBe('saved');
  });
});

describe('a run under way while the first save moves a sample', () => {
  it('lands under the stored copy: the run finishes there, with its faults, and the next run goes on from it', async () => {
    const browser: BrowserStoreLike = { create: async () => 'copy-2', write: async () => undefined };
    const app = await StoreDriver.sample('hello-mesh', {
      autosaveMs: 0,
      saveTargets: { browserStore: async () => browser, folder: () => undefined, desktop: () => undefined },
    });
    await app.state.injectFault({ kind: 'delaySource', product: 'orders', ticks: 5 });
    app.append('domains/finance/daily-revenue/transform.sql', '-- edited');
    // Run all starts under sample:hello-mesh; the save moves the document to stored:copy-2 meanwhile.
    const running = app.runAll();
    await app.state.save();
    expect(app.key).toBe('stored:copy-2');
    await running;
    expect(app.runs()).toMatchObject({ running: false, done: 2, total: 2 });
    expect(
      app
        .runs()
        ?.report?.products.map((p) => p.product)
        .sort(),
    ).toEqual(['daily-revenue', 'orders']);
    expect(app.state.faults['stored:copy-2']?.map((f) => f.fault.kind)).toEqual(['delaySource']);
    await app.state.clearFaults();
    await app.runAll();
    expect(app.product('orders')).toMatchObject({ status: 'published', last: { version: 1 } });
    expect(app.runs()?.log.map((l) => l.text)).toContain('Every fault removed');
  });
});
