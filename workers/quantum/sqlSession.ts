import type { DuckDBBindings, DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { SOURCE_FILE } from '../duckdb/sharedModule.ts';
import { queryIpc } from './arrowFraming.ts';

/**
 * The engine seam: what the quantum's logic (quantumRunner.ts, the loaders, the check and
 * profile queries) needs of a DuckDB database, whichever engine holds it — DuckDB-WASM
 * (wasmSession, below) or native DuckDB (workers/native/nativeSession.ts). Asynchronous
 * because native DuckDB is; the wasm adapter answers synchronously inside the promise.
 */
export interface SqlSession {
  /** Runs SQL (one statement or several) for its effect. */
  run(sql: string): Promise<void>;
  /** The rows of a query as plain objects: integers as number or bigint, text as string. */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** A query's result as Arrow IPC *stream* bytes, with the types DuckDB-WASM exports. */
  ipc(sql: string): Promise<Uint8Array>;
  /**
   * Creates table `name` (in `schema` when given) from Arrow IPC stream bytes. Bytes that are
   * not an IPC stream create nothing (as DuckDB-WASM does): the caller checks the table exists.
   */
  insertIpc(ipc: Uint8Array, name: string, schema?: string): Promise<void>;
  /**
   * `read(path)` with `bytes` readable by DuckDB at `path` while it runs, and nowhere else
   * (a seed file for DuckDB's CSV reader); afterwards the bytes are gone.
   */
  withFile<T>(bytes: Uint8Array, read: (path: string) => Promise<T>): Promise<T>;
}

/** A DuckDB-WASM database as a SqlSession; `connection` is asked each time (configure reopens it). */
export function wasmSession(db: DuckDBBindings, connection: () => DuckDBConnection): SqlSession {
  return {
    run: async (sql) => {
      connection().query(sql);
    },
    rows: async (sql) =>
      connection()
        .query(sql)
        .toArray()
        .map((row) => row.toJSON() as Record<string, unknown>),
    ipc: async (sql) => queryIpc(connection(), sql),
    insertIpc: async (ipc, name, schema) => {
      connection().insertArrowFromIPCStream(ipc, { name, create: true, ...(schema === undefined ? {} : { schema }) });
    },
    withFile: async (bytes, read) => {
      // The only file this database may open: the bytes, in memory, one file at a time.
      db.registerFileBuffer(SOURCE_FILE, bytes);
      try {
        return await read(SOURCE_FILE);
      } finally {
        db.registerFileBuffer(SOURCE_FILE, new Uint8Array(0));
      }
    },
  };
}
