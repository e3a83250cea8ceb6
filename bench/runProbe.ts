// The CLI's modules, loaded as `quanta` loads them (bin/quanta.mjs imports cli.ts, then the
// worker host and the catalog engine), so this process pays the same start-up.
import '../core/node/cli.ts';
import { availableParallelism } from 'node:os';
import { openRunnableMesh } from '../core/node/commands/openMesh.ts';
import { policyGate } from '../core/node/commands/runSession.ts';
import { MeshRuntime } from '../core/run/meshRuntime.ts';
import { QuantumCatalogEngine } from '../workers/catalog/catalogEngine.ts';
import { WorkerHost } from '../workers/node/workerHost.ts';
import { MeteredHost } from './meteredHost.ts';

/*
 * `quanta run <mesh-dir>` at tick 0 as core/node/commands/run.ts and runSession.ts do it
 * (open the mesh, the policy gate over a catalog quantum of the host, MeshRuntime.runAll on a
 * WorkerHost of one quantum per core), with what the CLI does not show off a terminal: when
 * each product settled (the runtime's `finished` events) and each quantum's wasm memory
 * (MeteredHost). A fresh process started by bench/firstPublished.ts:
 *
 *   node --import tsx bench/runProbe.ts <mesh-dir>
 *
 * Prints one JSON line (RunProbeLine). Times are epoch milliseconds (performance.timeOrigin +
 * performance.now()), so the parent can take them from the moment it spawned this process.
 */
export interface RunProbeLine {
  readonly products: number;
  /** Epoch ms: the mesh is loaded and valid. */
  readonly openedAt: number;
  /** Epoch ms: the policy gate has its verdict (the run starts). */
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
  const io = { out: () => undefined, err: (text: string) => process.stderr.write(text), cwd: process.cwd() };
  const opened = await openRunnableMesh(io, dir);
  if (!opened) return 1;
  const openedAt = epoch();
  const host = new MeteredHost(new WorkerHost(availableParallelism()));
  try {
    const gate = policyGate({ createCatalogEngine: (h) => new QuantumCatalogEngine(h) }, host);
    await gate.evaluate(opened.loaded.mesh);
    const gateAt = epoch();
    const settled: { product: string; status: string; at: number }[] = [];
    const runtime = new MeshRuntime(opened.loaded.mesh, {
      host,
      readFile: (path) => opened.fs.readFile(path),
      now: () => performance.now(),
      onEvent: (event) => {
        if (event.type === 'finished') settled.push({ product: event.run.product, status: event.run.status, at: epoch() });
      },
      policyChecks: gate.policyChecks,
    });
    await runtime.runAll();
    const endedAt = epoch();
    const first = settled.find((s) => s.status === 'published');
    const line: RunProbeLine = {
      products: opened.loaded.mesh.products.length,
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
}
