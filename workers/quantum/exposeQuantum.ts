import { expose, transfer, type Endpoint } from 'comlink';
import type { QuantumApi, QueryOutcome, RunOutcome, StartOutcome } from './api.ts';

/**
 * The worker side of a quantum, shared by the worker-thread entry (workers/node/) and the
 * Web Worker entry (workers/browser/): exposes the quantum `ready` resolves to over
 * `endpoint`. Calls that arrive before it is ready wait for it; if it cannot be created,
 * every call rejects with the reason. Output Arrow IPC bytes are transferred, not copied.
 */
export function exposeQuantum(ready: Promise<QuantumApi>, endpoint: Endpoint): void {
  // Observed by every call; without this a failed start would also be an unhandled rejection.
  ready.catch(() => undefined);
  const api = {
    configure: async (settings) => (await ready).configure(settings),
    run: async (request): Promise<RunOutcome> => {
      const outcome = await (await ready).run(request);
      return outcome.ok
        ? transfer(
            outcome,
            outcome.ports.map((p) => p.ipc.buffer as ArrayBuffer),
          )
        : outcome;
    },
    start: async (request): Promise<StartOutcome> => {
      const outcome = await (await ready).start(request);
      return outcome.ok
        ? transfer(
            outcome,
            outcome.ports.map((p) => p.ipc.buffer as ArrayBuffer),
          )
        : outcome;
    },
    finish: async () => (await ready).finish(),
    query: async (sql): Promise<QueryOutcome> => {
      const outcome = await (await ready).query(sql);
      return outcome.ok ? transfer(outcome, [outcome.ipc.buffer as ArrayBuffer]) : outcome;
    },
    loadTable: async (name, ipc, schema) => (await ready).loadTable(name, ipc, schema),
    reset: async () => (await ready).reset(),
    close: async () => (await ready).close(),
  } satisfies QuantumApi;
  expose(api, endpoint);
}
