import { afterAll, describe, expect, it } from 'vitest';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { createAppStore, type AppStore } from '../../renderer/src/store/appStore.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { sampleInMemory } from '../helpers.ts';

/*
 * Issue 12's repro through the app store, on real DuckDB-WASM quanta (in-process host):
 * after "Run all", an edit used to start a runtime with no history, so "Run one" on a
 * downstream product said "upstream orders.orders has no published version yet" while the
 * canvas still showed orders published. Run state now survives the edit.
 */
const KEY = 'sample:hello-mesh';
const ORDERS_CONTRACT = 'domains/sales/orders/orders.odcs.yaml';
const REVENUE_SQL = 'domains/finance/daily-revenue/transform.sql';
const hosts: InProcessHost[] = [];
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.dispose()));
});

async function ranHello(): Promise<AppStore> {
  const store = createAppStore({
    folders: ['hello-mesh'],
    openSample: 'hello-mesh',
    createHost: async () => {
      const host = new InProcessHost(1);
      hosts.push(host);
      return host;
    },
  });
  const { fs } = await sampleInMemory('hello-mesh');
  store.getState().setSampleState('hello-mesh', { status: 'loaded', loaded: await loadMesh(fs), files: fs });
  await store.getState().runDocument();
  expect(store.getState().runs[KEY]?.products['orders']?.last?.version).toBe(1);
  expect(store.getState().runs[KEY]?.products['daily-revenue']?.last?.version).toBe(1);
  return store;
}

function textOf(store: AppStore, path: string): string {
  const document = store.getState().document;
  if (document.status !== 'open') throw new Error('no open document');
  const file = document.doc.files.get(path);
  if (!file) throw new Error(`${path} is not in the mesh`);
  return file.text;
}

function edit(store: AppStore, path: string, text: string): void {
  expect(store.getState().change({ edit: { kind: 'setText', file: path, text } }, `Edit ${path}`)).toBe(true);
}

describe('run state after an edit', () => {
  it('runs a downstream product after editing its transform: version 2 on orders version 1, only it marked changed', async () => {
    const store = await ranHello();
    edit(store, REVENUE_SQL, `${textOf(store, REVENUE_SQL)}\n-- edited in the app\n`);

    const edited = store.getState().runs[KEY]?.products;
    expect(edited?.['daily-revenue']).toMatchObject({ status: 'published', changedSinceRun: true, last: { version: 1 } });
    expect(edited?.['orders']).toMatchObject({ status: 'published', last: { version: 1 } });
    expect(edited?.['orders']?.changedSinceRun).toBeUndefined();

    await store.getState().runProduct('daily-revenue');
    const run = store.getState().runs[KEY];
    expect(run?.error).toBeUndefined();
    expect(run?.products['daily-revenue']).toMatchObject({ status: 'published', last: { version: 2 } });
    expect(run?.products['daily-revenue']?.last?.problem).toBeUndefined();
    expect(run?.products['daily-revenue']?.changedSinceRun).toBeUndefined();
    expect(run?.products['orders']).toMatchObject({ status: 'published', last: { version: 1 } });
    expect(run?.log.map((l) => l.text).join('\n')).not.toContain('no published version yet');
    // Orders' port kept its one version through the edit; the new run read it.
    expect(
      store
        .getState()
        .portHistory('orders', 'orders')
        .map((v) => v.version),
    ).toEqual([1]);
    expect(
      store
        .getState()
        .portHistory('daily-revenue', 'daily_revenue')
        .map((v) => v.version),
    ).toEqual([1, 2]);
  });

  it('marks an edited upstream and everything downstream of it; the downstream still runs on its published version', async () => {
    const store = await ranHello();
    edit(store, ORDERS_CONTRACT, `${textOf(store, ORDERS_CONTRACT)}\n# edited in the app\n`);

    const edited = store.getState().runs[KEY]?.products;
    expect(edited?.['orders']).toMatchObject({ status: 'published', changedSinceRun: true, last: { version: 1 } });
    expect(edited?.['daily-revenue']).toMatchObject({ changedSinceRun: true });

    await store.getState().runProduct('daily-revenue');
    const run = store.getState().runs[KEY];
    expect(run?.products['daily-revenue']).toMatchObject({ status: 'published', last: { version: 2 } });
    expect(run?.products['daily-revenue']?.changedSinceRun).toBeUndefined();
    // Orders did not run: it still serves version 1, made before the edit, and says so.
    expect(run?.products['orders']).toMatchObject({ status: 'published', changedSinceRun: true, last: { version: 1 } });

    await store.getState().runProduct('orders');
    expect(store.getState().runs[KEY]?.products['orders']).toMatchObject({ status: 'published', last: { version: 2 } });
    expect(store.getState().runs[KEY]?.products['orders']?.changedSinceRun).toBeUndefined();
  });

  it('marks nothing for an edit that changes no product (moving a node on the canvas)', async () => {
    const store = await ranHello();
    store.getState().change({ change: { kind: 'moveNodes', positions: { orders: { x: 40, y: 80 } } } }, 'Move');
    const products = store.getState().runs[KEY]?.products ?? {};
    expect(Object.values(products).filter((p) => p.changedSinceRun)).toEqual([]);
  });
});
