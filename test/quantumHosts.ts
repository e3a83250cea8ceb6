import type { QuantumHost, QuantumLease } from '../core/run/runTypes.ts';
import { InProcessHost } from '../workers/node/inProcessHost.ts';
import { WorkerHost } from '../workers/node/workerHost.ts';
import { NativeHost } from '../workers/native/nativeHost.ts';

/**
 * The hosts every behavioural quantum test runs on — duckdb-wasm's habit: the same test
 * functions against the in-process bindings and through a real worker, so what crosses the
 * thread (structured clone, transferred Arrow bytes, flattened errors) is tested too — and
 * against the native DuckDB engine (issue 15), so both engines pass the very same suite.
 * `engine` says which DuckDB a host runs, for the few behaviours that differ by engine.
 * Use with `describe.each(QUANTUM_HOSTS)('… ($name)', ({ open }) => …)`.
 */
export const QUANTUM_HOSTS: readonly {
  readonly name: string;
  readonly engine: 'wasm' | 'native';
  readonly open: (size: number) => QuantumHost;
}[] = [
  { name: 'in-process host', engine: 'wasm', open: (size) => new InProcessHost(size) },
  { name: 'worker-thread host', engine: 'wasm', open: (size) => new WorkerHost(size) },
  { name: 'native host', engine: 'native', open: (size) => new NativeHost(size) },
];

/** One quantum leased from a fresh host of size 1, for a suite's beforeAll; `close` for its afterAll. */
export async function leaseQuantum(
  open: (size: number) => QuantumHost,
  productId = 'quantum-under-test',
): Promise<{ readonly quantum: QuantumLease['quantum']; close(): Promise<void> }> {
  const host = open(1);
  const lease = await host.acquire(productId);
  return {
    quantum: lease.quantum,
    close: async () => {
      lease.release();
      await host.dispose();
    },
  };
}
