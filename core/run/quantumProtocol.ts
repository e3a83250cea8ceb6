import type { Generator } from '../model/types.ts';

/**
 * The protocol between the orchestrator (core) and a quantum (workers/): plain data only,
 * so it crosses threads unchanged. workers/quantum/api.ts re-exports these types; they
 * live in core because core may not import from workers/.
 */
export type SourceInput =
  | {
      readonly kind: 'arrow';
      readonly name: string;
      readonly ipc: Uint8Array;
      /** The columns as the producing quantum described them, when known: lets the quantum plan without decoding `ipc`. */
      readonly columns?: readonly ColumnInfo[];
    }
  | {
      readonly kind: 'csv' | 'jsonl' | 'parquet';
      readonly name: string;
      readonly file: string;
      readonly bytes: Uint8Array;
      /**
       * CSV and JSON lines: the DuckDB types the product's contracts declare for columns of
       * these names (core/run/declaredTypes.ts); the other columns are auto-detected. A
       * Parquet file carries its own types and ignores this.
       */
      readonly declared?: readonly DeclaredColumnType[];
    }
  | {
      /**
       * A generator source, generated inside the quantum (in parallel with the rest of the
       * mesh, and without copying its rows between threads): ticks 0..`tick`, with the
       * values of the columns its `reference` columns draw from.
       */
      readonly kind: 'generated';
      readonly name: string;
      /** quanta.yaml, for messages. */
      readonly file: string;
      readonly generator: Generator;
      readonly tick: number;
      readonly references: Readonly<Record<string, readonly (string | number | boolean | null)[]>>;
    };

/** A seed column's type as a contract declares it, and where, for messages. */
export interface DeclaredColumnType {
  readonly name: string;
  /** A DuckDB type (VARCHAR, BIGINT, DECIMAL(10,2), TIMESTAMPTZ, …). */
  readonly type: string;
  /** The declaration: contract file (mesh-relative), line and column. */
  readonly at?: { readonly file: string; readonly line: number; readonly column: number };
}

export interface PortRequest {
  readonly name: string;
  /**
   * Contract checks to measure on the port's table: each SQL returns one row (value, total).
   * `aggregate` (core/contracts/checkTypes.ts) lets the checks over one relation share a scan.
   */
  readonly checks: readonly {
    readonly id: string;
    readonly sql: string;
    readonly samples?: string;
    readonly aggregate?: { readonly value: string; readonly from: string };
  }[];
}

/**
 * A fault injected into one input table after it loads and before the transform runs
 * (see core/run/faults.ts). `share` is the fraction of rows (0..1) a null spike empties;
 * which rows is decided by a hash of the row number, so the same spike hits the same rows.
 */
export type TableFault =
  | { readonly kind: 'dropColumn'; readonly table: string; readonly column: string }
  | { readonly kind: 'renameColumn'; readonly table: string; readonly column: string; readonly to: string }
  | { readonly kind: 'nullSpike'; readonly table: string; readonly column: string; readonly share: number };

export interface RunRequest {
  readonly productId: string;
  readonly transform?: { readonly file: string; readonly sql: string };
  readonly inputs: readonly SourceInput[];
  readonly ports: readonly PortRequest[];
  readonly faults?: readonly TableFault[];
}

export interface ColumnInfo {
  readonly name: string;
  readonly type: string;
}

export interface ColumnProfile {
  readonly name: string;
  readonly nullShare: number;
  /** Distinct non-null values: exact, or an estimate (never above the non-null count) when `distinctExact` is false. */
  readonly distinct: number;
  /** False when `distinct` is an estimate (tables above a million rows); exact when true or absent. */
  readonly distinctExact?: boolean;
}

export interface Measurement {
  readonly id: string;
  readonly value: number;
  readonly total: number;
  /** Set when the check's SQL itself failed (e.g. a sql rule naming a missing column). */
  readonly error?: string;
  /** A few failing values, when the check has a samples query and `value` is above 0. */
  readonly samples?: readonly string[];
}

export interface PortRun {
  readonly port: string;
  readonly rows: number;
  readonly columns: readonly ColumnInfo[];
  readonly measurements: readonly Measurement[];
  readonly profile: readonly ColumnProfile[];
  /** The port's table as an Arrow IPC stream. */
  readonly ipc: Uint8Array;
}

export interface QuantumError {
  /**
   * `sandbox`: a statement tried to leave the quantum (host files, network, extensions,
   * settings) and was refused; `memory`: the quantum ran out of memory and is replaced.
   */
  readonly kind: 'sql' | 'input' | 'output' | 'internal' | 'sandbox' | 'memory';
  readonly message: string;
  /** The file the problem is in (transform.sql, a seed file), mesh-relative, when known. */
  readonly file?: string;
  readonly line?: number;
}

// `heapBytes`: the quantum's wasm memory after the call (it never shrinks), set by the worker
// side so the pool can replace a quantum that grew past its budget instead of reusing it.
export type RunOutcome =
  | { readonly ok: true; readonly ports: readonly PortRun[]; readonly durationMs: number; readonly heapBytes?: number }
  | { readonly ok: false; readonly error: QuantumError; readonly durationMs: number; readonly heapBytes?: number };

/** A run's first half (`start`): each output port's columns and data, before it is measured. */
export type PortExport = Pick<PortRun, 'port' | 'columns' | 'ipc'>;
/** A run's second half (`finish`): each output port's row count, check measurements and profile. */
export type PortMeasures = Pick<PortRun, 'port' | 'rows' | 'measurements' | 'profile'>;

export type StartOutcome =
  | { readonly ok: true; readonly ports: readonly PortExport[]; readonly durationMs: number; readonly heapBytes?: number }
  | { readonly ok: false; readonly error: QuantumError; readonly durationMs: number; readonly heapBytes?: number };

export type FinishOutcome =
  | { readonly ok: true; readonly ports: readonly PortMeasures[]; readonly durationMs: number; readonly heapBytes?: number }
  | { readonly ok: false; readonly error: QuantumError; readonly durationMs: number; readonly heapBytes?: number };

export type QueryOutcome =
  | { readonly ok: true; readonly ipc: Uint8Array; readonly rows: number; readonly heapBytes?: number }
  | { readonly ok: false; readonly error: QuantumError; readonly heapBytes?: number };

export interface QuantumSettings {
  /** DuckDB memory_limit, e.g. "256MB". */
  readonly memoryLimit?: string;
}

export interface QuantumApi {
  configure(settings: QuantumSettings): Promise<void>;
  /** Loads inputs, runs the transform, measures contract checks; tables stay for queries. `start` then `finish`. */
  run(request: RunRequest): Promise<RunOutcome>;
  /**
   * The first half of `run`: loads inputs, runs the transform and exports each output port
   * (Arrow IPC), so the runtime can hand the data on while the second half measures it.
   */
  start(request: RunRequest): Promise<StartOutcome>;
  /** The second half of `run`, on the ports of the last `start`: row counts, check measurements, profiles. */
  finish(): Promise<FinishOutcome>;
  /** Read-only SQL against this quantum's tables (output ports, inputs). */
  query(sql: string): Promise<QueryOutcome>;
  /**
   * Replaces a table with the given Arrow IPC bytes (e.g. a published version to query),
   * in `schema` when given (created if missing).
   */
  loadTable(name: string, ipc: Uint8Array, schema?: string): Promise<void>;
  /**
   * Forgets every table (a fresh, empty catalog, as each run starts with), so that what a
   * pooled quantum's previous product left can never answer a later query.
   */
  reset(): Promise<void>;
  close(): Promise<void>;
}
