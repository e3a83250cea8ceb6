// Builds the web app (renderer/) into dist/web with Vite. Used by `npm start` and the e2e tests.
import nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const REPO_DIR = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '..');
// QUANTA_WEB_DIR moves the build elsewhere, so two e2e runs in one checkout do not overwrite
// each other's build (the default is dist/web).
export const WEB_DIR = process.env.QUANTA_WEB_DIR ? nodePath.resolve(process.env.QUANTA_WEB_DIR) : nodePath.join(REPO_DIR, 'dist', 'web');

export async function buildWeb() {
  await build({
    configFile: nodePath.join(REPO_DIR, 'renderer', 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: WEB_DIR },
  });
  return WEB_DIR;
}
