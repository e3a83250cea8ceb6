import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, loadSample, REPO, SAMPLES_DIR, sampleNames, tempDir } from '../helpers.ts';
import { freePort, launchChromium, saveScreenshot, withPage } from './browser.ts';

/*
 * A room without a server: the static build (dist/web, built by scripts/e2e.mjs), copied below a
 * sub-path as a static host would hold it, served by `npm run workshop`'s own server on a free
 * port, opened in Chromium; daff runs and publishes there. The copy keeps the test away from
 * dist/web, which other specs' builds may replace while this one runs.
 */
const SUB_PATH = 'workshop';
const PRODUCT = '[data-testid="product-node"]';

let server: ChildProcess | undefined;
let output = '';
let roomDir = '';
let base = '';
let browser: Browser;

async function waitForBanner(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`the workshop server exited (${String(exited)}):\n${output}`);
    if (output.includes('Press Ctrl+C to stop.')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the workshop server printed no banner within 30 s:\n${output}`);
}

beforeAll(async () => {
  roomDir = await tempDir('workshop');
  await fsp.cp(nodePath.join(REPO, 'dist', 'web'), nodePath.join(roomDir, SUB_PATH), { recursive: true });
  const port = await freePort();
  // As the trainer starts it (every interface), except that the copy is served as it is.
  const child = spawn(process.execPath, ['scripts/serve-workshop.mjs', '--dir', roomDir, '--no-build', '--port', String(port)], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = child;
  child.stdout?.on('data', (chunk: Buffer) => (output += String(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => (output += String(chunk)));
  await waitForBanner(child);
  base = `http://127.0.0.1:${port}/${SUB_PATH}/`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.kill();
  if (roomDir) await fsp.rm(roomDir, { recursive: true, force: true });
});

function statuses(page: Page): Promise<string[]> {
  return page.$$eval(PRODUCT, (rows) =>
    rows.map((row) => `${(row as HTMLElement).dataset.productId ?? ''}: ${(row as HTMLElement).dataset.status ?? ''}`),
  );
}

describe('the static workshop build', () => {
  it('prints the addresses participants open, and a link per sample', async () => {
    const port = new URL(base).port;
    expect(output).toContain(`On this machine:   http://localhost:${port}/${SUB_PATH}/\n`);
    for (const line of output.split('\n').filter((l) => l.includes('Participants open:'))) {
      expect(line).toMatch(new RegExp(`Participants open: http://\\d+\\.\\d+\\.\\d+\\.\\d+:${port}/${SUB_PATH}/$`));
    }
    for (const sample of await sampleNames()) expect(output).toMatch(new RegExp(`:${port}/${SUB_PATH}/\\?sample=${sample}\\n`));
  });

  it('serves the wasm as application/wasm, gzipped, and answers a reload with 304', async () => {
    const assets = await fsp.readdir(nodePath.join(roomDir, SUB_PATH, 'assets'));
    const wasm = assets.find((name) => name.endsWith('.wasm'));
    expect(wasm).toBeDefined();
    const url = `${base}assets/${wasm ?? ''}`;
    const first = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/wasm');
    expect(first.headers.get('content-encoding')).toBe('gzip');
    expect(first.headers.get('content-security-policy')).toContain("'wasm-unsafe-eval'");
    const bytes = new Uint8Array(await first.arrayBuffer());
    expect(WebAssembly.validate(bytes)).toBe(true);
    const again = await fetch(url, { headers: { 'if-none-match': first.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
    expect((await fetch(`${base}../../package.json`)).status).toBe(404);
  });

  it('bundles every sample with each of its scenario files', async () => {
    const assets = await fsp.readdir(nodePath.join(roomDir, SUB_PATH, 'assets'));
    for (const sample of await sampleNames()) {
      const chunk = assets.find((name) => name.startsWith(`sample-${sample}-`) && name.endsWith('.js'));
      expect(chunk, sample).toBeDefined();
      const text = await (await fetch(`${base}assets/${chunk ?? ''}`)).text();
      const scenarios = (await listFiles(nodePath.join(SAMPLES_DIR, sample))).filter((f) => f.endsWith('.scenario.yaml'));
      for (const file of scenarios) {
        const source = await fsp.readFile(nodePath.join(SAMPLES_DIR, sample, file), 'utf8');
        const id = /^id:\s*(\S+)/m.exec(source)?.[1];
        expect(id, file).toBeDefined();
        expect(text, `${sample}/${file}`).toContain(`id: ${id ?? ''}`);
      }
    }
  });

  it('opens daff from the sub-path and publishes every product on Run all', async () => {
    const { mesh } = await loadSample('daff');
    await withPage(browser, `${base}?sample=daff`, async (page) => {
      await page.locator(PRODUCT).first().waitFor({ timeout: 60_000 });
      expect(new URL(page.url()).pathname).toBe(`/${SUB_PATH}/`);
      const button = page.getByRole('button', { name: 'Run all', exact: true });
      await button.click();
      await page.getByRole('button', { name: /^Running \d+\/\d+…$/ }).waitFor();
      await button.waitFor({ timeout: 180_000 });
      expect((await statuses(page)).sort()).toEqual(mesh.products.map((p) => `${p.id}: published`).sort());
      await saveScreenshot(page, 'workshop-daff-published');
    });
  }, 300_000);
});
