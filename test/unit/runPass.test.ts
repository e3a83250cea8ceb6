import { describe, expect, it } from 'vitest';
import type { DataProduct } from '../../core/model/types.ts';
import { runPass, type PassSteps } from '../../core/run/runPass.ts';
import type { Announced } from '../../core/run/runInputs.ts';
import type { ProductRun, RuntimeEvent } from '../../core/run/runTypes.ts';

/*
 * runPass decides who starts when; the runtime's steps are stood in for by runs the test
 * settles by hand, so the order, the pool limit and the early starts can be watched.
 */

function product(id: string): DataProduct {
  return {
    id,
    name: id,
    domain: 'd',
    status: 'active',
    dir: `domains/d/${id}`,
    file: `domains/d/${id}/product.odps.yaml`,
    inputPorts: [],
    outputPorts: [],
  };
}

function run(id: string, status: ProductRun['status'] = 'published'): ProductRun {
  return { product: id, status, version: 1, rows: 0, checks: [], durationMs: 0, tick: 0 };
}

const EXPORT: Announced = new Map([['out', { ipc: new Uint8Array([1]), columns: [], version: 1, dataAt: '2026-11-01T00:00:00.000Z' }]]);

/** A pass over `upstream` (id → its upstream ids, in lineage order) whose runs wait until `settle(id)`. */
function pass(upstream: Record<string, readonly string[]>, overrides: Partial<PassSteps> = {}) {
  const log: string[] = [];
  const events: RuntimeEvent[] = [];
  const gates = new Map<string, () => void>();
  const running = new Set<string>();
  let mostAtOnce = 0;
  const started = (id: string, how: string, announce: (ports: Announced) => void): Promise<ProductRun> => {
    log.push(`${how} ${id}`);
    running.add(id);
    mostAtOnce = Math.max(mostAtOnce, running.size);
    announce(EXPORT);
    return new Promise((resolve) =>
      gates.set(id, () => {
        running.delete(id);
        resolve(run(id));
      }),
    );
  };
  const steps: PassSteps = {
    lineage: { order: Object.keys(upstream), cycles: [] },
    poolSize: 4,
    rank: new Map(),
    tick: 3,
    total: Object.keys(upstream).length,
    upstream: (id) => upstream[id] ?? [],
    product,
    mayStartEarly: () => true,
    plan: () => ({ run: true }),
    skip: (id, reason) => ({ ...run(id, 'idle'), skipped: reason }),
    run: (p, announce) => started(p.id, 'run', announce),
    runEarly: (p, early, upstreamSettled, announce) => {
      log.push(`early on ${[...early.keys()].join(',')}`);
      return upstreamSettled.then(() => started(p.id, 'runEarly', announce));
    },
    settle: (r) => r,
    fail: (id, message) => ({ ...run(id, 'failed'), problem: { message } }),
    onEvent: (event) => events.push(event),
    ...overrides,
  };
  const done = runPass(steps);
  /** Lets the pass go on: a run's callbacks and the pass's wake-up are promise jobs. */
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
  const settle = async (id: string) => {
    gates.get(id)?.();
    await flush();
  };
  return { done, log, events, settle, flush, mostAtOnce: () => mostAtOnce };
}

describe('a pass (runPass)', () => {
  it('never runs more products at once than the pool holds, the head of the longest chain first', async () => {
    const p = pass({ leaf: [], head: [], other: [] }, { poolSize: 2, rank: new Map([['head', 3]]) });
    await p.flush();
    expect(p.log).toEqual(['run head', 'run leaf']);
    await p.settle('head');
    expect(p.log).toEqual(['run head', 'run leaf', 'run other']);
    await p.settle('leaf');
    await p.settle('other');
    const settled = await p.done;
    expect([...settled.keys()].sort()).toEqual(['head', 'leaf', 'other']);
    expect(p.mostAtOnce()).toBe(2);
    expect(p.events.filter((e) => e.type === 'finished').map((e) => (e.type === 'finished' ? e.done : 0))).toEqual([1, 2, 3]);
  });

  it("starts a consumer early on its upstream's exported data, before the upstream has settled", async () => {
    const p = pass({ orders: [], revenue: ['orders'] });
    await p.flush();
    expect(p.log).toEqual(['run orders', 'early on orders']);
    await p.settle('orders');
    await p.settle('revenue');
    expect((await p.done).get('revenue')?.status).toBe('published');
  });

  it('waits for the upstream to settle before a consumer a fault is aimed at, or one not planned to run', async () => {
    const faulted = pass({ orders: [], revenue: ['orders'] }, { mayStartEarly: (id) => id !== 'revenue' });
    await faulted.flush();
    expect(faulted.log).toEqual(['run orders']);
    await faulted.settle('orders');
    expect(faulted.log).toEqual(['run orders', 'run revenue']);
    await faulted.settle('revenue');
    await faulted.done;

    const idle = pass(
      { orders: [], revenue: ['orders'] },
      { plan: (p) => (p.id === 'revenue' ? { run: false, reason: 'not due' } : { run: true }) },
    );
    await idle.flush();
    expect(idle.log).toEqual(['run orders']);
    await idle.settle('orders');
    expect((await idle.done).get('revenue')).toMatchObject({ status: 'idle', skipped: 'not due' });
  });

  it('fails the products of a lineage cycle and runs the rest', async () => {
    const p = pass({ a: [] }, { lineage: { order: ['a'], cycles: [['x', 'y']] }, total: 3 });
    await p.flush();
    await p.settle('a');
    const settled = await p.done;
    expect(settled.get('x')?.problem?.message).toBe('in a lineage cycle (x → y); it cannot run');
    expect(settled.get('y')?.status).toBe('failed');
    expect(settled.get('a')?.status).toBe('published');
    expect(p.events.filter((e) => e.type === 'started')).toEqual([{ type: 'started', product: 'a', tick: 3 }]);
  });

  it('stopped (signal), cancels what runs at once and starts nothing more; what it did not start settles as stopped', async () => {
    const stop = new AbortController();
    const cancelled: string[] = [];
    const p = pass(
      { a: [], b: [], c: ['a'] },
      {
        poolSize: 1,
        mayStartEarly: () => false,
        signal: stop.signal,
        cancel: (id) => cancelled.push(id),
        stopped: (id) => ({ ...run(id, 'idle'), stopped: true }),
      },
    );
    await p.flush();
    expect(p.log).toEqual(['run a']);
    stop.abort();
    await p.flush();
    expect(cancelled).toEqual(['a']);
    // The cancelled run still ends (its quantum was stopped); nothing starts after it.
    await p.settle('a');
    const settled = await p.done;
    expect(p.log).toEqual(['run a']);
    expect(settled.get('b')).toMatchObject({ status: 'idle', stopped: true });
    expect(settled.get('c')).toMatchObject({ status: 'idle', stopped: true });
    expect(p.events.filter((e) => e.type === 'started').map((e) => (e.type === 'started' ? e.product : ''))).toEqual(['a']);
  });
});
