import { promises as fsp } from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDbt } from '../../core/import/dbt/dbtImport.ts';
import { seedAsParquet } from '../../core/import/dbt/seedParquet.ts';
import { readParquet } from '../../core/parquet/readParquet.ts';

/*
 * A dbt seed's column_types carried into the imported mesh: the seed CSV written as Parquet with
 * those types (core/import/dbt/seedParquet.ts) holds what dbt-duckdb loads from the CSV — a
 * table of the column types, `COPY … FROM` the file — as native DuckDB reads both.
 */
let native: DuckDBConnection;
let dir: string;

beforeAll(async () => {
  native = await (await DuckDBInstance.create(':memory:')).connect();
  dir = await fsp.mkdtemp(nodePath.join(os.tmpdir(), 'quanta-seed-types-'));
});
afterAll(async () => {
  native.closeSync();
  await fsp.rm(dir, { recursive: true, force: true });
});

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

async function described(from: string): Promise<{ columns: string[]; rows: unknown[] }> {
  const columns = (await native.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`))
    .getRowObjects()
    .map((r) => `${String(r['column_name'])} ${String(r['column_type'])}`);
  const names = columns.map((c) => `CAST("${c.split(' ')[0]}" AS VARCHAR)`);
  return { columns, rows: (await native.runAndReadAll(`SELECT ${names.join(', ')} FROM ${from}`)).getRows() };
}

describe('a dbt seed written as Parquet with its column_types', () => {
  const TYPES: [string, string][] = [
    ['id', 'BIGINT'],
    ['n', 'INTEGER'],
    ['small', 'SMALLINT'],
    ['tiny', 'TINYINT'],
    ['session', 'DOUBLE'],
    ['share', 'FLOAT'],
    ['amount', 'DECIMAL(10,2)'],
    ['big', 'DECIMAL(38,4)'],
    ['ok', 'BOOLEAN'],
    ['released_at', 'VARCHAR'],
    ['day', 'DATE'],
    ['at', 'TIMESTAMP'],
  ];
  const CSV = [
    TYPES.map(([n]) => n).join(','),
    '1,2,3,4,12.125,0.1,134.37,12345678901234567890123456789012.1234,true,2020-01-01T15:58:49.408Z,2024-02-29,2024-01-05 10:11:12.345678',
    '9223372036854775807,-2147483648,,-128,1e300,-0.5,-0.05,,false,"a, ""b""",1970-01-01,1969-12-31 23:59:59',
    ',,,,,,,,,"",,',
    '',
  ].join('\n');

  it('holds the types and values dbt-duckdb loads from the CSV', async () => {
    const written = seedAsParquet(CSV, new Map(TYPES));
    if (!('bytes' in written)) throw new Error(written.error);
    const parquet = nodePath.join(dir, 'seed.parquet');
    const csv = nodePath.join(dir, 'seed.csv');
    await fsp.writeFile(parquet, written.bytes);
    await fsp.writeFile(csv, CSV);
    await native.run(`CREATE OR REPLACE TABLE dbt_seed (${TYPES.map(([n, t]) => `"${n}" ${t}`).join(', ')})`);
    await native.run(`COPY dbt_seed FROM ${literal(csv)} (FORMAT CSV, HEADER TRUE, DELIMITER ',')`);
    const reference = await described('dbt_seed');
    expect(await described(literal(parquet))).toEqual(reference);
    expect(reference.columns[4]).toBe('session DOUBLE');
  });

  it('refuses a value that is not of its type with its line, a type it does not write, and a column without a type', () => {
    expect(
      seedAsParquet(
        'id,n\n1,2\n3,x\n',
        new Map([
          ['id', 'BIGINT'],
          ['n', 'INTEGER'],
        ]),
      ),
    ).toEqual({
      error: 'line 3: column "n" holds "x", which is not a INTEGER',
    });
    expect(seedAsParquet('id\n1\n', new Map([['id', 'TIMESTAMP WITH TIME ZONE']]))).toEqual({
      error: 'id: TIMESTAMP WITH TIME ZONE cannot be written to Parquet here',
    });
    expect(seedAsParquet('id,n\n1,2\n', new Map([['id', 'BIGINT']]))).toEqual({ error: 'no type for "n"' });
  });
});

describe('quanta import dbt of a seed with column_types', () => {
  it('writes the seed as Parquet with them where the contract would type the CSV otherwise, with a note', async () => {
    const manifest = JSON.stringify({
      metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json', dbt_version: '1.11', project_name: 'shop' },
      nodes: {
        'seed.shop.sessions': {
          resource_type: 'seed',
          name: 'sessions',
          unique_id: 'seed.shop.sessions',
          package_name: 'shop',
          original_file_path: 'seeds/sessions.csv',
          config: { enabled: true, meta: {}, column_types: { session_id: 'DOUBLE', label: 'VARCHAR' } },
          // The YAML says BIGINT, as a transform's output would: a CSV would be read rounded.
          columns: { session_id: { name: 'session_id', data_type: 'BIGINT', meta: {}, constraints: [] } },
        },
      },
      sources: {},
      groups: {},
    });
    const csv = new TextEncoder().encode('session_id,label\n12.125,2020-01-01T15:58:49.408Z\n12.25,\n');
    const result = await importDbt(manifest, {
      readSeed: (path) => Promise.resolve(path === 'seeds/sessions.csv' ? csv : { error: 'no' }),
    });
    const path = [...result.files.keys()].find((f) => f.endsWith('.parquet'));
    expect(path).toMatch(/\/data\/[a-z_]+\.parquet$/);
    const file = result.files.get(path ?? '');
    if (!(file instanceof Uint8Array)) throw new Error('no Parquet seed');
    const { columns, rows } = await readParquet(file);
    expect(columns.map((c) => [c.name, c.kind.kind])).toEqual([
      ['session_id', 'float64'],
      ['label', 'utf8'],
    ]);
    expect(rows.map((r) => r['session_id'])).toEqual([12.125, 12.25]);
    expect([...result.files.keys()].some((f) => f.endsWith('.csv'))).toBe(false);
    expect(result.notes.map((n) => n.text).join('\n')).toMatch(
      /seed sessions: written as Parquet \(data\/\w+\.parquet\) with its column_types, so Quanta reads it with dbt's types \(session_id: DOUBLE, where the contract says BIGINT\)/,
    );
  });
});
