/*
 * Column types in a dbt project that builds on DuckDB and on Spark. The ODCS schema gives a
 * DuckDB type (core/run/declaredTypes.ts `duckdbTypeOf`); the project writes it so dbt picks
 * the adapter's spelling at parse time — `{{ 'string' if target.type == 'spark' else 'VARCHAR' }}`
 * — only where the two differ. Other adapters take the DuckDB spelling, which most accept for
 * the scalar types (the generated README says so).
 */

/** DuckDB type → Spark SQL type, for the scalar types an ODCS schema declares. */
export function sparkType(duckdb: string): string | undefined {
  const t = duckdb.trim().toUpperCase();
  const decimal = /^(?:DECIMAL|NUMERIC)(?:\((\d{1,2})(?:, ?(\d{1,2}))?\))?$/.exec(t);
  if (decimal) return `decimal(${decimal[1] ?? '18'},${decimal[2] ?? (decimal[1] ? '0' : '3')})`;
  if (/^(?:VARCHAR|CHAR|BPCHAR|TEXT|STRING)(?:\(\d+\))?$/.test(t) || t === 'UUID') return 'string';
  switch (t) {
    case 'BOOLEAN':
    case 'BOOL':
    case 'LOGICAL':
      return 'boolean';
    case 'TINYINT':
    case 'INT1':
      return 'tinyint';
    case 'SMALLINT':
    case 'INT2':
    case 'SHORT':
    case 'UTINYINT':
      return 'smallint';
    case 'INTEGER':
    case 'INT':
    case 'INT4':
    case 'SIGNED':
    case 'USMALLINT':
      return 'int';
    case 'BIGINT':
    case 'INT8':
    case 'LONG':
    case 'UINTEGER':
      return 'bigint';
    case 'HUGEINT':
    case 'INT128':
    case 'UBIGINT':
    case 'UHUGEINT':
      return 'decimal(38,0)';
    case 'FLOAT':
    case 'FLOAT4':
    case 'REAL':
      return 'float';
    case 'DOUBLE':
    case 'FLOAT8':
      return 'double';
    case 'DATE':
      return 'date';
    case 'TIMESTAMP':
    case 'DATETIME':
    case 'TIMESTAMP_NS': // Spark keeps microseconds
    case 'TIMESTAMP_MS':
    case 'TIMESTAMP_S':
    case 'TIMESTAMPTZ':
    case 'TIMESTAMP WITH TIME ZONE':
      return 'timestamp';
    case 'BLOB':
    case 'BYTEA':
    case 'BINARY':
    case 'VARBINARY':
      return 'binary';
    default:
      return undefined;
  }
}

/** The `data_type` (or seed column type) text for a DuckDB type: plain, or switched per adapter. */
export function dataTypes(duckdb: string): string {
  const spark = sparkType(duckdb);
  if (spark === undefined || spark.toUpperCase() === duckdb.toUpperCase()) return duckdb;
  return `{{ '${spark}' if target.type == 'spark' else '${duckdb}' }}`;
}
