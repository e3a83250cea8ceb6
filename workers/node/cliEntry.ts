import { runCli } from '../../core/node/cli.ts';
import { QuantumCatalogEngine } from '../catalog/catalogEngine.ts';
import { compiledDuckDBModule } from '../duckdb/nodeDuckDB.ts';
import { createNativeHost } from '../native/nativeHost.ts';
import { WorkerHost } from './workerHost.ts';

/** The commands that start quanta: for them the wasm compiles while the mesh loads. */
const RUNS_QUANTA = new Set(['run', 'check', 'query', 'scenario']);

/**
 * The `quanta` command: the CLI of core/node with what core may not import handed in — quanta
 * in worker threads (one DuckDB-WASM each) and the policy gate's catalog engine, a quantum of
 * that host. bin/quanta.mjs runs this file prebuilt (dist/cli/quanta.mjs, scripts/buildCli.mjs)
 * or, in a checkout whose sources changed since the build, through tsx.
 */
export async function main(argv: readonly string[]): Promise<number> {
  // (Not for --engine native: no wasm runs then.)
  const native = argv.some((a, i) => a === '--engine=native' || (a === 'native' && argv[i - 1] === '--engine'));
  if (RUNS_QUANTA.has(argv[0] ?? '') && !native) compiledDuckDBModule().catch(() => undefined); // a failure is reported by the first quantum
  return runCli(argv, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    createHost: (size) => new WorkerHost(size),
    createNativeHost, // --engine native (issue 15): workers/native/
    createCatalogEngine: (host) => new QuantumCatalogEngine(host),
    progress: process.stderr.isTTY === true,
  });
}
