import { ByteWriter, parquetWrite } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import { MAX_PARQUET_VALUES } from '../../parquet/readParquet.ts';

/*
 * A dbt seed's CSV written as Parquet with the seed's column types, so the imported mesh reads
 * the seed with dbt's types (ARCHITECTURE "dbt import"): a Parquet seed carries its own types
 * and the quantum reads them from the file (core/parquet/readParquet.ts), where a CSV seed's
 * columns would take the product's contract types by name — which for a seed under a transform
 * are the transform's output types, not the seed's (daff's play-events: DOUBLE in the seed,
 * BIGINT in the port). Each cell is parsed as dbt-duckdb's `COPY … (FORMAT CSV)` into a table
 * of those types reads it: an empty cell (quoted or not) is NULL.
 */

/** The DuckDB types this writes; a seed with a column of another type stays CSV (with a note). */
const SCALAR = /^(?:BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|FLOAT|REAL|DOUBLE|VARCHAR|DATE|TIMESTAMP|DECIMAL\(\d{1,2},\d{1,2}\))$/;

/** The type text of a DuckDB type as this module compares it (upper case, no spaces; INT → INTEGER). */
export function seedType(duckdb: string): string {
  const t = duckdb.toUpperCase().replace(/\s+/g, '');
  const alias: Record<string, string> = {
    INT: 'INTEGER',
    INT4: 'INTEGER',
    INT8: 'BIGINT',
    INT2: 'SMALLINT',
    INT1: 'TINYINT',
    FLOAT4: 'FLOAT',
    FLOAT8: 'DOUBLE',
    TEXT: 'VARCHAR',
    STRING: 'VARCHAR',
    BOOL: 'BOOLEAN',
    DATETIME: 'TIMESTAMP',
    NUMERIC: 'DECIMAL',
  };
  const decimal = /^(?:DECIMAL|NUMERIC)(?:\((\d+)(?:,(\d+))?\))?$/.exec(t);
  if (decimal) return `DECIMAL(${decimal[1] ?? '18'},${decimal[2] ?? (decimal[1] ? '0' : '3')})`;
  return alias[t] ?? t.replace(/^VARCHAR\(\d+\)$/, 'VARCHAR');
}

/**
 * The CSV text as Parquet with `types` (column → DuckDB type, for every column of the header), or
 * why it cannot be: a type it does not write, a column without a type, a value that is not of
 * its type (with its line), too many values.
 */
export function seedAsParquet(csv: string, types: ReadonlyMap<string, string>): { bytes: Uint8Array } | { error: string } {
  let table: { header: string[]; rows: { cells: (string | null)[]; line: number }[] };
  try {
    table = parseCsv(csv);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const { header, rows } = table;
  if (rows.length * Math.max(1, header.length) > MAX_PARQUET_VALUES) return { error: `more than ${MAX_PARQUET_VALUES} values` };
  const columns = header.map((name) => ({ name, type: seedType(types.get(name) ?? '') }));
  const missing = columns.filter((c) => c.type === '').map((c) => c.name);
  if (missing.length > 0) return { error: `no type for ${missing.map((n) => JSON.stringify(n)).join(', ')}` };
  const other = columns.filter((c) => !SCALAR.test(c.type));
  if (other.length > 0)
    return { error: `${other.map((c) => `${c.name}: ${types.get(c.name) ?? c.type}`).join(', ')} cannot be written to Parquet here` };
  const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }];
  const columnData = [];
  for (const [index, column] of columns.entries()) {
    const { element, parse } = parquetColumn(column.name, column.type);
    schema.push(element);
    const data: unknown[] = [];
    for (const row of rows) {
      const text = row.cells[index] ?? null;
      const value = text === null ? null : parse(text);
      if (value === undefined) {
        const shown = text !== null && text.length > 60 ? `${text.slice(0, 60)}…` : text;
        return { error: `line ${row.line}: column "${column.name}" holds "${shown}", which is not a ${column.type}` };
      }
      data.push(value);
    }
    columnData.push({ name: column.name, data });
  }
  const writer = new ByteWriter();
  parquetWrite({ writer, columnData: columnData as never, schema, statistics: false });
  return { bytes: new Uint8Array(writer.getBuffer()) };
}

type Parse = (text: string) => unknown;

function parquetColumn(name: string, type: string): { element: SchemaElement; parse: Parse } {
  const optional = { name, repetition_type: 'OPTIONAL' as const };
  const integer =
    (min: bigint, max: bigint, big: boolean): Parse =>
    (text) => {
      const t = text.trim();
      if (!/^[+-]?\d+$/.test(t)) return undefined;
      const v = BigInt(t);
      if (v < min || v > max) return undefined;
      return big ? v : Number(v);
    };
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(type);
  if (decimal) {
    const precision = Number(decimal[1]);
    const scale = Number(decimal[2]);
    const wide = precision > 18;
    return {
      element: {
        ...optional,
        type: wide ? 'FIXED_LEN_BYTE_ARRAY' : 'INT64',
        ...(wide ? { type_length: 16 } : {}),
        converted_type: 'DECIMAL',
        precision,
        scale,
      },
      parse: (text) => unscaled(text.trim(), precision, scale),
    };
  }
  switch (type) {
    case 'BOOLEAN':
      return {
        element: { ...optional, type: 'BOOLEAN' },
        parse: (text) => ({ true: true, t: true, '1': true, false: false, f: false, '0': false })[text.trim().toLowerCase()],
      };
    case 'TINYINT':
      return { element: { ...optional, type: 'INT32', converted_type: 'INT_8' }, parse: integer(-128n, 127n, false) };
    case 'SMALLINT':
      return { element: { ...optional, type: 'INT32', converted_type: 'INT_16' }, parse: integer(-32768n, 32767n, false) };
    case 'INTEGER':
      return { element: { ...optional, type: 'INT32' }, parse: integer(-2147483648n, 2147483647n, false) };
    case 'BIGINT':
      return { element: { ...optional, type: 'INT64' }, parse: integer(-(2n ** 63n), 2n ** 63n - 1n, true) };
    case 'FLOAT':
    case 'REAL':
    case 'DOUBLE':
      return { element: { ...optional, type: type === 'DOUBLE' ? 'DOUBLE' : 'FLOAT' }, parse: float };
    case 'DATE':
      return { element: { ...optional, type: 'INT32', converted_type: 'DATE' }, parse: (text) => days(text.trim()) };
    case 'TIMESTAMP':
      return { element: { ...optional, type: 'INT64', converted_type: 'TIMESTAMP_MICROS' }, parse: (text) => micros(text.trim()) };
    default:
      return { element: { ...optional, type: 'BYTE_ARRAY', converted_type: 'UTF8' }, parse: (text) => text };
  }
}

/** A number as DuckDB casts text to DOUBLE: decimal or exponent notation, inf/infinity/nan in any case. */
function float(text: string): number | undefined {
  const t = text.trim();
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (special) return special[2]?.toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(t) ? Number(t) : undefined;
}

/** A decimal text as its unscaled integer; more fraction digits than the scale round half away from zero, as DuckDB's cast does. */
function unscaled(text: string, precision: number, scale: number): bigint | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const fraction = m[3] ?? '';
  let value = BigInt(`${m[2] || '0'}${fraction.slice(0, scale).padEnd(scale, '0')}`);
  if (fraction.length > scale && Number(fraction[scale]) >= 5) value += 1n;
  if (value >= 10n ** BigInt(precision)) return undefined;
  return m[1] === '-' ? -value : value;
}

function days(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return Math.round(ms / 86_400_000);
}

function micros(text: string): bigint | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/.exec(text);
  if (!m) return undefined;
  const day = days(m[1] ?? '');
  const [h, min, s] = [Number(m[2] ?? 0), Number(m[3] ?? 0), Number(m[4] ?? 0)];
  if (day === undefined || h > 23 || min > 59 || s > 59) return undefined;
  const fraction = BigInt((m[5] ?? '').slice(0, 6).padEnd(6, '0'));
  return (BigInt(day) * 86_400n + BigInt(h * 3600 + min * 60 + s)) * 1_000_000n + fraction;
}

/** RFC 4180 CSV (dbt's seeds are comma-separated): a header, then rows as wide as it; an empty cell, quoted or not, is null. */
function parseCsv(text: string): { header: string[]; rows: { cells: (string | null)[]; line: number }[] } {
  const records: { cells: (string | null)[]; line: number }[] = [];
  let cells: (string | null)[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = 0;
  const end = (): void => {
    cells.push(field === '' ? null : field);
    field = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') end();
    else if (ch === '\n' || ch === '\r') {
      end();
      if (!(cells.length === 1 && cells[0] === null)) records.push({ cells, line: start });
      cells = [];
      if (ch === '\r' && text[i + 1] === '\n') i++;
      line++;
      start = line;
    } else field += ch;
    i++;
  }
  if (quoted) throw new Error(`line ${start}: a quoted field is not closed`);
  if (field !== '' || cells.length > 0) {
    end();
    records.push({ cells, line: start });
  }
  const [first, ...rows] = records;
  if (!first) throw new Error('it has no header');
  const header = first.cells.map((c) => (c ?? '').trim());
  const wrong = rows.find((r) => r.cells.length !== header.length);
  if (wrong) throw new Error(`line ${wrong.line}: ${wrong.cells.length} fields, the header has ${header.length}`);
  return { header, rows };
}
