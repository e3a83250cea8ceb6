import { describe, expect, it } from 'vitest';
import { changedBytes, changedPaths, productsChangedBy } from '../../core/run/changedSinceRun.ts';
import type { MeshRunReport, ProductRun } from '../../core/run/runTypes.ts';
import { applyEvent, finishRun, markChanged, startRun } from '../../renderer/src/store/meshRuns.ts';
import { loadSample } from '../helpers.ts';

/* Which products an edit marks "changed since last run", and how the mark lives in the run state. */

function run(product: string, extra: Partial<ProductRun> = {}): ProductRun {
  return { product, status: 'published', version: 1, rows: 10, checks: [], durationMs: 5, tick: 0, ...extra };
}

function report(products: ProductRun[]): MeshRunReport {
  return { tick: 0, simulatedAt: '2026-11-01T00:00:00.000Z', products, durationMs: 10 };
}

describe('products an edit changes', () => {
  it('marks a product whose own files changed and everything downstream of it, in mesh order', async () => {
    const { mesh } = await loadSample('hello-mesh');
    expect(productsChangedBy(mesh, ['domains/sales/orders/transform.sql'])).toEqual(['daily-revenue', 'orders']);
    expect(productsChangedBy(mesh, ['domains/sales/orders/orders.odcs.yaml'])).toEqual(['daily-revenue', 'orders']);
    expect(productsChangedBy(mesh, ['domains/sales/orders/data/orders.csv'])).toEqual(['daily-revenue', 'orders']);
    expect(productsChangedBy(mesh, ['domains/finance/daily-revenue/quanta.yaml'])).toEqual(['daily-revenue']);
  });

  it('marks nothing for mesh-wide files: layout, mesh.yaml, policies, a domain file', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const paths = ['layout.yaml', 'mesh.yaml', 'policies/personal-data-classified.policy.yaml', 'domains/sales/domain.yaml'];
    expect(productsChangedBy(mesh, paths)).toEqual([]);
  });

  it('lists the paths whose text or bytes differ, added and removed ones included', () => {
    const text = (t: string) => ({ text: t });
    const before = new Map([
      ['a.yaml', text('a')],
      ['b.sql', text('b')],
      ['gone.sql', text('g')],
    ]);
    const after = new Map([
      ['a.yaml', text('a')],
      ['b.sql', text('b2')],
      ['new.sql', text('n')],
    ]);
    expect(changedPaths(before, after)).toEqual(['b.sql', 'gone.sql', 'new.sql']);
    const bytes = (...b: number[]) => new Uint8Array(b);
    expect(
      changedBytes(
        new Map([
          ['s.csv', bytes(1, 2)],
          ['t.csv', bytes(3)],
        ]),
        new Map([
          ['s.csv', bytes(1, 2)],
          ['t.csv', bytes(4)],
        ]),
      ),
    ).toEqual(['t.csv']);
  });
});

describe('"changed since last run" in the run state', () => {
  it('marks only products that have run, keeps the mark while one runs or is skipped, and clears it when it ran', () => {
    let state = finishRun(startRun(undefined, 2), report([run('a'), run('b')]));
    state = markChanged(state, ['a', 'b', 'never-ran']);
    expect(state.products['a']?.changedSinceRun).toBe(true);
    expect(state.products['never-ran']).toBeUndefined();

    state = startRun(state, 2);
    state = applyEvent(state, { type: 'started', product: 'a', tick: 1 });
    expect(state.products['a']).toMatchObject({ status: 'running', changedSinceRun: true });
    state = applyEvent(state, { type: 'finished', run: run('a', { version: 2, tick: 1 }), done: 1, total: 2 });
    const skipped = run('b', { skipped: 'not due: runs every 1d', tick: 1 });
    state = applyEvent(state, { type: 'finished', run: skipped, done: 2, total: 2 });
    state = finishRun(state, report([run('a', { version: 2, tick: 1 }), skipped]));
    expect(state.products['a']).toMatchObject({ status: 'published', last: { version: 2 } });
    expect(state.products['a']?.changedSinceRun).toBeUndefined();
    expect(state.products['b']).toMatchObject({ changedSinceRun: true, last: { version: 1 } });
  });
});
