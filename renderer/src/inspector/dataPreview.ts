import { DataType, tableFromIPC, type Table } from 'apache-arrow';

/**
 * The Data tab's model: a port version's Arrow IPC bytes decoded once, and cells read and
 * formatted only for the rows on screen, so 120,000 rows cost no more than 30.
 */
export interface PreviewColumn {
  readonly name: string;
  /** The Arrow type in words, e.g. `Decimal(10, 2)`. */
  readonly type: string;
  readonly numeric: boolean;
}

export interface Preview {
  readonly columns: readonly PreviewColumn[];
  readonly rowCount: number;
  cell(row: number, column: number): string;
  isNull(row: number, column: number): boolean;
  /** The row's number in the port's data, from 0, when the preview shows only some rows (rowsOf). */
  rowNumber?(row: number): number;
}

/** Only `rows` of `preview` (row numbers from 0, in the order given), each keeping its number in the data. */
export function rowsOf(preview: Preview, rows: readonly number[]): Preview {
  const at = (row: number): number => rows[row] ?? -1;
  return {
    columns: preview.columns,
    rowCount: rows.length,
    cell: (row, column) => preview.cell(at(row), column),
    isNull: (row, column) => preview.isNull(at(row), column),
    rowNumber: at,
  };
}

/** Shown for SQL NULL; the table also styles the cell (isNull), so it is not mistaken for the text NULL. */
export const NULL_TEXT = 'NULL';

export function decodePreview(ipc: Uint8Array): Preview {
  return previewOfTable(tableFromIPC(ipc));
}

export function previewOfTable(table: Table): Preview {
  const fields = table.schema.fields;
  const vectors = fields.map((_, i) => table.getChildAt(i));
  return {
    columns: fields.map((f) => ({ name: f.name, type: typeLabel(f.type), numeric: isNumeric(f.type) })),
    rowCount: table.numRows,
    cell(row, column) {
      const field = fields[column];
      const vector = vectors[column];
      if (!field || !vector || row < 0 || row >= table.numRows) return '';
      return formatValue(vector.get(row), field.type);
    },
    isNull(row, column) {
      const vector = vectors[column];
      return vector !== null && vector !== undefined && row >= 0 && row < table.numRows && !vector.isValid(row);
    },
  };
}

export function formatValue(value: unknown, type: DataType): string {
  if (value === null || value === undefined) return NULL_TEXT;
  if (DataType.isDecimal(type)) return formatDecimal(String(value), type.scale);
  if (DataType.isDate(type) && typeof value === 'number') return new Date(value).toISOString().slice(0, 10);
  if (DataType.isTimestamp(type) && typeof value === 'number') return formatTimestamp(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
  if (typeof value === 'bigint' || typeof value === 'string' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return formatTimestamp(value.getTime());
  if (typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function') return JSON.stringify(value.toJSON());
  return String(value);
}

/** An unscaled integer (Arrow's decimal) with `scale` digits after the point. */
export function formatDecimal(unscaled: string, scale: number): string {
  if (scale <= 0) return unscaled;
  const negative = unscaled.startsWith('-');
  const digits = (negative ? unscaled.slice(1) : unscaled).padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** `2026-01-05 14:03:00`, with milliseconds only when there are some; always UTC. */
export function formatTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${iso.slice(19, 23) === '.000' ? '' : iso.slice(19, 23)}`;
}

function typeLabel(type: DataType): string {
  if (DataType.isDecimal(type)) return `Decimal(${type.precision}, ${type.scale})`;
  return String(type);
}

function isNumeric(type: DataType): boolean {
  return DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type);
}

/** Rows to render for a scroll position: the visible ones plus `overscan` on each side. */
export function visibleRows(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  rowCount: number,
  overscan = 8,
): { readonly first: number; readonly last: number } {
  if (rowCount <= 0 || rowHeight <= 0) return { first: 0, last: -1 };
  const top = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const bottom = Math.min(rowCount - 1, Math.ceil((scrollTop + Math.max(viewportHeight, 0)) / rowHeight) + overscan);
  return { first: Math.min(top, rowCount - 1), last: bottom };
}
