import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { modelName } from '../../core/export/dbtNames.ts';
import type { OpenedMesh } from '../../core/node/commands/openMesh.ts';
import { runMeshFor } from '../../core/node/commands/runSession.ts';
import { asFields, asList, asString } from '../../core/model/read.ts';
import type { OutputPort } from '../../core/model/types.ts';
import { duckdbTypeOf } from '../../core/run/declaredTypes.ts';
import { queryPorts } from '../../core/run/portQuery.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { REPO } from '../helpers.ts';

/*
 * What the dbt interop tests share (test/interop/dbtBuild.test.ts, dbtParquetSeeds.test.ts):
 * `dbt build` with each node's status, a model's rows as a count and a checksum of canonical
 * text (numbers to six decimals, timestamps to the second, order ignored) read from dbt's
 * warehouse by readTables.py, and the same digest of Quanta's own run.
 */
const BIN = process.env['QUANTA_INTEROP_BIN'];
if (!BIN) throw new Error('run the interop suite with `npm run test:interop`: it makes the Python venv with dbt and Spark first');
export const dbt = nodePath.join(BIN, 'dbt');
const python = nodePath.join(BIN, 'python');
const READ_TABLES = nodePath.join(REPO, 'test', 'interop', 'readTables.py');

export type Dialect = 'duckdb' | 'spark';
export interface Column {
  readonly name: string;
  readonly type: string;
}
export interface Digest {
  readonly rows: number;
  readonly checksum: string;
}

export function columnsOf(port: OutputPort): Column[] {
  const schema = asList(port.contract?.document['schema']).map(asFields);
  const table = schema.find((t) => asString(t['name']) === port.name) ?? schema[0];
  return asList(table?.['properties']).flatMap((raw) => {
    const property = asFields(raw);
    const name = asString(property['name']);
    return name ? [{ name, type: duckdbTypeOf(property) ?? 'VARCHAR' }] : [];
  });
}

/** One text per row, the same on every engine: `v1|v2|…`, NULL as `∅`. */
export function canonicalSql(dialect: Dialect, relation: string, columns: readonly Column[]): string {
  const quote = (name: string): string => (dialect === 'spark' ? `\`${name}\`` : `"${name}"`);
  const text = (c: Column): string => {
    const col = quote(c.name);
    // Spark's format_string writes a NULL as the text 'null' (DuckDB's printf gives NULL): NULL stays NULL on both.
    if (/^(DOUBLE|FLOAT|REAL|DECIMAL|NUMERIC|HUGEINT)/i.test(c.type))
      return `CASE WHEN ${col} IS NULL THEN NULL ELSE ${dialect === 'spark' ? 'format_string' : 'printf'}('%.6f', CAST(${col} AS DOUBLE)) END`;
    // DuckDB-WASM has no ICU, so no strftime of a TIMESTAMPTZ: its instant as a TIMESTAMP (UTC) instead.
    if (/^(TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE)$/i.test(c.type) && dialect === 'duckdb')
      return `strftime(make_timestamp(epoch_us(${col})), '%Y-%m-%d %H:%M:%S')`;
    if (/^TIMESTAMP/i.test(c.type))
      return dialect === 'spark' ? `date_format(${col}, 'yyyy-MM-dd HH:mm:ss')` : `strftime(${col}, '%Y-%m-%d %H:%M:%S')`;
    return `CAST(${col} AS ${dialect === 'spark' ? 'STRING' : 'VARCHAR'})`;
  };
  return `SELECT concat_ws('|', ${columns.map((c) => `coalesce(${text(c)}, '∅')`).join(', ')}) AS row FROM ${relation}`;
}

export function digest(rows: readonly string[]): Digest {
  const hash = createHash('sha256');
  for (const row of [...rows].sort()) hash.update(`${row}\n`);
  return { rows: rows.length, checksum: hash.digest('hex').slice(0, 16) };
}

export function sh(
  command: string,
  args: readonly string[],
  cwd: string,
  input?: string,
): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, input, encoding: 'utf8', maxBuffer: 1 << 30, env: process.env });
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** `dbt build` on a target; every node's status from target/run_results.json. */
export async function dbtBuild(
  project: string,
  target: Dialect,
): Promise<{ status: number; results: { id: string; status: string; message: string }[]; log: string }> {
  const run = sh(dbt, ['build', '--profiles-dir', '.', '--target', target], project);
  const text = await fsp.readFile(nodePath.join(project, 'target', 'run_results.json'), 'utf8').catch(() => '{"results":[]}');
  const results = (JSON.parse(text) as { results: { unique_id: string; status: string; message?: string }[] }).results.map((r) => ({
    id: r.unique_id,
    status: r.status,
    message: r.message ?? '',
  }));
  return { status: run.status, results, log: `${run.stdout}\n${run.stderr}`.split('\n').slice(-40).join('\n') };
}

export function readTables(
  dialect: Dialect,
  where: string,
  queries: readonly { name: string; sql: string }[],
): Map<string, Digest | string> {
  const run = sh(python, [READ_TABLES, dialect, where], REPO, JSON.stringify(queries));
  if (run.status !== 0) throw new Error(`readTables.py ${dialect} failed: ${run.stderr.slice(-2000)}`);
  const parsed = JSON.parse(run.stdout) as Record<string, { rows?: string[]; error?: string }>;
  return new Map(Object.entries(parsed).map(([name, r]) => [name, r.rows ? digest(r.rows) : (r.error ?? 'no answer')]));
}

/** Quanta's own run (tick 0, policy gate included) and each published port's digest. */
export async function quantaDigests(opened: OpenedMesh): Promise<Map<string, Digest>> {
  const host = new InProcessHost(2);
  try {
    const io = { err: () => undefined, progress: false, createCatalogEngine: () => new QuantumCatalogEngine(host) };
    const session = await runMeshFor(opened, host, 0, io);
    const out = new Map<string, Digest>();
    for (const product of opened.loaded.mesh.products) {
      for (const port of product.outputPorts) {
        const ipc = session.runtime.latestVersion(product.id, port.name)?.ipc;
        if (!ipc) continue;
        const outcome = await queryPorts(
          host,
          [{ product: product.id, port: port.name, ipc }],
          canonicalSql('duckdb', `"${product.id}"."${port.name}"`, columnsOf(port)),
        );
        if (!outcome.ok) throw new Error(`${product.id}.${port.name}: ${outcome.error.message}`);
        const rows = tableFromIPC(outcome.ipc)
          .toArray()
          .map((r: { row: string }) => String(r.row));
        out.set(modelName(product.id, port.name), digest(rows));
      }
    }
    return out;
  } finally {
    await host.dispose();
  }
}
