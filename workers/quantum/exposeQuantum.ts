import { expose, transfer, type Endpoint } from 'comlink';
import type { QuantumApi, QueryOutcome, RunOutcome, StartOutcome } from './api.ts';

/** A quantum that can tell how much wasm memory it holds (the Quantum class can). */
export type MeteredQuantum = QuantumApi & { readonly heapBytes?: number };

/**
 * The worker side of a quantum, shared by the worker-thread entry (workers/node/) and the
 * Web Worker entry (workers/browser/): exposes the quantum `ready` resolves to over
 * `endpoint`. Calls that arrive before it is ready wait for it; if it cannot be created,
 * every call rejects with the reason. Output Arrow IPC bytes are transferred, not copied.
 * Every outcome carries the quantum's wasm memory size, so the pool can replace a quantum
 * that grew past its budget (wasm memory never shrinks) instead of lending it again.
 */
export function exposeQuantum(ready: Promise<MeteredQuantum>, endpoint: Endpoint): void {
  // Observed by every call; without this a failed start would also be an unhandled rejection.
  ready.catch(() => undefined);
  const metered = async <T extends object>(call: (quantum: MeteredQuantum) => Promise<T>): Promise<T & { heapBytes?: number }> => {
    const quantum = await ready;
    const outcome = await call(quantum);
    return quantum.heapBytes === undefined ? outcome : { ...outcome, heapBytes: quantum.heapBytes };
  };
  const api = {
    configure: async (settings) => (await ready).configure(settings),
    run: async (request): Promise<RunOutcome> => {
      const outcome = await metered((q) => q.run(request));
      return outcome.ok
        ? transfer(
            outcome,
            outcome.ports.map((p) => p.ipc.buffer as ArrayBuffer),
          )
        : outcome;
    },
    start: async (request): Promise<StartOutcome> => {
      const outcome = await metered((q) => q.start(request));
      return outcome.ok
        ? transfer(
            outcome,
            outcome.ports.map((p) => p.ipc.buffer as ArrayBuffer),
          )
        : outcome;
    },
    finish: async () => metered((q) => q.finish()),
    query: async (sql): Promise<QueryOutcome> => {
      const outcome = await metered((q) => q.query(sql));
      return outcome.ok ? transfer(outcome, [outcome.ipc.buffer as ArrayBuffer]) : outcome;
    },
    loadTable: async (name, ipc, schema) => (await ready).loadTable(name, ipc, schema),
    reset: async () => (await ready).reset(),
    close: async () => (await ready).close(),
  } satisfies QuantumApi;
  expose(api, endpoint);
}
