import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire, Module } from 'node:module';
import nodePath from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type * as BlockingBindings from '@duckdb/duckdb-wasm/blocking';
import type { DuckDBBindings } from '@duckdb/duckdb-wasm/blocking';
import { patchLinker } from './linkerPatch.ts';
import { WASM_TIERING_FLAG } from './wasmTiering.ts';
import { openOnSharedModule } from './sharedModule.ts';

/*
 * DuckDB-WASM in Node, with the synchronous ("blocking") bindings: each quantum lives in its
 * own worker thread, so a synchronous query blocks only that quantum. The wasm is compiled
 * once per process and the compiled module is shared by every instance (sharedModule.ts).
 */
const require = createRequire(import.meta.url);

type BlockingModule = typeof BlockingBindings;

let compiled: Promise<WebAssembly.Module> | undefined;

export function wasmPath(): string {
  return require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm');
}

/**
 * The tiering budget of wasmTiering.ts for this process, once, before the first instance (V8
 * reads it when an instance is made; flags are shared by every thread). A
 * `--wasm-tiering-budget` given to node itself wins.
 */
let tuned = false;

export function tuneWasmTiering(): void {
  if (tuned) return;
  tuned = true;
  if (process.execArgv.some((arg) => arg.startsWith('--wasm-tiering-budget'))) return;
  setFlagsFromString(WASM_TIERING_FLAG);
}

/** The compiled DuckDB module, compiled on first use and then shared. */
export function compiledDuckDBModule(): Promise<WebAssembly.Module> {
  tuneWasmTiering();
  compiled ??= readFile(wasmPath()).then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}

/** A new, opened DuckDB instance on the shared compiled module (compiled here when not given). */
export async function createNodeDuckDB(module?: WebAssembly.Module): Promise<DuckDBBindings> {
  const shared = module ?? (await compiledDuckDBModule());
  const duckdb = nodeBindings();
  const path = wasmPath();
  const db = await duckdb.createDuckDB(
    { mvp: { mainModule: path.replace('-eh.wasm', '-mvp.wasm'), mainWorker: '' }, eh: { mainModule: path, mainWorker: '' } },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  return openOnSharedModule(db, shared);
}

let bindings: BlockingModule | undefined;

/** Loads the bindings now (a worker does while the compiled module is on its way). */
export function preloadNodeBindings(): void {
  nodeBindings();
}

/**
 * DuckDB-WASM's Node bindings (the package's `duckdb-node-blocking.cjs`), loaded once per
 * thread with one line of its emscripten linker changed (linkerPatch.ts says which and why).
 */
function nodeBindings(): BlockingModule {
  if (bindings) return bindings;
  const file = require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const patched = patchLinker(readFileSync(file, 'utf8'));
  if (patched === undefined || process.env['QUANTA_STOCK_BINDINGS'] === '1') {
    bindings = require(file) as BlockingModule;
    return bindings;
  }
  const loaded = new Module(file) as Module & { _compile(code: string, filename: string): void; paths: string[] };
  loaded.filename = file;
  loaded.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(nodePath.dirname(file));
  loaded._compile(patched, file);
  bindings = loaded.exports as BlockingModule;
  return bindings;
}
