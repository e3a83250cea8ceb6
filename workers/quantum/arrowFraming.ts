import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { tableFromIPC, tableToIPC } from 'apache-arrow';

/**
 * A query's result as Arrow IPC *stream* bytes. DuckDB returns the IPC *file* format,
 * which insertArrowFromIPCStream silently ignores, so it is re-framed as a stream. (The
 * Table that connection.query returns cannot be used instead: the Node build of
 * duckdb-wasm bundles its own copy of Arrow, which the apache-arrow package does not
 * recognise, and tableToIPC writes nothing for it.)
 */
export function queryIpc(connection: DuckDBConnection, sql: string): Uint8Array {
  const file = connection.useUnsafe((bindings, id) => bindings.runQuery(id, sql));
  return fileToStream(file) ?? tableToIPC(tableFromIPC(file), 'stream');
}

const ARROW_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
const END_OF_STREAM = [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0];

/**
 * An Arrow IPC file re-framed as a stream without decoding it: a file is "ARROW1" + 2
 * padding bytes, the stream's messages, a footer, the footer's length (int32) and
 * "ARROW1" again. The messages are kept and an end-of-stream marker is added if the file
 * has none. Undefined when the bytes do not have that shape (the caller decodes instead).
 */
export function fileToStream(file: Uint8Array): Uint8Array | undefined {
  const n = file.byteLength;
  const magicAt = (at: number): boolean => ARROW_MAGIC.every((byte, i) => file[at + i] === byte);
  if (n < 18 || !magicAt(0) || !magicAt(n - 6)) return undefined;
  const footerLength = new DataView(file.buffer, file.byteOffset + n - 10, 4).getInt32(0, true);
  const end = n - 10 - footerLength;
  if (footerLength <= 0 || end < 8) return undefined;
  const body = file.subarray(8, end);
  const hasEos = body.byteLength >= 8 && END_OF_STREAM.every((byte, i) => body[body.byteLength - 8 + i] === byte);
  // DuckDB's files end their messages with the marker (and each result is a buffer of its
  // own): the stream is a view of the file, not a copy — a lineage edge's bytes are copied
  // once less. Transferring it hands on the file's few header and footer bytes too.
  if (hasEos) return body;
  const stream = new Uint8Array(body.byteLength + 8);
  stream.set(body);
  stream.set(END_OF_STREAM, body.byteLength);
  return stream;
}
