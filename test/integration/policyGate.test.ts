import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyGate, runDataOf, type CatalogEngineLease } from '../../core/governance/policy/policyGate.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import type { Mesh } from '../../core/model/types.ts';
import { runCli } from '../../core/node/cli.ts';
import { NodeFileSystem } from '../../core/node/nodeFileSystem.ts';
import { MeshRuntime } from '../../core/run/meshRuntime.ts';
import type { CheckResult, ProductRun } from '../../core/run/runTypes.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { SAMPLES_DIR, tempDir } from '../helpers.ts';

/*
 * The one policy gate (core/governance/policy/policyGate.ts): the verdict "blocking policies
 * refuse publishes" that `quanta run` uses and the app is to use, proved on a real mesh in
 * real quanta, against what the CLI prints for the same folder.
 */
const host = new InProcessHost(2);
const lease = (): CatalogEngineLease => new QuantumCatalogEngine(host);
let dir: string;
let mesh: Mesh;
let fs: NodeFileSystem;

const FINANCE_POLICY = [
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
].join('\n');

beforeAll(async () => {
  dir = await tempDir('policy-gate');
  await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
  await fsp.writeFile(nodePath.join(dir, 'policies/finance-needs-approval.policy.yaml'), FINANCE_POLICY);
  fs = new NodeFileSystem(dir);
  mesh = (await loadMesh(fs)).mesh;
}, 120_000);
afterAll(async () => {
  await host.dispose();
});

function runtimeFor(gate: PolicyGate): MeshRuntime {
  return new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path), policyChecks: gate.policyChecks });
}

const failing = (checks: readonly Pick<CheckResult, 'id' | 'passed' | 'message' | 'file' | 'line' | 'column'>[]) =>
  checks.filter((c) => !c.passed).map(({ id, message, file, line, column }) => ({ id, message, file, line, column }));

describe('the policy gate', () => {
  it('decides each publish on a verdict that arrives only after the products ran (the CLI evaluates while they run)', async () => {
    const gate = new PolicyGate(lease);
    let evaluate: () => void = () => undefined;
    const verdict = new Promise<void>((resolve) => (evaluate = resolve)).then(() => gate.evaluate(mesh));
    const ran: string[] = [];
    const runtime = new MeshRuntime(mesh, {
      host,
      readFile: (path) => fs.readFile(path),
      policyChecks: gate.policyChecks,
      policyVerdict: verdict,
      onEvent: (event) => {
        if (event.type === 'started') ran.push(event.product);
      },
    });
    const report = runtime.runAll();
    // orders' transform runs before any verdict exists; its publish (and so daily-revenue) waits for it.
    await expect.poll(() => ran, { timeout: 60_000 }).toContain('orders');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runtime.lastRun('orders')).toBeUndefined();
    evaluate();
    const byId = new Map((await report).products.map((p) => [p.product, p.status]));
    expect(Object.fromEntries(byId)).toEqual({ orders: 'published', 'daily-revenue': 'refused' });
  }, 120_000);

  it('refuses the publish of a product violating a blocking policy exactly as quanta run does', async () => {
    const gate = new PolicyGate(lease);
    const report = await gate.evaluate(mesh);
    expect(report.blocking).toBe(1);
    const run = await runtimeFor(gate).runAll();
    const byId = new Map(run.products.map((p) => [p.product, p]));
    expect(byId.get('orders')?.status).toBe('published');
    expect(byId.get('daily-revenue')?.status).toBe('refused');

    let out = '';
    // A host of its own: quanta run disposes the host it is given.
    const code = await runCli(['run', dir, '--json'], {
      out: (t) => (out += t),
      err: () => undefined,
      cwd: dir,
      createHost: (size) => new InProcessHost(size),
      createCatalogEngine: (quantumHost) => new QuantumCatalogEngine(quantumHost),
    });
    expect(code).toBe(1);
    const cli = (JSON.parse(out) as { products: (Pick<ProductRun, 'status'> & { id: string; checks: CheckResult[] })[] }).products;
    for (const product of cli) {
      const own = byId.get(product.id);
      expect({ id: product.id, status: own?.status, failing: failing(own?.checks ?? []) }).toEqual({
        id: product.id,
        status: product.status,
        failing: failing(product.checks),
      });
    }
    expect(failing(byId.get('daily-revenue')?.checks ?? [])).toEqual([
      {
        id: 'policy:finance-needs-approval',
        message: 'policy finance-needs-approval (blocking): not approved by the federation yet',
        file: 'domains/finance/daily-revenue/product.odps.yaml',
        line: expect.any(Number) as number,
        column: expect.any(Number) as number,
      },
    ]);
  }, 120_000);

  it('hands a runtime made once the verdict of each later evaluation: after clear() the product publishes', async () => {
    const gate = new PolicyGate(lease);
    await gate.evaluate(mesh);
    const runtime = runtimeFor(gate);
    expect((await runtime.runAll()).products.find((p) => p.product === 'daily-revenue')?.status).toBe('refused');
    gate.clear();
    expect(gate.policyChecks('daily-revenue')).toEqual([]);
    expect((await runtime.runAll()).products.find((p) => p.product === 'daily-revenue')?.status).toBe('published');
  }, 120_000);

  it('keeps its verdict when an evaluation fails, and says why', async () => {
    let calls = 0;
    const gate = new PolicyGate(() => {
      calls++;
      if (calls > 1) throw new Error('DuckDB could not start');
      return lease();
    });
    await gate.evaluate(mesh);
    await expect(gate.evaluate(mesh)).rejects.toThrow('DuckDB could not start');
    expect(gate.policyChecks('daily-revenue').map((c) => c.id)).toEqual(['policy:finance-needs-approval']);
    expect(gate.report?.blocking).toBe(1);
  }, 120_000);

  it('evaluates a mesh without policies without leasing a quantum', async () => {
    const bare = (await loadMesh(new NodeFileSystem(nodePath.join(SAMPLES_DIR, 'hello-mesh')))).mesh;
    const without: Mesh = { ...bare, policies: [] };
    const gate = new PolicyGate(() => {
      throw new Error('no quantum should be leased');
    });
    const report = await gate.evaluate(without);
    expect(report.policies).toEqual([]);
    expect(gate.policyChecks('orders')).toEqual([]);
  });

  it('puts run results into the catalog with runDataOf, so a policy over run data sees the refusal', async () => {
    const gate = new PolicyGate(lease);
    await gate.evaluate(mesh);
    const runtime = runtimeFor(gate);
    await runtime.runAll();
    const data = runDataOf(mesh, runtime);
    expect(data.outputs.map((o) => `${o.product}.${o.port}`)).toEqual(['orders.orders']);
    expect(data.history.lastRun('daily-revenue')?.status).toBe('refused');
    const report = await gate.evaluate(mesh, { run: data });
    expect(report.blocking).toBe(1);
  }, 120_000);
});
