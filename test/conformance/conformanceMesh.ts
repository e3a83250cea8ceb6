import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { stringify } from 'yaml';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { MeshRuntime } from '../../core/run/meshRuntime.ts';
import type { ProductRun } from '../../core/run/runTypes.ts';
import type { QuantumHost } from '../../core/run/runTypes.ts';
import type { Diagnostic } from '../../core/diagnostics/diagnostic.ts';

/*
 * The conformance harness: a data file and a contract become the smallest mesh that
 * publishes the file as it is — one source-aligned product, no transform, its one output
 * port under the contract — and the run's checks are what the contract proves about the data.
 */
export const CONFORMANCE_DIR = nodePath.dirname(new URL(import.meta.url).pathname);

export interface ConformanceRun {
  readonly diagnostics: readonly Diagnostic[];
  readonly run: ProductRun;
  /** Check id → passed, for every check of the run. */
  readonly verdicts: Readonly<Record<string, boolean>>;
}

/** A full ODCS v3.1.0 contract for `table` with these properties and table-level rules. */
export function contractFor(table: string, properties: unknown[], quality: unknown[] = []): Record<string, unknown> {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: `conformance.${table}`,
    version: '1.0.0',
    status: 'active',
    schema: [{ name: table, physicalType: 'table', properties, ...(quality.length > 0 ? { quality } : {}) }],
  };
}

/** The smallest mesh publishing `data/<dataFile>` under `contract`, in memory. */
export function conformanceFiles(
  dataFile: string,
  bytes: Uint8Array,
  contract: Record<string, unknown>,
  table = 'people',
): MemoryFileSystem {
  const format = dataFile.endsWith('.parquet') ? 'parquet' : dataFile.endsWith('.jsonl') ? 'jsonl' : 'csv';
  const product = 'domains/c/p';
  return new MemoryFileSystem({
    'mesh.yaml': stringify({ apiVersion: 'quanta/v1', kind: 'Mesh', name: 'conformance', teams: [{ id: 't', name: 'T' }] }),
    'domains/c/domain.yaml': stringify({ apiVersion: 'quanta/v1', kind: 'Domain', id: 'c', name: 'C', team: 't' }),
    [`${product}/product.odps.yaml`]: stringify({
      apiVersion: 'v1.0.0',
      kind: 'DataProduct',
      id: 'p',
      name: 'P',
      domain: 'c',
      status: 'active',
      version: '1.0.0',
      team: { name: 't' },
      outputPorts: [{ name: table, version: '1.0.0', contractId: String(contract['id']) }],
    }),
    [`${product}/${table}.odcs.yaml`]: stringify(contract),
    [`${product}/quanta.yaml`]: stringify({
      apiVersion: 'quanta/v1',
      kind: 'QuantumSettings',
      archetype: 'source-aligned',
      sources: [{ name: 'raw', file: `data/${dataFile}`, ...(format === 'csv' ? {} : { format }) }],
    }),
    [`${product}/data/${dataFile}`]: bytes,
  });
}

export async function runConformance(
  host: QuantumHost,
  data: string,
  contract: Record<string, unknown>,
  table = 'people',
): Promise<ConformanceRun> {
  // A bare name is a fixture of data/; an absolute path a file a test wrote.
  const bytes = new Uint8Array(await fsp.readFile(nodePath.isAbsolute(data) ? data : nodePath.join(CONFORMANCE_DIR, 'data', data)));
  const fs = conformanceFiles(nodePath.basename(data), bytes, contract, table);
  const { mesh, diagnostics } = await loadMesh(fs);
  const runtime = new MeshRuntime(mesh, { host, readFile: (path) => fs.readFile(path) });
  const report = await runtime.runAll();
  const run = report.products.find((p) => p.product === 'p');
  if (!run) throw new Error('the conformance product did not run');
  return { diagnostics, run, verdicts: Object.fromEntries(run.checks.map((c) => [c.id, c.passed])) };
}
