#!/usr/bin/env node
// The last step of `npm test`: builds the web app, serves dist/web on 127.0.0.1, finds a
// Chromium and runs test/e2e/*.spec.ts against it with vitest. Extra arguments go to vitest
// (e.g. `node scripts/e2e.mjs startScreen`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import nodePath from 'node:path';
import { buildWeb, REPO_DIR, WEB_DIR } from './buildWeb.mjs';
import { startStaticServer } from './staticServer.mjs';

const require = createRequire(import.meta.url);
const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    fail(`CHROMIUM_PATH is set to ${fromEnv}, but there is no file there.`);
  }
  const system = SYSTEM_CHROMIUMS.find((path) => existsSync(path));
  if (system) return system;
  try {
    const playwrights = require('playwright-core').chromium.executablePath();
    if (playwrights && existsSync(playwrights)) return playwrights;
  } catch {
    // playwright-core knows no browser for this platform; fall through to the advice below.
  }
  return fail(
    [
      'The end-to-end tests need Chromium, and none was found.',
      `Looked at: $CHROMIUM_PATH, ${SYSTEM_CHROMIUMS.join(', ')} and Playwright's own download.`,
      'Install one of:',
      '  sudo apt-get install chromium        (Debian/Ubuntu)',
      '  npx playwright install chromium      (any OS; downloads Playwright’s build)',
      'or point CHROMIUM_PATH at a Chromium or Chrome executable.',
    ].join('\n'),
  );
}

function fail(message) {
  process.stderr.write(`\n${message}\n`);
  process.exit(1);
}

const chromium = findChromium();
process.stdout.write('Building the web app…\n');
try {
  await buildWeb();
} catch (error) {
  fail(`The web build failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
}
const server = await startStaticServer(WEB_DIR);
process.stdout.write(`Serving ${nodePath.relative(REPO_DIR, WEB_DIR)} at ${server.url}; Chromium: ${chromium}\n`);

const vitest = nodePath.join(nodePath.dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const child = spawn(process.execPath, [vitest, 'run', '--config', 'test/e2e/vitest.config.ts', ...process.argv.slice(2)], {
  cwd: REPO_DIR,
  stdio: 'inherit',
  env: { ...process.env, QUANTA_E2E_BASE_URL: server.url, QUANTA_E2E_CHROMIUM: chromium },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
const code = await new Promise((resolve) => {
  child.on('error', (error) => {
    process.stderr.write(`Could not start vitest: ${error.message}\n`);
    resolve(1);
  });
  child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
});
await server.close();
process.exit(code);
