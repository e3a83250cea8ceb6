import nodePath from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyEdit } from '../../core/edits/meshEdits.ts';
import type { Mesh, ScenarioGoal } from '../../core/model/types.ts';
import { policyGate } from '../../core/node/commands/runSession.ts';
import { NodeFileSystem } from '../../core/node/nodeFileSystem.ts';
import type { QuantumHost } from '../../core/run/runTypes.ts';
import { evaluateGoal, type GoalResult } from '../../core/scenarios/goals.ts';
import { RuntimeScenarioHost } from '../../core/scenarios/runtimeHost.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { loadSample, SAMPLES_DIR } from '../helpers.ts';

/* Every goal kind judged on hello-mesh with real quanta and the policy gate: when it holds, when it does not, and why. */

const quanta: QuantumHost[] = [];
afterAll(async () => {
  await Promise.all(quanta.map((h) => h.dispose()));
});

const ORDERS_CONTRACT = 'domains/sales/orders/orders.odcs.yaml';

async function hello(): Promise<{ host: RuntimeScenarioHost; baseline: Mesh }> {
  const loaded = await loadSample('hello-mesh');
  const fs = new NodeFileSystem(nodePath.join(SAMPLES_DIR, 'hello-mesh'));
  const pool = new InProcessHost(2);
  quanta.push(pool);
  const host = await RuntimeScenarioHost.create(
    loaded.mesh.files,
    { host: pool, readFile: (path) => fs.readFile(path) },
    policyGate({ createCatalogEngine: (h) => new QuantumCatalogEngine(h) }, pool),
  );
  return { host, baseline: loaded.mesh };
}

async function judge(host: RuntimeScenarioHost, baseline: Mesh, goal: ScenarioGoal): Promise<Pick<GoalResult, 'holds' | 'why'>> {
  const { holds, why } = await evaluateGoal(goal, await host.observe(), { baseline, persona: 'finance-analyst' });
  return { holds, why };
}

describe('scenario goals', () => {
  it('status: not run yet, then the status of the newest run', async () => {
    const { host, baseline } = await hello();
    expect(await judge(host, baseline, { kind: 'status', product: 'daily-revenue', is: 'published' })).toEqual({
      holds: false,
      why: 'daily-revenue has not run yet',
    });
    await host.runtime().runAll();
    expect(await judge(host, baseline, { kind: 'status', product: 'daily-revenue', is: 'published' })).toEqual({
      holds: true,
      why: 'daily-revenue is published',
    });
    expect((await judge(host, baseline, { kind: 'status', product: 'daily-revenue', is: 'failed' })).holds).toBe(false);
    expect(await judge(host, baseline, { kind: 'status', product: 'weekly-revenue', is: 'published' })).toEqual({
      holds: false,
      why: 'there is no product "weekly-revenue" in the mesh',
    });
  }, 120_000);

  it('violations, governance score and validity follow an edit that unclassifies an e-mail column', async () => {
    const { host, baseline } = await hello();
    const none = { kind: 'violations', policy: 'personal-data-classified' } as const;
    expect(await judge(host, baseline, none)).toEqual({ holds: true, why: '0 violation(s) of personal-data-classified' });
    expect(await judge(host, baseline, { kind: 'governanceScore', atLeast: 100 })).toEqual({
      holds: true,
      why: 'the governance score is 100',
    });
    await host.setFiles(
      applyEdit(host.files(), { kind: 'deleteField', file: ORDERS_CONTRACT, path: ['schema', 0, 'properties', 2, 'classification'] }),
    );
    const after = await judge(host, baseline, none);
    expect(after.holds).toBe(false);
    expect(after.why).toMatch(/^1 violation\(s\) of personal-data-classified; first: .*e-mail/);
    expect((await judge(host, baseline, { ...none, atMost: 1 })).holds).toBe(true);
    expect((await judge(host, baseline, { kind: 'governanceScore', atLeast: 100 })).holds).toBe(false);
    expect(await judge(host, baseline, { kind: 'violations', policy: 'no-such-policy' })).toEqual({
      holds: false,
      why: 'policy no-such-policy is not in force in this mesh',
    });
    expect(await judge(host, baseline, { kind: 'valid' })).toEqual({ holds: true, why: 'no validation errors' });
    await host.setFiles(
      applyEdit(host.files(), {
        kind: 'setField',
        file: 'domains/finance/daily-revenue/product.odps.yaml',
        path: ['inputPorts', 0, 'version'],
        value: '2.0.0',
      }),
    );
    const invalid = await judge(host, baseline, { kind: 'valid' });
    expect(invalid.holds).toBe(false);
    expect(invalid.why).toMatch(/^1 error\(s\); first: domains\/finance\/daily-revenue\/product\.odps\.yaml:\d+:\d+ QUANTA_E022/);
  }, 120_000);

  it('policy goals without a policy evaluation do not hold, and say so', async () => {
    const { host, baseline } = await hello();
    const observed = await host.observe();
    // The app's store before its gate has evaluated anything: a context without a report.
    const context = { mesh: observed.mesh, diagnostics: observed.diagnostics, runs: observed.runs };
    const result = await evaluateGoal({ kind: 'governanceScore', atLeast: 0 }, context, { baseline });
    expect([result.holds, result.why]).toEqual([false, 'the policies have not been evaluated yet']);
  }, 120_000);

  it('nonBreaking: only a change to what a consumer reads breaks it', async () => {
    const { host, baseline } = await hello();
    const goal = { kind: 'nonBreaking', product: 'orders', port: 'orders' } as const;
    expect(await judge(host, baseline, goal)).toEqual({ holds: true, why: 'the contract of orders.orders is unchanged' });
    // daily-revenue never reads customer_email: removing it breaks nobody.
    await host.setFiles(applyEdit(host.files(), { kind: 'deleteField', file: ORDERS_CONTRACT, path: ['schema', 0, 'properties', 2] }));
    const unread = await judge(host, baseline, goal);
    expect(unread.holds).toBe(true);
    expect(unread.why).toMatch(/none breaks its 1 consumer/);
    // …but it reads amount_eur (now at index 2).
    await host.setFiles(applyEdit(host.files(), { kind: 'deleteField', file: ORDERS_CONTRACT, path: ['schema', 0, 'properties', 2] }));
    const read = await judge(host, baseline, goal);
    expect(read.holds).toBe(false);
    expect(read.why).toMatch(/^breaks daily-revenue: .*amount_eur/);
  }, 120_000);

  it('query: rows as the scenario persona, masked for a persona without the purpose, denied on a private port', async () => {
    const { host, baseline } = await hello();
    await host.runtime().runAll();
    const sql = 'SELECT * FROM "orders".orders';
    expect(await judge(host, baseline, { kind: 'query', sql, expect: 'rows', minRows: 100 })).toEqual({ holds: true, why: '120 row(s)' });
    expect((await judge(host, baseline, { kind: 'query', sql, expect: 'rows', minRows: 500 })).why).toBe('120 row(s), fewer than 500');
    expect(await judge(host, baseline, { kind: 'query', persona: 'newcomer', sql, expect: 'masked', column: 'customer_email' })).toEqual({
      holds: true,
      why: '120 row(s); masked: customer_email',
    });
    expect((await judge(host, baseline, { kind: 'query', sql, expect: 'masked', column: 'customer_email' })).holds).toBe(false);
    const privatePort = { property: 'visibility', value: 'private' };
    await host.setFiles(
      applyEdit(host.files(), {
        kind: 'setField',
        file: 'domains/sales/orders/product.odps.yaml',
        path: ['outputPorts', 0, 'customProperties'],
        value: [privatePort],
      }),
    );
    const denied = await judge(host, baseline, { kind: 'query', persona: 'newcomer', sql, expect: 'denied' });
    expect(denied.holds).toBe(true);
    expect(denied.why).toMatch(/^newcomer may not read "orders"\.orders: .*private/);
    expect((await judge(host, baseline, { kind: 'query', persona: 'newcomer', sql, expect: 'rows' })).holds).toBe(false);
  }, 120_000);

  it('scorecard and freshness read the runs', async () => {
    const { host, baseline } = await hello();
    await host.runtime().runAll();
    const card = await judge(host, baseline, { kind: 'scorecard', product: 'orders', atLeast: 10 });
    expect(card.holds).toBe(true);
    expect(card.why).toMatch(/^orders's scorecard is \d+/);
    const score = Number(/scorecard is (\d+)/.exec(card.why)?.[1]);
    expect((await judge(host, baseline, { kind: 'scorecard', product: 'orders', atLeast: score + 1 })).holds).toBe(false);

    expect(await judge(host, baseline, { kind: 'fresh', product: 'orders' })).toEqual({
      holds: true,
      why: 'orders.orders within the freshness SLA',
    });
    host.runtime().injectFault({ kind: 'delaySource', product: 'orders', ticks: 48 });
    await host.runtime().advance(30);
    const late = await judge(host, baseline, { kind: 'fresh', product: 'orders', port: 'orders' });
    expect(late).toEqual({ holds: false, why: 'orders.orders is 1d 6h old, its SLA is 1d' });
  }, 120_000);

  it('words a goal without a title from its fields', async () => {
    const { host, baseline } = await hello();
    const context = await host.observe();
    const titled = await evaluateGoal({ kind: 'fresh', product: 'orders', title: 'Orders are on time' }, context, { baseline });
    const untitled = await evaluateGoal({ kind: 'violations', policy: 'personal-data-classified', atMost: 2 }, context, { baseline });
    expect([titled.title, untitled.title]).toEqual(['Orders are on time', 'policy personal-data-classified has at most 2 violation(s)']);
  }, 120_000);
});
