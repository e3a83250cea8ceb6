import { parentPort, workerData } from 'node:worker_threads';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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
  createNodeDuckDB(module).then((db) => {
    collectStartupGarbage();
    return new Quantum(db);
  }),
  nodeEndpoint(parentPort),
);

/**
 * Instantiating DuckDB-WASM's bindings links ~100,000 symbols in JavaScript (emscripten's
 * dynamic linker: a WebAssembly.Global and a table slot each), leaving well over 100 MB of
 * garbage on this thread's heap that V8 would otherwise keep mapped until some later
 * collection. One full collection right after start gives it back, before any data arrives.
 */
function collectStartupGarbage(): void {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    // Without a collector to call the memory is only returned later; nothing else changes.
  }
}
