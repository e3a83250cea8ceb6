import type { DataProduct } from '../model/types.ts';
import type { PortExport, PortMeasures, RunOutcome, RunRequest } from './quantumProtocol.ts';
import { QuantumStopped, type QuantumHost, type RunProblem } from './runTypes.ts';

/** A product's quantum is stopped when a run takes longer than this and quanta.yaml says nothing. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/**
 * One product run on a leased quantum: configure, `start` (load, transform, export the
 * ports — handed to `onExported` at once, so consumers can start on the data), then `finish`
 * (row counts, checks, profile). The lease goes back to the pool, or is discarded when the
 * quantum crashed, timed out or was cancelled; that comes back as a problem in plain words
 * (`stopped`: the run was stopped on purpose, a crash or a cancel aimed at it).
 */
export async function runOnQuantum(
  host: QuantumHost,
  product: DataProduct,
  request: RunRequest,
  options: {
    readonly timeoutSeconds: number;
    /** An injected crash fault: the quantum is stopped right after the run starts. */
    readonly crash: boolean;
    readonly onExported?: (ports: readonly PortExport[]) => void;
  },
): Promise<{ readonly outcome: RunOutcome } | { readonly problem: RunProblem; readonly stopped: boolean }> {
  const lease = await host.acquire(product.id, { timeoutMs: options.timeoutSeconds * 1000 });
  try {
    const memoryLimit = product.settings?.simulation.memoryLimit;
    await lease.quantum.configure(memoryLimit ? { memoryLimit } : {});
    const starting = lease.quantum.start(request);
    if (options.crash && !host.crash(product.id)) {
      // This host cannot stop a quantum under a call (in-process): the crash still lands.
      await starting.catch(() => undefined);
      throw new QuantumStopped('crashed', "its quantum's worker was terminated (injected crash)");
    }
    const exported = await starting;
    if (!exported.ok) {
      lease.release();
      return { outcome: exported };
    }
    // The data exists: consumers may start on it while this quantum measures it.
    options.onExported?.(exported.ports);
    const measured = await lease.quantum.finish();
    const durationMs = exported.durationMs + measured.durationMs;
    const outcome: RunOutcome = measured.ok
      ? { ok: true, ports: exported.ports.map((p, i) => ({ ...p, ...(measured.ports[i] as PortMeasures) })), durationMs }
      : { ...measured, durationMs };
    lease.release();
    return { outcome };
  } catch (error) {
    lease.discard();
    const timedOut = error instanceof QuantumStopped && error.reason === 'timeout';
    const stopped = error instanceof QuantumStopped && (error.reason === 'crashed' || error.reason === 'cancelled');
    const settingsFile = product.settings?.file;
    const message = timedOut
      ? `its run ${messageOf(error)}; the limit is simulation.timeout in quanta.yaml (${product.settings?.simulation.timeout ?? `${DEFAULT_TIMEOUT_SECONDS}s by default`})`
      : messageOf(error);
    return { problem: { message, ...(timedOut && settingsFile ? { file: settingsFile } : {}) }, stopped };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
