#!/usr/bin/env node
// Bundles the CLI and its quantum worker into plain JavaScript (dist/cli/), so `quanta` loads no
// TypeScript at runtime: no tsx in the CLI's process or in any of its worker threads. Runs on
// `npm install` (prepare) and before `npm pack`; `node scripts/buildCli.mjs` runs it alone.
// dist/cli/build.json lists the source files that went in: bin/quanta.mjs uses the bundle only
// while none of them changed since (see there).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO_DIR = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_OUT_DIR = nodePath.join(REPO_DIR, 'dist', 'cli');

/**
 * What stays outside the bundle: DuckDB-WASM (its wasm file and Node bindings are read from the
 * installed package at runtime), the optional native engine (a platform binary) and polyglot's
 * SQL transpiler (a wasm file, loaded only by quanta export).
 */
const EXTERNAL = ['@duckdb/duckdb-wasm', '@duckdb/duckdb-wasm/*', '@duckdb/node-api', '@duckdb/node-bindings*', '@polyglot-sql/sdk'];

/** Bundles into `outDir` (dist/cli by default; the pack test builds into a staging copy). */
export async function buildCli(outDir = CLI_OUT_DIR) {
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: REPO_DIR,
    // The worker's file name is the one workers/node/workerHost.ts starts next to itself, so the
    // bundled host finds the bundled worker and the source host the source one.
    entryPoints: { quanta: 'workers/node/cliEntry.ts', 'quantum.worker': 'workers/node/quantum.worker.ts' },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // A dynamic import() stays lazy: its module (and the externals it imports, such as
    // polyglot's SQL transpiler, ~130 MB of RSS and 0.2 s to load) becomes a chunk of its own,
    // loaded only by the command that asks for it. Without splitting, esbuild inlines it and
    // hoists its imports to the bundle's top, so every `quanta run` paid for `quanta export`.
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    // Bundled CommonJS dependencies may call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __quantaRequire } from 'node:module'; const require = __quantaRequire(import.meta.url);" },
    metafile: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  // Chunk names carry a content hash: remove the previous builds' chunks (and maps), which no
  // entry imports any more and `npm pack` would otherwise ship. Only after the new files are
  // written, so a CLI started meanwhile finds a complete build.
  const written = new Set(Object.keys(result.metafile.outputs).map((path) => nodePath.resolve(REPO_DIR, path)));
  for (const name of readdirSync(outDir)) {
    const path = nodePath.join(outDir, name);
    if (/\.mjs(\.map)?$/.test(name) && !written.has(path)) rmSync(path, { force: true });
  }
  const inputs = Object.keys(result.metafile.inputs)
    .filter((path) => !path.startsWith('node_modules/'))
    .sort();
  writeFileSync(nodePath.join(outDir, 'build.json'), `${JSON.stringify({ builtAt: Date.now(), inputs }, null, 1)}\n`);
  return { dir: outDir, inputs: inputs.length };
}

if (process.argv[1] && nodePath.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { dir, inputs } = await buildCli();
  process.stdout.write(`quanta CLI bundled into ${nodePath.relative(process.cwd(), dir)} (${inputs} source files)\n`);
}
