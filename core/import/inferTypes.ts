import type { Cell } from './parseTable.ts';

/** The types an imported column can have: ODCS logical types, each with the DuckDB type the transform casts to. */
export const IMPORT_TYPES = ['integer', 'number', 'boolean', 'date', 'timestamp', 'string'] as const;
export type ImportType = (typeof IMPORT_TYPES)[number];

export const PHYSICAL_TYPES: Readonly<Record<ImportType, string>> = {
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  string: 'VARCHAR',
};

const INTEGER = /^[+-]?\d{1,18}$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const TIMESTAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d\d:?\d\d)?$/;

/** The narrowest type that holds every value; a single non-matching value makes the column text. */
function typeOfValue(value: Exclude<Cell, null>): ImportType {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? 'integer' : 'number';
  if (typeof value === 'object') return 'string';
  const text = value.trim();
  if (INTEGER.test(text)) return 'integer';
  if (DECIMAL.test(text)) return 'number';
  if (BOOLEAN.test(text)) return 'boolean';
  if (DATE.test(text)) return 'date';
  if (TIMESTAMP.test(text)) return 'timestamp';
  return 'string';
}

function widen(a: ImportType | undefined, b: ImportType): ImportType {
  if (a === undefined || a === b) return b;
  const pair = new Set([a, b]);
  if (pair.has('integer') && pair.has('number') && pair.size === 2) return 'number';
  if (pair.has('date') && pair.has('timestamp') && pair.size === 2) return 'timestamp';
  return 'string';
}

export interface InferredColumn {
  readonly type: ImportType;
  /** Rows without a value. */
  readonly nulls: number;
}

/** Each column's type over the rows given (every row of the file: a late odd value would break the cast at run time). */
export function inferColumns(width: number, rows: readonly (readonly Cell[])[]): InferredColumn[] {
  const types: (ImportType | undefined)[] = new Array<ImportType | undefined>(width).fill(undefined);
  const nulls = new Array<number>(width).fill(0);
  for (const row of rows) {
    for (let i = 0; i < width; i++) {
      const value = row[i] ?? null;
      if (value === null) {
        nulls[i] = (nulls[i] ?? 0) + 1;
        continue;
      }
      const current = types[i];
      if (current === 'string') continue;
      types[i] = widen(current, typeOfValue(value));
    }
  }
  return types.map((type, i) => ({ type: type ?? 'string', nulls: nulls[i] ?? 0 }));
}
