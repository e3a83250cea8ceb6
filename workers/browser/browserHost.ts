/// <reference types="vite/client" />
import wasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import { PooledHost, type StartedWorker } from '../pool/pooledHost.ts';
import type { QuantumWorkerInit } from './quantum.worker.ts';

/** At most this many quanta by default: each holds a DuckDB instance, and a laptop has a few cores to spare. */
const DEFAULT_MAX_SIZE = 4;

let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * DuckDB's wasm, compiled once per page on the main thread and posted to every worker. Vite
 * serves the file with the app (`?url`), so it never comes from a CDN.
 */
export function compiledDuckDBModule(): Promise<WebAssembly.Module> {
  compiled ??= compileWasm(wasmUrl).catch((error: unknown) => {
    compiled = undefined; // the next quantum tries again
    throw new Error(`DuckDB could not be loaded (${error instanceof Error ? error.message : String(error)})`);
  });
  return compiled;
}

/**
 * Streaming compilation needs the file served as application/wasm; a static host that serves
 * it as something else (a share, an old server) gets a second try from the bytes, so the
 * workshop build works on any host — only slower to start there.
 */
async function compileWasm(url: string): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  if (response.headers.get('content-type')?.split(';')[0]?.trim() === 'application/wasm') return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

/**
 * Quanta in Web Workers (the app's host), one DuckDB-WASM each, pooled up to `size`
 * (default: one per core, at most four). The same Quantum class as in Node runs in each.
 */
export class BrowserHost extends PooledHost {
  constructor(size = Math.min(DEFAULT_MAX_SIZE, navigator.hardwareConcurrency || 1)) {
    // deviceMemory (GB, Chromium only, capped at 8) — half of it for the page's quanta.
    const deviceGB = (navigator as { deviceMemory?: number }).deviceMemory ?? 8;
    super(size, startWebWorker, { memoryBudgetBytes: (deviceGB * 1024 ** 3) / 2 });
  }
}

async function startWebWorker(): Promise<StartedWorker> {
  const module = await compiledDuckDBModule();
  const worker = new Worker(new URL('./quantum.worker.ts', import.meta.url), { type: 'module', name: 'quantum' });
  // Browsers have no exit event: a worker dies on its own only through an uncaught error, or
  // when its script cannot load (then the event is a plain Event, without a message).
  const died = new Promise<string>((resolve) => {
    worker.addEventListener(
      'error',
      (event) => {
        event.preventDefault(); // reported as the product's problem, not again on the console
        resolve(event instanceof ErrorEvent && event.message ? event.message : 'the worker could not start');
      },
      { once: true },
    );
  });
  worker.postMessage({ module } satisfies QuantumWorkerInit);
  return { endpoint: worker, terminate: () => worker.terminate(), died };
}
