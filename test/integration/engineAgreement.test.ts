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
import { leaseQuantum, QUANTUM_HOSTS } from '../quantumHosts.ts';

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

/** One column of every type a port commonly holds, with a NULL row, in one transform. */
const EVERY_TYPE = `SELECT * FROM (VALUES
  (true, 1::TINYINT, 2::SMALLINT, 3::INTEGER, 9007199254740993::BIGINT, 170141183460469231731687303715884105727::HUGEINT,
   7::UTINYINT, 8::UINTEGER, 18446744073709551615::UBIGINT, 1.5::FLOAT, 0.1::DOUBLE, 12.34::DECIMAL(10,2),
   123456789012345678.1234::DECIMAL(38,4), DATE '2024-02-29', TIME '12:34:56.789012', TIMESTAMP '2024-01-02 03:04:05.123456',
   TIMESTAMPTZ '2024-01-02 03:04:05.123456+02', TIMESTAMP_MS '2024-01-02 03:04:05.123', TIMESTAMP_S '2024-01-02 03:04:05',
   TIMESTAMP_NS '2024-01-02 03:04:05.123456789', 'naïve "quoted", text', '\\x00\\x01'::BLOB, false,
   [1, NULL, 3]::INTEGER[], ['a', 'b']::VARCHAR[], [[1], [2, 3]]::INTEGER[][], {'a': 1, 'b': 'z'}, MAP {'k': 1.5}, [1, 2, 3]::INTEGER[3],
   'fd00e3f0-5c1c-4b3c-9b9c-0a0a0a0a0a0a'::UUID),
  (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL)
) AS t(b, i8, i16, i32, i64, i128, u8, u32, u64, f32, f64, d10, d38, dt, tm, ts, tstz, tsms, tss, tsns, txt, blb, flag,
       ints, strs, nested, rec, m, arr, id)`;

describe('every column type across an edge', () => {
  const hosts = QUANTUM_HOSTS.filter((h) => h.name !== 'worker-thread host'); // the worker runs the in-process quantum's code
  const seen = new Map<string, { columns: unknown; types: string[]; rows: string[]; text: unknown; loaded: unknown; ipc: Uint8Array }>();

  beforeAll(async () => {
    for (const { name, open } of hosts) {
      const host = open(1);
      const lease = await host.acquire('every-type');
      try {
        const run = await lease.quantum.run({
          productId: 'every-type',
          transform: { file: 'transform.sql', sql: EVERY_TYPE },
          inputs: [],
          ports: [{ name: 'p', checks: [] }],
        });
        if (!run.ok) throw new Error(`${name}: ${run.error.message}`);
        const port = run.ports[0];
        if (!port) throw new Error(`${name}: no port`);
        await lease.quantum.loadTable('back', port.ipc);
        const described = await lease.quantum.query('SELECT column_name, column_type FROM (DESCRIBE back)');
        if (!described.ok) throw new Error(described.error.message);
        // As DuckDB prints them: exact to the last digit (JSON of Arrow rows rounds timestamps to ms).
        const text = await lease.quantum.query('SELECT CAST(COLUMNS(*) AS VARCHAR) FROM back');
        if (!text.ok) throw new Error(text.error.message);
        const table = tableFromIPC(port.ipc);
        seen.set(name, {
          columns: port.columns,
          types: table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`),
          rows: table.toArray().map((row: { toJSON(): unknown }) => json(row.toJSON())),
          text: tableFromIPC(text.ipc)
            .toArray()
            .map((r: { toJSON(): unknown }) => r.toJSON()),
          loaded: tableFromIPC(described.ipc)
            .toArray()
            .map((r: { toJSON(): unknown }) => r.toJSON()),
          ipc: port.ipc,
        });
      } finally {
        lease.release();
        await host.dispose();
      }
    }
  }, 120_000);

  it('has the same DuckDB column types, Arrow types and values on both engines', () => {
    const [wasm, native] = hosts.map((h) => seen.get(h.name));
    expect(native?.columns).toEqual(wasm?.columns);
    expect(native?.types).toEqual(wasm?.types);
    expect(native?.rows).toEqual(wasm?.rows);
  });

  it('loads downstream as the same types on both engines (BIGINT stays BIGINT, DECIMAL(p,s), TIMESTAMPTZ, LIST, STRUCT, MAP, ARRAY…)', () => {
    const [wasm, native] = hosts.map((h) => seen.get(h.name));
    expect(native?.loaded).toEqual(wasm?.loaded);
    expect(native?.text).toEqual(wasm?.text);
    expect(wasm?.loaded).toContainEqual({ column_name: 'i64', column_type: 'BIGINT' });
    expect(wasm?.loaded).toContainEqual({ column_name: 'd10', column_type: 'DECIMAL(10,2)' });
  });

  it('loads what one engine exported into the other as the same table', async () => {
    const [wasmHost, nativeHost] = hosts;
    const [wasm, native] = hosts.map((h) => seen.get(h.name));
    if (!wasmHost || !nativeHost || !wasm || !native) throw new Error('both engines ran');
    for (const [host, ipc, expected] of [
      [nativeHost, wasm.ipc, native],
      [wasmHost, native.ipc, wasm],
    ] as const) {
      const { quantum, close } = await leaseQuantum(host.open, 'crossing');
      try {
        await quantum.loadTable('crossed', ipc);
        const described = await quantum.query('SELECT column_name, column_type FROM (DESCRIBE crossed)');
        const rows = await quantum.query('SELECT * FROM crossed');
        if (!described.ok || !rows.ok) throw new Error('the crossed table does not answer');
        expect(
          tableFromIPC(described.ipc)
            .toArray()
            .map((r: { toJSON(): unknown }) => r.toJSON()),
          host.name,
        ).toEqual(expected.loaded);
        expect(
          tableFromIPC(rows.ipc)
            .toArray()
            .map((row: { toJSON(): unknown }) => json(row.toJSON())),
          host.name,
        ).toEqual(expected.rows);
      } finally {
        await close();
      }
    }
  });
});
