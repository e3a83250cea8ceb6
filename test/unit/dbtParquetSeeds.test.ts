import { promises as fsp, readdirSync } from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDbtFrom } from '../../core/export/dbtExport.ts';
import { DUCKDB_SEED_MACRO } from '../../core/export/dbtSeeds.ts';
import { parquetSeed } from '../../core/export/parquetSeed.ts';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { CONFORMANCE_DIR } from '../conformance/conformanceMesh.ts';

/*
 * A Parquet seed in the dbt export: the seed CSV and its column_types, loaded back the way
 * dbt-duckdb loads a seed (a table of the column types, then `COPY … FROM` the CSV), hold
 * the types and values native DuckDB reads from the Parquet file — the types Quanta's quantum
 * gives it (test/conformance/parquetTypes.test.ts). The real dbt, on DuckDB and on Spark,
 * builds such a seed in test/interop/dbtParquetSeeds.test.ts.
 */
const PARQUET_DIR = nodePath.join(CONFORMANCE_DIR, 'parquet');
const NESTED = ['list.parquet', 'struct.parquet', 'list_of_struct.parquet'];
const fixtures = readdirSync(PARQUET_DIR).filter((f) => f.endsWith('.parquet') && !NESTED.includes(f));
let native: DuckDBConnection;
let dir: string;

beforeAll(async () => {
  native = await (await DuckDBInstance.create(':memory:')).connect();
  dir = await fsp.mkdtemp(nodePath.join(os.tmpdir(), 'quanta-parquet-seed-'));
});
afterAll(async () => {
  native.closeSync();
  await fsp.rm(dir, { recursive: true, force: true });
});

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** Rows as text, a TIMESTAMPTZ as its instant (its text depends on the session's zone). */
async function rowsAsText(from: string): Promise<{ columns: [string, string][]; rows: unknown[] }> {
  const described = (await native.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`)).getRowObjects();
  const columns = described.map((r): [string, string] => [String(r['column_name']), String(r['column_type'])]);
  const select = columns.map(([name, type]) =>
    type === 'TIMESTAMP WITH TIME ZONE' ? `CAST(epoch_us(${quote(name)}) AS VARCHAR)` : `CAST(${quote(name)} AS VARCHAR)`,
  );
  const rows = (await native.runAndReadAll(`SELECT ${select.join(', ')} FROM ${from}`)).getRows();
  return { columns, rows };
}

/** The seed loaded as dbt-duckdb loads it: CREATE TABLE with the column types, COPY FROM the CSV (with the shipped macro's option when asked). */
async function loadedAsDbtDuckdb(file: string): Promise<{ columns: [string, string][]; rows: unknown[]; notes: readonly string[] }> {
  const seed = await parquetSeed(new Uint8Array(await fsp.readFile(nodePath.join(PARQUET_DIR, file))));
  const csv = nodePath.join(dir, file.replace(/\.parquet$/, '.csv'));
  await fsp.writeFile(csv, seed.csv);
  const table = quote(`seed_${file.replace(/\W/g, '_')}`);
  await native.run(`CREATE OR REPLACE TABLE ${table} (${[...seed.types].map(([n, t]) => `${quote(n)} ${t}`).join(', ')})`);
  const option = seed.emptyStrings ? ', ALLOW_QUOTED_NULLS false' : '';
  await native.run(`COPY ${table} FROM ${literal(csv)} (FORMAT CSV, HEADER TRUE, DELIMITER ','${option})`);
  return { ...(await rowsAsText(table)), notes: seed.notes };
}

describe('a Parquet seed as a dbt seed', () => {
  it.each(fixtures)('%s loads back with the types and values native DuckDB reads from the Parquet file', async (file) => {
    const reference = await rowsAsText(literal(nodePath.join(PARQUET_DIR, file)));
    const loaded = await loadedAsDbtDuckdb(file);
    expect(loaded.columns).toEqual(reference.columns);
    expect(loaded.rows).toEqual(reference.rows);
  });

  it('keeps an empty string apart from NULL, the text "null" a text, and quotes, commas and line breaks inside a cell', async () => {
    const path = nodePath.join(dir, 'texts.parquet');
    await native.run(
      `COPY (SELECT * FROM (VALUES (1, ''), (2, NULL), (3, 'null'), (4, 'a "quoted", text\nwith a line'), (5, ' padded ')) AS t(id, label)) TO ${literal(path)} (FORMAT parquet)`,
    );
    const seed = await parquetSeed(new Uint8Array(await fsp.readFile(path)));
    expect(seed.emptyStrings).toBe(true);
    expect(seed.csv).toBe('id,label\n1,""\n2,\n3,null\n4,"a ""quoted"", text\nwith a line"\n5," padded "\n');
    expect(seed.notes).toEqual([
      'column "label" holds empty or "null" strings, which dbt\'s CSV reader loads as NULL on Spark (on DuckDB they stay text)',
    ]);
    const csv = nodePath.join(dir, 'texts.csv');
    await fsp.writeFile(csv, seed.csv);
    await native.run(`CREATE OR REPLACE TABLE texts (id INTEGER, label VARCHAR)`);
    await native.run(`COPY texts FROM ${literal(csv)} (FORMAT CSV, HEADER TRUE, DELIMITER ',', ALLOW_QUOTED_NULLS false)`);
    const rows = (await native.runAndReadAll('SELECT id, label FROM texts ORDER BY id')).getRows();
    expect(rows).toEqual([
      [1, ''],
      [2, null],
      [3, 'null'],
      [4, 'a "quoted", text\nwith a line'],
      [5, ' padded '],
    ]);
  });

  it('writes LIST and STRUCT columns as JSON text (VARCHAR) with a note naming the column', async () => {
    const seed = await parquetSeed(new Uint8Array(await fsp.readFile(nodePath.join(PARQUET_DIR, 'list_of_struct.parquet'))));
    expect([...seed.types]).toEqual([['lines', 'VARCHAR']]);
    expect(seed.notes).toEqual([
      'column "lines" is STRUCT("sku" VARCHAR, "qty" SMALLINT, "price" DECIMAL(6,2))[], which a CSV seed cannot hold: the seed has it as JSON text (VARCHAR)',
    ]);
    const [, first] = seed.csv.split('\n');
    expect(JSON.parse((first ?? '').slice(1, -1).replaceAll('""', '"'))).toEqual([
      { sku: 'x1', qty: 2, price: 9.99 },
      { sku: 'x2', qty: null, price: 0.5 },
    ]);
  });

  it('refuses a file with a broken footer, one that is not Parquet, and one without rows, with the reason', async () => {
    const good = new Uint8Array(await fsp.readFile(nodePath.join(PARQUET_DIR, 'integers.parquet')));
    const broken = new Uint8Array(good);
    broken.fill(0xff, broken.byteLength - 40, broken.byteLength - 8);
    await expect(parquetSeed(broken)).rejects.toThrow(/^its footer cannot be read: /);
    await expect(parquetSeed(new TextEncoder().encode('id,label\n1,a\n'))).rejects.toThrow('it is not a Parquet file');
    const empty = nodePath.join(dir, 'empty.parquet');
    await native.run(`COPY (SELECT 1 AS id WHERE false) TO ${literal(empty)} (FORMAT parquet)`);
    await expect(parquetSeed(new Uint8Array(await fsp.readFile(empty)))).rejects.toThrow('it has no rows');
  });
});

describe('quanta export dbt with Parquet seeds', () => {
  async function meshWith(files: Record<string, string | Uint8Array>): Promise<MemoryFileSystem> {
    const product = (id: string, file: string): Record<string, string | Uint8Array> => ({
      [`domains/d/${id}/product.odps.yaml`]: stringify({
        apiVersion: 'v1.0.0',
        kind: 'DataProduct',
        id,
        name: id,
        domain: 'd',
        status: 'active',
        version: '1.0.0',
        team: { name: 't' },
        outputPorts: [{ name: 'rows', version: '1.0.0', contractId: `${id}.rows` }],
      }),
      [`domains/d/${id}/rows.odcs.yaml`]: stringify({
        apiVersion: 'v3.1.0',
        kind: 'DataContract',
        id: `${id}.rows`,
        version: '1.0.0',
        status: 'active',
        schema: [{ name: 'rows', physicalType: 'table', properties: [{ name: 'id', logicalType: 'integer' }] }],
      }),
      [`domains/d/${id}/quanta.yaml`]: stringify({
        apiVersion: 'quanta/v1',
        kind: 'QuantumSettings',
        archetype: 'source-aligned',
        sources: [{ name: 'raw', file }],
      }),
      [`domains/d/${id}/transform.sql`]: 'SELECT * FROM raw\n',
    });
    return new MemoryFileSystem({
      'mesh.yaml': stringify({ apiVersion: 'quanta/v1', kind: 'Mesh', name: 'parquet-seeds', teams: [{ id: 't', name: 'T' }] }),
      'domains/d/domain.yaml': stringify({ apiVersion: 'quanta/v1', kind: 'Domain', id: 'd', name: 'D', team: 't' }),
      ...product('good', 'data/good.parquet'),
      ...product('bad', 'data/bad.parquet'),
      ...files,
    });
  }

  it('writes the seed CSV with column_types for both adapters, and a corrupt file is a note naming it while the rest goes on', async () => {
    const path = nodePath.join(dir, 'good.parquet');
    await native.run(
      `COPY (SELECT * FROM (VALUES (1::BIGINT, 12.50::DECIMAL(9,2), TIMESTAMP '2024-01-05 10:11:12.5', TIME '01:02:03', ''), (2, NULL, NULL, NULL, 'b')) AS t(id, amount, ts, clock, label)) TO ${literal(path)} (FORMAT parquet)`,
    );
    const good = new Uint8Array(await fsp.readFile(path));
    const fs = await meshWith({
      'domains/d/good/data/good.parquet': good,
      'domains/d/bad/data/bad.parquet': good.slice(0, good.byteLength - 30),
    });
    const { mesh, diagnostics } = await loadMesh(fs);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const out = await exportDbtFrom(fs, mesh, { spark: (sql) => ({ sql }) });
    expect(out.files.get('seeds/d/good__raw.csv')).toBe(
      'id,amount,ts,clock,label\n1,12.50,2024-01-05 10:11:12.500000,01:02:03,""\n2,,,,b\n',
    );
    const seeds = parse(out.files.get('seeds/_seeds.yml') ?? '') as {
      seeds: { name: string; config: { meta: { quanta: Record<string, unknown> }; column_types: Record<string, string> } }[];
    };
    const seed = seeds.seeds.find((s) => s.name === 'good__raw');
    expect(seed?.config.meta.quanta).toEqual({ product: 'good', source: 'raw', quoted_empty_strings: true });
    expect(seed?.config.column_types).toEqual({
      id: 'BIGINT', // the same name on both adapters
      amount: 'DECIMAL(9,2)',
      ts: 'TIMESTAMP',
      clock: "{{ 'string' if target.type == 'spark' else 'TIME' }}",
      label: "{{ 'string' if target.type == 'spark' else 'VARCHAR' }}",
    });
    expect(out.files.get('macros/quanta_duckdb_seeds.sql')).toBe(DUCKDB_SEED_MACRO);
    const texts = out.notes.map((n) => n.text);
    expect(texts.some((t) => /data\/bad\.parquet cannot be read as Parquet: .+; no seed/.test(t))).toBe(true);
    expect(texts.some((t) => t.includes('column "clock" is a TIME, which Spark lacks'))).toBe(true);
    expect(texts.some((t) => t.includes('does not convert'))).toBe(false);
    expect(out.files.has('seeds/d/bad__raw.csv')).toBe(false);
    expect([...out.files.keys()].some((f) => f.includes('good__rows'))).toBe(true);
  });
});
