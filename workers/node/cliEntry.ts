import { runCli } from '../../core/node/cli.ts';
import { defaultPool } from '../../core/node/commands/command.ts';
import { QuantumCatalogEngine } from '../catalog/catalogEngine.ts';
import { createNativeHost } from '../native/nativeHost.ts';
import { availableParallelism } from 'node:os';
import { bootSpareWorkers, disposeSpareWorkers, WorkerHost } from './workerHost.ts';

/** The commands that start quanta. */
const RUNS_QUANTA = new Set(['run', 'check', 'query', 'scenario']);

/**
 * The `quanta` command: the CLI of core/node with what core may not import handed in — quanta
 * in worker threads (one DuckDB-WASM each) and the policy gate's catalog engine, a quantum of
 * that host. bin/quanta.mjs runs this file prebuilt (dist/cli/quanta.mjs, scripts/buildCli.mjs)
 * or, in a checkout whose sources changed since the build, through tsx.
 */
export async function main(argv: readonly string[]): Promise<number> {
  // The quanta a command will lease boot while its mesh is read and validated (not for
  // --engine native: no wasm runs then).
  const native = argv.some((a, i) => a === '--engine=native' || (a === 'native' && argv[i - 1] === '--engine'));
  if (RUNS_QUANTA.has(argv[0] ?? '') && !native && !argv.includes('--help')) bootSpareWorkers(quantaAhead(argv));
  try {
    return await runCli(argv, {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      cwd: process.cwd(),
      createHost: (size) => new WorkerHost(size),
      createNativeHost, // --engine native (issue 15): workers/native/
      createCatalogEngine: (host) => new QuantumCatalogEngine(host),
      progress: process.stderr.isTTY === true,
    });
  } finally {
    await disposeSpareWorkers();
  }
}

/**
 * How many quanta a command will have at once: its pool (`--pool`, else defaultPool()), or one
 * for `quanta check` without a run (the catalog's).
 */
export function quantaAhead(argv: readonly string[]): number {
  const runs = argv[0] !== 'check' || argv.some((a) => a === '--run' || a.startsWith('--ticks') || a === '-t');
  if (!runs) return 1;
  const at = argv.findIndex((a) => a === '--pool' || a.startsWith('--pool='));
  const given = at < 0 ? undefined : Number(argv[at]?.includes('=') ? argv[at]?.split('=')[1] : argv[at + 1]);
  return Number.isInteger(given) && (given as number) >= 1 ? Math.min(given as number, availableParallelism()) : defaultPool();
}
