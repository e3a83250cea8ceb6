import { runCli } from '../core/node/cli.ts';
import { openRunnableMesh } from '../core/node/commands/openMesh.ts';
import { PolicyGate } from '../core/governance/policy/policyGate.ts';
import type { QuantumHost } from '../core/run/runTypes.ts';
import { generateSources, runNative } from './native.ts';
import { NativeCatalogEngine } from './nativeCatalog.ts';

/*
 * The cold native baselines (bench/cold.ts): one fresh Node process per measurement, bundled
 * to plain JavaScript first (no tsx, no TypeScript at run time), doing what the CLI command
 * does with native DuckDB (@duckdb/node-api, threads = 1) in place of DuckDB-WASM quanta:
 *   run <mesh-dir>    load the mesh, evaluate its policies over the catalog (the gate
 *                     `quanta run` evaluates first), then every product's sources, transform
 *                     and contract checks in lineage order (native.ts)
 *   check <mesh-dir>  `quanta check <mesh-dir>` itself (runCli), its catalog engine native
 *   load              nothing: what loading this process costs
 *   repeat <mesh-dir> <n>
 *                     the app's Run all natively (bench/appRunAll.ts): the mesh loaded, then n
 *                     runs of every product's sources (generated in the first run, reused after,
 *                     as the app's quanta do), transform and checks (no policy gate:
 *                     the app evaluates it when the mesh opens, not in Run all), each timed
 * Prints one JSON line: { ms, products, rows, passed, failed }, { ms, exitCode } or { runsMs }.
 */
const NO_QUANTA: QuantumHost = {
  size: 1,
  acquire: () => Promise.reject(new Error('the native baseline starts no quanta')),
  crash: () => false,
  cancel: () => false,
  dispose: () => Promise.resolve(),
};

async function main(argv: readonly string[]): Promise<number> {
  const [command, dir] = argv;
  const started = performance.now();
  const io = { out: () => undefined, err: (text: string) => process.stderr.write(text), cwd: process.cwd() };
  if (command === 'load') return 0;
  if (command === 'check' && dir !== undefined) {
    const exitCode = await runCli(['check', dir], {
      ...io,
      createHost: () => NO_QUANTA,
      createCatalogEngine: () => new NativeCatalogEngine(),
    });
    process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, exitCode })}\n`);
    return 0;
  }
  if (command === 'run' && dir !== undefined) {
    const opened = await openRunnableMesh(io, dir);
    if (!opened) return 1;
    const { mesh } = opened.loaded;
    const gate = new PolicyGate(() => new NativeCatalogEngine());
    await gate.evaluate(mesh);
    const { batches, ms } = generateSources(mesh, { seedFiles: true });
    const run = await runNative(mesh, batches, ms, opened.dir);
    const sum = (pick: (p: (typeof run.products)[number]) => number): number => run.products.reduce((s, p) => s + pick(p), 0);
    process.stdout.write(
      `${JSON.stringify({
        ms: performance.now() - started,
        products: run.products.length,
        rows: sum((p) => p.rows),
        passed: sum((p) => p.passedChecks),
        // The gate's checks (policy:…) are among a product's checks in `quanta run --json` too.
        failed: sum((p) => p.failedChecks + gate.policyChecks(p.product).filter((c) => !c.passed).length),
      })}\n`,
    );
    return 0;
  }
  if (command === 'repeat' && dir !== undefined) {
    const n = Number(argv[2] ?? 1);
    const opened = await openRunnableMesh(io, dir);
    if (!opened) return 1;
    const { mesh } = opened.loaded;
    const runsMs: number[] = [];
    // The first run generates the sources; later ones reuse the rows, as the app's quanta
    // reuse the generated sources of an earlier run (workers/quantum/generatedSources.ts).
    let generated: ReturnType<typeof generateSources> | undefined;
    for (let i = 0; i < n; i++) {
      const runStarted = performance.now();
      generated ??= generateSources(mesh, { seedFiles: true });
      await runNative(mesh, generated.batches, generated.ms, opened.dir);
      runsMs.push(performance.now() - runStarted);
    }
    process.stdout.write(`${JSON.stringify({ runsMs })}\n`);
    return 0;
  }
  process.stderr.write('usage: coldNative (run|check) <mesh-dir> | repeat <mesh-dir> <n> | load\n');
  return 2;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
