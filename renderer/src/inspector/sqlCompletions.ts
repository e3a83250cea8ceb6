import type { Completion } from '@codemirror/autocomplete';
import type { SQLNamespace } from '@codemirror/lang-sql';
import { indexPublishers, resolveInputPort } from '../../../core/lineage/lineageGraph.ts';
import type { ContractTable, DataProduct, Mesh } from '../../../core/model/types.ts';

/** A table the transform can read, with its columns, for SQL completion. */
export interface SqlTable {
  readonly name: string;
  /** Where it comes from, in words: shown beside the completion. */
  readonly detail: string;
  readonly columns: readonly { readonly name: string; readonly type?: string }[];
}

/**
 * The tables `transform.sql` can read: each input port, named after the port, with the
 * columns of the upstream contract it reads; and the product's own sources (seed files,
 * generators), with the generator's columns when it declares them.
 */
export function transformTables(mesh: Mesh, product: DataProduct): SqlTable[] {
  const publishers = indexPublishers(mesh.products);
  const tables: SqlTable[] = product.inputPorts.map((port) => {
    const upstream = resolveInputPort(publishers, port);
    const contractTable = upstream?.port.contract && pickTable(upstream.port.contract.tables, upstream.port.name);
    return {
      name: port.name,
      detail: upstream
        ? `input port: ${upstream.product.id}.${upstream.port.name} (${port.contractId} ${port.version})`
        : `input port: ${port.contractId} ${port.version} (no publisher)`,
      columns: (contractTable?.columns ?? []).map((c) =>
        c.logicalType === undefined ? { name: c.name } : { name: c.name, type: c.logicalType },
      ),
    };
  });
  for (const source of product.settings?.sources ?? []) {
    if (tables.some((t) => t.name === source.name)) continue;
    tables.push({
      name: source.name,
      detail: source.file === undefined ? 'source: generator' : `source: ${source.file}`,
      columns: (source.generator?.columns ?? []).map((c) => ({ name: c.name, type: c.type })),
    });
  }
  return tables;
}

/** The contract's table for a port: the schema object named after it, else the only/first one. */
function pickTable(tables: readonly ContractTable[], portName: string): ContractTable | undefined {
  return tables.find((t) => t.name === portName) ?? tables[0];
}

/** The tables as @codemirror/lang-sql's completion schema: table → column completions. */
export function sqlNamespace(tables: readonly SqlTable[]): SQLNamespace {
  const namespace: Record<string, SQLNamespace> = {};
  for (const table of tables) {
    const self: Completion = { label: table.name, type: 'type', detail: table.detail };
    const children: Completion[] = table.columns.map((c) => ({ label: c.name, type: 'property', ...(c.type ? { detail: c.type } : {}) }));
    namespace[table.name] = { self, children };
  }
  return namespace;
}
