import { afterAll, describe, expect, it } from 'vitest';
import { disposeDriverHosts, StoreDriver } from '../storeDriver.ts';

/*
 * Issue 12's repro through the app store, on real DuckDB-WASM quanta (in-process host):
 * after "Run all", an edit used to start a runtime with no history, so "Run one" on a
 * downstream product said "upstream orders.orders has no published version yet" while the
 * canvas still showed orders published. Run state now survives the edit.
 */
const ORDERS_CONTRACT = 'domains/sales/orders/orders.odcs.yaml';
const REVENUE_SQL = 'domains/finance/daily-revenue/transform.sql';
afterAll(disposeDriverHosts);

async function ranHello(): Promise<StoreDriver> {
  const app = await (await StoreDriver.sample('hello-mesh')).runAll();
  expect(app.product('orders')?.last?.version).toBe(1);
  expect(app.product('daily-revenue')?.last?.version).toBe(1);
  return app;
}

describe('run state after an edit', () => {
  it('runs a downstream product after editing its transform: version 2 on orders version 1, only it marked changed', async () => {
    const app = (await ranHello()).append(REVENUE_SQL, '-- edited in the app');

    expect(app.product('daily-revenue')).toMatchObject({ status: 'published', changedSinceRun: true, last: { version: 1 } });
    expect(app.product('orders')).toMatchObject({ status: 'published', last: { version: 1 } });
    expect(app.product('orders')?.changedSinceRun).toBeUndefined();

    await app.run('daily-revenue');
    expect(app.runs()?.error).toBeUndefined();
    expect(app.product('daily-revenue')).toMatchObject({ status: 'published', last: { version: 2 } });
    expect(app.product('daily-revenue')?.last?.problem).toBeUndefined();
    expect(app.product('daily-revenue')?.changedSinceRun).toBeUndefined();
    expect(app.product('orders')).toMatchObject({ status: 'published', last: { version: 1 } });
    expect(
      app
        .runs()
        ?.log.map((l) => l.text)
        .join('\n'),
    ).not.toContain('no published version yet');
    // Orders' port kept its one version through the edit; the new run read it.
    expect(app.versions('orders', 'orders')).toEqual([1]);
    expect(app.versions('daily-revenue', 'daily_revenue')).toEqual([1, 2]);
  });

  it('marks an edited upstream and everything downstream of it; the downstream still runs on its published version', async () => {
    const app = (await ranHello()).append(ORDERS_CONTRACT, '# edited in the app');

    expect(app.product('orders')).toMatchObject({ status: 'published', changedSinceRun: true, last: { version: 1 } });
    expect(app.product('daily-revenue')).toMatchObject({ changedSinceRun: true });

    await app.run('daily-revenue');
    expect(app.product('daily-revenue')).toMatchObject({ status: 'published', last: { version: 2 } });
    expect(app.product('daily-revenue')?.changedSinceRun).toBeUndefined();
    // Orders did not run: it still serves version 1, made before the edit, and says so.
    expect(app.product('orders')).toMatchObject({ status: 'published', changedSinceRun: true, last: { version: 1 } });

    await app.run('orders');
    expect(app.product('orders')).toMatchObject({ status: 'published', last: { version: 2 } });
    expect(app.product('orders')?.changedSinceRun).toBeUndefined();
  });

  it('marks nothing for an edit that changes no product (moving a node on the canvas)', async () => {
    const app = await ranHello();
    app.state.change({ change: { kind: 'moveNodes', positions: { orders: { x: 40, y: 80 } } } }, 'Move');
    expect(Object.values(app.runs()?.products ?? {}).filter((p) => p.changedSinceRun)).toEqual([]);
  });
});
