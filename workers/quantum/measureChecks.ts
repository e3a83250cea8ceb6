import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { isNotSingleSelect } from '../../core/sql/singleSelect.ts';
import type { Measurement, PortRequest } from './api.ts';

type Checks = PortRequest['checks'];

/** How a failed check query reads in the run log (the quantum names sandbox and memory refusals). */
export type DescribeError = (error: unknown) => string;

/**
 * Every check of a port in one query (a UNION ALL of one-row subqueries): a contract has
 * tens of checks and each query has a fixed cost. If any check's SQL fails (a sql rule
 * naming a missing column), they are measured one by one so each failure is named.
 */
export function measureAll(connection: DuckDBConnection, checks: Checks, describe: DescribeError): Measurement[] {
  return measureValues(connection, checks, describe).map((m, i) => {
    const sql = checks[i]?.samples;
    return sql !== undefined && m.error === undefined && m.value > 0 ? { ...m, samples: samples(connection, sql) } : m;
  });
}

/**
 * All checks of a port as one query: per check a row (i, value, total), i its position.
 * Exported for the bench's native baseline, which runs this very SQL.
 */
export function measureAllSql(checks: readonly { readonly sql: string }[]): string {
  return checks
    .map((check, i) => `SELECT ${i} AS i, CAST(value AS DOUBLE) AS value, CAST(total AS DOUBLE) AS total FROM (${check.sql}) AS check_${i}`)
    .join('\nUNION ALL\n');
}

/** A few failing values of a check that counted some (its `samples` query); none if that query fails. */
function samples(connection: DuckDBConnection, sql: string): string[] {
  try {
    return connection
      .query(sql)
      .toArray()
      .map((row) => String((row.toJSON() as { sample?: unknown }).sample ?? 'NULL'));
  } catch {
    return [];
  }
}

function measureValues(connection: DuckDBConnection, checks: Checks, describe: DescribeError): Measurement[] {
  const one = (check: Checks[number]): Measurement => measure(connection, check.id, check.sql, describe);
  if (checks.length <= 1) return checks.map(one);
  try {
    const rows = connection.query(measureAllSql(checks)).toArray();
    const measured = new Map<number, { value: unknown; total: unknown }>();
    for (const row of rows) {
      const r = row.toJSON() as { i: number; value: unknown; total: unknown };
      measured.set(Number(r.i), r);
    }
    return checks.map((check, i) => {
      const r = measured.get(i);
      return r ? { id: check.id, value: toNumber(r.value), total: toNumber(r.total) } : one(check);
    });
  } catch {
    return checks.map(one);
  }
}

function measure(connection: DuckDBConnection, id: string, sql: string, describe: DescribeError): Measurement {
  try {
    const row = connection.query(sql).toArray()[0]?.toJSON() as { value?: unknown; total?: unknown } | undefined;
    return { id, value: toNumber(row?.value), total: toNumber(row?.total) };
  } catch (error) {
    const refused = describe(error);
    const single = isNotSingleSelect(refused) ? `QUANTA_E071 a contract sql rule's query must be exactly one SELECT (${refused})` : refused;
    return { id, value: Number.NaN, total: 0, error: single };
  }
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value === null || value === undefined) return 0;
  const n = Number(value);
  return Number.isNaN(n) ? 0 : n;
}
