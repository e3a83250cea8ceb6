import { releaseProxy, wrap, type Endpoint, type Remote } from 'comlink';
import type { FinishOutcome, QuantumApi, QueryOutcome, RunOutcome, StartOutcome } from '../../core/run/quantumProtocol.ts';
import { QuantumStopped, type QuantumHost, type QuantumLease } from '../../core/run/runTypes.ts';
import { memoryLimitBytes } from '../duckdb/sharedModule.ts';

/**
 * What a pool needs of one started worker (a worker thread in Node, a Web Worker in the
 * browser): the endpoint Comlink talks over, a way to kill it, and a promise that settles
 * with a reason when it dies by itself.
 */
export interface StartedWorker {
  readonly endpoint: Endpoint;
  terminate(): void;
  /** Resolves with a description when the worker dies on its own (error, exit). */
  readonly died: Promise<string>;
}

export type StartWorker = () => Promise<StartedWorker>;

/**
 * One quantum in its own worker. Every call races the worker's death, so a crashed or
 * stopped quantum rejects its pending call with QuantumStopped instead of hanging.
 */
class PooledQuantum {
  /** The wasm memory the quantum reported after its last call (0 until it reports). */
  heapBytes = 0;
  /** Ran out of memory: never lent again. */
  exhausted = false;
  readonly #worker: StartedWorker;
  readonly #remote: Remote<QuantumApi>;
  readonly #stopped: Promise<never>;
  #stop: (reason: QuantumStopped) => void = () => undefined;
  #stopReason: QuantumStopped | undefined;
  #alive = true;

  constructor(worker: StartedWorker) {
    this.#worker = worker;
    this.#remote = wrap<QuantumApi>(worker.endpoint);
    this.#stopped = new Promise<never>((_, reject) => {
      this.#stop = (reason) => {
        this.#alive = false;
        reject(reason);
      };
    });
    this.#stopped.catch(() => undefined); // observed by the calls; never unhandled
    void worker.died.then((detail) => this.stop(new QuantumStopped('exited', `its quantum's worker stopped unexpectedly (${detail})`)));
  }

  get alive(): boolean {
    return this.#alive;
  }

  /** Runs one remote call, rejecting if the worker dies or the call outlives `timeoutMs`. */
  async call<T>(invoke: (remote: Remote<QuantumApi>) => Promise<T>, timeoutMs?: number): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (timeoutMs !== undefined) {
      timer = setTimeout(
        () => this.stop(new QuantumStopped('timeout', `timed out after ${formatMs(timeoutMs)} and was stopped`)),
        timeoutMs,
      );
    }
    try {
      return await Promise.race([invoke(this.#remote), this.#stopped]);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  stop(reason: QuantumStopped): void {
    if (!this.#alive) return;
    this.#stopReason ??= reason;
    this.#stop(this.#stopReason);
    this.#remote[releaseProxy]();
    this.#worker.terminate();
  }
}

/**
 * Quanta in workers, pooled: at most `size` exist; a product holds one only while it runs,
 * so a 200-product mesh never has 200 live instances. Idle quanta wait in the pool (the
 * next product's run drops the previous tables first). A crashed or timed-out quantum is
 * thrown away; the next lease starts a fresh one.
 */
export interface PoolOptions {
  /**
   * The wasm memory all of this pool's quanta may hold together; a quantum that ran out of
   * memory, or grew past its share (budget / size, at most wasm's 4 GB), is replaced rather
   * than lent again — wasm memory never shrinks. Unbounded by default.
   */
  readonly memoryBudgetBytes?: number;
}

/** A wasm32 instance cannot grow past 4 GiB. */
const WASM_CEILING_BYTES = 4 * 1024 ** 3;

export class PooledHost implements QuantumHost {
  readonly size: number;
  /** The most wasm memory one quantum may keep between leases. */
  readonly quantumBudgetBytes: number;
  readonly #start: StartWorker;
  readonly #idle: PooledQuantum[] = [];
  readonly #waiting: ((quantum: PooledQuantum | Error) => void)[] = [];
  readonly #running = new Map<string, PooledQuantum>();
  #live = 0;
  #started = 0;
  #disposed = false;

  constructor(size: number, start: StartWorker, options: PoolOptions = {}) {
    this.size = Math.max(1, Math.floor(size));
    this.#start = start;
    this.quantumBudgetBytes = Math.min(WASM_CEILING_BYTES, (options.memoryBudgetBytes ?? Number.POSITIVE_INFINITY) / this.size);
  }

  /** Live workers (idle or running). */
  get live(): number {
    return this.#live;
  }

  /** Workers started so far, replacements included. */
  get started(): number {
    return this.#started;
  }

  /**
   * Starts workers now, in parallel, up to `count` live (at most the pool size), so the first
   * leases find quanta already booting instead of starting them one after another: booting
   * one (instantiating DuckDB-WASM's bindings) takes about a second of one core. Idempotent.
   */
  prestart(count = this.size): void {
    const wanted = Math.min(this.size, Math.max(0, Math.floor(count)));
    while (!this.#disposed && this.#live < wanted) {
      this.#create().then(
        (quantum) => {
          if (this.#disposed) quantum.stop(new QuantumStopped('exited', 'the quantum host was disposed'));
          else this.#giveBack(quantum);
        },
        () => {
          // The slot is free again: a lease waiting for it starts its own worker, which fails with the reason.
          const next = this.#waiting.shift();
          if (next) this.#create().then(next, (error: unknown) => next(error instanceof Error ? error : new Error(String(error))));
        },
      );
    }
  }

  async acquire(productId: string, options: { readonly timeoutMs?: number } = {}): Promise<QuantumLease> {
    if (this.#disposed) throw new Error('the quantum host was disposed');
    const quantum = await this.#take();
    this.#running.set(productId, quantum);
    const { timeoutMs } = options;
    let done = false;
    const finish = (keep: boolean): void => {
      if (done) return;
      done = true;
      if (this.#running.get(productId) === quantum) this.#running.delete(productId);
      const spent = quantum.exhausted || quantum.heapBytes > this.quantumBudgetBytes;
      if (keep && !spent && quantum.alive && !this.#disposed) this.#giveBack(quantum);
      else this.#discard(quantum);
    };
    // Comlink's Remote type splits the outcome unions; the values are the same.
    const metered = <T extends MeteredOutcome>(invoke: (remote: Remote<QuantumApi>) => Promise<T>): Promise<T> =>
      quantum.call(invoke, timeoutMs).then((outcome) => {
        if (outcome.heapBytes !== undefined) quantum.heapBytes = outcome.heapBytes;
        if (!outcome.ok && outcome.error.kind === 'memory') quantum.exhausted = true;
        return outcome;
      });
    return {
      quantum: {
        configure: (settings) => {
          const limit = settings.memoryLimit === undefined ? undefined : memoryLimitBytes(settings.memoryLimit);
          if (limit !== undefined && limit > this.quantumBudgetBytes) {
            return Promise.reject(
              new Error(
                `simulation.memoryLimit ${settings.memoryLimit ?? ''} is more than one quantum may hold here ` +
                  `(${formatBytes(this.quantumBudgetBytes)}: the memory budget shared by ${this.size} quanta); lower it`,
              ),
            );
          }
          return quantum.call((q) => q.configure(settings), timeoutMs);
        },
        run: (request) => metered((q) => q.run(request) as Promise<RunOutcome>),
        start: (request) => metered((q) => q.start(request) as Promise<StartOutcome>),
        finish: () => metered((q) => q.finish() as Promise<FinishOutcome>),
        query: (sql) => metered((q) => q.query(sql) as Promise<QueryOutcome>),
        loadTable: (name, ipc, schema) => quantum.call((q) => q.loadTable(name, ipc, schema), timeoutMs),
        reset: () => quantum.call((q) => q.reset(), timeoutMs),
      },
      release: () => finish(true),
      discard: () => finish(false),
    };
  }

  crash(productId: string): boolean {
    return this.#stopRunning(productId, new QuantumStopped('crashed', "its quantum's worker was terminated (injected crash)"));
  }

  cancel(productId: string): boolean {
    return this.#stopRunning(productId, new QuantumStopped('cancelled', 'its run was cancelled'));
  }

  #stopRunning(productId: string, reason: QuantumStopped): boolean {
    const quantum = this.#running.get(productId);
    if (!quantum?.alive) return false;
    quantum.stop(reason);
    return true;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const resolve of this.#waiting.splice(0)) resolve(new Error('the quantum host was disposed'));
    const all = [...this.#idle.splice(0), ...this.#running.values()];
    this.#running.clear();
    for (const quantum of all) quantum.stop(new QuantumStopped('exited', 'the quantum host was disposed'));
    this.#live = 0;
  }

  async #take(): Promise<PooledQuantum> {
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#live < this.size) return this.#create();
    const next = await new Promise<PooledQuantum | Error>((resolve) => this.#waiting.push(resolve));
    if (next instanceof Error) throw next;
    return next;
  }

  async #create(): Promise<PooledQuantum> {
    this.#live++;
    this.#started++;
    try {
      return new PooledQuantum(await this.#start());
    } catch (error) {
      this.#live--;
      throw error;
    }
  }

  #giveBack(quantum: PooledQuantum): void {
    const next = this.#waiting.shift();
    if (next) next(quantum);
    else this.#idle.push(quantum);
  }

  #discard(quantum: PooledQuantum): void {
    quantum.stop(new QuantumStopped('exited', 'discarded'));
    this.#live--;
    // A slot is free: a waiting lease gets a fresh quantum.
    const next = this.#waiting.shift();
    if (next) this.#create().then(next, (error: unknown) => next(error instanceof Error ? error : new Error(String(error))));
  }
}

type MeteredOutcome = RunOutcome | StartOutcome | FinishOutcome | QueryOutcome;

function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.round(bytes / 1024 ** 2)} MB`;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
