import { existsSync } from 'node:fs';
import { formatVerdict, measureProcess, ratio2, targetVerdict, type ProcessSample, type RssSource } from './cold.ts';
import type { ScaleProbeLine } from './scaleProbe.ts';

/*
 * How cost grows with the mesh (issue 15, `--scaling`): meshes of 14, 100 and 500 products
 * (bench/scaledMesh.ts: the same shape and work per product at every size) and the TPC-H mesh
 * at scale 0.02, 0.2 and 1.0 (sql sources). Each side of each figure is a fresh process
 * (bench/scaleProbe.ts) that the bench times out: a mesh at the edge of the wasm memory
 * ceiling must end with a clear message, never hang, and a hang is reported as a defect.
 * Mesh wall time = the best MeshRuntime.runAll() on a started WorkerHost pool; native = the
 * best run of the same SQL and checks on @duckdb/node-api (threads = 1). Scale 1 and above
 * run once per side (about a minute each).
 */
export const PRODUCT_SIZES = [14, 100, 500] as const;
export const TPCH_SCALES: readonly number[] = [0.02, 0.2, 1];
/** 500 products within 40× the cost of 14 (linear would be 35.7×). */
export const GROWTH_TARGET = 40;
const TIME = '/usr/bin/time';

export interface ScalingSide {
  /** Best run, ms; null when no run completed. */
  readonly ms: number | null;
  readonly runsMs: readonly number[];
  /** Peak RSS of the process, MiB (time -v, else the probe's own maxRSS). */
  readonly peakRssMB: number | null;
  readonly statuses: Readonly<Record<string, number>>;
  readonly maxHeapMB?: number;
  readonly maxHeapProduct?: string;
  /** Products that did not publish: their status, message and when they settled. */
  readonly troubles: ScaleProbeLine['troubles'];
  /** The process was killed after the timeout (a hang: a defect), or failed: what it said. */
  readonly timedOut: boolean;
  readonly error?: string;
  /** Wall time of the whole process, ms (start-up and the pool's start included). */
  readonly processMs: number;
}

export interface ScalingPoint {
  readonly size: number;
  readonly mesh: ScalingSide;
  readonly native: ScalingSide;
  /** mesh / native, best runs; null when a side has no run. */
  readonly ratio: number | null;
}

export interface ScalingResult {
  readonly repeat: number;
  readonly pool: number;
  readonly timeoutMs: number;
  readonly rssSource: RssSource;
  readonly products: readonly ScalingPoint[];
  /** Mesh wall at 500 products / at 14 (target ≤ 40). */
  readonly growth500vs14: { readonly ratio: number | null; readonly target: number; readonly met: boolean };
  readonly tpch: readonly ScalingPoint[];
  /** The largest TPC-H scale (1.0 by default): it runs, or fails with a clear memory message naming the product and the limit. */
  readonly tpchEdge: TpchEdgeVerdict;
}

export interface TpchEdgeVerdict {
  readonly scale: number;
  readonly outcome: 'published' | 'failed clearly' | 'failed unclearly' | 'hang' | 'crashed';
  readonly met: boolean;
  /** What the user would read, verbatim (the first product's message, or the process's error). */
  readonly message: string;
  /** The product that hit it, and ms since the run started. */
  readonly product?: string;
  readonly atMs?: number;
}

// ---- pure helpers (test/unit/benchPhases.test.ts) ----

export function parseScaleLine(stdout: string): ScaleProbeLine | undefined {
  try {
    const line = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ScaleProbeLine;
    return Array.isArray(line.runsMs) ? line : undefined;
  } catch {
    return undefined;
  }
}

/** Mesh wall at the largest size over the smallest, against the target. */
export function growth(points: readonly ScalingPoint[], from = 14, to = 500): ScalingResult['growth500vs14'] {
  const a = points.find((p) => p.size === from)?.mesh.ms;
  const b = points.find((p) => p.size === to)?.mesh.ms;
  const ratio = a && b ? ratio2(b, a) : null;
  return { ratio, target: GROWTH_TARGET, met: ratio !== null && targetVerdict(ratio, GROWTH_TARGET, '×').met };
}

const MEMORY_WORDS = /memory|out of memory|oom|heap|4 ?gi?b|ceiling|limit/i;
const LIMIT_FIGURE = /\d+(\.\d+)?\s*(k|m|g|ki|mi|gi)?b\b|\d+\s*bytes/i;

/**
 * What happened to the 1.0-scale TPC-H mesh, as the issue asks: it published, or the product
 * that failed first (not those left stale by it) failed with a message a person can act on — it names the product (the runtime's report
 * always does, so the message is judged on its own) and says it is memory and what the limit
 * is — or it did not end (hang) or the process died.
 */
export function judgeEdge(scale: number, side: ScalingSide): TpchEdgeVerdict {
  if (side.timedOut) return { scale, outcome: 'hang', met: false, message: `no outcome within the bench's timeout (${side.processMs} ms)` };
  if (side.error !== undefined && side.troubles.length === 0) return { scale, outcome: 'crashed', met: false, message: side.error };
  // The cause, not its consequences: a product that failed (or was refused) first, before those left stale by it.
  const byTime = [...side.troubles].sort((a, b) => a.atMs - b.atMs);
  const first = byTime.find((t) => t.status === 'failed' || t.status === 'refused') ?? byTime[0];
  if (!first) return { scale, outcome: 'published', met: true, message: '' };
  const clear = MEMORY_WORDS.test(first.message) && LIMIT_FIGURE.test(first.message);
  return {
    scale,
    outcome: clear ? 'failed clearly' : 'failed unclearly',
    met: clear,
    message: first.message,
    product: first.product,
    atMs: first.atMs,
  };
}

// ---- the measurement ----

function toSide(sample: ProcessSample): ScalingSide {
  const line = parseScaleLine(sample.stdout);
  const tail = sample.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 600);
  const runs = line?.runsMs ?? [];
  return {
    ms: runs.length > 0 ? Math.round(Math.min(...runs) * 10) / 10 : null,
    runsMs: runs.map(Math.round),
    peakRssMB: sample.peakRssMB ?? line?.maxRssMB ?? null,
    statuses: line?.statuses ?? {},
    ...(line?.maxHeapMB === undefined ? {} : { maxHeapMB: line.maxHeapMB }),
    ...(line?.maxHeapProduct === undefined ? {} : { maxHeapProduct: line.maxHeapProduct }),
    troubles: line?.troubles ?? [],
    timedOut: sample.timedOut,
    ...(line?.error !== undefined
      ? { error: line.error }
      : line === undefined && !sample.timedOut
        ? { error: `exit code ${sample.exitCode}: ${tail}` }
        : {}),
    processMs: Math.round(sample.wallMs),
  };
}

export async function measureScaling(options: {
  readonly repeat: number;
  readonly pool: number;
  readonly timeoutMs: number;
  /** TPC-H scales, default TPCH_SCALES; the edge is judged at the largest. */
  readonly scales?: readonly number[];
  readonly log: (line: string) => void;
}): Promise<ScalingResult> {
  const { repeat, pool, timeoutMs, log } = options;
  const scales = options.scales ?? TPCH_SCALES;
  const rss: RssSource = existsSync(TIME) ? 'time -v' : 'VmHWM poll';
  const probe = async (kind: 'products' | 'tpch', size: number, side: 'mesh' | 'native'): Promise<ScalingSide> => {
    // A full-scale TPC-H run takes about a minute a side: one run is enough to see what it does.
    const runs = kind === 'tpch' && size >= 1 ? 1 : repeat;
    const args = ['--import', 'tsx', 'bench/scaleProbe.ts', kind, String(size), side, String(runs), String(pool)];
    const result = toSide(await measureProcess(process.execPath, args, rss, { timeoutMs, anyExit: true }));
    const status = Object.entries(result.statuses)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ');
    log(
      `  ${kind} ${size} ${side}: ${result.ms === null ? 'no run' : `${Math.round(result.ms)} ms`}` +
        `${status ? ` (${status})` : ''}, peak RSS ${result.peakRssMB ?? '?'} MiB` +
        `${result.timedOut ? ' — TIMED OUT' : ''}${result.error ? ` — ${result.error.slice(0, 200)}` : ''}`,
    );
    return result;
  };
  const point = async (kind: 'products' | 'tpch', size: number): Promise<ScalingPoint> => {
    const mesh = await probe(kind, size, 'mesh');
    const native = await probe(kind, size, 'native');
    return { size, mesh, native, ratio: mesh.ms !== null && native.ms ? ratio2(mesh.ms, native.ms) : null };
  };
  log(`scaling: meshes of ${PRODUCT_SIZES.join(', ')} products, best of ${repeat} runs per side…`);
  const products: ScalingPoint[] = [];
  for (const size of PRODUCT_SIZES) products.push(await point('products', size));
  log(`scaling: the TPC-H mesh at scale ${scales.join(', ')} (sql sources)…`);
  const tpch: ScalingPoint[] = [];
  for (const scale of scales) tpch.push(await point('tpch', scale));
  const top = Math.max(...scales);
  const edge = tpch.find((p) => p.size === top);
  return {
    repeat,
    pool,
    timeoutMs,
    rssSource: rss,
    products,
    growth500vs14: growth(products),
    tpch,
    tpchEdge: edge ? judgeEdge(top, edge.mesh) : { scale: top, outcome: 'crashed', met: false, message: 'not measured' },
  };
}

// ---- text ----

/** The table rows (figure, value, target, met, what), as cold.ts's coldRows. */
export function scalingRows(r: ScalingResult): (readonly [string, number | string, string, string, string])[] {
  const fmt = (ms: number | null): string => (ms === null ? '?' : Math.round(ms).toLocaleString('en-US'));
  const side = (s: ScalingSide): string =>
    `${fmt(s.ms)} ms, ${s.peakRssMB ?? '?'} MiB${s.timedOut ? ', TIMED OUT' : ''}${s.error ? `, ${s.error.slice(0, 120)}` : ''}`;
  const pointRow = (label: string, p: ScalingPoint): readonly [string, number | string, string, string, string] => {
    const bad = Object.entries(p.mesh.statuses).filter(([k]) => k !== 'published');
    return [
      label,
      p.ratio ?? '?',
      '',
      '',
      `mesh ${side(p.mesh)}${p.mesh.maxHeapMB === undefined ? '' : ` (largest quantum ${p.mesh.maxHeapMB} MiB: ${p.mesh.maxHeapProduct ?? '?'})`}` +
        `${bad.length > 0 ? ` — ${bad.map(([k, v]) => `${v} ${k}`).join(', ')}` : ''} / native ${side(p.native)}`,
    ];
  };
  const g = r.growth500vs14;
  const e = r.tpchEdge;
  return [
    ...r.products.map((p) => pointRow(`scaling ${p.size} products`, p)),
    [
      'scaling 500 / 14 products',
      g.ratio ?? '?',
      `≤ ${g.target}×`,
      g.ratio === null ? 'NOT met (no figure)' : formatVerdict(g.ratio, g.target, { target: '', met: g.met }),
      'mesh wall at 500 products over 14 (linear: 35.7×)',
    ],
    ...r.tpch.map((p) => pointRow(`scaling TPC-H ${p.size}`, p)),
    [
      `scaling TPC-H ${e.scale} edge`,
      e.outcome,
      'runs or clear memory error',
      e.met ? 'met' : 'NOT met',
      e.outcome === 'published'
        ? 'every product published'
        : `${e.product ?? ''}${e.atMs === undefined ? '' : ` at ${fmt(e.atMs)} ms`}: ${e.message}`,
    ],
  ];
}
