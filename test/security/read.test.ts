import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers.ts';
import { addAttackProduct, makeArena, relativeSecret, sqlString, type Arena } from './hostileMesh.ts';
import { expectFailedWithE070, expectHelloMeshPublished, expectNothingOutside, QUERY_REFUSED } from './expectations.ts';
import { ENGINES, cliInProcess, cliSubprocess, observe, runReport, type CliResult, type Observed, type RunReport } from './probes.ts';

/*
 * Attack class "read": SQL of a mesh tries to read a file of the machine outside the mesh
 * (here a random secret next to it), by absolute path and by ../ relative path, through the
 * transform (where it would publish the secret as data) and through `quanta query`.
 */
/** Each attack publishes the secret as column `v` if it gets through. In this process DuckDB resolves relative paths against the repo (the test's cwd). */
const READS: Record<string, (arena: Arena) => string> = {
  'read-csv-absolute': (a) => `SELECT (SELECT first(secret) FROM read_csv(${sqlString(a.secret)})) AS v`,
  'read-csv-relative': (a) => `SELECT (SELECT first(secret) FROM read_csv(${sqlString(relativeSecret(a, REPO))})) AS v`,
  'read-csv-by-name': (a) => `SELECT (SELECT first(secret) FROM ${sqlString(a.secret)}) AS v`,
  'read-text': (a) => `SELECT (SELECT first(content) FROM read_text(${sqlString(a.secret)})) AS v`,
  'read-blob': (a) => `SELECT (SELECT CAST(first(content) AS VARCHAR) FROM read_blob(${sqlString(a.secret)})) AS v`,
  'glob-outside': (a) => `SELECT (SELECT string_agg(file, ',') FROM glob(${sqlString(`${a.outside}/*`)})) AS v`,
  'sniff-csv': (a) => `SELECT (SELECT CAST(first(Columns) AS VARCHAR) FROM sniff_csv(${sqlString(a.secret)})) AS v`,
  'read-into-a-table': (a) =>
    `CREATE TABLE stolen AS SELECT * FROM read_text(${sqlString(a.secret)});\nSELECT first(content) AS v FROM stolen`,
};

describe.each(ENGINES)('a hostile mesh that reads files outside the mesh (quanta run) (%s engine)', (engine) => {
  let arena: Arena;
  let run: Observed<CliResult>;
  let report: RunReport;

  beforeAll(async () => {
    arena = await makeArena('read');
    for (const [id, sql] of Object.entries(READS)) await addAttackProduct(arena, { id, sql: sql(arena) });
    run = await observe(arena, () => cliInProcess(['run', arena.mesh, '--json'], engine));
    report = runReport(run.result);
  }, 60_000);

  it.each(Object.keys(READS))('fails the transform %s with QUANTA_E070 and the sandbox denial; it publishes nothing', (id) => {
    expectFailedWithE070(report, [id]);
  });

  it('still publishes the mesh’s own products, and exits 1', () => {
    expectHelloMeshPublished(report);
    expect(run.result.code).toBe(1);
    expect(report.ok).toBe(false);
  });

  it('prints the secret nowhere, reads nothing and writes nothing outside the mesh', () => {
    expectNothingOutside(arena, run);
  });

  it('refuses the same reads in bin/quanta.mjs worker threads, by ../ path from the mesh folder, with HOME untouched', async () => {
    const sub = await makeArena('read-bin');
    const subAttacks = {
      'read-csv-dotdot': `SELECT (SELECT first(secret) FROM read_csv('../outside/secret.csv')) AS v`,
      'read-text-absolute': `SELECT (SELECT first(content) FROM read_text(${sqlString(sub.secret)})) AS v`,
      'glob-dotdot': `SELECT (SELECT string_agg(file, ',') FROM glob('../outside/**')) AS v`,
    };
    for (const [id, sql] of Object.entries(subAttacks)) await addAttackProduct(sub, { id, sql });
    const observed = await observe(sub, () => cliSubprocess(sub, ['run', '.', '--json', '--pool', '2'], undefined, engine));
    expect(observed.result.hung).toBe(false);
    expectFailedWithE070(runReport(observed.result), Object.keys(subAttacks));
    expect(observed.result.code).toBe(1);
    expectNothingOutside(sub, observed);
    expect(await fsp.readdir(sub.home)).toEqual([]);
  }, 120_000);
});

describe.each(ENGINES)('quanta query reading files outside the mesh (%s engine)', (engine) => {
  let arena: Arena;
  beforeAll(async () => {
    arena = await makeArena('read-query');
  }, 60_000);

  const queries = (a: Arena): Record<string, string> => ({
    'read_csv by absolute path': `SELECT * FROM read_csv(${sqlString(a.secret)})`,
    'read_csv by ../ path': `SELECT * FROM read_csv(${sqlString(relativeSecret(a, REPO))})`,
    read_text: `SELECT content FROM read_text(${sqlString(a.secret)})`,
    read_blob: `SELECT CAST(content AS VARCHAR) AS c FROM read_blob(${sqlString(a.secret)})`,
    'glob of the folder': `SELECT file FROM glob(${sqlString(nodePath.join(a.outside, '**'))})`,
    'a file named in FROM': `SELECT * FROM ${sqlString(a.secret)}`,
  });

  it.each(['read_csv by absolute path', 'read_csv by ../ path', 'read_text', 'read_blob', 'glob of the folder', 'a file named in FROM'])(
    'refuses %s: exit 1, the sandbox denial, no secret, nothing read',
    async (name) => {
      const sql = queries(arena)[name] ?? '';
      const observed = await observe(arena, () => cliInProcess(['query', arena.mesh, sql, '--json'], engine));
      expect(observed.result.code).toBe(1);
      expect(observed.result.err).toMatch(QUERY_REFUSED);
      expectNothingOutside(arena, observed);
    },
  );

  it('refuses a read through bin/quanta.mjs with HOME in the arena', async () => {
    const observed = await observe(arena, () =>
      cliSubprocess(arena, ['query', '.', "SELECT * FROM read_csv('../outside/secret.csv')"], undefined, engine),
    );
    expect(observed.result.hung).toBe(false);
    expect(observed.result.code).toBe(1);
    expect(observed.result.err).toMatch(QUERY_REFUSED);
    expectNothingOutside(arena, observed);
    expect(await fsp.readdir(arena.home)).toEqual([]);
  }, 120_000);
});

describe.each(ENGINES)('a seed file that leads outside the mesh (%s engine)', (engine) => {
  it('refuses a seed symlinked to a file outside with QUANTA_E031, reading nothing there', async () => {
    const arena = await makeArena('read-seed');
    const orders = nodePath.join(arena.mesh, 'domains/sales/orders');
    await fsp.rm(nodePath.join(orders, 'data/orders.csv'));
    await fsp.symlink(arena.secret, nodePath.join(orders, 'data/orders.csv'));
    const observed = await observe(arena, () => cliInProcess(['run', arena.mesh], engine));
    expect(observed.result.code).toBe(1);
    expect(observed.result.err).toMatch(/data\/orders\.csv.*QUANTA_E031|QUANTA_E031[\s\S]*orders\.csv/);
    expectNothingOutside(arena, observed);
  });
});
