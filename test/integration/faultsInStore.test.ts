import { afterAll, describe, expect, it } from 'vitest';
import { disposeDriverHosts, StoreDriver } from '../storeDriver.ts';

/*
 * Faults from the app (issue 13 item 4): the store injects them into the open mesh's runtime,
 * lists what is in force for the canvas and the Faults tab, says so in the run log, and takes
 * them out again — on real quanta, so what the contract does with a fault is real.
 */
afterAll(disposeDriverHosts);

const logText = (app: StoreDriver): string => (app.runs()?.log ?? []).map((l) => l.text).join('\n');

describe('faults injected from the app', () => {
  it('a null spike before the first run makes orders refuse its publish; removed, orders publishes', async () => {
    const app = await StoreDriver.sample('hello-mesh');
    const refused = await app.state.injectFault({
      kind: 'nullSpike',
      product: 'orders',
      table: 'orders_csv',
      column: 'order_id',
      share: 1,
    });
    expect(refused).toBeUndefined();
    expect(app.state.faults[app.key]?.map((f) => f.fault.kind)).toEqual(['nullSpike']);
    expect(logText(app)).toContain('Fault injected: 100 % of orders_csv.order_id is NULL for orders');

    await app.runAll();
    expect(app.product('orders')?.status).toBe('refused');
    expect(app.product('daily-revenue')?.status).toBe('stale');
    // A table fault stays until it is removed.
    const [fault] = app.state.faults[app.key] ?? [];
    expect(fault?.fault.kind).toBe('nullSpike');

    if (fault) await app.state.removeFault(fault);
    expect(app.state.faults[app.key]).toEqual([]);
    await app.runAll();
    expect(app.product('orders')).toMatchObject({ status: 'published', last: { version: 1 } });
    expect(app.product('daily-revenue')?.status).toBe('published');
    expect(logText(app)).toContain('Fault removed');
  });

  it('refuses a fault on a table the product does not read, naming the ones it does, and adds nothing', async () => {
    const app = await StoreDriver.sample('hello-mesh');
    const refused = await app.state.injectFault({ kind: 'dropColumn', product: 'orders', table: 'shipments', column: 'id' });
    expect(refused).toBe('orders reads no table "shipments"; its sources and input ports are: orders_csv');
    expect(app.state.faults[app.key] ?? []).toEqual([]);
  });

  it('a crash fails the next run of its product and is spent by it; a delay ends at its tick', async () => {
    const app = await (await StoreDriver.sample('hello-mesh')).runAll();
    await app.state.injectFault({ kind: 'crash', product: 'daily-revenue' });
    await app.run('daily-revenue');
    expect(app.product('daily-revenue')?.status).toBe('failed');
    expect(app.state.faults[app.key]).toEqual([]);

    await app.state.injectFault({ kind: 'delaySource', product: 'orders', ticks: 2 });
    const tick = app.runs()?.report?.tick ?? 0;
    expect(app.state.faults[app.key]).toEqual([{ fault: { kind: 'delaySource', product: 'orders', ticks: 2 }, until: tick + 2 }]);
    await app.tick(2);
    expect(app.state.faults[app.key]).toEqual([]);
  });

  it('Reset forgets the faults with the runs', async () => {
    const app = await StoreDriver.sample('hello-mesh');
    await app.state.injectFault({ kind: 'renameColumn', product: 'orders', table: 'orders_csv', column: 'amount_eur', to: 'amount' });
    app.state.resetRuns();
    expect(app.state.faults[app.key]).toEqual([]);
    await app.runAll();
    expect(app.product('orders')?.status).toBe('published');
  });
});
