import { tableFromIPC, TimeUnit, Type, type Data, type DataType, type Table } from 'apache-arrow';
import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { quoteIdent } from '../../core/contracts/contractChecks.ts';
import type { NodeApi } from './loadNodeApi.ts';
import { UnsupportedNativeType } from './nativeArrow.ts';

/*
 * Arrow IPC bytes into a native DuckDB table, with the DuckDB types DuckDB-WASM's Arrow import
 * gives them (Int64 → BIGINT, Decimal(p,s) → DECIMAL(p,s), Timestamp[ms] → TIMESTAMP_MS, a zoned
 * timestamp → TIMESTAMPTZ, List → LIST, FixedSizeList → ARRAY, …): the bytes are decoded with
 * apache-arrow, the table created with those types and filled through DuckDB's appender, one
 * data chunk of at most 2,048 rows (DuckDB's vector size) at a time.
 */

const CHUNK_ROWS = 2048;

/** The DuckDB type DuckDB-WASM's Arrow import makes of `type`. */
export function duckTypeOf(api: NodeApi, type: DataType): DuckDBType {
  switch (type.typeId) {
    case Type.Bool:
      return api.BOOLEAN;
    case Type.Int: {
      const { bitWidth, isSigned } = type as unknown as { bitWidth: number; isSigned: boolean };
      const signed = { 8: api.TINYINT, 16: api.SMALLINT, 32: api.INTEGER, 64: api.BIGINT };
      const unsigned = { 8: api.UTINYINT, 16: api.USMALLINT, 32: api.UINTEGER, 64: api.UBIGINT };
      return (isSigned ? signed : unsigned)[bitWidth as 8 | 16 | 32 | 64];
    }
    case Type.Float: {
      const { precision } = type as unknown as { precision: number };
      return precision === 2 ? api.DOUBLE : api.FLOAT; // Precision.DOUBLE is 2; HALF and SINGLE load as FLOAT
    }
    case Type.Decimal: {
      const { precision, scale } = type as unknown as { precision: number; scale: number };
      return api.DECIMAL(precision, scale);
    }
    case Type.Date:
      return api.DATE;
    case Type.Time:
      return api.TIME;
    case Type.Timestamp: {
      const { unit, timezone } = type as unknown as { unit: TimeUnit; timezone?: string | null };
      if (timezone) return api.TIMESTAMPTZ;
      return {
        [TimeUnit.SECOND]: api.TIMESTAMP_S,
        [TimeUnit.MILLISECOND]: api.TIMESTAMP_MS,
        [TimeUnit.MICROSECOND]: api.TIMESTAMP,
        [TimeUnit.NANOSECOND]: api.TIMESTAMP_NS,
      }[unit];
    }
    case Type.Utf8:
    case Type.LargeUtf8:
      return api.VARCHAR;
    case Type.Binary:
    case Type.LargeBinary:
    case Type.FixedSizeBinary:
      return api.BLOB;
    case Type.List:
      return api.LIST(duckTypeOf(api, childType(type, 0)));
    case Type.FixedSizeList:
      return api.ARRAY(duckTypeOf(api, childType(type, 0)), (type as unknown as { listSize: number }).listSize);
    case Type.Struct: {
      const entries: Record<string, DuckDBType> = {};
      for (const field of type.children) entries[field.name] = duckTypeOf(api, field.type as DataType);
      return api.STRUCT(entries);
    }
    case Type.Map: {
      const entries = childType(type, 0);
      return api.MAP(duckTypeOf(api, childType(entries, 0)), duckTypeOf(api, childType(entries, 1)));
    }
    case Type.Dictionary:
      return duckTypeOf(api, (type as unknown as { dictionary: DataType }).dictionary);
    case Type.Null:
      return api.SQLNULL;
    default:
      throw new UnsupportedNativeType(`the native engine cannot load an Arrow ${String(type)} column yet`);
  }
}

function childType(type: DataType, i: number): DataType {
  const child = type.children[i];
  if (!child) throw new UnsupportedNativeType(`Arrow ${String(type)} has no child ${i}`);
  return child.type as DataType;
}

/** Decoded bytes, or undefined when they are not an Arrow IPC stream (DuckDB-WASM then loads nothing, silently). */
export function decodeIpc(ipc: Uint8Array): Table | undefined {
  try {
    const table = tableFromIPC(ipc);
    return table.schema.fields.length === 0 ? undefined : table;
  } catch {
    return undefined;
  }
}

/** Creates `table` in the connection's current catalog and schema (or `schema`) and appends every row of `decoded`. */
export async function insertArrow(
  api: NodeApi,
  connection: DuckDBConnection,
  decoded: Table,
  table: string,
  schema?: string,
): Promise<void> {
  const fields = decoded.schema.fields;
  const types = fields.map((f) => duckTypeOf(api, f.type as DataType));
  // SQLNULL is no column type: DuckDB-WASM makes such a column INTEGER (all NULL) too.
  const columnTypes = types.map((t) => (t.typeId === api.DuckDBTypeId.SQLNULL ? api.INTEGER : t));
  const where = (await connection.runAndReadAll('SELECT current_database() AS c, current_schema() AS s')).getRowObjectsJS()[0];
  const catalog = String(where?.['c'] ?? 'memory');
  const inSchema = schema ?? String(where?.['s'] ?? 'main');
  const qualified = `${quoteIdent(catalog)}.${quoteIdent(inSchema)}.${quoteIdent(table)}`;
  await connection.run(`CREATE TABLE ${qualified} (${fields.map((f, i) => `${quoteIdent(f.name)} ${String(columnTypes[i])}`).join(', ')})`);
  if (decoded.numRows === 0) return;
  const appender = await connection.createAppender(table, inSchema, catalog);
  try {
    for (const batch of decoded.batches) {
      for (let start = 0; start < batch.numRows; start += CHUNK_ROWS) {
        const length = Math.min(CHUNK_ROWS, batch.numRows - start);
        const columns = fields.map((_, c) => {
          const data = batch.getChildAt(c)?.data[0] as Data | undefined;
          return data ? columnValues(api, data, start, length, columnTypes[c] as DuckDBType) : new Array<DuckDBValue>(length).fill(null);
        });
        const chunk = api.DuckDBDataChunk.create(columnTypes, length);
        chunk.setColumns(columns);
        appender.appendDataChunk(chunk);
      }
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

const UTF8 = new TextDecoder();

/**
 * Rows `start`…`start + length` of a column: numbers, bigints, booleans and text read in one
 * loop straight from the Arrow buffers (most of a load's cost); other types value by value.
 */
function columnValues(api: NodeApi, data: Data, start: number, length: number, duck: DuckDBType): DuckDBValue[] {
  const out = new Array<DuckDBValue>(length);
  const T = api.DuckDBTypeId;
  const valid = (r: number): boolean => data.nullCount === 0 || data.getValid(start + r);
  const at = data.offset + start;
  switch (data.typeId) {
    case Type.Int:
    case Type.Float: {
      const values = data.values as unknown as { [k: number]: number | bigint };
      const big = duck.typeId === T.BIGINT || duck.typeId === T.UBIGINT;
      for (let r = 0; r < length; r++) {
        const v = values[at + r] ?? 0;
        out[r] = !valid(r) ? null : big ? BigInt(v) : Number(v);
      }
      return out;
    }
    case Type.Utf8: {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      for (let r = 0; r < length; r++) {
        out[r] = valid(r) ? UTF8.decode(bytes.subarray(offsets[at + r] ?? 0, offsets[at + r + 1] ?? 0)) : null;
      }
      return out;
    }
    default:
      for (let r = 0; r < length; r++) out[r] = valueAt(api, data, start + r, duck);
      return out;
  }
}

/** Row `i` of `data` (from the data's own offset) as the DuckDB value of `duck`; null where the row is null. */
function valueAt(api: NodeApi, data: Data, i: number, duck: DuckDBType): DuckDBValue {
  if (data.typeId === Type.Null || !data.getValid(i)) return null;
  const at = data.offset + i;
  const values = data.values as unknown as { [k: number]: number | bigint };
  const T = api.DuckDBTypeId;
  switch (data.typeId) {
    case Type.Bool:
      return ((data.values[at >> 3] ?? 0) & (1 << (at & 7))) !== 0;
    case Type.Int:
    case Type.Float:
      return duck.typeId === T.BIGINT || duck.typeId === T.UBIGINT ? BigInt(values[at] as bigint) : Number(values[at]);
    case Type.Decimal: {
      const words = data.values as unknown as Uint32Array;
      let n = 0n;
      for (let w = 3; w >= 0; w--) n = (n << 32n) | BigInt(words[at * 4 + w] ?? 0);
      const { precision, scale } = data.type as unknown as { precision: number; scale: number };
      return api.decimalValue(BigInt.asIntN(128, n), precision, scale);
    }
    case Type.Date: {
      const { unit } = data.type as unknown as { unit: number };
      const raw = values[at] ?? 0;
      return api.dateValue(unit === 0 ? Number(raw) : Math.floor(Number(raw) / 86_400_000)); // DateUnit.DAY is 0
    }
    case Type.Time: {
      const { unit } = data.type as unknown as { unit: TimeUnit };
      return api.timeValue(toMicros(BigInt(values[at] ?? 0), unit));
    }
    case Type.Timestamp: {
      const { unit, timezone } = data.type as unknown as { unit: TimeUnit; timezone?: string | null };
      const raw = BigInt(values[at] ?? 0);
      if (timezone) return api.timestampTZValue(toMicros(raw, unit));
      if (unit === TimeUnit.SECOND) return api.timestampSecondsValue(raw);
      if (unit === TimeUnit.MILLISECOND) return api.timestampMillisValue(raw);
      if (unit === TimeUnit.NANOSECOND) return api.timestampNanosValue(raw);
      return api.timestampValue(raw);
    }
    case Type.Utf8:
    case Type.LargeUtf8:
      return UTF8.decode(bytesAt(data, at));
    case Type.Binary:
    case Type.LargeBinary:
      return api.blobValue(bytesAt(data, at).slice());
    case Type.FixedSizeBinary: {
      const width = (data.type as unknown as { byteWidth: number }).byteWidth;
      return api.blobValue(data.values.slice(at * width, (at + 1) * width));
    }
    case Type.List:
    case Type.Map: {
      const offsets = data.valueOffsets as unknown as { [k: number]: number | bigint };
      const from = Number(offsets[at]);
      const to = Number(offsets[at + 1]);
      const child = data.children[0] as Data;
      if (data.typeId === Type.List) {
        const item = (duck as unknown as { valueType: DuckDBType }).valueType;
        return api.listValue(range(from, to).map((j) => valueAt(api, child, j, item)));
      }
      const { keyType, valueType } = duck as unknown as { keyType: DuckDBType; valueType: DuckDBType };
      const [keys, vals] = child.children as [Data, Data];
      return api.mapValue(range(from, to).map((j) => ({ key: valueAt(api, keys, j, keyType), value: valueAt(api, vals, j, valueType) })));
    }
    case Type.FixedSizeList: {
      const size = (data.type as unknown as { listSize: number }).listSize;
      const item = (duck as unknown as { valueType: DuckDBType }).valueType;
      return api.arrayValue(range(at * size, (at + 1) * size).map((j) => valueAt(api, data.children[0] as Data, j, item)));
    }
    case Type.Struct: {
      const entries: Record<string, DuckDBValue> = {};
      const { entryTypes } = duck as unknown as { entryTypes: readonly DuckDBType[] };
      data.type.children.forEach((field, k) => {
        entries[field.name] = valueAt(api, data.children[k] as Data, at, entryTypes[k] as DuckDBType);
      });
      return api.structValue(entries);
    }
    case Type.Dictionary: {
      const dictionary = data.dictionary?.data[0] as Data | undefined;
      return dictionary ? valueAt(api, dictionary, Number(values[at]), duck) : null;
    }
    default:
      throw new UnsupportedNativeType(`the native engine cannot load an Arrow ${String(data.type)} value yet`);
  }
}

function bytesAt(data: Data, at: number): Uint8Array {
  const offsets = data.valueOffsets as unknown as { [k: number]: number | bigint };
  return data.values.subarray(Number(offsets[at]), Number(offsets[at + 1]));
}

function toMicros(value: bigint, unit: TimeUnit): bigint {
  if (unit === TimeUnit.SECOND) return value * 1_000_000n;
  if (unit === TimeUnit.MILLISECOND) return value * 1000n;
  if (unit === TimeUnit.NANOSECOND) return value / 1000n;
  return value;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
}
