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
  return withSamples(session, checks, await measureValues(session, checks, describe));
}

/** `measured` (one per check, in order) with the failing values of each check that counted some and has a samples query. */
export async function withSamples(session: SqlSession, checks: Checks, measured: readonly Measurement[]): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const [i, m] of measured.entries()) {
    const sql = checks[i]?.samples;
    out.push(sql !== undefined && m.error === undefined && m.value > 0 ? { ...m, samples: await samples(session, sql) } : m);
  }
  return out;
}

/** The checks one shared scan measures at most: a bound on one query's width. */
export const MAX_SHARED_SCAN = 256;

type MeasuredCheck = { readonly sql: string; readonly aggregate?: { readonly value: string; readonly from: string } };

/**
 * All checks of a port as one query: per check a row (i, value, total), i its position.
 * Checks that are one aggregate over the same relation (`aggregate`, see
 * core/contracts/checkTypes.ts) share a single scan — one SELECT with every aggregate, turned
 * into rows by a zipped unnest — instead of a scan each; the others stay one subquery each.
 * A warm daff run measures 250 of its 278 checks this way (ARCHITECTURE, "Speed work").
 * Exported for the bench's native baseline, which runs this very SQL.
 */
export function measureAllSql(checks: readonly MeasuredCheck[]): string {
  const parts: string[] = [];
  const shared = new Map<string, number[]>();
  for (const [i, check] of checks.entries()) {
    const from = check.aggregate?.from;
    const group = from === undefined ? undefined : shared.get(from);
    if (from === undefined) parts.push(alone(i, check.sql));
    else if (group === undefined) shared.set(from, [i]);
    else group.push(i);
  }
  let g = 0;
  for (const [from, members] of shared) {
    for (let start = 0; start < members.length; start += MAX_SHARED_SCAN) {
      const chunk = members.slice(start, start + MAX_SHARED_SCAN);
      if (chunk.length === 1) parts.push(alone(chunk[0] ?? 0, checks[chunk[0] ?? 0]?.sql ?? ''));
      else parts.push(sharedScan(g++, from, chunk, checks));
    }
  }
  return parts.join('\nUNION ALL\n');
}

function alone(i: number, sql: string): string {
  return `SELECT ${i} AS i, CAST(value AS DOUBLE) AS value, CAST(total AS DOUBLE) AS total FROM (${sql}) AS check_${i}`;
}

/** One scan of `from` for the checks at `members`: their values side by side, unnested in step into (i, value, total) rows. */
function sharedScan(g: number, from: string, members: readonly number[], checks: readonly MeasuredCheck[]): string {
  const values = members.map((i) => `CAST(${checks[i]?.aggregate?.value ?? 'NULL'} AS DOUBLE) AS quanta_check_${g}_${i}`);
  const total = `quanta_checks_${g}_total`;
  const scan = `SELECT count(*) AS ${total}, ${values.join(', ')} FROM ${from}`;
  const ids = members.join(', ');
  const cells = members.map((i) => `quanta_check_${g}_${i}`).join(', ');
  return `SELECT unnest([${ids}]) AS i, unnest([${cells}]) AS value, CAST(${total} AS DOUBLE) AS total FROM (${scan}) AS checks_${g}`;
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

/** A measured value as a number: NULL (an aggregate over no rows) is 0, as a check's own query reads it. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value === null || value === undefined) return 0;
  const n = Number(value);
  return Number.isNaN(n) ? 0 : n;
}
