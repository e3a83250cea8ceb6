import { expose, transfer } from 'comlink';
import { parentPort, workerData } from 'node:worker_threads';
import type { QuantumApi, QueryOutcome, RunOutcome } from '../quantum/api.ts';
import { Quantum } from '../quantum/quantum.ts';
import { createNodeDuckDB } from '../duckdb/nodeDuckDB.ts';
import { nodeEndpoint } from './nodeEndpoint.ts';

/*
 * One quantum in one worker thread. The compiled DuckDB module arrives in workerData, so
 * the wasm is compiled once per process, not once per quantum. Arrow IPC bytes go back
 * transferred, not copied.
 */
const { module } = workerData as { module: WebAssembly.Module };
const ready = createNodeDuckDB(module).then((db) => new Quantum(db));

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
  query: async (sql): Promise<QueryOutcome> => {
    const outcome = await (await ready).query(sql);
    return outcome.ok ? transfer(outcome, [outcome.ipc.buffer as ArrayBuffer]) : outcome;
  },
  loadTable: async (name, ipc, schema) => (await ready).loadTable(name, ipc, schema),
  close: async () => (await ready).close(),
} satisfies QuantumApi;

if (!parentPort) throw new Error('quantum.worker.ts runs as a worker thread');
expose(api, nodeEndpoint(parentPort));
