import type { DuckDBBindings } from '@duckdb/duckdb-wasm/blocking';
import { BROWSER_RUNTIME, createDuckDB, VoidLogger } from '@duckdb/duckdb-wasm/browser-blocking';
import { openOnSharedModule } from '../duckdb/sharedModule.ts';

/*
 * DuckDB-WASM in a Web Worker, with the synchronous ("blocking") bindings, as in Node: the
 * worker is the quantum's own thread, so a synchronous query blocks only that quantum.
 *
 * `@duckdb/duckdb-wasm/browser-blocking` is our name for dist/duckdb-browser-blocking.mjs,
 * which the package ships but does not export (its `./blocking` export is the Node build):
 * renderer/vite.config.ts aliases the name to the file, tsconfig.base.json maps it to the
 * file's types.
 */

/**
 * The bindings look for their wasm at this URL only when they compile it themselves, which
 * openOnSharedModule prevents: they are instantiated from the module the page compiled.
 */
const UNUSED = { mainModule: 'duckdb-eh.wasm', mainWorker: '' };

/** A new, opened DuckDB instance on the page's compiled module (DuckDB's exception-handling build). */
export async function createBrowserDuckDB(module: WebAssembly.Module): Promise<DuckDBBindings> {
  const db = await createDuckDB({ mvp: UNUSED, eh: UNUSED }, new VoidLogger(), BROWSER_RUNTIME);
  return openOnSharedModule(db, module);
}
