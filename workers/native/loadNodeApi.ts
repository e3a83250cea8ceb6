import type * as NodeApiModule from '@duckdb/node-api';

/**
 * @duckdb/node-api, loaded on first use: it is an optional dependency (a native binary per
 * platform), so the CLI still runs on DuckDB-WASM where it failed to install, and nothing
 * loads it unless `--engine native` asks for it.
 */
export type NodeApi = typeof NodeApiModule;

let loaded: Promise<NodeApi> | undefined;

export const NODE_API_MISSING = 'the native engine needs @duckdb/node-api (npm install @duckdb/node-api)';

export function loadNodeApi(): Promise<NodeApi> {
  loaded ??= import('@duckdb/node-api').catch((error: unknown) => {
    loaded = undefined;
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`${NODE_API_MISSING}: ${why}`, { cause: error });
  });
  return loaded;
}
