import { asFields, asList, asString } from '../model/read.ts';
import type { Contract } from '../model/types.ts';
import type { DeclaredColumnType } from './quantumProtocol.ts';

/**
 * The DuckDB types a product's output-port contracts declare, by column name: a CSV or JSON
 * lines seed reads a column of the same name with that type instead of guessing
 * (ARCHITECTURE "Seed types"). In a source-aligned product the contract is the team's promise
 * about the data it brings, so its types are what the seed means — `order_date` declared
 * `string` stays text even though it looks like a date. Columns no contract declares, and
 * names declared with two different types, are auto-detected.
 */
export function declaredColumnTypes(
  contracts: readonly Contract[],
  locate: (contract: Contract, path: readonly (string | number)[]) => { line: number; column: number },
): DeclaredColumnType[] {
  const byName = new Map<string, DeclaredColumnType | 'conflict'>();
  for (const contract of contracts) {
    asList(contract.document['schema']).forEach((table, t) => {
      asList(asFields(table)['properties']).forEach((raw, p) => {
        const property = asFields(raw);
        const name = asString(property['name']);
        const type = duckdbTypeOf(property);
        if (!name || !type) return;
        const seen = byName.get(name);
        if (seen === undefined) {
          const at = locate(contract, ['schema', t, 'properties', p]);
          byName.set(name, { name, type, at: { file: contract.file, line: at.line, column: at.column } });
        } else if (seen !== 'conflict' && seen.type !== type) byName.set(name, 'conflict');
      });
    });
  }
  return [...byName.values()].filter((d): d is DeclaredColumnType => d !== 'conflict');
}

/**
 * An ODCS property's DuckDB type: its physicalType when that is a DuckDB type, else its
 * logicalType's. Undefined for object and array (left to auto-detect), for unknown types,
 * and for a date, time or timestamp with a `format`: DuckDB's CSV reader takes one date
 * format per file, not per column, so a declared format could not be honoured.
 */
export function duckdbTypeOf(property: Readonly<Record<string, unknown>>): string | undefined {
  const physical = asString(property['physicalType'])?.trim().toUpperCase().replace(/\s+/g, ' ');
  if (physical && DUCKDB_TYPE.test(physical)) return physical;
  const logical = asString(property['logicalType']);
  const options = asFields(property['logicalTypeOptions']);
  switch (logical) {
    case 'string':
      return 'VARCHAR';
    case 'integer':
      return 'BIGINT';
    case 'number':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
    case 'time':
    case 'timestamp':
      if (options['format'] !== undefined) return undefined;
      if (logical === 'date') return 'DATE';
      if (logical === 'time') return 'TIME';
      return options['timezone'] === true ? 'TIMESTAMPTZ' : 'TIMESTAMP';
    default:
      return undefined;
  }
}

/**
 * DuckDB's scalar type names and aliases (upper case). The text is spliced into the read's
 * SQL, so only these shapes pass; anything else (`number`, `varchar2`, vendor types) falls
 * back to the logicalType.
 */
const DUCKDB_TYPE = new RegExp(
  '^(?:' +
    [
      'BOOLEAN|BOOL|LOGICAL',
      'TINYINT|INT1|SMALLINT|INT2|SHORT|INTEGER|INT|INT4|SIGNED|BIGINT|INT8|LONG|HUGEINT|INT128',
      'UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT',
      'FLOAT|FLOAT4|REAL|DOUBLE|FLOAT8',
      '(?:DECIMAL|NUMERIC)(?:\\(\\d{1,2}(?:, ?\\d{1,2})?\\))?',
      '(?:VARCHAR|CHAR|BPCHAR|TEXT|STRING)(?:\\(\\d{1,9}\\))?',
      'UUID|BLOB|BYTEA|BINARY|VARBINARY',
      'DATE|TIME|TIMESTAMP|DATETIME|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE|INTERVAL',
    ].join('|') +
    ')$',
);
