import { spawn, type ChildProcess } from 'node:child_process';
import nodePath from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { REPO } from '../helpers.ts';
import { freePort, launchChromium, withPage } from './browser.ts';

/*
 * `npm run web` (Vite's dev server) serves the app differently from the build: its
 * dependencies are pre-bundled apart from the build's plugins. The Governance panel there once
 * failed on the CSP (Arrow's `new Function`); this opens it under the dev server and waits
 * for a score, with no console error.
 */
let server: ChildProcess | undefined;
let url = '';
let browser: Browser;

/** Polls the dev server until it answers: its banner is not parsed (CI colours the port in it). */
async function waitForServer(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 100_000;
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`the dev server exited (${String(exited)}):\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the dev server did not answer within 100 s:\n${output()}`);
}

beforeAll(async () => {
  const port = await freePort();
  const vite = nodePath.join(REPO, 'node_modules', 'vite', 'bin', 'vite.js');
  const child = spawn(
    process.execPath,
    [vite, '--config', 'renderer/vite.config.ts', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  server = child;
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += String(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => (output += String(chunk)));
  url = `http://127.0.0.1:${port}/`;
  await waitForServer(url, child, () => output);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.kill();
});

describe('the app under the dev server', () => {
  it('evaluates policies in the Governance panel, as the built app does', { timeout: 240_000 }, async () => {
    await withPage(browser, `${url}?sample=hello-mesh`, async (page) => {
      // The first request pre-bundles the dependencies: give it time.
      await page.locator('[data-testid="product-node"]').first().waitFor({ timeout: 120_000 });
      await page.getByRole('button', { name: 'Governance', exact: true }).click();
      await page.locator('[data-testid="governance-score"][data-score="100"]').waitFor({ timeout: 120_000 });
    });
  });
});
