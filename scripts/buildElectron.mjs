#!/usr/bin/env node
// Bundles electron/main.ts and electron/preload.ts into dist/electron/*.cjs. Electron loads
// CommonJS most reliably, and a sandboxed preload cannot require anything but 'electron',
// so each entry is one self-contained file. `node scripts/buildElectron.mjs` runs it alone.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
// esbuild comes with tsx (a dependency), so no extra package is needed.
import { build } from 'esbuild';

const REPO_DIR = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '..');
export const ELECTRON_OUT_DIR = nodePath.join(REPO_DIR, 'dist', 'electron');

/** The sample meshes' folders and titles, for the File ▸ Open Sample menu. */
function bundledSamples() {
  const dir = nodePath.join(REPO_DIR, 'sample-meshes');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(nodePath.join(dir, entry.name, 'mesh.yaml')))
    .map((entry) => {
      const text = readFileSync(nodePath.join(dir, entry.name, 'mesh.yaml'), 'utf8');
      const title =
        /^title:\s*(.+)$/m
          .exec(text)?.[1]
          ?.trim()
          .replace(/^["']|["']$/g, '') ?? entry.name;
      return { folder: entry.name, title };
    })
    .sort((a, b) => a.folder.localeCompare(b.folder));
}

export async function buildElectron() {
  const { version } = JSON.parse(readFileSync(nodePath.join(REPO_DIR, 'package.json'), 'utf8'));
  await build({
    absWorkingDir: REPO_DIR,
    entryPoints: { main: 'electron/main.ts', preload: 'electron/preload.ts' },
    outdir: ELECTRON_OUT_DIR,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // Electron 45 runs Node 22.
    target: 'node22',
    external: ['electron'],
    define: { __QUANTA_VERSION__: JSON.stringify(version), __QUANTA_SAMPLES__: JSON.stringify(bundledSamples()) },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return ELECTRON_OUT_DIR;
}

if (process.argv[1] && nodePath.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildElectron();
  process.stdout.write(`Electron main and preload bundled into ${nodePath.relative(process.cwd(), ELECTRON_OUT_DIR)}\n`);
}
