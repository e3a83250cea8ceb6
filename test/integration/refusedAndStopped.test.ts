import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { rowPredicate } from '../../core/run/failingRows.ts';
import { compilePort, MeshRuntime } from '../../core/run/meshRuntime.ts';
import type { QuantumHost } from '../../core/run/runTypes.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { WorkerHost } from '../../workers/node/workerHost.ts';
import { generatedMeshFiles } from '../support/generatedMesh.ts';
import { sampleInMemory } from '../helpers.ts';

/*
 * What a refused run leaves to look at (its candidate output, the rows breaking each
 * row-level check) and a pass stopped by the user, on real DuckDB-WASM.
 */
const host = new InProcessHost(2);
const workers = new WorkerHost(2);
afterAll(async () => {
  await host.dispose();
  await workers.dispose();
});

const ORDERS_SQL = 'domains/sales/orders/transform.sql';

/** Orders whose e-mail is NULL on every fourth order and whose order 8 repeats order 1's id. */
const BROKEN_ORDERS = `SELECT
  CASE WHEN order_id = 8 THEN 1 ELSE order_id END AS order_id,
  CAST(ordered_at AS TIMESTAMP) AS ordered_at,
  CASE WHEN order_id % 4 = 0 THEN NULL ELSE lower(customer_email) END AS customer_email,
  CAST(amount_eur AS DECIMAL(10, 2)) AS amount_eur
FROM orders_csv
`;

async function meshOf(files: Record<string, string | Uint8Array>) {
  const fs = new MemoryFileSystem(files);
  const { mesh, diagnostics } = await loadMesh(fs);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { mesh, readFile: (path: string) => fs.readFile(path) };
}

/** hello-mesh's runtime, and `broken()`: the runtime of the mesh edited to BROKEN_ORDERS, going on from it. */
async function helloRuntime(runtimeHost: QuantumHost = host) {
  const { files } = await sampleInMemory('hello-mesh');
  const good = await meshOf(files);
  const runtime = new MeshRuntime(good.mesh, { host: runtimeHost, readFile: good.readFile });
  const broken = async (): Promise<MeshRuntime> => {
    const edited = await meshOf({ ...files, [ORDERS_SQL]: BROKEN_ORDERS });
    return runtime.withMesh(edited.mesh, { readFile: edited.readFile });
  };
  return { runtime, broken, readFile: good.readFile };
}

describe('a refused candidate', () => {
  it('keeps what a refused run would have published, with the rows breaking each row-level check, and consumers never read it', async () => {
    const { runtime, broken, readFile } = await helloRuntime();
    await runtime.runAll();
    const good = runtime.latestVersion('orders', 'orders');
    const revenue = runtime.latestVersion('daily-revenue', 'daily_revenue');
    expect(good?.version).toBe(1);
    expect(runtime.candidate('orders', 'orders')).toBeUndefined();

    const edited = await broken();
    const report = await edited.runAll();
    expect(report.products.find((p) => p.product === 'orders')?.status).toBe('refused');

    const candidate = edited.candidate('orders', 'orders');
    if (!candidate) throw new Error('the refused run left no candidate');
    const table = tableFromIPC(candidate.ipc);
    expect(candidate.rows).toBe(table.numRows);
    expect(candidate.rows).toBe(good?.rows);
    const failed = candidate.checks.filter((c) => !c.passed && c.severity === 'error');
    expect(failed.map((c) => c.id)).toEqual(
      expect.arrayContaining(['orders.customer_email.required', 'orders.order_id.unique', 'orders.order_id.primaryKey']),
    );
    const required = failed.find((c) => c.id === 'orders.customer_email.required');
    expect(required).toMatchObject({ expected: 'mustBe 0' });
    expect(required?.measured).toBeGreaterThan(0);
    expect(candidate.rowChecks.map((c) => c.id)).toEqual(
      expect.arrayContaining(['orders.customer_email.required', 'orders.order_id.unique', 'orders.order_id.primaryKey']),
    );
    // Table-level checks (the row count passed; a sql rule) have no rows to show.
    expect(candidate.rowChecks.map((c) => c.id)).not.toContain('orders.quality[0]');

    // The rows named are exactly those breaking the check, in the candidate's own row order.
    const email = table.getChild('customer_email');
    const ids = table.getChild('order_id');
    const nullRows = Array.from({ length: table.numRows }, (_, i) => i).filter((i) => email?.get(i) === null);
    expect(nullRows.length).toBe(required?.measured);
    expect(await edited.failingRows('orders', 'orders', 'orders.customer_email.required')).toEqual({
      rows: nullRows,
      total: nullRows.length,
    });
    const repeated = Array.from({ length: table.numRows }, (_, i) => i).filter((i) => Number(ids?.get(i)) === 1);
    expect(repeated.length).toBe(2);
    expect(await edited.failingRows('orders', 'orders', 'orders.order_id.unique')).toEqual({ rows: repeated, total: 2 });
    expect(await edited.failingRows('orders', 'orders', 'orders.order_id.unique', 1)).toEqual({ rows: repeated.slice(0, 1), total: 2 });
    expect(await edited.failingRows('orders', 'orders', 'orders.order_id.primaryKey')).toEqual({ rows: repeated, total: 2 });
    expect(await edited.failingRows('orders', 'orders', 'orders.quality[0]')).toBeUndefined();
    // Every failed row-level check lists its rows (its condition is valid SQL on the candidate).
    for (const { id } of candidate.rowChecks) {
      const found = await edited.failingRows('orders', 'orders', id);
      expect(found?.total, id).toBeGreaterThan(0);
    }

    // Downstream ran on the last good version: the same data as before, nothing of the candidate.
    expect(edited.latestVersion('orders', 'orders')?.hash).toBe(good?.hash);
    const after = edited.latestVersion('daily-revenue', 'daily_revenue');
    expect(after?.version).toBe(2);
    expect(after?.hash).toBe(revenue?.hash);
    const sums = await edited.query('SELECT count(*) AS n FROM "orders".orders WHERE customer_email IS NULL');
    if (!sums.ok) throw new Error(sums.error.message);
    expect(Number(tableFromIPC(sums.ipc).getChild('n')?.get(0))).toBe(0);

    // Fixed: the port publishes and the refused candidate is gone.
    const fixed = edited.withMesh(runtime.mesh, { readFile });
    expect(fixed.candidate('orders', 'orders')?.tick).toBe(candidate.tick);
    await fixed.runAll();
    expect(fixed.lastRun('orders')?.status).toBe('published');
    expect(fixed.latestVersion('orders', 'orders')?.version).toBe(2);
    expect(fixed.candidate('orders', 'orders')).toBeUndefined();
  }, 120_000);

  it('names the rows of every row-level kind of check, and none for table-level ones', async () => {
    const { runtime } = await helloRuntime();
    const revenue = runtime.mesh.products.find((p) => p.id === 'daily-revenue')?.outputPorts[0];
    const { checks } = compilePort('daily_revenue', revenue?.contract);
    const predicate = (id: string) => {
      const check = checks.find((c) => c.id === id);
      if (!check) throw new Error(`no check ${id}`);
      return rowPredicate(check, '"daily_revenue"');
    };
    expect(predicate('daily_revenue.orders.required')).toBe('"orders" IS NULL');
    expect(predicate('daily_revenue.day.unique')).toBe(
      '("day" IS NOT NULL AND "day" IN (SELECT "day" FROM "daily_revenue" WHERE "day" IS NOT NULL GROUP BY ALL HAVING count(*) > 1))',
    );
    expect(predicate('daily_revenue.day.primaryKey')).toMatch(/^\("day" IS NULL\) OR \("day" IS NOT NULL AND "day" IN/);
    // A table-level duplicateValues names its properties in its SQL only.
    expect(predicate('daily_revenue.quality[0]')).toBe('("day" IN (SELECT "day" FROM "daily_revenue" GROUP BY ALL HAVING count(*) > 1))');
    expect(predicate('daily_revenue.quality[1]')).toBeUndefined(); // an SQL rule's own number
  });

  it('keeps only the newest refused candidate of a port', async () => {
    const { runtime, broken } = await helloRuntime();
    await runtime.runAll();
    const edited = await broken();
    await edited.runAll();
    const first = edited.candidate('orders', 'orders');
    await edited.advance(24);
    const newest = edited.candidate('orders', 'orders');
    expect(newest?.tick).toBeGreaterThan(first?.tick ?? Infinity);
    expect(edited.history('orders', 'orders').map((v) => v.version)).toEqual([1]);
  }, 120_000);
});

/**
 * A generated mesh of `products` products on worker threads whose p1 cross-joins for far longer
 * than the default 60 s timeout, and a controller that aborts one second after p1 starts;
 * `fast` is the same mesh without the slow transform.
 */
async function slowRuntime(products: number) {
  const slowFiles = generatedMeshFiles(products);
  const fast = await meshOf({ ...slowFiles });
  slowFiles['domains/d1/p1/transform.sql'] = 'SELECT a.range AS k, sum(b.range) AS v FROM range(100000000) a, range(100000) b GROUP BY 1';
  const slow = await meshOf(slowFiles);
  const controller = new AbortController();
  const runtime: MeshRuntime = new MeshRuntime(slow.mesh, {
    host: workers,
    readFile: slow.readFile,
    onEvent: (event) => {
      if (event.type === 'started' && event.product === 'p1') setTimeout(() => controller.abort(), 1000);
    },
  });
  return { runtime, controller, fast };
}

describe('a stopped pass', () => {
  it('cancels the running quanta, starts nothing more, leaves what did not run as it was, and the next Run all works', async () => {
    // p1 (read by p3) cross-joins for far longer than the default 60 s timeout.
    const { runtime, controller, fast } = await slowRuntime(4);
    const started = Date.now();
    const report = await runtime.runAll({ signal: controller.signal });
    // Cancelled, not timed out (the timeout is 60 s).
    expect(Date.now() - started).toBeLessThan(30_000);
    const byId = new Map(report.products.map((p) => [p.product, p]));
    expect(byId.get('p0')?.status).toBe('published');
    expect(byId.get('p1')).toMatchObject({ status: 'idle', stopped: true });
    expect(byId.get('p3')).toMatchObject({ status: 'idle', stopped: true });
    expect(report.stopped?.total).toBe(4);
    expect(report.stopped?.done).toBe(report.products.filter((p) => !p.stopped).length);
    expect(report.stopped?.done).toBeGreaterThanOrEqual(1);
    // Nothing recorded for what the stop caught: no failure, no version.
    expect(runtime.lastRun('p1')).toBeUndefined();
    expect(runtime.lastRun('p3')).toBeUndefined();
    expect(runtime.history('p1', 'out')).toEqual([]);

    const again = runtime.withMesh(fast.mesh, { readFile: fast.readFile });
    const next = await again.runAll();
    expect(next.stopped).toBeUndefined();
    expect(next.products.map((p) => p.status)).toEqual(['published', 'published', 'published', 'published']);
  }, 120_000);

  it('stops the run of one product ("Run one"): its quantum is cancelled, nothing is recorded, and it runs again afterwards', async () => {
    const { runtime, controller, fast } = await slowRuntime(2);
    await runtime.runProduct('p0');
    const started = Date.now();
    const run = await runtime.runProduct('p1', { signal: controller.signal });
    // Cancelled, not timed out (the timeout is 60 s).
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run).toMatchObject({ product: 'p1', status: 'idle', stopped: true });
    expect(runtime.lastRun('p1')).toBeUndefined();
    expect(runtime.history('p1', 'out')).toEqual([]);
    // Already stopped: it does not start.
    expect(await runtime.runProduct('p1', { signal: controller.signal })).toMatchObject({ status: 'idle', stopped: true });

    const again = runtime.withMesh(fast.mesh, { readFile: fast.readFile });
    expect((await again.runProduct('p1')).status).toBe('published');
  }, 120_000);

  it('a stop between ticks leaves the clock where it stopped', async () => {
    const { runtime } = await helloRuntime();
    const controller = new AbortController();
    controller.abort();
    expect(await runtime.advance(3, { signal: controller.signal })).toEqual([]);
    expect(runtime.tick).toBe(0);
    const report = await runtime.runAll({ signal: controller.signal });
    expect(report.stopped).toEqual({ done: 0, total: 2 });
    expect(report.products.every((p) => p.stopped && p.status === 'idle')).toBe(true);
  }, 60_000);
});
