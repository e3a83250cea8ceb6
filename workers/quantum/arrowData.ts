import {
  Binary,
  Bool,
  DateDay,
  Decimal,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  makeData,
  Struct,
  TimeMicrosecond,
  TimestampMicrosecond,
  TimestampNanosecond,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  type Data,
  type DataType,
} from 'apache-arrow';
import type { ParquetKind, Scale } from '../../core/parquet/readParquet.ts';

/**
 * Arrow column data built straight from the raw values a Parquet reader returns (numbers,
 * bigints, booleans, byte arrays, arrays and objects for nested values; null or undefined
 * for a null), without Arrow's builders (they compile code with `new Function`, which the
 * app's CSP forbids). core/parquet/readParquet.ts decides which kind each column is.
 */
export type ArrowKind = ParquetKind;

export function arrowType(kind: ArrowKind): DataType {
  switch (kind.kind) {
    case 'int':
      return kind.signed
        ? new [Int8, Int16, Int32, Int64][Math.log2(kind.bits) - 3]!()
        : new [Uint8, Uint16, Uint32, Uint64][Math.log2(kind.bits) - 3]!();
    case 'float32':
      return new Float32();
    case 'float64':
      return new Float64();
    case 'bool':
      return new Bool();
    case 'utf8':
    case 'uuid':
      return new Utf8();
    case 'binary':
      return new Binary();
    case 'date':
      return new DateDay();
    case 'time':
      return new TimeMicrosecond();
    case 'timestamp':
      return kind.unit === 'ns' ? new TimestampNanosecond(kind.utc ? 'UTC' : null) : new TimestampMicrosecond(kind.utc ? 'UTC' : null);
    case 'decimal':
      return new Decimal(kind.scale, kind.precision, 128);
    case 'list':
      return new List(new Field('element', arrowType(kind.element), true));
    case 'struct':
      return new Struct(kind.fields.map((f) => new Field(f.name, arrowType(f.kind), true)));
  }
}

const isNull = (value: unknown): boolean => value === null || value === undefined;

export function arrowData(kind: ArrowKind, values: readonly unknown[]): Data {
  const type = arrowType(kind);
  const length = values.length;
  const { nullBitmap, nullCount } = validity(values);
  const base = { type, length, nullCount, nullBitmap } as const;
  switch (kind.kind) {
    case 'int': {
      const Array = type.ArrayType as new (n: number) => Int32Array | BigInt64Array | BigUint64Array;
      const data = new Array(length);
      if (kind.bits === 64) {
        // The reader returns INT64 as a signed bigint: an unsigned column is the same 64 bits.
        for (let i = 0; i < length; i++) {
          const v = values[i];
          (data as BigInt64Array)[i] = isNull(v)
            ? 0n
            : kind.signed
              ? BigInt.asIntN(64, BigInt(v as bigint))
              : BigInt.asUintN(64, BigInt(v as bigint));
        }
      } else {
        for (let i = 0; i < length; i++) (data as Int32Array)[i] = isNull(values[i]) ? 0 : Number(values[i]);
      }
      return makeData({ ...base, data } as never);
    }
    case 'float32':
    case 'float64': {
      const data = kind.kind === 'float32' ? new Float32Array(length) : new Float64Array(length);
      for (let i = 0; i < length; i++) data[i] = isNull(values[i]) ? 0 : Number(values[i]);
      return makeData({ ...base, data } as never);
    }
    case 'bool': {
      const data = new Uint8Array((length + 7) >> 3);
      for (let i = 0; i < length; i++) if (values[i] === true) data[i >> 3] = (data[i >> 3] ?? 0) | (1 << (i & 7));
      return makeData({ ...base, data } as never);
    }
    case 'date': {
      const data = new Int32Array(length);
      for (let i = 0; i < length; i++) data[i] = isNull(values[i]) ? 0 : Number(values[i]);
      return makeData({ ...base, data } as never);
    }
    case 'time':
    case 'timestamp': {
      const data = new BigInt64Array(length);
      for (let i = 0; i < length; i++) data[i] = isNull(values[i]) ? 0n : scaled(BigInt(values[i] as bigint), kind.scale);
      return makeData({ ...base, data } as never);
    }
    case 'decimal':
      return makeData({ ...base, data: decimalWords(values) } as never);
    case 'utf8':
    case 'binary':
      return makeData({ ...base, ...concatBytes(values) } as never);
    case 'uuid':
      return makeData({ ...base, ...concatBytes(values.map((v) => (v instanceof Uint8Array ? uuidText(v) : null))) } as never);
    case 'list': {
      const valueOffsets = new Int32Array(length + 1);
      const flat: unknown[] = [];
      for (let i = 0; i < length; i++) {
        const v = values[i];
        if (Array.isArray(v)) for (const item of v) flat.push(item);
        valueOffsets[i + 1] = flat.length;
      }
      return makeData({ ...base, valueOffsets, child: arrowData(kind.element, flat) } as never);
    }
    case 'struct': {
      const children = kind.fields.map((f) =>
        arrowData(
          f.kind,
          values.map((v) => (isNull(v) ? null : (v as Record<string, unknown>)[f.name])),
        ),
      );
      return makeData({ ...base, children } as never);
    }
  }
}

function uuidText(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function scaled(value: bigint, scale: Scale): bigint {
  return scale === 1 ? value * 1000n : scale === -1 ? value / 1000n : value;
}

/** Unscaled decimal values (number, bigint, or big-endian two's-complement bytes) as 128-bit little-endian words. */
function decimalWords(values: readonly unknown[]): Uint32Array {
  const words = new Uint32Array(values.length * 4);
  values.forEach((value, i) => {
    if (isNull(value)) return;
    let unscaled: bigint;
    if (value instanceof Uint8Array) {
      unscaled = 0n;
      for (const byte of value) unscaled = (unscaled << 8n) | BigInt(byte);
      if (value.length > 0) unscaled = BigInt.asIntN(value.length * 8, unscaled);
    } else unscaled = BigInt(value as number | bigint);
    let bits = BigInt.asUintN(128, unscaled);
    for (let w = 0; w < 4; w++) {
      words[i * 4 + w] = Number(bits & 0xffffffffn);
      bits >>= 32n;
    }
  });
  return words;
}

/** Byte arrays end to end with their offsets (strings already as UTF-8 bytes). */
function concatBytes(values: readonly unknown[]): { valueOffsets: Int32Array; data: Uint8Array } {
  const valueOffsets = new Int32Array(values.length + 1);
  let total = 0;
  const encoded = values.map((v) => (typeof v === 'string' ? new TextEncoder().encode(v) : v instanceof Uint8Array ? v : undefined));
  encoded.forEach((bytes, i) => {
    total += bytes?.byteLength ?? 0;
    if (total > 0x7fffffff) throw new RangeError('a column holds more than 2 GB of text');
    valueOffsets[i + 1] = total;
  });
  const data = new Uint8Array(total);
  encoded.forEach((bytes, i) => {
    if (bytes) data.set(bytes, valueOffsets[i] ?? 0);
  });
  return { valueOffsets, data };
}

function validity(values: readonly unknown[]): { nullBitmap: Uint8Array; nullCount: number } {
  let nullCount = 0;
  for (const value of values) if (isNull(value)) nullCount++;
  if (nullCount === 0) return { nullBitmap: new Uint8Array(0), nullCount };
  const nullBitmap = new Uint8Array((values.length + 7) >> 3);
  values.forEach((value, i) => {
    if (!isNull(value)) nullBitmap[i >> 3] = (nullBitmap[i >> 3] ?? 0) | (1 << (i & 7));
  });
  return { nullBitmap, nullCount };
}
