import { describe, expect, it } from 'vitest';
import type { CheckResult, MeshRunReport, ProductRun } from '../../core/run/runTypes.ts';
import { problemLines, runSummary } from '../../renderer/src/components/runText.ts';
import { applyEvent, failRun, finishRun, startRun, type MeshRunState } from '../../renderer/src/store/meshRuns.ts';

/* The web app's "Run all" state and the words it shows, without a browser or DuckDB. */

function run(product: string, status: ProductRun['status'], extra: Partial<ProductRun> = {}): ProductRun {
  return { product, status, version: status === 'published' ? 1 : 0, rows: 10, checks: [], durationMs: 5, tick: 0, ...extra };
}

function check(id: string, passed: boolean, severity: CheckResult['severity'] = 'error'): CheckResult {
  return {
    id,
    port: 'out',
    description: id,
    severity,
    passed,
    message: `${id}: measured 3, mustBe 0`,
    file: 'd/p/c.odcs.yaml',
    line: 12,
    column: 3,
  };
}

function report(products: ProductRun[]): MeshRunReport {
  return { tick: 0, simulatedAt: '2025-01-01T00:00:00.000Z', products, durationMs: 4321 };
}

describe('run state of a mesh', () => {
  it('should count progress from the runtime events and keep the last result while a product runs again', () => {
    const first = finishRun(startRun(undefined, 2), report([run('a', 'published'), run('b', 'failed')]));
    let state: MeshRunState = startRun(first, 2);
    expect(state).toMatchObject({ running: true, done: 0, total: 2 });
    expect(state.products['a']?.status).toBe('published'); // not started yet in this pass

    state = applyEvent(state, { type: 'started', product: 'a', tick: 0 });
    expect(state.products['a']).toMatchObject({ status: 'running', last: { status: 'published' } });
    state = applyEvent(state, { type: 'finished', run: run('a', 'refused'), done: 1, total: 2 });
    expect(state).toMatchObject({ done: 1, total: 2, products: { a: { status: 'refused' } } });
    const ticked = applyEvent(state, { type: 'tick', tick: 1, simulatedAt: '2026-01-01T01:00:00.000Z' });
    expect(ticked.products).toBe(state.products);
    expect(ticked.log.at(-1)).toMatchObject({ tick: 1, text: 'Clock advanced to tick 1 (2026-01-01T01:00:00.000Z)' });
  });

  it('should log what each run did, in order, and not the products that were not due', () => {
    let state: MeshRunState = startRun(undefined, 2);
    state = applyEvent(state, { type: 'finished', run: run('a', 'published'), done: 1, total: 2 });
    state = applyEvent(state, {
      type: 'finished',
      run: { ...run('b', 'published'), skipped: 'not due: runs every 1d' },
      done: 2,
      total: 2,
    });
    state = applyEvent(state, { type: 'finished', run: run('c', 'failed'), done: 2, total: 2 });
    expect(state.log.map((e) => [e.seq, e.product, e.status])).toEqual([
      [1, 'a', 'published'],
      [2, 'c', 'failed'],
    ]);
    expect(state.log[1]?.text).toMatch(/^c failed: /);
    expect(failRun(state, new Error('worker died')).log.at(-1)?.text).toBe('The run stopped: worker died');
  });

  it('should take the report as the truth when the pass completes, products settled without an event included', () => {
    const state = finishRun(startRun(undefined, 2), report([run('a', 'published'), run('cyclic', 'failed')]));
    expect(state).toMatchObject({
      running: false,
      done: 2,
      total: 2,
      products: { a: { status: 'published' }, cyclic: { status: 'failed' } },
    });
  });

  it('should put products caught running back to their last result when the pass stops, and say why in one line', () => {
    let state = startRun(finishRun(startRun(undefined, 2), report([run('a', 'published')])), 2);
    state = applyEvent(state, { type: 'started', product: 'a', tick: 0 });
    state = applyEvent(state, { type: 'started', product: 'b', tick: 0 });
    const stopped = failRun(state, new Error('DuckDB could not be loaded (HTTP 404)\n    at compile (browserHost.ts:12:3)'));
    expect(stopped).toMatchObject({ running: false, error: 'The run stopped: DuckDB could not be loaded (HTTP 404)' });
    expect(stopped.products['a']?.status).toBe('published');
    expect(stopped.products['b']?.status).toBe('idle');
  });
});

describe('run text', () => {
  it('should give a failure its first line and where it is written', () => {
    const failed = run('p', 'failed', {
      problem: { message: 'Binder Error: column "x" not found\nLINE 3: SELECT x\n        ^', file: 'd/p/transform.sql', line: 3 },
    });
    expect(problemLines(failed)).toEqual([{ text: 'Binder Error: column "x" not found', where: 'd/p/transform.sql:3' }]);
    expect(problemLines(run('p', 'failed', { problem: { message: 'timed out', file: 'd/p/quanta.yaml' } }))).toEqual([
      { text: 'timed out', where: 'd/p/quanta.yaml' },
    ]);
  });

  it('should list the failed error checks of a refusal with their contract position, then count the rest', () => {
    const checks = [
      check('c1', false),
      check('c2', true),
      check('w', false, 'warning'),
      check('c3', false),
      check('c4', false),
      check('c5', false),
    ];
    const lines = problemLines(run('p', 'refused', { checks, problem: { message: 'publish refused: 4 contract checks failed' } }));
    expect(lines.map((l) => l.text)).toEqual([
      'publish refused: 4 contract checks failed',
      'c1: measured 3, mustBe 0',
      'c3: measured 3, mustBe 0',
      'c4: measured 3, mustBe 0',
      'and 1 more failed check',
    ]);
    expect(lines[1]?.where).toBe('d/p/c.odcs.yaml:12');
  });

  it('should say which upstream made a product stale, and nothing for a published one', () => {
    expect(problemLines(run('p', 'stale', { staleBecause: ['a', 'b'] }))).toEqual([
      { text: 'built on old data: a, b did not publish fresh data' },
    ]);
    expect(problemLines(run('p', 'published'))).toEqual([]);
  });

  it('should sum up a run: what it does, how far it is, how it ended', () => {
    expect(runSummary(undefined)).toMatch(/^Runs every data product/);
    expect(runSummary({ ...startRun(undefined, 14), done: 3 })).toBe('3 of 14 products done');
    const done = finishRun(startRun(undefined, 3), report([run('a', 'published'), run('b', 'failed'), run('c', 'published')]));
    expect(runSummary(done)).toBe('Last run: 2 published, 1 failed in 4.3 s');
  });
});
