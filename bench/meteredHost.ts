import type { QuantumHost, QuantumLease } from '../core/run/runTypes.ts';

/*
 * A QuantumHost that passes every call through to another and notes, per product, the most
 * wasm memory its quantum reported (`heapBytes` on every run/start/finish/query outcome,
 * core/run/quantumProtocol.ts). The runtime's reports do not carry it; the pool reads it to
 * replace a quantum that grew past its budget. A pooled quantum's memory never shrinks, so a
 * product's figure is at least what earlier products on the same quantum grew it to.
 */
export class MeteredHost implements QuantumHost {
  readonly #inner: QuantumHost;
  readonly #heap = new Map<string, number>();

  constructor(inner: QuantumHost) {
    this.#inner = inner;
  }

  get size(): number {
    return this.#inner.size;
  }

  /** The largest `heapBytes` each lease holder's quantum reported, by the id it leased under (products, `(catalog)`, …). */
  heapBytes(): ReadonlyMap<string, number> {
    return this.#heap;
  }

  async acquire(productId: string, options?: { readonly timeoutMs?: number }): Promise<QuantumLease> {
    const lease = await this.#inner.acquire(productId, options);
    const note = <T extends { readonly heapBytes?: number }>(outcome: T): T => {
      if (outcome.heapBytes !== undefined) this.#heap.set(productId, Math.max(this.#heap.get(productId) ?? 0, outcome.heapBytes));
      return outcome;
    };
    const q = lease.quantum;
    return {
      quantum: {
        configure: (settings) => q.configure(settings),
        run: (request) => q.run(request).then(note),
        start: (request) => q.start(request).then(note),
        finish: () => q.finish().then(note),
        query: (sql) => q.query(sql).then(note),
        loadTable: (name, ipc, schema) => q.loadTable(name, ipc, schema),
        reset: () => q.reset(),
      },
      release: () => lease.release(),
      discard: () => lease.discard(),
    };
  }

  prestart(count?: number): void {
    this.#inner.prestart?.(count);
  }

  crash(productId: string): boolean {
    return this.#inner.crash(productId);
  }

  cancel(productId: string): boolean {
    return this.#inner.cancel(productId);
  }

  dispose(): Promise<void> {
    return this.#inner.dispose();
  }
}
