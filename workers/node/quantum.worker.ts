import { parentPort, workerData } from 'node:worker_threads';
import { createNodeDuckDB } from '../duckdb/nodeDuckDB.ts';
import { exposeQuantum } from '../quantum/exposeQuantum.ts';
import { Quantum } from '../quantum/quantum.ts';
import { nodeEndpoint } from './nodeEndpoint.ts';

/*
 * One quantum in one worker thread. The compiled DuckDB module arrives in workerData, so
 * the wasm is compiled once per process, not once per quantum.
 */
const { module } = workerData as { module: WebAssembly.Module };
if (!parentPort) throw new Error('quantum.worker.ts runs as a worker thread');
exposeQuantum(
  createNodeDuckDB(module).then((db) => new Quantum(db)),
  nodeEndpoint(parentPort),
);
