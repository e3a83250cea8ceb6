import { Bool, Float64, Int64, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import type { CatalogTable } from '../../core/governance/catalog/catalog.ts';
import type { CatalogType } from '../../core/governance/catalog/catalogSchema.ts';
import type { CatalogEngine, EngineOutcome } from '../../core/governance/policy/evaluate.ts';
import type { QuantumHost, QuantumLease } from '../../core/run/runTypes.ts';

/*
 * The governance catalog in a quantum leased from a QuantumHost: catalog rows go in as Arrow
 * IPC, policy results come back as plain rows. Only apache-arrow is needed, so the same
 * adapter works in the browser; it lives in workers/ because core's pure part may not decode Arrow.
 */
export class QuantumCatalogEngine implements CatalogEngine {
  readonly #host: QuantumHost;
  readonly #timeoutMs: number;
  readonly #tables = new Map<string, Uint8Array>();
  readonly #ports: { product: string; port: string; ipc: Uint8Array }[] = [];
  /** The quantum, once asked for: calls that arrive while it is being leased share the one lease. */
  #lease: Promise<QuantumLease> | undefined;

  /** `timeoutMs` bounds each policy query: a runaway query stops its quantum (WorkerHost). */
  constructor(host: QuantumHost, options: { readonly timeoutMs?: number } = {}) {
    this.#host = host;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  // Loads may run side by side: they share the one lease. What is loaded is kept, so a fresh
  // quantum (after a stopped query) gets the whole catalog again.
  async load(table: CatalogTable): Promise<void> {
    const ipc = catalogTableToIPC(table);
    const lease = await this.#quantum();
    await lease.quantum.loadTable(table.spec.name, ipc);
    this.#tables.set(table.spec.name, ipc);
  }

  async loadPort(product: string, port: string, ipc: Uint8Array): Promise<void> {
    const lease = await this.#quantum();
    await lease.quantum.loadTable(port, ipc, product);
    this.#ports.push({ product, port, ipc });
  }

  async query(sql: string): Promise<EngineOutcome> {
    const leased = this.#quantum();
    const lease = await leased;
    let outcome;
    try {
      outcome = await lease.quantum.query(sql);
    } catch (error) {
      // The quantum stopped (timeout, crash): the next query gets a fresh one with the catalog.
      lease.discard();
      if (this.#lease === leased) this.#lease = undefined;
      return { ok: false, message: `the query stopped: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (!outcome.ok) return { ok: false, message: outcome.error.message };
    const table = tableFromIPC(outcome.ipc);
    const columns = table.schema.fields.map((f) => f.name);
    const rows = table.toArray().map((row: { toJSON(): Record<string, unknown> }) => {
      const plain = row.toJSON();
      for (const [key, value] of Object.entries(plain)) if (typeof value === 'bigint') plain[key] = Number(value);
      return plain;
    });
    return { ok: true, columns, rows };
  }

  release(): void {
    const leased = this.#lease;
    this.#lease = undefined;
    void leased?.then(
      (lease) => lease.release(),
      () => undefined,
    );
  }

  #quantum(): Promise<QuantumLease> {
    if (this.#lease) return this.#lease;
    const leased = this.#leaseQuantum();
    this.#lease = leased;
    leased.catch(() => {
      if (this.#lease === leased) this.#lease = undefined; // the next call tries again
    });
    return leased;
  }

  async #leaseQuantum(): Promise<QuantumLease> {
    const lease = await this.#host.acquire('(governance catalog)', { timeoutMs: this.#timeoutMs });
    // A pooled quantum still holds what it last ran (a product's tables, a persona's query): start empty.
    await lease.quantum.reset();
    for (const [name, ipc] of this.#tables) await lease.quantum.loadTable(name, ipc);
    for (const data of this.#ports) await lease.quantum.loadTable(data.port, data.ipc, data.product);
    return lease;
  }
}

const ARROW_TYPES: Record<CatalogType, () => DataType> = {
  VARCHAR: () => new Utf8(),
  BIGINT: () => new Int64(),
  DOUBLE: () => new Float64(),
  BOOLEAN: () => new Bool(),
};

export function catalogTableToIPC(table: CatalogTable): Uint8Array {
  const vectors: Record<string, Vector> = {};
  table.spec.columns.forEach((column, i) => {
    const values = table.rows.map((row) => {
      const value = row[i] ?? null;
      if (value === null) return null;
      if (column.type === 'BIGINT') return BigInt(Math.trunc(Number(value)));
      if (column.type === 'DOUBLE') return Number(value);
      if (column.type === 'BOOLEAN') return value === true;
      return String(value);
    });
    vectors[column.name] = vectorFromArray(values, ARROW_TYPES[column.type]());
  });
  return tableToIPC(new Table(vectors), 'stream');
}
