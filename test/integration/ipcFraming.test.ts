import type { DuckDBBindings, DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDuckDB } from '../../workers/duckdb/nodeDuckDB.ts';
import { fileToStream } from '../../workers/quantum/arrowFraming.ts';

/* DuckDB's Arrow IPC file, re-framed as a stream without decoding, loads back identically. */
let db: DuckDBBindings;
let connection: DuckDBConnection;
beforeAll(async () => {
  db = await createNodeDuckDB();
  connection = db.connect();
});
afterAll(() => connection.close());

const file = (sql: string): Uint8Array => connection.useUnsafe((bindings, id) => bindings.runQuery(id, sql));

describe('IPC file → stream', () => {
  it.each([
    [
      'many rows of several types',
      "SELECT range AS i, range * 1.5 AS d, 'v' || range AS s, range % 3 = 0 AS b, DATE '2026-01-01' + range::INT AS day FROM range(5000)",
    ],
    ['no rows', 'SELECT 1 AS x WHERE false'],
    ['nulls and decimals', 'SELECT CASE WHEN range % 2 = 0 THEN NULL ELSE range END AS n, (range / 7)::DECIMAL(10,2) AS m FROM range(100)'],
    ['a large result in several batches', "SELECT range AS i, repeat('x', 20) AS s FROM range(300000)"],
  ])('%s', (_name, sql) => {
    const bytes = file(sql);
    const stream = fileToStream(bytes);
    expect(stream).toBeDefined();
    const reference = tableToIPC(tableFromIPC(bytes), 'stream');
    connection.query('DROP TABLE IF EXISTS a; DROP TABLE IF EXISTS b');
    connection.insertArrowFromIPCStream(stream ?? new Uint8Array(), { name: 'a', create: true });
    connection.insertArrowFromIPCStream(reference, { name: 'b', create: true });
    const rows = (t: string): number => Number(connection.query(`SELECT count(*) AS n FROM ${t}`).toArray()[0]?.toJSON()['n']);
    expect(rows('a')).toBe(tableFromIPC(bytes).numRows);
    const differing = connection
      .query('SELECT count(*) AS n FROM ((FROM a EXCEPT ALL FROM b) UNION ALL (FROM b EXCEPT ALL FROM a))')
      .toArray()[0]
      ?.toJSON()['n'];
    expect(Number(differing)).toBe(0);
  });

  it('gives up on bytes that are not an IPC file', () => {
    expect(fileToStream(new TextEncoder().encode('not arrow at all, clearly'))).toBeUndefined();
  });
});
