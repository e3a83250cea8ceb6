import { MessageReader } from 'apache-arrow';
import { quoteIdent } from '../../core/contracts/contractChecks.ts';
import type { ColumnInfo, ColumnProfile, Measurement, PortRequest } from './api.ts';
import { type DescribeError, MAX_SHARED_SCAN, measureAll, toNumber, withSamples } from './measureChecks.ts';
import { EXACT_DISTINCT_MAX_ROWS, profileAggregates, profileOf, readProfile } from './profile.ts';
import type { SqlSession } from './sqlSession.ts';

/** What a port's measuring gives: its row count, its profile and every check's measurement (in the checks' order). */
export interface PortScan {
  readonly rows: number;
  readonly profile: ColumnProfile[];
  readonly measurements: Measurement[];
}

/**
 * A port's profile and its aggregate checks in ONE scan of the port: a single SELECT with the
 * row count, the profile's per-column counts and every check that is one aggregate over the
 * port's table (`aggregate.from` is the quoted port name) side by side. A port used to cost a
 * row count, a profile query and the checks' query — each with a fixed cost that small ports
 * feel (ARCHITECTURE, "Speed work"). Checks over another relation and sql rules are measured as
 * before (measureAll). `knownRows` (the exported Arrow's row count, ipcRowCount) decides exact
 * or estimated distinct counts without a query; the reported rows are the scan's own count.
 * If the shared SELECT fails (a check's aggregate does not bind on this port), the profile and
 * the checks are measured the separate way, so each failing check is named, as before.
 */
export async function measurePort(
  session: SqlSession,
  port: PortRequest,
  columns: readonly ColumnInfo[],
  knownRows: number | undefined,
  describe: DescribeError,
  exactUpTo = EXACT_DISTINCT_MAX_ROWS,
): Promise<PortScan> {
  const separately = async (): Promise<PortScan> => {
    const { rows, profile } = await profileOf(session, port.name, columns, exactUpTo);
    return { rows, profile, measurements: await measureAll(session, port.checks, describe) };
  };
  if (knownRows === undefined) return separately();
  const table = quoteIdent(port.name);
  const shared: number[] = [];
  const rest: number[] = [];
  for (const [i, check] of port.checks.entries()) {
    (check.aggregate?.from === table && shared.length < MAX_SHARED_SCAN ? shared : rest).push(i);
  }
  const exact = knownRows <= exactUpTo;
  let row: Record<string, unknown> | undefined;
  try {
    row = (await session.rows(portScanSql(table, columns, exact, port.checks, shared)))[0];
  } catch {
    return separately();
  }
  const rows = toNumber(row?.['row_count']);
  const sharedSet = new Set(shared);
  const measured = new Map<number, Measurement>();
  for (const i of shared) {
    const check = port.checks[i] as PortRequest['checks'][number];
    measured.set(i, { id: check.id, value: toNumber(row?.[`quanta_check_${i}`]), total: rows });
  }
  const others = rest.map((i) => port.checks[i] as PortRequest['checks'][number]);
  for (const [k, m] of (await measureAll(session, others, describe)).entries()) measured.set(rest[k] ?? -1, m);
  const inOrder = port.checks.map((check, i) => measured.get(i) ?? { id: check.id, value: Number.NaN, total: 0 });
  return {
    rows,
    profile: readProfile(columns, rows, exact, row),
    // The rest already have their samples (measureAll); the shared ones get theirs here.
    measurements: await withSamples(
      session,
      port.checks.map((check, i) => (sharedSet.has(i) ? check : { id: check.id, sql: check.sql })),
      inOrder,
    ),
  };
}

/**
 * The one SELECT of a port: `row_count`, the profile's `n<i>`/`d<i>` and each shared check's
 * value as `quanta_check_<i>` (i its position among the port's checks), cast to DOUBLE as the
 * checks' own query casts it. Names reach the SQL only through quoteIdent (profileAggregates);
 * the checks' aggregates are the compiled contract's, as in measureAllSql.
 */
export function portScanSql(
  table: string,
  columns: readonly ColumnInfo[],
  exact: boolean,
  checks: PortRequest['checks'],
  shared: readonly number[],
): string {
  const values = shared.map((i) => `CAST(${checks[i]?.aggregate?.value ?? 'NULL'} AS DOUBLE) AS quanta_check_${i}`);
  return `SELECT ${['count(*) AS row_count', ...profileAggregates(columns, exact), ...values].join(', ')} FROM ${table}`;
}

/**
 * The rows of an Arrow IPC stream, read from its record batches' headers (their bodies are
 * skipped, not decoded): the exported port's row count without asking DuckDB for it.
 * Undefined when the bytes are not a readable stream.
 */
export function ipcRowCount(ipc: Uint8Array): number | undefined {
  try {
    const reader = new MessageReader(ipc);
    let rows = 0;
    for (let next = reader.next(); !next.done; next = reader.next()) {
      const message = next.value;
      if (message.isRecordBatch()) rows += Number(message.header().length);
      if (message.bodyLength > 0) reader.readMessageBody(message.bodyLength);
    }
    return rows;
  } catch {
    return undefined;
  }
}
