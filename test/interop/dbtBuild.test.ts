import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelName, majorVersion } from '../../core/export/dbtNames.ts';
import { openRunnableMesh, type OpenedMesh } from '../../core/node/commands/openMesh.ts';
import { runMeshFor } from '../../core/node/commands/runSession.ts';
import { asFields, asList, asString } from '../../core/model/read.ts';
import type { OutputPort } from '../../core/model/types.ts';
import { duckdbTypeOf } from '../../core/run/declaredTypes.ts';
import { queryPorts } from '../../core/run/portQuery.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { REPO, tempDir } from '../helpers.ts';

/*
 * Issue 17's proof, with the real tools (scripts/interop.mjs makes the venv): every sample
 * mesh exported by `quanta export dbt` builds with `dbt build` on DuckDB and on a local Spark
 * session — every model and test passes — and each model holds the rows Quanta's own run
 * publishes: the same count and the same checksum of the rows as canonical text (numbers to
 * six decimals, timestamps to the second, order ignored). A contract-breaking edit fails dbt too.
 */
const BIN = process.env['QUANTA_INTEROP_BIN'];
if (!BIN) throw new Error('run the interop suite with `npm run test:interop`: it makes the Python venv with dbt and Spark first');
const dbt = nodePath.join(BIN, 'dbt');
const python = nodePath.join(BIN, 'python');
const READ_TABLES = nodePath.join(REPO, 'test', 'interop', 'readTables.py');
const SAMPLES = ['hello-mesh', 'retail', 'daff'];

/**
 * What does not hold yet (issue 17 stays open for them), each with its reason; the test fails
 * when this list is wrong either way, so a fix shows up as a failure asking to shorten it.
 * - `differ`: daff's artist-profiles takes `mode()` of values with ties, and which of the
 *   equally frequent values an engine picks depends on its hash table: Spark picks others
 *   (DuckDB 1.5, the venv's, picks as Quanta's DuckDB does; DuckDB 2.0 differed on three
 *   models): the sample's SQL is not deterministic, not the export wrong.
 * - `nodes` on Spark: DuckDB functions polyglot passes through unchanged (to_seconds, strftime,
 *   list functions…) which Spark does not have, and one rule whose DuckDB regex Spark reads
 *   differently.
 */
const KNOWN_GAPS: Record<string, Partial<Record<Dialect, { readonly nodes: readonly string[]; readonly differ: readonly string[] }>>> = {
  retail: {
    // dbt-spark's session mode loads an empty CSV cell of a seed as the text 'None', which the rule then rejects.
    // The same 'None' text makes the two models built on those seeds differ from Quanta's NULLs.
    spark: {
      nodes: ['test.retail.online_orders__online_order_lines__online_order_lines_delivery_postcode_quality_0'],
      differ: ['online_orders__online_order_lines', 'store_orders__store_sales'],
    },
  },
  daff: {
    // TO_SECONDS (twice) and QUALIFY reach Spark untranspiled; their downstream is skipped.
    spark: {
      nodes: [
        'model.daff.play_events__play_events.v1',
        'model.daff.playlists__playlist_tracks.v1',
        'model.daff.listener_profiles__listener_profiles.v1',
      ],
      // mode() over ties: Spark picks other values among the equally frequent ones.
      differ: ['artist_profiles__artist_profiles'],
    },
  },
};

type Dialect = 'duckdb' | 'spark';
interface Column {
  readonly name: string;
  readonly type: string;
}
interface Digest {
  readonly rows: number;
  readonly checksum: string;
}

function columnsOf(port: OutputPort): Column[] {
  const schema = asList(port.contract?.document['schema']).map(asFields);
  const table = schema.find((t) => asString(t['name']) === port.name) ?? schema[0];
  return asList(table?.['properties']).flatMap((raw) => {
    const property = asFields(raw);
    const name = asString(property['name']);
    return name ? [{ name, type: duckdbTypeOf(property) ?? 'VARCHAR' }] : [];
  });
}

/** One text per row, the same on every engine: `v1|v2|…`, NULL as `∅`. */
function canonicalSql(dialect: Dialect, relation: string, columns: readonly Column[]): string {
  const quote = (name: string): string => (dialect === 'spark' ? `\`${name}\`` : `"${name}"`);
  const text = (c: Column): string => {
    const col = quote(c.name);
    if (/^(DOUBLE|FLOAT|REAL|DECIMAL|NUMERIC|HUGEINT)/i.test(c.type))
      return dialect === 'spark' ? `format_string('%.6f', CAST(${col} AS DOUBLE))` : `printf('%.6f', CAST(${col} AS DOUBLE))`;
    if (/^TIMESTAMP/i.test(c.type))
      return dialect === 'spark' ? `date_format(${col}, 'yyyy-MM-dd HH:mm:ss')` : `strftime(${col}, '%Y-%m-%d %H:%M:%S')`;
    return `CAST(${col} AS ${dialect === 'spark' ? 'STRING' : 'VARCHAR'})`;
  };
  return `SELECT concat_ws('|', ${columns.map((c) => `coalesce(${text(c)}, '∅')`).join(', ')}) AS row FROM ${relation}`;
}

function digest(rows: readonly string[]): Digest {
  const hash = createHash('sha256');
  for (const row of [...rows].sort()) hash.update(`${row}\n`);
  return { rows: rows.length, checksum: hash.digest('hex').slice(0, 16) };
}

function sh(command: string, args: readonly string[], cwd: string, input?: string): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, input, encoding: 'utf8', maxBuffer: 1 << 30, env: process.env });
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** `dbt build` on a target; every node's status from target/run_results.json. */
async function dbtBuild(
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

function readTables(dialect: Dialect, where: string, queries: readonly { name: string; sql: string }[]): Map<string, Digest | string> {
  const run = sh(python, [READ_TABLES, dialect, where], REPO, JSON.stringify(queries));
  if (run.status !== 0) throw new Error(`readTables.py ${dialect} failed: ${run.stderr.slice(-2000)}`);
  const parsed = JSON.parse(run.stdout) as Record<string, { rows?: string[]; error?: string }>;
  return new Map(Object.entries(parsed).map(([name, r]) => [name, r.rows ? digest(r.rows) : (r.error ?? 'no answer')]));
}

/** Quanta's own run (tick 0, policy gate included) and each published port's digest. */
async function quantaDigests(opened: OpenedMesh): Promise<Map<string, Digest>> {
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

describe.each(SAMPLES)('%s exported to dbt', (sample) => {
  let project: string;
  let opened: OpenedMesh;
  let quanta: Map<string, Digest>;
  const models: { model: string; relation: string; columns: Column[] }[] = [];

  beforeAll(async () => {
    project = nodePath.join(await tempDir(`dbt-${sample}`), 'project');
    const exported = sh(
      process.execPath,
      [nodePath.join(REPO, 'bin', 'quanta.mjs'), 'export', 'dbt', `sample-meshes/${sample}`, '--out', project],
      REPO,
    );
    if (exported.status !== 0) throw new Error(`quanta export dbt failed: ${exported.stderr}`);
    const mesh = await openRunnableMesh({ out: () => undefined, err: () => undefined, cwd: REPO }, `sample-meshes/${sample}`);
    if (!mesh) throw new Error(`sample-meshes/${sample} does not load`);
    opened = mesh;
    for (const product of opened.loaded.mesh.products) {
      for (const port of product.outputPorts) {
        const model = modelName(product.id, port.name);
        models.push({ model, relation: `${model}_v${majorVersion(port.contract?.version ?? port.version)}`, columns: columnsOf(port) });
      }
    }
    quanta = await quantaDigests(opened);
  });
  afterAll(async () => {
    if (project) await fsp.rm(nodePath.dirname(project), { recursive: true, force: true });
  });

  it.each<Dialect>(['duckdb', 'spark'])(
    'builds on %s: every model and test passes but the known gaps, every built model holds the rows Quanta publishes',
    async (target) => {
      const gaps = KNOWN_GAPS[sample]?.[target] ?? { nodes: [], differ: [] };
      const built = await dbtBuild(project, target);
      const broken = built.results
        .filter((r) => r.status !== 'success' && r.status !== 'pass' && r.status !== 'skipped')
        .map((r) => r.id)
        .sort();
      expect(broken, built.log).toEqual([...gaps.nodes].sort());
      expect(built.status, built.log).toBe(gaps.nodes.length > 0 ? 1 : 0);
      expect(built.results.length).toBeGreaterThan(models.length);
      const made = new Set(
        built.results
          .filter((r) => r.status === 'success' && r.id.startsWith('model.'))
          .map((r) => r.id.replace(/^model\.[^.]+\.|\.v\d+$/g, '')),
      );
      const where = target === 'duckdb' ? nodePath.join(project, 'target', 'quanta.duckdb') : project;
      const schema =
        target === 'duckdb' ? 'main' : (opened.loaded.mesh.manifest?.name ?? sample).replace(/[^A-Za-z0-9_]+/g, '_').toLowerCase();
      const compared = models.filter((m) => made.has(m.model));
      expect(compared.length).toBeGreaterThan(0);
      const read = readTables(
        target,
        where,
        compared.map((m) => ({
          name: m.model,
          sql: canonicalSql(target, target === 'spark' ? `\`${schema}\`.\`${m.relation}\`` : `"${schema}"."${m.relation}"`, m.columns),
        })),
      );
      const differ = compared.filter((m) => JSON.stringify(read.get(m.model)) !== JSON.stringify(quanta.get(m.model))).map((m) => m.model);
      expect(differ.sort(), JSON.stringify(compared.map((m) => [m.model, quanta.get(m.model), read.get(m.model)]))).toEqual(
        [...gaps.differ].sort(),
      );
      // Every model dbt did not build is downstream of a known gap: the rest were all compared.
      if (gaps.nodes.length === 0) expect(compared.length).toBe(models.length);
      expect(quanta.size).toBe(models.length);
    },
  );
});

describe('a contract-breaking edit', () => {
  it('fails dbt build as it fails the publish in Quanta', async () => {
    const dir = await tempDir('dbt-breaking');
    try {
      const mesh = nodePath.join(dir, 'mesh');
      await fsp.cp(nodePath.join(REPO, 'sample-meshes', 'hello-mesh'), mesh, { recursive: true });
      const transform = nodePath.join(mesh, 'domains', 'sales', 'orders', 'transform.sql');
      const text = await fsp.readFile(transform, 'utf8');
      // The orders port stops producing amount_eur, which its contract promises and daily-revenue sums.
      await fsp.writeFile(transform, text.replace(/,\s*CAST\(amount_eur AS DECIMAL\(10, 2\)\) AS amount_eur/, ''));
      expect(await fsp.readFile(transform, 'utf8')).not.toContain('amount_eur');
      const project = nodePath.join(dir, 'project');
      const exported = sh(
        process.execPath,
        [nodePath.join(REPO, 'bin', 'quanta.mjs'), 'export', 'dbt', mesh, '--out', project, '--no-spark'],
        REPO,
      );
      expect(exported.status, exported.stderr).toBe(0);
      const built = await dbtBuild(project, 'duckdb');
      expect(built.status).not.toBe(0);
      const orders = built.results.find((r) => r.id.startsWith('model.') && r.id.includes('orders__orders'));
      expect(orders?.status).toBe('error');
      expect(orders?.message ?? '').toMatch(/amount_eur/);
      const quanta = sh(process.execPath, [nodePath.join(REPO, 'bin', 'quanta.mjs'), 'run', mesh], REPO);
      expect(quanta.status).toBe(1);
      expect(quanta.stdout).toMatch(/orders\s+(refused|failed)/);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
