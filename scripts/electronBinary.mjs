// Finds the Electron binary without the side effect of `import electronPath from 'electron'`,
// which starts a download when the binary is missing and throws a stack trace when it fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import nodePath from 'node:path';

const require = createRequire(import.meta.url);

function electronPackageDir() {
  try {
    return nodePath.dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/** `{ path }` of the Electron executable, or `{ problem }` saying in plain words why there is none. */
export function findElectronBinary() {
  const dir = electronPackageDir();
  if (!dir) return { problem: 'the "electron" package is not installed (run npm install)' };
  const pathFile = nodePath.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return { problem: 'the Electron binary has not been downloaded' };
  const relative = readFileSync(pathFile, 'utf8').trim();
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? nodePath.join(override, relative || 'electron') : nodePath.join(dir, 'dist', relative);
  return existsSync(binary) ? { path: binary } : { problem: `the Electron binary is missing (expected ${binary})` };
}

/** Runs electron's own installer once; returns its last line of output when it fails. */
export function downloadElectronBinary() {
  const dir = electronPackageDir();
  if (!dir) return { ok: false, detail: 'the "electron" package is not installed' };
  const result = spawnSync(process.execPath, [nodePath.join(dir, 'install.js')], { encoding: 'utf8', timeout: 10 * 60_000 });
  if (result.status === 0) return { ok: true };
  const lines = `${result.stderr ?? ''}\n${result.error?.message ?? ''}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('at '));
  return { ok: false, detail: lines[0] ?? `installer exited with ${result.status ?? result.signal}` };
}
