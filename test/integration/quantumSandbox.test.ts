import { mkdtempSync, writeFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import nodePath from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRequest } from '../../core/run/quantumProtocol.ts';
import type { QuantumLease } from '../../core/run/runTypes.ts';
import { leaseQuantum, QUANTUM_HOSTS } from '../quantumHosts.ts';

/*
 * The quantum's sandbox, statement by statement: DuckDB's switches (external access off,
 * no extensions, locked configuration) and the runtime seal (no host file from JavaScript).
 * Each statement runs as a product's transform against a folder outside any mesh that holds
 * a secret; none may read it, write next to it, or change the settings that keep it out.
 */
const SECRET = 'the-secret-token-5f1c9a';
// Made when the file loads: the cases below name these paths.
const outside = mkdtempSync(nodePath.join(tmpdir(), 'quanta-outside-'));
const secretFile = nodePath.join(outside, 'secret.csv');
writeFileSync(secretFile, `token\n${SECRET}\n`);
afterAll(async () => rm(outside, { recursive: true, force: true }));

function transformRequest(sql: string): RunRequest {
  return {
    productId: 'hostile',
    transform: { file: 'domains/d/hostile/transform.sql', sql },
    inputs: [{ kind: 'csv', name: 'seed', file: 'domains/d/hostile/data/seed.csv', bytes: new TextEncoder().encode('a,b\n1,x\n2,y\n') }],
    ports: [{ name: 'out', checks: [] }],
  };
}

const hostile = (path: () => string): [string, string][] => [
  ['read_csv of a host file', `SELECT * FROM read_csv('${path()}')`],
  ['read_text of a host file', `SELECT content FROM read_text('${path()}')`],
  ['read_blob of a host file', `SELECT content FROM read_blob('${path()}')`],
  ['glob of a host folder', `SELECT * FROM glob('${nodePath.dirname(path())}/*')`],
  ['COPY to a host file', `COPY (SELECT 1 AS x) TO '${nodePath.dirname(path())}/written.csv'; SELECT 1 AS x`],
  ['ATTACH a host database', `ATTACH '${nodePath.dirname(path())}/x.duckdb' AS x; SELECT 1 AS x`],
  ['EXPORT DATABASE to a host folder', `EXPORT DATABASE '${nodePath.dirname(path())}/export'; SELECT 1 AS x`],
  ['re-enabling external access', 'SET enable_external_access = true; SELECT 1 AS x'],
  ['unlocking the configuration', 'SET lock_configuration = false; SELECT 1 AS x'],
  ['resetting a sandbox setting', 'RESET enable_external_access; SELECT 1 AS x'],
  ['extension autoinstall', 'SET autoinstall_known_extensions = true; SELECT 1 AS x'],
  ['a custom extension repository', "SET custom_extension_repository = 'http://127.0.0.1:9/'; SELECT 1 AS x"],
  ['loading an extension', 'LOAD httpfs; SELECT 1 AS x'],
  ['installing an extension', '-- needs httpfs\nINSTALL httpfs; SELECT 1 AS x'],
  ['installing from a repository', "FORCE INSTALL json FROM 'http://127.0.0.1:9/'; SELECT 1 AS x"],
  ['loading an extension file', `LOAD '${nodePath.dirname(path())}/x.duckdb_extension'; SELECT 1 AS x`],
  ['unsigned extensions', 'SET allow_unsigned_extensions = true; SELECT 1 AS x'],
  ['a raised memory limit', "SET memory_limit = '100GB'; SELECT 1 AS x"],
  ['spilling to a host folder', `SET temp_directory = '${nodePath.dirname(path())}/spill'; SELECT 1 AS x`],
  ['a query log on the host', `SET log_query_path = '${nodePath.dirname(path())}/log.txt'; SELECT 1 AS x`],
  ['an http URL', "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')"],
  ['the seed buffer name written to', "COPY (SELECT 'overwritten' AS a) TO '/quanta/source'; SELECT * FROM read_csv('/quanta/source')"],
];

// The same sandbox in this thread and behind a worker thread (the app's quanta all run in workers).
describe.each(QUANTUM_HOSTS)("a quantum's sandbox ($name)", ({ open }) => {
  let quantum: QuantumLease['quantum'];
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ quantum, close } = await leaseQuantum(open));
  });
  afterAll(async () => close());

  it.each(hostile(() => secretFile))('refuses %s with QUANTA_E070 and leaves the host untouched', async (_name, sql) => {
    const before = await readdir(outside);
    const outcome = await quantum.run(transformRequest(sql));
    const text = JSON.stringify(outcome);
    expect(text).not.toContain(SECRET);
    expect(await readdir(outside)).toEqual(before);
    if (outcome.ok) {
      // Only the buffer-name case may run: it reads the quantum's own (empty) buffer, not the host.
      expect(sql).toContain('/quanta/source');
      return;
    }
    expect(outcome.error.kind).toBe('sandbox');
    expect(outcome.error.message).toMatch(/^QUANTA_E070 /);
  });

  it('still reads CSV seeds (through its one in-memory source buffer) after refusing', async () => {
    const outcome = await quantum.run(transformRequest('SELECT a, b FROM seed ORDER BY a'));
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(tableFromIPC(outcome.ports[0]?.ipc ?? new Uint8Array()).numRows).toBe(2);
  });

  it('keeps its settings locked after a product asked for another memory limit', async () => {
    await quantum.configure({ memoryLimit: '256MB' });
    const limit = await quantum.query("SELECT current_setting('memory_limit') AS m, current_setting('lock_configuration') AS l");
    if (!limit.ok) throw new Error(limit.error.message);
    const row = tableFromIPC(limit.ipc).get(0)?.toJSON() as { m: string; l: boolean };
    expect(row.l).toBe(true);
    expect(row.m).toMatch(/^2\d\d\.\d MiB$/);
    const refused = await quantum.run(transformRequest(`SELECT * FROM read_text('${secretFile}')`));
    expect(refused.ok ? 'ran' : refused.error.kind).toBe('sandbox');
    await quantum.configure({});
  });

  it('names running out of memory as QUANTA_E073 with the limit to raise', async () => {
    await quantum.configure({ memoryLimit: '16MB' });
    const outcome = await quantum.run(
      transformRequest('SELECT range AS id, repeat(CAST(range AS VARCHAR), 200) AS s FROM range(3000000) ORDER BY s DESC'),
    );
    await quantum.configure({});
    expect(outcome.ok ? 'ran' : outcome.error.kind).toBe('memory');
    if (!outcome.ok)
      expect(outcome.error.message).toMatch(/^QUANTA_E073 out of memory at the quantum's limit of 16MB .*simulation\.memoryLimit/);
  });

  it('answers a console query that is not one SELECT with DuckDB parser error, not by running it', async () => {
    // MeshRuntime.query sends console SQL through query(): DuckDB parses it as a string.
    const outcome = await quantum.query("SELECT * FROM query('SELECT 1; CREATE TABLE t AS SELECT 1')");
    expect(outcome.ok ? 'ran' : outcome.error.message).toMatch(/Expected a single SELECT statement/);
  });
});
