import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import nodePath from 'node:path';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers.ts';
import { saveScreenshot } from './browser.ts';

/**
 * The Electron binary is downloaded by electron's postinstall and cannot be on every machine
 * (no access to github.com, for one). Found the way scripts/electronBinary.mjs finds it, never
 * with require('electron'), which would start a download.
 */
function electronBinary(): string | undefined {
  const dir = nodePath.join(REPO, 'node_modules', 'electron');
  const pathFile = nodePath.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = nodePath.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
const noDisplay = process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'];
const skipReason =
  binary === undefined
    ? 'no Electron binary on this machine; run `npx install-electron`'
    : noDisplay
      ? 'no display; run under xvfb-run'
      : undefined;
const name = `launches the Electron app: a sandboxed window titled Quanta showing the samples${skipReason ? ` (skipped: ${skipReason})` : ''}`;

describe('desktop app', () => {
  it.skipIf(skipReason !== undefined)(name, async () => {
    const bundle = spawnSync(process.execPath, ['scripts/buildElectron.mjs'], { cwd: REPO, encoding: 'utf8' });
    expect(bundle.status, bundle.stderr).toBe(0);
    const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
    delete env['ELECTRON_RUN_AS_NODE'];
    // Chromium's sandbox cannot start as root (CI containers); elsewhere it stays on.
    const args = process.getuid?.() === 0 ? ['--no-sandbox', REPO] : [REPO];
    const app = await _electron.launch({ executablePath: binary ?? '', args, env });
    try {
      const page = await app.firstWindow();
      await page.locator('[data-testid="sample-card"]').first().waitFor();
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle())).toBe('Quanta');
      const { version } = JSON.parse(readFileSync(nodePath.join(REPO, 'package.json'), 'utf8')) as { version: string };
      expect(await page.evaluate(() => window.quanta)).toEqual({ version });
      // No Node in the page, and app:// refuses to leave dist/web.
      expect(
        await page.evaluate(() => [
          typeof (globalThis as { require?: unknown }).require,
          typeof (globalThis as { process?: unknown }).process,
        ]),
      ).toEqual(['undefined', 'undefined']);
      expect(await page.evaluate(() => fetch('app://quanta/%2e%2e/%2e%2e/package.json').then((r) => r.status))).toBe(404);
      await saveScreenshot(page, 'electron-start-screen');
    } finally {
      await app.close();
    }
  });
});
