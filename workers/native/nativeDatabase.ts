import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import nodePath from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { isMemoryLimit } from '../duckdb/sharedModule.ts';
import type { SqlSession } from '../quantum/sqlSession.ts';
import { decodeIpc, insertArrow } from './arrowToNative.ts';
import { loadNodeApi, type NodeApi } from './loadNodeApi.ts';
import { resultToArrowIpc } from './nativeArrow.ts';

/*
 * One native DuckDB database of one product, sandboxed before any mesh SQL runs. Native
 * DuckDB reaches much further than DuckDB-WASM (the real file system, httpfs autoloading,
 * extensions in ~/.duckdb), so every switch is set, in this order, then locked:
 *  - at creation: no extension autoinstall or autoload, no community or unsigned
 *    extensions, no temp folder (nothing spills to the host), the memory limit, threads;
 *  - then: the one folder DuckDB may read is a private `mkdtemp` folder of this database
 *    (a seed's bytes are written there for the CSV reader, one seed at a time, and removed
 *    after), external access off, and `lock_configuration` so no statement can undo it.
 * `allowed_directories` cannot be given at creation (node-api refuses it), hence the SET.
 */
export interface NativeDatabaseOptions {
  readonly memoryLimit: string;
  readonly threads: number;
}

export class NativeDatabase {
  readonly api: NodeApi;
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
  /** The only folder this database may read: seeds go here while they load. */
  readonly #folder: string;
  #files = 0;
  #closed = false;

  private constructor(api: NodeApi, instance: DuckDBInstance, connection: DuckDBConnection, folder: string) {
    this.api = api;
    this.instance = instance;
    this.connection = connection;
    this.#folder = folder;
  }

  static async open(options: NativeDatabaseOptions): Promise<NativeDatabase> {
    if (!isMemoryLimit(options.memoryLimit)) throw new Error(`memory limit "${options.memoryLimit}" must look like 256MB`);
    const api = await loadNodeApi();
    const folder = await mkdtemp(nodePath.join(tmpdir(), 'quanta-native-'));
    try {
      const instance = await api.DuckDBInstance.create(':memory:', {
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        allow_community_extensions: 'false',
        allow_unsigned_extensions: 'false',
        temp_directory: '',
        memory_limit: options.memoryLimit,
        threads: String(Math.max(1, Math.floor(options.threads))),
      });
      const connection = await instance.connect();
      try {
        await connection.run(
          [
            `SET allowed_directories = [${sqlString(`${folder}${nodePath.sep}`)}]`,
            'SET enable_external_access = false',
            'SET lock_configuration = true',
          ].join(';\n'),
        );
      } catch (error) {
        connection.closeSync();
        instance.closeSync();
        throw error;
      }
      return new NativeDatabase(api, instance, connection, folder);
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
  }

  /** Stops the statement running on this database (a timeout, a cancel, a crash). */
  interrupt(): void {
    if (!this.#closed) this.connection.interrupt();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.connection.closeSync();
      this.instance.closeSync();
    } finally {
      await rm(this.#folder, { recursive: true, force: true });
    }
  }

  /** This database as the engine seam the quantum's logic runs on. */
  session(): SqlSession {
    const { api, connection } = this;
    return {
      run: async (sql) => {
        await connection.run(sql);
      },
      rows: async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[],
      ipc: async (sql) => resultToArrowIpc(api, await connection.stream(sql)),
      insertIpc: async (ipc, name, schema) => {
        const decoded = decodeIpc(ipc);
        if (decoded) await insertArrow(api, connection, decoded, name, schema);
      },
      withFile: async (bytes, read) => {
        const path = nodePath.join(this.#folder, `source-${++this.#files}`);
        await writeFile(path, bytes, { flag: 'wx', mode: 0o600 });
        try {
          return await read(path);
        } finally {
          await rm(path, { force: true });
        }
      },
    };
  }
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
