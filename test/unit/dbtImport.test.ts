import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDbt } from '../../core/import/dbt/dbtImport.ts';
import { parseTemplate, renderDbtSql } from '../../core/import/dbt/jinja.ts';
import { runCli } from '../../core/node/cli.ts';
import { isSafeGeneratedPath } from '../../core/node/generatedFolder.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { listFiles, tempDir } from '../helpers.ts';
import { text, validated } from '../support/importedMesh.ts';

/*
 * `quanta import dbt` on manifests written by hand in the shapes dbt 1.5–1.11 write (schema
 * v9–v12): the mesh it makes loads and validates with the project's own loader, hostile
 * names stay inside the mesh, and what is not carried over is said.
 */

type Json = Record<string, unknown>;

function model(name: string, sql: string, extra: Json = {}): Json {
  return {
    resource_type: 'model',
    name,
    package_name: 'shop',
    unique_id: `model.shop.${name}${extra['version'] !== undefined ? `.v${String(extra['version'])}` : ''}`,
    original_file_path: `models/${name}.sql`,
    raw_code: sql,
    language: 'sql',
    config: { enabled: true, meta: {}, tags: [] },
    columns: {},
    depends_on: { nodes: [] },
    ...extra,
  };
}

function manifest(version: number, nodes: Json[], more: Json = {}): string {
  return JSON.stringify({
    metadata: { dbt_schema_version: `https://schemas.getdbt.com/dbt/manifest/v${version}.json`, dbt_version: '1.x', project_name: 'shop' },
    nodes: Object.fromEntries(nodes.map((n) => [String(n['unique_id']), n])),
    sources: {},
    groups: {},
    ...more,
  });
}

const col = (name: string, dataType?: string, extra: Json = {}): [string, Json] => [
  name,
  { name, description: '', meta: {}, ...(dataType ? { data_type: dataType } : {}), constraints: [], ...extra },
];

function shop(version: number): string {
  return manifest(
    version,
    [
      model('stg_orders', "select * from {{ source('raw', 'orders') }} where amount >= 0", {
        group: 'sales',
        access: 'protected',
        columns: Object.fromEntries([
          col('order_id', 'integer', { constraints: [{ type: 'not_null' }, { type: 'primary_key' }] }),
          col('amount', 'decimal(10,2)'),
          col('status', 'varchar'),
        ]),
        depends_on: { nodes: ['source.shop.raw.orders'] },
      }),
      model('orders', "{{ config(materialized='table') }}\nselect order_id, amount, status from {{ ref('stg_orders') }}", {
        group: 'sales',
        access: 'public',
        version: 2,
        latest_version: 2,
        description: 'One row per order.',
        columns: Object.fromEntries([
          col('order_id', 'INTEGER'),
          col('amount', 'DECIMAL(10,2)'),
          col('status', 'VARCHAR', { meta: { classification: 'internal' } }),
        ]),
        depends_on: { nodes: ['model.shop.stg_orders'] },
      }),
      model('orders', 'select 1 as order_id', { group: 'sales', access: 'public', version: 1, latest_version: 2 }),
      model('revenue', "select sum(amount) as total from {{ ref('orders', v=2) }} {# comment #}", {
        access: 'private',
        group: 'customer_success',
        columns: Object.fromEntries([col('total', 'DOUBLE')]),
        depends_on: { nodes: ['model.shop.orders.v2'] },
      }),
      {
        resource_type: 'test',
        name: 'accepted_values_orders_status',
        unique_id: 'test.shop.accepted_values_orders_status',
        package_name: 'shop',
        column_name: 'status',
        attached_node: 'model.shop.orders.v2',
        test_metadata: { name: 'accepted_values', kwargs: { column_name: 'status', values: ['open', 'paid'] } },
        config: { severity: 'warn' },
        depends_on: { nodes: ['model.shop.orders.v2'] },
      },
      {
        resource_type: 'test',
        name: 'unique_orders_order_id',
        unique_id: 'test.shop.unique_orders_order_id',
        package_name: 'shop',
        column_name: 'order_id',
        attached_node: 'model.shop.orders.v2',
        test_metadata: { name: 'unique', kwargs: { column_name: 'order_id' } },
        config: { severity: 'ERROR' },
        depends_on: { nodes: ['model.shop.orders.v2'] },
      },
      {
        resource_type: 'seed',
        name: 'countries',
        unique_id: 'seed.shop.countries',
        package_name: 'shop',
        original_file_path: 'seeds/countries.csv',
        config: { enabled: true, meta: {}, column_types: {} },
        columns: {},
      },
    ],
    {
      sources: {
        'source.shop.raw.orders': {
          unique_id: 'source.shop.raw.orders',
          source_name: 'raw',
          name: 'orders',
          description: 'The shop database',
          columns: Object.fromEntries([col('order_id', 'integer'), col('amount', 'decimal(10,2)'), col('status', 'varchar')]),
          meta: {},
          tags: [],
        },
      },
      groups: {
        'group.shop.sales': { name: 'sales', owner: { name: 'Sales Team', email: 'sales@example.com' }, description: 'Selling things' },
        'group.shop.customer_success': { name: 'customer_success', owner: { name: 'Jane_Doe.Ops' } },
      },
    },
  );
}

describe('quanta import dbt: a manifest as a mesh', () => {
  it.each([9, 10, 11, 12])(
    'reads schema v%i into a mesh the loader validates: groups as domains, refs and sources as input ports',
    async (version) => {
      const result = await importDbt(shop(version));
      expect(result.schemaVersion).toBe(version);
      const loaded = await validated(result.files);
      const { mesh } = loaded;
      expect(mesh.domains.map((d) => d.id).sort()).toEqual(['customer-success', 'sales', 'shop']);
      expect(mesh.products.map((p) => p.id).sort()).toEqual(['countries', 'orders', 'raw', 'revenue', 'stg_orders']);
      const orders = mesh.products.find((p) => p.id === 'orders');
      expect(orders?.outputPorts.map((p) => [p.name, p.contract?.version])).toEqual([['orders', '2.0.0']]);
      expect(orders?.inputPorts.map((p) => p.name)).toEqual(['stg_orders']);
      expect(orders?.transform?.text).toContain('from stg_orders');
      expect(orders?.transform?.text).not.toContain('{{');
      const contract = text(result.files, 'domains/sales/orders/orders.odcs.yaml');
      expect(contract).toMatch(/metric: invalidValues[\s\S]*validValues: \[open, paid\][\s\S]*severity: warning/);
      expect(contract).toMatch(/name: order_id[\s\S]*unique: true/);
      expect(contract).toContain('classification: internal');
      const staging = text(result.files, 'domains/sales/stg_orders/stg_orders.odcs.yaml');
      expect(staging).toMatch(/name: order_id[\s\S]*primaryKey: true[\s\S]*required: true/);
      expect(text(result.files, 'domains/sales/stg_orders/product.odps.yaml')).toContain('value: domain');
      expect(text(result.files, 'domains/customer-success/revenue/product.odps.yaml')).toContain('value: private');
      expect(text(result.files, 'mesh.yaml')).toContain('id: jane-doe-ops');
      expect(mesh.products.find((p) => p.id === 'revenue')?.transform?.text).toContain('from orders');
      expect(text(result.files, 'mesh.yaml')).toContain('Sales Team');
      // The dbt source is a source-aligned product generating placeholder rows, and says so.
      expect(mesh.products.find((p) => p.id === 'raw')?.settings?.archetype).toBe('source-aligned');
      expect(result.notes.map((n) => n.text).join('\n')).toMatch(/source raw.orders: a manifest holds no data/);
      expect(result.notes.map((n) => n.text).join('\n')).toMatch(/model orders version 1: only the latest version \(2\)/);
      expect(result.notes.map((n) => n.text).join('\n')).toMatch(/seed countries: its file was not copied \(no dbt project was read\)/);
      for (const path of result.files.keys()) expect(isSafeGeneratedPath(path), path).toBe(true);
    },
  );

  it('refuses a manifest of an unknown schema version, naming it and the versions it reads', async () => {
    await expect(importDbt(shop(8))).rejects.toThrow(/manifest\/v8\.json is not one Quanta reads \(v9–v12/);
    await expect(importDbt(shop(13))).rejects.toThrow(/v13/);
    await expect(importDbt('{"nodes": {}}')).rejects.toThrow(/no metadata.dbt_schema_version/);
    await expect(importDbt('[1, 2]')).rejects.toThrow(/not a dbt manifest/);
  });

  it('says where invalid JSON breaks, as line:column', async () => {
    await expect(importDbt('{\n  "metadata": {\n    "x": 1,,\n  }\n}', {}, 'target/manifest.json')).rejects.toThrow(
      /^target\/manifest\.json:3:\d+: not valid JSON/,
    );
  });

  it('turns hostile node names into mesh ids: no path leaves the mesh folder', async () => {
    const json = manifest(12, [
      model('../../etc/passwd', 'select 1 as a', { unique_id: 'model.shop.evil', group: '../../root', access: 'public' }),
      model('/abs/olute', "select * from {{ ref('../../etc/passwd') }}", {
        unique_id: 'model.shop.abs',
        depends_on: { nodes: ['model.shop.evil'] },
      }),
      model('..', 'select 2 as b', {
        unique_id: 'model.shop.dots',
        columns: Object.fromEntries([col('b\u202Eevil', 'INTEGER'), col('b', 'INTEGER')]),
      }),
    ]);
    const result = await importDbt(json);
    for (const path of result.files.keys()) {
      expect(isSafeGeneratedPath(path), path).toBe(true);
      expect(path.split('/')).not.toContain('..');
    }
    expect(result.products.map((p) => p.id).sort()).toEqual(['abs-olute', 'etc-passwd', 'unnamed']);
    expect(result.products.find((p) => p.id === 'unnamed')?.ports[0]?.columns.map((c) => c.name)).toEqual(['b']);
    expect(result.notes.map((n) => n.text).join('\n')).toMatch(/1 columns whose names hold control characters/);
    await validated(result.files);
  });

  it('keeps Jinja it cannot say in SQL out of the transform, lists it, and makes the transform fail by name', async () => {
    const json = manifest(12, [
      model('daily', "select * from {{ ref('missing') }} where day > '{{ var(\"start\") }}'\n{% for x in [1] %}{{ x }}{% endfor %}"),
    ]);
    const result = await importDbt(json);
    const transform = text(result.files, 'domains/shop/daily/transform.sql');
    expect(transform).toMatch(/SELECT error\('imported from dbt with Jinja Quanta does not carry over/);
    const said = result.notes.map((n) => n.text).join('\n');
    expect(said).toMatch(/model daily: not carried over.*ref\('missing'\).*var\("start"\).*\{% for x in \[1\] %\}/);
    await validated(result.files);
  });
});

describe('the Jinja of dbt SQL, parsed', () => {
  const resolve = (call: { kind: string; name?: string; table?: string }): { table: string } => ({
    table: `T_${call.name ?? call.table ?? ''}`,
  });

  it('resolves ref() and source() in all their spellings and keeps raw blocks literal', () => {
    const out = renderDbtSql(
      "{{ ref('a') }} {{ref(\"pkg\", 'b')}} {{ ref('c', v=2) }} {{ ref('d', version='1') }} {{ source('s', 'e') }} {% raw %}{{ not_jinja }}{% endraw %}",
      resolve,
    );
    expect(out.unsupported).toEqual([]);
    expect(out.sql).toBe('T_a T_b T_c T_d T_e {{ not_jinja }}');
  });

  it('takes the branch of target.type, honours whitespace control, drops comments, and reads strings holding delimiters', () => {
    const out = renderDbtSql(
      "{% if target.type == 'spark' %}spark{% else %}duckdb{% endif %} a  {{- ref('x}}') -}}  b {# gone #}{% if target.type != 'duckdb' %}no{% endif %}",
      resolve,
    );
    expect(out.sql).toBe('duckdb aT_x}}b ');
  });

  it('reports unclosed tags with their line', () => {
    expect(() => parseTemplate('select\n{{ ref("a")')).toThrow(/line 2: "\{\{" is never closed/);
    expect(() => parseTemplate('{% if target.type == "x" %}a')).toThrow(/no \{% endif %\}/);
  });
});

describe('quanta import dbt (the command)', () => {
  const io = (cwd: string): { out: string[]; err: string[]; io: Parameters<typeof runCli>[1] } => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t) => out.push(t), err: (t) => err.push(t), cwd } };
  };

  it('copies seeds from the dbt project beside the manifest, but never a file outside it', async () => {
    const dir = await tempDir('dbt-import');
    try {
      const project = nodePath.join(dir, 'project');
      await fsp.mkdir(nodePath.join(project, 'target'), { recursive: true });
      await fsp.mkdir(nodePath.join(project, 'seeds'), { recursive: true });
      await fsp.writeFile(nodePath.join(project, 'dbt_project.yml'), 'name: shop\n');
      await fsp.writeFile(nodePath.join(project, 'seeds', 'countries.csv'), 'code,name\nde,Germany\nfr,France\n');
      await fsp.writeFile(nodePath.join(dir, 'secret.csv'), 'secret\nTOP-SECRET\n');
      await fsp.symlink(nodePath.join(dir, 'secret.csv'), nodePath.join(project, 'seeds', 'linked.csv'));
      const seed = (name: string, path: string): Json => ({
        resource_type: 'seed',
        name,
        unique_id: `seed.shop.${name}`,
        package_name: 'shop',
        original_file_path: path,
        config: { enabled: true, meta: {} },
        columns: {},
      });
      await fsp.writeFile(
        nodePath.join(project, 'target', 'manifest.json'),
        manifest(11, [
          seed('countries', 'seeds/countries.csv'),
          seed('up', '../secret.csv'),
          seed('abs', nodePath.join(dir, 'secret.csv')),
          seed('linked', 'seeds/linked.csv'),
        ]),
      );
      const run = io(dir);
      const code = await runCli(['import', 'dbt', 'project/target/manifest.json', '--out', 'mesh'], run.io);
      expect(run.err.join('')).toBe('');
      expect(code, run.out.join('')).toBe(0);
      const mesh = nodePath.join(dir, 'mesh');
      const files = await listFiles(mesh);
      expect(files).toContain('domains/shop/countries/data/countries_seed.csv');
      expect(await fsp.readFile(nodePath.join(mesh, 'domains/shop/countries/data/countries_seed.csv'), 'utf8')).toContain('de,Germany');
      for (const file of files) expect(await fsp.readFile(nodePath.join(mesh, file), 'utf8')).not.toContain('TOP-SECRET');
      const printed = run.out.join('');
      expect(printed).toMatch(/seed up: its file was not copied \(its path "\.\.\/secret\.csv" is not a plain path inside the project\)/);
      expect(printed).toMatch(/seed abs: its file was not copied \(its path .* is not a plain path/);
      expect(printed).toMatch(/seed linked: its file was not copied \(seeds\/linked\.csv leads outside the project\)/);
      const validate = io(dir);
      expect(await runCli(['validate', 'mesh'], validate.io), validate.out.join('')).toBe(0);
      // A second import replaces its own mesh; a folder someone else filled is refused, untouched.
      expect(await runCli(['import', 'dbt', 'project/target/manifest.json', '--out', 'mesh'], io(dir).io)).toBe(0);
      await fsp.mkdir(nodePath.join(dir, 'theirs'));
      await fsp.writeFile(nodePath.join(dir, 'theirs', 'notes.txt'), 'mine');
      const refused = io(dir);
      expect(await runCli(['import', 'dbt', 'project/target/manifest.json', '--out', 'theirs'], refused.io)).toBe(2);
      expect(refused.err.join('')).toMatch(/not empty and was not written by quanta import dbt/);
      expect(await listFiles(nodePath.join(dir, 'theirs'))).toEqual(['notes.txt']);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('writes a mesh that runs on real DuckDB, where a model with Jinja it cannot carry fails with the reason', async () => {
    const dir = await tempDir('dbt-import-run');
    try {
      const json = manifest(10, [
        model('base', 'select 1 as x union all select 2', { access: 'public', columns: Object.fromEntries([col('x', 'integer')]) }),
        model('doubled', "select x * 2 as y from {{ ref('base') }}", {
          access: 'public',
          columns: Object.fromEntries([col('y', 'integer')]),
          depends_on: { nodes: ['model.shop.base'] },
        }),
        model('later', "select x from {{ ref('base') }} where x > {{ var('min') }}", {
          access: 'public',
          depends_on: { nodes: ['model.shop.base'] },
        }),
      ]);
      await fsp.writeFile(nodePath.join(dir, 'manifest.json'), json);
      const made = io(dir);
      expect(await runCli(['import', 'dbt', 'manifest.json', '--out', 'mesh'], made.io), made.out.join('')).toBe(0);
      const host = new InProcessHost(1);
      const ran = io(dir);
      try {
        const code = await runCli(['run', 'mesh'], {
          ...ran.io,
          createHost: () => host,
          createCatalogEngine: (h) => new QuantumCatalogEngine(h),
        });
        expect(code, ran.err.join('') + ran.out.join('')).toBe(1);
      } finally {
        await host.dispose();
      }
      const printed = ran.out.join('');
      expect(printed).toMatch(/base\s+shop\s+published\s+1\s+2/);
      expect(printed).toMatch(/doubled\s+shop\s+published\s+1\s+2/);
      expect(printed).toMatch(
        /later failed: .*imported from dbt with Jinja Quanta does not carry over \(later: line 1: \{\{ var\(''?min''?\) \}\}\)/,
      );
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('imports a manifest of 2,000 chained models with long SQL', async () => {
    const nodes = Array.from({ length: 2000 }, (_, i) =>
      model(`m${i}`, i === 0 ? 'select 1 as x' : `select x from {{ ref('m${i - 1}') }} ${'where x = x {# c #} '.repeat(200)}`, {
        access: 'public',
        columns: Object.fromEntries([col('x', 'integer')]),
        depends_on: { nodes: i === 0 ? [] : [`model.shop.m${i - 1}`] },
      }),
    );
    const result = await importDbt(manifest(12, nodes));
    expect(result.products).toHaveLength(2000);
    const loaded = await validated(result.files);
    expect(loaded.mesh.products.find((p) => p.id === 'm1999')?.inputPorts.map((p) => p.contractId)).toEqual(['shop.shop.m1998.m1998']);
  });

  it('takes --catalog and --target: a missing catalog or a target that is no name is refused, writing nothing', async () => {
    const dir = await tempDir('dbt-import-catalog');
    try {
      await fsp.writeFile(
        nodePath.join(dir, 'manifest.json'),
        manifest(12, [model('m', "select 1 as x{% if target.name == 'prod' %}, 2 as y{% endif %}", { access: 'public' })]),
      );
      await fsp.writeFile(
        nodePath.join(dir, 'types.json'),
        JSON.stringify({
          metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/catalog/v1.json' },
          nodes: {
            'model.shop.m': {
              unique_id: 'model.shop.m',
              columns: { x: { name: 'x', type: 'INTEGER', index: 1 }, y: { name: 'y', type: 'INTEGER', index: 2 } },
            },
          },
        }),
      );
      const missing = io(dir);
      expect(await runCli(['import', 'dbt', 'manifest.json', '--out', 'mesh', '--catalog', 'nope.json'], missing.io)).toBe(1);
      expect(missing.err.join('')).toMatch(/nope\.json/);
      const badTarget = io(dir);
      expect(await runCli(['import', 'dbt', 'manifest.json', '--out', 'mesh', '--target', '../x y'], badTarget.io)).toBe(2);
      expect(await fsp.readdir(dir)).toEqual(expect.not.arrayContaining(['mesh']));
      const made = io(dir);
      expect(
        await runCli(['import', 'dbt', 'manifest.json', '--out', 'mesh', '--catalog', 'types.json', '--target', 'prod'], made.io),
      ).toBe(0);
      expect(await fsp.readFile(nodePath.join(dir, 'mesh/domains/shop/m/transform.sql'), 'utf8')).toContain('select 1 as x, 2 as y');
      expect(await fsp.readFile(nodePath.join(dir, 'mesh/domains/shop/m/m.odcs.yaml'), 'utf8')).toMatch(
        /- name: y\n {8}logicalType: integer/,
      );
      expect(made.out.join('')).toMatch(/types\.json: 0 untyped column\(s\) typed and 2 column\(s\) the YAML does not list added/);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a manifest over 256 MB and invalid JSON with a message, writing nothing', async () => {
    const dir = await tempDir('dbt-import-big');
    try {
      const big = nodePath.join(dir, 'manifest.json');
      await fsp.writeFile(big, '');
      await fsp.truncate(big, 257 * 1024 * 1024); // sparse: refused from its size, never read
      const run = io(dir);
      expect(await runCli(['import', 'dbt', 'manifest.json', '--out', 'mesh'], run.io)).toBe(1);
      expect(run.err.join('')).toMatch(/manifest\.json is 257\.0 MB, over the limit of 256\.0 MB/);
      await fsp.writeFile(nodePath.join(dir, 'bad.json'), '{"metadata": {"dbt_schema_version": "x"}\n  "nodes": {}}');
      const bad = io(dir);
      expect(await runCli(['import', 'dbt', 'bad.json', '--out', 'mesh'], bad.io)).toBe(1);
      expect(bad.err.join('')).toMatch(/bad\.json:2:3: not valid JSON/);
      expect(await fsp.readdir(dir)).toEqual(expect.not.arrayContaining(['mesh']));
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('quanta import dbt on a project Quanta did not write', () => {
  const seedNode = (name: string, columns: Json = {}): Json => ({
    resource_type: 'seed',
    name,
    unique_id: `seed.shop.${name}`,
    package_name: 'shop',
    original_file_path: `seeds/${name}.csv`,
    config: { enabled: true, meta: {}, column_types: {} },
    columns,
  });
  const catalogOf = (nodes: Record<string, [string, string][]>): string =>
    JSON.stringify({
      metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/catalog/v1.json' },
      nodes: Object.fromEntries(
        Object.entries(nodes).map(([id, cols]) => [
          id,
          {
            unique_id: id,
            metadata: { type: 'VIEW' },
            // Written out of order: the catalog's index is the relation's order.
            columns: Object.fromEntries(cols.map(([name, type], i) => [name, { name, type, index: i + 1 }]).reverse()),
          },
        ]),
      ),
      sources: {},
    });

  it("reads a ref() to a seed as an input port on the seed product's port, and quotes a model named like a keyword", async () => {
    const result = await importDbt(
      manifest(12, [
        seedNode('raw_customers'),
        model('stg_customers', "with source as (select * from {{ ref('raw_customers') }}) select id as customer_id from source", {
          depends_on: { nodes: ['seed.shop.raw_customers'] },
        }),
        model('order', 'select 1 as id', { access: 'public' }),
        model('reads_order', "select count(*) as n from {{ ref('order') }}", { depends_on: { nodes: ['model.shop.order'] } }),
      ]),
    );
    const { mesh } = await validated(result.files);
    const staging = mesh.products.find((p) => p.id === 'stg_customers');
    expect(staging?.inputPorts.map((p) => [p.name, p.contractId])).toEqual([['raw_customers', 'shop.shop.raw_customers.raw_customers']]);
    expect(staging?.transform?.text).toContain('(select * from raw_customers)');
    expect(mesh.products.find((p) => p.id === 'reads_order')?.transform?.text).toContain('from "order"');
    expect(result.notes.map((n) => n.text).join('\n')).not.toMatch(/not an output port/);
  });

  it('leaves a column without data_type untyped in the contract, and says how to type it', async () => {
    const result = await importDbt(
      manifest(12, [
        model('orders', 'select 1 as order_id, 2.5 as amount', { columns: Object.fromEntries([col('order_id'), col('amount', 'double')]) }),
      ]),
    );
    await validated(result.files);
    const contract = text(result.files, 'domains/shop/orders/orders.odcs.yaml');
    expect(contract).toMatch(/- name: order_id\n(?! {8}logicalType)/);
    expect(contract).toMatch(/- name: amount\n {8}logicalType: number\n {8}physicalType: double/);
    expect(result.notes.map((n) => n.text).join('\n')).toMatch(
      /orders: columns without a data_type have no type in the contract.*order_id; run `dbt docs generate`/,
    );
  });

  it("types columns from catalog.json: the relation's order, declared data_types kept, unlisted columns added", async () => {
    const json = manifest(12, [
      model('orders', 'select 1', {
        columns: Object.fromEntries([col('amount', undefined, { description: 'EUR' }), col('status', 'text'), col('gone')]),
      }),
      seedNode('raw_orders'),
    ]);
    const catalog = catalogOf({
      'model.shop.orders': [
        ['order_id', 'INTEGER'],
        ['AMOUNT', 'DECIMAL(10,2)'],
        ['status', 'VARCHAR'],
        ['placed_on', 'DATE'],
        ['tags', 'VARCHAR[]'],
      ],
      'seed.shop.raw_orders': [['id', 'INTEGER']],
    });
    const result = await importDbt(json, { catalog: { text: catalog, shown: 'target/catalog.json' } });
    await validated(result.files);
    const orders = result.products.find((p) => p.id === 'orders')?.ports[0]?.columns;
    expect(orders).toEqual([
      { name: 'order_id', type: 'INTEGER' },
      { name: 'amount', type: 'DECIMAL(10,2)' },
      { name: 'status', type: 'text' },
      { name: 'placed_on', type: 'DATE' },
      { name: 'tags', type: 'VARCHAR[]' },
      { name: 'gone' },
    ]);
    const contract = text(result.files, 'domains/shop/orders/orders.odcs.yaml');
    expect(contract).toMatch(/- name: amount\n {8}logicalType: number\n {8}physicalType: DECIMAL\(10,2\)\n {8}description: EUR/);
    // A type of no ODCS family keeps its physicalType and promises no logicalType.
    expect(contract).toMatch(/- name: tags\n {8}physicalType: VARCHAR\[\]/);
    expect(result.products.find((p) => p.id === 'raw_orders')?.ports[0]?.columns).toEqual([{ name: 'id', type: 'INTEGER' }]);
    expect(result.notes.map((n) => n.text).join('\n')).toMatch(
      /target\/catalog\.json: 1 untyped column\(s\) typed and 4 column\(s\) the YAML does not list added/,
    );
    await expect(importDbt(json, { catalog: { text: '{"metadata": {}}', shown: 'c.json' } })).rejects.toThrow(/c\.json: not a dbt catalog/);
  });

  it('notes disabled and ephemeral models, snapshots, analyses, exposures, metrics and semantic models', async () => {
    const result = await importDbt(
      manifest(
        12,
        [
          model('eph', 'select 1 as x', { config: { enabled: true, materialized: 'ephemeral', meta: {} } }),
          model('snap', 'select 1', { resource_type: 'snapshot', unique_id: 'snapshot.shop.snap' }),
          model('an', 'select 1', { resource_type: 'analysis', unique_id: 'analysis.shop.an' }),
        ],
        {
          disabled: { 'model.shop.off': [{ name: 'off', resource_type: 'model' }] },
          exposures: { 'exposure.shop.dash': {} },
          metrics: { 'metric.shop.revenue': {} },
          semantic_models: { 'semantic_model.shop.orders': {} },
        },
      ),
    );
    await validated(result.files);
    const said = result.notes.map((n) => n.text).join('\n');
    expect(said).toContain('disabled in dbt, so not carried over: model off');
    expect(said).toContain('model eph is ephemeral in dbt: no model carried over reads it, so it is not carried over');
    expect(said).toContain('snapshot snap not carried over');
    expect(said).toContain('1 analysis not carried over');
    for (const kind of ['exposures', 'metrics', 'semantic models']) expect(said).toContain(`1 ${kind} not carried over`);
    expect(result.products.map((p) => p.id)).toEqual([]);
  });
});

describe('the Jinja of a dbt project Quanta did not write', () => {
  const resolve = (call: { kind: string; name?: string; table?: string }): { table: string } => ({
    table: `T_${call.name ?? call.table ?? ''}`,
  });

  it('decides target.name for the given target and is_incremental() as false, saying what it assumed', () => {
    const sql =
      "a{% if target.name == 'dev' %} dev{% else %} prod{% endif %}{% if is_incremental() %} where id > (select max(id) from {{ this }}){% endif %}{% if not is_incremental() %} full{% endif %}";
    const dev = renderDbtSql(sql, resolve);
    expect(dev.sql).toBe('a dev full');
    expect(dev.unsupported).toEqual([]);
    expect(dev.assumed).toEqual(["target.name is 'dev'", 'is_incremental() is false: a quantum rebuilds its tables on every run']);
    expect(renderDbtSql(sql, resolve, { type: 'duckdb', name: 'prod' }).sql).toBe('a prod full');
  });

  it("takes var() from the project's vars, else its default; without either, and for {{ this }} or a package macro, it is not carried over", () => {
    const vars = new Map([['min', '5']]);
    const out = renderDbtSql(
      "{{ var('min', 1) }} {{ var('max', 9) }} {{ var('none') }} {{ this }} {{ dbt_utils.star(from=ref('a')) }}",
      resolve,
      undefined,
      vars,
    );
    expect(out.sql).toBe('5 9   ');
    expect(out.assumed).toEqual(["var('min') is 5 (the project's vars)", "var('max') is 9 (its default: the project sets none)"]);
    expect(out.unsupported.map((u) => u.text)).toEqual(["{{ var('none') }}", '{{ this }}', "{{ dbt_utils.star(from=ref('a')) }}"]);
  });
});
