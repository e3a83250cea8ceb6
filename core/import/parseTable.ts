import { ColumnInference, type Cell, type InferredColumn } from './inferTypes.ts';

/*
 * The rows of an imported text file, read the way DuckDB reads it at run time (CSV with a
 * header line, or JSON lines), so that a file the import accepts also loads in its quantum.
 * A scanner takes the text in chunks of any size (the import worker feeds it as the file
 * streams in): it infers the column types as the rows pass, keeps the first rows for the
 * preview and nothing else, so a file is never held as text and as rows at once. A problem
 * is an ImportError with its line and column.
 */

/** A file that cannot be imported, with where (1-based line and column, when there is one). */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}${column === undefined ? '' : `:${column}`}`}: ${reason}`);
  }
}

export type { Cell } from './inferTypes.ts';

/** More columns than a preview can show or a person can map: refused, not drawn. */
export const MAX_COLUMNS = 1000;

/** What a scan found: the header, every row counted and inferred, the first rows kept. */
export interface TableScan {
  readonly header: readonly string[];
  readonly rows: number;
  readonly columns: readonly InferredColumn[];
  /** The first rows, each as wide as the header. */
  readonly preview: readonly (readonly Cell[])[];
}

export interface TableScanner {
  /** The next piece of the file's text (any size; a chunk may end anywhere, even inside a quoted field). */
  push(text: string): void;
  /** The end of the file: the scan, or an ImportError. */
  end(): TableScan;
  /** The line being read (for an error found outside the scanner, such as a byte that is not UTF-8). */
  readonly line: number;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

interface Place {
  readonly line: number;
  readonly column: number;
}

/** RFC 4180 CSV: quoted fields ("" is a quote, newlines allowed inside), a header line, every row as wide as it. */
export class CsvScanner implements TableScanner {
  readonly #file: string;
  readonly #previewRows: number;
  /** The text before the header line ends: the delimiter is chosen from it. */
  #head = '';
  #delimiter: string | undefined;
  #cells: string[] = [];
  #starts: Place[] = [];
  #field = '';
  #fieldStart: Place = { line: 1, column: 1 };
  /** 'quote' is a quote read inside a quoted field: the field's end, or the first of a doubled quote. */
  #state: 'plain' | 'quoted' | 'quote' = 'plain';
  #wasQuoted = false;
  #skipLf = false;
  #line = 1;
  #column = 0;
  #quoteAt: Place = { line: 1, column: 1 };
  #header: string[] | undefined;
  readonly #inference = new ColumnInference();
  readonly #preview: Cell[][] = [];

  constructor(file: string, previewRows: number) {
    this.#file = file;
    this.#previewRows = previewRows;
  }

  get line(): number {
    return this.#line;
  }

  push(text: string): void {
    if (this.#delimiter === undefined) {
      this.#head += text;
      if (!this.#head.includes('\n')) return;
      this.#startBody();
      return;
    }
    this.#scan(text);
  }

  end(): TableScan {
    if (this.#delimiter === undefined) this.#startBody();
    if (this.#state === 'quoted') throw this.#error('a quoted field is never closed', this.#quoteAt);
    if (this.#field !== '' || this.#cells.length > 0 || this.#wasQuoted) this.#endRecord({ line: this.#line, column: this.#column + 1 });
    const header = this.#header;
    if (!header) throw new ImportError(this.#file, 'it is empty: a CSV file needs a header line naming its columns');
    return { header, rows: this.#inference.rows, columns: this.#inference.result(), preview: this.#preview };
  }

  #startBody(): void {
    const head = this.#head.replace(/^\uFEFF/, '');
    this.#head = '';
    this.#delimiter = delimiterOf(head);
    this.#scan(head);
  }

  /** The CSV state machine over one chunk; runs of plain or quoted text are taken whole (a slice each, not a character each). */
  #scan(text: string): void {
    const delimiter = (this.#delimiter ?? ',').charCodeAt(0);
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (this.#skipLf) {
        this.#skipLf = false;
        if (text.charCodeAt(i) === LF) {
          i++;
          continue;
        }
      }
      if (this.#state === 'quoted') {
        const quote = text.indexOf('"', i);
        const end = quote < 0 ? n : quote;
        let from = i;
        for (let nl = text.indexOf('\n', from); nl >= 0 && nl < end; nl = text.indexOf('\n', from)) {
          this.#newLine();
          from = nl + 1;
        }
        this.#column += end - from;
        this.#field += text.slice(i, end);
        if (quote < 0) return;
        this.#column++;
        this.#state = 'quote';
        i = quote + 1;
        continue;
      }
      const ch = text.charCodeAt(i);
      if (this.#state === 'quote') {
        if (ch === QUOTE) {
          this.#column++;
          this.#field += '"';
          this.#state = 'quoted';
          i++;
          continue;
        }
        this.#state = 'plain';
      }
      if (ch !== QUOTE && ch !== delimiter && ch !== LF && ch !== CR) {
        let j = i + 1;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === QUOTE || c === delimiter || c === LF || c === CR) break;
          j++;
        }
        if (this.#wasQuoted)
          throw this.#error('text after a closing quote (a field is either quoted whole or not at all)', {
            line: this.#line,
            column: this.#column + 1,
          });
        this.#field += text.slice(i, j);
        this.#column += j - i;
        i = j;
        continue;
      }
      this.#column++;
      i++;
      if (ch === QUOTE) {
        if (this.#field !== '' || this.#wasQuoted)
          throw this.#error('a quote inside an unquoted field (quote the whole field and double the quote)', this.#here());
        this.#state = 'quoted';
        this.#wasQuoted = true;
        this.#quoteAt = this.#here();
      } else if (ch === delimiter) {
        this.#endField();
        this.#fieldStart = { line: this.#line, column: this.#column + 1 };
      } else {
        this.#endRecord(this.#here());
        if (ch === CR) this.#skipLf = true;
        this.#newLine();
        this.#fieldStart = { line: this.#line, column: 1 };
      }
    }
  }

  #here(): Place {
    return { line: this.#line, column: this.#column };
  }

  #newLine(): void {
    this.#line++;
    this.#column = 0;
  }

  #error(reason: string, at: Place): ImportError {
    return new ImportError(this.#file, reason, at.line, at.column);
  }

  #endField(): void {
    this.#cells.push(this.#field);
    this.#starts.push(this.#fieldStart);
    this.#field = '';
    this.#wasQuoted = false;
  }

  /** `end`: where the record ends (its line break, or the end of the file). */
  #endRecord(end: Place): void {
    const blank = this.#field === '' && this.#cells.length === 0 && !this.#wasQuoted;
    this.#endField();
    const cells = this.#cells;
    const starts = this.#starts;
    this.#cells = [];
    this.#starts = [];
    if (blank) return;
    if (!this.#header) return this.#takeHeader(cells, starts);
    const header = this.#header;
    if (cells.length !== header.length) {
      const at = cells.length > header.length ? (starts[header.length] ?? end) : end;
      throw this.#error(`this row has ${cells.length} fields, the header names ${header.length}`, at);
    }
    const row = cells.map((c) => (c === '' ? null : c));
    this.#inference.add(row);
    if (this.#preview.length < this.#previewRows) this.#preview.push(row);
  }

  #takeHeader(cells: readonly string[], starts: readonly Place[]): void {
    const header = cells.map((h) => h.trim());
    const at = (i: number): Place => starts[i] ?? { line: 1, column: 1 };
    if (header.length > MAX_COLUMNS)
      throw this.#error(`the header names ${header.length} columns; Quanta imports at most ${MAX_COLUMNS}`, at(0));
    const seen = new Set<string>();
    header.forEach((h, i) => {
      if (h === '') throw this.#error(`column ${i + 1} of the header has no name`, at(i));
      if (seen.has(h)) throw this.#error(`two columns are named "${h}"`, at(i));
      seen.add(h);
    });
    this.#header = header;
    this.#inference.grow(header.length);
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

/** JSON lines: one object per line; the columns are every key, in the order they first appear. */
export class JsonLinesScanner implements TableScanner {
  readonly #file: string;
  readonly #previewRows: number;
  /** The text after the last line break seen: the start of a line still streaming in. */
  #rest = '';
  #line = 0;
  readonly #header: string[] = [];
  readonly #seen = new Set<string>();
  readonly #inference = new ColumnInference();
  readonly #preview: Cell[][] = [];

  constructor(file: string, previewRows: number) {
    this.#file = file;
    this.#previewRows = previewRows;
  }

  get line(): number {
    return this.#line + 1;
  }

  push(text: string): void {
    const all = this.#rest + text;
    let from = 0;
    for (let nl = all.indexOf('\n'); nl >= 0; nl = all.indexOf('\n', from)) {
      this.#takeLine(all.slice(from, nl));
      from = nl + 1;
    }
    this.#rest = all.slice(from);
  }

  end(): TableScan {
    if (this.#rest !== '') this.#takeLine(this.#rest);
    this.#rest = '';
    if (this.#inference.rows === 0) throw new ImportError(this.#file, 'it holds no JSON object');
    const width = this.#header.length;
    const preview = this.#preview.map((row) => Array.from({ length: width }, (_, i) => row[i] ?? null));
    return { header: this.#header, rows: this.#inference.rows, columns: this.#inference.result(), preview };
  }

  #takeLine(raw: string): void {
    this.#line++;
    const text = (this.#line === 1 ? raw.replace(/^\uFEFF/, '') : raw).trimEnd();
    const indent = text.length - text.trimStart().length;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const position = /position (\d+)/.exec(message)?.[1];
      const column = position === undefined ? text.length + 1 : Number(position) + 1;
      throw new ImportError(this.#file, `not JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, this.#line, column);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ImportError(this.#file, 'each line must be one JSON object ({"column": value, …})', this.#line, indent + 1);
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!this.#seen.has(key)) {
        if (this.#header.length === MAX_COLUMNS)
          throw new ImportError(
            this.#file,
            `its objects have more than ${MAX_COLUMNS} keys; Quanta imports at most ${MAX_COLUMNS} columns`,
            this.#line,
            1,
          );
        this.#seen.add(key);
        this.#header.push(key);
      }
    }
    this.#inference.grow(this.#header.length);
    const row = this.#header.map((key) => cellOf(record[key]));
    this.#inference.add(row);
    if (this.#preview.length < this.#previewRows) this.#preview.push(row);
  }
}

function cellOf(value: unknown): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'object') return value;
  return String(value);
}
