import { spawnSync } from 'node:child_process';
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { openRunnableMesh, type OpenedMesh } from '../../core/node/commands/openMesh.ts';
import { runMeshFor, type RunSession } from '../../core/node/commands/runSession.ts';
import type { QuantumHost } from '../../core/run/runTypes.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { NativeHost } from '../../workers/native/nativeHost.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { REPO, sampleNames } from '../helpers.ts';

/*
 * Issue 15's proof that the two engines are one: every sample mesh run as `quanta run` runs it
 * (policy gate included, and one tick of simulated time after tick 0), once on DuckDB-WASM and
 * once on native DuckDB, must end the same — each product's status, version, rows and problem,
 * each check's verdict and measured value, each port's columns, profile, Arrow types and rows
 * (compared as sorted JSON, since a table's row order is not a promise). The bytes' hash may
 * differ: two Arrow writers frame the same data differently.
 */
const samples = await sampleNames();

interface Outcome {
  readonly products: readonly unknown[];
  /** Each published port's rows, DuckDB column types and profile (null shares, distinct counts). */
  readonly ports: readonly unknown[];
  /** "product.port" → its published data: Arrow types, then the rows as sorted JSON lines. */
  readonly data: ReadonlyMap<string, { readonly types: readonly string[]; readonly rows: readonly string[] }>;
}

const json = (value: unknown): string => JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

async function outcomeOf(opened: OpenedMesh, host: QuantumHost): Promise<Outcome> {
  const io = { err: () => undefined, progress: false, createCatalogEngine: (h: QuantumHost) => new QuantumCatalogEngine(h) };
  let session: RunSession;
  try {
    session = await runMeshFor(opened, host, 1, io);
  } finally {
    await host.dispose();
  }
  const products = opened.loaded.mesh.products.map((p) => {
    const run = session.runtime.lastRun(p.id);
    return {
      id: p.id,
      status: run?.status,
      version: run?.version,
      rows: run?.rows,
      problem: run?.problem?.message,
      checks: (run?.checks ?? []).map((c) => ({ id: c.id, port: c.port, passed: c.passed, measured: c.measured, message: c.message })),
    };
  });
  const ports: unknown[] = [];
  const data = new Map<string, { types: string[]; rows: string[] }>();
  for (const p of opened.loaded.mesh.products) {
    for (const port of p.outputPorts) {
      const version = session.runtime.latestVersion(p.id, port.name);
      if (!version?.ipc) continue;
      const table = tableFromIPC(version.ipc);
      data.set(`${p.id}.${port.name}`, {
        types: table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`),
        rows: table
          .toArray()
          .map((row: { toJSON(): unknown }) => json(row.toJSON()))
          .sort(),
      });
      ports.push({ port: `${p.id}.${port.name}`, rows: version.rows, columns: version.columns, profile: version.profile });
    }
  }
  return { products, ports, data };
}

describe.each(samples)('the wasm and the native engine on %s', (name) => {
  let wasm: Outcome;
  let native: Outcome;

  beforeAll(async () => {
    const opened = await openRunnableMesh({ out: () => undefined, err: () => undefined, cwd: REPO }, `sample-meshes/${name}`);
    if (!opened) throw new Error(`sample-meshes/${name} does not load`);
    wasm = await outcomeOf(opened, new InProcessHost(2));
    native = await outcomeOf(opened, new NativeHost(2));
  }, 300_000);

  it('publish the same products with the same status, version, rows, problems and check verdicts and measures', () => {
    expect(wasm.products.length).toBeGreaterThan(0);
    expect(native.products).toEqual(wasm.products);
  });

  it('describe every published port alike: rows, DuckDB column types, null shares and distinct counts', () => {
    expect(wasm.ports.length).toBeGreaterThan(0);
    expect(native.ports).toEqual(wasm.ports);
  });

  it('hand on every port with the same Arrow types and the very same rows', () => {
    expect(wasm.data.size).toBeGreaterThan(0);
    expect([...native.data.keys()]).toEqual([...wasm.data.keys()]);
    for (const [port, data] of wasm.data) {
      const other = native.data.get(port);
      expect(other?.types, `${port}'s Arrow types`).toEqual(data.types);
      expect(other?.rows.length, `${port}'s row count`).toBe(data.rows.length);
      expect(other?.rows, `${port}'s rows`).toEqual(data.rows);
    }
  });
});

describe('quanta run --engine native', () => {
  it('runs hello-mesh through bin/quanta.mjs on native DuckDB and publishes both products', () => {
    const result = spawnSync(process.execPath, ['bin/quanta.mjs', 'run', 'sample-meshes/hello-mesh', '--engine', 'native', '--json'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; products: { id: string; status: string; rows: number }[] };
    expect(report.ok).toBe(true);
    expect(report.products.map((p) => [p.id, p.status, p.rows])).toEqual([
      ['daily-revenue', 'published', 8],
      ['orders', 'published', 120],
    ]);
  });

  it('refuses an unknown engine as a wrong command line (exit 2)', () => {
    const result = spawnSync(process.execPath, ['bin/quanta.mjs', 'run', 'sample-meshes/hello-mesh', '--engine', 'duckdb'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--engine must be one of wasm, native, not "duckdb"');
  });
});
