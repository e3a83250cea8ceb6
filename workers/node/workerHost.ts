import { availableParallelism, totalmem } from 'node:os';
import { MessageChannel, Worker } from 'node:worker_threads';
import { compiledDuckDBModule } from '../duckdb/nodeDuckDB.ts';
import { PooledHost, type StartedWorker } from '../pool/pooledHost.ts';
import { nodeEndpoint } from './nodeEndpoint.ts';

const WORKER_ENTRY = new URL('./quantum.worker.mjs', import.meta.url);

/**
 * Quanta in Node worker threads (the CLI's host), one DuckDB-WASM each, pooled up to
 * `size` (default: one per core). The wasm is compiled once in this thread and the
 * compiled module is handed to every worker.
 */
export class WorkerHost extends PooledHost {
  /** `memoryBudgetBytes`: what all quanta may hold together; half the machine's memory by default. */
  constructor(size = availableParallelism(), memoryBudgetBytes = totalmem() / 2) {
    super(size, startWorkerThread, { memoryBudgetBytes });
  }
}

/** Workers booted before any host asked (bootSpareWorkers), handed to the first hosts that start one. */
const spares: Promise<StartedWorker>[] = [];

/**
 * Starts `count` quantum workers now, before a host exists: the CLI calls it first thing, so
 * the quanta boot (about a second of one core each) while the mesh is read and validated.
 * The next workers any WorkerHost starts are these. `disposeSpareWorkers` ends the unused ones.
 */
export function bootSpareWorkers(count: number): void {
  for (let i = 0; i < count; i++) {
    const started = newWorkerThread();
    started.catch(() => undefined); // the host that takes it sees the failure
    spares.push(started);
  }
}

/** Terminates the spare workers no host took (a process with live workers does not exit). */
export async function disposeSpareWorkers(): Promise<void> {
  for (const spare of spares.splice(0)) {
    const worker = await spare.catch(() => undefined);
    worker?.terminate();
  }
}

function startWorkerThread(): Promise<StartedWorker> {
  return spares.shift() ?? newWorkerThread();
}

async function newWorkerThread(): Promise<StartedWorker> {
  // The worker starts now and loads its code while the wasm compiles (once per process); the
  // compiled module follows on a channel of its own, so Comlink's port carries only calls.
  const channel = new MessageChannel();
  const worker = new Worker(WORKER_ENTRY, {
    workerData: { modulePort: channel.port2 },
    transferList: [channel.port2],
    // The JavaScript side of a quantum (decoding seeds, Arrow framing) is bounded too: past
    // this the thread dies with ERR_WORKER_OUT_OF_MEMORY and the pool replaces it. A small
    // young generation: a quantum's JavaScript objects are short-lived, and V8's default keeps
    // ~40 MB more mapped per worker for about 5 % less collection time.
    resourceLimits: { maxOldGenerationSizeMb: 2048, maxYoungGenerationSizeMb: 8 },
  });
  compiledDuckDBModule().then(
    (module) => channel.port1.postMessage({ module } satisfies ModuleMessage),
    (error: unknown) =>
      channel.port1.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies ModuleMessage),
  );
  const died = new Promise<string>((resolve) => {
    worker.once('error', (error) => resolve(error.message));
    worker.once('exit', (code) => resolve(`exit code ${code}`));
  });
  return { endpoint: nodeEndpoint(worker), terminate: () => void worker.terminate(), died };
}

/** What a quantum worker receives on its module port: the compiled DuckDB module, or why there is none. */
export type ModuleMessage = { readonly module: WebAssembly.Module } | { readonly error: string };
