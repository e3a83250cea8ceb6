import { parquetMetadata, parquetReadObjects, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { blueprintFiles, BLUEPRINT_VERSION, ID_PATTERN, portName, uniqueName } from '../blueprints/blueprints.ts';
import { yamlText } from '../blueprints/skeletons.ts';
import { quantumServer } from '../contracts/quantumServer.ts';
import { joinPath } from '../fs/meshFileSystem.ts';
import { CONTRACT_SUFFIX, PRODUCT_FILE, SETTINGS_FILE, TRANSFORM_FILE } from '../load/readMeshFiles.ts';
import { EditError } from '../model/editError.ts';
import type { Mesh, TextSourceFile } from '../model/types.ts';
import { parseYaml, type YamlSourceFile } from '../yaml/sourceFile.ts';
import { PHYSICAL_TYPES, type ImportType } from './inferTypes.ts';
import { CsvScanner, ImportError, JsonLinesScanner, type Cell, type TableScanner } from './parseTable.ts';

export { ImportError };

/** Above this a file is imported with a warning: it is kept in memory and in the saved mesh. */
export const WARN_BYTES = 50 * 1024 * 1024;
/** Above this a file is refused: a browser tab holds it several times over while it runs. */
export const MAX_BYTES = 200 * 1024 * 1024;
export const PREVIEW_ROWS = 20;

export type ImportFormat = 'csv' | 'jsonl' | 'parquet';

export interface ImportColumn {
  /** The column as the file names it (what the source table has). */
  readonly source: string;
  /** The column of the product's contract: snake_case. */
  readonly name: string;
  readonly type: ImportType;
  readonly nulls: number;
}

/** What the import dialog shows before anything is written. */
export interface ImportAnalysis {
  /** The data file's name under data/: the user's file name made safe. */
  readonly fileName: string;
  readonly format: ImportFormat;
  /** A product id proposed from the file name. */
  readonly productId: string;
  readonly columns: readonly ImportColumn[];
  readonly rows: number;
  /** The first rows, as text (null: no value). */
  readonly preview: readonly (readonly (string | null)[])[];
  readonly warnings: readonly string[];
  readonly bytes: Uint8Array;
}

function formatOf(name: string): ImportFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.tsv') || lower.endsWith('.txt')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson') || lower.endsWith('.json')) return 'jsonl';
  if (lower.endsWith('.parquet')) return 'parquet';
  return undefined;
}

/** `../My Orders (2026).CSV` → `my-orders-2026.csv`: no folder, no leading dot, nothing but [a-z0-9._-]. */
export function safeFileName(name: string, format: ImportFormat): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.[^.]*$/, '');
  const clean = stem
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${clean || 'data'}.${format}`;
}

/** A product id from a file name: `2026 Orders.csv` → `orders-2026`… kebab-case starting with a letter. */
export function productIdOf(fileName: string): string {
  const stem = fileName.replace(/\.[^.]*$/, '');
  const id = stem
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return ID_PATTERN.test(id) ? id : `imported-${id.replace(/^-+/, '')}`.replace(/-+$/, '') || 'imported-data';
}

/** `Order Date` → `order_date`; unique among the columns. */
function columnNames(header: readonly string[]): string[] {
  const taken = new Set<string>();
  return header.map((h) => {
    let name = h
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '');
    if (!/^[a-z_]/.test(name)) name = `c_${name}`;
    const unique = uniqueName(name, taken);
    taken.add(unique);
    return unique;
  });
}

function display(cell: Cell): string | null {
  if (cell === null) return null;
  if (typeof cell === 'object') return JSON.stringify(cell, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(cell);
}

/** What every read of a file shares: its name checked, its size checked before a byte is read. */
interface ReadStart {
  readonly label: string;
  readonly format: ImportFormat;
  readonly fileName: string;
  readonly warnings: string[];
}

function startRead(name: string, size: number): ReadStart {
  const format = formatOf(name);
  const label = name.split(/[\\/]/).pop() ?? name;
  if (!format) throw new ImportError(label, 'Quanta imports CSV (.csv), JSON lines (.jsonl, .ndjson) and Parquet (.parquet) files');
  if (size > MAX_BYTES) {
    throw new ImportError(
      label,
      `it is ${megabytes(size)}; files above ${megabytes(MAX_BYTES)} cannot be imported (a quantum holds its data in memory)`,
    );
  }
  const warnings =
    size > WARN_BYTES
      ? [`${label} is ${megabytes(size)}: large; the quantum holds it in memory and the mesh saves it, so runs and saves take longer`]
      : [];
  return { label, format, fileName: safeFileName(name, format), warnings };
}

/**
 * A file read piece by piece (the import worker's stream, or all of it at once): its bytes are
 * copied once into the data file's buffer, and a text file is decoded and scanned as it
 * arrives (parseTable.ts), so it is never held as a whole string or as rows.
 */
export class ImportReader {
  readonly #start: ReadStart;
  readonly #bytes: Uint8Array;
  #read = 0;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  readonly #scanner: TableScanner | undefined;

  /** Throws ImportError for a file of an unknown kind or above MAX_BYTES, before anything is read. */
  constructor(name: string, size: number) {
    this.#start = startRead(name, size);
    this.#bytes = new Uint8Array(size);
    const { format, label } = this.#start;
    this.#scanner =
      format === 'csv' ? new CsvScanner(label, PREVIEW_ROWS) : format === 'jsonl' ? new JsonLinesScanner(label, PREVIEW_ROWS) : undefined;
  }

  /** Bytes read so far. */
  get bytesRead(): number {
    return this.#read;
  }

  push(chunk: Uint8Array): void {
    if (this.#read + chunk.byteLength > this.#bytes.byteLength)
      throw new ImportError(this.#start.label, 'it grew while it was being read; import it again once it is complete');
    this.#bytes.set(chunk, this.#read);
    this.#read += chunk.byteLength;
    if (this.#scanner) this.#scanner.push(this.#decode(chunk, true));
  }

  /** The analysis; a Parquet file's schema only (`finishWithPreview` reads its first rows too). */
  finish(): ImportAnalysis {
    const { label, format, fileName, warnings } = this.#start;
    const bytes = this.#read === this.#bytes.byteLength ? this.#bytes : this.#bytes.slice(0, this.#read);
    const base = { fileName, format, productId: productIdOf(fileName), warnings, bytes };
    if (!this.#scanner) return { ...base, ...parquetColumns(label, bytes) };
    this.#scanner.push(this.#decode(new Uint8Array(0), false));
    const scan = this.#scanner.end();
    const names = columnNames(scan.header);
    const columns = scan.header.map((source, i) => ({
      source,
      name: names[i] ?? source,
      type: scan.columns[i]?.type ?? 'string',
      nulls: scan.columns[i]?.nulls ?? 0,
    }));
    return { ...base, columns, rows: scan.rows, preview: scan.preview.map((row) => row.map((cell) => display(cell))) };
  }

  /** The analysis with a Parquet file's first rows (hyparquet reads them asynchronously). */
  async finishWithPreview(): Promise<ImportAnalysis> {
    const analysis = this.finish();
    if (analysis.format !== 'parquet') return analysis;
    try {
      return { ...analysis, preview: await parquetPreview(analysis) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        ...analysis,
        warnings: [...analysis.warnings, `Its first rows cannot be shown (${reason}); its columns are from its schema.`],
      };
    }
  }

  #decode(chunk: Uint8Array, stream: boolean): string {
    try {
      const text = this.#decoder.decode(chunk, { stream });
      return text;
    } catch {
      throw new ImportError(this.#start.label, 'it is not UTF-8 text (save it as UTF-8 CSV or JSON lines)', this.#scanner?.line);
    }
  }
}

/** Reads a file the user picked or dropped, all of it at once; throws ImportError (file, line, column) for anything it cannot import. */
export function analyzeImport(name: string, bytes: Uint8Array): ImportAnalysis {
  const reader = new ImportReader(name, bytes.byteLength);
  reader.push(bytes);
  return reader.finish();
}

/**
 * Reads a file as it streams in (the import worker: `chunks` from File.stream()), reporting
 * the bytes read after each chunk; a Parquet file's preview has its first rows.
 */
export async function analyzeStream(
  name: string,
  size: number,
  chunks: AsyncIterable<Uint8Array>,
  onProgress?: (bytesRead: number) => void,
): Promise<ImportAnalysis> {
  const reader = new ImportReader(name, size);
  for await (const chunk of chunks) {
    reader.push(chunk);
    onProgress?.(reader.bytesRead);
  }
  return reader.finishWithPreview();
}

function parquetBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function parquetColumns(file: string, bytes: Uint8Array): Pick<ImportAnalysis, 'columns' | 'rows' | 'preview'> {
  const buffer = parquetBuffer(bytes);
  let schema: SchemaElement[];
  let rows: number;
  try {
    const metadata = parquetMetadata(buffer, { geoparquet: false });
    schema = metadata.schema;
    rows = Number(metadata.num_rows);
  } catch (error) {
    throw new ImportError(file, `it is not a Parquet file that can be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Top-level columns: the root's children, skipping each group's descendants.
  const top: SchemaElement[] = [];
  let i = 1;
  const skip = (at: number): number => {
    const element = schema[at];
    let next = at + 1;
    for (let c = 0; c < (element?.num_children ?? 0); c++) next = skip(next);
    return next;
  };
  while (i < schema.length) {
    const element = schema[i];
    if (element) top.push(element);
    i = skip(i);
  }
  const names = columnNames(top.map((e) => e.name));
  const columns = top.map((element, n) => ({ source: element.name, name: names[n] ?? element.name, type: parquetType(element), nulls: 0 }));
  return { columns, rows, preview: [] };
}

/** The first PREVIEW_ROWS rows of a Parquet file, as text (a date as YYYY-MM-DD, a timestamp in ISO 8601, bytes counted). */
async function parquetPreview(analysis: ImportAnalysis): Promise<(string | null)[][]> {
  const rows = await parquetReadObjects({
    file: parquetBuffer(analysis.bytes),
    compressors,
    rowEnd: Math.min(PREVIEW_ROWS, analysis.rows),
    geoparquet: false,
  });
  return rows.map((row: Record<string, unknown>) =>
    analysis.columns.map((column) => {
      const value = row[column.source];
      if (value === undefined || value === null) return null;
      if (value instanceof Date)
        return column.type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString().replace('.000Z', 'Z');
      if (value instanceof Uint8Array) return `(${value.byteLength} bytes)`;
      return display(value as Cell);
    }),
  );
}

function parquetType(e: SchemaElement): ImportType {
  if (e.num_children) return 'string';
  const logical = e.logical_type?.type;
  const converted = e.converted_type;
  if (logical === 'DATE' || converted === 'DATE') return 'date';
  if (logical === 'TIMESTAMP' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS' || e.type === 'INT96')
    return 'timestamp';
  if (logical === 'DECIMAL' || converted === 'DECIMAL') return 'number';
  if (logical === 'STRING' || converted === 'UTF8' || logical === 'JSON' || logical === 'UUID') return 'string';
  if (e.type === 'BOOLEAN') return 'boolean';
  if (e.type === 'INT32' || e.type === 'INT64') return 'integer';
  if (e.type === 'FLOAT' || e.type === 'DOUBLE') return 'number';
  return 'string';
}

/** Every name quoted: a column from a file may be any word DuckDB reserves (`at`, `order`, `from`). */
function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export interface ImportRequest {
  readonly analysis: ImportAnalysis;
  readonly domain: string;
  readonly id: string;
  readonly name: string;
  /** Types the user chose in the preview, by column name; the inferred ones otherwise. */
  readonly types?: Readonly<Record<string, ImportType>>;
}

/** The new product: its text files (for the document) and its data file (seed bytes), all or nothing. */
export interface ImportedProduct {
  readonly files: Map<string, YamlSourceFile | TextSourceFile>;
  readonly seeds: Map<string, Uint8Array>;
}

/**
 * A source-aligned product over an imported file: the blueprint's product.odps.yaml, a
 * quanta.yaml whose source is `file: data/<file>`, a contract with the columns as inferred
 * and a transform.sql that casts each column into its contract type. Throws EditError.
 */
export function importedProduct(mesh: Mesh, request: ImportRequest): ImportedProduct {
  const { analysis, id, domain } = request;
  const files = blueprintFiles({ domain, id, name: request.name, archetype: 'source-aligned' }, mesh);
  const productPath = [...files.keys()].find((p) => p.endsWith(`/${PRODUCT_FILE}`));
  const dir = productPath?.slice(0, -PRODUCT_FILE.length - 1);
  if (dir === undefined) throw new EditError(`product ${id} could not be laid out`);
  if (analysis.columns.length === 0) throw new EditError(`${analysis.fileName} has no columns to import`);
  const port = portName(id);
  const source = uniqueName(`${port}_${analysis.format}`, new Set([port]));
  const typeOf = (c: ImportColumn): ImportType => request.types?.[c.name] ?? c.type;
  const oldContract = [...files.keys()].find((p) => p.endsWith(CONTRACT_SUFFIX));
  const contractFile = oldContract ? files.get(oldContract) : undefined;
  const contractId =
    contractFile && 'value' in contractFile ? String((contractFile.value as Record<string, unknown>)['id']) : `${id}.${port}`;
  for (const path of files.keys()) if (path !== productPath) files.delete(path);

  const add = (file: string, text: string): void => {
    const path = joinPath(dir, file);
    files.set(path, file.endsWith('.yaml') ? parseYaml(path, text) : { path, text });
  };
  const dataPath = `data/${analysis.fileName}`;
  add(
    SETTINGS_FILE,
    yamlText(`Quanta's runtime settings of ${id}: its data is the imported file ${dataPath}.`, {
      apiVersion: 'quanta/v1',
      kind: 'QuantumSettings',
      archetype: 'source-aligned',
      sources: [{ name: source, description: `Imported from ${analysis.fileName}.`, file: dataPath }],
      schedule: { every: '1d' },
    }),
  );
  const timestamp = analysis.columns.find((c) => typeOf(c) === 'timestamp');
  add(
    `${port}${CONTRACT_SUFFIX}`,
    yamlText(`The contract of output port ${port} of ${id}, inferred from ${analysis.fileName}: tighten it.`, {
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: contractId,
      name: port,
      version: BLUEPRINT_VERSION,
      status: 'draft',
      domain,
      dataProduct: id,
      description: { purpose: `${request.name.trim()}, imported from ${analysis.fileName}.` },
      servers: [quantumServer(id)],
      schema: [
        {
          name: port,
          physicalType: 'table',
          properties: analysis.columns.map((c) => ({
            name: c.name,
            logicalType: typeOf(c),
            physicalType: PHYSICAL_TYPES[typeOf(c)],
            ...(c.nulls === 0 && analysis.format !== 'parquet' ? { required: true } : {}),
          })),
          quality: [{ metric: 'rowCount', mustBeGreaterThan: 0, description: 'The imported file has rows.', severity: 'error' }],
        },
      ],
      ...(timestamp ? { slaProperties: [{ property: 'latency', value: 1, unit: 'd', element: `${port}.${timestamp.name}` }] } : {}),
    }),
  );
  add(
    TRANSFORM_FILE,
    `-- The output port \`${port}\` is the result of this query.
-- \`${source}\` is ${dataPath}, declared in quanta.yaml; each column is cast into its contract type.
SELECT
${analysis.columns.map((c) => `  CAST(${quoted(c.source)} AS ${PHYSICAL_TYPES[typeOf(c)]}) AS ${quoted(c.name)}`).join(',\n')}
FROM ${quoted(source)}
`,
  );
  return { files, seeds: new Map([[joinPath(dir, dataPath), analysis.bytes]]) };
}
