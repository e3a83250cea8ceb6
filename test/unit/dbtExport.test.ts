import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exportDbtFrom, jinjaInert, type DbtExport } from '../../core/export/dbtExport.ts';
import { planProjects } from '../../core/export/dbtLayout.ts';
import { modelName } from '../../core/export/dbtNames.ts';
import { SPARK_SEED_MACRO } from '../../core/export/dbtSeeds.ts';
import { sparkType } from '../../core/export/dbtTypes.ts';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import type { Mesh } from '../../core/model/types.ts';
import { sampleInMemory } from '../helpers.ts';

/*
 * The dbt project `quanta export dbt` writes, read back as dbt would read it (YAML, SQL text).
 * That dbt really builds it — on DuckDB and on Spark, with the same rows as Quanta's run — is
 * proven by the interop suite (test/interop, `npm run test:interop`).
 */

async function exported(name: string, edit: Record<string, (text: string) => string> = {}): Promise<{ mesh: Mesh; out: DbtExport }> {
  const { files } = await sampleInMemory(name);
  for (const [path, change] of Object.entries(edit)) {
    const bytes = files[path];
    if (bytes === undefined) throw new Error(`${path} is not in ${name}`);
    files[path] = change(typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes));
  }
  const fs = new MemoryFileSystem(files);
  const { mesh } = await loadMesh(fs);
  const out = await exportDbtFrom(fs, mesh, { spark: (sql) => ({ sql: `/* spark */ ${sql}` }) });
  return { mesh, out };
}

type ModelYaml = {
  name: string;
  group: string;
  access: string;
  latest_version: number;
  config: { contract: { enforced: boolean }; meta: { quanta: Record<string, unknown> } };
  versions: { v: number; columns?: { name: string; data_type?: string; data_tests?: unknown[] }[] }[];
};

function modelsOf(out: DbtExport): ModelYaml[] {
  return [...out.files]
    .filter(([path]) => /^models\/[^/]+\/_[^/]+__models\.yml$/.test(path))
    .flatMap(([, text]) => (parse(text) as { models: ModelYaml[] }).models);
}

describe('quanta export dbt', () => {
  it('makes a model per output port of every daff product, each with its SQL file, version and group', async () => {
    const { mesh, out } = await exported('daff');
    const ports = mesh.products.flatMap((p) => p.outputPorts.map((port) => modelName(p.id, port.name)));
    const models = modelsOf(out);
    expect(models.map((m) => m.name).sort()).toEqual(expect.arrayContaining(ports));
    for (const product of mesh.products) {
      for (const port of product.outputPorts) {
        const model = models.find((m) => m.name === modelName(product.id, port.name));
        expect(model?.group, port.name).toBe(product.domain.replace(/-/g, '_'));
        expect(model?.latest_version).toBe(Number(port.contract?.version.split('.')[0] ?? 1));
        const file = [...out.files.keys()].find((f) => f.endsWith(`/${model?.name}_v${model?.latest_version}.sql`));
        expect(file, `${model?.name} has a SQL file`).toBeDefined();
      }
    }
  });

  it('binds every input port to its upstream model with ref() and keeps the transform text as written', async () => {
    const { mesh, out } = await exported('hello-mesh');
    const sql = out.files.get('models/finance/daily_revenue/daily_revenue__daily_revenue_v1.sql') ?? '';
    expect(sql).toContain("orders AS (SELECT * FROM {{ ref('orders__orders', v=1) }})");
    const transform = mesh.products.find((p) => p.id === 'daily-revenue')?.transform?.text ?? '';
    expect(sql).toContain(transform.trim());
    // Both dialects, picked by the target at parse time; the Spark branch is the transpiler's.
    expect(sql).toMatch(/^\{% if target\.type == 'spark' %\}\n[\s\S]*\/\* spark \*\/[\s\S]*\{% else %\}[\s\S]*\{% endif %\}\n$/);
  });

  it('enforces the model contract with the ODCS types and casts the columns to them', async () => {
    const { out } = await exported('hello-mesh');
    const orders = modelsOf(out).find((m) => m.name === 'orders__orders');
    expect(orders?.config.contract.enforced).toBe(true);
    const columns = orders?.versions[0]?.columns ?? [];
    expect(columns.map((c) => [c.name, c.data_type])).toEqual([
      ['order_id', "{{ 'int' if target.type == 'spark' else 'INTEGER' }}"],
      ['ordered_at', 'TIMESTAMP'],
      ['customer_email', "{{ 'string' if target.type == 'spark' else 'VARCHAR' }}"],
      ['amount_eur', 'DECIMAL(10,2)'],
    ]);
    const sql = out.files.get('models/finance/daily_revenue/daily_revenue__daily_revenue_v1.sql') ?? '';
    expect(sql).toContain('CAST(revenue_eur AS DECIMAL(18,2)) AS revenue_eur');
    expect(sql).toContain('CAST(revenue_eur AS decimal(18,2)) AS revenue_eur');
  });

  it("turns the contract's rules into dbt tests: generic where dbt has them, Quanta's compiled check otherwise", async () => {
    const { out } = await exported('hello-mesh');
    const orders = modelsOf(out).find((m) => m.name === 'orders__orders');
    const orderId = orders?.versions[0]?.columns?.find((c) => c.name === 'order_id');
    expect(orderId?.data_tests).toEqual(['not_null', 'unique']);
    const rowCount = out.files.get('tests/sales/orders__orders__orders_quality_0.sql') ?? '';
    expect(rowCount).toContain('SELECT count(*) AS value, count(*) AS total FROM "orders"');
    expect(rowCount).toContain('NOT (measured > 0)');
    // A sql rule runs its own query against the model, not through DuckDB's query().
    const sqlRule = out.files.get('tests/sales/orders__orders__orders_amount_eur_quality_0.sql') ?? '';
    expect(sqlRule).toContain('SELECT COUNT(*) FROM orders WHERE amount_eur < 0');
    expect(sqlRule).not.toContain('query(');
  });

  it('maps port visibility to dbt access', async () => {
    const withVisibility = (text: string): string =>
      text.replace(
        '    contractId: hello.sales.orders',
        '    contractId: hello.sales.orders\n    customProperties:\n      - property: visibility\n        value: domain',
      );
    const { out } = await exported('hello-mesh', { 'domains/sales/orders/product.odps.yaml': withVisibility });
    expect(modelsOf(out).find((m) => m.name === 'orders__orders')?.access).toBe('protected');
    expect(modelsOf(out).find((m) => m.name === 'daily_revenue__daily_revenue')?.access).toBe('public');
  });

  it('writes seed files: the CSV as it is, generated sources from the same seed, with the types Quanta loads them with', async () => {
    const { out } = await exported('daff');
    const seeds = parse(out.files.get('seeds/_seeds.yml') ?? '') as {
      seeds: { name: string; config: { column_types?: Record<string, string> } }[];
    };
    expect(seeds.seeds.length).toBeGreaterThan(5);
    const again = await exported('daff');
    for (const [path, text] of out.files) if (path.startsWith('seeds/')) expect(again.out.files.get(path), path).toBe(text);
    const hello = await exported('hello-mesh');
    expect(hello.out.files.get('seeds/sales/orders__orders_csv.csv')?.split('\n')[0]).toBe('order_id,ordered_at,customer_email,amount_eur');
  });

  it('keeps Jinja in mesh text inert, and refuses SQL that would end a raw block', async () => {
    const hostile = (text: string): string =>
      text.replace('description: All orders, one row per order.', 'description: "{{ run_query(\'drop table x\') }}"');
    const { out } = await exported('hello-mesh', {
      'domains/sales/orders/product.odps.yaml': hostile,
      'domains/finance/daily-revenue/transform.sql': (sql) => `${sql.trim()}\n-- {% endraw %}{{ env_var('HOME') }}\n`,
    });
    for (const [path, text] of out.files) {
      // The Spark seed macro is Quanta's own text, the same in every export (no mesh text in it).
      if (path.startsWith('macros/')) {
        expect(text).toBe(SPARK_SEED_MACRO);
        continue;
      }
      // Every Jinja expression in the project is one Quanta wrote.
      const expressions = text.replace(/\{% raw %\}[\s\S]*?\{% endraw %\}/g, '').match(/\{\{[^}]*\}\}/g) ?? [];
      for (const e of expressions)
        expect(e, path).toMatch(/^\{\{ (ref\('|'[a-z]+\(?[0-9,]*\)?' if target|exceptions\.raise_compiler_error|config\()/);
    }
    expect(out.files.get('models/sales/_sales__models.yml')).toContain("{% raw %}{{ run_query('drop table x') }}{% endraw %}");
    expect(out.files.has('models/finance/daily_revenue/daily_revenue__daily_revenue_v1.sql')).toBe(false);
    expect(out.notes.map((n) => n.text).join('\n')).toContain('{% endraw');
    expect(jinjaInert('a {{ b }}')).toBe('{% raw %}a {{ b }}{% endraw %}');
    expect(jinjaInert('{%- endraw %}')).toBeUndefined();
  });

  it('lists what a transform has that dbt cannot carry instead of dropping it', async () => {
    const { out } = await exported('hello-mesh', {
      'domains/finance/daily-revenue/transform.sql': (sql) => `SET threads = 1;\n${sql}`,
    });
    expect(out.notes.some((n) => n.product === 'daily-revenue' && n.text.includes('SET threads'))).toBe(true);
    expect(out.files.get('README.md')).toContain('SET threads');
  });

  it('writes Spark type names for the DuckDB types a contract declares', () => {
    expect(sparkType('VARCHAR')).toBe('string');
    expect(sparkType('DECIMAL(10, 2)')).toBe('decimal(10,2)');
    expect(sparkType('HUGEINT')).toBe('decimal(38,0)');
    expect(sparkType('TIMESTAMP WITH TIME ZONE')).toBe('timestamp');
    expect(sparkType('STRUCT(a INT)')).toBeUndefined();
  });
});

describe('quanta export dbt --layout project-per-domain', () => {
  async function perDomain(name: string, edit: Record<string, (text: string) => string> = {}): Promise<DbtExport> {
    const { files } = await sampleInMemory(name);
    for (const [path, change] of Object.entries(edit)) {
      const bytes = files[path];
      if (bytes === undefined) throw new Error(`${path} is not in ${name}`);
      files[path] = change(typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes));
    }
    const fs = new MemoryFileSystem(files);
    const { mesh } = await loadMesh(fs);
    return exportDbtFrom(fs, mesh, { layout: 'project-per-domain' });
  }

  it('makes a dbt project per domain, each with its own project file, profiles, models and tests', async () => {
    const out = await perDomain('hello-mesh');
    expect(out.projects.map((p) => [p.name, p.domains, p.upstream])).toEqual([
      ['sales', ['sales'], []],
      ['finance', ['finance'], ['sales']],
    ]);
    for (const project of ['sales', 'finance']) {
      expect((parse(out.files.get(`${project}/dbt_project.yml`) ?? '') as { name: string }).name).toBe(project);
      const profiles = parse(out.files.get(`${project}/profiles.yml`) ?? '') as Record<
        string,
        { outputs: { duckdb: { path: string; schema: string } } }
      >;
      // One warehouse next to the projects, a schema per project: the upstream's tables are where its manifest says.
      expect(profiles[`quanta_${project}`]?.outputs.duckdb).toMatchObject({ path: '../quanta.duckdb', schema: project });
    }
    expect(out.files.has('sales/models/sales/orders/orders__orders_v1.sql')).toBe(true);
    expect(out.files.has('sales/seeds/sales/orders__orders_csv.csv')).toBe(true);
    expect([...out.files.keys()].filter((f) => f.startsWith('finance/tests/finance/')).length).toBeGreaterThan(0);
    expect(new Map(out.models.map((m) => [m.model, m.project]))).toEqual(
      new Map([
        ['orders__orders', 'sales'],
        ['daily_revenue__daily_revenue', 'finance'],
      ]),
    );
  });

  it("reads another domain's model with a cross-project ref, wired by dbt-loom to the upstream manifest", async () => {
    const out = await perDomain('hello-mesh');
    const sql = out.files.get('finance/models/finance/daily_revenue/daily_revenue__daily_revenue_v1.sql') ?? '';
    expect(sql).toContain("orders AS (SELECT * FROM {{ ref('sales', 'orders__orders', v=1) }})");
    expect(parse(out.files.get('finance/dbt_loom.config.yml') ?? '')).toEqual({
      manifests: [{ name: 'sales', type: 'file', config: { path: '../sales/target/manifest.json' } }],
    });
    expect(out.files.has('sales/dbt_loom.config.yml')).toBe(false);
    const readme = out.files.get('README.md') ?? '';
    expect(readme).toContain('1. `sales` (domain sales)\n2. `finance` (domain finance) — after sales');
    expect(readme.indexOf('(cd sales && dbt build')).toBeLessThan(readme.indexOf('(cd finance && dbt build'));
  });

  it('puts domains that depend on each other in a cycle into one project, and says so', async () => {
    // customer-360 (customers) reads loyalty points; a foreign key from loyalty to customers closes the cycle.
    const out = await perDomain('retail', {
      'domains/loyalty/loyalty-points/point_events.odcs.yaml': (text) =>
        text.replace(
          /( {6}- name: customer_id\n {8}logicalType: string\n {8}physicalType: VARCHAR\n {8}required: true\n)/,
          '$1        relationships:\n          - to: customers.customer_id\n',
        ),
    });
    const merged = out.projects.find((p) => p.domains.includes('loyalty'));
    expect(merged).toMatchObject({ name: 'customers_loyalty', domains: ['customers', 'loyalty'] });
    expect(out.notes.map((n) => n.text)).toContain(
      'domains customers, loyalty depend on each other in a cycle, which dbt forbids between projects: they are one project, customers_loyalty',
    );
    // Build order: every project after the projects it reads.
    const position = new Map(out.projects.map((p, i) => [p.name, i]));
    for (const project of out.projects)
      for (const upstream of project.upstream)
        expect(position.get(upstream), `${upstream} before ${project.name}`).toBeLessThan(position.get(project.name) ?? -1);
    const yaml = out.files.get('customers_loyalty/models/loyalty/_loyalty__models.yml') ?? '';
    // In one project now, so the ref is a plain one.
    expect(yaml).toContain(`relationships: { arguments: { to: "ref('customer_registry__customers', v=1)", field: customer_id } }`);
  });
});

describe('the dbt projects of a layout', () => {
  it('orders projects after the ones they read, merges a cycle, and renames what dbt reserves', () => {
    const deps = new Map([
      ['web', new Set(['source', 'model'])],
      ['source', new Set(['model'])],
      ['model', new Set(['source'])],
    ]);
    const { projects, cycles } = planProjects('project-per-domain', 'mesh', ['web', 'source', 'model', 'dbt-tools'], deps);
    expect(projects.map((p) => [p.name, p.domains, p.upstream])).toEqual([
      ['dbt_tools_project', ['dbt-tools'], []],
      ['model_source', ['model', 'source'], []],
      ['web', ['web'], ['model_source']],
    ]);
    expect(cycles).toEqual([['model', 'source']]);
    expect(planProjects('one-project', 'source', ['a'], new Map()).projects.map((p) => [p.name, p.dir])).toEqual([['source_project', '']]);
  });
});

describe('ODCS relationships in the dbt export', () => {
  it('become relationships tests on the column, resolved against the ports of the mesh', async () => {
    const { out } = await exported('retail');
    const columnTests = (model: string, column: string): unknown[] =>
      modelsOf(out)
        .find((m) => m.name === model)
        ?.versions[0]?.columns?.find((c) => c.name === column)?.data_tests ?? [];
    const toItems = { relationships: { arguments: { to: "ref('stock_levels__items', v=1)", field: 'sku' } } };
    expect(columnTests('online_orders__online_order_lines', 'sku')).toContainEqual(toItems);
    expect(columnTests('store_orders__store_sales', 'sku')).toContainEqual(toItems);
    // A schema-level relationship (from + to) lands on its from column.
    expect(columnTests('stock_levels__stock_levels', 'sku')).toContainEqual(toItems);
    expect(columnTests('customer_360__customer_360', 'customer_id')).toContainEqual({
      relationships: { arguments: { to: "ref('customer_registry__customers', v=1)", field: 'customer_id' } },
    });
  });

  it('lists a relationship it cannot resolve instead of dropping it, and makes a composite key a singular test', async () => {
    const lines = 'domains/orders/online-orders/online_order_lines.odcs.yaml';
    const { out } = await exported('retail', {
      [lines]: (text) =>
        text
          .replace('to: items.sku', 'to: catalogue.sku')
          .replace(
            '  - name: online_order_lines\n    physicalType: table\n',
            [
              '  - name: online_order_lines',
              '    physicalType: table',
              '    relationships:',
              '      - from: [online_order_lines.fulfilment_store_id, online_order_lines.sku]',
              '        to: [stock_levels.store_id, stock_levels.sku]',
              '      - from: online_order_lines.customer_id',
              '        to: customers/customers_tbl/properties/customer_id',
              '',
            ].join('\n'),
          ),
    });
    const notes = out.notes.filter((n) => n.product === 'online-orders').map((n) => n.text);
    expect(notes).toContain('relationship sku → catalogue.sku not exported: no port of the mesh has a schema object "catalogue"');
    expect(notes).toContain(
      'relationship customer_id → customers/customers_tbl/properties/customer_id: only shorthand <schemaObject>.<property> references to one schema object are resolved',
    );
    expect(out.files.get('README.md')).toContain('catalogue.sku');
    const composite = out.files.get('tests/orders/online_orders__online_order_lines__relationship_fulfilment_store_id_sku.sql') ?? '';
    expect(composite).toContain("SELECT child.* FROM {{ ref('online_orders__online_order_lines', v=1) }} AS child");
    expect(composite).toContain('WHERE child.fulfilment_store_id IS NOT NULL AND child.sku IS NOT NULL');
    expect(composite).toContain(
      "AND NOT EXISTS (SELECT 1 FROM {{ ref('stock_levels__stock_levels', v=1) }} AS parent WHERE parent.store_id = child.fulfilment_store_id AND parent.sku = child.sku)",
    );
  });
});
