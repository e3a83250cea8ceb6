import { afterAll, describe, expect, it } from 'vitest';
import { analyzeImport } from '../../core/import/importFile.ts';
import { pendingWrites } from '../../renderer/src/workspace/meshDocument.ts';
import { disposeDriverHosts, StoreDriver } from '../storeDriver.ts';

/*
 * A data file added to an existing product through the store (addDataFiles): one more
 * source in its quanta.yaml, the data file a seed the run reads and the save writes, one
 * undo step; with "append", the product publishes the new rows with its own.
 */
afterAll(() => disposeDriverHosts());

const lateOrders = (): Uint8Array =>
  new TextEncoder().encode(
    'order_id,ordered_at,customer_email,amount_eur\n9001,2026-11-20 10:00:00,LATE@example.com,12.50\n9002,2026-11-20 11:00:00,late2@example.com,7.25\n',
  );

describe('addDataFiles', () => {
  it(
    'adds the file as a source the run reads, appends its rows when asked, and undo takes all of it back',
    { timeout: 120_000 },
    async () => {
      const app = await StoreDriver.sample('hello-mesh');
      await app.runAll();
      const before = app.product('orders')?.last?.rows ?? 0;
      expect(before).toBeGreaterThan(0);

      const analysis = analyzeImport('Late Orders.csv', lateOrders());
      expect(app.state.addDataFiles('orders', [{ analysis, source: 'late_orders', append: true }]), app.state.notice).toBe(true);
      const settings = app.text('domains/sales/orders/quanta.yaml');
      expect(settings).toContain('# A table named `orders_csv` is available to transform.sql.');
      expect(settings).toContain(
        '  - name: late_orders\n    description: Imported from late-orders.csv.\n    file: data/late-orders.csv\n',
      );
      expect(app.text('domains/sales/orders/transform.sql')).toContain(
        'FROM (SELECT * FROM orders_csv UNION ALL BY NAME SELECT * FROM "late_orders") AS orders_csv',
      );
      expect([...pendingWrites(app.doc()).keys()].sort()).toEqual([
        'domains/sales/orders/data/late-orders.csv',
        'domains/sales/orders/quanta.yaml',
        'domains/sales/orders/transform.sql',
      ]);
      expect(app.doc().history.undoLabel).toBe('Undo Add data/late-orders.csv to orders');

      await app.runAll();
      expect(app.product('orders')).toMatchObject({ status: 'published', last: { rows: before + 2 } });
      expect(app.product('daily-revenue')?.status).toBe('published');

      app.state.undo();
      expect(app.text('domains/sales/orders/quanta.yaml')).not.toContain('late_orders');
      expect([...pendingWrites(app.doc()).keys()]).toEqual([]);
    },
  );

  it('refuses a source name the product already reads, with the reason, and changes nothing', async () => {
    const app = await StoreDriver.sample('hello-mesh');
    const before = app.doc();
    const analysis = analyzeImport('orders.csv', lateOrders());
    expect(app.state.addDataFiles('orders', [{ analysis, source: 'orders_csv' }])).toBe(false);
    expect(app.state.notice).toMatch(/orders already reads a table named "orders_csv"/);
    expect(app.doc()).toBe(before);
  });
});
