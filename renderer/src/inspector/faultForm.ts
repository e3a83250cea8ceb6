import type { Fault } from '../../../core/run/faults.ts';
import type { DataProduct, Mesh } from '../../../core/model/types.ts';

/*
 * The pure model of the Faults tab: which faults a product can take, the tables it reads (its
 * sources and input ports, the only places a table fault can hit) and the columns suggested
 * for each (an input port's upstream contract, a generator's columns, else the product's own
 * output contract — a CSV header is not known before the run).
 */
export type FaultKind = Fault['kind'];

export interface FaultKindInfo {
  readonly kind: FaultKind;
  readonly label: string;
  readonly help: string;
}

const KINDS: readonly FaultKindInfo[] = [
  { kind: 'dropColumn', label: 'Drop a column', help: 'The column is gone from what the product reads (a producer removed it).' },
  { kind: 'renameColumn', label: 'Rename a column', help: 'The column arrives under another name (schema drift).' },
  { kind: 'nullSpike', label: 'Null spike', help: 'A share of the rows arrives with the column NULL (a broken upstream job).' },
  {
    kind: 'delaySource',
    label: 'Delay the sources',
    help: 'The sources hold back new data for some ticks (late data): freshness SLAs go red.',
  },
  { kind: 'crash', label: 'Crash the quantum', help: "The product's quantum is terminated during its next run." },
];

/** The fault kinds on offer; table faults only for a product that reads a table. */
export function faultKinds(readsTables: boolean): readonly FaultKindInfo[] {
  return readsTables ? KINDS : KINDS.filter((k) => k.kind === 'delaySource' || k.kind === 'crash');
}

export interface FaultTable {
  readonly name: string;
  /** "source" or "input port". */
  readonly what: string;
  readonly columns: readonly string[];
}

/** The tables `product` reads, each with the columns it is known to have. */
export function tablesOf(mesh: Mesh, product: DataProduct): FaultTable[] {
  const own = product.outputPorts.flatMap((p) => p.contract?.tables.flatMap((t) => t.columns.map((c) => c.name)) ?? []);
  const sources = (product.settings?.sources ?? []).map((source) => ({
    name: source.name,
    what: 'source',
    columns: source.generator ? source.generator.columns.map((c) => c.name) : unique(own),
  }));
  const inputs = product.inputPorts.map((port) => {
    const upstream = mesh.products.flatMap((p) => p.outputPorts).find((o) => o.contract?.id === port.contractId);
    return {
      name: port.name,
      what: 'input port',
      columns: unique(upstream?.contract?.tables.flatMap((t) => t.columns.map((c) => c.name)) ?? []),
    };
  });
  return [...sources, ...inputs];
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
