import type { GeneratedValue } from '../generate/generator.ts';
import type { DataProduct } from '../model/types.ts';
import { declaredColumnTypes } from './declaredTypes.ts';
import type { Locate } from './publishVerdict.ts';
import type { SourceInput } from './quantumProtocol.ts';

/**
 * A product's sources as the quantum takes them in: a generator's definition (the quantum
 * generates the rows itself, up to `tick`) with the values its `reference` columns draw from,
 * or a seed file's bytes, read through `readFile`, with the column types the product's
 * contracts declare (CSV, JSON lines; a Parquet file has its own).
 */
export async function sourceInputs(
  product: DataProduct,
  at: {
    readonly tick: number;
    readonly readFile: (path: string) => Promise<Uint8Array>;
    /** The values a `reference` column of this product draws from (MeshSourceGenerator). */
    readonly referenceValues: (reference: string) => readonly GeneratedValue[];
    readonly locate: Locate;
  },
): Promise<SourceInput[]> {
  const inputs: SourceInput[] = [];
  for (const source of product.settings?.sources ?? []) {
    if (source.generator) {
      // Generated inside the quantum: everything emitted so far (the initial load plus each
      // tick's rows). Only the columns its references draw from are generated here.
      const references: Record<string, readonly GeneratedValue[]> = {};
      for (const column of source.generator.columns) {
        if (column.type === 'reference' && column.references !== undefined) {
          references[column.references] = at.referenceValues(column.references);
        }
      }
      inputs.push({
        kind: 'generated',
        name: source.name,
        file: product.settings?.file ?? product.file,
        generator: source.generator,
        tick: at.tick,
        references,
      });
    } else if (source.resolvedFile) {
      const file = source.resolvedFile;
      const bytes = await at.readFile(file).catch((error: unknown) => {
        throw new Error(`seed file ${file} of source "${source.name}" cannot be read: ${messageOf(error)}`);
      });
      // A CSV or JSON-lines seed reads the columns its product's contracts declare with
      // those types (core/run/declaredTypes.ts); a Parquet file has its own.
      const kind = source.format ?? 'csv';
      const contracts = product.outputPorts.flatMap((port) => (port.contract ? [port.contract] : []));
      const declared = kind === 'parquet' ? [] : declaredColumnTypes(contracts, at.locate);
      inputs.push({ kind, name: source.name, file, bytes, ...(declared.length > 0 ? { declared } : {}) });
    }
  }
  return inputs;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
