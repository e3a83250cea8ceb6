import type { DuckDBBindings, DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { DEFAULT_MEMORY_LIMIT, isMemoryLimit, openSandboxed, SOURCE_FILE } from '../duckdb/sharedModule.ts';
import type { FinishOutcome, QuantumApi, QuantumSettings, QueryOutcome, RunOutcome, RunRequest, StartOutcome } from './api.ts';
import { QuantumRunner } from './quantumRunner.ts';
import { wasmSession } from './sqlSession.ts';

/**
 * A data product's runtime: one DuckDB-WASM instance holding its inputs, its transform's
 * output ports and nothing else. Runs in-process (tests, the CLI's fallback) or inside a
 * worker (quantum.worker.ts) with the same code. The run itself is QuantumRunner's, shared
 * with the native engine (workers/native/); this class owns the wasm database. Never
 * throws across its API: failures come back as a QuantumError naming the file and line.
 */
export class Quantum implements QuantumApi {
  readonly #db: DuckDBBindings;
  #connection: DuckDBConnection;
  /** The memory limit the database was opened with (a locked setting: changing it reopens). */
  #memoryLimit = DEFAULT_MEMORY_LIMIT;
  readonly #runner: QuantumRunner;

  /** `db` was opened sandboxed (openOnSharedModule) with `memoryLimit`. */
  constructor(db: DuckDBBindings, memoryLimit = DEFAULT_MEMORY_LIMIT) {
    this.#db = db;
    this.#memoryLimit = memoryLimit;
    this.#connection = db.connect();
    this.#db.registerFileBuffer(SOURCE_FILE, new Uint8Array(0));
    this.#runner = new QuantumRunner({ session: wasmSession(db, () => this.#connection), memoryLimit: () => this.#memoryLimit });
  }

  /** The bytes this quantum's wasm memory holds: it grows and never shrinks (the pool watches it). */
  get heapBytes(): number {
    return (this.#db as unknown as { readonly mod: { readonly HEAPU8: Uint8Array } }).mod.HEAPU8.byteLength;
  }

  async configure(settings: QuantumSettings): Promise<void> {
    // A pooled quantum served another product before: a product without a limit gets the default back.
    const limit = settings.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
    if (!isMemoryLimit(limit)) throw new Error(`memory limit "${limit}" must look like 256MB`);
    if (limit === this.#memoryLimit) return;
    // The sandbox's settings are locked: a new limit means a fresh database (tens of ms).
    this.#connection.close();
    openSandboxed(this.#db, limit);
    this.#memoryLimit = limit;
    this.#connection = this.#db.connect();
    this.#runner.reopened();
    this.#db.registerFileBuffer(SOURCE_FILE, new Uint8Array(0));
  }

  run(request: RunRequest): Promise<RunOutcome> {
    return this.#runner.run(request);
  }

  start(request: RunRequest): Promise<StartOutcome> {
    return this.#runner.start(request);
  }

  finish(): Promise<FinishOutcome> {
    return this.#runner.finish();
  }

  query(sql: string): Promise<QueryOutcome> {
    return this.#runner.query(sql);
  }

  loadTable(name: string, ipc: Uint8Array, schema?: string): Promise<void> {
    return this.#runner.loadTable(name, ipc, schema);
  }

  reset(): Promise<void> {
    return this.#runner.reset();
  }

  async close(): Promise<void> {
    this.#connection.close();
    await this.#db.reset();
  }
}
