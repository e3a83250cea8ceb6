import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../core/node/cli.ts';
import { analyzeImport, importedProduct } from '../../core/import/importFile.ts';
import { buildMesh } from '../../core/load/buildMesh.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { MeshRuntime } from '../../core/run/meshRuntime.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { REPO, sampleInMemory, tempDir } from '../helpers.ts';

/* An imported file becomes a product that loads without errors and publishes in a real DuckDB quantum. */
const host = new InProcessHost(2);
afterAll(() => host.dispose());

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('an imported file as a source-aligned product', () => {
  it('publishes every row of a CSV, a JSON lines and a Parquet file, cast into the inferred types', { timeout: 180_000 }, async () => {
    const { fs } = await sampleInMemory('hello-mesh');
    const loaded = await loadMesh(fs);
    const rows = ['Shipment ID,Shipped On,Weight kg,Fragile,Note'];
    for (let i = 1; i <= 1000; i++)
      rows.push(`${i},2026-11-${String((i % 28) + 1).padStart(2, '0')},${(i / 7).toFixed(3)},${i % 2 === 0},"n, ${i}"`);
    const csv = analyzeImport('../Shipments 2026.csv', encode(`${rows.join('\n')}\n`));
    const first = importedProduct(loaded.mesh, { analysis: csv, domain: 'sales', id: csv.productId, name: 'Shipments' });
    let files = new Map([...loaded.mesh.files, ...first.files]);
    const jsonl = analyzeImport('events.jsonl', encode('{"id":1,"kind":"a","at":"2026-11-01T10:00:00Z"}\n{"id":2,"kind":"b","at":null}\n'));
    const second = importedProduct(buildMesh(files).mesh, { analysis: jsonl, domain: 'sales', id: 'events', name: 'Events' });
    files = new Map([...files, ...second.files]);
    const parquet = analyzeImport(
      'orders.parquet',
      new Uint8Array(await fsp.readFile(nodePath.join(REPO, 'test/fixtures/seeds/orders.snappy.parquet'))),
    );
    const third = importedProduct(buildMesh(files).mesh, {
      analysis: parquet,
      domain: 'sales',
      id: 'parquet-orders',
      name: 'Parquet orders',
    });
    files = new Map([...files, ...third.files]);
    for (const [path, data] of [...first.seeds, ...second.seeds, ...third.seeds]) await fs.writeFile(path, data);
    expect([...first.seeds.keys()]).toEqual(['domains/sales/shipments-2026/data/shipments-2026.csv']);

    const { mesh, diagnostics } = buildMesh(files);
    expect(
      diagnostics.filter((d) => /\/(shipments-2026|events|parquet-orders)\//.test(d.file)).map((d) => `${d.file} ${d.code} ${d.message}`),
    ).toEqual([]);
    const runtime = new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path) });
    const report = await runtime.runAll();
    const outcome = report.products
      .filter((p) => ['shipments-2026', 'events', 'parquet-orders'].includes(p.product))
      .sort((a, b) => a.product.localeCompare(b.product))
      .map((p) => ({
        product: p.product,
        status: p.status,
        rows: p.rows,
        problem: p.problem,
        failed: p.checks.filter((c) => !c.passed).map((c) => c.message),
      }));
    expect(outcome).toEqual([
      { product: 'events', status: 'published', rows: 2, problem: undefined, failed: [] },
      { product: 'parquet-orders', status: 'published', rows: parquet.rows, problem: undefined, failed: [] },
      { product: 'shipments-2026', status: 'published', rows: 1000, problem: undefined, failed: [] },
    ]);
    const types = await runtime.query(
      'SELECT typeof(shipment_id) AS id, typeof(shipped_on) AS day, typeof(weight_kg) AS w, typeof(fragile) AS f, note FROM "shipments-2026".shipments_2026 WHERE shipment_id = 3',
    );
    expect(types).toMatchObject({ ok: true, rows: 1 });

    // Written to a folder, the mesh passes `quanta validate` (the ODPS and ODCS schemas included).
    const dir = await tempDir('import');
    const written = fs.snapshot();
    for (const [path, file] of files) written.set(path, new TextEncoder().encode(file.text));
    for (const [path, data] of written) {
      await fsp.mkdir(nodePath.dirname(nodePath.join(dir, path)), { recursive: true });
      await fsp.writeFile(nodePath.join(dir, path), data);
    }
    let out = '';
    const code = await runCli(['validate', dir], { out: (t) => (out += t), err: (t) => (out += t), cwd: REPO });
    expect(out).toMatch(/✓ .* is valid \(2 domains, 5 products/);
    expect(code).toBe(0);
  });
});
