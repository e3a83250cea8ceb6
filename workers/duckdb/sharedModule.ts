import type { DuckDBBindings } from '@duckdb/duckdb-wasm/blocking';

/*
 * What the Node and the browser DuckDB have in common, once their build's `createDuckDB` has
 * made the (not yet instantiated) bindings: instantiate them from a WebAssembly.Module that
 * was compiled once and shared, open the database and switch off what an offline quantum
 * must never do. No Node and no DOM here: this file runs in worker threads and Web Workers.
 *
 * Compiling the ~35 MB wasm takes seconds, so it happens once per process (Node) or page
 * (browser); the compiled module is posted to every worker. The bindings normally fetch or
 * read the file and compile it in `instantiateWasm`; we replace that step on the instance.
 */

interface PatchableBindings {
  _runtime: object;
  instantiateWasm: (imports: WebAssembly.Imports, success: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => unknown;
}

/** Settings every quantum starts with; see openOnSharedModule. */
const OFFLINE_SETTINGS = 'SET autoinstall_known_extensions = false; SET autoload_known_extensions = false';

/**
 * Instantiates `db` from the shared compiled `module` and opens it. Extension autoloading is
 * switched off *on this database*: a missing extension must fail at once rather than try a
 * download that can hang forever (and, in the browser, would reach a CDN).
 */
export async function openOnSharedModule(db: DuckDBBindings, module: WebAssembly.Module): Promise<DuckDBBindings> {
  const patchable = db as unknown as PatchableBindings;
  patchable.instantiateWasm = function (this: PatchableBindings, imports, success) {
    // What the original does before compiling: expose the runtime callbacks to the wasm glue.
    const runtime: Record<string, unknown> = {};
    for (const name of Object.getOwnPropertyNames(this._runtime)) {
      if (name !== 'constructor') runtime[name] = Object.getOwnPropertyDescriptor(this._runtime, name)?.value;
    }
    (globalThis as { DUCKDB_RUNTIME?: unknown }).DUCKDB_RUNTIME = runtime;
    void WebAssembly.instantiate(module, imports).then((instance) => success(instance, module));
    return [];
  };
  await db.instantiate(() => undefined); // no download, so no progress to report
  // No casts: a BIGINT or DECIMAL must cross a lineage edge (Arrow IPC) as itself, not as DOUBLE.
  db.open({ query: { castBigIntToDouble: false, castDecimalToDouble: false, castTimestampToDate: false } });
  const connection = db.connect();
  try {
    connection.query(`${OFFLINE_SETTINGS}; SET TimeZone = 'UTC'`);
  } catch {
    // TimeZone needs the ICU extension, which the offline build lacks; UTC is the default anyway.
    connection.query(OFFLINE_SETTINGS);
  } finally {
    connection.close();
  }
  return db;
}
