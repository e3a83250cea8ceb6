import type { DataProduct } from '../model/types.ts';
import type { TableFault } from './quantumProtocol.ts';

/**
 * Faults a trainer or a scenario injects into a running mesh, to watch what the contracts
 * and the lineage do with them. Table faults change what one product reads (a source or an
 * input port) until cleared; a delay holds a product's sources back for some ticks; a crash
 * terminates the product's quantum during its next run.
 */
export type Fault =
  | { readonly kind: 'dropColumn'; readonly product: string; readonly table: string; readonly column: string }
  | { readonly kind: 'renameColumn'; readonly product: string; readonly table: string; readonly column: string; readonly to: string }
  | { readonly kind: 'nullSpike'; readonly product: string; readonly table: string; readonly column: string; readonly share: number }
  | { readonly kind: 'delaySource'; readonly product: string; readonly ticks: number }
  | { readonly kind: 'crash'; readonly product: string };

export class FaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultError';
  }
}

/** Throws a FaultError in plain words when the fault names something the mesh lacks. */
export function checkFault(fault: Fault, products: readonly DataProduct[]): void {
  const product = products.find((p) => p.id === fault.product);
  if (!product) throw new FaultError(`no product "${fault.product}" in this mesh`);
  if (fault.kind === 'dropColumn' || fault.kind === 'renameColumn' || fault.kind === 'nullSpike') {
    const tables = [...(product.settings?.sources.map((s) => s.name) ?? []), ...product.inputPorts.map((p) => p.name)];
    if (!tables.includes(fault.table)) {
      throw new FaultError(
        `${product.id} reads no table "${fault.table}"; its sources and input ports are: ${tables.join(', ') || '(none)'}`,
      );
    }
    if (fault.column.length === 0) throw new FaultError('name the column the fault hits');
  }
  if (fault.kind === 'renameColumn' && fault.to.length === 0) throw new FaultError('give the new column name');
  if (fault.kind === 'nullSpike' && !(fault.share > 0 && fault.share <= 1)) {
    throw new FaultError(`a null spike empties a share of rows between 0 and 1 (e.g. 0.3), not ${fault.share}`);
  }
  if (fault.kind === 'delaySource' && !(Number.isInteger(fault.ticks) && fault.ticks > 0)) {
    throw new FaultError(`a delay lasts a whole number of ticks (1 or more), not ${fault.ticks}`);
  }
}

export function tableFaultsOf(faults: readonly Fault[], product: string): TableFault[] {
  const out: TableFault[] = [];
  for (const f of faults) {
    if (f.product !== product) continue;
    if (f.kind === 'dropColumn') out.push({ kind: f.kind, table: f.table, column: f.column });
    else if (f.kind === 'renameColumn') out.push({ kind: f.kind, table: f.table, column: f.column, to: f.to });
    else if (f.kind === 'nullSpike') out.push({ kind: f.kind, table: f.table, column: f.column, share: f.share });
  }
  return out;
}
