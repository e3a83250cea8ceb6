#!/usr/bin/env node
// Writes the Parquet fixtures of test/conformance/parquet/ with native DuckDB (@duckdb/node-api,
// a devDependency): one small file per physical/logical type family, nulls in every column, and
// the same table under each compression. `node scripts/make-conformance-fixtures.mjs` rewrites
// them; the files are committed, so the tests need no writer. Native DuckDB is also the
// reference the tests compare against (test/conformance/parquetTypes.test.ts).
import { mkdirSync, rmSync } from 'node:fs';
import nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const REPO_DIR = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = nodePath.join(REPO_DIR, 'test', 'conformance', 'parquet');

/** File name → the SELECT whose result it holds. Every column has a NULL in the last row. */
export const FIXTURES = {
  integers: `SELECT * FROM (VALUES
      ((-128)::TINYINT, (-32768)::SMALLINT, (-2147483648)::INTEGER, (-9223372036854775808)::BIGINT),
      (127::TINYINT, 32767::SMALLINT, 2147483647::INTEGER, 9223372036854775807::BIGINT),
      (NULL, NULL, NULL, NULL)) AS t(int8, int16, int32, int64)`,
  unsigned: `SELECT * FROM (VALUES
      (0::UTINYINT, 0::USMALLINT, 0::UINTEGER, 0::UBIGINT),
      (255::UTINYINT, 65535::USMALLINT, 4294967295::UINTEGER, 18446744073709551615::UBIGINT),
      (NULL, NULL, NULL, NULL)) AS t(uint8, uint16, uint32, uint64)`,
  floats: `SELECT * FROM (VALUES (1.5::FLOAT, 0.1::DOUBLE), ((-3.25)::FLOAT, 1e300::DOUBLE), (NULL, NULL)) AS t(float32, float64)`,
  date: `SELECT * FROM (VALUES (DATE '2024-01-05'), (DATE '1969-12-31'), (NULL)) AS t(order_date)`,
  time: `SELECT * FROM (VALUES (TIME '00:00:00'), (TIME '23:59:59.123456'), (NULL)) AS t(at_time)`,
  timestamps: `SELECT * FROM (VALUES
      (TIMESTAMP_MS '2024-01-05 10:11:12.345', TIMESTAMP '2024-01-05 10:11:12.345678', TIMESTAMP_NS '2024-01-05 10:11:12.345678912'),
      (TIMESTAMP_MS '1969-12-31 23:59:59.999', TIMESTAMP '1900-01-01 00:00:00', TIMESTAMP_NS '2262-04-11 00:00:00'),
      (NULL, NULL, NULL)) AS t(ts_millis, ts_micros, ts_nanos)`,
  timestamptz: `SELECT * FROM (VALUES (TIMESTAMPTZ '2024-01-05 10:11:12.345678+02'), (TIMESTAMPTZ '1970-01-01 00:00:00+00'), (NULL)) AS t(at_utc)`,
  decimals: `SELECT * FROM (VALUES
      (123.4::DECIMAL(4,1), 1234567.89::DECIMAL(9,2), 123456789012345.678::DECIMAL(18,3),
       1234567890123456789012345678.0123456789::DECIMAL(38,10)),
      ((-999.9)::DECIMAL(4,1), (-0.01)::DECIMAL(9,2), (-0.001)::DECIMAL(18,3),
       (-9999999999999999999999999999.9999999999)::DECIMAL(38,10)),
      (NULL, NULL, NULL, NULL)) AS t(dec_4_1, dec_9_2, dec_18_3, dec_38_10)`,
  boolean: `SELECT * FROM (VALUES (true), (false), (NULL)) AS t(flag)`,
  binary: `SELECT * FROM (VALUES ('\\x00\\xFF\\x10'::BLOB), (''::BLOB), (NULL)) AS t(payload)`,
  strings: `SELECT * FROM (VALUES ('plain'), ('Zürich — 東京 🎵'), (''), (NULL)) AS t(label)`,
  list: `SELECT * FROM (VALUES ([1, NULL, 3]::INTEGER[], ['a', 'b']::VARCHAR[]), ([]::INTEGER[], NULL), (NULL, [NULL]::VARCHAR[])) AS t(ints, labels)`,
  struct: `SELECT * FROM (VALUES ({'id': 1, 'name': 'a'}), ({'id': NULL, 'name': 'b'}), (NULL)) AS t(item)`,
  list_of_struct: `SELECT * FROM (VALUES
      ([{'sku': 'x1', 'qty': 2::SMALLINT, 'price': 9.99::DECIMAL(6,2)}, {'sku': 'x2', 'qty': NULL, 'price': 0.5::DECIMAL(6,2)}]),
      ([]), (NULL)) AS t(lines)`,
};

/** The same mixed table under each codec DuckDB writes (snappy is its default). */
const MIXED = `SELECT * FROM (VALUES (1::INTEGER, 'one', DATE '2024-01-01', 1.25::DECIMAL(5,2)),
    (2, 'two', DATE '2024-01-02', NULL), (NULL, NULL, NULL, 3.5)) AS t(id, label, day, amount)`;
export const CODECS = ['snappy', 'zstd', 'gzip', 'uncompressed'];

async function main() {
  rmSync(OUT_DIR, { recursive: true, force: true, filter: (p) => p.endsWith('.parquet') });
  mkdirSync(OUT_DIR, { recursive: true });
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  const write = async (name, select, codec = 'snappy') => {
    const file = nodePath.join(OUT_DIR, `${name}.parquet`).replaceAll("'", "''");
    await connection.run(`COPY (${select}) TO '${file}' (FORMAT parquet, COMPRESSION ${codec})`);
  };
  for (const [name, select] of Object.entries(FIXTURES)) await write(name, select);
  for (const codec of CODECS) await write(`compression_${codec}`, MIXED, codec);
  console.log(`wrote ${Object.keys(FIXTURES).length + CODECS.length} Parquet files to ${nodePath.relative(REPO_DIR, OUT_DIR)}`);
}

await main();
