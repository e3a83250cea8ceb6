import { bundleNative, formatVerdict, measureProcess, ratio2, targetVerdict } from './cold.ts';
import type { WebApp } from './webApp.ts';

/*
 * The app's Run all of daff in Chromium (issue 15): the web build opens `?sample=daff` in a
 * fresh page; the first Run all there, clicked as soon as the button can be, is the cold one
 * (whatever of the page's quanta — Web Workers, the wasm — is still starting is inside it),
 * then `runs` more on the same page, the best of which is the warm figure. Each is timed in the page, from the click on "Run all" to the
 * button being enabled again (the store's `running` ends when runAll's report is in: the
 * button is disabled exactly while it runs), by a MutationObserver, so no round trip to
 * playwright is inside the time. The native side is a fresh process of the bundled baseline
 * (coldNative.ts `repeat`): the mesh loaded, then 1 + `runs` runs of every product's sources,
 * transform and contract checks on @duckdb/node-api (threads = 1); its first run is the
 * first figure's baseline, the best of the rest the warm one's.
 */
export const APP_WARM_TARGET = 1.5;
const MESH = 'daff';

export interface AppRunAllResult {
  readonly mesh: string;
  readonly products: number;
  /** From navigating to the page until Run all can be clicked (the product rows shown), ms. */
  readonly pageReadyMs: number;
  /** In-page ms of each Run all: the first, then the warm ones. */
  readonly appRunsMs: readonly number[];
  readonly nativeRunsMs: readonly number[];
  readonly first: { readonly appMs: number; readonly nativeMs: number; readonly ratio: number };
  readonly warm: {
    readonly appMs: number;
    readonly nativeMs: number;
    readonly ratio: number;
    readonly target: number;
    readonly met: boolean;
  };
  /** Every product published in every run (the product rows' data-status). */
  readonly allPublished: boolean;
  /** The app's own line after the last run ("Last run: 14 published in 1.2 s"). */
  readonly statusLine: string;
  readonly note?: string;
}

/** Best of the warm runs (all but the first) of a side; NaN when there is none. */
export function firstAndWarm(runsMs: readonly number[]): { first: number; warm: number } {
  const [first, ...warm] = runsMs;
  return { first: first ?? Number.NaN, warm: warm.length > 0 ? Math.min(...warm) : Number.NaN };
}

// A string, not a function: tsx would add its `__name` helper to a function's inner functions,
// and that helper does not exist in the page.
const TIMED_RUN_ALL = `new Promise((resolve, reject) => {
  const button = () => document.querySelector('button.run-button');
  const first = button();
  if (!first || first.disabled) { reject(new Error('no enabled Run all button')); return; }
  let running = false;
  let started = 0;
  const observer = new MutationObserver(() => check());
  const check = () => {
    const b = button();
    if (b && b.disabled) running = true;
    else if (running && b) { observer.disconnect(); resolve(performance.now() - started); }
  };
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  started = performance.now();
  first.click();
  check();
})`;

export async function measureAppRunAll(options: {
  readonly app: WebApp;
  readonly runs: number;
  readonly log: (line: string) => void;
  readonly timeoutMs?: number;
}): Promise<AppRunAllResult> {
  const { app, runs, log } = options;
  const timeoutMs = options.timeoutMs ?? 180_000;
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const appRunsMs: number[] = [];
  let allPublished = true;
  let statusLine = '';
  let products: number | undefined;
  let pageReadyMs: number | undefined;
  try {
    const page = await context.newPage();
    const opening = performance.now();
    await page.goto(new URL(`?sample=${MESH}`, app.url).href);
    await page.locator('[data-testid="product-node"]').first().waitFor({ timeout: 60_000 });
    // The first click comes as soon as Run all can be clicked: what is still booting then (the
    // quanta the app starts when a mesh opens, the policy gate) is waited for inside the run.
    await page.locator('button.run-button:not([disabled])').waitFor({ timeout: 60_000 });
    pageReadyMs = performance.now() - opening;
    products = await page.locator('[data-testid="product-node"]').count();
    for (let r = 0; r <= runs; r++) {
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`bench: the app's Run all of ${MESH} did not end within ${timeoutMs / 1000} s`)),
          timeoutMs,
        );
      });
      try {
        appRunsMs.push(Number(await Promise.race([page.evaluate(TIMED_RUN_ALL), hung])));
      } finally {
        clearTimeout(timer);
      }
      const statuses = await page.$$eval('[data-testid="product-node"]', (rows) => rows.map((row) => (row as HTMLElement).dataset.status));
      if (statuses.some((s) => s !== 'published')) allPublished = false;
      statusLine = (
        await page
          .getByRole('status')
          .first()
          .innerText()
          .catch(() => '')
      ).trim();
      log(`  app Run all ${r === 0 ? 'first (fresh page)' : `warm ${r}/${runs}`}: ${Math.round(appRunsMs.at(-1) ?? 0)} ms — ${statusLine}`);
    }
  } finally {
    await context.close();
  }

  log(`  native: ${1 + runs} runs of ${MESH} in a fresh process (bundled coldNative.ts repeat)…`);
  const native = await bundleNative();
  const sample = await measureProcess(process.execPath, [native, 'repeat', `sample-meshes/${MESH}`, String(1 + runs)], 'VmHWM poll');
  const nativeRunsMs = (JSON.parse(sample.stdout.trim().split('\n').at(-1) ?? '{}') as { runsMs?: number[] }).runsMs ?? [];
  const a = firstAndWarm(appRunsMs);
  const n = firstAndWarm(nativeRunsMs);
  const warmRatio = ratio2(a.warm, n.warm);
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  return {
    mesh: MESH,
    products: products ?? 0,
    pageReadyMs: round(pageReadyMs ?? Number.NaN),
    appRunsMs: appRunsMs.map(round),
    nativeRunsMs: nativeRunsMs.map(round),
    first: { appMs: round(a.first), nativeMs: round(n.first), ratio: ratio2(a.first, n.first) },
    warm: {
      appMs: round(a.warm),
      nativeMs: round(n.warm),
      ratio: warmRatio,
      target: APP_WARM_TARGET,
      met: targetVerdict(warmRatio, APP_WARM_TARGET, '×').met,
    },
    allPublished,
    statusLine,
    ...(allPublished ? {} : { note: 'not every product published in every run: the figures time something else than a full run' }),
  };
}

// ---- text ----

/** The table rows (figure, value, target, met, what), as cold.ts's coldRows. */
export function appRows(r: AppRunAllResult): (readonly [string, number | string, string, string, string])[] {
  const fmt = (ms: number): string => Math.round(ms).toLocaleString('en-US');
  const runs = `app runs ${r.appRunsMs.map(fmt).join('/')} vs native ${r.nativeRunsMs.map(fmt).join('/')} ms`;
  const warm = targetVerdict(r.warm.ratio, r.warm.target, '×');
  return [
    [
      'appRunAllVsNativeRatio.first',
      r.first.ratio,
      '',
      '',
      `first Run all of ${r.mesh} in a fresh page, clicked once it can be (${fmt(r.pageReadyMs)} ms after opening it): ` +
        `${fmt(r.first.appMs)} ms / native first run ${fmt(r.first.nativeMs)} ms`,
    ],
    [
      'appRunAllVsNativeRatio.warm',
      r.warm.ratio,
      warm.target,
      formatVerdict(r.warm.ratio, r.warm.target, warm),
      `best later Run all ${fmt(r.warm.appMs)} ms / native best later run ${fmt(r.warm.nativeMs)} ms; ${runs}` +
        `${r.allPublished ? '' : `; ${r.note ?? ''}`}`,
    ],
  ];
}
