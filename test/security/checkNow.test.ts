import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractWithRule } from '../../core/edits/qualityRules.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import type { DataProduct, OutputPort } from '../../core/model/types.ts';
import { NodeFileSystem } from '../../core/node/nodeFileSystem.ts';
import { checkRuleNow, stopCheckNow, type CheckNowResult } from '../../core/run/checkNow.ts';
import { MeshRuntime } from '../../core/run/meshRuntime.ts';
import type { PortVersion, QuantumHost } from '../../core/run/runTypes.ts';
import type { YamlSourceFile } from '../../core/yaml/sourceFile.ts';
import { QUANTUM_HOSTS } from '../quantumHosts.ts';
import { SANDBOX_DENIAL } from './expectations.ts';
import { makeArena, sqlString, type Arena } from './hostileMesh.ts';
import { expectNoSecret, observe } from './probes.ts';

/*
 * "Run this check now" runs a contract `type: sql` rule the user is still typing — from a mesh
 * someone sent, too. It must be refused or bounded exactly as at publish: host files and the
 * network out of reach (QUANTA_E070 with DuckDB's denial, no secret in the message), one
 * SELECT only (QUANTA_E071, or the parser's syntax error for a text closing Quanta's old
 * wrapper), nothing written outside the mesh, and a rule that never ends (a huge cross join,
 * endless recursion) stopped by the product's simulation.timeout or its memory limit.
 */
const CONTRACT = 'domains/sales/orders/orders.odcs.yaml';
const REFUSED_BY_THE_PARSER = /QUANTA_E071|Parser Error: syntax error/;

interface Setup {
  readonly product: DataProduct;
  readonly port: OutputPort;
  readonly file: YamlSourceFile;
  readonly version: PortVersion;
}

async function publishedOrders(arena: Arena, host: QuantumHost): Promise<Setup> {
  const fs = new NodeFileSystem(arena.mesh);
  const { mesh } = await loadMesh(fs);
  const runtime = new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path) });
  expect((await runtime.runProduct('orders')).status).toBe('published');
  const product = mesh.products.find((p) => p.id === 'orders') as DataProduct;
  return {
    product,
    port: product.outputPorts[0] as OutputPort,
    file: mesh.files.get(CONTRACT) as YamlSourceFile,
    version: runtime.history('orders', 'orders').at(-1) as PortVersion,
  };
}

function checkSql(host: QuantumHost, setup: Setup, query: string, product = setup.product): Promise<CheckNowResult> {
  const edited = contractWithRule(setup.file, { table: 0 }, undefined, { type: 'sql', query, mustBe: 0 });
  if (!edited) throw new Error('the rule could not be placed');
  return checkRuleNow(host, product, setup.port, edited.contract, edited.path, { ipc: setup.version.ipc as Uint8Array });
}

const leaving = (arena: Arena): Record<string, string> => ({
  'reads the secret': `SELECT count(*) FROM read_text(${sqlString(arena.secret)})`,
  'reads the secret by a relative path': `SELECT count(*) FROM read_csv('../outside/secret.csv')`,
  'casts the secret to a number': `SELECT CAST(content AS INTEGER) FROM read_text(${sqlString(arena.secret)})`,
  'globs the outside folder': `SELECT count(*) FROM glob(${sqlString(`${arena.outside}/*`)})`,
  'reads a URL': `SELECT count(*) FROM read_csv('http://127.0.0.1:9/orders.csv')`,
});

const breakingOut = (arena: Arena): Record<string, string> => ({
  'closes the cast': `SELECT 1) AS DOUBLE) AS value, 0 AS total; COPY (SELECT 1 AS x) TO ${sqlString(nodePath.join(arena.outside, 'rule.csv'))}; SELECT CAST((SELECT 1`,
  'two statements': `COPY (SELECT 1 AS x) TO ${sqlString(nodePath.join(arena.outside, 'rule2.csv'))}; SELECT 1`,
  'attaches a file': `ATTACH ${sqlString(nodePath.join(arena.outside, 'rule.duckdb'))} AS x`,
});

describe.each(QUANTUM_HOSTS)('a hostile rule checked now ($name)', ({ open }) => {
  let arena: Arena;
  let host: QuantumHost;
  let setup: Setup;
  beforeAll(async () => {
    arena = await makeArena('check-now');
    host = open(1);
    setup = await publishedOrders(arena, host);
  }, 120_000);
  afterAll(() => host.dispose());

  it('refuses a rule that reads a host file or a URL with the sandbox denial, quoting no secret, reading nothing', async () => {
    for (const [name, sql] of Object.entries(leaving(arena))) {
      const observed = await observe(arena, () => checkSql(host, setup, sql));
      expect(observed.result.status, name).toBe('error');
      expect(observed.result.message, name).toMatch(/QUANTA_E070/);
      expect(observed.result.message, name).toMatch(SANDBOX_DENIAL);
      expectNoSecret(arena, observed.result.message);
      expect(observed.read, `${name}: files outside the mesh were read`).toEqual([]);
      expect(observed.changed, `${name}: files outside the mesh were written`).toEqual([]);
    }
  });

  it('refuses a rule that is not one SELECT before it runs, writing nothing', async () => {
    for (const [name, sql] of Object.entries(breakingOut(arena))) {
      const observed = await observe(arena, () => checkSql(host, setup, sql));
      expect(observed.result.status, name).toBe('error');
      expect(observed.result.message, name).toMatch(REFUSED_BY_THE_PARSER);
      expect(observed.changed, `${name}: files outside the mesh were written`).toEqual([]);
    }
    await expect(fsp.readdir(arena.outside)).resolves.toEqual(['private', 'secret.csv']);
  });
});

// Not the in-process host: a query in this thread cannot be stopped from it.
const STOPPABLE = QUANTUM_HOSTS.filter((h) => h.name !== 'in-process host');

describe.each(STOPPABLE)('a rule checked now that never ends ($name)', ({ open }) => {
  let arena: Arena;
  let host: QuantumHost;
  let setup: Setup;
  beforeAll(async () => {
    arena = await makeArena('check-now-hang');
    host = open(1);
    setup = await publishedOrders(arena, host);
  }, 120_000);
  afterAll(() => host.dispose());

  const bounded = (timeout: string): DataProduct => {
    const settings = setup.product.settings;
    if (!settings) throw new Error('orders has no quanta.yaml');
    return { ...setup.product, settings: { ...settings, simulation: { ...settings.simulation, timeout } } };
  };

  it('stops a huge cross join at simulation.timeout or the memory limit, as at publish, and the next check runs', async () => {
    const started = Date.now();
    const result = await checkSql(host, setup, 'SELECT count(*) FROM range(1000000000) a, range(1000000000) b', bounded('2s'));
    // Whichever bound comes first: the timeout stops the quantum, or DuckDB hits its memory limit.
    expect(['error', 'stopped']).toContain(result.status);
    expect(result.message).toMatch(/simulation\.timeout in quanta\.yaml \(2s\)|QUANTA_E073 out of memory/);
    expect(Date.now() - started).toBeLessThan(20_000);
    await expect(checkSql(host, setup, 'SELECT count(*) FROM orders WHERE amount_eur < 0')).resolves.toMatchObject({ status: 'passed' });
  }, 60_000);

  it('stops a check the user stops, at once, and the next check runs', async () => {
    const started = Date.now();
    // A long scan that needs no memory: only a stop (or the 300 s timeout) ends it.
    const running = checkSql(host, setup, 'SELECT sum(range) FROM range(100000000000000)', bounded('300s'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stopCheckNow(host, setup.product.id)).toBe(true);
    const result = await running;
    expect(result.status).toBe('stopped');
    expect(Date.now() - started).toBeLessThan(20_000);
    await expect(checkSql(host, setup, 'SELECT count(*) FROM orders WHERE amount_eur < 0')).resolves.toMatchObject({ status: 'passed' });
  }, 60_000);

  it('stops endless recursion by the memory limit or the timeout, and the next check runs', async () => {
    const started = Date.now();
    const result = await checkSql(
      host,
      setup,
      'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
      bounded('5s'),
    );
    expect(['error', 'stopped']).toContain(result.status);
    expect(result.message).toMatch(/simulation\.timeout in quanta\.yaml \(5s\)|QUANTA_E073 out of memory/);
    expect(Date.now() - started).toBeLessThan(30_000);
    await expect(checkSql(host, setup, 'SELECT count(*) FROM orders WHERE amount_eur < 0')).resolves.toMatchObject({ status: 'passed' });
  }, 60_000);
});
