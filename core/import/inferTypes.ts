/** A cell as read: text (CSV), a JSON value (JSON lines), null when empty or absent. */
export type Cell = string | number | boolean | null | object;

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

/**
 * Each column's type, widened row by row, so a file is inferred while it streams past and its
 * rows need not be kept. `grow` adds columns (a JSON-lines key first seen late: the rows
 * before it count as its nulls).
 */
export class ColumnInference {
  readonly #types: (ImportType | undefined)[] = [];
  readonly #nulls: number[] = [];
  #rows = 0;

  constructor(width = 0) {
    this.grow(width);
  }

  grow(width: number): void {
    while (this.#types.length < width) {
      this.#types.push(undefined);
      this.#nulls.push(this.#rows);
    }
  }

  add(row: readonly Cell[]): void {
    this.#rows++;
    for (let i = 0; i < this.#types.length; i++) {
      const value = row[i] ?? null;
      if (value === null) {
        this.#nulls[i] = (this.#nulls[i] ?? 0) + 1;
        continue;
      }
      const current = this.#types[i];
      if (current === 'string') continue;
      this.#types[i] = widen(current, typeOfValue(value));
    }
  }

  get rows(): number {
    return this.#rows;
  }

  result(): InferredColumn[] {
    return this.#types.map((type, i) => ({ type: type ?? 'string', nulls: this.#nulls[i] ?? 0 }));
  }
}

/** Each column's type over the rows given (every row of the file: a late odd value would break the cast at run time). */
export function inferColumns(width: number, rows: readonly (readonly Cell[])[]): InferredColumn[] {
  const inference = new ColumnInference(width);
  for (const row of rows) inference.add(row);
  return inference.result();
}
