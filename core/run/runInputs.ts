import { resolveInputPort, type ContractPublisher } from '../lineage/lineageGraph.ts';
import type { DataProduct } from '../model/types.ts';
import { portKey } from './portHistory.ts';
import type { ColumnInfo, SourceInput } from './quantumProtocol.ts';

/*
 * What a run reads from upstream: for each input port, the newest good version of the port
 * it resolves to, or, in a pass that starts a product early (runPass.ts), the data its
 * upstream products have exported but not yet published.
 */

/** One output port's data as a consumer reads it: a published version, or an export not yet judged. */
export interface PortData {
  readonly ipc?: Uint8Array;
  readonly columns?: readonly ColumnInfo[];
  readonly version: number;
  readonly dataAt: string;
}

/** A product's exported output ports in this pass, by port name, before they are judged. */
export type Announced = ReadonlyMap<string, PortData & { readonly ipc: Uint8Array; readonly columns: readonly ColumnInfo[] }>;

/** What a run reads: its input ports' data (also listed in `data`, port order) and where it comes from. */
export interface Inputs {
  readonly inputs: readonly SourceInput[];
  readonly data: readonly Uint8Array[];
  /** `product/port` → version read. */
  readonly consumed: ReadonlyMap<string, number>;
  /** Simulated ms of the oldest source data the inputs are built on. */
  readonly dataAt: number;
}

/**
 * The input ports' data: per port, the upstream products' data in `early` when they are
 * there, else `latest` (the newest published version). `missing`: the first input port
 * that has no data to read, as `product.port` (or its contract id when no product
 * publishes it).
 */
export function readInputs(
  product: DataProduct,
  from: {
    readonly publishers: ReadonlyMap<string, ContractPublisher[]>;
    readonly latest: (product: string, port: string) => PortData | undefined;
    /** Simulated ms now: the age of inputs built on no source data at all. */
    readonly nowMs: number;
    readonly early?: ReadonlyMap<string, Announced> | undefined;
  },
): Inputs | { readonly missing: string } {
  const inputs: SourceInput[] = [];
  const data: Uint8Array[] = [];
  const consumed = new Map<string, number>();
  let dataAt = from.nowMs;
  for (const port of product.inputPorts) {
    const publisher = resolveInputPort(from.publishers, port);
    const upstream =
      publisher &&
      (from.early?.get(publisher.product.id)?.get(publisher.port.name) ?? from.latest(publisher.product.id, publisher.port.name));
    if (!publisher || !upstream?.ipc) return { missing: publisher ? `${publisher.product.id}.${publisher.port.name}` : port.contractId };
    consumed.set(portKey(publisher.product.id, publisher.port.name), upstream.version);
    dataAt = Math.min(dataAt, Date.parse(upstream.dataAt));
    inputs.push({ kind: 'arrow', name: port.name, ipc: upstream.ipc, ...(upstream.columns ? { columns: upstream.columns } : {}) });
    data.push(upstream.ipc);
  }
  return { inputs, data, consumed, dataAt };
}

/**
 * Whether two reads handed the quantum the very same data: the same bytes per input port.
 * An early export that became the published version is the same array, so identity is enough.
 */
export function sameData(a: Inputs, b: Inputs | { readonly missing: string }): boolean {
  return !('missing' in b) && b.data.length === a.data.length && b.data.every((ipc, i) => ipc === a.data[i]);
}
