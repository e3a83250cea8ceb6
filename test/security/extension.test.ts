import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectFailedWithE070, expectHelloMeshPublished, expectNothingOutside } from './expectations.ts';
import { addAttackProduct, makeArena, sqlString, type Arena } from './hostileMesh.ts';
import { ENGINES, cliInProcess, cliSubprocess, observe, runReport, type CliResult, type Observed, type RunReport } from './probes.ts';

/*
 * Attack class "extension": a transform loads an extension file, or turns the sandbox's
 * switches back (unsigned or community extensions, external access, the lock itself, a temp
 * or extension folder on the host, the allow-list of paths, the memory ceiling) with SET,
 * RESET or PRAGMA, then reads the secret or publishes `ok`. Every statement is refused and
 * the product fails. LOAD (of httpfs, of a file) runs in a subprocess, bounded: it used to
 * hang until the timeout, and in this process that blocks the test's thread for good.
 */
const read = (a: Arena): string => `SELECT (SELECT first(content) FROM read_text(${sqlString(a.secret)})) AS v`;

const EXTENSIONS: Record<string, (arena: Arena) => string> = {
  'allow-unsigned': () => `SET allow_unsigned_extensions = true;\nSELECT 'ok' AS v`,
  'allow-community': () => `SET allow_community_extensions = true;\nSELECT 'ok' AS v`,
  'external-access-on': (a) => `SET enable_external_access = true;\n${read(a)}`,
  'global-external-access-on': (a) => `SET GLOBAL enable_external_access = true;\n${read(a)}`,
  'reset-external-access': (a) => `RESET enable_external_access;\n${read(a)}`,
  'unlock-configuration': (a) => `SET lock_configuration = false;\nSET enable_external_access = true;\n${read(a)}`,
  'reset-lock': (a) => `RESET lock_configuration;\nRESET enable_external_access;\n${read(a)}`,
  'pragma-unlock': (a) => `PRAGMA lock_configuration = false;\nPRAGMA enable_external_access = true;\n${read(a)}`,
  'allowed-directories': (a) => `SET allowed_directories = [${sqlString(a.outside)}];\n${read(a)}`,
  'allowed-paths': (a) => `SET allowed_paths = [${sqlString(a.secret)}];\n${read(a)}`,
  'temp-directory-outside': (a) => `SET temp_directory = ${sqlString(nodePath.join(a.outside, 'spill'))};\nSELECT 'ok' AS v`,
  'extension-directory-outside': (a) => `SET extension_directory = ${sqlString(nodePath.join(a.outside, 'ext'))};\nSELECT 'ok' AS v`,
  'raise-memory-limit': () => `SET memory_limit = '64GB';\nSELECT 'ok' AS v`,
  'pragma-memory-limit': () => `PRAGMA memory_limit = '64GB';\nSELECT 'ok' AS v`,
};

describe.each(ENGINES)('a hostile mesh that loads extensions or switches the sandbox off (quanta run) (%s engine)', (engine) => {
  let arena: Arena;
  let run: Observed<CliResult>;
  let report: RunReport;

  beforeAll(async () => {
    arena = await makeArena('extension');
    for (const [id, sql] of Object.entries(EXTENSIONS)) await addAttackProduct(arena, { id, sql: sql(arena) });
    run = await observe(arena, () => cliInProcess(['run', arena.mesh, '--json'], engine));
    report = runReport(run.result);
  }, 60_000);

  it.each(Object.keys(EXTENSIONS))('fails the transform %s with QUANTA_E070 and the sandbox denial; it publishes nothing', (id) => {
    expectFailedWithE070(report, [id]);
  });

  it('runs the mesh’s own products after them on the same quanta, unharmed, and exits 1', () => {
    expectHelloMeshPublished(report);
    expect(run.result.code).toBe(1);
  });

  it('prints no secret, and reads or writes nothing outside the mesh', () => {
    expectNothingOutside(arena, run);
  });

  it('refuses LOAD of httpfs and of extension files in bin/quanta.mjs within 60 s, not at the 300 s timeout; HOME untouched', async () => {
    const sub = await makeArena('extension-bin');
    // Not a real extension: LOAD must refuse the path before it looks at the bytes.
    await fsp.writeFile(nodePath.join(sub.outside, 'evil.duckdb_extension'), 'not an extension');
    const subAttacks = {
      'load-httpfs': `LOAD httpfs;\nSELECT 'ok' AS v`,
      'load-extension-file': `LOAD ${sqlString(nodePath.join(sub.outside, 'evil.duckdb_extension'))};\nSELECT 'ok' AS v`,
      'load-dotdot-file': `LOAD '../outside/evil.duckdb_extension';\nSELECT 'ok' AS v`,
      'unlock-then-read': `SET lock_configuration = false;\nSET enable_external_access = true;\nSELECT (SELECT first(content) FROM read_text('../outside/secret.csv')) AS v`,
    };
    for (const [id, sql] of Object.entries(subAttacks)) await addAttackProduct(sub, { id, sql, timeout: '300s' });
    const observed = await observe(sub, () => cliSubprocess(sub, ['run', '.', '--json', '--pool', '2'], 60_000, engine));
    expect(observed.result.hung, 'killed after 60 s: LOAD httpfs hung').toBe(false);
    expectFailedWithE070(runReport(observed.result), Object.keys(subAttacks));
    expect(observed.result.code).toBe(1);
    expectNothingOutside(sub, observed);
    expect(await fsp.readdir(sub.home)).toEqual([]);
  }, 90_000);
});
