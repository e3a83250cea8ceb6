import { ParquetError, readParquet, type ParquetKind, type Scale } from '../parquet/readParquet.ts';

/*
 * A Parquet seed file as a dbt seed: CSV text and the `column_types` that give dbt's table the
 * types Quanta's quantum gives the same file (core/parquet/readParquet.ts decides the kind of
 * every column for both). Each cell is written as the text both loaders cast back exactly:
 * dbt-duckdb COPYs the file into a table of those types, the shipped Spark macro
 * (dbtSeeds.ts SPARK_SEED_MACRO) casts each cell's text to its type.
 *
 * - A NULL is an empty field, an empty string a quoted `""` (the seed's meta asks the shipped
 *   DuckDB macro to COPY with `ALLOW_QUOTED_NULLS false`, or DuckDB would read it as NULL too).
 * - Timestamps are `YYYY-MM-DD HH:MM:SS.ffffff` (nine digits for TIMESTAMP_NS), a TIMESTAMPTZ in
 *   UTC with `+00:00`; decimals are their exact digits; floats JavaScript's shortest text that
 *   reads back as the same value (`Infinity`, `NaN` included).
 * - What a CSV seed cannot hold as its type is written as text, with a note naming file and
 *   column: LIST and STRUCT as JSON text (VARCHAR), and on Spark a TIME (Spark has no TIME) and
 *   a BLOB (the macro's literal cannot carry bytes) as DuckDB's text of them.
 */

/** CSV text one seed may become: V8 refuses strings longer than ~2^29 characters, so a cap well below it, with a note. */
export const MAX_SEED_CSV_CHARS = 256 * 1024 * 1024;

export interface ParquetSeed {
  readonly csv: string;
  /** Column → the DuckDB type the quantum gives it. */
  readonly types: ReadonlyMap<string, string>;
  /** Column → its Spark type where that is not `sparkType` of the DuckDB type (TIME, BLOB). */
  readonly sparkTypes: ReadonlyMap<string, string>;
  /** Something the seed carries differently, naming the column (the caller adds the file). */
  readonly notes: readonly string[];
  /** Whether a text or BLOB column holds an empty value (the DuckDB load must not read `""` as NULL). */
  readonly emptyStrings: boolean;
}

/** Throws ParquetError (naming no file) for a file it cannot read or a value it cannot write. */
export async function parquetSeed(bytes: Uint8Array): Promise<ParquetSeed> {
  const magic = (at: number): boolean => new TextDecoder().decode(bytes.subarray(at, at + 4)) === 'PAR1';
  if (bytes.byteLength < 12 || !magic(0) || !magic(bytes.byteLength - 4)) {
    throw new ParquetError('it is not a Parquet file (it does not start and end with PAR1)');
  }
  const { columns, rows } = await readParquet(bytes);
  if (rows.length === 0) throw new ParquetError('it has no rows');
  const types = new Map<string, string>();
  const sparkTypes = new Map<string, string>();
  const notes: string[] = [];
  for (const { name, kind } of columns) {
    const nested = kind.kind === 'list' || kind.kind === 'struct';
    types.set(name, nested ? 'VARCHAR' : duckdbType(kind));
    if (nested) notes.push(`column "${name}" is ${duckdbType(kind)}, which a CSV seed cannot hold: the seed has it as JSON text (VARCHAR)`);
    if (kind.kind === 'time') {
      sparkTypes.set(name, 'string');
      notes.push(`column "${name}" is a TIME, which Spark lacks: on Spark the seed has it as text (HH:MM:SS.ffffff)`);
    }
    if (kind.kind === 'binary') {
      sparkTypes.set(name, 'string');
      notes.push(`column "${name}" is a BLOB: on Spark the seed has it as DuckDB's text of the bytes (\\xHH escapes)`);
    }
    if (kind.kind === 'timestamp' && kind.unit === 'ns' && !kind.utc)
      notes.push(`column "${name}" is a TIMESTAMP_NS: Spark's timestamp keeps microseconds, so its nanoseconds are cut there`);
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const cells = columns.map(({ name, kind }) => cellWriter(name, kind, decoder));
  const lines = [columns.map((c) => quoted(c.name)).join(',')];
  let chars = lines[0]?.length ?? 0;
  let emptyStrings = false;
  const nullLike = new Set<string>();
  for (const row of rows) {
    const fields = columns.map(({ name, kind }, c) => {
      const value = row[name];
      if (value === null || value === undefined) return '';
      const text = cells[c]!(value);
      if (text === '') emptyStrings = true; // an empty string or BLOB
      if (kind.kind === 'utf8' || kind.kind === 'uuid') {
        if (['', 'null'].includes(text.trim().toLowerCase())) nullLike.add(name);
      }
      return quoted(text);
    });
    const line = fields.join(',');
    chars += line.length + 1;
    if (chars > MAX_SEED_CSV_CHARS) throw new ParquetError(`its rows as CSV would exceed ${MAX_SEED_CSV_CHARS / 1024 / 1024} MB of text`);
    lines.push(line);
  }
  // dbt's agate reader, which the Spark load goes through, reads '' and 'null' (any case, padded) as None.
  for (const name of nullLike)
    notes.push(`column "${name}" holds empty or "null" strings, which dbt's CSV reader loads as NULL on Spark (on DuckDB they stay text)`);
  return { csv: `${lines.join('\n')}\n`, types, sparkTypes, notes, emptyStrings };
}

/** A CSV field: a string that is empty, padded, or holds a comma, quote or line break is quoted. */
function quoted(text: string): string {
  return text === '' || /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The DuckDB type the quantum gives a column of this kind (native DuckDB's for the same file). */
export function duckdbType(kind: ParquetKind): string {
  switch (kind.kind) {
    case 'int':
      return `${kind.signed ? '' : 'U'}${{ 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' }[kind.bits]}`;
    case 'float32':
      return 'FLOAT';
    case 'float64':
      return 'DOUBLE';
    case 'bool':
      return 'BOOLEAN';
    case 'utf8':
    case 'uuid':
      return 'VARCHAR';
    case 'binary':
      return 'BLOB';
    case 'date':
      return 'DATE';
    case 'time':
      return 'TIME';
    case 'timestamp':
      return kind.utc ? 'TIMESTAMP WITH TIME ZONE' : kind.unit === 'ns' ? 'TIMESTAMP_NS' : 'TIMESTAMP';
    case 'decimal':
      return `DECIMAL(${kind.precision},${kind.scale})`;
    case 'list':
      return `${duckdbType(kind.element)}[]`;
    case 'struct':
      return `STRUCT(${kind.fields.map((f) => `"${f.name.replace(/"/g, '""')}" ${duckdbType(f.kind)}`).join(', ')})`;
  }
}

type Cell = (value: unknown) => string;

/** The text of a non-null raw value of this kind (the raw values are those of workers/quantum/arrowData.ts). */
function cellWriter(column: string, kind: ParquetKind, decoder: TextDecoder): Cell {
  const text = scalarText(column, kind, decoder);
  if (text) return text;
  const json = jsonWriter(column, kind, decoder);
  return (value) => json(value);
}

function scalarText(column: string, kind: ParquetKind, decoder: TextDecoder): Cell | undefined {
  switch (kind.kind) {
    case 'int':
      return (v) =>
        String(
          kind.signed ? BigInt.asIntN(kind.bits, BigInt(v as number | bigint)) : BigInt.asUintN(kind.bits, BigInt(v as number | bigint)),
        );
    case 'float32':
    case 'float64':
      return (v) => floatText(Number(v));
    case 'bool':
      return (v) => (v === true ? 'true' : 'false');
    case 'utf8':
      return (v) => {
        if (typeof v === 'string') return v;
        try {
          return decoder.decode(v as Uint8Array);
        } catch {
          throw new ParquetError(`column "${column}" holds text that is not UTF-8`);
        }
      };
    case 'uuid':
      return (v) => uuidText(v as Uint8Array);
    case 'binary':
      return (v) => blobText(v as Uint8Array);
    case 'date':
      return (v) => dateText(column, BigInt(v as number));
    case 'time':
      return (v) => timeText(scaled(BigInt(v as number | bigint), kind.scale));
    case 'timestamp':
      return (v) => {
        const raw = BigInt(v as number | bigint);
        if (kind.utc) return `${timestampText(column, kind.unit === 'ns' ? raw / 1000n : scaled(raw, kind.scale), 6)}+00:00`;
        return kind.unit === 'ns' ? timestampText(column, raw, 9) : timestampText(column, scaled(raw, kind.scale), 6);
      };
    case 'decimal':
      return (v) => decimalText(unscaledOf(v), kind.scale);
    default:
      return undefined;
  }
}

/** A nested value as JSON: numbers as JSON numbers (exact digits), the other scalars as JSON strings of their text. */
function jsonWriter(column: string, kind: ParquetKind, decoder: TextDecoder): Cell {
  if (kind.kind === 'list') {
    const item = jsonWriter(column, kind.element, decoder);
    return (v) => `[${(v as unknown[]).map((x) => (x === null || x === undefined ? 'null' : item(x))).join(',')}]`;
  }
  if (kind.kind === 'struct') {
    const fields = kind.fields.map((f) => ({ name: f.name, write: jsonWriter(column, f.kind, decoder) }));
    return (v) => {
      const record = v as Record<string, unknown>;
      const parts = fields.map(({ name, write }) => {
        const x = record[name];
        return `${JSON.stringify(name)}:${x === null || x === undefined ? 'null' : write(x)}`;
      });
      return `{${parts.join(',')}}`;
    };
  }
  const text = scalarText(column, kind, decoder)!;
  if (kind.kind === 'int' || kind.kind === 'decimal') return text;
  if (kind.kind === 'float32' || kind.kind === 'float64') return (v) => (Number.isFinite(Number(v)) ? text(v) : 'null');
  if (kind.kind === 'bool') return text;
  return (v) => JSON.stringify(text(v));
}

function floatText(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

function scaled(value: bigint, scale: Scale): bigint {
  return scale === 1 ? value * 1000n : scale === -1 ? value / 1000n : value;
}

function unscaledOf(value: unknown): bigint {
  if (!(value instanceof Uint8Array)) return BigInt(value as number | bigint);
  let unscaled = 0n;
  for (const byte of value) unscaled = (unscaled << 8n) | BigInt(byte);
  return value.length > 0 ? BigInt.asIntN(value.length * 8, unscaled) : 0n;
}

function decimalText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

const pad = (n: bigint | number, width: number): string => String(n).padStart(width, '0');

/** Days since 1970-01-01 as a proleptic Gregorian date (Howard Hinnant's civil_from_days). */
function dateText(column: string, days: bigint): string {
  const z = days + 719468n;
  const era = (z >= 0n ? z : z - 146096n) / 146097n;
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const day = doy - (153n * mp + 2n) / 5n + 1n;
  const month = mp < 10n ? mp + 3n : mp - 9n;
  const year = yoe + era * 400n + (month <= 2n ? 1n : 0n);
  // Both loaders read four-digit years; BC dates and years past 9999 have other spellings in each.
  if (year < 1n || year > 9999n) throw new ParquetError(`column "${column}" holds a date in the year ${year}, outside 1–9999`);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Microseconds of the day as DuckDB writes a TIME (the fraction only when there is one). */
function timeText(micros: bigint): string {
  return clockText(micros, 1_000_000n, 6);
}

function clockText(ticks: bigint, perSecond: bigint, digits: number): string {
  const seconds = ticks / perSecond;
  const fraction = ticks % perSecond;
  const clock = `${pad(seconds / 3600n, 2)}:${pad((seconds / 60n) % 60n, 2)}:${pad(seconds % 60n, 2)}`;
  return fraction === 0n ? clock : `${clock}.${pad(fraction, digits)}`;
}

/** Microseconds (digits 6) or nanoseconds (digits 9) since the epoch as `YYYY-MM-DD HH:MM:SS[.f]`. */
function timestampText(column: string, ticks: bigint, digits: 6 | 9): string {
  const perDay = 86_400n * (digits === 6 ? 1_000_000n : 1_000_000_000n);
  let days = ticks / perDay;
  let rest = ticks % perDay;
  if (rest < 0n) {
    days -= 1n;
    rest += perDay;
  }
  return `${dateText(column, days)} ${clockText(rest, digits === 6 ? 1_000_000n : 1_000_000_000n, digits)}`;
}

function uuidText(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Bytes as DuckDB's BLOB text: printable ASCII as itself, every other byte (and the backslash) as `\xHH`. */
function blobText(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes)
    out += b >= 0x20 && b <= 0x7e && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}
