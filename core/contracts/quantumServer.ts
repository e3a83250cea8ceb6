/*
 * The `servers:` entry of a contract Quanta writes: where the port's data lives when the
 * mesh runs here — the product's own quantum, an in-memory DuckDB. Tools of the ODCS
 * ecosystem (datacontract-cli's `export sql`, catalogs) need a server to pick a dialect and
 * a place; with this one they read Quanta's contracts unchanged.
 */
export const QUANTUM_SERVER_NAME = 'quanta';

export function quantumServer(productId: string): Record<string, string> {
  return {
    server: QUANTUM_SERVER_NAME,
    type: 'duckdb',
    environment: 'local',
    description: `The data product's quantum when the mesh runs in Quanta: an in-memory DuckDB, queried as "${productId}".<port>.`,
    database: ':memory:',
    schema: productId,
  };
}
