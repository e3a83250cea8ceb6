import type { ColumnProfile, QuantumApi } from './quantumProtocol.ts';

/** What a product's run ended as. `stale`: it could not use fresh upstream data. */
export type ProductStatus = 'idle' | 'running' | 'published' | 'refused' | 'failed' | 'stale';

export interface CheckResult {
  readonly id: string;
  readonly port: string;
  readonly description: string;
  readonly severity: 'error' | 'warning';
  readonly passed: boolean;
  readonly message: string;
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

/** One published version of an output port: kept in the port's history. */
export interface PortVersion {
  readonly product: string;
  readonly port: string;
  readonly version: number;
  readonly tick: number;
  readonly simulatedAt: string;
  readonly rows: number;
  readonly bytes: number;
  readonly hash: string;
  readonly ipc: Uint8Array;
  readonly checks: readonly CheckResult[];
  readonly profile: readonly ColumnProfile[];
  readonly durationMs: number;
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
}

export interface MeshRunReport {
  readonly tick: number;
  readonly simulatedAt: string;
  readonly products: readonly ProductRun[];
  readonly durationMs: number;
}

export type RuntimeEvent =
  | { readonly type: 'started'; readonly product: string }
  | { readonly type: 'finished'; readonly run: ProductRun; readonly done: number; readonly total: number };

/** A quantum borrowed from the host's pool for one product run. */
export interface QuantumLease {
  readonly quantum: Pick<QuantumApi, 'run' | 'configure'>;
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
  acquire(productId: string): Promise<QuantumLease>;
  /** Stops the quantum currently running `productId`, if any (fault injection: crash). */
  crash(productId: string): boolean;
  dispose(): Promise<void>;
}
