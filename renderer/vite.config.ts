import { defineConfig, type Plugin } from 'vite';
import { isBlockingBindings, patchLinker } from '../workers/duckdb/linkerPatch.ts';

// Vite replaces import.meta.dirname with this file's folder when it bundles the config, so the
// build does not depend on the directory `vite` is started from (and needs no node:path here).
const rendererDir = import.meta.dirname;
const repoDir = `${rendererDir}/..`;
// DuckDB-WASM's browser build with synchronous bindings, for the quanta's Web Workers. The package
// ships it but does not export it (its `./blocking` export is the Node build), so it gets a name
// here; tsconfig.base.json maps the same name to its types.
const duckdbBrowserBlocking = `${repoDir}/node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs`;
const arrowIsValid = `${repoDir}/workers/browser/arrowIsValid.ts`;

export default defineConfig({
  root: rendererDir,
  // Relative asset URLs: the same build works from any static server path and from app://quanta/.
  base: './',
  publicDir: `${rendererDir}/public`,
  resolve: {
    alias: { '@duckdb/duckdb-wasm/browser-blocking': duckdbBrowserBlocking },
  },
  plugins: [arrowWithoutEval(), duckdbLinker()],
  // The quantum workers are module workers (`new Worker(url, { type: 'module' })`).
  worker: { format: 'es', plugins: () => [arrowWithoutEval(), duckdbLinker()] },
  build: {
    outDir: `${repoDir}/dist/web`,
    emptyOutDir: true,
    // Electron 45 ships Chromium 140; the web version targets current browsers only.
    target: 'es2023',
    // The sample files are loaded on demand as many tiny modules; group them per sample so the
    // build holds one chunk per sample instead of one per file.
    rolldownOptions: {
      // Also used by Vite for the worker bundle.
      onwarn(warning, warn) {
        // Emscripten's glue in duckdb-wasm contains direct eval() for features DuckDB does not use;
        // the CSP forbids eval anyway. Any other warning, and this one anywhere else, is shown.
        if (warning.code === 'EVAL' && DUCKDB_GLUE.test(warning.id ?? '')) return;
        warn(warning);
      },
      output: {
        codeSplitting: {
          groups: [{ debugName: 'sample-meshes', name: (id: string) => sampleChunkName(id) }],
        },
      },
    },
  },
  // The quantum worker's dependencies, which the dev server would otherwise discover on the first
  // "Run all" and answer with a full page reload.
  // The pre-bundling of those dependencies gets the same eval-free Arrow builder as the build:
  // without it the dev server's Arrow uses `new Function`, which the CSP refuses (the
  // Governance panel then says "Policies could not be evaluated").
  optimizeDeps: {
    include: ['@duckdb/duckdb-wasm/browser-blocking', 'apache-arrow', 'hyparquet', 'hyparquet-compressors'],
    rolldownOptions: { plugins: [arrowWithoutEval(), duckdbLinker()] },
  },
  server: {
    // The start screen imports sample-meshes/ from outside the renderer folder.
    fs: { allow: [repoDir] },
  },
});

/**
 * apache-arrow compiles each builder's null check with `new Function` (builder/valid.mjs), which
 * the CSP forbids; every builder (tableFromJSON in the quanta) would throw. This resolves that one
 * module, when apache-arrow's builder.mjs imports it, to an equivalent without eval.
 */
function arrowWithoutEval(): Plugin {
  return {
    name: 'quanta:arrow-without-eval',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === './builder/valid.mjs' && importer !== undefined && ARROW_BUILDER.test(importer) ? arrowIsValid : null;
    },
  };
}

/** DuckDB-WASM's linker, started in about two thirds of the time (workers/duckdb/linkerPatch.ts says what and why). */
function duckdbLinker(): Plugin {
  return {
    name: 'quanta:duckdb-linker',
    transform(code, id) {
      return isBlockingBindings(id) ? (patchLinker(code) ?? null) : null;
    },
  };
}

const ARROW_BUILDER = /[\\/]apache-arrow[\\/]builder\.mjs$/;
const DUCKDB_GLUE = /[\\/]@duckdb[\\/]duckdb-wasm[\\/]dist[\\/]duckdb-browser-blocking\.mjs$/;

function sampleChunkName(id: string): string | null {
  const match = /[\\/]sample-meshes[\\/]([^\\/]+)[\\/]/.exec(id);
  return match ? `sample-${match[1]}` : null;
}
