import { availableParallelism, totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';
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

async function startWorkerThread(): Promise<StartedWorker> {
  const worker = new Worker(WORKER_ENTRY, {
    workerData: { module: await compiledDuckDBModule() },
    // The JavaScript side of a quantum (decoding seeds, Arrow framing) is bounded too: past
    // this the thread dies with ERR_WORKER_OUT_OF_MEMORY and the pool replaces it.
    resourceLimits: { maxOldGenerationSizeMb: 2048 },
  });
  const died = new Promise<string>((resolve) => {
    worker.once('error', (error) => resolve(error.message));
    worker.once('exit', (code) => resolve(`exit code ${code}`));
  });
  return { endpoint: nodeEndpoint(worker), terminate: () => void worker.terminate(), died };
}
