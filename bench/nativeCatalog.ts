import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBInstance,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
} from '@duckdb/node-api';
import { quoteIdent } from '../core/contracts/contractChecks.ts';
import type { CatalogTable } from '../core/governance/catalog/catalog.ts';
import type { CatalogType } from '../core/governance/catalog/catalogSchema.ts';
import type { EngineOutcome } from '../core/governance/policy/evaluate.ts';
import type { CatalogEngineLease } from '../core/governance/policy/policyGate.ts';

/*
 * The governance catalog on native DuckDB (@duckdb/node-api, threads = 1), for the cold
 * baselines (coldNative.ts): the same CatalogEngine the policy gate drives in a quantum
 * (workers/catalog/catalogEngine.ts), with the catalog rows appended instead of sent as Arrow.
 * Bench only: the app and the CLI keep the quantum.
 */
const TYPES: Record<CatalogType, DuckDBType> = { VARCHAR, BIGINT, DOUBLE, BOOLEAN };

export class NativeCatalogEngine implements CatalogEngineLease {
  #connection: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> | undefined;
  /**
   * The gate loads its tables side by side (Promise.all); one connection runs one statement at
   * a time, and a CREATE between an appender's creation and its flush fails it ("Attempting to
   * execute an unsuccessful or closed pending query result"), so calls run one after another.
   */
  #last: Promise<unknown> = Promise.resolve();

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#last.then(work, work);
    this.#last = next.catch(() => undefined);
    return next;
  }

  async #open(): Promise<DuckDBConnection> {
    this.#connection ??= (async () => {
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      await connection.run('SET threads = 1');
      return { instance, connection };
    })();
    return (await this.#connection).connection;
  }

  load(table: CatalogTable): Promise<void> {
    return this.#serial(() => this.#load(table));
  }

  query(sql: string): Promise<EngineOutcome> {
    return this.#serial(() => this.#query(sql));
  }

  async #load(table: CatalogTable): Promise<void> {
    const connection = await this.#open();
    const { spec, rows } = table;
    const columns = spec.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
    await connection.run(`CREATE OR REPLACE TABLE ${quoteIdent(spec.name)} (${columns})`);
    if (rows.length === 0) return;
    const appender = await connection.createAppender(spec.name);
    try {
      const chunk = DuckDBDataChunk.create(
        spec.columns.map((c) => TYPES[c.type]),
        rows.length,
      );
      chunk.setColumns(
        spec.columns.map((column, i) =>
          rows.map((row) => {
            const value = row[i] ?? null;
            if (value === null) return null;
            if (column.type === 'BIGINT') return BigInt(Math.trunc(Number(value)));
            if (column.type === 'DOUBLE') return Number(value);
            if (column.type === 'BOOLEAN') return value === true;
            return String(value);
          }),
        ),
      );
      appender.appendDataChunk(chunk);
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  async #query(sql: string): Promise<EngineOutcome> {
    const connection = await this.#open();
    try {
      const reader = await connection.runAndReadAll(sql);
      const columns = reader.columnNames();
      const rows = reader.getRowObjectsJS().map((row) => {
        const plain: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(row)) plain[key] = typeof value === 'bigint' ? Number(value) : value;
        return plain;
      });
      return { ok: true, columns, rows };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }

  release(): void {
    const opened = this.#connection;
    this.#connection = undefined;
    void opened?.then(({ instance, connection }) => {
      connection.closeSync();
      instance.closeSync();
    });
  }
}
