import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import nodePath from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';

/*
 * The canvas figure of `npm run bench`: frames per second while panning a generated mesh in
 * Chromium, counted with requestAnimationFrame in the page. Reported, never asserted (target:
 * ≥ 30 fps for 500 products). Builds and serves the web app the way scripts/e2e.mjs does.
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
}

export interface CanvasFps {
  readonly fps: number;
  readonly products: number;
}

const REPO = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '..');
const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

interface StaticServer {
  readonly url: string;
  readonly close: () => Promise<void>;
}

export async function measureCanvasFps(options: CanvasFpsOptions = {}): Promise<CanvasFps> {
  const products = options.products ?? 500;
  const seconds = options.seconds ?? 4;
  const log = options.log ?? (() => {});
  // The scripts are plain ES modules without types; their exports are described here.
  const scripts = nodePath.join(REPO, 'scripts');
  if (options.build !== false) {
    log('building the web app…');
    const { buildWeb } = (await import(pathToFileURL(nodePath.join(scripts, 'buildWeb.mjs')).href)) as { buildWeb: () => Promise<string> };
    await buildWeb();
  }
  const { startStaticServer } = (await import(pathToFileURL(nodePath.join(scripts, 'staticServer.mjs')).href)) as {
    startStaticServer: (root: string) => Promise<StaticServer>;
  };
  const server = await startStaticServer(nodePath.join(REPO, 'dist', 'web'));
  const browser = await chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 })).newPage();
    await page.goto(new URL(`?sample=generated-${products}`, server.url).href);
    log(`laying out ${products} products…`);
    await page.locator('[data-testid="product-node"]').first().waitFor({ timeout: 180_000 });
    await page.locator('.mesh-canvas').scrollIntoViewIfNeeded();
    await page.waitForTimeout(1000);
    log(`panning for ${seconds} s…`);
    return { fps: await panAndCountFrames(page, seconds), products };
  } finally {
    await browser.close();
    await server.close();
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

function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const system = SYSTEM_CHROMIUMS.find((path) => existsSync(path));
  if (system) return system;
  const playwrights = createRequire(import.meta.url)('playwright-core').chromium.executablePath() as string;
  if (playwrights && existsSync(playwrights)) return playwrights;
  throw new Error('The canvas bench needs Chromium: set CHROMIUM_PATH, or install chromium (see README.md, Requirements).');
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
