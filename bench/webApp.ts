import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import nodePath from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { WASM_TIERING_FLAG } from '../workers/duckdb/wasmTiering.ts';

/*
 * The web app in Chromium for the browser figures of `npm run bench` (canvasFps.ts,
 * appRunAll.ts): built with scripts/buildWeb.mjs (into dist/web, or QUANTA_WEB_DIR), served by
 * scripts/staticServer.mjs (the e2e tests' server: same paths, MIME types and CSP as the
 * desktop app), driven by playwright-core on a system Chromium — with the `js-flags` the desktop
 * app's main process gives its Chromium (workers/duckdb/wasmTiering.ts), so the figures are the
 * desktop app's; a plain browser tab runs V8's default tiering (ARCHITECTURE.md, "Speed work").
 */
const REPO = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '..');
const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export interface WebApp {
  /** Where the build is served, ending in '/'. */
  readonly url: string;
  readonly browser: Browser;
  readonly close: () => Promise<void>;
}

interface StaticServer {
  readonly url: string;
  readonly close: () => Promise<void>;
}

/** Builds the web app unless `build` is false (then serves the existing build), serves it and launches Chromium. */
export async function openWebApp(options: { readonly build?: boolean; readonly log?: (line: string) => void } = {}): Promise<WebApp> {
  const log = options.log ?? (() => {});
  // The scripts are plain ES modules without types; their exports are described here.
  const scripts = nodePath.join(REPO, 'scripts');
  const web = (await import(pathToFileURL(nodePath.join(scripts, 'buildWeb.mjs')).href)) as {
    buildWeb: () => Promise<string>;
    WEB_DIR: string;
  };
  let dir = web.WEB_DIR;
  if (options.build !== false) {
    log('building the web app…');
    dir = await web.buildWeb();
  }
  const { startStaticServer } = (await import(pathToFileURL(nodePath.join(scripts, 'staticServer.mjs')).href)) as {
    startStaticServer: (root: string) => Promise<StaticServer>;
  };
  const server = await startStaticServer(dir);
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: findChromium(),
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        `--js-flags=${WASM_TIERING_FLAG}`,
      ],
    });
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    url: server.url,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const system = SYSTEM_CHROMIUMS.find((path) => existsSync(path));
  if (system) return system;
  const playwrights = createRequire(import.meta.url)('playwright-core').chromium.executablePath() as string;
  if (playwrights && existsSync(playwrights)) return playwrights;
  throw new Error('The browser figures need Chromium: set CHROMIUM_PATH, or install chromium (see README.md, Requirements).');
}
