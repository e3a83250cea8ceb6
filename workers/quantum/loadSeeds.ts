import { tableFromJSON, tableToIPC } from 'apache-arrow';
import { quoteIdent } from '../../core/contracts/contractChecks.ts';
import type { DeclaredColumnType, QuantumError, SourceInput } from './api.ts';
import { ParquetError, parquetToIpc } from './parquetToArrow.ts';
import type { SqlSession } from './sqlSession.ts';

/**
 * Seed files into a quantum's tables (ARCHITECTURE "Seed types"): Parquet with the file's own
 * types; CSV and JSON lines with the types the product's contracts declare for columns of the
 * same name, the rest auto-detected. A value that does not parse as its declared type is a
 * QuantumError naming the seed file, its line, the column, the type and where it is declared.
 * DuckDB's CSV reader runs on the seed's bytes; its JSON and Parquet readers are extensions the
 * offline build lacks, so those are parsed here.
 */
export type SeedInput = Extract<SourceInput, { kind: 'csv' | 'jsonl' | 'parquet' }>;

export interface SeedTarget {
  readonly session: SqlSession;
}

export async function loadSeed(target: SeedTarget, input: SeedInput): Promise<QuantumError | undefined> {
  switch (input.kind) {
    case 'csv':
      return loadCsv(target, input);
    case 'jsonl':
      return loadJsonLines(target.session, input);
    case 'parquet':
      return loadParquet(target.session, input);
  }
}

/** A declared type is spliced into SQL: only type-shaped text gets there (declaredTypes.ts sends no other). */
const TYPE_TEXT = /^[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$/;

function usable(declared: readonly DeclaredColumnType[] | undefined, present: readonly string[]): DeclaredColumnType[] {
  return (declared ?? []).filter((d) => present.includes(d.name) && TYPE_TEXT.test(d.type));
}

async function loadCsv({ session }: SeedTarget, input: SeedInput): Promise<QuantumError | undefined> {
  const { file, bytes } = input;
  const problem = textProblem(bytes);
  if (problem) return { kind: 'input', file, message: `${file} is not a CSV text file: ${problem}` };
  try {
    // The only file this database may open: the seed's bytes, one seed at a time (sqlSession.ts).
    await session.withFile(bytes, async (path) => {
      const read = (types: readonly DeclaredColumnType[]): string => {
        const given = types.map((d) => `${sqlString(d.name)}: ${sqlString(d.type)}`).join(', ');
        return `read_csv(${sqlString(path)}, header = true, auto_detect = true${given ? `, types = {${given}}` : ''})`;
      };
      // The header first (one sniff): DuckDB refuses a type for a column the file does not have.
      const header = (input.declared?.length ?? 0) > 0 ? await describe(session, `SELECT * FROM ${read([])}`) : [];
      const types = usable(input.declared, header);
      await session.run(`CREATE TABLE ${quoteIdent(input.name)} AS SELECT * FROM ${read(types)}`);
    });
    return undefined;
  } catch (error) {
    const message = messageOf(error);
    const line = /CSV Error on Line: (\d+)/.exec(message)?.[1];
    const bad = /Error when converting column "((?:[^"]|"")*)"\. Could not convert string "((?:[^"]|"")*)" to '([^']+)'/.exec(message);
    if (line !== undefined && bad) {
      const [, column = '', value = '', type = ''] = bad;
      const declared = input.declared?.find((d) => d.name === column);
      return {
        kind: 'input',
        file,
        line: Number(line),
        message: notOfType(file, Number(line), column, value, declared ?? { name: column, type }),
      };
    }
    const csv = csvError(message);
    if (!csv) throw error;
    return { kind: 'input', file, line: csv.line, message: csv.reason };
  }
}

async function loadJsonLines(session: SqlSession, input: SeedInput): Promise<QuantumError | undefined> {
  const { file, bytes, name } = input;
  const problem = textProblem(bytes);
  if (problem) return { kind: 'input', file, message: `${file} is not a JSON-lines text file: ${problem}` };
  const rows: Record<string, unknown>[] = [];
  const lineOf: number[] = [];
  const lines = new TextDecoder().decode(bytes).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      return { kind: 'input', file, line: i + 1, message: `${file}:${i + 1} is not valid JSON: ${messageOf(error)}` };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { kind: 'input', file, line: i + 1, message: `${file}:${i + 1} must be one JSON object per line` };
    }
    rows.push(value as Record<string, unknown>);
    lineOf.push(i + 1);
  }
  if (rows.length === 0) return { kind: 'input', file, message: `${file} has no rows` };
  const present = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const declared = usable(input.declared, present);
  if (declared.length === 0) {
    await session.insertIpc(tableToIPC(tableFromJSON(rows), 'stream'), name);
    return undefined;
  }
  // Declared columns arrive as text (a JSON value as written) and are cast in SQL after the
  // parse, so a value that is not of the declared type is found with its line.
  for (const row of rows) {
    for (const d of declared) {
      const v = row[d.name];
      if (v !== null && v !== undefined && typeof v !== 'string') row[d.name] = typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
  }
  const raw = `${name}__raw`;
  await session.insertIpc(tableToIPC(tableFromJSON(rows), 'stream'), raw);
  for (const d of declared) {
    const column = quoteIdent(d.name);
    const text = `CAST(${column} AS VARCHAR)`;
    const [found] = await session.rows(
      `SELECT rowid AS r, ${text} AS v FROM ${quoteIdent(raw)} WHERE ${column} IS NOT NULL AND TRY_CAST(${text} AS ${d.type}) IS NULL ORDER BY rowid LIMIT 1`,
    );
    if (found) {
      await session.run(`DROP TABLE ${quoteIdent(raw)}`);
      const line = lineOf[Number(found['r'])] ?? 0;
      return { kind: 'input', file, line, message: notOfType(file, line, d.name, String(found['v']), d) };
    }
  }
  const casts = declared.map((d) => `CAST(CAST(${quoteIdent(d.name)} AS VARCHAR) AS ${d.type}) AS ${quoteIdent(d.name)}`);
  await session.run(`CREATE TABLE ${quoteIdent(name)} AS SELECT * REPLACE (${casts.join(', ')}) FROM ${quoteIdent(raw)} ORDER BY rowid`);
  await session.run(`DROP TABLE ${quoteIdent(raw)}`);
  return undefined;
}

async function loadParquet(session: SqlSession, { name, file, bytes }: SeedInput): Promise<QuantumError | undefined> {
  const magic = (at: number): boolean => new TextDecoder().decode(bytes.subarray(at, at + 4)) === 'PAR1';
  if (bytes.byteLength < 12 || !magic(0) || !magic(bytes.byteLength - 4)) {
    return { kind: 'input', file, message: `${file} is not a Parquet file (it does not start and end with PAR1)` };
  }
  let table: { ipc: Uint8Array; rows: number };
  try {
    table = await parquetToIpc(bytes);
  } catch (error) {
    if (!(error instanceof ParquetError) && !(error instanceof RangeError) && !(error instanceof TypeError)) throw error;
    return { kind: 'input', file, message: `${file} cannot be read as Parquet: ${messageOf(error)}` };
  }
  if (table.rows === 0) return { kind: 'input', file, message: `${file} has no rows` };
  await session.insertIpc(table.ipc, name);
  return undefined;
}

function notOfType(file: string, line: number, column: string, value: string, declared: DeclaredColumnType): string {
  const where = declared.at ? ` (${declared.at.file}:${declared.at.line}:${declared.at.column})` : '';
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return (
    `${file}:${line}: column "${column}" holds "${shown}", which is not a ${declared.type} as the contract declares${where}; ` +
    `fix the value, or declare the column's type as what the data holds`
  );
}

async function describe(session: SqlSession, select: string): Promise<string[]> {
  return (await session.rows(`DESCRIBE ${select}`)).map((row) => String(row['column_name']));
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * DuckDB's CSV reader error as the seed file's line and the reason ("Value with unterminated
 * quote found."), without its dump of the reader's options; undefined for other errors.
 */
export function csvError(message: string): { line: number; reason: string } | undefined {
  const line = /CSV Error on Line: (\d+)/.exec(message)?.[1];
  if (line === undefined) return undefined;
  const lines = message.split('\n').map((l) => l.trim());
  const fixes = lines.findIndex((l) => l.startsWith('Possible fixes'));
  const before = (fixes < 0 ? lines : lines.slice(0, fixes)).filter((l) => l.length > 0);
  const reason = before.length > 1 ? (before[before.length - 1] ?? '') : 'the file is not valid CSV';
  return { line: Number(line), reason: `${reason} (the CSV reader stopped on this line)` };
}

function textProblem(bytes: Uint8Array): string | undefined {
  if (bytes.indexOf(0) >= 0) return 'it contains binary data (NUL bytes)';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 1 << 20));
  } catch {
    return 'it is not UTF-8 text';
  }
  return undefined;
}
