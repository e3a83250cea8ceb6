import type { DataType } from 'apache-arrow';
import {
  Binary,
  Bool,
  DateDay,
  Decimal,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  makeData,
  Map_,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  TimeMicrosecond,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  type Data,
} from 'apache-arrow';
import type {
  DuckDBArrayType,
  DuckDBResult,
  DuckDBDecimalType,
  DuckDBListType,
  DuckDBMapType,
  DuckDBStructType,
  DuckDBType,
  DuckDBValue,
} from '@duckdb/node-api';
import { validity } from '../quantum/columnsToArrow.ts';
import type { NodeApi } from './loadNodeApi.ts';

/*
 * A native DuckDB result as an Arrow IPC stream with the very Arrow types DuckDB-WASM's export
 * gives the same DuckDB types (its arrow_appender: HUGEINT as DECIMAL(38,0), UUID as text,
 * TIMESTAMP WITH TIME ZONE as a UTC timestamp, each timestamp in its own unit), so the bytes a
 * native quantum hands downstream load as the same types wasm's would. @duckdb/node-api has no
 * Arrow export, so the columns are built here from its values, straight into Arrow buffers.
 */

/** A type this engine cannot hand on as Arrow the way DuckDB-WASM does; the run says which. */
export class UnsupportedNativeType extends Error {}

/** The Arrow type DuckDB-WASM exports for `type`. */
export function arrowTypeOf(api: NodeApi, type: DuckDBType): DataType {
  const T = api.DuckDBTypeId;
  switch (type.typeId) {
    case T.BOOLEAN:
      return new Bool();
    case T.TINYINT:
      return new Int8();
    case T.SMALLINT:
      return new Int16();
    case T.INTEGER:
    case T.SQLNULL:
      return new Int32();
    case T.BIGINT:
      return new Int64();
    case T.UTINYINT:
      return new Uint8();
    case T.USMALLINT:
      return new Uint16();
    case T.UINTEGER:
      return new Uint32();
    case T.UBIGINT:
      return new Uint64();
    case T.FLOAT:
      return new Float32();
    case T.DOUBLE:
      return new Float64();
    case T.HUGEINT:
      return new Decimal(0, 38, 128);
    case T.DECIMAL: {
      const d = type as DuckDBDecimalType;
      return new Decimal(d.scale, d.width, 128);
    }
    case T.DATE:
      return new DateDay();
    case T.TIME:
      return new TimeMicrosecond();
    case T.TIMESTAMP:
      return new TimestampMicrosecond();
    case T.TIMESTAMP_S:
      return new TimestampSecond();
    case T.TIMESTAMP_MS:
      return new TimestampMillisecond();
    case T.TIMESTAMP_NS:
      return new TimestampNanosecond();
    case T.TIMESTAMP_TZ:
      return new TimestampMicrosecond('UTC');
    case T.VARCHAR:
    case T.UUID:
      return new Utf8();
    case T.BLOB:
    case T.BIT:
      return new Binary();
    case T.LIST:
      return new List(new Field('l', arrowTypeOf(api, (type as DuckDBListType).valueType), true));
    case T.ARRAY: {
      const a = type as DuckDBArrayType;
      return new FixedSizeList(a.length, new Field('l', arrowTypeOf(api, a.valueType), true));
    }
    case T.STRUCT: {
      const s = type as DuckDBStructType;
      return new Struct(s.entryNames.map((name, i) => new Field(name, arrowTypeOf(api, s.entryTypes[i] as DuckDBType), true)));
    }
    case T.MAP: {
      const m = type as DuckDBMapType;
      const entries = new Struct([
        new Field('key', arrowTypeOf(api, m.keyType), false),
        new Field('value', arrowTypeOf(api, m.valueType), true),
      ]);
      return new Map_(new Field('entries', entries, false));
    }
    default:
      throw new UnsupportedNativeType(`the native engine cannot hand on a ${type.toString()} column yet; cast it (e.g. to VARCHAR)`);
  }
}

/**
 * A result as one Arrow IPC stream, converted chunk by chunk (DuckDB's 2,048 rows): only one
 * chunk's values are JavaScript objects at a time, so a large port does not fill the heap.
 */
export async function resultToArrowIpc(api: NodeApi, result: DuckDBResult): Promise<Uint8Array> {
  const names = result.columnNames();
  const types = result.columnTypes();
  const fields = names.map((name, i) => new Field(name, arrowTypeOf(api, types[i] as DuckDBType), true));
  const schema = new Schema(fields);
  const batches: RecordBatch[] = [];
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const rows = chunk.rowCount;
    const children = fields.map((field, i) => columnData(api, types[i] as DuckDBType, field.type, chunk.getColumnValues(i)));
    batches.push(new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children })));
  }
  if (batches.length === 0) {
    const children = fields.map((field, i) => columnData(api, types[i] as DuckDBType, field.type, []));
    batches.push(new RecordBatch(schema, makeData({ type: new Struct(fields), length: 0, nullCount: 0, children })));
  }
  return tableToIPC(new Table(schema, batches), 'stream');
}

/** One column's Arrow data from its DuckDB values (null for NULL). */
function columnData(api: NodeApi, type: DuckDBType, arrow: DataType, values: readonly DuckDBValue[]): Data {
  const T = api.DuckDBTypeId;
  const length = values.length;
  const { nullBitmap, nullCount } = validity(values);
  const base = { type: arrow, length, nullCount, nullBitmap };
  const fill = <A extends { [i: number]: unknown }>(array: A, read: (v: DuckDBValue) => A[number]): A => {
    for (let i = 0; i < length; i++) {
      const v = values[i];
      if (v !== null && v !== undefined) array[i] = read(v);
    }
    return array;
  };
  switch (type.typeId) {
    case T.BOOLEAN: {
      const data = new Uint8Array((length + 7) >> 3);
      for (let i = 0; i < length; i++) if (values[i] === true) data[i >> 3] = (data[i >> 3] ?? 0) | (1 << (i & 7));
      return makeData({ ...base, type: arrow as Bool, data });
    }
    case T.TINYINT:
      return makeData({ ...base, type: arrow as Int8, data: fill(new Int8Array(length), Number) });
    case T.SMALLINT:
      return makeData({ ...base, type: arrow as Int16, data: fill(new Int16Array(length), Number) });
    case T.INTEGER:
    case T.SQLNULL:
      return makeData({ ...base, type: arrow as Int32, data: fill(new Int32Array(length), Number) });
    case T.UTINYINT:
      return makeData({ ...base, type: arrow as Uint8, data: fill(new Uint8Array(length), Number) });
    case T.USMALLINT:
      return makeData({ ...base, type: arrow as Uint16, data: fill(new Uint16Array(length), Number) });
    case T.UINTEGER:
      return makeData({ ...base, type: arrow as Uint32, data: fill(new Uint32Array(length), Number) });
    case T.FLOAT:
      return makeData({ ...base, type: arrow as Float32, data: fill(new Float32Array(length), Number) });
    case T.DOUBLE:
      return makeData({ ...base, type: arrow as Float64, data: fill(new Float64Array(length), Number) });
    case T.BIGINT:
      return makeData({ ...base, type: arrow as Int64, data: fill(new BigInt64Array(length), (v) => BigInt(v as bigint)) });
    case T.UBIGINT:
      return makeData({ ...base, type: arrow as Uint64, data: fill(new BigUint64Array(length), (v) => BigInt(v as bigint)) });
    case T.HUGEINT:
    case T.DECIMAL: {
      const data = new Uint32Array(length * 4);
      for (let i = 0; i < length; i++) {
        const v = values[i];
        if (v === null || v === undefined) continue;
        let n = BigInt.asUintN(128, typeof v === 'bigint' ? v : (v as { value: bigint }).value);
        for (let w = 0; w < 4; w++) {
          data[i * 4 + w] = Number(n & 0xffffffffn);
          n >>= 32n;
        }
      }
      return makeData({ ...base, type: arrow as Decimal, data });
    }
    case T.DATE:
      return makeData({ ...base, type: arrow as DateDay, data: fill(new Int32Array(length), (v) => (v as { days: number }).days) });
    case T.TIME:
      return makeData({
        ...base,
        type: arrow as TimeMicrosecond,
        data: fill(new BigInt64Array(length), (v) => (v as { micros: bigint }).micros),
      });
    case T.TIMESTAMP:
    case T.TIMESTAMP_TZ:
      return makeData({
        ...base,
        type: arrow as TimestampMicrosecond,
        data: fill(new BigInt64Array(length), (v) => (v as { micros: bigint }).micros),
      });
    case T.TIMESTAMP_S:
      return makeData({
        ...base,
        type: arrow as TimestampSecond,
        data: fill(new BigInt64Array(length), (v) => (v as { seconds: bigint }).seconds),
      });
    case T.TIMESTAMP_MS:
      return makeData({
        ...base,
        type: arrow as TimestampMillisecond,
        data: fill(new BigInt64Array(length), (v) => (v as { millis: bigint }).millis),
      });
    case T.TIMESTAMP_NS:
      return makeData({
        ...base,
        type: arrow as TimestampNanosecond,
        data: fill(new BigInt64Array(length), (v) => (v as { nanos: bigint }).nanos),
      });
    case T.VARCHAR:
    case T.UUID:
      return textData(base, values, arrow as Utf8);
    case T.BLOB:
    case T.BIT:
      return binaryData(
        base,
        values,
        (v) => (v as { bytes?: Uint8Array; data?: Uint8Array }).bytes ?? (v as { data: Uint8Array }).data,
        arrow as Binary,
      );
    case T.LIST:
    case T.MAP: {
      const valueOffsets = new Int32Array(length + 1);
      const items: DuckDBValue[] = [];
      for (let i = 0; i < length; i++) {
        const v = values[i];
        if (v !== null && v !== undefined) {
          if (type.typeId === T.LIST) items.push(...(v as { items: readonly DuckDBValue[] }).items);
          else
            for (const e of (v as { entries: readonly { key: DuckDBValue; value: DuckDBValue }[] }).entries) items.push(entryValue(api, e));
        }
        valueOffsets[i + 1] = items.length;
      }
      if (type.typeId === T.LIST) {
        const list = arrow as List;
        const child = columnData(api, (type as DuckDBListType).valueType, list.children[0]?.type as DataType, items);
        return makeData({ ...base, type: list, valueOffsets, child });
      }
      const map = arrow as Map_;
      const m = type as DuckDBMapType;
      const entriesType = map.children[0]?.type as Struct;
      const child = columnData(api, api.STRUCT({ key: m.keyType, value: m.valueType }), entriesType, items);
      return makeData({ ...base, type: map, valueOffsets, child });
    }
    case T.ARRAY: {
      const a = type as DuckDBArrayType;
      const items: DuckDBValue[] = [];
      for (const v of values) {
        const got = v === null || v === undefined ? [] : (v as { items: readonly DuckDBValue[] }).items;
        for (let k = 0; k < a.length; k++) items.push(got[k] ?? null);
      }
      const fixed = arrow as FixedSizeList;
      return makeData({ ...base, type: fixed, child: columnData(api, a.valueType, fixed.children[0]?.type as DataType, items) });
    }
    case T.STRUCT: {
      const s = type as DuckDBStructType;
      const struct = arrow as Struct;
      const children = s.entryNames.map((name, k) =>
        columnData(
          api,
          s.entryTypes[k] as DuckDBType,
          struct.children[k]?.type as DataType,
          values.map((v) =>
            v === null || v === undefined ? null : ((v as { entries: Record<string, DuckDBValue> }).entries[name] ?? null),
          ),
        ),
      );
      return makeData({ ...base, type: struct, children });
    }
    default:
      throw new UnsupportedNativeType(`the native engine cannot hand on a ${type.toString()} column yet; cast it (e.g. to VARCHAR)`);
  }
}

const UTF8 = new TextEncoder();

/** Text values as Arrow Utf8 data, encoded into one growing buffer (an encoder call per value, no array per value). */
function textData(base: { length: number; nullCount: number; nullBitmap: Uint8Array }, values: readonly DuckDBValue[], type: Utf8): Data {
  const valueOffsets = new Int32Array(base.length + 1);
  let bytes = new Uint8Array(Math.max(64, base.length * 16));
  let used = 0;
  for (let i = 0; i < base.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) {
      const text = String(v);
      // UTF-8 needs at most 3 bytes per UTF-16 unit.
      if (used + text.length * 3 > bytes.length) {
        const grown = new Uint8Array(Math.max(bytes.length * 2, used + text.length * 3));
        grown.set(bytes.subarray(0, used));
        bytes = grown;
      }
      used += UTF8.encodeInto(text, bytes.subarray(used)).written;
    }
    valueOffsets[i + 1] = used;
  }
  return makeData({ ...base, type, valueOffsets, data: bytes.subarray(0, used) });
}

/** A map entry as the struct value its Arrow child holds. */
function entryValue(api: NodeApi, entry: { key: DuckDBValue; value: DuckDBValue }): DuckDBValue {
  return api.structValue({ key: entry.key, value: entry.value });
}

function binaryData(
  base: { length: number; nullCount: number; nullBitmap: Uint8Array },
  values: readonly DuckDBValue[],
  bytesOf: (v: DuckDBValue) => Uint8Array,
  type: Binary,
): Data {
  const valueOffsets = new Int32Array(base.length + 1);
  const parts: Uint8Array[] = [];
  let used = 0;
  for (let i = 0; i < base.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) {
      const bytes = bytesOf(v);
      parts.push(bytes);
      used += bytes.byteLength;
    }
    valueOffsets[i + 1] = used;
  }
  const data = new Uint8Array(used);
  let at = 0;
  for (const part of parts) {
    data.set(part, at);
    at += part.byteLength;
  }
  return makeData({ ...base, type, valueOffsets, data });
}
