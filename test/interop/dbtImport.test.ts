import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asFields, asList, asString } from '../../core/model/read.ts';
import type { Mesh, OutputPort } from '../../core/model/types.ts';
import { runCli } from '../../core/node/cli.ts';
import { openRunnableMesh, type OpenedMesh } from '../../core/node/commands/openMesh.ts';
import { runMeshFor } from '../../core/node/commands/runSession.ts';
import { duckdbTypeOf } from '../../core/run/declaredTypes.ts';
import { queryPorts } from '../../core/run/portQuery.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { REPO, tempDir } from '../helpers.ts';

/*
 * Issue 17's round trip with the real dbt: each sample mesh exported by `quanta export dbt`
 * (DuckDB and Spark SQL), parsed by `dbt parse` into target/manifest.json, and imported back
 * by `quanta import dbt` gives the same products, output ports and columns (names and DuckDB
 * types); the imported mesh runs in Quanta and each port it publishes holds the same rows
 * (count and content hash) as the original's run.
 */
const BIN = process.env['QUANTA_INTEROP_BIN'];
if (!BIN) throw new Error('run the interop suite with `npm run test:interop`: it makes the Python venv with dbt first');
const dbt = nodePath.join(BIN, 'dbt');
const SAMPLES = ['hello-mesh', 'retail', 'daff'];

/**
 * What does not hold yet after the round trip, with the reason; the test fails when the list is
 * wrong either way. Both come from one cause: the export writes a generated source as a seed of
 * its first load, with dbt `column_types` for its columns, and Quanta does not read a seed's
 * types from anywhere but the product's contracts (and the file, for columns no contract names).
 * - play-events: `app_session_id` is DOUBLE in its seeds but BIGINT in the port's contract, so
 *   the quantum reads it rounded where the transform floors it, and 4 of 50,000 plays lose their
 *   session; its downstream (play-sessions, podcast-listeners, top-daily-podcasts) differs.
 * - music-catalog: `released_at` text ("…T15:58:49.408Z", VARCHAR in dbt) is read as TIMESTAMP
 *   WITH TIME ZONE, which DuckDB-WASM cannot cast to DATE without ICU: it fails, its downstream is stale.
 */
const KNOWN_GAPS: Record<
  string,
  { readonly failed: readonly string[]; readonly stale: readonly string[]; readonly differ: readonly string[] }
> = {
  daff: {
    failed: ['music-catalog'],
    stale: ['artist-profiles', 'artist-royalties', 'emerging-artists', 'listener-music-profiles'],
    differ: [
      'play-events.play_events',
      'play-sessions.play_sessions',
      'play-sessions.session_tracks',
      'podcast-listeners.podcast_listeners',
      'top-daily-podcasts.top_daily_podcasts',
    ],
  },
};

function sh(command: string, args: readonly string[], cwd: string): { status: number; out: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, DO_NOT_TRACK: '1' } });
  return { status: result.status ?? 1, out: `${result.stdout}\n${result.stderr}` };
}

async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t), cwd: REPO });
  return { code, out, err };
}

/** product → port → columns as `name type`, types as DuckDB reads the contract. */
function shape(mesh: Mesh): Record<string, Record<string, string[]>> {
  const columns = (port: OutputPort): string[] => {
    const schema = asList(port.contract?.document['schema']).map(asFields);
    const table = schema.find((t) => asString(t['name']) === port.name) ?? schema[0];
    return asList(table?.['properties']).map((raw) => {
      const p = asFields(raw);
      return `${asString(p['name']) ?? '?'} ${duckdbTypeOf(p) ?? '?'}`;
    });
  };
  return Object.fromEntries(
    [...mesh.products]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((p) => [p.id, Object.fromEntries(p.outputPorts.map((port) => [port.name, columns(port)]))]),
  );
}

/** One text per row whatever the column's exact type (DECIMAL(18,2) or (38,2)): numbers to six decimals, NULL as `∅`. */
function canonicalSql(relation: string, port: OutputPort): string {
  const schema = asList(port.contract?.document['schema']).map(asFields);
  const table = schema.find((t) => asString(t['name']) === port.name) ?? schema[0];
  const cells = asList(table?.['properties']).map((raw) => {
    const p = asFields(raw);
    const col = `"${(asString(p['name']) ?? '').replace(/"/g, '""')}"`;
    const number = /^(DOUBLE|FLOAT|REAL|DECIMAL|NUMERIC|HUGEINT)/i.test(duckdbTypeOf(p) ?? '');
    return `coalesce(${number ? `printf('%.6f', CAST(${col} AS DOUBLE))` : `CAST(${col} AS VARCHAR)`}, '∅')`;
  });
  return `SELECT concat_ws('|', ${cells.join(', ')}) AS row FROM ${relation}`;
}

/** Quanta's own run at tick 0: each product's status, each published port's row count and a checksum of its rows (order ignored). */
async function runOf(opened: OpenedMesh): Promise<{ status: Map<string, string>; ports: Map<string, string> }> {
  const host = new InProcessHost(2);
  try {
    const session = await runMeshFor(opened, host, 0, { err: () => undefined, createCatalogEngine: () => new QuantumCatalogEngine(host) });
    const status = new Map<string, string>();
    const ports = new Map<string, string>();
    for (const product of opened.loaded.mesh.products) {
      status.set(product.id, session.runtime.lastRun(product.id)?.status ?? 'not run');
      for (const port of product.outputPorts) {
        const ipc = session.runtime.latestVersion(product.id, port.name)?.ipc;
        if (!ipc) continue;
        const outcome = await queryPorts(
          host,
          [{ product: product.id, port: port.name, ipc }],
          canonicalSql(`"${product.id}"."${port.name}"`, port),
        );
        if (!outcome.ok) throw new Error(`${product.id}.${port.name}: ${outcome.error.message}`);
        const rows = tableFromIPC(outcome.ipc)
          .toArray()
          .map((r: { row: string }) => String(r.row))
          .sort();
        const hash = createHash('sha256');
        for (const row of rows) hash.update(`${row}\n`);
        ports.set(`${product.id}.${port.name}`, `${rows.length} rows, ${hash.digest('hex').slice(0, 16)}`);
      }
    }
    return { status, ports };
  } finally {
    await host.dispose();
  }
}

const silent = { out: () => undefined, err: () => undefined, cwd: REPO };

describe.each(SAMPLES)('%s: export dbt → dbt parse → import dbt', (sample) => {
  let dir: string;
  let original: OpenedMesh;
  let imported: OpenedMesh;
  let report: { schemaVersion: number; notes: { product?: string; text: string }[]; valid: boolean };

  beforeAll(async () => {
    dir = await tempDir(`dbt-import-${sample}`);
    const project = nodePath.join(dir, 'project');
    const exported = await cli(['export', 'dbt', `sample-meshes/${sample}`, '--out', project]);
    if (exported.code !== 0) throw new Error(`quanta export dbt failed: ${exported.err}`);
    const parsed = sh(dbt, ['parse', '--profiles-dir', '.'], project);
    if (parsed.status !== 0) throw new Error(`dbt parse failed: ${parsed.out.slice(-3000)}`);
    const mesh = nodePath.join(dir, 'mesh');
    const run = await cli(['import', 'dbt', nodePath.join(project, 'target', 'manifest.json'), '--out', mesh, '--json']);
    if (run.code !== 0) throw new Error(`quanta import dbt failed (${run.code}): ${run.err}${run.out.slice(0, 3000)}`);
    report = JSON.parse(run.out) as typeof report;
    const a = await openRunnableMesh(silent, `sample-meshes/${sample}`);
    const b = await openRunnableMesh(silent, mesh);
    if (!a || !b) throw new Error('a mesh does not load');
    original = a;
    imported = b;
  });
  afterAll(async () => {
    if (dir) await fsp.rm(dir, { recursive: true, force: true });
  });

  it('gives back the same products, output ports and columns (names and types), from a v12 manifest', () => {
    expect(report.valid).toBe(true);
    expect(report.schemaVersion).toBe(12);
    expect(shape(imported.loaded.mesh)).toEqual(shape(original.loaded.mesh));
    const domains = (mesh: Mesh): Record<string, string> => Object.fromEntries(mesh.products.map((p) => [p.id, p.domain]));
    expect(domains(imported.loaded.mesh)).toEqual(domains(original.loaded.mesh));
    const inputs = (mesh: Mesh): string[] => mesh.products.flatMap((p) => p.inputPorts.map((i) => `${p.id} ← ${i.contractId}`)).sort();
    expect(inputs(imported.loaded.mesh)).toEqual(inputs(original.loaded.mesh));
  });

  it('runs in Quanta: every product publishes the rows the original publishes, but the known gaps', async () => {
    const gaps = KNOWN_GAPS[sample] ?? { failed: [], stale: [], differ: [] };
    const [before, after] = [await runOf(original), await runOf(imported)];
    const by = (status: string): string[] =>
      [...after.status]
        .filter(([, s]) => s === status)
        .map(([id]) => id)
        .sort();
    expect(by('failed'), JSON.stringify([...after.status])).toEqual([...gaps.failed].sort());
    expect(by('stale')).toEqual([...gaps.stale].sort());
    expect(after.ports.size).toBeGreaterThan(0);
    const differ = [...after.ports].filter(([port, digest]) => digest !== before.ports.get(port)).map(([port]) => port);
    expect(differ.sort(), JSON.stringify(differ.map((p) => [p, before.ports.get(p), after.ports.get(p)]))).toEqual([...gaps.differ].sort());
    const skipped = new Set([...gaps.failed, ...gaps.stale]);
    expect([...after.ports.keys()].length).toBe([...before.ports.keys()].filter((p) => !skipped.has(p.split('.')[0] ?? '')).length);
  });
});
