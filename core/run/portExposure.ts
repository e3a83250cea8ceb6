import { quoteIdent } from '../contracts/contractChecks.ts';
import type { QuantumApi, QuantumError } from './quantumProtocol.ts';

/** The one hook the runtime needs: how each output port is exposed to a query. */
export interface PortExposure {
  /**
   * A SELECT reading the port's published data from `source` (a relation the runtime
   * names), whose result becomes the table `"<product>".<port>` for this query; undefined
   * leaves the port out of the query.
   */
  readonly exposePort: (product: string, port: string, source: string) => string | undefined;
}

/** The schema the runtime loads a port's raw data into before exposing it; a product id can never start with `_`. */
export const RAW_SCHEMA = '_quanta_raw';

/**
 * The runtime side of the hook: loads each port's published Arrow bytes into `quantum`, as
 * is without `exposePort`, otherwise as the table the exposure's SELECT makes, and drops
 * the raw data. An error leaves the quantum unfit for the query (the caller must not run it).
 */
export async function loadExposedPorts(
  quantum: Pick<QuantumApi, 'loadTable' | 'query'>,
  ports: readonly { readonly product: string; readonly port: string; readonly ipc: Uint8Array }[],
  exposure?: PortExposure,
): Promise<QuantumError | undefined> {
  for (const { product, port, ipc } of ports) {
    if (!exposure) {
      await quantum.loadTable(port, ipc, product);
      continue;
    }
    const source = `${quoteIdent(RAW_SCHEMA)}.${quoteIdent(port)}`;
    const select = exposure.exposePort(product, port, source);
    if (select === undefined) continue;
    await quantum.loadTable(port, ipc, RAW_SCHEMA);
    const table = `${quoteIdent(product)}.${quoteIdent(port)}`;
    for (const statement of [
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(product)}`,
      `CREATE OR REPLACE TABLE ${table} AS ${select}`,
      `DROP TABLE ${source}`,
    ]) {
      const outcome = await quantum.query(statement);
      if (!outcome.ok) return { ...outcome.error, message: `exposing "${product}".${port}: ${outcome.error.message}` };
    }
  }
  return undefined;
}
