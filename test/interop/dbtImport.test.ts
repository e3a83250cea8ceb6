import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asFields, asList, asString } from '../../core/model/read.ts';
import type { Mesh, OutputPort } from '../../core/model/types.ts';
import { runCli } from '../../core/node/cli.ts';
import { openRunnableMesh, type OpenedMesh } from '../../core/node/commands/openMesh.ts';
import { runMeshFor } from '../../core/node/commands/runSession.ts';
import { duckdbTypeOf } from '../../core/run/declaredTypes.ts';
import { queryPorts } from '../../core/run/portQuery.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { REPO, tempDir } from '../helpers.ts';
import { exportPerDomain, inBuildOrder, type PerDomainExport } from './dbtProjects.ts';

/*
 * Issue 17's round trip with the real dbt: each sample mesh exported by `quanta export dbt`
 * (DuckDB and Spark SQL), parsed by `dbt parse` into target/manifest.json, and imported back
 * by `quanta import dbt` gives the same products, output ports and columns (names and DuckDB
 * types); the imported mesh runs in Quanta and each port it publishes holds the same rows
 * (count and content hash) as the original's run.
 */
const BIN = process.env['QUANTA_INTEROP_BIN'];
if (!BIN) throw new Error('run the interop suite with `npm run test:interop`: it makes the Python venv with dbt first');
const dbt = nodePath.join(BIN, 'dbt');
const SAMPLES = ['hello-mesh', 'retail', 'daff'];

/**
 * What does not hold yet after the round trip, with the reason; the test fails when the list is
 * wrong either way. Empty since a seed's dbt `column_types` are carried: the export writes a
 * generated source as a seed of its first load with `column_types`, and the import writes such a
 * seed as Parquet with them where Quanta would read its CSV with other types (daff's play-events:
 * `app_session_id` DOUBLE in the seed, BIGINT in the port's contract, so 4 of 50,000 plays lost
 * their session; music-catalog's `released_at` text read as TIMESTAMPTZ, which DuckDB-WASM cannot
 * cast to DATE without ICU, so it failed and its downstream went stale).
 */
const KNOWN_GAPS: Record<
  string,
  { readonly failed: readonly string[]; readonly stale: readonly string[]; readonly differ: readonly string[] }
> = {};

function sh(command: string, args: readonly string[], cwd: string): { status: number; out: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, DO_NOT_TRACK: '1' } });
  return { status: result.status ?? 1, out: `${result.stdout}\n${result.stderr}` };
}

async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t), cwd: REPO });
  return { code, out, err };
}

/** product → port → columns as `name type`, types as DuckDB reads the contract. */
function shape(mesh: Mesh): Record<string, Record<string, string[]>> {
  const columns = (port: OutputPort): string[] => {
    const schema = asList(port.contract?.document['schema']).map(asFields);
    const table = schema.find((t) => asString(t['name']) === port.name) ?? schema[0];
    return asList(table?.['properties']).map((raw) => {
      const p = asFields(raw);
      return `${asString(p['name']) ?? '?'} ${duckdbTypeOf(p) ?? '?'}`;
    });
  };
  return Object.fromEntries(
    [...mesh.products]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((p) => [p.id, Object.fromEntries(p.outputPorts.map((port) => [port.name, columns(port)]))]),
  );
}

/** One text per row whatever the column's exact type (DECIMAL(18,2) or (38,2)): numbers to six decimals, NULL as `∅`. */
function canonicalSql(relation: string, port: OutputPort): string {
  const schema = asList(port.contract?.document['schema']).map(asFields);
  const table = schema.find((t) => asString(t['name']) === port.name) ?? schema[0];
  const cells = asList(table?.['properties']).map((raw) => {
    const p = asFields(raw);
    const col = `"${(asString(p['name']) ?? '').replace(/"/g, '""')}"`;
    const number = /^(DOUBLE|FLOAT|REAL|DECIMAL|NUMERIC|HUGEINT)/i.test(duckdbTypeOf(p) ?? '');
    return `coalesce(${number ? `printf('%.6f', CAST(${col} AS DOUBLE))` : `CAST(${col} AS VARCHAR)`}, '∅')`;
  });
  // A contract with no columns (an ephemeral model: no relation, so no catalog entry): rows counted only.
  return `SELECT ${cells.length > 0 ? `concat_ws('|', ${cells.join(', ')})` : "''"} AS row FROM ${relation}`;
}

/** Quanta's own run at tick 0: each product's status, each published port's row count and a checksum of its rows (order ignored). */
async function runOf(opened: OpenedMesh): Promise<{ status: Map<string, string>; ports: Map<string, string> }> {
  const host = new InProcessHost(2);
  try {
    const session = await runMeshFor(opened, host, 0, { err: () => undefined, createCatalogEngine: () => new QuantumCatalogEngine(host) });
    const status = new Map<string, string>();
    const ports = new Map<string, string>();
    for (const product of opened.loaded.mesh.products) {
      status.set(product.id, session.runtime.lastRun(product.id)?.status ?? 'not run');
      for (const port of product.outputPorts) {
        const ipc = session.runtime.latestVersion(product.id, port.name)?.ipc;
        if (!ipc) continue;
        const outcome = await queryPorts(
          host,
          [{ product: product.id, port: port.name, ipc }],
          canonicalSql(`"${product.id}"."${port.name}"`, port),
        );
        if (!outcome.ok) throw new Error(`${product.id}.${port.name}: ${outcome.error.message}`);
        const rows = tableFromIPC(outcome.ipc)
          .toArray()
          .map((r: { row: string }) => String(r.row))
          .sort();
        const hash = createHash('sha256');
        for (const row of rows) hash.update(`${row}\n`);
        ports.set(`${product.id}.${port.name}`, `${rows.length} rows, ${hash.digest('hex').slice(0, 16)}`);
      }
    }
    return { status, ports };
  } finally {
    await host.dispose();
  }
}

const silent = { out: () => undefined, err: () => undefined, cwd: REPO };

/** `quanta import dbt <source> --out <dir>/mesh --json`: its report, and the sample and the imported mesh opened. */
async function importBack<Report>(
  sample: string,
  source: string,
  dir: string,
): Promise<{ report: Report; original: OpenedMesh; imported: OpenedMesh }> {
  const mesh = nodePath.join(dir, 'mesh');
  const run = await cli(['import', 'dbt', source, '--out', mesh, '--json']);
  if (run.code !== 0) throw new Error(`quanta import dbt failed (${run.code}): ${run.err}${run.out.slice(0, 3000)}`);
  const original = await openRunnableMesh(silent, `sample-meshes/${sample}`);
  const imported = await openRunnableMesh(silent, mesh);
  if (!original || !imported) throw new Error('a mesh does not load');
  return { report: JSON.parse(run.out) as Report, original, imported };
}

describe.each(SAMPLES)('%s: export dbt → dbt parse → import dbt', (sample) => {
  let dir: string;
  let original: OpenedMesh;
  let imported: OpenedMesh;
  let report: { schemaVersion: number; notes: { product?: string; text: string }[]; valid: boolean };

  beforeAll(async () => {
    dir = await tempDir(`dbt-import-${sample}`);
    const project = nodePath.join(dir, 'project');
    const exported = await cli(['export', 'dbt', `sample-meshes/${sample}`, '--out', project]);
    if (exported.code !== 0) throw new Error(`quanta export dbt failed: ${exported.err}`);
    const parsed = sh(dbt, ['parse', '--profiles-dir', '.'], project);
    if (parsed.status !== 0) throw new Error(`dbt parse failed: ${parsed.out.slice(-3000)}`);
    ({ report, original, imported } = await importBack<typeof report>(sample, nodePath.join(project, 'target', 'manifest.json'), dir));
  });
  afterAll(async () => {
    if (dir) await fsp.rm(dir, { recursive: true, force: true });
  });

  it('gives back the same products, output ports and columns (names and types), from a v12 manifest', () => {
    expect(report.valid).toBe(true);
    expect(report.schemaVersion).toBe(12);
    expect(shape(imported.loaded.mesh)).toEqual(shape(original.loaded.mesh));
    const domains = (mesh: Mesh): Record<string, string> => Object.fromEntries(mesh.products.map((p) => [p.id, p.domain]));
    expect(domains(imported.loaded.mesh)).toEqual(domains(original.loaded.mesh));
    const inputs = (mesh: Mesh): string[] => mesh.products.flatMap((p) => p.inputPorts.map((i) => `${p.id} ← ${i.contractId}`)).sort();
    expect(inputs(imported.loaded.mesh)).toEqual(inputs(original.loaded.mesh));
  });

  it('runs in Quanta: every product publishes the rows the original publishes, but the known gaps', async () => {
    const gaps = KNOWN_GAPS[sample] ?? { failed: [], stale: [], differ: [] };
    const [before, after] = [await runOf(original), await runOf(imported)];
    const by = (status: string): string[] =>
      [...after.status]
        .filter(([, s]) => s === status)
        .map(([id]) => id)
        .sort();
    expect(by('failed'), JSON.stringify([...after.status])).toEqual([...gaps.failed].sort());
    expect(by('stale')).toEqual([...gaps.stale].sort());
    expect(after.ports.size).toBeGreaterThan(0);
    const differ = [...after.ports].filter(([port, digest]) => digest !== before.ports.get(port)).map(([port]) => port);
    expect(differ.sort(), JSON.stringify(differ.map((p) => [p, before.ports.get(p), after.ports.get(p)]))).toEqual([...gaps.differ].sort());
    const skipped = new Set([...gaps.failed, ...gaps.stale]);
    expect([...after.ports.keys()].length).toBe([...before.ports.keys()].filter((p) => !skipped.has(p.split('.')[0] ?? '')).length);
  });
});

/*
 * The same round trip with `--layout project-per-domain`: a dbt project per domain, each parsed
 * by the real dbt in build order with dbt-loom resolving the cross-project refs from the upstream
 * manifests (which it also copies into the downstream ones), and the folder of projects imported
 * at once: the same products, domains, output and input ports and columns as the original, and
 * the imported mesh publishes the original's rows.
 */
describe.each(SAMPLES)(
  '%s: export dbt --layout project-per-domain → dbt parse each project with dbt-loom → import dbt of all',
  (sample) => {
    let dir: string;
    let exported: PerDomainExport;
    let original: OpenedMesh;
    let imported: OpenedMesh;
    let report: { projects: { name: string }[]; notes: { product?: string; text: string }[]; valid: boolean };

    beforeAll(async () => {
      dir = await tempDir(`dbt-import-domains-${sample}`);
      const out = nodePath.join(dir, 'projects');
      exported = exportPerDomain(`sample-meshes/${sample}`, out);
      const parsed = await inBuildOrder(out, exported, (project) => sh(dbt, ['parse', '--profiles-dir', '.'], project));
      const failed = parsed.find((p) => p.status !== 0);
      if (failed) throw new Error(`dbt parse of ${failed.project} failed: ${failed.out.slice(-3000)}`);
      ({ report, original, imported } = await importBack<typeof report>(sample, out, dir));
    });
    afterAll(async () => {
      if (dir) await fsp.rm(dir, { recursive: true, force: true });
    });

    it('gives back the same products, domains, output and input ports and columns from all the manifests', () => {
      expect(
        exported.projects.some((p) => p.upstream.length > 0),
        'some project refs another',
      ).toBe(true);
      expect(report.valid).toBe(true);
      expect(report.projects.map((p) => p.name).sort()).toEqual(exported.projects.map((p) => p.name).sort());
      expect(report.notes.map((n) => n.text).join('\n')).toMatch(/upstream node\(s\) dbt-loom copied into its manifest are taken from/);
      expect(report.notes.map((n) => n.text).join('\n')).not.toMatch(/not a node of the imported projects|parsed against another build/);
      expect(shape(imported.loaded.mesh)).toEqual(shape(original.loaded.mesh));
      const domains = (mesh: Mesh): Record<string, string> => Object.fromEntries(mesh.products.map((p) => [p.id, p.domain]));
      expect(domains(imported.loaded.mesh)).toEqual(domains(original.loaded.mesh));
      const inputs = (mesh: Mesh): string[] => mesh.products.flatMap((p) => p.inputPorts.map((i) => `${p.id} ← ${i.contractId}`)).sort();
      expect(inputs(imported.loaded.mesh)).toEqual(inputs(original.loaded.mesh));
    });

    it('runs in Quanta: every port holds the rows the original publishes', async () => {
      const [before, after] = [await runOf(original), await runOf(imported)];
      expect(
        [...after.status.values()].every((s) => s === 'published'),
        JSON.stringify([...after.status]),
      ).toBe(true);
      expect(Object.fromEntries(after.ports)).toEqual(Object.fromEntries(before.ports));
    });
  },
);

/*
 * A project as a team has it, written here (never copied): seeds the staging models ref(), marts
 * in groups with access, an enforced contract and two versions, columns partly untyped, an
 * ephemeral and an incremental model, `target.name`, `var()`, a source with `identifier:`, a
 * model named `order` with a quoted column, a disabled model, a snapshot, an analysis and an
 * exposure. `dbt parse` alone gives the manifest; `dbt build` and `dbt docs generate` add the
 * catalog.json whose types the import takes.
 */
const TEAM_PROJECT: Record<string, string> = {
  'dbt_project.yml':
    'name: team_shop\nversion: "1.0"\nprofile: team_shop\nvars:\n  min_amount: 5\nmodels:\n  team_shop:\n    staging:\n      +materialized: view\n',
  'profiles.yml': 'team_shop:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: team_shop.duckdb, threads: 1}\n',
  'seeds/raw_customers.csv': 'id,first_name,last_name\n1,Ann,A.\n2,Bob,B.\n3,Cy,C.\n4,Dee,D.\n',
  'seeds/raw_orders.csv':
    'id,user_id,order_date,status,amount\n1,1,2024-01-01,placed,10.5\n2,1,2024-01-03,shipped,3\n3,2,2024-02-01,completed,7.25\n4,3,2024-02-11,returned,12\n5,3,2024-03-05,completed,20\n',
  'models/staging/stg_customers.sql':
    "with source as (select * from {{ ref('raw_customers') }})\nselect id as customer_id, first_name, last_name from source\n",
  'models/staging/stg_orders.sql':
    "{{ config(materialized='view') }}\nselect id as order_id, user_id as customer_id, cast(order_date as date) as order_date, status, amount\nfrom {{ ref(\"raw_orders\") }}\n{% if target.name == 'dev' %}where 1 = 1{% endif %}\n",
  'models/staging/order_lines.sql': "{{ config(materialized='ephemeral') }}\nselect order_id, amount from {{ ref('stg_orders') }}\n",
  'models/marts/customers.sql':
    "select c.customer_id, c.first_name, count(o.order_id) as number_of_orders, sum(o.amount) as lifetime_value\nfrom {{ ref('stg_customers') }} c left join {{ ref('stg_orders') }} o using (customer_id)\ngroup by all\n",
  'models/marts/big_orders.sql': "select order_id, amount from {{ ref('order_lines') }} where amount > {{ var('min_amount', 1) }}\n",
  'models/marts/order_log.sql':
    "{{ config(materialized='incremental', unique_key='order_id') }}\nselect order_id, order_date from {{ ref('stg_orders') }}\n{% if is_incremental() %}where order_date > (select max(order_date) from {{ this }}){% endif %}\n",
  'models/marts/dim_customers_v1.sql': "select customer_id from {{ ref('stg_customers') }}\n",
  'models/marts/dim_customers_v2.sql': "select customer_id, first_name from {{ ref('stg_customers') }}\n",
  'models/marts/order.sql': "select id, first_name as \"First Name\" from {{ source('crm', 'clients') }}\n",
  'models/marts/order_count.sql': "select count(*) as n from {{ ref('order') }}\n",
  'models/marts/retired.sql': '{{ config(enabled=false) }}\nselect 1 as x\n',
  'snapshots/customers_snapshot.sql':
    "{% snapshot customers_snapshot %}\n{{ config(target_schema='snapshots', unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ ref('raw_customers') }}\n{% endsnapshot %}\n",
  'analyses/order_totals.sql': "select sum(amount) from {{ ref('stg_orders') }}\n",
  'models/schema.yml': `version: 2
groups:
  - name: finance
    owner: {name: Finance Team, email: finance@example.com}
  - name: marketing
    owner: {name: Marketing}
sources:
  - name: crm
    schema: main
    tables:
      - name: clients
        identifier: raw_customers
        columns: [{name: id}, {name: first_name}]
models:
  - name: stg_customers
    group: marketing
    access: private
  - name: stg_orders
    group: finance
    access: protected
    columns:
      - name: status
        data_tests:
          - accepted_values: {values: [placed, shipped, completed, returned]}
  - name: customers
    group: marketing
    access: public
    config: {contract: {enforced: true}}
    columns:
      - {name: customer_id, data_type: integer, constraints: [{type: not_null}, {type: primary_key}], data_tests: [unique]}
      - {name: first_name, data_type: varchar}
      - {name: number_of_orders, data_type: bigint}
      - {name: lifetime_value, data_type: double}
  - name: big_orders
    group: finance
    access: public
    columns:
      - {name: order_id, data_tests: [not_null, unique]}
      - {name: amount, description: Order amount in EUR}
  - name: dim_customers
    group: marketing
    access: public
    latest_version: 2
    versions: [{v: 1}, {v: 2}]
exposures:
  - name: revenue_dashboard
    type: dashboard
    owner: {name: BI}
    depends_on: ["ref('customers')"]
`,
};

/** Each product's status after Quanta's run at tick 0. */
async function statusOf(opened: OpenedMesh): Promise<Map<string, string>> {
  const host = new InProcessHost(2);
  try {
    const session = await runMeshFor(opened, host, 0, { err: () => undefined, createCatalogEngine: () => new QuantumCatalogEngine(host) });
    return new Map(opened.loaded.mesh.products.map((p) => [p.id, session.runtime.lastRun(p.id)?.status ?? 'not run']));
  } finally {
    await host.dispose();
  }
}

describe('a dbt project Quanta did not write: dbt parse (and build, docs generate) → import dbt → run', () => {
  let dir: string;
  let project: string;
  const importAndRun = async (
    name: string,
    extra: readonly string[] = [],
  ): Promise<{
    report: { notes: { product?: string; text: string }[]; valid: boolean };
    opened: OpenedMesh;
    status: Map<string, string>;
  }> => {
    const mesh = nodePath.join(dir, name);
    const run = await cli(['import', 'dbt', nodePath.join(project, 'target', 'manifest.json'), '--out', mesh, '--json', ...extra]);
    if (run.code !== 0) throw new Error(`quanta import dbt failed (${run.code}): ${run.err}${run.out.slice(0, 3000)}`);
    const opened = await openRunnableMesh(silent, mesh);
    if (!opened) throw new Error('the imported mesh does not load');
    const status = await statusOf(opened);
    return { report: JSON.parse(run.out) as { notes: { product?: string; text: string }[]; valid: boolean }, opened, status };
  };

  beforeAll(async () => {
    dir = await tempDir('dbt-import-team');
    project = nodePath.join(dir, 'team_shop');
    for (const [path, content] of Object.entries(TEAM_PROJECT)) {
      await fsp.mkdir(nodePath.dirname(nodePath.join(project, path)), { recursive: true });
      await fsp.writeFile(nodePath.join(project, path), content);
    }
    const parsed = sh(dbt, ['parse', '--profiles-dir', '.'], project);
    if (parsed.status !== 0) throw new Error(`dbt parse failed: ${parsed.out.slice(-3000)}`);
  });
  afterAll(async () => {
    if (dir) await fsp.rm(dir, { recursive: true, force: true });
  });

  it('from the manifest alone: every product publishes, ref() to seeds included; what is assumed or untyped is a note', async () => {
    const { report, opened, status } = await importAndRun('mesh');
    expect(report.valid).toBe(true);
    expect(Object.fromEntries(status)).toEqual(
      Object.fromEntries(
        [
          'raw_customers',
          'raw_orders',
          'crm',
          'stg_customers',
          'stg_orders',
          'customers',
          'big_orders',
          'order_log',
          'dim_customers',
          'order',
          'order_count',
        ]
          .sort()
          .map((p) => [p, 'published']),
      ),
    );
    const said = report.notes.map((n) => n.text).join('\n');
    expect(said).toContain("imported assuming target.name is 'dev'");
    expect(said).toContain("var('min_amount') is 5 (the project's vars)");
    expect(said).toContain('is_incremental() is false');
    expect(said).toContain('model order_lines is ephemeral in dbt: inlined as a CTE into the transform of big_orders');
    expect(said).toContain('disabled in dbt, so not carried over: model retired');
    expect(said).toContain('snapshot customers_snapshot not carried over');
    expect(said).toContain('1 analysis not carried over');
    expect(said).toContain('1 exposures not carried over');
    expect(said).toContain('model dim_customers version 1: only the latest version (2) is carried over');
    expect(said).toMatch(/big_orders: columns without a data_type have no type in the contract.*order_id, amount/);
    const shaped = shape(opened.loaded.mesh);
    expect(shaped['customers']).toEqual({
      customers: ['customer_id INTEGER', 'first_name VARCHAR', 'number_of_orders BIGINT', 'lifetime_value DOUBLE'],
    });
    expect(shaped['big_orders']).toEqual({ big_orders: ['order_id ?', 'amount ?'] });
  });

  it('with the catalog.json of dbt docs generate beside the manifest: every column typed as dbt built it, and the rows dbt built', async () => {
    for (const command of [['seed'], ['build'], ['docs', 'generate']]) {
      const done = sh(dbt, [...command, '--profiles-dir', '.'], project);
      if (done.status !== 0) throw new Error(`dbt ${command.join(' ')} failed: ${done.out.slice(-3000)}`);
    }
    const { report, opened, status } = await importAndRun('typed');
    expect(report.valid).toBe(true);
    expect(
      [...status.values()].every((s) => s === 'published'),
      JSON.stringify([...status]),
    ).toBe(true);
    expect(report.notes.map((n) => n.text).join('\n')).not.toMatch(/columns without a data_type/);
    const shaped = shape(opened.loaded.mesh);
    expect(shaped['big_orders']).toEqual({ big_orders: ['order_id INTEGER', 'amount DOUBLE'] });
    expect(shaped['stg_orders']).toEqual({
      stg_orders: ['order_id INTEGER', 'customer_id INTEGER', 'order_date DATE', 'status VARCHAR', 'amount DOUBLE'],
    });
    expect(shaped['order']).toEqual({ order: ['id INTEGER', 'First Name VARCHAR'] });
    // Each port holds the rows dbt built in team_shop.duckdb (those over the placeholder source crm aside; an ephemeral model has no relation).
    const { ports } = await runOf(opened);
    const nodes = Object.values(
      asFields(asFields(JSON.parse(await fsp.readFile(nodePath.join(project, 'target', 'manifest.json'), 'utf8')))['nodes']),
    ).map(asFields);
    const relations = new Map(
      nodes.flatMap((n) => {
        const relation = asString(n['relation_name']);
        const latest = n['version'] === undefined || n['version'] === null || String(n['version']) === String(n['latest_version']);
        return relation && latest && (n['resource_type'] === 'model' || n['resource_type'] === 'seed')
          ? [[asString(n['name']) ?? '', relation] as const]
          : [];
      }),
    );
    const queries = opened.loaded.mesh.products.flatMap((p) =>
      p.outputPorts.flatMap((port) => {
        const relation = relations.get(p.id);
        return relation && !['crm', 'order', 'order_count'].includes(p.id)
          ? [{ name: `${p.id}.${port.name}`, sql: canonicalSql(relation, port) }]
          : [];
      }),
    );
    expect(queries.map((q) => q.name).sort()).toEqual(
      ['big_orders', 'customers', 'dim_customers', 'order_log', 'raw_customers', 'raw_orders', 'stg_customers', 'stg_orders'].map(
        (p) => `${p}.${p}`,
      ),
    );
    const read = spawnSync(
      nodePath.join(BIN, 'python'),
      [nodePath.join(REPO, 'test', 'interop', 'readTables.py'), 'duckdb', nodePath.join(project, 'team_shop.duckdb')],
      {
        input: JSON.stringify(queries),
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      },
    );
    expect(read.status, read.stderr).toBe(0);
    const built = JSON.parse(read.stdout) as Record<string, { rows?: string[]; error?: string }>;
    for (const { name } of queries) {
      const rows = [...(built[name]?.rows ?? [])].sort();
      expect(rows.length, `${name}: ${built[name]?.error ?? ''}`).toBeGreaterThan(0);
      const hash = createHash('sha256');
      for (const row of rows) hash.update(`${row}\n`);
      expect(ports.get(name), name).toBe(`${rows.length} rows, ${hash.digest('hex').slice(0, 16)}`);
    }
    expect(shaped['raw_orders']).toEqual({
      raw_orders: ['id INTEGER', 'user_id INTEGER', 'order_date DATE', 'status VARCHAR', 'amount DOUBLE'],
    });
  });
});
