import { loadExposedPorts, type PortExposure } from './portExposure.ts';
import type { QueryOutcome } from './quantumProtocol.ts';
import { DEFAULT_TIMEOUT_SECONDS } from './quantumRun.ts';
import type { QuantumHost } from './runTypes.ts';
import { isNotSingleSelect, SINGLE_SELECT_HINT, singleSelect } from '../sql/singleSelect.ts';

/** An output port's newest published data, as a query reads it. */
export interface PublishedPort {
  readonly product: string;
  readonly port: string;
  readonly ipc: Uint8Array;
}

/**
 * Runs read-only SQL over published ports, each addressed as `"<product-id>"."<port>"`, in
 * one quantum leased from `host` for the query. With an exposure (a query as a persona)
 * each port arrives as its masked view, or not at all (portExposure.ts).
 */
export async function queryPorts(
  host: QuantumHost,
  ports: readonly PublishedPort[],
  sql: string,
  exposure?: PortExposure,
): Promise<QueryOutcome> {
  const lease = await host.acquire('(query)', { timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000 });
  try {
    // A pooled quantum still holds the catalog of the product it last ran: start empty.
    await lease.quantum.reset();
    const exposed = await loadExposedPorts(lease.quantum, ports, exposure);
    if (exposed) {
      lease.release();
      return { ok: false, error: exposed };
    }
    // One SELECT, checked by DuckDB's parser (core/sql/singleSelect.ts): a console query reads.
    const outcome = await lease.quantum.query(`SELECT * FROM ${singleSelect(sql)}`);
    lease.release();
    if (!outcome.ok && isNotSingleSelect(outcome.error.message)) {
      return {
        ok: false,
        error: { kind: 'sql', message: `QUANTA_E071 a query must be exactly one SELECT statement; ${SINGLE_SELECT_HINT}` },
      };
    }
    return outcome;
  } catch (error) {
    lease.discard();
    return { ok: false, error: { kind: 'internal', message: error instanceof Error ? error.message : String(error) } };
  }
}
