import { appRows, measureAppRunAll, type AppRunAllResult } from './appRunAll.ts';
import { COLD_MESHES, coldRows, measureCold, type ColdMesh, type ColdResult } from './cold.ts';
import { firstPublishedRows, measureFirstPublished, type FirstPublishedResult, type RssPerQuantum } from './firstPublished.ts';
import { round1 } from './probes.ts';
import { measureScaling, scalingRows, type ScalingResult } from './scaling.ts';
import { table } from './textTable.ts';
import type { WebApp } from './webApp.ts';

/*
 * The figures of what a user waits for (issue 15), after the warm mesh figures: each phase
 * selectable (`--only`, `--no-…`, `--scaling`), each a figure against a native baseline from
 * the same run. Fresh processes first (cold, first, scaling: one at a time, nothing else of
 * the bench running), the browser last (it competes for the same cores): one build of the web
 * app and one Chromium serve both the app's Run all and the canvas.
 */
export type FeltPhase = 'cold' | 'first' | 'app' | 'canvas' | 'scaling';

export interface FeltOptions {
  readonly phases: ReadonlySet<string>;
  readonly coldRuns: number;
  readonly appRuns: number;
  readonly scalingRepeat: number;
  readonly scalingTimeoutMs: number;
  readonly scalingScales: readonly number[];
  /** The warm figures' pool size: the scaling meshes run on a pool of as many quanta. */
  readonly size: number;
  readonly log: (line: string) => void;
}

type Skipped = { readonly skipped: string };

export interface Felt {
  readonly cold?: ColdResult;
  readonly first?: { readonly result: FirstPublishedResult; readonly rssPerQuantum: RssPerQuantum };
  readonly scaling?: ScalingResult;
  readonly app?: AppRunAllResult | Skipped;
  readonly canvas?: { readonly fps: number; readonly products: number } | Skipped;
}

/** The JSON fields of the felt figures (README.md describes each). */
export interface FeltJson {
  /** Cold `quanta run <mesh>` median wall / the same work on native DuckDB in a fresh process. */
  readonly coldRunVsNativeRatio?: Record<ColdMesh, number>;
  readonly coldCheckVsNativeRatio?: number;
  /** Peak RSS of the whole cold `quanta run daff` process, worker threads included (MiB). */
  readonly coldRunDaffPeakRssMB?: number | null;
  readonly cold?: ColdResult;
  /** Spawn of a fresh `quanta run` (its mirror, runProbe.ts) → the first product published, median ms. */
  readonly timeToFirstPublishedMs?: Record<ColdMesh, number>;
  readonly rssPerQuantumMB?: RssPerQuantum;
  readonly firstPublished?: FirstPublishedResult;
  /** The app's Run all of daff in Chromium / native; null when the phase could not run (appRunAll.skipped says why). */
  readonly appRunAllVsNativeRatio?: { readonly first: number; readonly warm: number } | null;
  readonly appRunAll?: AppRunAllResult | Skipped;
  /** Frames per second while panning a 500-product mesh in Chromium (target ≥ 30; null when skipped). */
  readonly canvasFps?: number | null;
  readonly canvas?: { readonly fps: number; readonly products: number } | Skipped;
  /** Mesh wall at 500 products / at 14 (target ≤ 40). */
  readonly scalingGrowthRatio?: number | null;
  readonly scaling?: ScalingResult;
}

const firstLine = (error: unknown): string => (error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error));

export async function measureFelt(options: FeltOptions): Promise<Felt> {
  const { phases, log } = options;
  const cold = phases.has('cold') ? await measureCold({ runs: options.coldRuns, log }) : undefined;
  const first = phases.has('first') ? await measureFirstPublished({ runs: options.coldRuns, log }) : undefined;
  const scaling = phases.has('scaling')
    ? await measureScaling({
        repeat: options.scalingRepeat,
        pool: options.size,
        timeoutMs: options.scalingTimeoutMs,
        scales: options.scalingScales,
        log,
      })
    : undefined;

  let app: AppRunAllResult | Skipped | undefined;
  let canvas: Felt['canvas'];
  if (phases.has('app') || phases.has('canvas')) {
    let web: WebApp | Skipped;
    try {
      const { openWebApp } = await import('./webApp.ts');
      web = await openWebApp({ log });
    } catch (error) {
      // No Chromium here, or the build failed: say so in the result instead of failing the bench.
      web = { skipped: firstLine(error) };
    }
    try {
      if (phases.has('app')) {
        log("app: the web app's Run all of daff in Chromium…");
        app =
          'skipped' in web
            ? web
            : await measureAppRunAll({ app: web, runs: options.appRuns, log }).catch((e: unknown) => ({ skipped: firstLine(e) }));
      }
      if (phases.has('canvas')) {
        log('canvas: panning a 500-product mesh in Chromium…');
        const { measureCanvasFps } = await import('./canvasFps.ts');
        canvas =
          'skipped' in web
            ? web
            : await measureCanvasFps({ app: web, log }).then(
                (m) => ({ fps: round1(m.fps), products: m.products }),
                (e: unknown) => ({ skipped: firstLine(e) }),
              );
      }
    } finally {
      if (!('skipped' in web)) await web.close();
    }
  }
  return {
    ...(cold ? { cold } : {}),
    ...(first ? { first } : {}),
    ...(scaling ? { scaling } : {}),
    ...(app ? { app } : {}),
    ...(canvas ? { canvas } : {}),
  };
}

export function feltJson(felt: Felt): FeltJson {
  const { cold, first, app, canvas, scaling } = felt;
  return {
    ...(cold
      ? {
          coldRunVsNativeRatio: Object.fromEntries(COLD_MESHES.map((m) => [m, cold.run[m].ratio])) as Record<ColdMesh, number>,
          coldCheckVsNativeRatio: cold.checkDaff.ratio,
          coldRunDaffPeakRssMB: cold.runDaffPeakRssMB ?? null,
          cold,
        }
      : {}),
    ...(first
      ? {
          timeToFirstPublishedMs: Object.fromEntries(COLD_MESHES.map((m) => [m, first.result.meshes[m].ms])) as Record<ColdMesh, number>,
          rssPerQuantumMB: first.rssPerQuantum,
          firstPublished: first.result,
        }
      : {}),
    ...(app ? { appRunAllVsNativeRatio: 'skipped' in app ? null : { first: app.first.ratio, warm: app.warm.ratio }, appRunAll: app } : {}),
    ...(canvas ? { canvasFps: 'fps' in canvas ? canvas.fps : null, canvas } : {}),
    ...(scaling ? { scalingGrowthRatio: scaling.growth500vs14.ratio, scaling } : {}),
  };
}

/** The felt figures as text: one table of figure, value, target, met; the canvas figure only when asked (`withCanvas`). */
export function formatFelt(felt: Felt, withCanvas: boolean): string {
  const out: string[] = [];
  if (felt.cold) {
    out.push(
      `Cold: what a user waits for — each a fresh process, median of ${felt.cold.runs} rounds, sides alternating; ` +
        `native = the same work on @duckdb/node-api (threads=1) in a fresh process, bundled JavaScript (bench/coldNative.ts); ` +
        `peak RSS by ${felt.cold.rssSource}\n` +
        table(['figure', 'value', 'target', 'met', 'what'], coldRows(felt.cold)),
    );
  }
  const rows: (readonly (string | number)[])[] = [];
  if (felt.first) rows.push(...firstPublishedRows(felt.first.result, felt.first.rssPerQuantum));
  if (felt.app)
    rows.push(
      ...('skipped' in felt.app ? [['appRunAllVsNativeRatio', 'skipped', '≤ 1.5× (warm)', '', felt.app.skipped]] : appRows(felt.app)),
    );
  if (withCanvas && felt.canvas)
    rows.push(
      'fps' in felt.canvas
        ? [
            'canvasFps',
            felt.canvas.fps,
            '≥ 30',
            felt.canvas.fps >= 30 ? 'met' : 'NOT met',
            `panning a ${felt.canvas.products}-product mesh in Chromium`,
          ]
        : ['canvasFps', 'skipped', '≥ 30', '', felt.canvas.skipped],
    );
  if (felt.scaling) rows.push(...scalingRows(felt.scaling));
  if (rows.length > 0) {
    const first = felt.first?.result;
    out.push(
      'What users feel' +
        (first ? ` — first published: fresh runs (bench/runProbe.ts), median of ${first.runs}` : '') +
        (felt.scaling
          ? `; scaling: best of ${felt.scaling.repeat} per side, pool of ${felt.scaling.pool}, fresh processes timed out after ${round1(felt.scaling.timeoutMs / 1000)} s`
          : '') +
        '\n' +
        table(['figure', 'value', 'target', 'met', 'what'], rows),
    );
  }
  return out.join('\n');
}
