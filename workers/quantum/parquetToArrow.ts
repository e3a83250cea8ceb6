import { Field, makeData, RecordBatch, Schema, Struct, Table, tableToIPC } from 'apache-arrow';
import { readParquet } from '../../core/parquet/readParquet.ts';
import { arrowData, arrowType } from './arrowData.ts';

export { MAX_PARQUET_DEPTH, MAX_PARQUET_VALUES, ParquetError } from '../../core/parquet/readParquet.ts';

/**
 * A Parquet file as an Arrow IPC stream whose column types are the file's own: hyparquet
 * (pure JS; DuckDB's Parquet reader is an extension the offline build lacks) decodes the raw
 * physical values (core/parquet/readParquet.ts, which the dbt export reads files with too),
 * and each column is rebuilt as the Arrow type of its physical and logical type — the type
 * native DuckDB gives the same column (ARCHITECTURE "Seed types").
 * Throws ParquetError with a reason that names no file: the caller adds it.
 */
export async function parquetToIpc(bytes: Uint8Array): Promise<{ ipc: Uint8Array; rows: number }> {
  const { columns, rows: objects } = await readParquet(bytes);
  const fields = columns.map((c) => new Field(c.name, arrowType(c.kind), true));
  const children = columns.map((c) =>
    arrowData(
      c.kind,
      objects.map((row) => row[c.name]),
    ),
  );
  const schema = new Schema(fields);
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: objects.length, nullCount: 0, children }));
  return { ipc: tableToIPC(new Table(schema, [batch]), 'stream'), rows: objects.length };
}
