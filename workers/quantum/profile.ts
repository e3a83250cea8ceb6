import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { quoteIdent } from '../../core/contracts/contractChecks.ts';
import type { ColumnInfo, ColumnProfile } from './api.ts';
import type { SqlSession } from './sqlSession.ts';

/** Up to this many rows, distinct values are counted exactly; above, estimated (HyperLogLog). */
export const EXACT_DISTINCT_MAX_ROWS = 1_000_000;

type Row = Record<string, unknown> | undefined;

/**
 * A port's row count and, per column, null share and distinct values, in one scan after a
 * row count (which DuckDB answers from the table's metadata). Exact counts on tables up to a
 * million rows, where they cost little; above, approx_count_distinct, marked as an estimate
 * and capped at the non-null count (an estimate can overshoot: 2,635 for 2,500 rows).
 */
export async function profileOf(
  session: SqlSession,
  table: string,
  columns: readonly ColumnInfo[],
  exactUpTo = EXACT_DISTINCT_MAX_ROWS,
): Promise<{ rows: number; profile: ColumnProfile[] }> {
  const rows = toNumber((await session.rows(rowCountSql(table)))[0]?.['row_count']);
  if (columns.length === 0) return { rows, profile: [] };
  const exact = rows <= exactUpTo;
  return { rows, profile: readProfile(columns, rows, exact, (await session.rows(columnsSql(table, columns, exact)))[0]) };
}

/** profileOf on a DuckDB-WASM connection, synchronously (the same SQL). */
export function profileTable(
  connection: DuckDBConnection,
  table: string,
  columns: readonly ColumnInfo[],
  exactUpTo = EXACT_DISTINCT_MAX_ROWS,
): { rows: number; profile: ColumnProfile[] } {
  const first = (sql: string): Row => connection.query(sql).toArray()[0]?.toJSON() as Row;
  const rows = toNumber(first(rowCountSql(table))?.['row_count']);
  if (columns.length === 0) return { rows, profile: [] };
  const exact = rows <= exactUpTo;
  return { rows, profile: readProfile(columns, rows, exact, first(columnsSql(table, columns, exact))) };
}

function rowCountSql(table: string): string {
  return `SELECT count(*) AS row_count FROM ${quoteIdent(table)}`;
}

function columnsSql(table: string, columns: readonly ColumnInfo[], exact: boolean): string {
  return `SELECT ${profileAggregates(columns, exact).join(', ')} FROM ${quoteIdent(table)}`;
}

/**
 * The profile's aggregates over a port's columns, named `n<i>` (non-null values) and `d<i>`
 * (distinct values, exact or estimated): the separate profile query selects them, and so does
 * the port's one shared scan with its checks (portScan.ts). Column names only through quoteIdent.
 */
export function profileAggregates(columns: readonly ColumnInfo[], exact: boolean): string[] {
  return columns.flatMap((c, i) => {
    const column = quoteIdent(c.name);
    return [`count(${column}) AS n${i}`, exact ? `count(DISTINCT ${column}) AS d${i}` : `approx_count_distinct(${column}) AS d${i}`];
  });
}

/** A profile from the row of profileAggregates (`rows` the port's row count, `exact` as they were asked). */
export function readProfile(columns: readonly ColumnInfo[], rows: number, exact: boolean, row: Row): ColumnProfile[] {
  return columns.map((c, i): ColumnProfile => {
    const nonNull = toNumber(row?.[`n${i}`]);
    return {
      name: c.name,
      nullShare: rows === 0 ? 0 : 1 - nonNull / rows,
      distinct: Math.min(toNumber(row?.[`d${i}`]), nonNull),
      distinctExact: exact,
    };
  });
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const n = Number(value ?? 0);
  return Number.isNaN(n) ? 0 : n;
}
