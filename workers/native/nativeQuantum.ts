import { DEFAULT_MEMORY_LIMIT, isMemoryLimit } from '../duckdb/sharedModule.ts';
import type { FinishOutcome, QuantumApi, QuantumSettings, QueryOutcome, RunOutcome, RunRequest, StartOutcome } from '../quantum/api.ts';
import { QuantumRunner } from '../quantum/quantumRunner.ts';
import type { SqlSession } from '../quantum/sqlSession.ts';
import { NativeDatabase } from './nativeDatabase.ts';

/**
 * A data product's runtime on native DuckDB (@duckdb/node-api): the same run as DuckDB-WASM's
 * Quantum (QuantumRunner: loads, faults, transform, export, checks, profile, errors with file
 * and line) on a database of its own, sandboxed (nativeDatabase.ts). `reset` and a new memory
 * limit open a fresh database, so nothing one product left can answer another's query.
 * Native DuckDB runs its queries on its own threads, so no worker thread is needed.
 */
export class NativeQuantum implements QuantumApi {
  #db: NativeDatabase;
  #memoryLimit: string;
  readonly #threads: number;
  readonly #runner: QuantumRunner;
  /** Interrupted (timeout, cancel, crash): no further statement runs on it. */
  #halted = false;
  /** The call under way: calls run one after another, as a worker's messages do (a connection runs one statement at a time). */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(db: NativeDatabase, memoryLimit: string, threads: number) {
    this.#db = db;
    this.#memoryLimit = memoryLimit;
    this.#threads = threads;
    // A stable session over whichever database is current (reset and configure replace it).
    const current = (): SqlSession => {
      if (this.#halted) throw new Error('the quantum was stopped');
      return this.#db.session();
    };
    const session: SqlSession = {
      run: (sql) => current().run(sql),
      rows: (sql) => current().rows(sql),
      ipc: (sql) => current().ipc(sql),
      insertIpc: (ipc, name, schema) => current().insertIpc(ipc, name, schema),
      withFile: (bytes, read) => current().withFile(bytes, read),
    };
    this.#runner = new QuantumRunner({ session, memoryLimit: () => this.#memoryLimit });
  }

  /** A quantum on a fresh sandboxed database; rejects with a clear message when @duckdb/node-api is missing. */
  static async open(options: { readonly memoryLimit?: string; readonly threads?: number } = {}): Promise<NativeQuantum> {
    const memoryLimit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
    const threads = options.threads ?? 1;
    return new NativeQuantum(await NativeDatabase.open({ memoryLimit, threads }), memoryLimit, threads);
  }

  configure(settings: QuantumSettings): Promise<void> {
    return this.#serial(async () => {
      const limit = settings.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
      if (!isMemoryLimit(limit)) throw new Error(`memory limit "${limit}" must look like 256MB`);
      if (limit !== this.#memoryLimit) await this.#reopen(limit);
    });
  }

  run(request: RunRequest): Promise<RunOutcome> {
    return this.#serial(() => this.#runner.run(request));
  }

  start(request: RunRequest): Promise<StartOutcome> {
    return this.#serial(() => this.#runner.start(request));
  }

  finish(): Promise<FinishOutcome> {
    return this.#serial(() => this.#runner.finish());
  }

  query(sql: string): Promise<QueryOutcome> {
    return this.#serial(() => this.#runner.query(sql));
  }

  loadTable(name: string, ipc: Uint8Array, schema?: string): Promise<void> {
    return this.#serial(() => this.#runner.loadTable(name, ipc, schema));
  }

  /** A fresh database: one isolated database per product run. */
  reset(): Promise<void> {
    return this.#serial(() => this.#reopen(this.#memoryLimit));
  }

  /** Stops the statement under way (its call fails with DuckDB's "Interrupted") and every later one. */
  interrupt(): void {
    this.#halted = true;
    this.#db.interrupt();
  }

  close(): Promise<void> {
    return this.#serial(() => this.#db.close());
  }

  #serial<T>(call: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(call, call);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #reopen(memoryLimit: string): Promise<void> {
    const fresh = await NativeDatabase.open({ memoryLimit, threads: this.#threads });
    const old = this.#db;
    this.#db = fresh;
    this.#memoryLimit = memoryLimit;
    this.#runner.reopened();
    await old.close();
  }
}
