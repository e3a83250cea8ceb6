import { tableFromIPC } from 'apache-arrow';
import { quoteIdent, type ContractCheck } from '../contracts/contractChecks.ts';
import { singleSelect } from '../sql/singleSelect.ts';
import type { QueryOutcome } from './quantumProtocol.ts';
import { DEFAULT_TIMEOUT_SECONDS } from './quantumRun.ts';
import type { FailingRows, QuantumHost, RefusedCandidate } from './runTypes.ts';

/*
 * Which rows of a refused candidate break a row-level check. A check counts bad rows with
 * one condition (`counted`: `count(*) FILTER (WHERE <condition>)`), or counts repeated values
 * (unique, duplicateValues, primaryKey); the same condition, run over the candidate's
 * table, names the rows. Table-level checks (row count, sql rules) and schema problems have
 * no rows to show.
 */

/** Row numbers listed per check at most; the total is counted either way. */
export const FAILING_ROWS_LIMIT = 10_000;

/** The condition selecting the rows of `rel` that break `check`, or undefined for a table-level check. */
export function rowPredicate(check: ContractCheck, rel: string): string | undefined {
  const columns = check.column?.split(', ').map(quoteIdent) ?? [];
  switch (check.kind) {
    case 'required':
    case 'nullValues':
    case 'missingValues':
    case 'invalidValues':
    case 'constraint':
      return countedCondition(check.sql, rel);
    case 'unique':
      return columns.length === 1 ? repeated(columns, rel) : undefined;
    case 'duplicateValues': {
      if (columns.length === 1) return repeated(columns, rel);
      // At table level the properties are named in its SQL only: `count(DISTINCT <key>)`.
      const key = /- count\(DISTINCT (.+)\) AS value, count\(\*\) AS total FROM /.exec(check.sql)?.[1];
      return key === undefined ? undefined : `(${key} IN (SELECT ${key} FROM ${rel} GROUP BY ALL HAVING count(*) > 1))`;
    }
    case 'primaryKey':
      return columns.length === 0 ? undefined : `(${columns.map((c) => `${c} IS NULL`).join(' OR ')}) OR ${repeated(columns, rel)}`;
    default:
      // Table-level: a row count, an SQL rule's own number.
      return undefined;
  }
}

/** `<condition>` of `SELECT count(*) FILTER (WHERE <condition>) AS value, count(*) AS total FROM <rel>`. */
function countedCondition(sql: string, rel: string): string | undefined {
  const head = 'SELECT count(*) FILTER (WHERE ';
  const tail = `) AS value, count(*) AS total FROM ${rel}`;
  return sql.startsWith(head) && sql.endsWith(tail) ? sql.slice(head.length, sql.length - tail.length) : undefined;
}

/** Rows whose value (or combination of values) occurs more than once; NULLs are not repeats. */
function repeated(columns: readonly string[], rel: string): string {
  const key = columns.length === 1 ? (columns[0] as string) : `row(${columns.join(', ')})`;
  const notNull = columns.map((c) => `${c} IS NOT NULL`).join(' AND ');
  return `(${notNull} AND ${key} IN (SELECT ${key} FROM ${rel} WHERE ${notNull} GROUP BY ALL HAVING count(*) > 1))`;
}

/**
 * The rows of `candidate` breaking its failed row-level check `checkId`, counted from 0 in
 * the order of its Arrow bytes, on a quantum leased from `host`. Undefined when the check is
 * not one of its row-level checks.
 */
export async function failingRows(
  host: QuantumHost,
  candidate: RefusedCandidate,
  checkId: string,
  limit = FAILING_ROWS_LIMIT,
): Promise<FailingRows | undefined> {
  const check = candidate.rowChecks.find((c) => c.id === checkId);
  if (!check) return undefined;
  const lease = await host.acquire('(refused rows)', { timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000 });
  let outcome: QueryOutcome;
  try {
    await lease.quantum.reset();
    // The port's table under its own name: the check's condition reads it as the run's did.
    await lease.quantum.loadTable(candidate.port, candidate.ipc);
    const table = quoteIdent(candidate.port);
    // One SELECT through DuckDB's parser (core/sql/singleSelect.ts): the condition comes from the mesh.
    const select = `SELECT CAST(rowid AS BIGINT) AS r, count(*) OVER () AS n FROM ${table} WHERE ${check.predicate} ORDER BY rowid LIMIT ${limit}`;
    outcome = await lease.quantum.query(`SELECT * FROM ${singleSelect(select)}`);
  } catch (error) {
    lease.discard();
    throw error;
  }
  lease.release();
  if (!outcome.ok) throw new Error(`the rows failing ${checkId} could not be listed: ${outcome.error.message}`);
  const result = tableFromIPC(outcome.ipc);
  const r = result.getChild('r');
  const n = result.getChild('n');
  const rows: number[] = [];
  for (let i = 0; i < result.numRows; i++) rows.push(Number(r?.get(i)));
  return { rows, total: result.numRows === 0 ? 0 : Number(n?.get(0)) };
}
