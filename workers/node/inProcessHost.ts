import { availableParallelism } from 'node:os';
import type { QuantumHost, QuantumLease } from '../../core/run/runTypes.ts';
import { compiledDuckDBModule, createNodeDuckDB } from '../duckdb/nodeDuckDB.ts';
import { Quantum } from '../quantum/quantum.ts';

/**
 * Quanta in this thread, pooled: at most `size` DuckDB instances exist, and a product holds
 * one only while it runs (its tables are dropped before the next product uses it). Queries
 * block the thread, so this host suits tests and small meshes; WorkerHost isolates crashes.
 */
export class InProcessHost implements QuantumHost {
  readonly size: number;
  readonly #idle: Quantum[] = [];
  readonly #waiting: ((quantum: Quantum) => void)[] = [];
  #created = 0;

  constructor(size = availableParallelism()) {
    this.size = Math.max(1, size);
  }

  async acquire(): Promise<QuantumLease> {
    const quantum =
      this.#idle.pop() ??
      (this.#created < this.size ? await this.#create() : await new Promise<Quantum>((resolve) => this.#waiting.push(resolve)));
    return {
      quantum,
      release: () => this.#giveBack(quantum),
      discard: () => {
        this.#created--;
        void quantum.close().catch(() => undefined);
      },
    };
  }

  crash(): boolean {
    return false; // a quantum in this thread cannot be killed without killing the caller
  }

  cancel(): boolean {
    return false; // a blocking query in this thread cannot be interrupted from it
  }

  async dispose(): Promise<void> {
    await Promise.all(this.#idle.splice(0).map((q) => q.close().catch(() => undefined)));
  }

  async #create(): Promise<Quantum> {
    this.#created++;
    return new Quantum(await createNodeDuckDB(await compiledDuckDBModule()));
  }

  #giveBack(quantum: Quantum): void {
    const next = this.#waiting.shift();
    if (next) next(quantum);
    else this.#idle.push(quantum);
  }
}
