import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as BlockingBindings from '@duckdb/duckdb-wasm/blocking';
import type { DuckDBBindings } from '@duckdb/duckdb-wasm/blocking';

/*
 * DuckDB-WASM in Node, with the synchronous ("blocking") bindings: each quantum lives in its
 * own worker thread, so a synchronous query blocks only that quantum.
 *
 * Compiling the ~35 MB wasm takes seconds; it is compiled once per process and the compiled
 * WebAssembly.Module is shared by every instance (and can be posted to workers). The
 * bindings normally read and compile the file themselves in `instantiateWasm`; we replace
 * that step on the instance so it instantiates the shared module instead.
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

interface PatchableBindings {
  _runtime: object;
  instantiateWasm: (imports: WebAssembly.Imports, success: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => unknown;
}

/**
 * A new, opened DuckDB instance. Extension autoloading is switched off *on this database*:
 * a missing extension must fail at once rather than try a download that can hang forever.
 */
export async function createNodeDuckDB(module?: WebAssembly.Module): Promise<DuckDBBindings> {
  const shared = module ?? (await compiledDuckDBModule());
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs') as BlockingModule;
  const path = wasmPath();
  const db = await duckdb.createDuckDB(
    { mvp: { mainModule: path.replace('-eh.wasm', '-mvp.wasm'), mainWorker: '' }, eh: { mainModule: path, mainWorker: '' } },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  const patchable = db as unknown as PatchableBindings;
  patchable.instantiateWasm = function (this: PatchableBindings, imports, success) {
    // What the original does before compiling: expose the runtime callbacks to the wasm glue.
    const runtime: Record<string, unknown> = {};
    for (const name of Object.getOwnPropertyNames(this._runtime)) {
      if (name !== 'constructor') runtime[name] = Object.getOwnPropertyDescriptor(this._runtime, name)?.value;
    }
    (globalThis as { DUCKDB_RUNTIME?: unknown }).DUCKDB_RUNTIME = runtime;
    void WebAssembly.instantiate(shared, imports).then((instance) => success(instance, shared));
    return [];
  };
  await db.instantiate();
  db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true, castTimestampToDate: false } });
  const connection = db.connect();
  try {
    connection.query("SET autoinstall_known_extensions = false; SET autoload_known_extensions = false; SET TimeZone = 'UTC'");
  } catch {
    // TimeZone needs the ICU extension, which the offline build lacks; UTC is the default anyway.
    connection.query('SET autoinstall_known_extensions = false; SET autoload_known_extensions = false');
  } finally {
    connection.close();
  }
  return db;
}
