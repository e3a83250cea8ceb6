import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { FaultError } from '../../core/run/faults.ts';
import { MeshRuntime } from '../../core/run/meshRuntime.ts';
import type { QuantumHost } from '../../core/run/runTypes.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { REPO, sampleInMemory } from '../helpers.ts';

/*
 * The runtime's promises on real DuckDB-WASM, in this thread: contracts refuse bad
 * publishes, downstream goes stale, schedules, the simulated clock, faults, determinism.
 * Worker-thread behaviour (crash isolation, timeouts) is in workerHost.test.ts.
 */
const host = new InProcessHost(2);
afterAll(() => host.dispose());

const ORDERS = 'domains/sales/orders';
const REVENUE = 'domains/finance/daily-revenue';

/** hello-mesh in memory, with some files replaced. */
async function helloMesh(
  edit: (files: Record<string, string | Uint8Array>) => void = () => undefined,
  runtimeHost: QuantumHost = host,
): Promise<MeshRuntime> {
  const { files } = await sampleInMemory('hello-mesh');
  edit(files);
  const fs = new MemoryFileSystem(files);
  const { mesh, diagnostics } = await loadMesh(fs);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return new MeshRuntime(mesh, { host: runtimeHost, readFile: (path) => fs.readFile(path) });
}

function text(files: Record<string, string | Uint8Array>, path: string): string {
  const value = files[path];
  return typeof value === 'string' ? value : new TextDecoder().decode(value);
}

function statusOf(runtime: MeshRuntime): Record<string, string> {
  return Object.fromEntries(runtime.mesh.products.map((p) => [p.id, runtime.lastRun(p.id)?.status ?? 'idle']));
}

describe('contracts enforced at publish', () => {
  it('refuses a publish that breaks a required column, keeps the last good version and marks downstream stale', async () => {
    const runtime = await helloMesh();
    await runtime.runAll();
    const good = runtime.latestVersion('orders', 'orders');
    expect(good?.version).toBe(1);

    runtime.injectFault({ kind: 'nullSpike', product: 'orders', table: 'orders_csv', column: 'customer_email', share: 0.2 });
    const report = await runtime.runAll();
    const orders = report.products.find((p) => p.product === 'orders');
    expect(orders?.status).toBe('refused');
    const failed = orders?.checks.filter((c) => !c.passed) ?? [];
    expect(failed.map((c) => c.id)).toContain('orders.customer_email.required');
    expect(failed[0]?.file).toBe(`${ORDERS}/orders.odcs.yaml`);
    expect(failed[0]?.line).toBeGreaterThan(1);

    // The port still serves version 1, and daily-revenue ran on it: stale, not failed.
    expect(runtime.latestVersion('orders', 'orders')).toBe(good);
    const revenue = report.products.find((p) => p.product === 'daily-revenue');
    expect(revenue).toMatchObject({ status: 'stale', staleBecause: ['orders'] });
    expect(runtime.latestVersion('daily-revenue', 'daily_revenue')?.version).toBe(2);
  });

  it('refuses a publish when a column promised by the contract is missing from the output', async () => {
    const runtime = await helloMesh();
    runtime.injectFault({ kind: 'renameColumn', product: 'orders', table: 'orders_csv', column: 'order_id', to: 'id' });
    const report = await runtime.runAll();
    // transform.sql selects order_id by name, so the rename breaks the transform itself.
    const orders = report.products.find((p) => p.product === 'orders');
    expect(orders?.status).toBe('failed');
    expect(orders?.problem).toMatchObject({ file: `${ORDERS}/transform.sql`, message: expect.stringContaining('order_id') });
    expect(report.products.find((p) => p.product === 'daily-revenue')?.status).toBe('stale');
  });

  it('refuses a publish whose column type no longer matches the contract', async () => {
    const runtime = await helloMesh((files) => {
      files[`${ORDERS}/transform.sql`] =
        'SELECT order_id, CAST(ordered_at AS VARCHAR) AS ordered_at, customer_email, amount_eur FROM orders_csv';
    });
    const report = await runtime.runAll();
    const orders = report.products.find((p) => p.product === 'orders');
    expect(orders?.status).toBe('refused');
    expect(orders?.checks.find((c) => c.id === 'orders.ordered_at.schema')?.message).toBe(
      'column "ordered_at" is VARCHAR but the contract promises timestamp',
    );
    expect(runtime.latestVersion('orders', 'orders')).toBeUndefined();
    expect(report.products.find((p) => p.product === 'daily-revenue')).toMatchObject({
      status: 'stale',
      problem: {
        message:
          'cannot run: upstream orders.orders has no published version yet (orders did not publish), so there is no good version to run on',
      },
    });
  });
});

describe('consumers start on exported data', () => {
  /** hello-mesh, recording the order of started/finished events. */
  async function withEvents(): Promise<{ runtime: MeshRuntime; events: string[] }> {
    const { files } = await sampleInMemory('hello-mesh');
    const fs = new MemoryFileSystem(files);
    const { mesh } = await loadMesh(fs);
    const events: string[] = [];
    const runtime = new MeshRuntime(mesh, {
      host,
      readFile: (path) => fs.readFile(path),
      onEvent: (event) => {
        if (event.type === 'started') events.push(`started ${event.product}`);
        if (event.type === 'finished') events.push(`finished ${event.run.product}`);
      },
    });
    return { runtime, events };
  }

  it('starts a consumer before its upstream is judged, and keeps its result when the upstream publishes', async () => {
    const { runtime, events } = await withEvents();
    const report = await runtime.runAll();
    expect(events.indexOf('started daily-revenue')).toBeLessThan(events.indexOf('finished orders'));
    expect(report.products.map((p) => [p.product, p.status, p.version])).toEqual([
      ['daily-revenue', 'published', 1],
      ['orders', 'published', 1],
    ]);
    const revenue = runtime.latestVersion('daily-revenue', 'daily_revenue');
    expect(revenue?.dataAt).toBe(runtime.latestVersion('orders', 'orders')?.dataAt);
    const again = await withEvents();
    await again.runtime.runAll();
    expect(again.runtime.latestVersion('daily-revenue', 'daily_revenue')?.hash).toBe(revenue?.hash);
  });

  it('throws away what a consumer built on data its upstream then failed to publish, and runs it again on the last good version', async () => {
    const { runtime, events } = await withEvents();
    await runtime.runAll();
    const good = runtime.latestVersion('daily-revenue', 'daily_revenue');
    // Half the amounts go null: the orders contract refuses it, and revenue built on it would differ.
    runtime.injectFault({ kind: 'nullSpike', product: 'orders', table: 'orders_csv', column: 'amount_eur', share: 0.5 });
    events.length = 0;
    const report = await runtime.runAll();
    expect(events.indexOf('started daily-revenue')).toBeLessThan(events.indexOf('finished orders'));
    expect(report.products.find((p) => p.product === 'orders')?.status).toBe('refused');
    expect(report.products.find((p) => p.product === 'daily-revenue')).toMatchObject({
      status: 'stale',
      staleBecause: ['orders'],
      version: 2,
    });
    const rebuilt = runtime.latestVersion('daily-revenue', 'daily_revenue');
    expect(rebuilt?.hash).toBe(good?.hash);
    expect(rebuilt?.dataAt).toBe(runtime.latestVersion('orders', 'orders')?.dataAt);
    expect(runtime.latestVersion('orders', 'orders')?.version).toBe(1);
  });
});

describe('the simulation clock', () => {
  it('runs a product scheduled every 1d once a day and its onUpstreamPublish consumer after it', async () => {
    const runtime = await helloMesh();
    await runtime.runAll();
    await runtime.advance(23);
    expect(runtime.latestVersion('orders', 'orders')?.version).toBe(1);
    expect(runtime.latestVersion('daily-revenue', 'daily_revenue')?.version).toBe(1);
    const [day] = await runtime.advance(1);
    expect(day?.simulatedAt).toBe('2026-11-02T00:00:00.000Z');
    expect(runtime.latestVersion('orders', 'orders')).toMatchObject({ version: 2, tick: 24 });
    expect(runtime.latestVersion('daily-revenue', 'daily_revenue')).toMatchObject({ version: 2, tick: 24 });
    expect(day?.products.every((p) => p.skipped === undefined)).toBe(true);
  });

  it('says why a product did not run on a tick', async () => {
    const runtime = await helloMesh();
    await runtime.runAll();
    const [report] = await runtime.advance(1);
    expect(report?.products.find((p) => p.product === 'orders')?.skipped).toBe('not due: runs every 1d');
    expect(report?.products.find((p) => p.product === 'daily-revenue')?.skipped).toBe('no upstream published since its last run');
  });

  it('appends rowsPerTick generated rows on every tick', async () => {
    const { files } = await sampleInMemory('daff');
    const fs = new MemoryFileSystem(files);
    const { mesh } = await loadMesh(fs);
    const runtime = new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path) });
    await runtime.runAll();
    const before = runtime.latestVersion('play-events', 'play_events')?.rows ?? 0;
    await runtime.advance(2);
    const after = runtime.latestVersion('play-events', 'play_events');
    const events = mesh.products.find((p) => p.id === 'play-events')?.settings?.sources.find((s) => s.name === 'player_events');
    const perTick = events?.generator?.rowsPerTick ?? 0;
    expect(perTick).toBeGreaterThan(0);
    expect(after?.version).toBe(3);
    // The observability port: every version's figures, without the Arrow bytes.
    const observed = runtime.observability('play-events', 'play_events');
    expect(observed.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(observed.every((v) => !('ipc' in v) && v.rows > 0 && v.profile.length > 0 && v.checks.length > 0)).toBe(true);
    // One output row per player event that has a session: at most the events the two ticks added.
    expect((after?.rows ?? 0) - before).toBeGreaterThan(0);
    expect((after?.rows ?? 0) - before).toBeLessThanOrEqual(2 * perTick);
  }, 120_000);

  it('warns when a delayed source lets data outgrow the freshness SLA, without refusing', async () => {
    const runtime = await helloMesh((files) => {
      // daily-revenue runs every hour, so it keeps publishing from an orders version that ages.
      files[`${REVENUE}/quanta.yaml`] = text(files, `${REVENUE}/quanta.yaml`).replace(/schedule:[\s\S]*$/, 'schedule:\n  every: 1h\n');
    });
    await runtime.runAll();
    runtime.injectFault({ kind: 'delaySource', product: 'orders', ticks: 48 });
    const reports = await runtime.advance(30);
    const last = reports.at(-1);
    expect(last?.products.find((p) => p.product === 'orders')?.skipped).toMatch(/delayed until tick 48/);
    const revenue = last?.products.find((p) => p.product === 'daily-revenue');
    expect(revenue?.status).toBe('published');
    const freshness = revenue?.checks.find((c) => c.id.endsWith('.freshness'));
    expect(freshness).toMatchObject({ passed: false, severity: 'warning', file: `${REVENUE}/daily_revenue.odcs.yaml` });
    expect(freshness?.message).toBe('freshness: data is 1d 6h old, the contract promises at most 1 d — late');
    expect(runtime.freshness('orders', 'orders')).toMatchObject({ late: true, latencySeconds: 86_400 });
  });
});

describe('faults', () => {
  it('rejects a fault that names a table the product does not read, listing the ones it does', async () => {
    const runtime = await helloMesh();
    expect(() => runtime.injectFault({ kind: 'dropColumn', product: 'orders', table: 'orderz', column: 'x' })).toThrow(
      new FaultError('orders reads no table "orderz"; its sources and input ports are: orders_csv'),
    );
    expect(() => runtime.injectFault({ kind: 'crash', product: 'nope' })).toThrow('no product "nope" in this mesh');
  });

  it('a dropped input column fails the transform that reads it, naming transform.sql', async () => {
    const runtime = await helloMesh();
    runtime.injectFault({ kind: 'dropColumn', product: 'daily-revenue', table: 'orders', column: 'amount_eur' });
    const report = await runtime.runAll();
    expect(report.products.find((p) => p.product === 'daily-revenue')).toMatchObject({
      status: 'failed',
      problem: { file: `${REVENUE}/transform.sql`, line: 5, message: expect.stringContaining('amount_eur') },
    });
    runtime.clearFaults();
    expect(statusOf(runtime)).toEqual({ orders: 'published', 'daily-revenue': 'failed' });
    await runtime.advance(1); // a failed product runs again on the next tick
    expect(statusOf(runtime)).toEqual({ orders: 'published', 'daily-revenue': 'published' });
  });
});

describe('determinism', () => {
  it('two runs of the daff mesh with the same seeds publish the same content hashes', async () => {
    const hashes = async (): Promise<string[]> => {
      const { files } = await sampleInMemory('daff');
      const fs = new MemoryFileSystem(files);
      const { mesh } = await loadMesh(fs);
      const runtime = new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path) });
      await runtime.runAll();
      await runtime.advance(1);
      return mesh.products.flatMap((p) =>
        p.outputPorts.flatMap((port) => runtime.history(p.id, port.name).map((v) => `${p.id}/${port.name}@${v.version}:${v.hash}`)),
      );
    };
    const first = await hashes();
    expect(first.length).toBeGreaterThan(14);
    expect(await hashes()).toEqual(first);
  }, 180_000);
});

describe('seed files', () => {
  it.each(['orders.snappy.parquet', 'orders.zstd.parquet'])('reads a Parquet seed (%s) without a DuckDB extension', async (file) => {
    const bytes = new Uint8Array(await fsp.readFile(nodePath.join(REPO, 'test/fixtures/seeds', file)));
    const runtime = await helloMesh((files) => {
      files[`${ORDERS}/data/orders.parquet`] = bytes;
      files[`${ORDERS}/quanta.yaml`] = text(files, `${ORDERS}/quanta.yaml`).replace('file: data/orders.csv', 'file: data/orders.parquet');
    });
    const report = await runtime.runAll();
    expect(report.products.map((p) => [p.product, p.status, p.rows])).toEqual([
      ['daily-revenue', 'published', 8],
      ['orders', 'published', 120],
    ]);
  });

  it('fails a product whose Parquet seed is not Parquet, naming the file', async () => {
    const runtime = await helloMesh((files) => {
      files[`${ORDERS}/data/orders.parquet`] = new TextEncoder().encode('order_id\n1\n');
      files[`${ORDERS}/quanta.yaml`] = text(files, `${ORDERS}/quanta.yaml`).replace('file: data/orders.csv', 'file: data/orders.parquet');
    });
    const report = await runtime.runAll();
    expect(report.products.find((p) => p.product === 'orders')).toMatchObject({
      status: 'failed',
      problem: {
        file: `${ORDERS}/data/orders.parquet`,
        message: `${ORDERS}/data/orders.parquet is not a Parquet file (it does not start and end with PAR1)`,
      },
    });
  });

  it('fails a product whose CSV seed is binary, naming the file, and the rest of the mesh goes on', async () => {
    const runtime = await helloMesh((files) => {
      files[`${ORDERS}/data/orders.csv`] = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0xff, 0xfe]);
    });
    const report = await runtime.runAll();
    expect(report.products.find((p) => p.product === 'orders')).toMatchObject({
      status: 'failed',
      problem: { file: `${ORDERS}/data/orders.csv`, message: expect.stringContaining('is not a CSV text file') },
    });
  });
});

describe('querying output ports', () => {
  it('answers SQL over "<product-id>"."<port>" tables with the newest versions', async () => {
    const runtime = await helloMesh();
    await runtime.runAll();
    const outcome = await runtime.query(
      'SELECT count(*) AS n FROM "orders".orders JOIN "daily-revenue".daily_revenue ON CAST(ordered_at AS DATE) = day',
    );
    expect(outcome).toMatchObject({ ok: true, rows: 1 });
  });

  it('sees only the published ports, never the tables a previous run left in its pooled quantum', async () => {
    // One quantum: the query's lease is the very quantum daily-revenue just ran in.
    const single = new InProcessHost(1);
    try {
      const runtime = await helloMesh(undefined, single);
      await runtime.runAll();
      expect((await runtime.query('SELECT count(*) AS n FROM "daily-revenue".daily_revenue')).ok).toBe(true);
      // daily-revenue's run made these tables unqualified; a query must not see them.
      for (const leftover of ['daily_revenue', 'orders']) {
        const outcome = await runtime.query(`SELECT count(*) AS n FROM ${leftover}`);
        expect(outcome).toMatchObject({ ok: false, error: { message: expect.stringContaining(leftover) } });
      }
    } finally {
      await single.dispose();
    }
  });

  it('names an unknown table in a failed query', async () => {
    const runtime = await helloMesh();
    await runtime.runAll();
    const outcome = await runtime.query('SELECT * FROM nowhere');
    expect(outcome).toMatchObject({ ok: false, error: { message: expect.stringContaining('nowhere') } });
  });
});
