import { afterAll, describe, expect, it } from 'vitest';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { createAppStore } from '../../renderer/src/store/appStore.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { sampleInMemory } from '../helpers.ts';

/*
 * The web app's "Run all" through its store, on the in-process host instead of Web Workers
 * (test/e2e/runMesh.spec.ts covers those): seed data comes from the files kept with the
 * loaded sample (opened as the editor's document), progress arrives per product, the host is
 * created once.
 */
/** Runs are kept by document: the open sample's key. */
const KEY = 'sample:hello-mesh';
const hosts: InProcessHost[] = [];
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.dispose()));
});

describe('"Run all" in the app store', () => {
  it('runs hello-mesh from its in-memory files, reporting progress, and runs again on the same host', async () => {
    let created = 0;
    const store = createAppStore({
      folders: ['hello-mesh'],
      openSample: 'hello-mesh',
      createHost: async () => {
        created++;
        const host = new InProcessHost(1);
        hosts.push(host);
        return host;
      },
    });
    const { fs } = await sampleInMemory('hello-mesh');
    store.getState().setSampleState('hello-mesh', { status: 'loaded', loaded: await loadMesh(fs), files: fs });

    const progress: string[] = [];
    const unsubscribe = store.subscribe((s) => {
      const run = s.runs[KEY];
      const line = run?.running ? `${run.done}/${run.total}` : 'idle';
      if (progress.at(-1) !== line) progress.push(line);
    });
    const running = store.getState().runDocument();
    expect(store.getState().runs[KEY]?.running).toBe(true);
    await store.getState().runDocument(); // a second click while it runs does nothing
    await running;
    unsubscribe();

    const run = store.getState().runs[KEY];
    expect(run).toMatchObject({ running: false, done: 2, total: 2 });
    expect(run?.error).toBeUndefined();
    expect(run?.products['orders']).toMatchObject({ status: 'published', last: { version: 1, rows: 120 } });
    expect(run?.products['daily-revenue']?.status).toBe('published');
    expect(progress).toEqual(['0/2', '1/2', '2/2', 'idle']);

    await store.getState().runDocument();
    expect(store.getState().runs[KEY]?.products['orders']?.last?.version).toBe(2);
    expect(created).toBe(1);
  });

  it('says in one line why a run could not start, and lets the next run try again', async () => {
    let attempts = 0;
    const store = createAppStore({
      folders: ['hello-mesh'],
      openSample: 'hello-mesh',
      createHost: async () => {
        attempts++;
        throw new Error('DuckDB could not be loaded (Failed to fetch)\n    at compiledDuckDBModule (browserHost.ts:17:5)');
      },
    });
    const { fs } = await sampleInMemory('hello-mesh');
    store.getState().setSampleState('hello-mesh', { status: 'loaded', loaded: await loadMesh(fs), files: fs });
    await store.getState().runDocument();
    expect(store.getState().runs[KEY]).toMatchObject({
      running: false,
      error: 'The run stopped: DuckDB could not be loaded (Failed to fetch)',
    });
    await store.getState().runDocument();
    expect(attempts).toBe(2);
  });
});
