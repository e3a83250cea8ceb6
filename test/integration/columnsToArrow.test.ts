import type { DuckDBBindings, DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { tableFromJSON, tableToIPC } from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDuckDB } from '../../workers/duckdb/nodeDuckDB.ts';
import { columnsToIpc } from '../../workers/quantum/columnsToArrow.ts';

/* Generated columns → Arrow must give DuckDB exactly the table the row-object path gave. */
let db: DuckDBBindings;
let connection: DuckDBConnection;
beforeAll(async () => {
  db = await createNodeDuckDB();
  connection = db.connect();
});
afterAll(() => connection.close());

type Value = string | number | boolean | null;

function describeTable(name: string): string[] {
  return connection
    .query(`DESCRIBE ${name}`)
    .toArray()
    .map((r) => {
      const row = r.toJSON() as { column_name: string; column_type: string };
      return `${row.column_name}:${row.column_type}`;
    });
}

function load(names: string[], columns: Value[][]): { fast: string[]; reference: string[]; differing: number } {
  const rows = Array.from({ length: columns[0]?.length ?? 0 }, (_, r) =>
    Object.fromEntries(names.map((n, c) => [n, columns[c]?.[r] ?? null])),
  );
  for (const t of ['fast', 'reference']) connection.query(`DROP TABLE IF EXISTS ${t}`);
  connection.insertArrowFromIPCStream(columnsToIpc(names, columns), { name: 'fast', create: true });
  connection.insertArrowFromIPCStream(tableToIPC(tableFromJSON(rows), 'stream'), { name: 'reference', create: true });
  // The row-object path may order columns differently; compare by name.
  const cols = names.map((n) => `"${n}"`).join(', ');
  const differing = connection
    .query(
      `SELECT count(*) AS n FROM ((SELECT ${cols} FROM fast EXCEPT ALL SELECT ${cols} FROM reference) UNION ALL (SELECT ${cols} FROM reference EXCEPT ALL SELECT ${cols} FROM fast))`,
    )
    .toArray()[0]
    ?.toJSON()['n'];
  return { fast: describeTable('fast').sort(), reference: describeTable('reference').sort(), differing: Number(differing) };
}

describe('generated columns to Arrow', () => {
  it('keeps types, nulls, unicode text and booleans', () => {
    const result = load(
      ['n', 's', 'b'],
      [
        [1, 2.5, null, -3, 1e15],
        ['a', 'ünïcødé ✓ 🎵', null, '', 'x'.repeat(300)],
        [true, false, null, true, true],
      ],
    );
    expect(result.fast).toEqual(['b:BOOLEAN', 'n:DOUBLE', 's:VARCHAR']);
    expect(result.fast).toEqual(result.reference);
    expect(result.differing).toBe(0);
  });

  it('makes a column of mixed values, or of nulls only, VARCHAR', () => {
    connection.query('DROP TABLE IF EXISTS mixed');
    connection.insertArrowFromIPCStream(
      columnsToIpc(
        ['mixed', 'empty'],
        [
          [1, 'two', true, null],
          [null, null, null, null],
        ],
      ),
      { name: 'mixed', create: true },
    );
    expect(describeTable('mixed')).toEqual(['mixed:VARCHAR', 'empty:VARCHAR']);
    const rows = connection
      .query('SELECT mixed FROM mixed')
      .toArray()
      .map((r) => r.toJSON()['mixed'] as unknown);
    expect(rows).toEqual(['1', 'two', 'true', null]);
  });

  it('matches the row-object path on random columns', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.constantFrom('number', 'string', 'boolean'), { minLength: 1, maxLength: 4 }),
        (length, kinds) => {
          const arbitraries: Record<string, fc.Arbitrary<Value>> = {
            number: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
            // ASCII, and text mixing ASCII with other scripts (columnsToIpc copies ASCII itself).
            string: fc.option(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' })), { nil: null }),
            boolean: fc.option(fc.boolean(), { nil: null }),
          };
          const columns = kinds.map((kind) => fc.sample(arbitraries[kind] ?? fc.constant(null), length));
          // A column of only nulls is VARCHAR here and NULL-typed in the reference; compare the others.
          if (columns.some((c) => c.every((v) => v === null))) return;
          const result = load(
            kinds.map((_, i) => `c${i}`),
            columns,
          );
          expect(result.fast).toEqual(result.reference);
          expect(result.differing).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
