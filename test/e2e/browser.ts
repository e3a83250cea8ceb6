import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import nodePath from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { REPO } from '../helpers.ts';

export const SCREENSHOT_DIR = nodePath.join(REPO, 'test-results', 'screenshots');

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run the end-to-end tests with \`node scripts/e2e.mjs\`, which builds and serves the app.`);
  return value;
}

/** Where scripts/e2e.mjs serves dist/web, ending in '/'. */
export const BASE_URL = requireEnv('QUANTA_E2E_BASE_URL');
const CHROMIUM_PATH = requireEnv('QUANTA_E2E_CHROMIUM');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // --no-sandbox: CI machines and containers often run as root, where Chromium's sandbox cannot start.
    // The rest keeps the browser from reaching the network on its own.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Opens `path` (relative to the app, e.g. `?sample=hello-mesh`) in a fresh context, runs `use`,
 * then fails the test if the page logged a console error, threw, or got an HTTP error.
 */
export async function withPage(browser: Browser, path: string, use: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const problems: string[] = [];
  try {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
    });
    await page.goto(new URL(path, BASE_URL).href);
    await use(page);
    expect(problems, 'the page reported errors').toEqual([]);
  } finally {
    await context.close();
  }
}

/** Saves a full-page PNG to test-results/screenshots/<name>.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = nodePath.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A TCP port free on 127.0.0.1 right now, for a server a spec starts (the dev server, the workshop server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
