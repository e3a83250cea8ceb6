import { promises as fsp, readdirSync } from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { MeshRuntime } from '../../core/run/meshRuntime.ts';
import { createNodeDuckDB } from '../../workers/duckdb/nodeDuckDB.ts';
import { Quantum } from '../../workers/quantum/quantum.ts';
import type { ColumnInfo } from '../../workers/quantum/api.ts';
import { QUANTUM_HOSTS } from '../quantumHosts.ts';
import { CONFORMANCE_DIR, conformanceFiles, contractFor } from './conformanceMesh.ts';

/*
 * Parquet seeds keep the file's types: each fixture of parquet/ (written by
 * scripts/make-conformance-fixtures.mjs) loads in a real quantum with the column types native
 * DuckDB reads from the same file, and the same values. Native DuckDB (@duckdb/node-api) is
 * the reference, asked in the same test.
 */
const PARQUET_DIR = nodePath.join(CONFORMANCE_DIR, 'parquet');
const fixtures = readdirSync(PARQUET_DIR).filter((f) => f.endsWith('.parquet'));
let quantum: Quantum;
let native: DuckDBConnection;

beforeAll(async () => {
  quantum = new Quantum(await createNodeDuckDB());
  native = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(async () => {
  await quantum.close();
  native.closeSync();
});

async function loadInQuantum(file: string, bytes?: Uint8Array): Promise<Awaited<ReturnType<Quantum['run']>>> {
  return quantum.run({
    productId: 'p',
    inputs: [
      { kind: 'parquet', name: 'raw', file: `data/${file}`, bytes: bytes ?? (await fsp.readFile(nodePath.join(PARQUET_DIR, file))) },
    ],
    ports: [{ name: 'port', checks: [] }],
  });
}

/** Each column as text, with a TIMESTAMPTZ as its instant (text would depend on the session's time zone). */
function asText(columns: readonly ColumnInfo[], from: string): string {
  const parts = columns.map((c) => {
    const column = `"${c.name.replaceAll('"', '""')}"`;
    return c.type === 'TIMESTAMP WITH TIME ZONE'
      ? `CAST(epoch_us(${column}) AS VARCHAR) AS ${column}`
      : `CAST(${column} AS VARCHAR) AS ${column}`;
  });
  return `SELECT ${parts.join(', ')} FROM ${from}`;
}

async function nativeOf(file: string): Promise<{ columns: ColumnInfo[]; rows: unknown[] }> {
  const path = `'${nodePath.join(PARQUET_DIR, file).replaceAll("'", "''")}'`;
  const described = (await native.runAndReadAll(`DESCRIBE SELECT * FROM ${path}`)).getRowObjects();
  const columns = described.map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
  const rows = (await native.runAndReadAll(asText(columns, path))).getRowObjectsJS();
  return { columns, rows: rows.map((r) => ({ ...r })) };
}

async function quantumRows(columns: readonly ColumnInfo[]): Promise<unknown[]> {
  const outcome = await quantum.query(asText(columns, 'port'));
  if (!outcome.ok) throw new Error(outcome.error.message);
  return tableFromIPC(outcome.ipc)
    .toArray()
    .map((row: { toJSON(): Record<string, unknown> }) => Object.fromEntries(Object.entries(row.toJSON()).map(([k, v]) => [k, v ?? null])));
}

describe('a Parquet seed', () => {
  it.each(fixtures)('%s loads with the column types and values native DuckDB reads from it', async (file) => {
    const reference = await nativeOf(file);
    expect(reference.rows.length).toBeGreaterThan(1);
    const outcome = await loadInQuantum(file);
    if (!outcome.ok) throw new Error(outcome.error.message);
    const columns = outcome.ports[0]?.columns ?? [];
    expect(columns).toEqual(reference.columns);
    expect(await quantumRows(columns)).toEqual(reference.rows);
  });

  it('keeps a DATE a DATE (not TIMESTAMP_MS), DECIMAL its scale, UINT64 its maximum and a TIMESTAMPTZ its instant', async () => {
    const read = async (file: string, sql: string): Promise<Record<string, unknown>> => {
      const outcome = await loadInQuantum(file);
      if (!outcome.ok) throw new Error(outcome.error.message);
      const result = await quantum.query(sql);
      if (!result.ok) throw new Error(result.error.message);
      return (tableFromIPC(result.ipc).get(0) as { toJSON(): Record<string, unknown> }).toJSON();
    };
    expect(await read('date.parquet', `SELECT typeof(order_date) AS t, CAST(order_date AS VARCHAR) AS v FROM port LIMIT 1`)).toEqual({
      t: 'DATE',
      v: '2024-01-05',
    });
    expect(
      await read('decimals.parquet', `SELECT CAST(dec_38_10 AS VARCHAR) AS v, CAST(dec_9_2 AS VARCHAR) AS w FROM port LIMIT 1`),
    ).toEqual({
      v: '1234567890123456789012345678.0123456789',
      w: '1234567.89',
    });
    expect(await read('unsigned.parquet', `SELECT CAST(max(uint64) AS VARCHAR) AS v FROM port`)).toEqual({ v: '18446744073709551615' });
    // 10:11:12.345678 at +02 is 08:11:12.345678 UTC.
    expect(
      await read(
        'timestamptz.parquet',
        `SELECT epoch_us(at_utc) = epoch_us(TIMESTAMPTZ '2024-01-05 08:11:12.345678+00') AS same FROM port LIMIT 1`,
      ),
    ).toEqual({
      same: true,
    });
  });

  it('refuses a file that ends with PAR1 but has a broken footer with an error naming the file', async () => {
    const good = await fsp.readFile(nodePath.join(PARQUET_DIR, 'integers.parquet'));
    const broken = new Uint8Array(good);
    broken.fill(0xff, broken.byteLength - 40, broken.byteLength - 8); // the footer's last bytes, not its length or magic
    const outcome = await loadInQuantum('integers.parquet', broken);
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'input', file: 'data/integers.parquet' } });
    if (!outcome.ok) expect(outcome.error.message).toMatch(/^data\/integers\.parquet cannot be read as Parquet: /);
  });

  it('refuses a file nesting columns deeper than 32 levels with an error naming the file (an untrusted file could nest thousands)', async () => {
    const dir = await fsp.mkdtemp(nodePath.join(os.tmpdir(), 'quanta-parquet-'));
    try {
      const deep = Array.from({ length: 40 }).reduce<string>((inner) => `{'a': ${inner}}`, '1');
      const path = nodePath.join(dir, 'deep.parquet');
      await native.run(`COPY (SELECT ${deep} AS nested) TO '${path.replaceAll("'", "''")}' (FORMAT parquet)`);
      const outcome = await loadInQuantum('deep.parquet', await fsp.readFile(path));
      expect(outcome).toMatchObject({ ok: false, error: { kind: 'input', file: 'data/deep.parquet' } });
      if (!outcome.ok)
        expect(outcome.error.message).toBe('data/deep.parquet cannot be read as Parquet: it nests columns more than 32 levels deep');
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});

describe.each(QUANTUM_HOSTS)('a Parquet seed under its contract ($name)', ({ open }) => {
  const host = open(1);
  afterAll(() => host.dispose());

  async function publish(file: string, properties: unknown[]): Promise<{ status: string; failed: string[] }> {
    const bytes = new Uint8Array(await fsp.readFile(nodePath.join(PARQUET_DIR, file)));
    const fs = conformanceFiles(file, bytes, contractFor('people', properties));
    const { mesh } = await loadMesh(fs);
    const report = await new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path) }).runAll();
    const run = report.products.find((p) => p.product === 'p');
    return { status: run?.status ?? 'missing', failed: (run?.checks ?? []).filter((c) => !c.passed).map((c) => c.message) };
  }

  it('publishes an INT32 column under logicalType integer (it used to arrive as DOUBLE and be refused)', async () => {
    const run = await publish('integers.parquet', [
      { name: 'int8', logicalType: 'integer' },
      { name: 'int32', logicalType: 'integer' },
      { name: 'int64', logicalType: 'integer' },
    ]);
    expect(run).toEqual({ status: 'published', failed: [] });
  });

  it('publishes a DATE column under logicalType date (it used to arrive as TIMESTAMP_MS)', async () => {
    expect(await publish('date.parquet', [{ name: 'order_date', logicalType: 'date' }])).toEqual({ status: 'published', failed: [] });
  });
});
