// The CLI's modules, loaded as `quanta` loads them (workers/node/cliEntry.ts imports cli.ts,
// the worker host and the catalog engine), so this process pays the same start-up.
import '../core/node/cli.ts';
import { openRunnableMesh } from '../core/node/commands/openMesh.ts';
import { policyGate } from '../core/node/commands/runSession.ts';
import { resolvePolicies } from '../core/governance/policy/policies.ts';
import { MeshRuntime } from '../core/run/meshRuntime.ts';
import { QuantumCatalogEngine } from '../workers/catalog/catalogEngine.ts';
import { defaultPool } from '../core/node/commands/command.ts';
import { quantaAhead } from '../workers/node/cliEntry.ts';
import { bootSpareWorkers, disposeSpareWorkers, WorkerHost } from '../workers/node/workerHost.ts';
import { MeteredHost } from './meteredHost.ts';

/*
 * `quanta run <mesh-dir>` at tick 0 as workers/node/cliEntry.ts, core/node/commands/run.ts and
 * runSession.ts do it — its quanta booting while the mesh loads (bootSpareWorkers), a WorkerHost
 * of the default pool (defaultPool) prestarted for the run, the policy gate evaluating in a quantum of it while the
 * first products run (each publish waits for its verdict), MeshRuntime.runAll — with what the
 * CLI does not show off a terminal: when each product settled (the runtime's `finished`
 * events) and each quantum's wasm memory (MeteredHost). Keep it in step with runSession.ts.
 * bench/firstPublished.ts bundles it as scripts/buildCli.mjs bundles the CLI (plain
 * JavaScript, its own quantum worker beside it) and starts it fresh each round:
 *
 *   node <bundle>/runProbe.mjs <mesh-dir>
 *
 * Prints one JSON line (RunProbeLine). Times are epoch milliseconds (performance.timeOrigin +
 * performance.now()), so the parent can take them from the moment it spawned this process.
 */
export interface RunProbeLine {
  readonly products: number;
  /** Epoch ms: the mesh is loaded and valid. */
  readonly openedAt: number;
  /** Epoch ms: the policy gate has its verdict (evaluated while the first products run). */
  readonly gateAt: number;
  /** Epoch ms: the first product the runtime reported published, and which. */
  readonly firstPublishedAt: number | null;
  readonly firstPublished: string | null;
  /** Epoch ms: runAll resolved. */
  readonly endedAt: number;
  /** Each product's status and when it settled (epoch ms). */
  readonly settled: readonly { readonly product: string; readonly status: string; readonly at: number }[];
  /** Largest wasm memory each lease holder's quantum reported, bytes (products and the catalog's lease). */
  readonly heapBytes: Readonly<Record<string, number>>;
}

const epoch = (): number => performance.timeOrigin + performance.now();

async function main(argv: readonly string[]): Promise<number> {
  const [dir] = argv;
  bootSpareWorkers(quantaAhead(['run', dir ?? ''])); // as cliEntry.ts: the quanta boot while the mesh loads
  const io = { out: () => undefined, err: (text: string) => process.stderr.write(text), cwd: process.cwd() };
  const opened = await openRunnableMesh(io, dir);
  if (!opened) return 1;
  const openedAt = epoch();
  const { mesh } = opened.loaded;
  const host = new MeteredHost(new WorkerHost(defaultPool()));
  try {
    const gate = policyGate({ createCatalogEngine: (h) => new QuantumCatalogEngine(h) }, host);
    host.prestart(mesh.products.length + (resolvePolicies(mesh).policies.length > 0 ? 1 : 0));
    let gateAt = Number.NaN;
    const verdict = gate.evaluate(mesh).then((report) => {
      gateAt = epoch();
      return report;
    });
    verdict.catch(() => undefined); // awaited below, as runSession.ts does
    const settled: { product: string; status: string; at: number }[] = [];
    const runtime = new MeshRuntime(mesh, {
      host,
      readFile: (path) => opened.fs.readFile(path),
      now: () => performance.now(),
      onEvent: (event) => {
        if (event.type === 'finished') settled.push({ product: event.run.product, status: event.run.status, at: epoch() });
      },
      policyChecks: gate.policyChecks,
      policyVerdict: verdict,
    });
    await runtime.runAll();
    await verdict;
    const endedAt = epoch();
    const first = settled.find((s) => s.status === 'published');
    const line: RunProbeLine = {
      products: mesh.products.length,
      openedAt,
      gateAt,
      firstPublishedAt: first?.at ?? null,
      firstPublished: first?.product ?? null,
      endedAt,
      settled,
      heapBytes: Object.fromEntries(host.heapBytes()),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return 0;
  } finally {
    await host.dispose();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await disposeSpareWorkers();
}
