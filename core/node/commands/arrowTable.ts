import { DataType, util, type Table } from 'apache-arrow';
import { alignColumns } from '../cliText.ts';

/* A query's answer (an Arrow table) as `quanta query` prints it: aligned text or JSON rows. */

/** An Arrow table as aligned text, at most `limit` rows. */
export function formatTable(table: Table, limit: number): string {
  const names = table.schema.fields.map((f) => f.name);
  const shown = Math.min(limit, table.numRows);
  const rows: string[][] = [];
  for (let r = 0; r < shown; r++) {
    rows.push(names.map((_, c) => formatValue(table.getChildAt(c)?.get(r), table.schema.fields[c]?.type)));
  }
  const numeric = new Set(table.schema.fields.flatMap((f, i) => (/^(Int|Uint|Float|Decimal)/.test(f.type.toString()) ? [i] : [])));
  const lines = alignColumns([names, ...rows], numeric);
  const more = table.numRows - shown;
  lines.push(`(${table.numRows.toLocaleString('en-US')} row${table.numRows === 1 ? '' : 's'}${more > 0 ? `, first ${shown} shown` : ''})`);
  return `${lines.join('\n')}\n`;
}

export function tableJson(table: Table): Record<string, unknown>[] {
  const fields = table.schema.fields;
  const out: Record<string, unknown>[] = [];
  for (let r = 0; r < table.numRows; r++) {
    const row: Record<string, unknown> = {};
    fields.forEach((f, c) => {
      const value = table.getChildAt(c)?.get(r);
      row[f.name] = jsonValue(value, f.type);
    });
    out.push(row);
  }
  return out;
}

function jsonValue(value: unknown, type: DataType | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (type && DataType.isDecimal(type)) {
    const text = decimalText(value, type.scale);
    return Math.abs(Number(text)) < Number.MAX_SAFE_INTEGER / 10 ** type.scale ? Number(text) : text;
  }
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (type && DataType.isTimestamp(type) && typeof value === 'number') return new Date(value).toISOString();
  if (type && DataType.isDate(type) && (typeof value === 'number' || value instanceof Date)) {
    return new Date(value).toISOString().slice(0, 10);
  }
  if (typeof value === 'object') return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
  return value;
}

/** An Arrow decimal (a 128-bit integer scaled by 10^scale) as exact decimal text. */
function decimalText(value: unknown, scale: number): string {
  const unscaled = typeof value === 'bigint' ? value : util.bigNumToBigInt(value as Parameters<typeof util.bigNumToBigInt>[0]);
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return `${negative ? '-' : ''}${whole}`;
}

function formatValue(value: unknown, type: DataType | undefined): string {
  if (value !== null && value !== undefined && type && DataType.isDecimal(type)) return decimalText(value, type.scale);
  const v = jsonValue(value, type);
  if (v === null) return 'NULL';
  if (typeof v === 'string') return v.length > 60 ? `${v.slice(0, 57)}…` : v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
