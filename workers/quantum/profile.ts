import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { quoteIdent } from '../../core/contracts/contractChecks.ts';
import type { ColumnInfo, ColumnProfile } from './api.ts';

/** Up to this many rows, distinct values are counted exactly; above, estimated (HyperLogLog). */
export const EXACT_DISTINCT_MAX_ROWS = 1_000_000;

/**
 * A port's row count and, per column, null share and distinct values, in one scan after a
 * row count (which DuckDB answers from the table's metadata). Exact counts on tables up to a
 * million rows, where they cost little; above, approx_count_distinct, marked as an estimate
 * and capped at the non-null count (an estimate can overshoot: 2,635 for 2,500 rows).
 */
export function profileTable(
  connection: DuckDBConnection,
  table: string,
  columns: readonly ColumnInfo[],
  exactUpTo = EXACT_DISTINCT_MAX_ROWS,
): { rows: number; profile: ColumnProfile[] } {
  const from = quoteIdent(table);
  const counted = connection.query(`SELECT count(*) AS row_count FROM ${from}`).toArray()[0]?.toJSON() as
    Record<string, unknown> | undefined;
  const rows = toNumber(counted?.['row_count']);
  const exact = rows <= exactUpTo;
  if (columns.length === 0) return { rows, profile: [] };
  const parts = columns.flatMap((c, i) => {
    const column = quoteIdent(c.name);
    return [`count(${column}) AS n${i}`, exact ? `count(DISTINCT ${column}) AS d${i}` : `approx_count_distinct(${column}) AS d${i}`];
  });
  const row = connection
    .query(`SELECT ${parts.join(', ')} FROM ${from}`)
    .toArray()[0]
    ?.toJSON() as Record<string, unknown> | undefined;
  const profile = columns.map((c, i): ColumnProfile => {
    const nonNull = toNumber(row?.[`n${i}`]);
    return {
      name: c.name,
      nullShare: rows === 0 ? 0 : 1 - nonNull / rows,
      distinct: Math.min(toNumber(row?.[`d${i}`]), nonNull),
      distinctExact: exact,
    };
  });
  return { rows, profile };
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const n = Number(value ?? 0);
  return Number.isNaN(n) ? 0 : n;
}
