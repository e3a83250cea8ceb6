import { Bool, Float64, makeData, makeVector, Table, tableToIPC, Utf8, type Vector } from 'apache-arrow';

/**
 * Generated columns (JS arrays of numbers, strings, booleans and nulls) as an Arrow IPC
 * stream, built column by column straight into typed arrays. Row objects and Arrow's
 * builders (what tableFromJSON uses) cost 4–10× more on the bench's lineitem source, and
 * the builders compile code with `new Function`, which the app's CSP forbids.
 *
 * Types: a column of numbers is DOUBLE, of booleans BOOLEAN, anything else (strings,
 * mixtures, only nulls) VARCHAR — the types tableFromJSON inferred before.
 */
export function columnsToIpc(names: readonly string[], columns: readonly (readonly (string | number | boolean | null)[])[]): Uint8Array {
  const vectors: Record<string, Vector> = {};
  names.forEach((name, i) => {
    vectors[name] = columnVector(columns[i] ?? []);
  });
  return tableToIPC(new Table(vectors), 'stream');
}

function columnVector(values: readonly (string | number | boolean | null)[]): Vector {
  const length = values.length;
  let kind: 'number' | 'boolean' | 'string' | undefined;
  for (const value of values) {
    if (value === null) continue;
    const type = typeof value as 'number' | 'boolean' | 'string';
    if (kind === undefined) kind = type;
    else if (kind !== type) {
      kind = 'string';
      break;
    }
  }
  const { nullBitmap, nullCount } = validity(values);
  if (kind === 'number') {
    const data = new Float64Array(length);
    for (let i = 0; i < length; i++) data[i] = (values[i] as number | null) ?? 0;
    return makeVector(makeData({ type: new Float64(), length, nullCount, nullBitmap, data }));
  }
  if (kind === 'boolean') {
    const data = new Uint8Array((length + 7) >> 3);
    for (let i = 0; i < length; i++) if (values[i] === true) data[i >> 3] = (data[i >> 3] ?? 0) | (1 << (i & 7));
    return makeVector(makeData({ type: new Bool(), length, nullCount, nullBitmap, data }));
  }
  const encoder = new TextEncoder();
  const valueOffsets = new Int32Array(length + 1);
  let bytes = new Uint8Array(Math.max(64, length * 16));
  let used = 0;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (value !== null && value !== undefined) {
      const text = String(value);
      const n = text.length;
      // UTF-8 needs at most 3 bytes per UTF-16 unit.
      if (used + n * 3 > bytes.length) {
        const grown = new Uint8Array(Math.max(bytes.length * 2, used + n * 3));
        grown.set(bytes.subarray(0, used));
        bytes = grown;
      }
      // ASCII, as generated values nearly always are, is its own UTF-8: copied code by code,
      // 4–6× faster than an encodeInto call per value. Anything else goes to the encoder.
      let j = 0;
      while (j < n) {
        const code = text.charCodeAt(j);
        if (code > 0x7f) break;
        bytes[used + j] = code;
        j++;
      }
      used += j === n ? n : encoder.encodeInto(text, bytes.subarray(used)).written;
    }
    valueOffsets[i + 1] = used;
  }
  return makeVector(makeData({ type: new Utf8(), length, nullCount, nullBitmap, valueOffsets, data: bytes.subarray(0, used) }));
}

/** An Arrow validity bitmap for `values` (null and undefined are null); empty when none is. */
export function validity(values: readonly unknown[]): { nullBitmap: Uint8Array; nullCount: number } {
  let nullCount = 0;
  for (const value of values) if (value === null || value === undefined) nullCount++;
  if (nullCount === 0) return { nullBitmap: new Uint8Array(0), nullCount };
  const nullBitmap = new Uint8Array((values.length + 7) >> 3);
  values.forEach((value, i) => {
    if (value !== null && value !== undefined) nullBitmap[i >> 3] = (nullBitmap[i >> 3] ?? 0) | (1 << (i & 7));
  });
  return { nullBitmap, nullCount };
}
