import { MemoryFileSystem } from '../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../core/load/loadMesh.ts';
import type { Mesh } from '../core/model/types.ts';
import { MeshRuntime } from '../core/run/meshRuntime.ts';
import { WorkerHost } from '../workers/node/workerHost.ts';
import { MeteredHost } from './meteredHost.ts';
import { generateSources, runNative } from './native.ts';
import { startPool } from './probes.ts';
import { scaledMesh } from './scaledMesh.ts';
import { tpchMesh } from './tpchMesh.ts';

/*
 * One side of one scaling figure (bench/scaling.ts), in a fresh process so a mesh at the edge
 * of memory cannot take the bench down with it, and the parent can time it out and read its
 * peak RSS:
 *
 *   node --import tsx bench/scaleProbe.ts products <n> mesh|native <repeat> <pool>
 *   node --import tsx bench/scaleProbe.ts tpch <scale> mesh|native <repeat> <pool>
 *
 * `products`: bench/scaledMesh.ts's mesh of n products (generator sources). `tpch`: the TPC-H
 * mesh at that scale with `sql` sources (the rows made by DuckDB itself: no JS rows on either
 * side, so the figure is about DuckDB's memory, not the JS heap). `mesh` runs it `repeat`
 * times on a WorkerHost pool of `pool` quanta started first (off the clock); `native` on
 * @duckdb/node-api (native.ts). Prints one JSON line (ScaleProbeLine).
 */
export interface ScaleProbeLine {
  readonly products: number;
  readonly runsMs: readonly number[];
  /** Products by status, in the last run (mesh) — `native` is all published or an error. */
  readonly statuses: Readonly<Record<string, number>>;
  /** What did not publish in the first run that had trouble: each product's status, message and when it settled (ms since that run started). */
  readonly troubles: readonly { readonly product: string; readonly status: string; readonly message: string; readonly atMs: number }[];
  /** Largest wasm memory a quantum reported, MiB, and the product it was running (mesh). */
  readonly maxHeapMB?: number;
  readonly maxHeapProduct?: string;
  /** The whole process's peak RSS (resourceUsage().maxRSS, worker threads included), MiB. */
  readonly maxRssMB: number;
  /** The native side failed: its error. */
  readonly error?: string;
}

const MiB = 1024 * 1024;

async function buildMesh(kind: string, size: number): Promise<{ mesh: Mesh; fs: MemoryFileSystem }> {
  const fs = new MemoryFileSystem(kind === 'products' ? scaledMesh(size).files : tpchMesh(size, 'sql').files);
  const { mesh, diagnostics } = await loadMesh(fs);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`bench: the ${kind} mesh (${size}) does not validate: ${errors[0]?.message ?? ''}`);
  return { mesh, fs };
}

async function runMesh(mesh: Mesh, fs: MemoryFileSystem, repeat: number, pool: number): Promise<ScaleProbeLine> {
  const host = new MeteredHost(new WorkerHost(pool));
  const runsMs: number[] = [];
  let statuses: Record<string, number> = {};
  let troubles: ScaleProbeLine['troubles'] = [];
  try {
    await startPool(host);
    for (let r = 0; r < repeat; r++) {
      const settledAt = new Map<string, number>();
      let started = 0;
      const runtime = new MeshRuntime(mesh, {
        host,
        readFile: (path) => fs.readFile(path),
        now: () => performance.now(),
        onEvent: (event) => {
          if (event.type === 'finished') settledAt.set(event.run.product, performance.now() - started);
        },
      });
      started = performance.now();
      const report = await runtime.runAll();
      runsMs.push(performance.now() - started);
      statuses = {};
      for (const p of report.products) statuses[p.status] = (statuses[p.status] ?? 0) + 1;
      const bad = report.products.filter((p) => p.status !== 'published');
      if (bad.length > 0 && troubles.length === 0) {
        troubles = bad.map((p) => ({
          product: p.product,
          status: p.status,
          message: p.problem?.message ?? p.checks.find((c) => !c.passed)?.message ?? '',
          atMs: Math.round(settledAt.get(p.product) ?? Number.NaN),
        }));
      }
    }
  } finally {
    await host.dispose();
  }
  const heaps = [...host.heapBytes()];
  const [maxProduct, maxBytes] = heaps.reduce((a, b) => (b[1] > a[1] ? b : a), ['', 0]);
  return {
    products: mesh.products.length,
    runsMs,
    statuses,
    troubles,
    maxHeapMB: Math.round(maxBytes / MiB),
    maxHeapProduct: maxProduct,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

async function runNativeSide(mesh: Mesh, repeat: number): Promise<ScaleProbeLine> {
  const runsMs: number[] = [];
  try {
    for (let r = 0; r < repeat; r++) {
      const started = performance.now();
      // Generating the rows counts, as it does inside a quantum (tpch: none, DuckDB makes them).
      const { batches, ms } = generateSources(mesh);
      await runNative(mesh, batches, ms);
      runsMs.push(performance.now() - started);
    }
    return {
      products: mesh.products.length,
      runsMs,
      statuses: { published: mesh.products.length },
      troubles: [],
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } catch (error) {
    return {
      products: mesh.products.length,
      runsMs,
      statuses: {},
      troubles: [],
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const [kind, sizeText, side, repeatText, poolText] = argv;
  const size = Number(sizeText);
  if ((kind !== 'products' && kind !== 'tpch') || !Number.isFinite(size) || (side !== 'mesh' && side !== 'native')) {
    process.stderr.write('usage: scaleProbe.ts products|tpch <size> mesh|native <repeat> <pool>\n');
    return 2;
  }
  const repeat = Math.max(1, Number(repeatText ?? 1));
  const pool = Math.max(1, Number(poolText ?? 2));
  const { mesh, fs } = await buildMesh(kind, size);
  const line = side === 'mesh' ? await runMesh(mesh, fs, repeat, pool) : await runNativeSide(mesh, repeat);
  process.stdout.write(`${JSON.stringify(line)}\n`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
