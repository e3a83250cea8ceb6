import { releaseProxy, wrap, type Remote } from 'comlink';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { QuantumApi, QueryOutcome, RunOutcome } from '../../core/run/quantumProtocol.ts';
import { QuantumStopped, type QuantumHost, type QuantumLease } from '../../core/run/runTypes.ts';
import { compiledDuckDBModule } from '../duckdb/nodeDuckDB.ts';
import { nodeEndpoint } from './nodeEndpoint.ts';

const WORKER_ENTRY = new URL('./quantum.worker.mjs', import.meta.url);

/**
 * One quantum in its own worker thread. Every call races the worker's exit, so a crashed
 * or stopped quantum rejects its pending call with QuantumStopped instead of hanging.
 */
class WorkerQuantum {
  readonly #worker: Worker;
  readonly #remote: Remote<QuantumApi>;
  readonly #exited: Promise<never>;
  #stopReason: QuantumStopped | undefined;
  #alive = true;

  constructor(module: WebAssembly.Module) {
    this.#worker = new Worker(WORKER_ENTRY, { workerData: { module } });
    this.#remote = wrap<QuantumApi>(nodeEndpoint(this.#worker));
    this.#exited = new Promise<never>((_, reject) => {
      const stopped = (detail: string): void => {
        this.#alive = false;
        reject(this.#stopReason ?? new QuantumStopped('exited', `its quantum's worker stopped unexpectedly (${detail})`));
      };
      this.#worker.once('error', (error) => stopped(error.message));
      this.#worker.once('exit', (code) => stopped(`exit code ${code}`));
    });
    this.#exited.catch(() => undefined); // observed by the calls; never unhandled
  }

  get alive(): boolean {
    return this.#alive;
  }

  /** Runs one remote call, rejecting if the worker exits or the call outlives `timeoutMs`. */
  async call<T>(invoke: (remote: Remote<QuantumApi>) => Promise<T>, timeoutMs?: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout =
      timeoutMs === undefined
        ? undefined
        : new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              this.stop(new QuantumStopped('timeout', `timed out after ${formatMs(timeoutMs)} and was stopped`));
              reject(this.#stopReason);
            }, timeoutMs);
          });
    try {
      return await Promise.race([invoke(this.#remote), this.#exited, ...(timeout ? [timeout] : [])]);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  stop(reason: QuantumStopped): void {
    if (!this.#alive) return;
    this.#stopReason ??= reason;
    this.#alive = false;
    this.#remote[releaseProxy]();
    void this.#worker.terminate();
  }
}

/**
 * Quanta in worker threads, pooled: at most `size` exist (default: one per core); a
 * product holds one only while it runs, so a 200-product mesh never has 200 live
 * instances. Idle quanta wait in the pool with no tables. A crashed or timed-out quantum is
 * thrown away; the next lease starts a fresh one.
 */
export class WorkerHost implements QuantumHost {
  readonly size: number;
  readonly #idle: WorkerQuantum[] = [];
  readonly #waiting: ((quantum: WorkerQuantum | undefined) => void)[] = [];
  readonly #running = new Map<string, WorkerQuantum>();
  #live = 0;
  #disposed = false;

  constructor(size = availableParallelism()) {
    this.size = Math.max(1, size);
  }

  async acquire(productId: string, options: { readonly timeoutMs?: number } = {}): Promise<QuantumLease> {
    if (this.#disposed) throw new Error('the quantum host was disposed');
    const worker = await this.#take();
    this.#running.set(productId, worker);
    const { timeoutMs } = options;
    let done = false;
    const finish = (keep: boolean): void => {
      if (done) return;
      done = true;
      if (this.#running.get(productId) === worker) this.#running.delete(productId);
      if (keep && worker.alive && !this.#disposed) this.#giveBack(worker);
      else this.#discard(worker);
    };
    return {
      quantum: {
        configure: (settings) => worker.call((q) => q.configure(settings), timeoutMs),
        // Comlink's Remote type splits the outcome union; the values are the same.
        run: (request) => worker.call((q) => q.run(request) as Promise<RunOutcome>, timeoutMs),
        query: (sql) => worker.call((q) => q.query(sql) as Promise<QueryOutcome>, timeoutMs),
        loadTable: (name, ipc, schema) => worker.call((q) => q.loadTable(name, ipc, schema), timeoutMs),
      },
      release: () => finish(true),
      discard: () => finish(false),
    };
  }

  crash(productId: string): boolean {
    const worker = this.#running.get(productId);
    if (!worker?.alive) return false;
    worker.stop(new QuantumStopped('crashed', "its quantum's worker was terminated (injected crash)"));
    return true;
  }

  /** Live worker threads (idle or running). */
  get live(): number {
    return this.#live;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const resolve of this.#waiting.splice(0)) resolve(undefined);
    const all = [...this.#idle.splice(0), ...this.#running.values()];
    this.#running.clear();
    for (const worker of all) worker.stop(new QuantumStopped('exited', 'the quantum host was disposed'));
    this.#live = 0;
  }

  async #take(): Promise<WorkerQuantum> {
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#live < this.size) {
      this.#live++;
      try {
        return new WorkerQuantum(await compiledDuckDBModule());
      } catch (error) {
        this.#live--;
        throw error;
      }
    }
    const next = await new Promise<WorkerQuantum | undefined>((resolve) => this.#waiting.push(resolve));
    if (!next) throw new Error('the quantum host was disposed');
    return next;
  }

  #giveBack(worker: WorkerQuantum): void {
    const next = this.#waiting.shift();
    if (next) next(worker);
    else this.#idle.push(worker);
  }

  #discard(worker: WorkerQuantum): void {
    worker.stop(new QuantumStopped('exited', 'discarded'));
    this.#live--;
    // A slot is free: a waiting lease gets a fresh quantum.
    const next = this.#waiting.shift();
    if (next) {
      this.#live++;
      void compiledDuckDBModule().then((module) => next(new WorkerQuantum(module)));
    }
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
