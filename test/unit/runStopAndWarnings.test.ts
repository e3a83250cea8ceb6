import { describe, expect, it } from 'vitest';
import type { CheckResult, MeshRunReport, ProductRun } from '../../core/run/runTypes.ts';
import { runSummary } from '../../renderer/src/components/runText.ts';
import { applyEvent, failRun, failedWarnings, finishRun, requestStop, startRun } from '../../renderer/src/store/meshRuns.ts';

/* A stopped pass and failed warning checks in the web app's run state and words, without a browser or DuckDB. */

function run(product: string, status: ProductRun['status'], extra: Partial<ProductRun> = {}): ProductRun {
  return { product, status, version: status === 'published' ? 1 : 0, rows: 10, checks: [], durationMs: 5, tick: 0, ...extra };
}

function warning(id: string, passed: boolean, message: string): CheckResult {
  return { id, port: 'out', description: message, severity: 'warning', passed, message, file: 'd/p/out.odcs.yaml', line: 9, column: 3 };
}

function report(products: ProductRun[], extra: Partial<MeshRunReport> = {}): MeshRunReport {
  return { tick: 0, simulatedAt: '2026-11-01T00:00:00.000Z', products, durationMs: 1200, ...extra };
}

describe('a stopped pass in the run state', () => {
  it('offers Stop only for a stoppable pass, and says when it was pressed', () => {
    expect(startRun(undefined, 2).stop).toBeUndefined();
    expect(requestStop(startRun(undefined, 2)).stop).toBeUndefined();
    const state = startRun(undefined, 2, true);
    expect(state.stop).toBe('available');
    const stopping = requestStop(state);
    expect(stopping.stop).toBe('requested');
    expect(runSummary(stopping)).toBe('Stopping… 0 of 2 products done');
  });

  it('leaves what the stop caught as it was, logs it, and says "Stopped by you after N of M products"', () => {
    const before = finishRun(startRun(undefined, 2), report([run('a', 'published'), run('b', 'refused')]));
    let state = startRun(before, 3, true);
    state = applyEvent(state, { type: 'started', product: 'b', tick: 1 });
    expect(state.products['b']?.status).toBe('running');
    // b's run was cancelled: the runtime reports its last run, marked stopped.
    const stoppedB = { ...run('b', 'refused'), stopped: true as const };
    state = applyEvent(state, { type: 'finished', run: stoppedB, done: 1, total: 3 });
    expect(state.products['b']).toMatchObject({ status: 'refused', last: { status: 'refused' } });
    expect(state.log.at(-1)).toMatchObject({ product: 'b', text: 'b was stopped by you; it keeps its last result' });
    expect(state.log.at(-1)?.status).toBeUndefined();

    const done = finishRun(
      requestStop(state),
      report([run('a', 'published', { tick: 1 }), stoppedB, { ...run('c', 'idle'), stopped: true }], {
        tick: 1,
        stopped: { done: 1, total: 3 },
      }),
    );
    expect(done).toMatchObject({
      running: false,
      products: { a: { status: 'published' }, b: { status: 'refused' }, c: { status: 'idle' } },
    });
    expect(done.stop).toBeUndefined();
    // c never ran: no last run appears for it.
    expect(done.products['c']?.last).toBeUndefined();
    expect(done.log.at(-1)?.text).toBe('Stopped by you after 1 of 3 products');
    expect(runSummary(done)).toBe('Stopped by you after 1 of 3 products');
  });

  it('drops the Stop of a pass that failed', () => {
    const failed = failRun(startRun(undefined, 2, true), new Error('DuckDB could not be loaded'));
    expect(failed.stop).toBeUndefined();
    expect(failed.running).toBe(false);
  });
});

describe('failed warning checks', () => {
  const late = warning('out.freshness', false, 'freshness: data is 2d old, the contract promises at most 1d — late');
  const fine = warning('out.quality[0]', true, 'rows: measured 3, mustBeGreaterThan 0 — passed');

  it('are listed under the run-log line of a run that published, with port, check and measured value', () => {
    const published = run('p', 'published', { checks: [late, fine] });
    expect(failedWarnings(published)).toEqual(['out: freshness: data is 2d old, the contract promises at most 1d — late']);
    const state = applyEvent(startRun(undefined, 1), { type: 'finished', run: published, done: 1, total: 1 });
    expect(state.log.at(-1)?.warnings).toEqual(['out: freshness: data is 2d old, the contract promises at most 1d — late']);
  });

  it('add no lines when every warning check passed, or for a product that was not due', () => {
    let state = applyEvent(startRun(undefined, 1), { type: 'finished', run: run('p', 'published', { checks: [fine] }), done: 1, total: 1 });
    expect(state.log.at(-1)?.warnings).toBeUndefined();
    state = applyEvent(state, { type: 'finished', run: run('p', 'stale', { checks: [late], skipped: 'not due' }), done: 1, total: 1 });
    expect(state.log.at(-1)?.warnings).toBeUndefined();
  });
});
