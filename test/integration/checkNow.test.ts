import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractWithRule, listRules } from '../../core/edits/qualityRules.ts';
import type { DataProduct, OutputPort } from '../../core/model/types.ts';
import { checkRuleNow, type CheckNowResult } from '../../core/run/checkNow.ts';
import { MeshRuntime } from '../../core/run/meshRuntime.ts';
import { queryPorts } from '../../core/run/portQuery.ts';
import { compilePort } from '../../core/run/publishVerdict.ts';
import type { PortVersion, QuantumHost } from '../../core/run/runTypes.ts';
import type { YamlSourceFile } from '../../core/yaml/sourceFile.ts';
import { tableFromIPC } from 'apache-arrow';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { sampleInMemory } from '../helpers.ts';
import { QUANTUM_HOSTS } from '../quantumHosts.ts';

/*
 * "Run this check now" on hello-mesh's published orders, in real DuckDB quanta: every rule of
 * the contract gives the verdict the publish gave, word for word; an edited rule (not yet in
 * the file) is measured on the same data, with its failing values, and nothing is published.
 */
const ORDERS_CONTRACT = 'domains/sales/orders/orders.odcs.yaml';

describe.each(QUANTUM_HOSTS)('check a rule now ($name)', ({ open }) => {
  let host: QuantumHost;
  let runtime: MeshRuntime;
  let product: DataProduct;
  let port: OutputPort;
  let file: YamlSourceFile;
  let version: PortVersion;

  beforeAll(async () => {
    host = open(1);
    const { fs } = await sampleInMemory('hello-mesh');
    const { mesh } = await loadMesh(fs);
    runtime = new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path) });
    const run = await runtime.runProduct('orders');
    expect(run.status).toBe('published');
    product = mesh.products.find((p) => p.id === 'orders') as DataProduct;
    port = product.outputPorts[0] as OutputPort;
    file = mesh.files.get(ORDERS_CONTRACT) as YamlSourceFile;
    version = runtime.history('orders', 'orders').at(-1) as PortVersion;
  }, 120_000);
  afterAll(() => host.dispose());

  const data = () => ({ ipc: version.ipc as Uint8Array, columns: version.columns });
  const count = async (where: string): Promise<number> => {
    const outcome = await queryPorts(
      host,
      [{ product: 'orders', port: 'orders', ipc: data().ipc }],
      `SELECT count(*) AS n FROM "orders"."orders" WHERE ${where}`,
    );
    if (!outcome.ok) throw new Error(outcome.error.message);
    return Number(tableFromIPC(outcome.ipc).get(0)?.toJSON()['n']);
  };
  const checkEdited = (where: { table: number; property?: number }, rule: Record<string, unknown>): Promise<CheckNowResult> => {
    const edited = contractWithRule(file, where, undefined, rule);
    if (!edited) throw new Error('the rule could not be placed');
    return checkRuleNow(host, product, port, edited.contract, edited.path, data());
  };

  it('gives every quality rule of the contract the verdict and the words its publish gave', async () => {
    const contract = port.contract;
    if (!contract) throw new Error('orders has no contract');
    const rules = listRules(file);
    expect(rules.length).toBe(2);
    const { checks } = compilePort(port.name, contract);
    for (const rule of rules) {
      const id = checks.find((c) => c.path.join('/') === rule.path.join('/'))?.id;
      const published = version.checks.find((c) => c.id === id);
      const now = await checkRuleNow(host, product, port, contract, rule.path, data());
      expect(published, `the publish judged ${rule.says}`).toBeDefined();
      expect(now.message).toBe(published?.message);
      expect(now.status).toBe(published?.passed ? 'passed' : 'failed');
    }
  });

  it('measures an edited invalidValues rule on the published data and names the failing values', async () => {
    const outside = await count('order_id NOT IN (1, 2, 3)');
    const result = await checkEdited(
      { table: 0, property: 0 },
      { metric: 'invalidValues', arguments: { validValues: [1, 2, 3] }, mustBe: 0 },
    );
    expect(result).toMatchObject({ status: 'failed', measured: outside, unit: 'rows', severity: 'error' });
    expect(result.status === 'failed' && result.samples).toEqual(['10', '100', '101', '102', '103']);
    expect(result.message).toContain(`measured ${outside}, mustBe 0 — failed; e.g. "10", "100"`);
  });

  it("shows a classified column's failing values by their shape only, as publish does", async () => {
    const result = await checkEdited({ table: 0, property: 2 }, { metric: 'invalidValues', arguments: { pattern: '^z' }, mustBe: 0 });
    expect(result.status).toBe('failed');
    const samples = result.status === 'failed' ? result.samples : [];
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) expect(sample).toMatch(/^x+@x+\.x+$/);
  });

  it('measures an SQL rule and a percent, passing and failing', async () => {
    const big = await count('amount_eur > 150');
    const failing = await checkEdited(
      { table: 0 },
      { type: 'sql', query: 'SELECT count(*) FROM orders WHERE amount_eur > 150', mustBeLessThan: 1 },
    );
    expect(failing).toMatchObject({ status: 'failed', measured: big });
    const passing = await checkEdited(
      { table: 0 },
      { type: 'sql', query: 'SELECT count(*) FROM {table} WHERE amount_eur > 150', mustBe: big },
    );
    expect(passing).toMatchObject({ status: 'passed', measured: big });
    const share = await checkEdited(
      { table: 0, property: 0 },
      { metric: 'invalidValues', arguments: { validValues: [1] }, mustBeLessThan: 50, unit: 'percent', severity: 'warning' },
    );
    expect(share).toMatchObject({
      status: 'failed',
      unit: 'percent',
      severity: 'warning',
      measured: ((version.rows - 1) / version.rows) * 100,
    });
  });

  it("says why a rule does not run, and what an SQL rule's error is", async () => {
    const text = await checkEdited({ table: 0 }, { type: 'text', description: 'Orders are complete.' });
    expect(text).toMatchObject({ status: 'unrunnable' });
    expect(text.message).toMatch(/text rule describes quality for people/);
    const missing = await checkEdited(
      { table: 0 },
      { type: 'sql', query: 'SELECT count(*) FROM orders WHERE no_such_column > 0', mustBe: 0 },
    );
    expect(missing.status).toBe('error');
    expect(missing.message).toMatch(/the check's SQL failed: .*no_such_column/);
  });

  it('publishes nothing: the port keeps its one version', () => {
    expect(runtime.history('orders', 'orders').map((v) => v.version)).toEqual([1]);
  });
});
