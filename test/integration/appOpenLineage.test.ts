import { openLineageColumnLineage } from '@polyglot-sql/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnLineage, RunEvent } from '../../core/export/openLineage.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import type { Mesh } from '../../core/model/types.ts';
import { MeshRuntime, type MeshRuntimeOptions } from '../../core/run/meshRuntime.ts';
import { APP_PRODUCER, LineageLog, lineageFileName } from '../../renderer/src/store/lineageLog.ts';
import { sampleInMemory } from '../helpers.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';

/*
 * The app's lineage log (renderer/src/store/lineageLog.ts, "Download OpenLineage" in the run
 * log) fed by a real runtime of hello-mesh in DuckDB: Run all, a tick where nothing is due, an
 * edit (the next runtime has the edited mesh, as in the app) and Run one. Every product run
 * has its START and its COMPLETE, the edited mesh's events describe the edited mesh, and the
 * columnLineage facet comes from polyglot when it is given and is absent when it is not. The
 * official schema check of the same events from the browser is in test/e2e/openLineage.spec.ts.
 */
type Event = {
  eventType: string;
  eventTime: string;
  producer: string;
  run: { runId: string };
  job: { name: string; facets: { sql?: { query: string } } };
  outputs: { name: string; facets: Record<string, unknown> }[];
};

const polyglot: ColumnLineage = (sql, namespace) => {
  const result = openLineageColumnLineage(sql, {
    producer: APP_PRODUCER,
    datasetNamespace: namespace,
    outputDataset: { namespace, name: 'out' },
    dialect: 'duckdb',
  });
  return result.success ? (result.facet?.fields as ReturnType<ColumnLineage>) : undefined;
};

function pairs(events: readonly RunEvent[]): Map<string, string[]> {
  const byRun = new Map<string, string[]>();
  for (const e of events as unknown as Event[]) byRun.set(e.run.runId, [...(byRun.get(e.run.runId) ?? []), e.eventType]);
  return byRun;
}

describe('the app lineage log of a session (hello-mesh in DuckDB)', () => {
  let host: InProcessHost;
  let mesh: Mesh;
  let edited: Mesh;
  const log = new LineageLog();
  let afterRunAll = 0;
  let afterTick = 0;

  beforeAll(async () => {
    host = new InProcessHost(2);
    const { fs } = await sampleInMemory('hello-mesh');
    mesh = (await loadMesh(fs)).mesh;
    let runtime: MeshRuntime | undefined;
    const options: MeshRuntimeOptions = {
      host,
      readFile: (path) => fs.readFile(path),
      onEvent: (event) => {
        if (runtime) log.record(runtime.mesh, event, runtime);
      },
    };
    runtime = new MeshRuntime(mesh, options);
    const report = await runtime.runAll();
    expect(report.products.map((p) => `${p.product}: ${p.status}`)).toEqual(mesh.products.map((p) => `${p.id}: published`));
    afterRunAll = log.runs;
    await runtime.advance(1);
    afterTick = log.runs;
    // An edit: the app makes the edited mesh's runtime from the last one (runsSlice.ts).
    if (!mesh.manifest) throw new Error('hello-mesh has no mesh.yaml');
    edited = { ...mesh, manifest: { ...mesh.manifest, name: 'hello-edited' } };
    runtime = runtime.withMesh(edited, options);
    expect((await runtime.runProduct('orders')).status).toBe('published');
  }, 120_000);
  afterAll(() => host.dispose());

  it('counts a start and a settled run per product of Run all, and none for a product that was not due', () => {
    expect(afterRunAll).toBe(mesh.products.length * 2);
    expect(afterTick).toBeGreaterThanOrEqual(afterRunAll);
    expect(log.runs).toBeGreaterThan(afterTick);
  });

  it('pairs every START with one COMPLETE of the same run, one pair per product run', () => {
    const events = log.events();
    const byRun = pairs(events);
    for (const [runId, types] of byRun) expect(types, runId).toEqual(['START', 'COMPLETE']);
    const orders = (events as unknown as (Event & { job: { namespace: string } })[]).filter(
      (e) => e.job.name === 'orders' && e.eventType === 'COMPLETE',
    );
    expect(orders.length).toBeGreaterThanOrEqual(2);
    // The run after the edit is the edited mesh's: its namespace is the new name.
    expect(orders.at(-1)?.job.namespace).toBe('quanta://hello-edited');
    expect(orders[0]?.job.namespace).toBe(`quanta://${mesh.manifest?.name ?? ''}`);
    expect(new Set((events as unknown as Event[]).map((e) => e.producer))).toEqual(new Set([APP_PRODUCER]));
  });

  it('gives each published port its schema, data quality and version facets; column lineage only with polyglot', () => {
    const completes = (events: readonly RunEvent[]) => (events as unknown as Event[]).filter((e) => e.eventType === 'COMPLETE');
    const without = completes(log.events()).flatMap((e) => e.outputs);
    expect(without.length).toBeGreaterThan(0);
    for (const output of without) {
      expect(Object.keys(output.facets)).toEqual(expect.arrayContaining(['schema', 'dataQualityAssertions', 'version']));
      expect(output.facets['columnLineage']).toBeUndefined();
    }
    const withLineage = completes(log.events(polyglot)).flatMap((e) => e.outputs);
    expect(withLineage.filter((o) => o.facets['columnLineage'] !== undefined).length).toBeGreaterThan(0);
  });

  it('keeps the oldest events out past its limit, and forgets them all on reset', () => {
    const small = new LineageLog(3);
    const runtime = { latestVersion: () => undefined, candidate: () => undefined };
    for (const product of ['orders', 'customers']) small.record(mesh, { type: 'started', product, tick: 0 }, runtime);
    small.record(mesh, { type: 'tick', tick: 1, simulatedAt: '2026-01-01T00:00:00Z' }, runtime);
    small.record(mesh, { type: 'started', product: 'orders', tick: 1 }, runtime);
    small.record(mesh, { type: 'started', product: 'customers', tick: 1 }, runtime);
    expect([small.size, small.runs]).toEqual([3, 3]);
    small.clear();
    expect([small.size, small.runs, small.events()]).toEqual([0, 0, []]);
  });

  it('ends a run the user stopped with an ABORT, not a second COMPLETE of its last result', () => {
    const stopped = new LineageLog();
    const runtime = { latestVersion: () => undefined, candidate: () => undefined };
    const last = { product: 'orders', status: 'published' as const, version: 1, rows: 120, checks: [], durationMs: 5, tick: 0 };
    stopped.record(mesh, { type: 'started', product: 'orders', tick: 1 }, runtime);
    stopped.record(mesh, { type: 'finished', run: { ...last, stopped: true }, done: 0, total: 2 }, runtime);
    const events = stopped.events() as unknown as (Event & { run: { facets?: { errorMessage?: { message: string } } } })[];
    expect(events.map((e) => e.eventType)).toEqual(['START', 'ABORT']);
    expect(events[1]?.run.facets?.errorMessage?.message).toMatch(/^stopped by the user/);
    expect(events[1]?.run.runId).toBe(events[0]?.run.runId);
  });

  it('names the download after the mesh, in characters every file system accepts', () => {
    expect(lineageFileName('hello mesh/…')).toBe('hello-mesh-openlineage.jsonl');
    expect(lineageFileName('…')).toBe('mesh-openlineage.jsonl');
  });
});
