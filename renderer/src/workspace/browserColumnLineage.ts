import type { ColumnLineage } from '../../../core/export/openLineage.ts';

/*
 * The OpenLineage columnLineage facet in the browser: polyglot's SQL analysis (the one the CLI
 * uses, core/node/commands/openLineageRun.ts), from its manual entry point so Vite ships its
 * wasm as a plain asset. Both the module and the wasm (22 MB, about 5 MB gzipped) load on the
 * first "Download OpenLineage" only, never at startup; the page's CSP already allows wasm.
 */

let loading: Promise<ColumnLineage | undefined> | undefined;

/** polyglot's column lineage, or undefined when its wasm cannot load here (the download then has no columnLineage facet). */
export function loadColumnLineage(producer: string): Promise<ColumnLineage | undefined> {
  loading ??= load(producer).catch(() => {
    loading = undefined; // the next download tries again
    return undefined;
  });
  return loading;
}

async function load(producer: string): Promise<ColumnLineage> {
  const [polyglot, wasm] = await Promise.all([import('@polyglot-sql/sdk/manual'), import('@polyglot-sql/sdk/polyglot_sql.wasm?url')]);
  await polyglot.init({ wasmUrl: new URL(wasm.default, document.baseURI) });
  return (sql, namespace) => {
    try {
      const result = polyglot.openLineageColumnLineage(sql, {
        producer,
        datasetNamespace: namespace,
        outputDataset: { namespace, name: 'out' },
        dialect: 'duckdb',
      });
      return result.success ? (result.facet?.fields as ReturnType<ColumnLineage>) : undefined;
    } catch {
      return undefined;
    }
  };
}
