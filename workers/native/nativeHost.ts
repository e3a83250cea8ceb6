import { createRequire } from 'node:module';
import { availableParallelism, totalmem } from 'node:os';
import type { QuantumApi } from '../../core/run/quantumProtocol.ts';
import { QuantumStopped, type QuantumHost, type QuantumLease } from '../../core/run/runTypes.ts';
import { memoryLimitBytes } from '../duckdb/sharedModule.ts';
import { NODE_API_MISSING } from './loadNodeApi.ts';
import { NativeQuantum } from './nativeQuantum.ts';

export interface NativeHostOptions {
  /** The memory all quanta may hold together; one product may ask for at most its share (budget / size). Half the machine's by default. */
  readonly memoryBudgetBytes?: number;
  /** DuckDB threads of each quantum's database; by default the cores shared out between `size` quanta (at least 1). */
  readonly threadsPerQuantum?: number;
}

/**
 * Quanta on native DuckDB (`quanta run --engine native`): at most `size` live at once, each
 * lease a fresh sandboxed database of its own (one isolated database per product run),
 * closed when the lease ends. Native DuckDB runs queries off the JavaScript thread, so no
 * worker threads: a timeout, a cancel or an injected crash interrupts the running statement
 * (`connection.interrupt()`), the pending call rejects with QuantumStopped at once, and the
 * database is closed when the statement has stopped.
 */
export class NativeHost implements QuantumHost {
  readonly size: number;
  /** The most memory one quantum may be given (simulation.memoryLimit). */
  readonly quantumBudgetBytes: number;
  readonly #threads: number;
  readonly #running = new Map<string, NativeLease>();
  readonly #waiting: (() => void)[] = [];
  /** Databases of ended leases still closing (their statement stopping, their seed folder going). */
  readonly #closing = new Set<Promise<void>>();
  #live = 0;
  #disposed = false;

  constructor(size = availableParallelism(), options: NativeHostOptions = {}) {
    this.size = Math.max(1, Math.floor(size));
    this.quantumBudgetBytes = (options.memoryBudgetBytes ?? totalmem() / 2) / this.size;
    this.#threads = options.threadsPerQuantum ?? Math.max(1, Math.floor(availableParallelism() / this.size));
  }

  async acquire(productId: string, options: { readonly timeoutMs?: number } = {}): Promise<QuantumLease> {
    if (this.#disposed) throw new Error('the quantum host was disposed');
    while (this.#live >= this.size) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
      if (this.#disposed) throw new Error('the quantum host was disposed');
    }
    this.#live++;
    let quantum: NativeQuantum;
    try {
      quantum = await NativeQuantum.open({ threads: this.#threads });
    } catch (error) {
      this.#free();
      throw error;
    }
    const lease = new NativeLease(quantum, options.timeoutMs, this.quantumBudgetBytes, this.size, (closed) => {
      if (this.#running.get(productId) === lease) this.#running.delete(productId);
      this.#closing.add(closed);
      void closed.finally(() => this.#closing.delete(closed));
      this.#free();
    });
    this.#running.set(productId, lease);
    return lease.handle();
  }

  crash(productId: string): boolean {
    return this.#running.get(productId)?.stop(new QuantumStopped('crashed', 'its quantum was stopped (injected crash)')) ?? false;
  }

  cancel(productId: string): boolean {
    return this.#running.get(productId)?.stop(new QuantumStopped('cancelled', 'its run was cancelled')) ?? false;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const wake of this.#waiting.splice(0)) wake();
    const leases = [...this.#running.values()];
    this.#running.clear();
    await Promise.all(leases.map((lease) => lease.end(new QuantumStopped('exited', 'the quantum host was disposed'))));
    await Promise.all([...this.#closing]);
  }

  #free(): void {
    this.#live--;
    this.#waiting.shift()?.();
  }
}

type LeasedApi = QuantumLease['quantum'];

/** One product's use of one native quantum: every call races the stop (timeout, cancel, crash). */
class NativeLease {
  readonly #quantum: NativeQuantum;
  readonly #timeoutMs: number | undefined;
  readonly #budget: number;
  readonly #size: number;
  readonly #ended: (closed: Promise<void>) => void;
  readonly #pending = new Set<Promise<unknown>>();
  #stopped: QuantumStopped | undefined;
  #rejectStopped: (reason: QuantumStopped) => void = () => undefined;
  readonly #stoppedPromise: Promise<never>;
  #done = false;

  constructor(quantum: NativeQuantum, timeoutMs: number | undefined, budget: number, size: number, ended: (closed: Promise<void>) => void) {
    this.#quantum = quantum;
    this.#timeoutMs = timeoutMs;
    this.#budget = budget;
    this.#size = size;
    this.#ended = ended;
    this.#stoppedPromise = new Promise<never>((_, reject) => (this.#rejectStopped = reject));
    this.#stoppedPromise.catch(() => undefined); // observed by the calls; never unhandled
  }

  handle(): QuantumLease {
    const q = this.#quantum;
    const call = <T>(invoke: (api: QuantumApi) => Promise<T>): Promise<T> => this.#call(() => invoke(q));
    const quantum: LeasedApi = {
      configure: (settings) => {
        const limit = settings.memoryLimit === undefined ? undefined : memoryLimitBytes(settings.memoryLimit);
        if (limit !== undefined && limit > this.#budget) {
          return Promise.reject(
            new Error(
              `simulation.memoryLimit ${settings.memoryLimit ?? ''} is more than one quantum may hold here ` +
                `(${formatBytes(this.#budget)}: the memory budget shared by ${this.#size} quanta); lower it`,
            ),
          );
        }
        return call((api) => api.configure(settings));
      },
      run: (request) => call((api) => api.run(request)),
      start: (request) => call((api) => api.start(request)),
      finish: () => call((api) => api.finish()),
      query: (sql) => call((api) => api.query(sql)),
      loadTable: (name, ipc, schema) => call((api) => api.loadTable(name, ipc, schema)),
      reset: () => call((api) => api.reset()),
    };
    return { quantum, release: () => void this.end(), discard: () => void this.end() };
  }

  /** Stops the call under way: it rejects with `reason` now; the statement is interrupted. False when already stopped or ended. */
  stop(reason: QuantumStopped): boolean {
    if (this.#stopped || this.#done) return false;
    this.#stopped = reason;
    this.#rejectStopped(reason);
    this.#quantum.interrupt();
    return true;
  }

  /** The lease is over: its database is closed once no statement runs on it any more. */
  end(reason?: QuantumStopped): Promise<void> {
    if (this.#done) return Promise.resolve();
    if (reason) this.stop(reason);
    this.#done = true;
    const closed = Promise.allSettled([...this.#pending]).then(() => this.#quantum.close().catch(() => undefined));
    this.#ended(closed);
    return closed;
  }

  async #call<T>(invoke: () => Promise<T>): Promise<T> {
    if (this.#stopped) throw this.#stopped;
    if (this.#done) throw new Error('this quantum lease has ended');
    const running = invoke();
    this.#pending.add(running);
    void running.then(
      () => this.#pending.delete(running),
      () => this.#pending.delete(running),
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (this.#timeoutMs !== undefined) {
      const ms = this.#timeoutMs;
      timer = setTimeout(() => this.stop(new QuantumStopped('timeout', `timed out after ${formatMs(ms)} and was stopped`)), ms);
    }
    try {
      return await Promise.race([running, this.#stoppedPromise]);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.round(bytes / 1024 ** 2)} MB`;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * A NativeHost for the CLI (`--engine native`): throws, before any quantum starts, a message a
 * person can act on when the optional @duckdb/node-api is not installed.
 */
export function createNativeHost(size: number): NativeHost {
  try {
    createRequire(import.meta.url).resolve('@duckdb/node-api');
  } catch {
    throw new Error(NODE_API_MISSING);
  }
  return new NativeHost(size);
}
