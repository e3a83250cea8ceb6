import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { createNodeDuckDB, preloadNodeBindings } from '../duckdb/nodeDuckDB.ts';
import { exposeQuantum } from '../quantum/exposeQuantum.ts';
import { Quantum } from '../quantum/quantum.ts';
import { nodeEndpoint } from './nodeEndpoint.ts';
import type { ModuleMessage } from './workerHost.ts';

/*
 * One quantum in one worker thread. The compiled DuckDB module arrives on the module port
 * of workerData, so the wasm is compiled once per process, not once per quantum; the thread
 * loads DuckDB's bindings meanwhile. Calls that come before the quantum is ready wait for it.
 */
const { modulePort } = workerData as { modulePort: MessagePort };
if (!parentPort) throw new Error('quantum.worker.ts runs as a worker thread');
const module = new Promise<WebAssembly.Module>((resolve, reject) => {
  modulePort.once('message', (message: ModuleMessage) => {
    modulePort.close();
    if ('module' in message) resolve(message.module);
    else reject(new Error(`DuckDB could not be loaded (${message.error})`));
  });
});
exposeQuantum(
  module.then((compiled) => createNodeDuckDB(compiled)).then((db) => new Quantum(db)),
  nodeEndpoint(parentPort),
);
preloadNodeBindings();
