import type { YamlSourceFile } from '../yaml/sourceFile.ts';
import type { ColumnInfo, ColumnProfile, QuantumApi } from './quantumProtocol.ts';

/** What a product's run ended as. `stale`: it could not use fresh upstream data. */
export type ProductStatus = 'idle' | 'running' | 'published' | 'refused' | 'failed' | 'stale';

export interface CheckResult {
  readonly id: string;
  readonly port: string;
  readonly description: string;
  readonly severity: 'error' | 'warning';
  readonly passed: boolean;
  readonly message: string;
  /** What was measured, in the check's unit (absent for schema conformance and checks whose SQL failed). */
  readonly measured?: number;
  /** What the contract expects, e.g. `mustBe 0`, `mustBeLessThan 5%`. */
  readonly expected?: string;
  /** Where the promise is written: the contract file and position. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface RunProblem {
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
}

/** How old a port's data is, in simulated time, against its contract's latency SLA. */
export interface Freshness {
  /** Simulated seconds between the oldest source data this version is built on and its publish. */
  readonly ageSeconds: number;
  /** The contract's promise (slaProperties latency), when it makes one. */
  readonly latencySeconds?: number;
  readonly late: boolean;
}

/**
 * One published version of an output port, kept in the port's history: the observability
 * port's figures for that version. The Arrow bytes of the newest versions are kept (inputs
 * for downstream, queries); older versions keep their figures only.
 */
export interface PortVersion {
  readonly product: string;
  readonly port: string;
  readonly version: number;
  readonly tick: number;
  readonly simulatedAt: string;
  /** Simulated time of the oldest source data this version is built on. */
  readonly dataAt: string;
  readonly rows: number;
  readonly bytes: number;
  readonly hash: string;
  readonly ipc?: Uint8Array;
  /** Column names and DuckDB types, as DESCRIBE gave them in the producing quantum. */
  readonly columns?: readonly ColumnInfo[];
  readonly checks: readonly CheckResult[];
  readonly profile: readonly ColumnProfile[];
  readonly freshness: Freshness;
  readonly durationMs: number;
  /**
   * The port's contract as it stood when this version published: its version and its file (the
   * same immutable object the mesh that ran holds), so a product page can list what changed in
   * the contract between two versions (core/discovery/productPage.ts).
   */
  readonly contract?: { readonly version: string; readonly file: YamlSourceFile };
}

/**
 * The output of a run whose publish was refused, for one port: what the product would have
 * published. Kept for people to inspect (the Data tab), never handed to consumers; only the
 * newest refused candidate of each port is kept, and a publish of the port drops it.
 */
export interface RefusedCandidate {
  readonly product: string;
  readonly port: string;
  readonly tick: number;
  readonly simulatedAt: string;
  readonly rows: number;
  readonly bytes: number;
  readonly ipc: Uint8Array;
  readonly columns: readonly ColumnInfo[];
  /** The port's checks as judged in that run (the failed ones refused it) and the product's policy checks. */
  readonly checks: readonly CheckResult[];
  /**
   * The failed row-level checks (required, unique, invalid values, constraints, …) with the SQL
   * condition that picks the rows breaking them out of the port's table (see failingRows.ts).
   */
  readonly rowChecks: readonly { readonly id: string; readonly predicate: string }[];
  readonly durationMs: number;
}

/** Which rows of a refused candidate break one of its checks: row numbers from 0, at most `limit` of `total`. */
export interface FailingRows {
  readonly rows: readonly number[];
  readonly total: number;
}

export interface ProductRun {
  readonly product: string;
  readonly status: ProductStatus;
  /** Latest published version number of the product's ports (0: never published). */
  readonly version: number;
  readonly rows: number;
  readonly checks: readonly CheckResult[];
  readonly durationMs: number;
  readonly problem?: RunProblem;
  /** Upstream products whose failure made this one stale. */
  readonly staleBecause?: readonly string[];
  /** Simulated tick of this run. */
  readonly tick: number;
  /** Set when the product did not run in this pass, with the reason; the rest is its last run. */
  readonly skipped?: string;
  /** Set when the pass was stopped (RunOptions.signal) before or while this product ran: the rest is its last run. */
  readonly stopped?: true;
}

/** How a pass may be stopped: aborting `signal` cancels the running quanta and starts nothing more. */
export interface RunOptions {
  readonly signal?: AbortSignal;
}

export interface MeshRunReport {
  readonly tick: number;
  readonly simulatedAt: string;
  readonly products: readonly ProductRun[];
  readonly durationMs: number;
  /** The pass was stopped (RunOptions.signal) after `done` of its `total` products had settled. */
  readonly stopped?: { readonly done: number; readonly total: number };
}

export type RuntimeEvent =
  | { readonly type: 'started'; readonly product: string; readonly tick: number }
  | { readonly type: 'finished'; readonly run: ProductRun; readonly done: number; readonly total: number }
  | { readonly type: 'tick'; readonly tick: number; readonly simulatedAt: string };

/** A quantum borrowed from the host's pool for one product run. */
export interface QuantumLease {
  readonly quantum: Pick<QuantumApi, 'run' | 'start' | 'finish' | 'configure' | 'query' | 'loadTable' | 'reset'>;
  /** Gives the quantum back for reuse. */
  release(): void;
  /** The quantum is broken (crashed, timed out): discard it, the next lease gets a new one. */
  discard(): void;
}

/**
 * Where quanta come from: in-process instances, or worker threads / Web Workers. The host
 * caps how many live at once; a product holds one only while it runs, so a 200-product
 * mesh needs no more instances than the pool size.
 */
export interface QuantumHost {
  readonly size: number;
  /**
   * Starts up to `count` quanta now, in parallel, ahead of the leases that will need them
   * (hosts whose quanta cost nothing to start leave it out).
   */
  prestart?(count?: number): void;
  /**
   * A quantum for `productId`. With `timeoutMs`, a call that takes longer rejects with a
   * QuantumStopped error and the quantum is stopped (hosts that cannot interrupt a query,
   * like the in-process one, ignore it).
   */
  acquire(productId: string, options?: { readonly timeoutMs?: number }): Promise<QuantumLease>;
  /**
   * Stops the quantum currently running `productId` (fault injection: crash); its pending
   * call rejects with a QuantumStopped error. False when none runs it or the host cannot.
   */
  crash(productId: string): boolean;
  /** Stops the quantum running `productId` because the user cancelled; false when none runs it or the host cannot. */
  cancel(productId: string): boolean;
  dispose(): Promise<void>;
}

/** A quantum stopped under a call: crashed, timed out or cancelled. */
export type StopReason = 'crashed' | 'timeout' | 'cancelled' | 'exited';

export class QuantumStopped extends Error {
  readonly reason: StopReason;
  constructor(reason: StopReason, message: string) {
    super(message);
    this.name = 'QuantumStopped';
    this.reason = reason;
  }
}
