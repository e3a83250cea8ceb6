import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelName, majorVersion } from '../../core/export/dbtNames.ts';
import { openRunnableMesh, type OpenedMesh } from '../../core/node/commands/openMesh.ts';
import { REPO, tempDir } from '../helpers.ts';
import { exportPerDomain, inBuildOrder, type PerDomainExport } from './dbtProjects.ts';
import { canonicalSql, columnsOf, dbtBuild, quantaDigests, readTables, sh, type Column, type Dialect, type Digest } from './dbtHarness.ts';

/*
 * Issue 17's proof, with the real tools (scripts/interop.mjs makes the venv): every sample
 * mesh exported by `quanta export dbt` builds with `dbt build` on DuckDB and on a local Spark
 * session — every model and test passes — and each model holds the rows Quanta's own run
 * publishes: the same count and the same checksum of the rows as canonical text (numbers to
 * six decimals, timestamps to the second, order ignored). A contract-breaking edit fails dbt too.
 */
const SAMPLES = ['hello-mesh', 'retail', 'daff'];
/** A mesh written at test time whose numbers sit where DuckDB and Spark round apart (writeRoundingMesh). */
const ROUNDING = 'rounding-edges';

/**
 * What does not hold (each with its reason): `nodes` that do not build or pass, models that build
 * but `differ` from Quanta's run. The test fails when this list is wrong either way, so a fix
 * shows up as a failure asking to shorten it. Empty since the Spark SQL carries DuckDB's division
 * and DOUBLE → DECIMAL rounding (core/node/sparkSql.ts), which had parted retail's daily_sales and
 * daff's listener_music_features by a half cent / a half of the fourth decimal.
 */
const KNOWN_GAPS: Record<string, Partial<Record<Dialect, { readonly nodes: readonly string[]; readonly differ: readonly string[] }>>> = {};

describe.each([...SAMPLES, ROUNDING])('%s exported to dbt', (sample) => {
  let project: string;
  let opened: OpenedMesh;
  let quanta: Map<string, Digest>;
  const models: { model: string; relation: string; columns: Column[] }[] = [];

  beforeAll(async () => {
    const dir = await tempDir(`dbt-${sample}`);
    project = nodePath.join(dir, 'project');
    const meshDir = sample === ROUNDING ? await writeRoundingMesh(nodePath.join(dir, 'mesh')) : `sample-meshes/${sample}`;
    const exported = sh(process.execPath, [nodePath.join(REPO, 'bin', 'quanta.mjs'), 'export', 'dbt', meshDir, '--out', project], REPO);
    if (exported.status !== 0) throw new Error(`quanta export dbt failed: ${exported.stderr}`);
    const mesh = await openRunnableMesh({ out: () => undefined, err: () => undefined, cwd: REPO }, meshDir);
    if (!mesh) throw new Error(`${meshDir} does not load`);
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

/**
 * hello-mesh with its finance product replaced by one whose every column is a number DuckDB and
 * Spark compute apart unless the export carries DuckDB's arithmetic: DECIMAL sums divided by a
 * count, DOUBLEs cast to DECIMAL on decimal halves (0.00015 · 10^4 is 1.4999… in doubles), DOUBLEs
 * exactly halfway cast to integers, and averages of DECIMALs (in a window too).
 */
async function writeRoundingMesh(mesh: string): Promise<string> {
  await fsp.cp(nodePath.join(REPO, 'sample-meshes', 'hello-mesh'), mesh, { recursive: true });
  const product = nodePath.join(mesh, 'domains', 'finance', 'daily-revenue');
  const columns: readonly (readonly [string, string, string])[] = [
    ['day', 'date', 'DATE'],
    ['orders', 'integer', 'BIGINT'],
    ['avg_basket_eur', 'number', 'DECIMAL(10,2)'],
    ['third_eur', 'number', 'DECIMAL(12,1)'],
    ['tiny_share', 'number', 'DECIMAL(8,4)'],
    ['cent_share', 'number', 'DECIMAL(8,4)'],
    ['tenth_eur', 'number', 'DECIMAL(10,2)'],
    ['halves', 'integer', 'INTEGER'],
    ['negative_halves', 'integer', 'INTEGER'],
    ['avg_amount_eur', 'number', 'DECIMAL(10,1)'],
    ['moving_avg_eur', 'number', 'DECIMAL(12,2)'],
    ['ratio', 'number', 'DOUBLE'],
  ];
  await fsp.writeFile(
    nodePath.join(product, 'transform.sql'),
    `SELECT
  CAST(ordered_at AS DATE) AS day,
  count(*) AS orders,
  CAST(sum(amount_eur) / count(*) AS DECIMAL(10, 2)) AS avg_basket_eur,
  CAST(sum(amount_eur) / 3 AS DECIMAL(12, 1)) AS third_eur,
  CAST(count(*) * 0.00015::DOUBLE AS DECIMAL(8, 4)) AS tiny_share,
  CAST(sum(amount_eur)::DOUBLE / 100000 AS DECIMAL(8, 4)) AS cent_share,
  CAST(sum(amount_eur)::DOUBLE / 10 AS DECIMAL(10, 2)) AS tenth_eur,
  CAST(count(*) * 0.5::DOUBLE AS INTEGER) AS halves,
  CAST(-(count(*) + 0.5::DOUBLE) AS INTEGER) AS negative_halves,
  CAST(avg(amount_eur) AS DECIMAL(10, 1)) AS avg_amount_eur,
  CAST(avg(sum(amount_eur)) OVER (ORDER BY CAST(ordered_at AS DATE) ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS DECIMAL(12, 2)) AS moving_avg_eur,
  count(*) / 7 AS ratio
FROM orders
GROUP BY 1
`,
  );
  const properties = columns
    .map(([name, logical, physical]) => `      - name: ${name}\n        logicalType: ${logical}\n        physicalType: ${physical}\n`)
    .join('');
  const contract = nodePath.join(product, 'daily_revenue.odcs.yaml');
  const text = await fsp.readFile(contract, 'utf8');
  const start = text.indexOf('    properties:\n');
  const end = text.indexOf('    quality:');
  await fsp.writeFile(
    contract,
    `${text.slice(0, start)}    properties:\n${properties}${text.slice(end).replace(/ {4}quality:[\s\S]*?(?=^slaProperties:)/m, '')}`,
  );
  return mesh;
}

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

/*
 * `--layout project-per-domain`: each domain a dbt project, cross-domain refs resolved by
 * dbt-loom from the upstream projects' manifests, all building into one warehouse (a schema per
 * project). Each project is built in the README's order, every node passes, and every model holds
 * the rows Quanta publishes. Spark per domain for hello-mesh and retail (six projects, some reading
 * two others): the one-project Spark builds above already prove the Spark SQL of every sample;
 * here Spark proves the shared warehouse and metastore across projects, and daff's nine projects
 * (nine Spark sessions) would add minutes of CPU to every CI run for no construct the others lack.
 */
const SPARK_PER_DOMAIN = new Set(['hello-mesh', 'retail']);
/** Every project in build order; stops at the first that fails. */
function buildInOrder(
  out: string,
  exported: PerDomainExport,
  target: Dialect,
): Promise<{ project: string; status: number; results: { id: string; status: string; message: string }[]; log: string }[]> {
  return inBuildOrder(out, exported, (project) => dbtBuild(project, target));
}

describe.each(SAMPLES)('%s exported to dbt with a project per domain', (sample) => {
  let out: string;
  let exported: PerDomainExport;
  let quanta: Map<string, Digest>;
  const columns = new Map<string, Column[]>();

  beforeAll(async () => {
    out = nodePath.join(await tempDir(`dbt-domains-${sample}`), 'projects');
    exported = exportPerDomain(`sample-meshes/${sample}`, out, SPARK_PER_DOMAIN.has(sample) ? [] : ['--no-spark']);
    const mesh = await openRunnableMesh({ out: () => undefined, err: () => undefined, cwd: REPO }, `sample-meshes/${sample}`);
    if (!mesh) throw new Error(`sample-meshes/${sample} does not load`);
    for (const product of mesh.loaded.mesh.products)
      for (const port of product.outputPorts) columns.set(modelName(product.id, port.name), columnsOf(port));
    quanta = await quantaDigests(mesh);
  });
  afterAll(async () => {
    if (out) await fsp.rm(nodePath.dirname(out), { recursive: true, force: true });
  });

  it.each<Dialect>(SPARK_PER_DOMAIN.has(sample) ? ['duckdb', 'spark'] : ['duckdb'])(
    'builds project after project on %s with every node passing, each model holding the rows Quanta publishes',
    async (target) => {
      const domains = new Set(exported.projects.flatMap((p) => p.domains));
      expect(exported.projects.length, 'a project per domain with models').toBe(domains.size);
      expect(
        exported.projects.some((p) => p.upstream.length > 0),
        'some project reads another',
      ).toBe(true);
      const builds = await buildInOrder(out, exported, target);
      for (const build of builds) {
        const broken = build.results.filter((r) => r.status !== 'success' && r.status !== 'pass').map((r) => `${r.id}: ${r.message}`);
        expect(broken, `${build.project}\n${build.log}`).toEqual([]);
        expect(build.status, `${build.project}\n${build.log}`).toBe(0);
      }
      expect(builds.map((b) => b.project)).toEqual(exported.projects.map((p) => p.name));
      const ports = exported.models.filter((m) => m.port !== undefined);
      const read = readTables(
        target,
        target === 'duckdb' ? nodePath.join(out, 'quanta.duckdb') : out,
        ports.map((m) => ({
          name: m.model,
          sql: canonicalSql(
            target,
            target === 'spark' ? `\`${m.project}\`.\`${m.model}_v${m.version}\`` : `"${m.project}"."${m.model}_v${m.version}"`,
            columns.get(m.model) ?? [],
          ),
        })),
      );
      const differ = ports.filter((m) => JSON.stringify(read.get(m.model)) !== JSON.stringify(quanta.get(m.model)));
      expect(
        differ.map((m) => m.model),
        JSON.stringify(differ.map((m) => [m.model, quanta.get(m.model), read.get(m.model)])),
      ).toEqual([]);
      expect(ports.length).toBe(quanta.size);
    },
  );
});

describe('a project per domain, against edits', () => {
  it('a contract-breaking edit fails the upstream project, as it fails the publish in Quanta', async () => {
    const dir = await tempDir('dbt-domains-breaking');
    try {
      const mesh = nodePath.join(dir, 'mesh');
      await fsp.cp(nodePath.join(REPO, 'sample-meshes', 'hello-mesh'), mesh, { recursive: true });
      const transform = nodePath.join(mesh, 'domains', 'sales', 'orders', 'transform.sql');
      const text = await fsp.readFile(transform, 'utf8');
      await fsp.writeFile(transform, text.replace(/,\s*CAST\(amount_eur AS DECIMAL\(10, 2\)\) AS amount_eur/, ''));
      expect(await fsp.readFile(transform, 'utf8')).not.toContain('amount_eur');
      const out = nodePath.join(dir, 'projects');
      const exported = exportPerDomain(mesh, out, ['--no-spark']);
      expect(exported.projects.map((p) => p.name)).toEqual(['sales', 'finance']);
      const builds = await buildInOrder(out, exported, 'duckdb');
      expect(builds.map((b) => [b.project, b.status !== 0])).toEqual([['sales', true]]);
      const orders = builds[0]?.results.find((r) => r.id.startsWith('model.') && r.id.includes('orders__orders'));
      expect(orders?.status).toBe('error');
      expect(orders?.message ?? '').toMatch(/amount_eur/);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('a foreign key the data breaks fails its relationships test, and the domain cycle it closes is one project', async () => {
    const dir = await tempDir('dbt-domains-fk');
    try {
      const mesh = nodePath.join(dir, 'mesh');
      await fsp.cp(nodePath.join(REPO, 'sample-meshes', 'retail'), mesh, { recursive: true });
      // Some points events are of customers the registry's customers port does not publish (Quanta's run shows them),
      // and customer-360 reads loyalty points: loyalty → customers → loyalty.
      const contract = nodePath.join(mesh, 'domains', 'loyalty', 'loyalty-points', 'point_events.odcs.yaml');
      const text = await fsp.readFile(contract, 'utf8');
      const key = [
        '      - name: customer_id',
        '        logicalType: string',
        '        physicalType: VARCHAR',
        '        required: true',
        '',
      ].join('\n');
      const edited = text.replace(key, `${key}        relationships:\n          - to: customers.customer_id\n`);
      expect(edited).not.toBe(text);
      await fsp.writeFile(contract, edited);
      const out = nodePath.join(dir, 'projects');
      const exported = exportPerDomain(mesh, out, ['--no-spark']);
      const merged = exported.projects.find((p) => p.domains.includes('loyalty'));
      expect(merged?.domains).toEqual(['customers', 'loyalty']);
      expect(exported.notes.map((n) => n.text).join('\n')).toMatch(/domains customers, loyalty depend on each other in a cycle/);
      const builds = await buildInOrder(out, exported, 'duckdb');
      const last = builds[builds.length - 1];
      expect(last?.project).toBe(merged?.name);
      const failed = last?.results.filter((r) => r.status === 'fail').map((r) => r.id) ?? [];
      expect(failed).toEqual([expect.stringMatching(/^test\.customers_loyalty\.relationships_loyalty_points__point_events/)]);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
