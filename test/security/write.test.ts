import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers.ts';
import { expectFailedWithE070, expectHelloMeshPublished, expectNothingOutside, QUERY_REFUSED } from './expectations.ts';
import { addAttackProduct, makeArena, sqlString, type Arena } from './hostileMesh.ts';
import { ENGINES, cliInProcess, cliSubprocess, observe, runReport, type CliResult, type Observed, type RunReport } from './probes.ts';

/*
 * Attack class "write": SQL of a mesh tries to create or overwrite files on the machine —
 * COPY … TO, ATTACH of a database file, EXPORT DATABASE — outside the mesh, and inside it
 * (a transform overwriting the mesh's own mesh.yaml). Each would publish `ok` if it got
 * through; refused, the product fails and no file appears or changes.
 */
const out = (a: Arena, name: string): string => sqlString(nodePath.join(a.outside, name));

const WRITES: Record<string, (arena: Arena) => string> = {
  'copy-to-absolute': (a) => `COPY (SELECT 1 AS x) TO ${out(a, 'copied.csv')};\nSELECT 'ok' AS v`,
  'copy-to-relative': (a) =>
    `COPY (SELECT 1 AS x) TO ${sqlString(nodePath.relative(REPO, nodePath.join(a.outside, 'relative.csv')))};\nSELECT 'ok' AS v`,
  'copy-table-with-options': (a) =>
    `CREATE TABLE t AS SELECT 1 AS x;\nCOPY t TO ${out(a, 't.tsv')} (FORMAT csv, DELIMITER '\t', HEADER);\nSELECT 'ok' AS v`,
  'copy-over-the-secret': (a) => `COPY (SELECT 'overwritten' AS secret) TO ${sqlString(a.secret)} (HEADER);\nSELECT 'ok' AS v`,
  'copy-into-the-mesh': (a) =>
    `COPY (SELECT 'kind: Mesh' AS x) TO ${sqlString(nodePath.join(a.mesh, 'mesh.yaml'))} (HEADER false);\nSELECT 'ok' AS v`,
  'attach-database-file': (a) => `ATTACH ${out(a, 'x.duckdb')} AS x;\nCREATE TABLE x.t AS SELECT 1 AS y;\nSELECT 'ok' AS v`,
  'export-database': (a) => `CREATE TABLE t AS SELECT 1 AS x;\nEXPORT DATABASE ${out(a, 'export')};\nSELECT 'ok' AS v`,
  'copy-from-database': (a) => `ATTACH ${out(a, 'y.duckdb')} AS y;\nCOPY FROM DATABASE memory TO y;\nSELECT 'ok' AS v`,
};

describe.each(ENGINES)('a hostile mesh that writes files (quanta run) (%s engine)', (engine) => {
  let arena: Arena;
  let meshYaml: string;
  let run: Observed<CliResult>;
  let report: RunReport;

  beforeAll(async () => {
    arena = await makeArena('write');
    for (const [id, sql] of Object.entries(WRITES)) await addAttackProduct(arena, { id, sql: sql(arena) });
    meshYaml = await fsp.readFile(nodePath.join(arena.mesh, 'mesh.yaml'), 'utf8');
    run = await observe(arena, () => cliInProcess(['run', arena.mesh, '--json'], engine));
    report = runReport(run.result);
  }, 60_000);

  it.each(Object.keys(WRITES))('fails the transform %s with QUANTA_E070 and the sandbox denial; it publishes nothing', (id) => {
    expectFailedWithE070(report, [id]);
  });

  it('still publishes the mesh’s own products, and exits 1', () => {
    expectHelloMeshPublished(report);
    expect(run.result.code).toBe(1);
  });

  it('writes nothing outside the mesh, leaves the secret as it was and the mesh’s own files unchanged', async () => {
    expectNothingOutside(arena, run);
    expect(await fsp.readFile(arena.secret, 'utf8')).toBe(`secret\n${arena.token}\n`);
    expect(await fsp.readFile(nodePath.join(arena.mesh, 'mesh.yaml'), 'utf8')).toBe(meshYaml);
  });

  it('refuses the writes in bin/quanta.mjs worker threads, by ../ path from the mesh folder, with HOME untouched', async () => {
    const sub = await makeArena('write-bin');
    const subWrites = {
      'copy-dotdot': `COPY (SELECT 1 AS x) TO '../outside/dotdot.csv';\nSELECT 'ok' AS v`,
      'attach-dotdot': `ATTACH '../outside/dotdot.duckdb' AS x;\nCREATE TABLE x.t AS SELECT 1 AS y;\nSELECT 'ok' AS v`,
      'export-dotdot': `CREATE TABLE t AS SELECT 1 AS x;\nEXPORT DATABASE '../outside/exported';\nSELECT 'ok' AS v`,
    };
    for (const [id, sql] of Object.entries(subWrites)) await addAttackProduct(sub, { id, sql });
    const observed = await observe(sub, () => cliSubprocess(sub, ['run', '.', '--json', '--pool', '2'], undefined, engine));
    expect(observed.result.hung).toBe(false);
    expectFailedWithE070(runReport(observed.result), Object.keys(subWrites));
    expect(observed.result.code).toBe(1);
    expectNothingOutside(sub, observed);
    expect(await fsp.readdir(sub.home)).toEqual([]);
  }, 120_000);
});

describe.each(ENGINES)('quanta query writing files (%s engine)', (engine) => {
  it.each([
    ['COPY … TO', (a: Arena) => `COPY (SELECT 1 AS x) TO ${out(a, 'query.csv')}`],
    ['ATTACH', (a: Arena) => `ATTACH ${out(a, 'query.duckdb')} AS q`],
    ['EXPORT DATABASE', (a: Arena) => `EXPORT DATABASE ${out(a, 'query-export')}`],
  ])('refuses %s from the console: exit 1, the sandbox denial, nothing written', async (_name, sql) => {
    const arena = await makeArena('write-query');
    const observed = await observe(arena, () => cliInProcess(['query', arena.mesh, sql(arena)], engine));
    expect(observed.result.code).toBe(1);
    expect(observed.result.err).toMatch(QUERY_REFUSED);
    expectNothingOutside(arena, observed);
  });
});
