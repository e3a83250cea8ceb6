import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COLD_MESHES, measureProcess, median, type ColdMesh, type ProcessSample, type RssSource } from './cold.ts';
import type { RunProbeLine } from './runProbe.ts';

/*
 * Time to the first published product, and memory per quantum (issue 15). `quanta run` shows
 * progress only on a terminal and its --json output has no clock, so each round starts a fresh
 * bench/runProbe.ts: the CLI's run at tick 0 (same modules, mesh loader, policy gate,
 * WorkerHost, MeshRuntime) that also reports when each product settled and each quantum's wasm
 * memory. It is bundled first as scripts/buildCli.mjs bundles `quanta` (plain JavaScript, its
 * quantum worker beside it), so it starts as the prebuilt CLI does. The clock starts when this
 * process spawns it.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TIME = '/usr/bin/time';
const MiB = 1024 * 1024;

export interface FirstPublishedMesh {
  /** Median over the rounds: spawn → the runtime reports the first product published. */
  readonly ms: number;
  readonly runsMs: readonly number[];
  readonly product: string | null;
  /** Medians, ms from spawn: the mesh loaded, the policy gate's verdict, the whole run settled. */
  readonly openedMs: number;
  readonly gateMs: number;
  readonly runEndMs: number;
  /** Largest peak RSS of the whole process over the rounds, MiB. */
  readonly peakRssMB: number | undefined;
}

export interface RssPerQuantum {
  readonly mesh: ColdMesh;
  /** Over products: the largest and the median of each product's wasm memory, MiB. */
  readonly max: number;
  readonly median: number;
  /** Each product's largest `heapBytes` over the rounds, MiB (the catalog's lease under its own id). */
  readonly products: Readonly<Record<string, number>>;
  /** The whole `quanta run` process (worker threads included), MiB. */
  readonly wholeRunPeakRssMB: number | undefined;
}

export interface FirstPublishedResult {
  readonly runs: number;
  readonly pick: 'median';
  readonly rssSource: RssSource;
  readonly meshes: Record<ColdMesh, FirstPublishedMesh>;
}

// ---- pure helpers (test/unit/benchPhases.test.ts) ----

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** One probe's line and its spawn time → ms from spawn to each milestone. */
export function probeTimeline(
  spawnedAt: number,
  line: RunProbeLine,
): { firstPublishedMs: number | undefined; openedMs: number; gateMs: number; runEndMs: number } {
  return {
    firstPublishedMs: line.firstPublishedAt === null ? undefined : line.firstPublishedAt - spawnedAt,
    openedMs: line.openedAt - spawnedAt,
    gateMs: line.gateAt - spawnedAt,
    runEndMs: line.endedAt - spawnedAt,
  };
}

/**
 * Per product, the largest wasm memory over the rounds in MiB, and its max and median over
 * products. Lease holders that are not products (the policy gate's catalog) are kept apart
 * by `isProduct`, so the statistics are the products' alone.
 */
export function rssPerQuantum(
  rounds: readonly Readonly<Record<string, number>>[],
  isProduct: (id: string) => boolean,
): { max: number; median: number; products: Record<string, number> } {
  const largest = new Map<string, number>();
  for (const round of rounds) for (const [id, bytes] of Object.entries(round)) largest.set(id, Math.max(largest.get(id) ?? 0, bytes));
  const products = Object.fromEntries([...largest].map(([id, bytes]) => [id, round1(bytes / MiB)]));
  const figures = Object.entries(products)
    .filter(([id]) => isProduct(id))
    .map(([, mb]) => mb);
  return { max: figures.length > 0 ? Math.max(...figures) : Number.NaN, median: median(figures), products };
}

export function parseProbeLine(stdout: string): RunProbeLine | undefined {
  try {
    const line = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as RunProbeLine;
    return typeof line.endedAt === 'number' ? line : undefined;
  } catch {
    return undefined;
  }
}

// ---- the measurement ----

/** runProbe.ts and the quantum worker it starts, as plain JavaScript side by side (workerHost.ts starts `quantum.worker.mjs` next to itself). */
async function bundleProbe(): Promise<string> {
  const { build } = await import('esbuild');
  const outdir = `${ROOT}node_modules/.cache/quanta-bench/probe`;
  mkdirSync(outdir, { recursive: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: { runProbe: 'bench/runProbe.ts', 'quantum.worker': 'workers/node/quantum.worker.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    // As scripts/buildCli.mjs: DuckDB's wasm and bindings are read from the installed packages.
    external: ['@duckdb/duckdb-wasm', '@duckdb/duckdb-wasm/*', '@duckdb/node-api', '@duckdb/node-bindings*'],
    banner: { js: "import { createRequire as __quantaRequire } from 'node:module'; const require = __quantaRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return `${outdir}/runProbe.mjs`;
}

export async function measureFirstPublished(options: {
  readonly runs: number;
  readonly log: (line: string) => void;
}): Promise<{ result: FirstPublishedResult; rssPerQuantum: RssPerQuantum }> {
  const rss: RssSource = existsSync(TIME) ? 'time -v' : 'VmHWM poll';
  options.log('first published: bundling bench/runProbe.ts and its quantum worker to plain JavaScript…');
  const probe = await bundleProbe();
  const samples: Record<ColdMesh, { sample: ProcessSample; line: RunProbeLine }[]> = { 'hello-mesh': [], daff: [] };
  for (let round = 1; round <= options.runs; round++) {
    options.log(`first published: round ${round} of ${options.runs} — a fresh run of each sample mesh…`);
    for (const mesh of COLD_MESHES) {
      const sample = await measureProcess(process.execPath, [probe, `sample-meshes/${mesh}`], rss);
      const line = parseProbeLine(sample.stdout);
      if (!line || sample.exitCode !== 0) throw new Error(`bench: the run probe of ${mesh} failed:\n${sample.stderr.slice(-2000)}`);
      samples[mesh].push({ sample, line });
    }
  }
  const figures = (mesh: ColdMesh): FirstPublishedMesh => {
    const timelines = samples[mesh].map((s) => probeTimeline(s.sample.spawnedAt, s.line));
    const first = timelines.flatMap((t) => (t.firstPublishedMs === undefined ? [] : [t.firstPublishedMs]));
    const peaks = samples[mesh].flatMap((s) => (s.sample.peakRssMB === undefined ? [] : [s.sample.peakRssMB]));
    return {
      ms: round1(median(first)),
      runsMs: first.map(Math.round),
      product: samples[mesh].at(-1)?.line.firstPublished ?? null,
      openedMs: round1(median(timelines.map((t) => t.openedMs))),
      gateMs: round1(median(timelines.map((t) => t.gateMs))),
      runEndMs: round1(median(timelines.map((t) => t.runEndMs))),
      peakRssMB: peaks.length > 0 ? Math.max(...peaks) : undefined,
    };
  };
  const meshes = { 'hello-mesh': figures('hello-mesh'), daff: figures('daff') };
  const daffProducts = new Set(samples.daff.flatMap((s) => s.line.settled.map((p) => p.product)));
  const perQuantum = rssPerQuantum(
    samples.daff.map((s) => s.line.heapBytes),
    (id) => daffProducts.has(id),
  );
  return {
    result: { runs: options.runs, pick: 'median', rssSource: rss, meshes },
    rssPerQuantum: { mesh: 'daff', ...perQuantum, wholeRunPeakRssMB: meshes.daff.peakRssMB },
  };
}

// ---- text ----

/** The table rows (figure, value, target, met, what), as cold.ts's coldRows; no targets are set for these. */
export function firstPublishedRows(
  r: FirstPublishedResult,
  q: RssPerQuantum,
): (readonly [string, number | string, string, string, string])[] {
  const fmt = (ms: number): string => Math.round(ms).toLocaleString('en-US');
  const mesh = (name: ColdMesh): readonly [string, number | string, string, string, string] => {
    const m = r.meshes[name];
    return [
      `timeToFirstPublishedMs ${name}`,
      m.ms,
      '',
      '',
      `spawn → ${m.product ?? '?'} published; mesh loaded at ${fmt(m.openedMs)}, policy gate done ${fmt(m.gateMs)}, ` +
        `run over ${fmt(m.runEndMs)} ms; runs ${m.runsMs.map(fmt).join('/')}; peak RSS ${m.peakRssMB ?? '?'} MiB`,
    ];
  };
  const top = Object.entries(q.products)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([id, mb]) => `${id} ${mb}`)
    .join(', ');
  return [
    mesh('hello-mesh'),
    mesh('daff'),
    ['rssPerQuantumMB.max', q.max, '', '', `${q.mesh}: largest wasm memory of a product's quantum (MiB); largest: ${top}`],
    [
      'rssPerQuantumMB.median',
      q.median,
      '',
      '',
      `${q.mesh}: median over products; the whole run's peak RSS ${q.wholeRunPeakRssMB ?? '?'} MiB`,
    ],
  ];
}
