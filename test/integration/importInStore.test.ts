import { afterAll, describe, expect, it } from 'vitest';
import { analyzeImport } from '../../core/import/importFile.ts';
import { pendingWrites } from '../../renderer/src/workspace/meshDocument.ts';
import { disposeDriverHosts, StoreDriver } from '../storeDriver.ts';

/* Importing through the store: the product is in the document, its data file is a seed that runs read and saves write. */
afterAll(() => disposeDriverHosts());

const csv = (rows: number): Uint8Array => {
  const lines = ['sku,price,in_stock,listed_on'];
  for (let i = 1; i <= rows; i++)
    lines.push(`SKU-${i},${(i * 1.25).toFixed(2)},${i % 3 !== 0},2026-10-${String((i % 30) + 1).padStart(2, '0')}`);
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
};

describe('importData', () => {
  it('adds the product, runAll publishes it, the save writes its data file; undo takes both back', { timeout: 120_000 }, async () => {
    const app = await StoreDriver.sample('hello-mesh');
    const analysis = analyzeImport('Catalogue.csv', csv(500));
    expect(app.state.importData([{ analysis, domain: 'sales', id: 'catalogue', name: 'Catalogue' }]), app.state.notice).toBe(true);
    expect(app.doc().mesh.products.map((p) => p.id)).toContain('catalogue');
    expect(app.text('domains/sales/catalogue/quanta.yaml')).toContain('file: data/catalogue.csv');
    expect([...pendingWrites(app.doc()).keys()].sort()).toEqual(
      [
        'domains/sales/catalogue/data/catalogue.csv',
        'domains/sales/catalogue/product.odps.yaml',
        'domains/sales/catalogue/quanta.yaml',
        'domains/sales/catalogue/transform.sql',
        'domains/sales/catalogue/catalogue.odcs.yaml',
      ].sort(),
    );

    await app.runAll();
    expect(app.product('catalogue')).toMatchObject({ status: 'published', last: { rows: 500 } });

    app.state.undo();
    expect(app.doc().mesh.products.map((p) => p.id)).not.toContain('catalogue');
    expect([...pendingWrites(app.doc()).keys()]).toEqual([]);
  });

  it('refuses a product id that is taken, with the reason, and adds nothing', async () => {
    const app = await StoreDriver.sample('hello-mesh');
    const before = app.doc();
    const analysis = analyzeImport('orders.csv', csv(3));
    expect(app.state.importData([{ analysis, domain: 'sales', id: 'orders', name: 'Orders again' }])).toBe(false);
    expect(app.state.notice).toMatch(/a product with id "orders" already exists/);
    expect(app.doc()).toBe(before);
  });
});
