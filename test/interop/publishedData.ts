import { spawnSync } from 'node:child_process';
import { promises as fsp, readFileSync } from 'node:fs';
import nodePath from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { csvOfRows } from '../../core/export/dbtSeeds.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import type { MeshFiles } from '../../core/model/types.ts';
import { openRunnableMesh } from '../../core/node/commands/openMesh.ts';
import { runMeshFor } from '../../core/node/commands/runSession.ts';
import { NodeFileSystem } from '../../core/node/nodeFileSystem.ts';
import type { PortVersion } from '../../core/run/runTypes.ts';
import { queryPorts } from '../../core/run/portQuery.ts';
import { planSave } from '../../core/save/savePlan.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { REPO } from '../helpers.ts';

/*
 * The interop suite's way from a mesh folder to what datacontract-cli tests: Quanta runs the
 * mesh, each output port's published version is written as CSV (every value as DuckDB prints
 * it) and typed back into Parquet with the published DuckDB types by toParquet.py, next to a
 * copy of the port's contract whose only server is that Parquet file.
 */

export const BIN = process.env['QUANTA_INTEROP_BIN'];
if (!BIN) throw new Error('run the interop suite with `npm run test:interop`: it makes the Python venv first');
const DATACONTRACT = nodePath.join(BIN, 'datacontract');

export interface PublishedPort {
  readonly product: string;
  readonly port: string;
  /** The contract as the mesh has it, absolute. */
  readonly contract: string;
  /** The copy datacontract test reads: servers = the Parquet file. */
  readonly tested: string;
  readonly parquet: string;
  readonly version: PortVersion;
}

export interface ParquetJob {
  readonly csv: string;
  readonly columns: Readonly<Record<string, string>>;
  readonly parquet: string;
  readonly contract: string;
  readonly out: string;
}

export interface PublishedMesh {
  readonly published: PublishedPort[];
  /** Contracted ports with no version after the run (refused or failed, as daff's are on purpose), with their contract. */
  readonly unpublished: { readonly product: string; readonly port: string; readonly contract: string }[];
}

/** Runs the mesh in `meshDir` once and writes every contracted output port's data under `outDir` as `<label>.<product>.<port>.*`. */
export async function publishMesh(meshDir: string, outDir: string, label: string): Promise<PublishedMesh> {
  const problems: string[] = [];
  const opened = await openRunnableMesh({ out: () => undefined, err: (t) => problems.push(t), cwd: REPO }, meshDir);
  if (!opened) throw new Error(`${meshDir} does not load:\n${problems.join('')}`);
  const host = new InProcessHost(2);
  const published: PublishedPort[] = [];
  const unpublished: PublishedMesh['unpublished'] = [];
  const jobs: ParquetJob[] = [];
  try {
    const session = await runMeshFor(opened, host, 0, {
      err: () => undefined,
      progress: false,
      createCatalogEngine: () => new QuantumCatalogEngine(host),
    });
    for (const product of opened.loaded.mesh.products) {
      for (const port of product.outputPorts) {
        const version = session.runtime.latestVersion(product.id, port.name);
        if (!port.contract) continue;
        const contract = nodePath.join(opened.dir, port.contract.file);
        if (!version?.ipc || !version.columns) {
          unpublished.push({ product: product.id, port: port.name, contract });
          continue;
        }
        // Every value as DuckDB prints it, NULL as \N, then typed back exactly by DuckDB in Python.
        const select = version.columns.map((c) => `CAST(${quoted(c.name)} AS VARCHAR) AS ${quoted(c.name)}`).join(', ');
        const outcome = await queryPorts(
          host,
          [{ product: product.id, port: port.name, ipc: version.ipc }],
          `SELECT ${select} FROM ${quoted(product.id)}.${quoted(port.name)}`,
        );
        if (!outcome.ok) throw new Error(`${product.id}.${port.name}: ${outcome.error.message}`);
        const names = version.columns.map((c) => c.name);
        const rows = tableFromIPC(outcome.ipc)
          .toArray()
          .map((r: Record<string, unknown>) => names.map((n) => (r[n] === null ? '\\N' : String(r[n]))));
        const base = nodePath.join(outDir, `${label}.${product.id}.${port.name}`);
        await fsp.writeFile(`${base}.csv`, csvOfRows(names, rows));
        const job = {
          csv: `${base}.csv`,
          columns: Object.fromEntries(version.columns.map((c) => [c.name, c.type])),
          parquet: `${base}.parquet`,
          contract,
          out: `${base}.odcs.yaml`,
        };
        jobs.push(job);
        published.push({ product: product.id, port: port.name, contract, tested: job.out, parquet: job.parquet, version });
      }
    }
  } finally {
    await host.dispose();
  }
  toParquet(jobs);
  return { published, unpublished };
}

/** CSV → Parquet with the given DuckDB types, and the contract copy with that Parquet file as its server (toParquet.py). */
export function toParquet(jobs: readonly ParquetJob[]): void {
  if (jobs.length === 0) return;
  const converted = spawnSync(nodePath.join(BIN ?? '', 'python'), [nodePath.join(REPO, 'test', 'interop', 'toParquet.py')], {
    input: JSON.stringify(jobs),
    encoding: 'utf8',
  });
  if (converted.status !== 0) throw new Error(`toParquet.py: ${converted.stderr}`);
}

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function datacontract(args: readonly string[], cwd: string): { status: number; output: string } {
  const result = spawnSync(DATACONTRACT, args, { encoding: 'utf8', cwd, env: { ...process.env, COLUMNS: '200' } });
  return { status: result.status ?? 1, output: `${result.stdout}\n${result.stderr}` };
}

/** `datacontract lint`: exit 0 and "valid" in its words; the failure text otherwise. */
export function lintFailure(contract: string, cwd: string): string | undefined {
  const lint = datacontract(['lint', contract], cwd);
  return lint.status === 0 && lint.output.includes('valid') ? undefined : `${contract}: ${lint.output.slice(-1500)}`;
}

/** What datacontract-cli 1.2 says of a type check on Parquet: it casts the file into the contract's types first (a value that does not cast fails the run). */
export const PARQUET_TYPES_UNCHECKED = 'Checking types in parquet files is not supported yet.';

export interface TestRun {
  readonly status: number;
  readonly output: string;
  /** The checks that did not pass, from the JSON report, as `<result> <name>: <reason>`. */
  readonly notPassed: readonly string[];
}

/** `datacontract test` with its JSON report (`--output-format json`). */
export function datacontractTest(tested: string, cwd: string): TestRun {
  const report = `${tested}.report.json`;
  const run = datacontract(['test', tested, '--output', report, '--output-format', 'json'], cwd);
  let checks: { result?: string; name?: string; reason?: string }[] = [];
  try {
    checks = (JSON.parse(readFileSync(report, 'utf8')) as { checks?: typeof checks }).checks ?? [];
  } catch {
    checks = [{ result: 'no report', name: tested, reason: run.output.slice(-500) }];
  }
  const notPassed = checks.filter((c) => c.result !== 'passed').map((c) => `${c.result ?? '?'} ${c.name ?? '?'}: ${c.reason ?? ''}`);
  return { ...run, notPassed };
}

/**
 * Warnings datacontract-cli gives on every such contract, for what it cannot do, not for the data:
 * types on Parquet, and a relationship to another product's port (it checks relationships only
 * inside one contract; Quanta's contracts point at the upstream port's table).
 */
const ACCEPTED_WARNINGS: readonly RegExp[] = [
  new RegExp(`: ${PARQUET_TYPES_UNCHECKED.replace(/\./g, '\\.')}$`),
  /: The relationship from \S+ to \S+ is not checked: the contract has no schema \S+\.$/,
];

/**
 * `datacontract test` against the contract copy's Parquet server: exit 0 and every check passed,
 * but for ACCEPTED_WARNINGS and the checks `known` names (a known gap, with its reason where it
 * is listed). A rule datacontract-cli could not run is a warning or has no result: it fails here.
 */
export function testFailure(tested: string, cwd: string, known: readonly string[] = []): string | undefined {
  const test = datacontractTest(tested, cwd);
  const unexpected = test.notPassed.filter(
    (c) => !(c.startsWith('warning ') && ACCEPTED_WARNINGS.some((w) => w.test(c))) && !known.some((name) => c.includes(` ${name}:`)),
  );
  return test.status === 0 && unexpected.length === 0
    ? undefined
    : `${tested} (exit ${test.status}): ${unexpected.join('\n')}\n${test.output.slice(-2000)}`;
}

export const EXPORTS = ['sql', 'jsonschema', 'dbt-models', 'avro', 'html', 'sodacl'] as const;

/** `datacontract export` to each of EXPORTS; the formats that failed, with why. */
export function exportFailures(contract: string, cwd: string): string[] {
  return EXPORTS.flatMap((format) => {
    const out = datacontract(['export', format, contract, '--output', nodePath.join(cwd, `export.${format}`)], cwd);
    return out.status === 0 ? [] : [`${format} ${contract}: ${out.output.slice(-800)}`];
  });
}

/** A sample mesh copied into `dir`, loaded: the files an edit starts from. */
export async function copiedMesh(sample: string, dir: string): Promise<MeshFiles> {
  await fsp.cp(nodePath.join(REPO, 'sample-meshes', sample), dir, { recursive: true });
  return (await loadMesh(new NodeFileSystem(dir))).mesh.files;
}

/** Saves an edited file map into the mesh folder as the app's save does (core/save/savePlan.ts): changed files written, removed ones deleted. */
export async function saveMesh(dir: string, files: MeshFiles, saved: MeshFiles): Promise<void> {
  const plan = planSave({ files, saved, folderPaths: saved.keys(), diagnostics: [] });
  for (const [path, bytes] of plan.writes) {
    const target = nodePath.join(dir, ...path.split('/'));
    if (bytes === null) {
      await fsp.rm(target, { force: true });
    } else {
      await fsp.mkdir(nodePath.dirname(target), { recursive: true });
      await fsp.writeFile(target, bytes);
    }
  }
}
