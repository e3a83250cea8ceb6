import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { openWebApp, type WebApp } from './webApp.ts';

/*
 * The canvas figure of `npm run bench`: frames per second while panning a generated mesh in
 * Chromium, counted with requestAnimationFrame in the page. Reported, never asserted (target:
 * ≥ 30 fps for 500 products). Builds and serves the web app the way scripts/e2e.mjs does (webApp.ts).
 *
 *   node --import tsx bench/canvasFps.ts [products] [seconds]   prints one JSON object
 */

export interface CanvasFpsOptions {
  /** Products in the generated mesh (`?sample=generated-<n>`, at most 2000); default 500. */
  readonly products?: number;
  /** How long to pan; default 4 s. */
  readonly seconds?: number;
  /** Build dist/web first (default true); false serves the existing build. */
  readonly build?: boolean;
  /** Progress lines (build, serve, layout); default: nothing. */
  readonly log?: (line: string) => void;
  /** An app already built, served and in a browser (the bench shares one); else one is opened and closed here. */
  readonly app?: WebApp;
}

export interface CanvasFps {
  readonly fps: number;
  readonly products: number;
}

export async function measureCanvasFps(options: CanvasFpsOptions = {}): Promise<CanvasFps> {
  const products = options.products ?? 500;
  const seconds = options.seconds ?? 4;
  const log = options.log ?? (() => {});
  const app = options.app ?? (await openWebApp({ ...(options.build === undefined ? {} : { build: options.build }), log }));
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    await page.goto(new URL(`?sample=generated-${products}`, app.url).href);
    log(`laying out ${products} products…`);
    await page.locator('[data-testid="product-node"]').first().waitFor({ timeout: 180_000 });
    await page.locator('.mesh-canvas').scrollIntoViewIfNeeded();
    await page.waitForTimeout(1000);
    log(`panning for ${seconds} s…`);
    return { fps: await panAndCountFrames(page, seconds), products };
  } finally {
    await context.close();
    if (!options.app) await app.close();
  }
}

/** Drags the empty pane back and forth for `seconds` while the page counts animation frames. */
async function panAndCountFrames(page: Page, seconds: number): Promise<number> {
  const start = await page.evaluate(() => {
    // A spot of bare pane to grab: dragging a node would move the node instead of the view.
    const pane = document.querySelector('.react-flow__pane')?.getBoundingClientRect();
    if (!pane) throw new Error('the canvas has no pane');
    for (let fy = 0.5; fy < 0.95; fy += 0.05) {
      for (let fx = 0.05; fx < 0.95; fx += 0.05) {
        const x = pane.left + pane.width * fx;
        const y = pane.top + pane.height * fy;
        if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
      }
    }
    throw new Error('no empty spot of the canvas to pan from');
  });
  // A string, not a function: tsx would add its `__name` helper to a function's inner
  // functions, and that helper does not exist in the page.
  await page.evaluate(`{
    const state = { frames: 0, started: performance.now(), stop: false };
    window.quantaFps = state;
    const tick = () => {
      state.frames++;
      if (!state.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }`);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  const until = Date.now() + seconds * 1000;
  for (let t = 0; Date.now() < until; t++) {
    // A slow figure eight, 300 px wide: the view keeps moving and the mesh stays on screen.
    await page.mouse.move(start.x + 150 * Math.sin(t / 20), start.y + 80 * Math.sin(t / 10));
  }
  await page.mouse.up();
  return page.evaluate(() => {
    const state = (window as unknown as { quantaFps: { frames: number; started: number; stop: boolean } }).quantaFps;
    state.stop = true;
    return Math.round((state.frames / ((performance.now() - state.started) / 1000)) * 10) / 10;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [products, seconds] = process.argv.slice(2).map(Number);
  const result = await measureCanvasFps({
    ...(products ? { products } : {}),
    ...(seconds ? { seconds } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
