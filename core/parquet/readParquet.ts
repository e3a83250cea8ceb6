import { parquetMetadata, parquetReadObjects, type FileMetaData, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

/**
 * A Parquet file's columns, each with the kind of value it holds (its physical and logical
 * type — the type native DuckDB gives the same column, ARCHITECTURE "Seed types"), and its
 * rows as the raw physical values hyparquet (pure JS) decodes. One reading for the quantum's
 * seed load (workers/quantum/parquetToArrow.ts builds Arrow columns of it) and the dbt export
 * (core/export/parquetSeed.ts writes a seed CSV of it), so the two cannot type a file apart.
 * Throws ParquetError with a reason that names no file: the caller adds it.
 */
export class ParquetError extends Error {}

/** Nesting deeper than this is refused (an untrusted file could nest thousands of levels). */
export const MAX_PARQUET_DEPTH = 32;
/** Values (rows × leaf columns) one seed may hold: a file's row count is only a claim. */
export const MAX_PARQUET_VALUES = 200_000_000;

/** Multiply (positive) or divide (negative) a raw integer by this power of 1000. */
export type Scale = -1 | 0 | 1;

/** What a column holds; the raw values of each kind are described in workers/quantum/arrowData.ts. */
export type ParquetKind =
  | { readonly kind: 'int'; readonly bits: 8 | 16 | 32 | 64; readonly signed: boolean }
  | { readonly kind: 'float32' | 'float64' | 'bool' | 'utf8' | 'binary' | 'date' }
  /** 16 bytes shown as the canonical 8-4-4-4-12 text (Arrow has no UUID type DuckDB reads). */
  | { readonly kind: 'uuid' }
  /** Microseconds of the day (DuckDB's TIME); `scale` turns the raw value into them. */
  | { readonly kind: 'time'; readonly scale: Scale }
  | { readonly kind: 'timestamp'; readonly unit: 'us' | 'ns'; readonly scale: Scale; readonly utc: boolean }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'list'; readonly element: ParquetKind }
  | { readonly kind: 'struct'; readonly fields: readonly { readonly name: string; readonly kind: ParquetKind }[] };

export interface ParquetColumns {
  readonly columns: readonly { readonly name: string; readonly kind: ParquetKind }[];
  /** One object per row, by top-level column name; null or undefined for a null. */
  readonly rows: readonly Record<string, unknown>[];
}

export async function readParquet(bytes: Uint8Array): Promise<ParquetColumns> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(file, { geoparquet: false });
  } catch (error) {
    throw new ParquetError(`its footer cannot be read: ${messageOf(error)}`);
  }
  const root = tree(metadata.schema);
  const columns = root.children.map((node) => ({ name: node.element.name, kind: kindOf(node, 1) }));
  const count = Number(metadata.num_rows);
  const leaves = metadata.schema.filter((e) => !e.num_children).length;
  if (count * Math.max(1, leaves) > MAX_PARQUET_VALUES) {
    throw new ParquetError(`it claims ${count} rows of ${leaves} columns, more than a seed may hold (${MAX_PARQUET_VALUES} values)`);
  }
  // The reader is given the schema without leaf annotations, so it returns raw physical values
  // (INT64 as bigint, DECIMAL unscaled, DATE as days, strings as bytes) that it would otherwise
  // turn into lossy JS numbers and Dates; the annotations of groups (LIST, MAP) stay.
  const raw = metadata.schema.map((e) => (e.num_children ? e : { ...e, converted_type: undefined, logical_type: undefined }));
  try {
    const rows = await parquetReadObjects({
      file,
      compressors,
      metadata: { ...metadata, schema: raw as SchemaElement[] },
      utf8: false,
      geoparquet: false,
      parsers: { timestampFromNanoseconds: (nanos: bigint) => nanos }, // INT96: its nanoseconds
    });
    return { columns, rows };
  } catch (error) {
    throw new ParquetError(messageOf(error));
  }
}

interface SchemaNode {
  readonly element: SchemaElement;
  readonly children: readonly SchemaNode[];
}

/** The flat, depth-first schema list as a tree. */
function tree(schema: readonly SchemaElement[]): SchemaNode {
  let at = 0;
  const next = (depth: number): SchemaNode => {
    const element = schema[at++];
    if (!element) throw new ParquetError('its schema is truncated');
    if (depth > MAX_PARQUET_DEPTH) throw new ParquetError(`it nests columns more than ${MAX_PARQUET_DEPTH} levels deep`);
    const children: SchemaNode[] = [];
    for (let i = 0; i < (element.num_children ?? 0); i++) children.push(next(depth + 1));
    return { element, children };
  };
  return next(0);
}

function kindOf(node: SchemaNode, depth: number): ParquetKind {
  const { element } = node;
  // A repeated field outside a LIST annotation is the legacy list form: a list of it.
  if (element.repetition_type === 'REPEATED') return { kind: 'list', element: plainKind(node, depth) };
  return plainKind(node, depth);
}

function plainKind(node: SchemaNode, depth: number): ParquetKind {
  const { element, children } = node;
  const annotation = element.logical_type?.type ?? element.converted_type;
  if (children.length === 0) return leafKind(element);
  if (annotation === 'LIST') {
    const repeated = children[0];
    if (children.length !== 1 || !repeated) throw new ParquetError(`LIST column "${element.name}" does not have one repeated child`);
    // Backward-compatibility rules of the Parquet spec: the repeated group is itself the element
    // when it has several fields or is named "array" / "<list>_tuple".
    const only = repeated.children[0];
    const isElement =
      repeated.children.length !== 1 || repeated.element.name === 'array' || repeated.element.name === `${element.name}_tuple`;
    const item = isElement || !only ? { ...repeated, element: { ...repeated.element, repetition_type: 'OPTIONAL' as const } } : only;
    return { kind: 'list', element: kindOf(item, depth + 1) };
  }
  if (annotation === 'MAP' || annotation === 'MAP_KEY_VALUE') {
    throw new ParquetError(`MAP column "${element.name}" is not supported yet; store it as a LIST of STRUCT(key, value)`);
  }
  return { kind: 'struct', fields: children.map((child) => ({ name: child.element.name, kind: kindOf(child, depth + 1) })) };
}

/** A leaf column's Arrow kind from its physical type and its logical (or legacy converted) type. */
function leafKind(element: SchemaElement): ParquetKind {
  const logical = element.logical_type;
  const converted = element.converted_type;
  const decimal = logical?.type === 'DECIMAL' ? logical : converted === 'DECIMAL' ? element : undefined;
  if (decimal) {
    const precision = decimal.precision ?? 0;
    // DuckDB's DECIMAL holds at most 38 digits (native DuckDB falls back to DOUBLE): refused
    // rather than rounded, so that a seed never silently loses digits.
    if (precision > 38) throw new ParquetError(`column "${element.name}" is DECIMAL(${precision}), wider than DuckDB's 38 digits`);
    return { kind: 'decimal', precision, scale: decimal.scale ?? 0 };
  }
  switch (element.type) {
    case 'BOOLEAN':
      return { kind: 'bool' };
    case 'FLOAT':
      return { kind: 'float32' };
    case 'DOUBLE':
      return { kind: 'float64' };
    case 'INT96':
      return { kind: 'timestamp', unit: 'us', scale: -1, utc: false };
    case 'INT32':
    case 'INT64':
      return integerKind(element);
    case 'BYTE_ARRAY':
      if (logical?.type === 'STRING' || logical?.type === 'ENUM' || logical?.type === 'JSON') return { kind: 'utf8' };
      return converted === 'UTF8' || converted === 'ENUM' || converted === 'JSON' ? { kind: 'utf8' } : { kind: 'binary' };
    case 'FIXED_LEN_BYTE_ARRAY':
      if (logical?.type === 'UUID') return { kind: 'uuid' };
      if (logical?.type === 'FLOAT16') throw new ParquetError(`column "${element.name}" is FLOAT16, which is not supported yet`);
      if (converted === 'INTERVAL') throw new ParquetError(`column "${element.name}" is an INTERVAL, which is not supported yet`);
      return { kind: 'binary' };
    default:
      throw new ParquetError(`column "${element.name}" has an unknown physical type`);
  }
}

const UNIT_SCALE = { MILLIS: 1, MICROS: 0, NANOS: -1 } as const;

function integerKind(element: SchemaElement): ParquetKind {
  const logical = element.logical_type;
  const converted = element.converted_type;
  const wide = element.type === 'INT64';
  if (logical?.type === 'DATE' || converted === 'DATE') return { kind: 'date' };
  if (logical?.type === 'TIMESTAMP') {
    // Native DuckDB reads MILLIS and MICROS as TIMESTAMP (µs) and NANOS as TIMESTAMP_NS.
    const nanos = logical.unit === 'NANOS';
    return { kind: 'timestamp', unit: nanos ? 'ns' : 'us', scale: nanos ? 0 : UNIT_SCALE[logical.unit], utc: logical.isAdjustedToUTC };
  }
  if (converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS') {
    return { kind: 'timestamp', unit: 'us', scale: converted === 'TIMESTAMP_MILLIS' ? 1 : 0, utc: false };
  }
  if (logical?.type === 'TIME') return { kind: 'time', scale: UNIT_SCALE[logical.unit] };
  if (converted === 'TIME_MILLIS' || converted === 'TIME_MICROS') return { kind: 'time', scale: converted === 'TIME_MILLIS' ? 1 : 0 };
  if (logical?.type === 'INTEGER') return { kind: 'int', bits: logical.bitWidth as 8 | 16 | 32 | 64, signed: logical.isSigned };
  const legacy = /^(U?)INT_(8|16|32|64)$/.exec(converted ?? '');
  if (legacy) return { kind: 'int', bits: Number(legacy[2]) as 8 | 16 | 32 | 64, signed: legacy[1] === '' };
  return { kind: 'int', bits: wide ? 64 : 32, signed: true };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
