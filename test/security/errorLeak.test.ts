import { promises as fsp } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectFailedWithE070, expectNothingOutside, QUERY_REFUSED } from './expectations.ts';
import { addAttackProduct, addPolicy, makeArena, sqlString, yamlQuoted, type Arena } from './hostileMesh.ts';
import { ENGINES, cliInProcess, cliSubprocess, observe, runReport, type CliResult, type Observed, type RunReport } from './probes.ts';

/*
 * Attack class "error-channel leak": SQL that fails on purpose so that DuckDB's error text
 * quotes the file it read (a cast of its content, a CSV read with the wrong types, JSON
 * parsing, error() of the content). Even where a run or query does not publish, the secret
 * must not come back in the run table, the JSON report, a check's output or a query's error.
 */
const LEAKS: Record<string, (arena: Arena) => string> = {
  'cast-content': (a) => `SELECT CAST(content AS INTEGER)::VARCHAR AS v FROM read_text(${sqlString(a.secret)})`,
  'csv-wrong-type': (a) =>
    `SELECT (SELECT first(secret)::VARCHAR FROM read_csv(${sqlString(a.secret)}, header = true, columns = {'secret': 'INTEGER'})) AS v`,
  'csv-as-date': (a) =>
    `SELECT (SELECT first(c)::VARCHAR FROM read_csv(${sqlString(a.secret)}, header = false, columns = {'c': 'DATE'})) AS v`,
  'csv-column-count': (a) =>
    `SELECT (SELECT first(b) FROM read_csv(${sqlString(a.secret)}, header = false, columns = {'a': 'VARCHAR', 'b': 'VARCHAR'})) AS v`,
  'error-of-content': (a) => `SELECT error((SELECT first(content) FROM read_text(${sqlString(a.secret)}))) AS v`,
  'regexp-of-content': (a) => `SELECT (SELECT regexp_matches('x', first(content)) FROM read_text(${sqlString(a.secret)}))::VARCHAR AS v`,
};

describe.each(ENGINES)('a hostile mesh whose errors would quote a host file (quanta run) (%s engine)', (engine) => {
  let arena: Arena;
  let run: Observed<CliResult>;
  let report: RunReport;

  beforeAll(async () => {
    arena = await makeArena('leak');
    for (const [id, sql] of Object.entries(LEAKS)) await addAttackProduct(arena, { id, sql: sql(arena) });
    run = await observe(arena, () => cliInProcess(['run', arena.mesh], engine));
    report = runReport(await cliInProcess(['run', arena.mesh, '--json'], engine));
  }, 60_000);

  it.each(Object.keys(LEAKS))('fails %s with QUANTA_E070 before anything is read, so the error has nothing to quote', (id) => {
    expectFailedWithE070(report, [id]);
  });

  it('prints the secret nowhere in the run table or the JSON report', () => {
    expectNothingOutside(arena, run);
    expect(JSON.stringify(report)).not.toContain(arena.token);
  });

  it('quotes no secret from a console query whose error would', async () => {
    const observed = await observe(arena, () =>
      cliInProcess(['query', arena.mesh, `SELECT CAST(content AS INTEGER) FROM read_text(${sqlString(arena.secret)})`, '--json'], engine),
    );
    expect(observed.result.code).toBe(1);
    expect(observed.result.err).toMatch(QUERY_REFUSED);
    expectNothingOutside(arena, observed);
  });

  it('quotes no secret from a policy or a contract rule whose error would (quanta check --run)', async () => {
    const sub = await makeArena('leak-check');
    await addPolicy(
      sub,
      'leaks-by-cast',
      `SELECT CAST(content AS INTEGER) AS product_id, 'x' AS message FROM read_text(${sqlString(sub.secret)})`,
    );
    const rule = `SELECT CAST(content AS INTEGER) FROM read_text(${sqlString(sub.secret)})`;
    await addAttackProduct(sub, {
      id: 'rule-leaks-by-cast',
      sql: "SELECT 'ok' AS v",
      qualityYaml: ['- type: sql', `  query: ${yamlQuoted(rule)}`, '  mustBe: 0', '  severity: error'],
    });
    const observed = await observe(sub, () => cliInProcess(['check', sub.mesh, '--run', '--format', 'json'], engine));
    expect(observed.result.code).toBe(1);
    expectNothingOutside(sub, observed);
  });

  it('quotes no secret through bin/quanta.mjs worker threads either; HOME untouched', async () => {
    const observed = await observe(arena, () => cliSubprocess(arena, ['run', '.', '--json', '--pool', '2'], undefined, engine));
    expect(observed.result.hung).toBe(false);
    expect(observed.result.code).toBe(1);
    expectFailedWithE070(runReport(observed.result), Object.keys(LEAKS));
    expectNothingOutside(arena, observed);
    expect(await fsp.readdir(arena.home)).toEqual([]);
  }, 120_000);
});
