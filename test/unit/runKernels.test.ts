import { describe, expect, it } from 'vitest';
import { indexPublishers } from '../../core/lineage/lineageGraph.ts';
import { FaultError, type Fault } from '../../core/run/faults.ts';
import { InjectedFaults } from '../../core/run/injectedFaults.ts';
import { PortHistory, RETAINED_VERSIONS } from '../../core/run/portHistory.ts';
import { compilePort, concludeRun, judgeFreshness, judgePorts, publishVerdict } from '../../core/run/publishVerdict.ts';
import { readInputs, sameData } from '../../core/run/runInputs.ts';
import type { CheckResult, PortVersion } from '../../core/run/runTypes.ts';
import { loadSample } from '../helpers.ts';

/* The pure kernels MeshRuntime orchestrates: the port history, the publish verdict, a run's inputs, the faults in force. */

function version(product: string, port: string, n: number): PortVersion {
  return {
    product,
    port,
    version: n,
    tick: n,
    simulatedAt: '2026-11-01T00:00:00.000Z',
    dataAt: '2026-11-01T00:00:00.000Z',
    rows: 1,
    bytes: 1,
    hash: `h${n}`,
    ipc: new Uint8Array([n]),
    checks: [],
    profile: [],
    freshness: { ageSeconds: 0, late: false },
    durationMs: 1,
  };
}

function check(id: string, passed: boolean, severity: CheckResult['severity'] = 'error'): CheckResult {
  return { id, port: 'out', description: id, severity, passed, message: id, file: 'c.odcs.yaml', line: 1, column: 1 };
}

describe('port history', () => {
  it(`keeps every version's figures but the Arrow bytes of the newest ${RETAINED_VERSIONS} only`, () => {
    const history = new PortHistory();
    for (let n = 1; n <= 5; n++) history.publish(version('orders', 'orders', n));
    expect(history.versions('orders', 'orders').map((v) => [v.version, v.ipc !== undefined])).toEqual([
      [1, false],
      [2, false],
      [3, true],
      [4, true],
      [5, true],
    ]);
    expect(history.latest('orders', 'orders')?.version).toBe(5);
    expect(history.latest('orders', 'missing')).toBeUndefined();
  });

  it('carries to an edited mesh the ports that still exist and what the remaining products read', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const history = new PortHistory();
    history.publish(version('orders', 'orders', 1));
    history.publish(version('orders', 'renamed-away', 1));
    history.publish(version('deleted-product', 'out', 1));
    history.recordConsumed('daily-revenue', new Map([['orders/orders', 1]]));
    history.recordConsumed('deleted-product', new Map([['orders/orders', 1]]));
    const carried = history.carriedTo(mesh);
    expect(carried.versions('orders', 'orders').map((v) => v.version)).toEqual([1]);
    expect(carried.versions('orders', 'renamed-away')).toEqual([]);
    expect(carried.versions('deleted-product', 'out')).toEqual([]);
    expect(carried.consumed('daily-revenue')?.get('orders/orders')).toBe(1);
    expect(carried.consumed('deleted-product')).toBeUndefined();
    // The original is untouched: carrying copies.
    expect(history.versions('orders', 'renamed-away')).toHaveLength(1);
  });
});

describe('publish verdict', () => {
  it('publishes when no check of severity error fails; a failed warning does not refuse', () => {
    expect(publishVerdict([check('a', true), check('late', false, 'warning')])).toEqual({ publish: true });
  });

  it('refuses naming how many contract checks failed and how many blocking policies are violated', () => {
    expect(publishVerdict([check('a', false)])).toEqual({ publish: false, message: 'publish refused: 1 contract check failed' });
    expect(publishVerdict([check('a', false), check('b', false), check('policy:pii', false)])).toEqual({
      publish: false,
      message: 'publish refused: 2 contract checks failed and 1 blocking policy is violated',
    });
    expect(publishVerdict([check('policy:a', false), check('policy:b', false)])).toMatchObject({
      message: 'publish refused: 2 blocking policies are violated',
    });
  });

  it('judges freshness against the SLA: late only past the promised latency', () => {
    expect(judgeFreshness(10, undefined)).toEqual({ ageSeconds: 10, late: false });
    expect(judgeFreshness(10, 10)).toEqual({ ageSeconds: 10, latencySeconds: 10, late: false });
    expect(judgeFreshness(11, 10)).toMatchObject({ late: true });
  });

  it("fails a check whose SQL failed or was not measured, at the check's line in the contract", async () => {
    const { mesh } = await loadSample('hello-mesh');
    const port = mesh.products.find((p) => p.id === 'orders')?.outputPorts[0];
    if (!port?.contract) throw new Error('orders has no contract');
    const compiled = { port, ...compilePort(port.name, port.contract) };
    const first = compiled.checks[0];
    if (!first) throw new Error('the orders contract compiles to no checks');
    const columns = port.contract.tables[0]?.columns.map((c) => ({ name: c.name, type: 'VARCHAR' })) ?? [];
    const run = {
      port: port.name,
      rows: 3,
      columns,
      profile: [],
      ipc: new Uint8Array(),
      measurements: [{ id: first.id, value: 0, total: 3, error: 'boom' }],
    };
    const { checks } = judgePorts([compiled], [run], 0, () => ({ line: 7, column: 3 }));
    const failed = checks.find((c) => c.id === first.id);
    expect(failed).toMatchObject({ passed: false, file: port.contract.file, line: 7, column: 3 });
    expect(failed?.message).toMatch(/the check's SQL failed: boom$/);
    const unmeasured = checks.find((c) => c.id === compiled.checks[1]?.id);
    if (compiled.checks[1]) expect(unmeasured?.message).toMatch(/not measured$/);
    // A port the quantum did not return is not judged (its run failed before).
    expect(judgePorts([compiled], [], 0, () => ({ line: 1, column: 1 })).checks).toEqual([]);
  });
});

describe('concluding a run', () => {
  const port = { port: 'out', rows: 2, columns: [], profile: [], measurements: [], ipc: new Uint8Array([1, 2]) };
  const at = {
    product: 'orders',
    version: 4,
    tick: 7,
    simulatedAt: '2026-11-01T07:00:00.000Z',
    dataAt: '2026-11-01T06:00:00.000Z',
    freshness: () => ({ ageSeconds: 3600, late: false }),
    durationMs: 5,
    staleBecause: [],
  };

  it('refuses with the verdict and publishes nothing: the ports keep their last good version', () => {
    const { run, publish } = concludeRun([check('a', false)], [port], at);
    expect(run).toMatchObject({
      status: 'refused',
      version: 4,
      rows: 2,
      tick: 7,
      problem: { message: 'publish refused: 1 contract check failed' },
    });
    expect(publish).toEqual([]);
  });

  it("publishes the next version of every port, with the port's checks; stale when an upstream is in trouble", () => {
    const { run, publish } = concludeRun([check('a', true)], [port], { ...at, staleBecause: ['upstream'] });
    expect(run).toMatchObject({ status: 'stale', version: 5, staleBecause: ['upstream'] });
    expect(publish).toHaveLength(1);
    expect(publish[0]).toMatchObject({ product: 'orders', port: 'out', version: 5, tick: 7, bytes: 2, dataAt: at.dataAt });
    expect(publish[0]?.checks.map((c) => c.id)).toEqual(['a']);
    expect(concludeRun([], [port], at).run.status).toBe('published');
  });
});

describe("a run's inputs", () => {
  it('reads the newest version of each upstream port, or the export of an upstream product that is still measuring it', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const revenue = mesh.products.find((p) => p.id === 'daily-revenue');
    if (!revenue) throw new Error('hello-mesh has no daily-revenue');
    const publishers = indexPublishers(mesh.products);
    const published = version('orders', 'orders', 2);
    const from = { publishers, latest: () => published, nowMs: Date.parse('2026-11-02T00:00:00Z') };
    const read = readInputs(revenue, from);
    if ('missing' in read) throw new Error(`missing ${read.missing}`);
    expect(read.consumed).toEqual(new Map([['orders/orders', 2]]));
    expect(read.dataAt).toBe(Date.parse(published.dataAt));
    expect(read.inputs.map((i) => i.name)).toEqual(['orders']);

    const exported = { ipc: new Uint8Array([9]), columns: [], version: 3, dataAt: published.dataAt };
    const early = readInputs(revenue, { ...from, early: new Map([['orders', new Map([['orders', exported]])]]) });
    if ('missing' in early) throw new Error(`missing ${early.missing}`);
    expect(early.consumed.get('orders/orders')).toBe(3);
    // The early run counts only when the normal run would read the very same bytes.
    expect(sameData(early, read)).toBe(false);
    expect(sameData(read, readInputs(revenue, from))).toBe(true);
    expect(readInputs(revenue, { ...from, latest: () => undefined })).toEqual({ missing: 'orders.orders' });
  });
});

describe('injected faults', () => {
  it('holds sources back until the tick the delay ends, then clears the delay', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const faults = new InjectedFaults(mesh.products);
    faults.inject({ kind: 'delaySource', product: 'orders', ticks: 2 }, mesh.products, 5, () => false);
    expect(faults.delayed('orders', 6)).toBe('its sources are delayed until tick 7 (injected fault)');
    expect(faults.delayed('orders', 7)).toBeUndefined();
    expect(faults.delays).toEqual([]);
  });

  it('gives a crash to one run only, unless it stopped a running quantum at once', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const faults = new InjectedFaults(mesh.products);
    faults.inject({ kind: 'crash', product: 'orders' }, mesh.products, 0, () => true);
    expect(faults.aimsAt('orders')).toBe(false);
    faults.inject({ kind: 'crash', product: 'orders' }, mesh.products, 0, () => false);
    expect(faults.aimsAt('orders')).toBe(true);
    expect(faults.takeCrash('orders')).toBe(true);
    expect(faults.takeCrash('orders')).toBe(false);
  });

  it('refuses a fault the mesh has no place for, and drops carried faults that no longer fit', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const faults = new InjectedFaults(mesh.products);
    expect(() => faults.inject({ kind: 'crash', product: 'nowhere' }, mesh.products, 0, () => false)).toThrow(FaultError);
    const kept: Fault = { kind: 'nullSpike', product: 'orders', table: 'orders_csv', column: 'amount', share: 0.5 };
    const carried = new InjectedFaults(mesh.products, [kept, { kind: 'crash', product: 'removed-product' }], [['orders', 9]]);
    expect(carried.list).toEqual([kept]);
    expect(carried.tableFaults('orders')).toEqual([{ kind: 'nullSpike', table: 'orders_csv', column: 'amount', share: 0.5 }]);
    expect(carried.delays).toEqual([['orders', 9]]);
    carried.clear('orders');
    expect([carried.list, carried.delays]).toEqual([[], []]);
  });
});
