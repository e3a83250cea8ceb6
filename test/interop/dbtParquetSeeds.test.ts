import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { majorVersion, modelName } from '../../core/export/dbtNames.ts';
import { runCli } from '../../core/node/cli.ts';
import { openRunnableMesh, type OpenedMesh } from '../../core/node/commands/openMesh.ts';
import { REPO, tempDir } from '../helpers.ts';
import { canonicalSql, columnsOf, dbtBuild, quantaDigests, readTables, type Column, type Dialect, type Digest } from './dbtHarness.ts';

/*
 * A Parquet seed in the dbt export, with the real dbt (issue 17): hello-mesh plus a product whose
 * source is a Parquet file of many column types (written here by native DuckDB), passed through
 * as its port, and a finance product aggregating it. `quanta export dbt` turns the file into a
 * seed CSV with column_types; `dbt build` passes every node on DuckDB and on Spark, and every
 * model holds the rows Quanta's own run publishes (count and checksum, dbtHarness.ts).
 */

/**
 * What differs, with the reason (checked both ways): dbt's CSV reader (agate), which dbt-spark's
 * seed load goes through, reads an empty cell and a quoted empty one alike as NULL, so
 * payments' empty note is NULL on Spark (a note of the export says so). On DuckDB the shipped
 * macro keeps it an empty string.
 */
const KNOWN_DIFFER: Record<Dialect, readonly string[]> = { duckdb: [], spark: ['payments__payments'] };

const PAYMENTS = `SELECT * FROM (VALUES
  (1::BIGINT, 3::INTEGER, 7::SMALLINT, 134.37::DECIMAL(10,2), 0.1::DOUBLE, true, 'card, "visa"', DATE '2026-11-01',
   TIMESTAMP '2026-11-01 09:43:00.123456', TIMESTAMPTZ '2026-11-01 10:43:00+01', 'c0ffee00-0000-4000-8000-000000000001'::UUID),
  (2, -1, NULL, -0.05, 1e300, false, '', DATE '2026-11-01', TIMESTAMP '2026-11-01 23:59:59', NULL, NULL),
  (3, NULL, -32768, NULL, NULL, NULL, NULL, DATE '2026-11-02', NULL, TIMESTAMPTZ '1970-01-01 00:00:00+00', NULL),
  (9223372036854775807, 2147483647, 32767, 99999999.99, -2.5, true, 'line one
line two', DATE '1999-12-31', TIMESTAMP '1900-01-01 00:00:00', TIMESTAMPTZ '2026-11-02 00:00:00.5+00', NULL)
) AS t(payment_id, quantity, code, amount_eur, ratio, paid, note, day, paid_at, settled_at, ref)`;

const COLUMNS: readonly (readonly [string, string, string])[] = [
  ['payment_id', 'integer', 'BIGINT'],
  ['quantity', 'integer', 'INTEGER'],
  ['code', 'integer', 'SMALLINT'],
  ['amount_eur', 'number', 'DECIMAL(10,2)'],
  ['ratio', 'number', 'DOUBLE'],
  ['paid', 'boolean', 'BOOLEAN'],
  ['note', 'string', 'VARCHAR'],
  ['day', 'date', 'DATE'],
  ['paid_at', 'timestamp', 'TIMESTAMP'],
  ['settled_at', 'timestamp', 'TIMESTAMP WITH TIME ZONE'],
  ['ref', 'string', 'VARCHAR'],
];

function contract(id: string, port: string, columns: readonly (readonly [string, string, string])[]): string {
  const properties = columns
    .map(([name, logical, physical]) => `      - name: ${name}\n        logicalType: ${logical}\n        physicalType: ${physical}\n`)
    .join('');
  return `apiVersion: v3.1.0\nkind: DataContract\nid: ${id}\nversion: 1.0.0\nstatus: active\nschema:\n  - name: ${port}\n    physicalType: table\n    properties:\n${properties}`;
}

/** hello-mesh with sales' payments (a Parquet seed, passed through) and finance's daily payments over it. */
async function writeParquetMesh(mesh: string): Promise<string> {
  await fsp.cp(nodePath.join(REPO, 'sample-meshes', 'hello-mesh'), mesh, { recursive: true });
  const payments = nodePath.join(mesh, 'domains', 'sales', 'payments');
  await fsp.mkdir(nodePath.join(payments, 'data'), { recursive: true });
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    const file = nodePath.join(payments, 'data', 'payments.parquet').replaceAll("'", "''");
    await connection.run(`COPY (${PAYMENTS}) TO '${file}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
  }
  const product = (id: string, domain: string, team: string, inputs: string): string =>
    `apiVersion: v1.0.0\nkind: DataProduct\nid: ${id}\nname: ${id}\ndomain: ${domain}\nstatus: active\nversion: 1.0.0\nteam:\n  name: ${team}\n${inputs}outputPorts:\n  - name: ${id.replace(/-/g, '_')}\n    type: tables\n    version: 1.0.0\n    contractId: parquet.${id}\n`;
  await fsp.writeFile(nodePath.join(payments, 'product.odps.yaml'), product('payments', 'sales', 'sales-team', ''));
  await fsp.writeFile(nodePath.join(payments, 'payments.odcs.yaml'), contract('parquet.payments', 'payments', COLUMNS));
  await fsp.writeFile(
    nodePath.join(payments, 'quanta.yaml'),
    'apiVersion: quanta/v1\nkind: QuantumSettings\narchetype: source-aligned\nsources:\n  - name: raw\n    file: data/payments.parquet\n',
  );
  await fsp.writeFile(nodePath.join(payments, 'transform.sql'), 'SELECT * FROM raw\n');
  const daily = nodePath.join(mesh, 'domains', 'finance', 'daily-payments');
  await fsp.mkdir(daily, { recursive: true });
  await fsp.writeFile(
    nodePath.join(daily, 'product.odps.yaml'),
    product(
      'daily-payments',
      'finance',
      'finance-team',
      'inputPorts:\n  - name: payments\n    contractId: parquet.payments\n    version: 1.0.0\n',
    ),
  );
  await fsp.writeFile(
    nodePath.join(daily, 'daily_payments.odcs.yaml'),
    contract('parquet.daily-payments', 'daily_payments', [
      ['day', 'date', 'DATE'],
      ['payments', 'integer', 'BIGINT'],
      ['amount_eur', 'number', 'DECIMAL(18,2)'],
      ['quantity', 'integer', 'BIGINT'],
      ['all_paid', 'boolean', 'BOOLEAN'],
      ['last_paid_at', 'timestamp', 'TIMESTAMP'],
    ]),
  );
  await fsp.writeFile(
    nodePath.join(daily, 'quanta.yaml'),
    'apiVersion: quanta/v1\nkind: QuantumSettings\narchetype: consumer-aligned\nschedule:\n  onUpstreamPublish: true\n',
  );
  await fsp.writeFile(
    nodePath.join(daily, 'transform.sql'),
    `SELECT day, count(*) AS payments, sum(amount_eur) AS amount_eur, sum(quantity) AS quantity,
  bool_and(paid) AS all_paid, max(paid_at) AS last_paid_at
FROM payments
GROUP BY day
`,
  );
  return mesh;
}

describe('a mesh with a Parquet seed exported to dbt', () => {
  let dir: string;
  let project: string;
  let opened: OpenedMesh;
  let quanta: Map<string, Digest>;
  let notes: string[];
  const models: { model: string; relation: string; columns: Column[] }[] = [];

  beforeAll(async () => {
    dir = await tempDir('dbt-parquet');
    const mesh = await writeParquetMesh(nodePath.join(dir, 'mesh'));
    project = nodePath.join(dir, 'project');
    let out = '';
    let err = '';
    const code = await runCli(['export', 'dbt', mesh, '--out', project, '--json'], {
      out: (t) => (out += t),
      err: (t) => (err += t),
      cwd: REPO,
    });
    if (code !== 0) throw new Error(`quanta export dbt failed (${code}): ${err}`);
    notes = (JSON.parse(out) as { notes: { text: string }[] }).notes.map((n) => n.text);
    const loaded = await openRunnableMesh({ out: () => undefined, err: () => undefined, cwd: REPO }, mesh);
    if (!loaded) throw new Error(`${mesh} does not load`);
    opened = loaded;
    for (const product of opened.loaded.mesh.products)
      for (const port of product.outputPorts) {
        const model = modelName(product.id, port.name);
        models.push({ model, relation: `${model}_v${majorVersion(port.contract?.version ?? port.version)}`, columns: columnsOf(port) });
      }
    quanta = await quantaDigests(opened);
  });
  afterAll(async () => {
    if (dir) await fsp.rm(dir, { recursive: true, force: true });
  });

  it('writes the Parquet file as a seed CSV with the quantum types, and says what Spark loads differently', async () => {
    const seeds = parse(await fsp.readFile(nodePath.join(project, 'seeds', '_seeds.yml'), 'utf8')) as {
      seeds: { name: string; config: { column_types?: Record<string, string> } }[];
    };
    const types = seeds.seeds.find((s) => s.name === 'payments__raw')?.config.column_types ?? {};
    expect(Object.keys(types)).toEqual(COLUMNS.map(([name]) => name));
    expect(types['settled_at']).toBe("{{ 'timestamp' if target.type == 'spark' else 'TIMESTAMP WITH TIME ZONE' }}");
    expect(notes.some((n) => n.includes('does not convert'))).toBe(false);
    expect(notes.some((n) => n.includes('data/payments.parquet: column "note" holds empty or "null" strings'))).toBe(true);
  });

  it.each<Dialect>(['duckdb', 'spark'])('builds on %s: every node passes, every model holds the rows Quanta publishes', async (target) => {
    const built = await dbtBuild(project, target);
    const broken = built.results.filter((r) => !['success', 'pass'].includes(r.status)).map((r) => `${r.id}: ${r.message}`);
    expect(broken, built.log).toEqual([]);
    expect(built.status, built.log).toBe(0);
    const where = target === 'duckdb' ? nodePath.join(project, 'target', 'quanta.duckdb') : project;
    const schema = target === 'duckdb' ? 'main' : 'hello_mesh';
    const read = readTables(
      target,
      where,
      models.map((m) => ({
        name: m.model,
        sql: canonicalSql(target, target === 'spark' ? `\`${schema}\`.\`${m.relation}\`` : `"${schema}"."${m.relation}"`, m.columns),
      })),
    );
    expect(quanta.size).toBe(models.length);
    const differ = models.filter((m) => JSON.stringify(read.get(m.model)) !== JSON.stringify(quanta.get(m.model))).map((m) => m.model);
    expect(differ, JSON.stringify(models.map((m) => [m.model, quanta.get(m.model), read.get(m.model)]))).toEqual(KNOWN_DIFFER[target]);
  });
});
