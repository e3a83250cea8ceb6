import { isNotSingleSelect } from '../../core/sql/singleSelect.ts';
import type { Measurement, PortRequest } from './api.ts';
import type { SqlSession } from './sqlSession.ts';

type Checks = PortRequest['checks'];

/** How a failed check query reads in the run log (the quantum names sandbox and memory refusals). */
export type DescribeError = (error: unknown) => string;

/**
 * Every check of a port in one query (a UNION ALL of one-row subqueries): a contract has
 * tens of checks and each query has a fixed cost. If any check's SQL fails (a sql rule
 * naming a missing column), they are measured one by one so each failure is named.
 */
export async function measureAll(session: SqlSession, checks: Checks, describe: DescribeError): Promise<Measurement[]> {
  const measured = await measureValues(session, checks, describe);
  const out: Measurement[] = [];
  for (const [i, m] of measured.entries()) {
    const sql = checks[i]?.samples;
    out.push(sql !== undefined && m.error === undefined && m.value > 0 ? { ...m, samples: await samples(session, sql) } : m);
  }
  return out;
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
async function samples(session: SqlSession, sql: string): Promise<string[]> {
  try {
    return (await session.rows(sql)).map((row) => String(row['sample'] ?? 'NULL'));
  } catch {
    return [];
  }
}

async function measureValues(session: SqlSession, checks: Checks, describe: DescribeError): Promise<Measurement[]> {
  const one = (check: Checks[number]): Promise<Measurement> => measure(session, check.id, check.sql, describe);
  const each = async (): Promise<Measurement[]> => {
    const out: Measurement[] = [];
    for (const check of checks) out.push(await one(check));
    return out;
  };
  if (checks.length <= 1) return each();
  let rows: Record<string, unknown>[];
  try {
    rows = await session.rows(measureAllSql(checks));
  } catch {
    return each();
  }
  const measured = new Map<number, Record<string, unknown>>();
  for (const r of rows) measured.set(Number(r['i']), r);
  const out: Measurement[] = [];
  for (const [i, check] of checks.entries()) {
    const r = measured.get(i);
    out.push(r ? { id: check.id, value: toNumber(r['value']), total: toNumber(r['total']) } : await one(check));
  }
  return out;
}

async function measure(session: SqlSession, id: string, sql: string, describe: DescribeError): Promise<Measurement> {
  try {
    const row = (await session.rows(sql))[0];
    return { id, value: toNumber(row?.['value']), total: toNumber(row?.['total']) };
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
