// Builds the web app (renderer/) into dist/web with Vite. Used by `npm start` and the e2e tests.
import nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const REPO_DIR = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIR = nodePath.join(REPO_DIR, 'dist', 'web');

export async function buildWeb() {
  await build({ configFile: nodePath.join(REPO_DIR, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  return WEB_DIR;
}
