/*
 * The rows of an imported text file, read the way DuckDB reads it at run time (CSV with a
 * header line, or JSON lines), so that a file the import accepts also loads in its quantum.
 * Pure: bytes in, rows out; a problem is an ImportError with its line.
 */

/** A file that cannot be imported, with where (1-based line, when there is one). */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${reason}`);
  }
}

/** A cell as read: text (CSV), a JSON value (JSON lines), null when empty or absent. */
export type Cell = string | number | boolean | null | object;

export interface ParsedTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

export function decodeText(file: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new ImportError(file, 'it is not UTF-8 text (save it as UTF-8 CSV or JSON lines)');
  }
}

/** The delimiter of the header line: the most frequent of comma, semicolon, tab outside quotes. */
function delimiterOf(text: string): string {
  const end = text.indexOf('\n');
  const first = (end < 0 ? text : text.slice(0, end)).replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => [d, first.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

/** RFC 4180 CSV: quoted fields ("" is a quote, newlines allowed inside), a header line, every row as wide as it. */
export function parseCsv(file: string, text: string): ParsedTable {
  const delimiter = delimiterOf(text);
  const records: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  const endField = (): void => {
    cells.push(field);
    field = '';
    wasQuoted = false;
  };
  const endRecord = (): void => {
    endField();
    if (!(cells.length === 1 && cells[0] === '')) records.push({ cells, line: recordLine });
    cells = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"') {
      if (field !== '' || wasQuoted)
        throw new ImportError(file, 'a quote inside an unquoted field (quote the whole field and double the quote)', line);
      quoted = true;
      wasQuoted = true;
      quoteLine = line;
    } else if (ch === delimiter) {
      endField();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      if (wasQuoted) throw new ImportError(file, 'text after a closing quote (a field is either quoted whole or not at all)', line);
      field += ch;
    }
  }
  if (quoted) throw new ImportError(file, 'a quoted field is never closed', quoteLine);
  if (field !== '' || cells.length > 0 || wasQuoted) endRecord();
  const [head, ...body] = records;
  if (!head) throw new ImportError(file, 'it is empty: a CSV file needs a header line naming its columns');
  const header = head.cells.map((h) => h.trim());
  header.forEach((h, i) => {
    if (h === '') throw new ImportError(file, `column ${i + 1} of the header has no name`, head.line);
  });
  const rows = body.map(({ cells: row, line: at }) => {
    if (row.length !== header.length) {
      throw new ImportError(file, `this row has ${row.length} fields, the header names ${header.length}`, at);
    }
    return row.map((c) => (c === '' ? null : c));
  });
  return { header, rows };
}

/** JSON lines: one object per line; the columns are every key, in the order they first appear. */
export function parseJsonLines(file: string, text: string): ParsedTable {
  const objects: Record<string, unknown>[] = [];
  const header: string[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((raw, i) => {
    const lineText = raw.trim();
    if (lineText === '') return;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (error) {
      throw new ImportError(file, `not JSON: ${error instanceof Error ? error.message : String(error)}`, i + 1);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ImportError(file, 'each line must be one JSON object ({"column": value, …})', i + 1);
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        header.push(key);
      }
    }
    objects.push(record);
  });
  if (objects.length === 0) throw new ImportError(file, 'it holds no JSON object');
  const rows = objects.map((o) => header.map((key) => cellOf(o[key])));
  return { header, rows };
}

function cellOf(value: unknown): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'object') return value;
  return String(value);
}
