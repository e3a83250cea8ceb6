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

/**
 * The one file name a quantum's DuckDB may open: an in-memory buffer the quantum registers
 * (a seed's bytes, loaded one at a time). Nothing of the host is behind it.
 */
export const SOURCE_FILE = '/quanta/source';

/**
 * The default ceiling of one quantum's DuckDB buffer manager; a product may ask for more
 * (quanta.yaml simulation.memoryLimit) up to what the host's memory budget allows.
 */
export const DEFAULT_MEMORY_LIMIT = '1GB';

/**
 * The sandbox every SQL text of a mesh runs in (transforms, policies, contract rules,
 * console queries). DuckDB's own switches, set once when the database opens and then locked
 * so no statement can turn them back: no file or network access outside SOURCE_FILE, no
 * extension install or load, no spilling to a temp folder on the host, a memory ceiling.
 * `lock_configuration` comes last: after it even these settings cannot change.
 */
export function sandboxSettings(memoryLimit: string): string {
  return [
    'SET autoinstall_known_extensions = false',
    'SET autoload_known_extensions = false',
    'SET allow_community_extensions = false',
    'SET allow_unsigned_extensions = false',
    "SET temp_directory = ''",
    `SET memory_limit = '${memoryLimit}'`,
    `SET allowed_paths = ['${SOURCE_FILE}']`,
    'SET enable_external_access = false',
    'SET lock_configuration = true',
  ].join(';\n');
}

/** What the database is opened with; the same on every (re)open. */
const OPEN_CONFIG = { query: { castBigIntToDouble: false, castDecimalToDouble: false, castTimestampToDate: false } };

const MEMORY_LIMIT = /^(\d{1,9})(KB|MB|GB)$/;

/** "256MB", "1GB": the only memory limit syntax a quantum accepts (it is spliced into SQL; quanta.yaml's schema says the same). */
export function isMemoryLimit(text: string): boolean {
  return MEMORY_LIMIT.test(text);
}

/** A memory limit in bytes; undefined when it is not one. */
export function memoryLimitBytes(limit: string): number | undefined {
  const match = MEMORY_LIMIT.exec(limit);
  if (!match) return undefined;
  return Number(match[1]) * 1024 ** { KB: 1, MB: 2, GB: 3 }[match[2] as 'KB' | 'MB' | 'GB'];
}

/**
 * Instantiates `db` from the shared compiled `module` and opens it sandboxed (see
 * `sandboxSettings`). Besides DuckDB's switches, the host file system is unreachable from
 * JavaScript too: the runtime callbacks through which DuckDB-WASM opens, lists, creates or
 * removes host files and URLs refuse every call (registered buffers never go through them),
 * so even a setting DuckDB forgot to guard cannot reach a host file or the network.
 */
export async function openOnSharedModule(
  db: DuckDBBindings,
  module: WebAssembly.Module,
  memoryLimit = DEFAULT_MEMORY_LIMIT,
): Promise<DuckDBBindings> {
  const patchable = db as unknown as PatchableBindings;
  patchable.instantiateWasm = function (this: PatchableBindings, imports, success) {
    // What the original does before compiling: expose the runtime callbacks to the wasm glue.
    const runtime: Record<string, unknown> = {};
    for (const name of Object.getOwnPropertyNames(this._runtime)) {
      if (name !== 'constructor') runtime[name] = Object.getOwnPropertyDescriptor(this._runtime, name)?.value;
    }
    sealHostAccess(runtime);
    (globalThis as { DUCKDB_RUNTIME?: unknown }).DUCKDB_RUNTIME = runtime;
    void WebAssembly.instantiate(module, imports).then((instance) => success(instance, module));
    return [];
  };
  await db.instantiate(() => undefined); // no download, so no progress to report
  openSandboxed(db, memoryLimit);
  return db;
}

/**
 * (Re)opens `db` as a fresh, empty, sandboxed database with `memoryLimit`: the only way to
 * change a locked configuration. Everything the database held is gone.
 */
export function openSandboxed(db: DuckDBBindings, memoryLimit: string): void {
  if (!isMemoryLimit(memoryLimit)) throw new Error(`memory limit "${memoryLimit}" must look like 256MB`);
  // No casts: a BIGINT or DECIMAL must cross a lineage edge (Arrow IPC) as itself, not as DOUBLE.
  db.open(OPEN_CONFIG);
  const connection = db.connect();
  try {
    // Autoloading off before anything else: TimeZone would try to fetch the ICU extension.
    connection.query('SET autoinstall_known_extensions = false; SET autoload_known_extensions = false');
    try {
      connection.query("SET TimeZone = 'UTC'");
    } catch {
      // TimeZone needs the ICU extension, which the offline build lacks; UTC is the default anyway.
    }
    connection.query(sandboxSettings(memoryLimit));
  } finally {
    connection.close();
  }
}

/**
 * The runtime callbacks that reach host files, folders or URLs; see openOnSharedModule.
 * Questions (does it exist, what matches) get "nothing" — DuckDB asks them about its own
 * registered buffers too — and actions fail.
 */
const HOST_QUESTIONS = ['glob', 'checkFile', 'checkDirectory'] as const;
const HOST_ACCESS = ['openFile', 'createDirectory', 'removeDirectory', 'removeFile', 'moveFile', 'listDirectoryEntries'] as const;

interface FailableModule {
  ccall(name: string, returnType: null, argTypes: string[], args: unknown[]): unknown;
}

function sealHostAccess(runtime: Record<string, unknown>): void {
  for (const name of HOST_QUESTIONS) runtime[name] = (): boolean => false;
  for (const name of HOST_ACCESS) {
    runtime[name] = (mod: FailableModule): number => {
      // How DuckDB-WASM's own runtimes report a failed call: DuckDB raises it as an IO error.
      mod.ccall('duckdb_web_fail_with', null, ['string'], [`${QUANTUM_SANDBOX_MESSAGE} (${name})`]);
      return 0;
    };
  }
}

/** What a statement that tried to reach the host sees (and what Quanta recognises). */
export const QUANTUM_SANDBOX_MESSAGE = 'host files and the network are out of reach of a quantum';
