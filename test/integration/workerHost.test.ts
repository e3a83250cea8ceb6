import { afterAll, describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { MeshRuntime } from '../../core/run/meshRuntime.ts';
import { WorkerHost } from '../../workers/node/workerHost.ts';
import { sampleInMemory } from '../helpers.ts';

/*
 * Quanta in real worker threads (the CLI's host): each product's DuckDB-WASM runs in its own
 * thread, so a crash, a runaway query or a memory blow-up stays inside that product.
 */
const hosts: WorkerHost[] = [];
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.dispose()));
});

async function runtimeOf(
  sample: string,
  edit: (files: Record<string, string | Uint8Array>) => void = () => undefined,
): Promise<{ runtime: MeshRuntime; host: WorkerHost }> {
  const { files } = await sampleInMemory(sample);
  edit(files);
  const fs = new MemoryFileSystem(files);
  const { mesh, diagnostics } = await loadMesh(fs);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const host = new WorkerHost(2);
  hosts.push(host);
  return { runtime: new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path) }), host };
}

const ORDERS = 'domains/sales/orders';

function withSimulation(files: Record<string, string | Uint8Array>, settings: string): void {
  const path = `${ORDERS}/quanta.yaml`;
  const value = files[path];
  files[path] = `${typeof value === 'string' ? value : new TextDecoder().decode(value)}simulation:\n${settings}`;
}

describe('quanta in worker threads', () => {
  it('run hello-mesh to published, with the pool capped at two live workers', async () => {
    const { runtime, host } = await runtimeOf('hello-mesh');
    const report = await runtime.runAll();
    expect(report.products.map((p) => [p.product, p.status])).toEqual([
      ['daily-revenue', 'published'],
      ['orders', 'published'],
    ]);
    expect(host.live).toBeLessThanOrEqual(2);
    expect(runtime.latestVersion('orders', 'orders')?.rows).toBe(120);
  });

  it('a crashed quantum fails only its product; the rest of daff publishes and the next run restarts it', async () => {
    const { runtime, host } = await runtimeOf('daff');
    runtime.injectFault({ kind: 'crash', product: 'music-catalog' });
    const report = await runtime.runAll();
    const byId = new Map(report.products.map((p) => [p.product, p]));
    expect(byId.get('music-catalog')).toMatchObject({
      status: 'failed',
      problem: { message: "its quantum's worker was terminated (injected crash)" },
    });
    const downstream = new Set(['artist-profiles', 'playlists', 'play-events', 'play-sessions']);
    for (const p of report.products) {
      if (p.product === 'music-catalog') continue;
      if (p.staleBecause) expect(downstream.has(p.product) || p.status === 'stale').toBe(true);
      else expect([p.product, p.status]).toEqual([p.product, 'published']);
    }
    expect(report.products.filter((p) => p.status === 'published').length).toBeGreaterThanOrEqual(5);
    expect(host.live).toBeLessThanOrEqual(2);

    await runtime.advance(1);
    expect(runtime.lastRun('music-catalog')?.status).toBe('published');
  }, 180_000);

  it('stops a runaway transform at simulation.timeout and names quanta.yaml; the next product still runs', async () => {
    const { runtime } = await runtimeOf('hello-mesh', (files) => {
      // Streaming, so it needs no memory and only time stops it: a cross join materializes its
      // right side and, on a quiet machine, reached the 1GB memory limit before the 2 s timeout.
      files[`${ORDERS}/transform.sql`] = 'SELECT sum(range % 7) AS x FROM range(1000000000000)';
      withSimulation(files, '  timeout: 2s\n');
    });
    const report = await runtime.runAll();
    expect(report.products.find((p) => p.product === 'orders')).toMatchObject({
      status: 'failed',
      problem: {
        file: `${ORDERS}/quanta.yaml`,
        message: 'its run timed out after 2s and was stopped; the limit is simulation.timeout in quanta.yaml (2s)',
      },
    });
    expect(report.products.find((p) => p.product === 'daily-revenue')?.status).toBe('stale');
    expect((await runtime.query('SELECT 42 AS answer')).ok).toBe(true);
  });

  it('enforces simulation.memoryLimit inside the quantum', async () => {
    const { runtime } = await runtimeOf('hello-mesh', (files) => {
      files[`${ORDERS}/transform.sql`] =
        'SELECT range AS order_id, repeat(CAST(range AS VARCHAR), 200) AS s FROM range(3000000) ORDER BY s DESC';
      withSimulation(files, '  memoryLimit: 16MB\n');
    });
    const report = await runtime.runAll();
    const orders = report.products.find((p) => p.product === 'orders');
    expect(orders?.status).toBe('failed');
    expect(orders?.problem?.message).toMatch(/memory/i);
  });

  it('replaces a quantum that ran out of memory instead of lending it again', async () => {
    const { files } = await sampleInMemory('hello-mesh');
    files[`${ORDERS}/transform.sql`] =
      'SELECT range AS order_id, repeat(CAST(range AS VARCHAR), 200) AS s FROM range(3000000) ORDER BY s DESC';
    withSimulation(files, '  memoryLimit: 16MB\n');
    const fs = new MemoryFileSystem(files);
    const { mesh } = await loadMesh(fs);
    const host = new WorkerHost(1);
    hosts.push(host);
    const runtime = new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path) });
    const report = await runtime.runAll();
    expect(report.products.find((p) => p.product === 'orders')?.problem?.message).toMatch(/^QUANTA_E073 /);
    expect(host.started).toBe(1); // daily-revenue is stale: only orders leased a quantum
    expect((await runtime.query('SELECT 1 AS one')).ok).toBe(true);
    expect(host.started).toBe(2);
    expect((await runtime.query('SELECT 1 AS one')).ok).toBe(true);
    expect(host.started).toBe(2); // a healthy quantum is lent again
  });

  it('replaces a quantum whose wasm memory grew past its share of the memory budget', async () => {
    const { files } = await sampleInMemory('hello-mesh');
    const fs = new MemoryFileSystem(files);
    const { mesh } = await loadMesh(fs);
    // A budget smaller than any DuckDB instance: every quantum is over its share after one call.
    const host = new WorkerHost(1, 1024 * 1024);
    hosts.push(host);
    const runtime = new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path) });
    const report = await runtime.runAll();
    expect(report.products.every((p) => p.status === 'published')).toBe(true);
    expect(host.started).toBe(2);
    await runtime.query('SELECT 1 AS one');
    expect(host.started).toBe(3);
  });

  it('refuses a memoryLimit larger than one quantum may hold, naming the budget', async () => {
    const { files } = await sampleInMemory('hello-mesh');
    withSimulation(files, '  memoryLimit: 3GB\n');
    const fs = new MemoryFileSystem(files);
    const { mesh } = await loadMesh(fs);
    const host = new WorkerHost(2, 2 * 1024 ** 3);
    hosts.push(host);
    const report = await new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path) }).runAll();
    expect(report.products.find((p) => p.product === 'orders')?.problem?.message).toBe(
      'simulation.memoryLimit 3GB is more than one quantum may hold here (1.0 GB: the memory budget shared by 2 quanta); lower it',
    );
  });
});
