import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, SAMPLES_DIR, tempDir } from '../helpers.ts';
import { quantaWithHosts } from '../support/quantaCli.ts';

/* `quanta run` and `quanta query` as a user calls them. In-process quanta keep it quick;
 * the last test goes through bin/quanta.mjs with real worker threads. */
const { cli, dispose } = quantaWithHosts();
afterAll(dispose);

/** hello-mesh copied to a temp folder, where orders promise more rows than they have. */
async function refusingCopy(): Promise<string> {
  const dir = await tempDir('run');
  await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
  const contract = nodePath.join(dir, 'domains/sales/orders/orders.odcs.yaml');
  const text = await fsp.readFile(contract, 'utf8');
  await fsp.writeFile(contract, text.replace('mustBeGreaterThan: 0', 'mustBeGreaterThan: 1000'));
  return dir;
}

describe('quanta run', () => {
  it('prints a table of published products and exits 0', async () => {
    const result = await cli('run', 'sample-meshes/hello-mesh');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^orders\s+sales\s+published\s+1\s+120\s+9\/9 passed/m);
    expect(result.out).toMatch(/^daily-revenue\s+finance\s+published\s+1\s+8\s/m);
    expect(result.out).toContain('✓ 2 published');
  });

  it('advances simulated time with --ticks', async () => {
    const result = await cli('run', 'sample-meshes/hello-mesh', '--ticks', '24', '--json');
    const report = JSON.parse(result.out) as { tick: number; simulatedAt: string; products: { id: string; version: number }[] };
    expect(report.tick).toBe(24);
    expect(report.simulatedAt).toBe('2026-11-02T00:00:00.000Z');
    expect(report.products.map((p) => [p.id, p.version])).toEqual([
      ['daily-revenue', 2],
      ['orders', 2],
    ]);
  });

  it('exits 1 when a publish is refused, naming the contract rule and its line', async () => {
    const dir = await refusingCopy();
    const result = await cli('run', dir);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^orders\s+sales\s+refused\s+0\s+120\s+8\/9 passed/m);
    expect(result.out).toMatch(/orders\.odcs\.yaml:\d+:\d+ error: orders\.quality\[0\]: measured 120, mustBeGreaterThan 1000 — failed/);
    expect(result.out).toContain('daily-revenue stale: ');
    expect(result.out).toContain('✗ 1 stale, 1 refused; refused or failed during the run: orders');
  });

  it('does not claim a last good version that a fresh run never published', async () => {
    const dir = await refusingCopy();
    const result = await cli('run', dir);
    expect(result.out).toContain('cannot run: upstream orders.orders has no published version yet (orders did not publish)');
    expect(result.out).not.toContain('last good version');
  });

  it('refuses the publish of a product that violates a blocking policy, naming the policy; the rest publishes', async () => {
    const dir = await tempDir('run-policy');
    await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
    await fsp.writeFile(
      nodePath.join(dir, 'policies/finance-products-need-purpose.policy.yaml'),
      [
        'apiVersion: quanta/v1',
        'kind: Policy',
        'id: finance-needs-approval',
        'title: Finance products wait for the federation',
        'rationale: A test policy that finance products always violate.',
        'scope: domain:finance',
        'severity: blocking',
        'check:',
        '  sql: |',
        "    SELECT product_id, 'not approved by the federation yet' AS message FROM products WHERE domain = 'finance'",
        '',
      ].join('\n'),
    );
    const result = await cli('run', dir, '--json');
    expect(result.code).toBe(1);
    const products = (JSON.parse(result.out) as { products: { id: string; status: string; checks: { id: string; passed: boolean }[] }[] })
      .products;
    expect(products.find((p) => p.id === 'orders')?.status).toBe('published');
    const revenue = products.find((p) => p.id === 'daily-revenue');
    expect(revenue?.status).toBe('refused');
    expect(revenue?.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual(['policy:finance-needs-approval']);
  });

  it('prints one JSON object with products, statuses, versions, rows and checks', async () => {
    const dir = await refusingCopy();
    const result = await cli('run', dir, '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out) as {
      ok: boolean;
      products: { id: string; status: string; version: number; rows: number; checks: { id: string; passed: boolean; file: string }[] }[];
    };
    expect(report.ok).toBe(false);
    const orders = report.products.find((p) => p.id === 'orders');
    expect(orders).toMatchObject({ status: 'refused', version: 0, rows: 120 });
    expect(orders?.checks.find((c) => !c.passed)).toMatchObject({ id: 'orders.quality[0]', file: 'domains/sales/orders/orders.odcs.yaml' });
  });

  it('refuses to run a mesh with validation errors and prints them', async () => {
    const dir = await tempDir('run-broken');
    await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
    await fsp.writeFile(nodePath.join(dir, 'domains/sales/orders/product.odps.yaml'), 'id: [unclosed\n');
    const result = await cli('run', dir);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/product\.odps\.yaml:\d+:\d+ QUANTA_E001 error/);
    expect(result.err).toContain('fix them before running it');
  });

  it('says what is wrong with a bad --ticks', async () => {
    const result = await cli('run', 'sample-meshes/hello-mesh', '--ticks', 'ten');
    expect(result.code).toBe(2);
    expect(result.err).toContain('--ticks must be a whole number ≥ 0, not "ten"');
  });
});

describe('quanta query', () => {
  it('runs the mesh and prints the rows of a query over output ports', async () => {
    const result = await cli(
      'query',
      'sample-meshes/hello-mesh',
      'SELECT day, orders FROM "daily-revenue".daily_revenue ORDER BY day LIMIT 2',
    );
    expect(result.code).toBe(0);
    expect(result.out.split('\n').slice(0, 3)).toEqual(['day         orders', '2026-11-01      11', '2026-11-02      17']);
    expect(result.out).toContain('(2 rows)');
  });

  it('prints rows as JSON with --json', async () => {
    const result = await cli('query', 'sample-meshes/hello-mesh', 'SELECT count(*) AS n FROM "orders".orders', '--json');
    expect(JSON.parse(result.out)).toEqual([{ n: 120 }]);
  });

  it('exits 1 with the engine message and the table names when the SQL is wrong', async () => {
    const result = await cli('query', 'sample-meshes/hello-mesh', 'SELECT * FROM "daily-revenue".weekly_revenue');
    expect(result.code).toBe(1);
    expect(result.err).toContain('weekly_revenue');
    expect(result.err).toContain(
      'hint: output ports are tables named "<product-id>".<port>: "daily-revenue".daily_revenue, "orders".orders',
    );
  });

  it('runs a query as a persona: classified columns masked without the purpose, in clear with it, each read audited', async () => {
    const sql = 'SELECT order_id, customer_email FROM "orders".orders ORDER BY order_id LIMIT 1';
    const newcomer = await cli('query', 'sample-meshes/hello-mesh', sql, '--as', 'newcomer', '--json');
    expect(newcomer.code).toBe(0);
    expect(JSON.parse(newcomer.out)).toEqual([{ order_id: 1, customer_email: '***' }]);
    expect(newcomer.err).toMatch(/^audit: newcomer allowed "orders"\.orders \(.*masked: customer_email\)$/m);
    const analyst = await cli('query', 'sample-meshes/hello-mesh', sql, '--as', 'finance-analyst', '--json');
    expect(JSON.parse(analyst.out)[0].customer_email).toMatch(/@/);
    expect(analyst.err).toMatch(/^audit: finance-analyst allowed "orders"\.orders /m);
    expect(analyst.err).not.toContain('masked:');
  });

  it('names the persona mesh.yaml does not declare, and needs --as for --purpose', async () => {
    const unknown = await cli('query', 'sample-meshes/hello-mesh', 'SELECT 1', '--as', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('mesh.yaml declares no persona "nobody"');
    expect((await cli('query', 'sample-meshes/hello-mesh', 'SELECT 1', '--purpose', 'reporting')).code).toBe(2);
  });
});

describe('the quanta bin', () => {
  it('runs a mesh in worker threads from the command line', () => {
    const result = spawnSync(process.execPath, ['bin/quanta.mjs', 'run', 'sample-meshes/hello-mesh', '--json'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { products: { id: string; status: string }[] };
    expect(report.products.map((p) => p.status)).toEqual(['published', 'published']);
  });

  it('ends as soon as its answer is known: the quanta it booted ahead for a mesh that cannot run do not keep it alive', async () => {
    const dir = await tempDir('unrunnable');
    await fsp.writeFile(nodePath.join(dir, 'mesh.yaml'), 'apiVersion: quanta/v1\nkind: Mesh\nid: [not an id\n');
    for (const args of [
      ['run', dir],
      ['check', dir, '--run'],
      ['query', dir, 'SELECT 1'],
    ]) {
      // A process kept alive by a worker would be killed at the timeout: status null, a signal.
      const result = spawnSync(process.execPath, ['bin/quanta.mjs', ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
      expect({ args: args[0], status: result.status, signal: result.signal }).toEqual({ args: args[0], status: 1, signal: null });
    }
  }, 200_000);
});
