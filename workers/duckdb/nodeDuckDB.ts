import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as BlockingBindings from '@duckdb/duckdb-wasm/blocking';
import type { DuckDBBindings } from '@duckdb/duckdb-wasm/blocking';
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

/** The compiled DuckDB module, compiled on first use and then shared. */
export function compiledDuckDBModule(): Promise<WebAssembly.Module> {
  compiled ??= readFile(wasmPath()).then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}

/** A new, opened DuckDB instance on the shared compiled module (compiled here when not given). */
export async function createNodeDuckDB(module?: WebAssembly.Module): Promise<DuckDBBindings> {
  const shared = module ?? (await compiledDuckDBModule());
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs') as BlockingModule;
  const path = wasmPath();
  const db = await duckdb.createDuckDB(
    { mvp: { mainModule: path.replace('-eh.wasm', '-mvp.wasm'), mainWorker: '' }, eh: { mainModule: path, mainWorker: '' } },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  return openOnSharedModule(db, shared);
}
