import type { DuckDBBindings, DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSchemaConformance, compileContractChecks, evaluateCheck } from '../../core/contracts/contractChecks.ts';
import { contractFromDocument } from '../../core/model/contractDocument.ts';
import { createNodeDuckDB } from '../../workers/duckdb/nodeDuckDB.ts';
import { measureAllSql } from '../../workers/quantum/measureChecks.ts';

/*
 * Every kind of contract rule, passing and failing, on real data in DuckDB-WASM. Each case
 * writes one rule into a contract for a table `t` and runs the compiled SQL.
 */
let db: DuckDBBindings;
let connection: DuckDBConnection;

beforeAll(async () => {
  db = await createNodeDuckDB();
  connection = db.connect();
  connection.query(`CREATE TABLE t AS SELECT * FROM (VALUES
    (1, 'a@x.io', 'gold', 10.5, 'A'),
    (2, 'b@x.io', 'silver', 20.0, 'A'),
    (3, NULL, 'bronze', 30.0, 'B'),
    (4, 'n/a', 'tin', 40.0, 'B')) AS v(id, email, tier, amount, grp)`);
});
afterAll(() => connection.close());

function run(properties: unknown[], tableQuality: unknown[] = []): { id: string; passed: boolean; measured: number; message: string }[] {
  const contract = contractFromDocument('t.odcs.yaml', {
    id: 'c',
    version: '1.0.0',
    schema: [{ name: 't', properties, quality: tableQuality }],
  });
  if (!contract) throw new Error('contract did not parse');
  const { checks } = compileContractChecks(contract);
  return checks.map((check) => {
    const row = connection.query(check.sql).toArray()[0]?.toJSON() as { value: number | null; total: number };
    const outcome = evaluateCheck(check, Number(row.value ?? 0), Number(row.total));
    return { id: check.id, passed: outcome.passed, measured: outcome.measured, message: outcome.message };
  });
}

const col = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name, logicalType: 'string', ...extra });

describe('contract checks on real data', () => {
  it.each([
    ['required passes on a column without nulls', col('id', { required: true }), true],
    ['required fails on a column with a null', col('email', { required: true }), false],
    ['unique passes on distinct values', col('tier', { unique: true }), true],
    ['unique fails on a repeated value', col('grp', { unique: true }), false],
    ['primaryKey passes on a key column', col('id', { primaryKey: true }), true],
    ['primaryKey fails on a nullable column', col('email', { primaryKey: true }), false],
  ])('%s', (_name, property, passed) => {
    expect(run([property]).map((r) => r.passed)).toEqual([passed]);
  });

  it.each([
    ['nullValues mustBe 0 fails with one null', { metric: 'nullValues', mustBe: 0 }, false, 1],
    ['nullValues ≤ 30 percent passes with 25%', { metric: 'nullValues', mustBeLessOrEqualTo: 30, unit: 'percent' }, true, 25],
    [
      'missingValues counts nulls and listed values',
      { metric: 'missingValues', arguments: { missingValues: [null, 'n/a'] }, mustBe: 2 },
      true,
      2,
    ],
    [
      'missingValues fails when missing values exceed the limit',
      { metric: 'missingValues', arguments: { missingValues: [null, 'n/a'] }, mustBeLessThan: 1 },
      false,
      2,
    ],
    [
      'invalidValues with a pattern fails on "n/a"',
      { metric: 'invalidValues', arguments: { pattern: '^[^@]+@[^@]+$' }, mustBe: 0 },
      false,
      1,
    ],
    [
      'invalidValues with a pattern passes under a 30 percent limit',
      { metric: 'invalidValues', arguments: { pattern: '^[^@]+@[^@]+$' }, mustBeLessThan: 30, unit: 'percent' },
      true,
      25,
    ],
    ['duplicateValues passes on distinct values', { metric: 'duplicateValues', mustBe: 0 }, true, 0],
  ])('%s', (_name, rule, passed, measured) => {
    const [result] = run([col('email', { quality: [rule] })]);
    expect(result).toMatchObject({ passed, measured });
  });

  it.each([
    [
      'invalidValues with validValues fails on "tin"',
      'tier',
      { metric: 'invalidValues', arguments: { validValues: ['gold', 'silver', 'bronze'] }, mustBe: 0 },
      false,
      1,
    ],
    [
      'invalidValues with validValues passes when all are listed',
      'tier',
      { metric: 'invalidValues', arguments: { validValues: ['gold', 'silver', 'bronze', 'tin'] }, mustBe: 0 },
      true,
      0,
    ],
    ['duplicateValues fails on a repeated group', 'grp', { metric: 'duplicateValues', mustBe: 0 }, false, 2],
    [
      'a sql rule with ${table} and ${column} placeholders passes',
      'amount',
      { type: 'sql', query: 'SELECT count(*) FROM ${table} WHERE ${column} < 0', mustBe: 0 },
      true,
      0,
    ],
    [
      'a sql rule fails when its value is out of range',
      'amount',
      { type: 'sql', query: 'SELECT max(amount) FROM t', mustBeBetween: [0, 35] },
      false,
      40,
    ],
  ])('%s', (_name, column, rule, passed, measured) => {
    const [result] = run([col(column, { quality: [rule] })]);
    expect(result).toMatchObject({ passed, measured });
  });

  it.each([
    ['rowCount > 0 passes', { metric: 'rowCount', mustBeGreaterThan: 0 }, true],
    ['rowCount ≥ 10 fails on 4 rows', { metric: 'rowCount', mustBeGreaterOrEqualTo: 10 }, false],
    ['rowCount not between 1 and 5 fails on 4 rows', { metric: 'rowCount', mustNotBeBetween: [1, 5] }, false],
    [
      'table-level duplicateValues over two columns passes',
      { metric: 'duplicateValues', arguments: { properties: ['grp', 'tier'] }, mustBe: 0 },
      true,
    ],
    ['mustNotBe passes when the value differs', { metric: 'rowCount', mustNotBe: 0 }, true],
  ])('%s', (_name, rule, passed) => {
    expect(run([col('id')], [rule]).map((r) => r.passed)).toEqual([passed]);
  });

  it('says what was measured against what in the message', () => {
    const [result] = run([col('email', { quality: [{ metric: 'nullValues', mustBe: 0, description: 'every listener has an e-mail' }] })]);
    expect(result?.message).toBe('every listener has an e-mail: measured 1, mustBe 0 — failed');
  });

  it('skips text rules and rules without a comparison, saying why', () => {
    const contract = contractFromDocument('t.odcs.yaml', {
      id: 'c',
      version: '1',
      schema: [{ name: 't', properties: [col('id')], quality: [{ type: 'text', description: 'looks right' }, { metric: 'rowCount' }] }],
    });
    const { checks, skipped } = compileContractChecks(contract!);
    expect(checks).toEqual([]);
    expect(skipped.map((s) => s.reason)).toEqual([expect.stringContaining('text rule'), expect.stringContaining('no comparison')]);
  });
});

describe('schema conformance', () => {
  it('finds missing columns and incompatible types from DESCRIBE', () => {
    const contract = contractFromDocument('t.odcs.yaml', {
      id: 'c',
      version: '1',
      schema: [
        {
          name: 't',
          properties: [
            { name: 'id', logicalType: 'integer' },
            { name: 'email', logicalType: 'integer' },
            { name: 'amount', logicalType: 'number' },
            { name: 'gone', logicalType: 'string' },
          ],
        },
      ],
    });
    const described = connection
      .query('DESCRIBE t')
      .toArray()
      .map((r) => {
        const row = r.toJSON() as { column_name: string; column_type: string };
        return { name: row.column_name, type: row.column_type };
      });
    expect(checkSchemaConformance(contract!, 't', described).map((p) => p.message)).toEqual([
      'column "email" is VARCHAR but the contract promises integer',
      'column "gone" is promised by the contract but missing from the output',
    ]);
  });
});

describe('the checks of a port measured together', () => {
  const contract = contractFromDocument('t.odcs.yaml', {
    id: 'c',
    version: '1.0.0',
    schema: [
      {
        name: 't',
        properties: [
          col('id', { required: true, unique: true, primaryKey: true, logicalType: 'integer', logicalTypeOptions: { minimum: 2 } }),
          col('email', { required: true, logicalTypeOptions: { format: 'email' } }),
          col('tier', { quality: [{ metric: 'invalidValues', arguments: { validValues: ['gold', 'silver'] }, mustBe: 0 }] }),
          col('grp', { unique: true, quality: [{ metric: 'duplicateValues', mustBe: 0 }] }),
        ],
        quality: [
          { metric: 'rowCount', mustBeGreaterThan: 2 },
          { type: 'sql', query: 'SELECT count(*) FROM t WHERE amount > 15', mustBe: 3 },
        ],
      },
    ],
  });
  if (!contract) throw new Error('contract did not parse');
  const { checks } = compileContractChecks(contract);
  const oneByOne = () =>
    checks.map((check) => {
      const row = connection.query(check.sql).toArray()[0]?.toJSON() as { value: number | null; total: number };
      return { id: check.id, value: Number(row.value ?? 0), total: Number(row.total) };
    });

  it('measures every aggregate check over one relation in a single scan of it', () => {
    const aggregates = checks.filter((c) => c.aggregate !== undefined);
    expect(aggregates.length).toBeGreaterThan(6);
    expect(checks.some((c) => c.aggregate === undefined)).toBe(true); // the sql rule keeps its own query
    const sql = measureAllSql(checks);
    // One scan of t for all the aggregates, plus the sql rule's own subqueries.
    expect(sql.split('UNION ALL')).toHaveLength(checks.length - aggregates.length + 1);
  });

  it('gives every check the value and total its own query gives', () => {
    const rows = connection
      .query(measureAllSql(checks))
      .toArray()
      .map((r) => r.toJSON() as { i: number; value: number; total: number });
    const together = checks.map((check, i) => {
      const row = rows.find((r) => Number(r.i) === i);
      return { id: check.id, value: Number(row?.value ?? Number.NaN), total: Number(row?.total ?? Number.NaN) };
    });
    const alone = oneByOne();
    expect(together).toEqual(alone);
    expect(alone.some((m) => m.value > 0)).toBe(true); // some checks fail, so the values are not all zero
  });
});
