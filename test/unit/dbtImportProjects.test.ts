import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDbtProjects, withCtes, type DbtProjectInput } from '../../core/import/dbt/dbtImport.ts';
import { runCli } from '../../core/node/cli.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { listFiles, tempDir } from '../helpers.ts';
import { text, validated } from '../support/importedMesh.ts';

/*
 * `quanta import dbt` of several dbt projects into one mesh (cross-project refs as dbt-loom
 * resolves them, the upstream nodes dbt-loom copies into a downstream manifest) and of ephemeral
 * models (inlined as CTEs, as dbt compiles them). The manifests are written here in the shapes
 * dbt 1.11 with dbt-loom 0.9 writes (test/interop/dbtImport.test.ts builds real ones).
 */

type Json = Record<string, unknown>;

function model(project: string, name: string, sql: string, extra: Json = {}): Json {
  const version = extra['version'];
  return {
    resource_type: 'model',
    name,
    package_name: project,
    unique_id: `model.${project}.${name}${version !== undefined ? `.v${String(version)}` : ''}`,
    original_file_path: `models/${name}.sql`,
    raw_code: sql,
    language: 'sql',
    config: { enabled: true, meta: {}, tags: [], materialized: 'table' },
    columns: {},
    depends_on: { nodes: [] },
    ...extra,
  };
}

const ephemeral = (project: string, name: string, sql: string, dependsOn: string[] = []): Json =>
  model(project, name, sql, { config: { enabled: true, meta: {}, materialized: 'ephemeral' }, depends_on: { nodes: dependsOn } });

/** What dbt-loom 0.9.6 puts into a downstream manifest for an upstream public model: no SQL, no columns, no meta. */
function loomCopy(project: string, name: string, version: string): Json {
  return {
    ...model(project, name, '', { version, latest_version: version, access: 'public' }),
    original_file_path: '',
    config: { enabled: true, meta: {}, materialized: 'view' },
  };
}

function manifest(project: string, nodes: Json[], more: Json = {}): string {
  return JSON.stringify({
    metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json', dbt_version: '1.11.0', project_name: project },
    nodes: Object.fromEntries(nodes.map((n) => [String(n['unique_id']), n])),
    sources: {},
    groups: {},
    ...more,
  });
}

const col = (name: string, dataType: string): [string, Json] => [name, { name, data_type: dataType, meta: {}, constraints: [] }];

/** `quanta run` on real DuckDB; its exit code and what it printed. */
async function run(dir: string, mesh: string): Promise<{ code: number; printed: string }> {
  const out: string[] = [];
  const host = new InProcessHost(1);
  try {
    const code = await runCli(['run', mesh], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      cwd: dir,
      createHost: () => host,
      createCatalogEngine: (h) => new QuantumCatalogEngine(h),
    });
    return { code, printed: out.join('') };
  } finally {
    await host.dispose();
  }
}

async function cli(dir: string, args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t), cwd: dir });
  return { code, out, err };
}

const SALES_NODES = [
  model('sales', 'orders', 'select 1 as id, 5.0 as amount union all select 2, 7.5', {
    version: '1',
    latest_version: '1',
    access: 'public',
    group: 'sales',
    columns: Object.fromEntries([col('id', 'integer'), col('amount', 'double')]),
  }),
];
const SALES = manifest('sales', SALES_NODES);
const FINANCE = manifest('finance', [
  loomCopy('sales', 'orders', '1'),
  model('finance', 'revenue', "select sum(amount) as total from {{ ref('sales', 'orders', v=1) }}", {
    access: 'public',
    group: 'finance',
    columns: Object.fromEntries([col('total', 'double')]),
    depends_on: { nodes: ['model.sales.orders.v1'] },
  }),
]);
const input = (json: string, shown: string): DbtProjectInput => ({ json, shown });

describe('quanta import dbt of several dbt projects', () => {
  it("makes one mesh: a cross-project ref is an input port on the upstream project's port, dbt-loom's copy of the upstream model skipped", async () => {
    const result = await importDbtProjects([input(SALES, 'sales/manifest.json'), input(FINANCE, 'finance/manifest.json')], {
      name: 'shop',
    });
    const loaded = await validated(result.files);
    expect(result.projects.map((p) => p.name)).toEqual(['sales', 'finance']);
    expect(result.project).toBe('shop');
    expect(result.products.map((p) => [p.id, p.domain])).toEqual([
      ['orders', 'sales'],
      ['revenue', 'finance'],
    ]);
    expect(loaded.mesh.products.find((p) => p.id === 'revenue')?.inputPorts.map((i) => i.contractId)).toEqual(['shop.sales.orders.orders']);
    expect(text(result.files, 'domains/finance/revenue/transform.sql')).toMatch(/select sum\(amount\) as total from orders/);
    expect(result.notes.map((n) => n.text)).toContain(
      "finance: 1 upstream node(s) dbt-loom copied into its manifest are taken from their own projects' manifests",
    );
  });

  it('refuses two manifests of one project, naming both', async () => {
    await expect(importDbtProjects([input(SALES, 'a/manifest.json'), input(SALES, 'b/manifest.json')])).rejects.toThrow(
      'a/manifest.json and b/manifest.json are both the manifest of dbt project sales: give each project once',
    );
  });

  it('names both manifests when a downstream manifest holds an upstream node its own manifest does not define, or two projects want one product id', async () => {
    const stale = manifest('finance', [
      loomCopy('sales', 'orders', '2'),
      model('finance', 'orders', "select * from {{ ref('sales', 'orders', v=2) }}", { depends_on: { nodes: ['model.sales.orders.v2'] } }),
    ]);
    const result = await importDbtProjects([input(SALES, 'sales/manifest.json'), input(stale, 'finance/manifest.json')]);
    await validated(result.files);
    const said = result.notes.map((n) => n.text);
    expect(said).toContain(
      'finance/manifest.json holds model.sales.orders.v2 of project sales, which sales/manifest.json does not define: finance was parsed against another build of sales; run dbt parse again in dependency order',
    );
    expect(said).toContain(
      'model orders: the product id orders was taken (by project sales, sales/manifest.json; this is finance, finance/manifest.json), so it is orders-2',
    );
    expect(said.join('\n')).toMatch(/model orders: not carried over.*ref\('sales', 'orders', v=2\).*not a node of the imported projects/);
  });

  it("imported alone, a downstream project's cross-project ref says to import the upstream manifest too", async () => {
    const result = await importDbtProjects([input(FINANCE, 'finance/manifest.json')]);
    await validated(result.files);
    expect(result.notes.map((n) => n.text).join('\n')).toContain(
      "model orders of package sales not carried over (only the imported projects' own nodes are; if sales is a dbt project whose models finance refs through dbt-loom, import its manifest too)",
    );
  });

  it('imports a folder of dbt projects, seeds from each project only, and the mesh runs on real DuckDB', async () => {
    const dir = await tempDir('dbt-import-projects');
    try {
      const projects = nodePath.join(dir, 'shop-dbt');
      const write = async (path: string, content: string): Promise<void> => {
        await fsp.mkdir(nodePath.dirname(nodePath.join(projects, path)), { recursive: true });
        await fsp.writeFile(nodePath.join(projects, path), content);
      };
      const seed = (project: string, name: string, path: string): Json => ({
        resource_type: 'seed',
        name,
        unique_id: `seed.${project}.${name}`,
        package_name: project,
        original_file_path: path,
        config: { enabled: true, meta: {} },
        columns: {},
      });
      await write('sales/dbt_project.yml', 'name: sales\n');
      await write('sales/seeds/rates.csv', 'currency,rate\nEUR,1\nUSD,2\n');
      await write('finance/dbt_project.yml', 'name: finance\n');
      await write('finance/seeds/secret.csv', 'secret\nFINANCE-ONLY\n');
      await write(
        'sales/target/manifest.json',
        manifest('sales', [
          ...SALES_NODES,
          seed('sales', 'rates', 'seeds/rates.csv'),
          seed('sales', 'peek', '../finance/seeds/secret.csv'),
        ]),
      );
      await write('finance/target/manifest.json', FINANCE);
      const made = await cli(dir, ['import', 'dbt', 'shop-dbt', '--out', 'mesh']);
      expect(made.err).toBe('');
      expect(made.code, made.out).toBe(0);
      expect(made.out).toContain('✓ mesh shop-dbt in mesh from 2 manifests (dbt projects finance, sales)');
      expect(made.out).toMatch(/seed peek: its file was not copied \(its path "\.\.\/finance\/seeds\/secret\.csv" is not a plain path/);
      const files = await listFiles(nodePath.join(dir, 'mesh'));
      expect(files).toContain('domains/sales/rates/data/rates_seed.csv');
      for (const file of files) expect(await fsp.readFile(nodePath.join(dir, 'mesh', file), 'utf8')).not.toContain('FINANCE-ONLY');
      const ran = await run(dir, 'mesh');
      expect(ran.code, ran.printed).toBe(0);
      expect(ran.printed).toMatch(/revenue\s+finance\s+published\s+1\s+1/);
      const refused = await cli(dir, ['import', 'dbt', 'shop-dbt', '--catalog', 'catalog.json', '--out', 'other']);
      expect(refused.code).toBe(2);
      expect(refused.err).toContain('--catalog is for one manifest');
      const empty = await cli(dir, ['import', 'dbt', 'mesh', '--out', 'other']);
      expect(empty.code).toBe(2);
      expect(empty.err).toContain('mesh holds no target/manifest.json, nor do its folders');
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('ephemeral models in quanta import dbt', () => {
  it('puts the CTEs after a leading WITH [RECURSIVE] (comments skipped), else before the query', () => {
    const ctes = [{ name: '__dbt__cte__e', sql: 'select 1 as x' }];
    expect(withCtes('select * from __dbt__cte__e', ctes)).toBe('WITH __dbt__cte__e AS (\nselect 1 as x\n)\nselect * from __dbt__cte__e');
    expect(withCtes('-- c\n/* d */ with a as (select 2) select * from a', ctes)).toBe(
      '-- c\n/* d */ with __dbt__cte__e AS (\nselect 1 as x\n),\na as (select 2) select * from a',
    );
    expect(withCtes('WITH RECURSIVE r(n) AS (select 1) select * from r', ctes)).toBe(
      'WITH RECURSIVE __dbt__cte__e AS (\nselect 1 as x\n),\nr(n) AS (select 1) select * from r',
    );
    expect(withCtes('select 1 as without', ctes)).toMatch(/^WITH __dbt__cte__e AS/);
    expect(withCtes('select 1', [])).toBe('select 1');
  });

  it('bounds what a hostile manifest can make it inline: nesting, CTEs per model, each named in a note', async () => {
    const chain = Array.from({ length: 100 }, (_, i) =>
      ephemeral(
        'shop',
        `e${i}`,
        i === 0 ? 'select 1 as x' : `select x from {{ ref('e${i - 1}') }}`,
        i === 0 ? [] : [`model.shop.e${i - 1}`],
      ),
    );
    const wide = Array.from({ length: 300 }, (_, i) => ephemeral('shop', `w${i}`, `select ${i} as x`));
    const result = await importDbtProjects([
      input(
        manifest('shop', [
          ...chain,
          ...wide,
          model('shop', 'deep', "select x from {{ ref('e99') }}", { depends_on: { nodes: ['model.shop.e99'] } }),
          model('shop', 'shallow', "select x from {{ ref('e10') }}", { depends_on: { nodes: ['model.shop.e10'] } }),
          model('shop', 'broad', wide.map((_, i) => `select x from {{ ref('w${i}') }}`).join(' union all ')),
        ]),
        'manifest.json',
      ),
    ]);
    await validated(result.files);
    const said = result.notes.map((n) => n.text).join('\n');
    expect(said).toMatch(/model deep: not carried over.*cannot be inlined: ephemeral models nested deeper than 64/);
    expect(said).toMatch(/model broad: not carried over.*ephemeral model w256 cannot be inlined: the model would inline more than 256/);
    expect(said).not.toMatch(/model shallow: not carried over/);
    expect(text(result.files, 'domains/shop/shallow/transform.sql').match(/__dbt__cte__e\d+ AS \(/g)).toHaveLength(11);
  });

  it('inlines an ephemeral model into each model that reads it, nested ones first, and the mesh runs on real DuckDB', async () => {
    const dir = await tempDir('dbt-import-ephemeral');
    try {
      const meta = (q: Json): Json => ({ enabled: true, materialized: 'table', meta: { quanta: q } });
      const json = manifest('shop', [
        model('shop', 'base', 'select 1 as x union all select 2 union all select 3', {
          access: 'public',
          columns: Object.fromEntries([col('x', 'integer')]),
        }),
        ephemeral('shop', 'e1', "select x from {{ ref('base') }} where x > 1", ['model.shop.base']),
        ephemeral('shop', 'e2', "-- tens\nwith big as (select * from {{ ref('e1') }}) select x * 10 as y from big", ['model.shop.e1']),
        model('shop', 'report', "with r as (select * from {{ ref('e2') }}) select y from r where y >= 20", {
          access: 'public',
          columns: Object.fromEntries([col('y', 'integer')]),
          depends_on: { nodes: ['model.shop.e2'] },
        }),
        model('shop', 'other', "select count(*) as n from {{ ref('e1') }}", {
          access: 'public',
          depends_on: { nodes: ['model.shop.e1'] },
        }),
        // A product of two models (an export's meta.quanta): its port reads, through an ephemeral, its intermediate table.
        model('shop', 'p_out', "select x from {{ ref('e_mid') }}", {
          config: meta({ product: 'p', domain: 'shop', port: 'out' }),
          depends_on: { nodes: ['model.shop.e_mid'] },
        }),
        ephemeral('shop', 'e_mid', "select x + 100 as x from {{ ref('p_mid') }}", ['model.shop.p_mid']),
        model('shop', 'p_mid', "select x from {{ ref('base') }}", {
          config: meta({ product: 'p', domain: 'shop', table: 'mid' }),
          depends_on: { nodes: ['model.shop.base'] },
        }),
        ephemeral('shop', 'bad', "select {{ dbt_utils.star('x') }} from {{ ref('base') }}", ['model.shop.base']),
        model('shop', 'uses_bad', "select * from {{ ref('bad') }}", { access: 'public', depends_on: { nodes: ['model.shop.bad'] } }),
        ephemeral('shop', 'lonely', 'select 1 as x'),
      ]);
      const result = await importDbtProjects([input(json, 'manifest.json')]);
      await validated(result.files);
      expect(result.products.map((p) => p.id).sort()).toEqual(['base', 'other', 'p', 'report', 'uses_bad']);
      const report = text(result.files, 'domains/shop/report/transform.sql');
      expect(report).toContain('with __dbt__cte__e1 AS (\nselect x from base where x > 1\n),\n__dbt__cte__e2 AS (\n-- tens\nwith big');
      expect(report).toContain('with big as (select * from __dbt__cte__e1)');
      const said = result.notes.map((n) => n.text);
      expect(said).toContain(
        'model e1 is ephemeral in dbt: inlined as a CTE into the transform of report, other, as dbt compiles it, not a product',
      );
      expect(said).toContain('model lonely is ephemeral in dbt: no model carried over reads it, so it is not carried over');
      expect(said).toContain('model bad is ephemeral in dbt: not a product, and not inlined (uses_bad cannot inline it: see their notes)');
      expect(said.join('\n')).toMatch(
        /model uses_bad: not carried over.*\{\{ ref\('bad'\) \}\} \(ephemeral model bad cannot be inlined: line 1: \{\{ dbt_utils\.star\('x'\) \}\}\)/,
      );
      await fsp.writeFile(nodePath.join(dir, 'manifest.json'), json);
      const made = await cli(dir, ['import', 'dbt', 'manifest.json', '--out', 'mesh']);
      expect(made.code, made.out + made.err).toBe(0);
      const ran = await run(dir, 'mesh');
      expect(ran.code, ran.printed).toBe(1);
      expect(ran.printed).toMatch(/report\s+shop\s+published\s+1\s+2/);
      expect(ran.printed).toMatch(/other\s+shop\s+published\s+1\s+1/);
      expect(ran.printed).toMatch(/\bp\s+shop\s+published\s+1\s+3/);
      expect(ran.printed).toMatch(/uses_bad failed: .*ephemeral model bad cannot be inlined/);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
