import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvOfRows } from '../../core/export/dbtSeeds.ts';
import { openRunnableMesh } from '../../core/node/commands/openMesh.ts';
import { runMeshFor } from '../../core/node/commands/runSession.ts';
import { queryPorts } from '../../core/run/portQuery.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { REPO, tempDir } from '../helpers.ts';

/*
 * datacontract-cli, the reference tool for ODCS, agrees with every contract Quanta ships:
 * `datacontract lint` passes on each sample contract, `datacontract test` passes on each
 * against the data the product publishes (Quanta's own run, written as Parquet with the
 * published DuckDB types), and `datacontract export` turns each into the formats teams use.
 */
const BIN = process.env['QUANTA_INTEROP_BIN'];
if (!BIN) throw new Error('run the interop suite with `npm run test:interop`: it makes the Python venv first');
const datacontract = nodePath.join(BIN, 'datacontract');
const SAMPLES = ['hello-mesh', 'retail', 'daff'];
const EXPORTS = ['sql', 'jsonschema', 'dbt-models', 'avro', 'html', 'sodacl'];

let dir: string;
beforeAll(async () => {
  dir = await tempDir('datacontract');
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

function run(args: readonly string[]): { status: number; output: string } {
  const result = spawnSync(datacontract, args, { encoding: 'utf8', cwd: dir, env: { ...process.env, COLUMNS: '200' } });
  return { status: result.status ?? 1, output: `${result.stdout}\n${result.stderr}` };
}

describe.each(SAMPLES)('the contracts of %s', (sample) => {
  const contracts: { file: string; tested: string }[] = [];

  beforeAll(async () => {
    const opened = await openRunnableMesh({ out: () => undefined, err: () => undefined, cwd: REPO }, `sample-meshes/${sample}`);
    if (!opened) throw new Error(`sample-meshes/${sample} does not load`);
    const host = new InProcessHost(2);
    const jobs: unknown[] = [];
    try {
      const session = await runMeshFor(opened, host, 0, {
        err: () => undefined,
        progress: false,
        createCatalogEngine: () => new QuantumCatalogEngine(host),
      });
      for (const product of opened.loaded.mesh.products) {
        for (const port of product.outputPorts) {
          const version = session.runtime.latestVersion(product.id, port.name);
          if (!port.contract || !version?.ipc || !version.columns) continue;
          // Every value as DuckDB prints it, NULL as \N, then typed back exactly by DuckDB in Python.
          const select = version.columns
            .map((c) => `CAST("${c.name.replace(/"/g, '""')}" AS VARCHAR) AS "${c.name.replace(/"/g, '""')}"`)
            .join(', ');
          const outcome = await queryPorts(
            host,
            [{ product: product.id, port: port.name, ipc: version.ipc }],
            `SELECT ${select} FROM "${product.id}"."${port.name}"`,
          );
          if (!outcome.ok) throw new Error(`${product.id}.${port.name}: ${outcome.error.message}`);
          const names = version.columns.map((c) => c.name);
          const rows = tableFromIPC(outcome.ipc)
            .toArray()
            .map((r: Record<string, unknown>) => names.map((n) => (r[n] === null ? '\\N' : String(r[n]))));
          const base = nodePath.join(dir, `${sample}.${product.id}.${port.name}`);
          await fsp.writeFile(`${base}.csv`, csvOfRows(names, rows));
          const file = nodePath.join(opened.dir, port.contract.file);
          const tested = `${base}.odcs.yaml`;
          jobs.push({
            csv: `${base}.csv`,
            columns: Object.fromEntries(version.columns.map((c) => [c.name, c.type])),
            parquet: `${base}.parquet`,
            contract: file,
            out: tested,
          });
          contracts.push({ file, tested });
        }
      }
    } finally {
      await host.dispose();
    }
    const converted = spawnSync(nodePath.join(BIN, 'python'), [nodePath.join(REPO, 'test', 'interop', 'toParquet.py')], {
      input: JSON.stringify(jobs),
      encoding: 'utf8',
    });
    if (converted.status !== 0) throw new Error(`toParquet.py: ${converted.stderr}`);
  });

  it('pass datacontract lint', () => {
    expect(contracts.length).toBeGreaterThan(0);
    const failed = contracts.flatMap((c) => {
      const lint = run(['lint', c.file]);
      return lint.status === 0 && lint.output.includes('valid') ? [] : [`${c.file}: ${lint.output.slice(-1500)}`];
    });
    expect(failed).toEqual([]);
  });

  it('pass datacontract test against the data their product publishes', () => {
    const failed = contracts.flatMap((c) => {
      const test = run(['test', c.tested]);
      // Parquet type checks are "not supported yet" in datacontract-cli: warnings, not failures.
      return test.status === 0 && !/🔴|failed/.test(test.output) ? [] : [`${c.file}: ${test.output.slice(-3000)}`];
    });
    expect(failed).toEqual([]);
  });

  it(`export with datacontract export to ${EXPORTS.join(', ')}`, () => {
    const failed = contracts.flatMap((c) =>
      EXPORTS.flatMap((format) => {
        const out = run(['export', format, c.file, '--output', nodePath.join(dir, `export.${format}`)]);
        return out.status === 0 ? [] : [`${format} ${c.file}: ${out.output.slice(-800)}`];
      }),
    );
    expect(failed).toEqual([]);
  });
});
