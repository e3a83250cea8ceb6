import { DataType, tableFromIPC, type Table } from 'apache-arrow';

/**
 * What "Derive contract from output" knows of each column of a published port version: its
 * DuckDB type, null and distinct counts, the distinct values when there are few, and a sample
 * of values as text for the personal-data guesses. Read from the version's Arrow IPC bytes;
 * the quantum's profile (counted in DuckDB) is preferred for distinct counts when it is exact.
 */
export interface ColumnFacts {
  readonly name: string;
  /** DuckDB's type (DESCRIBE in the producing quantum), or one read from the Arrow type. */
  readonly duckdbType: string;
  readonly rows: number;
  readonly nulls: number;
  readonly distinct: number;
  /** False when the distinct count is an estimate: no unique / enum proposal rests on it. */
  readonly distinctExact: boolean;
  /** The distinct non-null values as text, sorted, when there are at most ENUM_MAX_VALUES. */
  readonly values?: readonly string[];
  /** Up to SAMPLE_SIZE non-null values as text, spread over the rows. */
  readonly sample: readonly string[];
}

/** The parts of a published port version (core/run/runTypes.ts PortVersion) the derivation reads. */
export interface VersionData {
  readonly rows: number;
  readonly ipc?: Uint8Array;
  readonly columns?: readonly { readonly name: string; readonly type: string }[];
  readonly profile: readonly {
    readonly name: string;
    readonly nullShare: number;
    readonly distinct: number;
    readonly distinctExact?: boolean;
  }[];
}

export const ENUM_MAX_VALUES = 12;
export const SAMPLE_SIZE = 200;
/** Exact distinct counting in the renderer stops here (the quantum's profile covers the rest). */
const COUNT_DISTINCT_MAX_ROWS = 1_000_000;

/** The facts of every column, or why they cannot be read (no kept data, bytes not Arrow). */
export function factsOfVersion(version: VersionData): { facts: ColumnFacts[] } | { error: string } {
  if (!version.ipc) return { error: 'this version keeps its figures only, not its rows' };
  let table: Table;
  try {
    table = tableFromIPC(version.ipc);
  } catch (e) {
    return { error: `its data cannot be read as Arrow IPC (${e instanceof Error ? e.message : String(e)})` };
  }
  return { facts: factsOfTable(table, version) };
}

export function factsOfTable(table: Table, version?: Omit<VersionData, 'ipc' | 'rows'>): ColumnFacts[] {
  const rows = table.numRows;
  return table.schema.fields.map((field, i) => {
    const vector = table.getChildAt(i);
    const described = version?.columns?.find((c) => c.name === field.name)?.type;
    const profiled = version?.profile.find((p) => p.name === field.name);
    const text = (row: number): string | undefined => {
      const v: unknown = vector?.get(row);
      return v === null || v === undefined ? undefined : textOf(v, field.type);
    };
    const nulls = vector ? vector.nullCount : rows;
    const step = Math.max(1, Math.floor(rows / SAMPLE_SIZE));
    const sample: string[] = [];
    for (let row = 0; row < rows && sample.length < SAMPLE_SIZE; row += step) {
      const t = text(row);
      if (t !== undefined) sample.push(t);
    }
    const distinctValues = new Set<string>();
    let distinct = profiled?.distinct ?? 0;
    let distinctExact = profiled?.distinctExact ?? false;
    const countAll = !profiled?.distinctExact && rows <= COUNT_DISTINCT_MAX_ROWS;
    for (let row = 0; row < rows; row++) {
      const t = text(row);
      if (t === undefined) continue;
      distinctValues.add(t);
      if (!countAll && distinctValues.size > ENUM_MAX_VALUES) break;
    }
    if (countAll) {
      distinct = distinctValues.size;
      distinctExact = true;
    }
    return {
      name: field.name,
      duckdbType: described ?? duckdbTypeOfArrow(field.type),
      rows,
      nulls,
      distinct,
      distinctExact,
      ...(distinctValues.size <= ENUM_MAX_VALUES ? { values: [...distinctValues].sort(byValue) } : {}),
      sample,
    };
  });
}

function textOf(value: unknown, type: DataType): string {
  if (DataType.isDate(type) && typeof value === 'number') return new Date(value).toISOString().slice(0, 10);
  if (DataType.isTimestamp(type) && typeof value === 'number') return new Date(value).toISOString();
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function byValue(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  return a.trim() !== '' && b.trim() !== '' && !Number.isNaN(x) && !Number.isNaN(y) ? x - y : a.localeCompare(b);
}

function duckdbTypeOfArrow(type: DataType): string {
  if (DataType.isInt(type))
    return type.bitWidth === 64 ? 'BIGINT' : type.bitWidth === 16 ? 'SMALLINT' : type.bitWidth === 8 ? 'TINYINT' : 'INTEGER';
  if (DataType.isFloat(type)) return 'DOUBLE';
  if (DataType.isDecimal(type)) return `DECIMAL(${type.precision},${type.scale})`;
  if (DataType.isBool(type)) return 'BOOLEAN';
  if (DataType.isDate(type)) return 'DATE';
  if (DataType.isTimestamp(type)) return 'TIMESTAMP';
  if (DataType.isTime(type)) return 'TIME';
  if (DataType.isList(type)) return 'LIST';
  if (DataType.isStruct(type)) return 'STRUCT';
  if (DataType.isMap(type)) return 'MAP';
  return 'VARCHAR';
}
