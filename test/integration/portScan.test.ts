import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileContractChecks } from '../../core/contracts/contractChecks.ts';
import { aggregated, quoteIdent } from '../../core/contracts/checkTypes.ts';
import { contractFromDocument } from '../../core/model/contractDocument.ts';
import { createNodeDuckDB } from '../../workers/duckdb/nodeDuckDB.ts';
import { NativeDatabase } from '../../workers/native/nativeDatabase.ts';
import type { ColumnInfo, PortRequest } from '../../workers/quantum/api.ts';
import { measureAll } from '../../workers/quantum/measureChecks.ts';
import { ipcRowCount, measurePort } from '../../workers/quantum/portScan.ts';
import { EXACT_DISTINCT_MAX_ROWS, profileOf } from '../../workers/quantum/profile.ts';
import { describeTable } from '../../workers/quantum/sourceLoaders.ts';
import { type SqlSession, wasmSession } from '../../workers/quantum/sqlSession.ts';

/*
 * A port's row count, profile and aggregate checks measured in one scan (portScan.ts) give
 * exactly what the separate queries give — the profile query after a row count, and the checks'
 * own query (measureAll) — on both engines, on real DuckDB.
 */
const ENGINES: readonly { readonly name: string; readonly open: () => Promise<{ session: SqlSession; close(): Promise<void> }> }[] = [
  {
    name: 'DuckDB-WASM',
    open: async () => {
      const db = await createNodeDuckDB();
      const connection = db.connect();
      return {
        session: wasmSession(db, () => connection),
        close: async () => {
          connection.close();
          await db.reset();
        },
      };
    },
  },
  {
    name: 'native DuckDB',
    open: async () => {
      const db = await NativeDatabase.open({ memoryLimit: '1GB', threads: 1 });
      return { session: db.session(), close: () => db.close() };
    },
  },
];

const col = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name, logicalType: 'string', ...extra });

/** The compiled checks of a contract for the port `port`, as the publish path compiles them (publishVerdict.ts). */
function checksOf(properties: unknown[], quality: unknown[] = []): PortRequest['checks'] {
  const contract = contractFromDocument('port.odcs.yaml', { id: 'c', version: '1.0.0', schema: [{ name: 'port', properties, quality }] });
  if (!contract) throw new Error('contract did not parse');
  return compileContractChecks(contract).checks;
}

const CHECKS = checksOf(
  [
    col('id', { required: true, unique: true, primaryKey: true, logicalType: 'integer', logicalTypeOptions: { minimum: 2 } }),
    col('email', { required: true, logicalTypeOptions: { format: 'email' } }),
    col('tier', { quality: [{ metric: 'invalidValues', arguments: { validValues: ['gold', 'silver'] }, mustBe: 0 }] }),
    col('grp', {
      unique: true,
      quality: [
        { metric: 'duplicateValues', mustBe: 0 },
        { metric: 'nullValues', mustBe: 0 },
      ],
    }),
    col('nothing', { quality: [{ metric: 'missingValues', arguments: { missingValues: ['n/a'] }, mustBe: 0 }] }),
  ],
  [
    { metric: 'rowCount', mustBeGreaterThan: 2 },
    { type: 'sql', query: 'SELECT count(*) FROM port WHERE amount > 15', mustBe: 3 },
  ],
);

describe.each(ENGINES)('a port measured in one scan ($name)', ({ open }) => {
  let session: SqlSession;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ session, close } = await open());
  }, 60_000);
  afterAll(async () => close());

  /** Counts the queries sent, and the statements that read the port table. */
  function counting(): { session: SqlSession; queries: string[] } {
    const queries: string[] = [];
    return {
      queries,
      session: {
        ...session,
        rows: (sql) => {
          queries.push(sql);
          return session.rows(sql);
        },
      },
    };
  }

  async function port(sql: string): Promise<ColumnInfo[]> {
    await session.run('DROP TABLE IF EXISTS port');
    await session.run(`CREATE TABLE port AS ${sql}`);
    const columns = await describeTable(session, 'port');
    if (!columns) throw new Error('no port table');
    return columns;
  }

  const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));

  async function bothWays(columns: readonly ColumnInfo[], checks: PortRequest['checks']) {
    const separate = {
      ...(await profileOf(session, 'port', columns)),
      measurements: await measureAll(session, checks, describeError),
    };
    const rows = ipcRowCount(await session.ipc('SELECT * FROM port'));
    const counted = counting();
    const together = await measurePort(counted.session, { name: 'port', checks }, columns, rows, describeError);
    return { separate, together, rows, queries: counted.queries };
  }

  it('gives every profile figure and every check value, failing values included, that the separate queries give', async () => {
    const columns = await port(`SELECT * FROM (VALUES
      (1, 'a@x.io', 'gold', 10.5, 'A', NULL),
      (2, 'b@x.io', 'silver', 20.0, 'A', 'n/a'),
      (3, NULL, 'bronze', 30.0, 'B', 'x'),
      (4, 'n/a', 'tin', 40.0, NULL, 'x')) AS v(id, email, tier, amount, grp, nothing)`);
    const { separate, together, rows, queries } = await bothWays(columns, CHECKS);
    expect(rows).toBe(4);
    expect(together).toEqual(separate);
    expect(together.measurements.some((m) => m.value > 0 && (m.samples?.length ?? 0) > 0)).toBe(true);
    expect(together.profile.find((c) => c.name === 'grp')).toEqual({ name: 'grp', nullShare: 0.25, distinct: 2, distinctExact: true });
    // One scan of the port for the profile and every aggregate check; the sql rule's own query;
    // samples of the failing checks.
    const scans = queries.filter((q) => q.includes('count(DISTINCT'));
    expect(scans).toHaveLength(1);
    expect(scans[0]).toContain('quanta_check_');
    expect(queries.filter((q) => q.includes('amount > 15'))).toHaveLength(1);
  });

  it('on an empty port: no rows, shares of 0 and every check 0 of 0, as the separate queries say', async () => {
    const columns = await port(`SELECT 1 AS id, 'a' AS email, 'gold' AS tier, 1.5 AS amount, 'A' AS grp, 'x' AS nothing LIMIT 0`);
    const { separate, together } = await bothWays(columns, CHECKS);
    expect(together).toEqual(separate);
    expect(together.rows).toBe(0);
    expect(together.profile.every((c) => c.nullShare === 0 && c.distinct === 0)).toBe(true);
  });

  it('on columns holding only NULLs: a null share of 1 and no distinct values, as the separate queries say', async () => {
    const columns = await port(
      `SELECT i AS id, CAST(NULL AS VARCHAR) AS email, CAST(NULL AS VARCHAR) AS tier, CAST(NULL AS DOUBLE) AS amount, CAST(NULL AS VARCHAR) AS grp, CAST(NULL AS VARCHAR) AS nothing FROM range(5) r(i)`,
    );
    const { separate, together } = await bothWays(columns, CHECKS);
    expect(together).toEqual(separate);
    expect(together.profile.filter((c) => c.name !== 'id').every((c) => c.nullShare === 1 && c.distinct === 0)).toBe(true);
  });

  it('above a million rows: the estimate, marked so, as the separate queries give it; the row count read from the Arrow batches', async () => {
    const n = EXACT_DISTINCT_MAX_ROWS + 1_000;
    const columns = await port(
      `SELECT i AS id, CAST(i % 1000 AS VARCHAR) AS grp, CASE WHEN i % 4 = 0 THEN NULL ELSE i % 7 END AS tier FROM range(${n}) r(i)`,
    );
    const checks = checksOf([
      col('id', { required: true, unique: true }),
      col('grp', { quality: [{ metric: 'duplicateValues', mustBe: 0 }] }),
      col('tier'),
    ]);
    const { separate, together, rows } = await bothWays(columns, checks);
    expect(rows).toBe(n);
    expect(together).toEqual(separate);
    expect(together.profile.map((c) => c.distinctExact)).toEqual([false, false, false]);
    expect(together.profile.find((c) => c.name === 'tier')?.nullShare).toBeCloseTo(0.25, 5);
  }, 120_000);

  it('falls back to the separate queries when the shared scan does not bind, naming the check that failed', async () => {
    const columns = await port(`SELECT * FROM (VALUES (1, 'a'), (2, 'a'), (NULL, 'b')) AS v(id, grp)`);
    const broken = { id: 'port.gone.required', ...aggregated(quoteIdent('port'), `count(*) FILTER (WHERE ${quoteIdent('gone')} IS NULL)`) };
    const checks = [...checksOf([col('id', { required: true }), col('grp', { unique: true })]), broken];
    const { separate, together } = await bothWays(columns, checks);
    expect(together).toEqual(separate);
    expect(together.rows).toBe(3);
    expect(together.measurements.map((m) => [m.id, m.value, m.error === undefined])).toEqual([
      ['port.id.required', 1, true],
      ['port.grp.unique', 1, true],
      ['port.gone.required', Number.NaN, false],
    ]);
    expect(together.measurements[2]?.error).toMatch(/gone/);
  });
});
