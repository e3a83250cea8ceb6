#!/usr/bin/env node
// `npm run screenshots`: builds the web app, serves it, and photographs every screen (start,
// editor, each inspector tab and Contract view, governance, command palette, shortcut sheet,
// an empty mesh) in the light and the dark theme at 1280×720 and 1920×1080, into
// test-results/screenshots/tour-<theme>-<width>x<height>-<screen>.png. Look at them.
// Runs with tsx (the tour is test/e2e/screenTour.ts, shared with the accessibility scan).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import nodePath from 'node:path';
import { chromium } from 'playwright-core';
import { buildWeb, REPO_DIR, WEB_DIR } from './buildWeb.mjs';
import { startStaticServer } from './staticServer.mjs';
import { SIZES, THEMES, themedContext, tourScreens } from '../test/e2e/screenTour.ts';

const OUT = nodePath.join(REPO_DIR, 'test-results', 'screenshots');
const CHROMIUMS = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const executablePath = CHROMIUMS.find((path) => path && existsSync(path));
if (!executablePath) {
  process.stderr.write('No Chromium found: install one (apt-get install chromium) or set CHROMIUM_PATH.\n');
  process.exit(1);
}

process.stdout.write('Building the web app…\n');
await buildWeb();
const server = await startStaticServer(WEB_DIR);
const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
await mkdir(OUT, { recursive: true });
let count = 0;
try {
  for (const theme of THEMES)
    for (const size of SIZES) {
      const context = await themedContext(browser, theme, size);
      const page = await context.newPage();
      await tourScreens(page, server.url, async (screen) => {
        const path = nodePath.join(OUT, `tour-${theme}-${size.width}x${size.height}-${screen}.png`);
        await page.screenshot({ path });
        count++;
      });
      await context.close();
      process.stdout.write(`${theme} ${size.width}×${size.height}: done\n`);
    }
} finally {
  await browser.close();
  await server.close();
}
process.stdout.write(`${count} screenshots in ${nodePath.relative(REPO_DIR, OUT)}/\n`);
