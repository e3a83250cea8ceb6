import type { Endpoint } from 'comlink';
import { exposeQuantum } from '../quantum/exposeQuantum.ts';
import { Quantum } from '../quantum/quantum.ts';
import { createBrowserDuckDB } from './browserDuckDB.ts';

/*
 * One quantum in one Web Worker (started by browserHost.ts). The first message carries the
 * DuckDB module the page compiled once; the quantum is then exposed over Comlink on this
 * worker's own scope, exactly as the Node worker thread does on its parent port.
 */

/** The first message a quantum worker receives, before any Comlink call. */
export interface QuantumWorkerInit {
  readonly module: WebAssembly.Module;
}

// The worker's global scope as Comlink sees it (the DOM lib we compile with types `self` as a Window).
const scope = globalThis as unknown as Endpoint;

scope.addEventListener('message', function init(event) {
  scope.removeEventListener('message', init);
  const { module } = (event as MessageEvent<QuantumWorkerInit>).data;
  // Exposed in this handler, synchronously: Comlink listens before the next message arrives.
  exposeQuantum(
    createBrowserDuckDB(module).then((db) => new Quantum(db)),
    scope,
  );
});
