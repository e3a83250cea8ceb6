#!/usr/bin/env node
// `npm start`: builds the web app and the Electron bundles, then opens the desktop window.
// When Electron cannot start, says why and how to use the web version instead; exits non-zero.
import { spawn } from 'node:child_process';
import { buildElectron } from './buildElectron.mjs';
import { buildWeb, REPO_DIR } from './buildWeb.mjs';
import { downloadElectronBinary, findElectronBinary } from './electronBinary.mjs';

const say = (text) => process.stdout.write(`${text}\n`);

function cannotStart(reason) {
  process.stderr.write(
    [
      '',
      `Quanta cannot open its desktop window: ${reason}.`,
      '',
      'You can use Quanta in your browser instead:',
      '  npm run web            serves it at http://localhost:5173 (Ctrl+C to stop)',
      '',
      'To get the desktop app, let Electron download its binary, then run npm start again.',
      'The download needs access to github.com (or set ELECTRON_MIRROR to a mirror you can reach):',
      '  npx install-electron   (or: node node_modules/electron/install.js)',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

try {
  say('Building the web app…');
  await buildWeb();
  say('Bundling the Electron main process and preload…');
  await buildElectron();
} catch (error) {
  // Vite and esbuild have already printed the details with file and line.
  process.stderr.write(`\nThe build failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
  process.exit(1);
}

let binary = findElectronBinary();
if (!binary.path) {
  say(`The Electron binary is not installed (${binary.problem}); trying to download it once…`);
  const download = downloadElectronBinary();
  binary = findElectronBinary();
  if (!binary.path)
    cannotStart(download.ok ? binary.problem : `the Electron binary is missing and could not be downloaded (${download.detail})`);
}

say('Opening Quanta…');
const env = { ...process.env };
// Set by some tools; it would make Electron behave as plain Node and ignore the app.
delete env.ELECTRON_RUN_AS_NODE;
// The repo root is the app: package.json's "main" points at dist/electron/main.cjs.
const child = spawn(binary.path, [REPO_DIR], { stdio: 'inherit', env });
child.on('error', (error) => cannotStart(`the Electron binary at ${binary.path} could not be started (${error.message})`));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
