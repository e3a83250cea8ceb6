import { afterAll, describe, expect, it } from 'vitest';
import { WorkerHost } from '../../workers/node/workerHost.ts';
import { disposeDriverHosts, StoreDriver } from '../storeDriver.ts';

/*
 * The web app's "Run all" through its store, on the in-process host instead of Web Workers
 * (test/e2e/runMesh.spec.ts covers those): seed data comes from the files kept with the
 * loaded sample (opened as the editor's document), progress arrives per product, the host is
 * created once.
 */
afterAll(disposeDriverHosts);

describe('"Run all" in the app store', () => {
  it('runs hello-mesh from its in-memory files, reporting progress, and runs again on the same host', async () => {
    const app = await StoreDriver.sample('hello-mesh');
    // Runs are kept by document: the open sample's key.
    expect(app.key).toBe('sample:hello-mesh');

    const progress: string[] = [];
    const unsubscribe = app.store.subscribe((s) => {
      const run = s.runs[app.key];
      const line = run?.running ? `${run.done}/${run.total}` : 'idle';
      if (progress.at(-1) !== line) progress.push(line);
    });
    const running = app.state.runDocument();
    expect(app.runs()?.running).toBe(true);
    await app.runAll(); // a second click while it runs does nothing
    await running;
    unsubscribe();

    expect(app.runs()).toMatchObject({ running: false, done: 2, total: 2 });
    expect(app.runs()?.error).toBeUndefined();
    expect(app.product('orders')).toMatchObject({ status: 'published', last: { version: 1, rows: 120 } });
    expect(app.product('daily-revenue')?.status).toBe('published');
    // Progress is shown once per frame (runsSlice.ts queues the runtime's events): it starts at
    // 0/2, only ever goes up, and shows 2/2 before the run ends — 1/2 too when the products
    // settled in different frames.
    expect(progress[0]).toBe('0/2');
    expect(progress.slice(-2)).toEqual(['2/2', 'idle']);
    const steps = progress.filter((line) => line !== 'idle');
    expect(steps).toEqual([...new Set(steps)].sort());

    await app.runAll();
    expect(app.product('orders')?.last?.version).toBe(2);
    expect(app.hostsCreated).toBe(1);
  });

  it('says in one line why a run could not start, and lets the next run try again', async () => {
    let attempts = 0;
    const app = await StoreDriver.sample('hello-mesh', {
      createHost: async () => {
        attempts++;
        throw new Error('DuckDB could not be loaded (Failed to fetch)\n    at compiledDuckDBModule (browserHost.ts:17:5)');
      },
    });
    // Opening the mesh tried to boot its quanta already (and failed quietly); each run tries again.
    const afterOpen = attempts;
    await app.runAll();
    expect(app.runs()).toMatchObject({ running: false, error: 'The run stopped: DuckDB could not be loaded (Failed to fetch)' });
    await app.runAll();
    expect(attempts).toBe(afterOpen + 2);
  });

  it('boots the quanta a run will use as soon as a mesh opens, so the first Run all does not start them', async () => {
    const host = new WorkerHost(2);
    try {
      const app = await StoreDriver.sample('hello-mesh', { createHost: async () => host });
      await expect.poll(() => host.live, { timeout: 30_000 }).toBe(2);
      await app.runAll();
      expect(app.product('daily-revenue')?.status).toBe('published');
      expect(host.started).toBe(2);
    } finally {
      await host.dispose();
    }
  }, 120_000);
});
