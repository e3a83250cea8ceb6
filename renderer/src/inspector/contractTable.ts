import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';
import type { MeshEdit } from '../../../core/edits/meshEdits.ts';
import type { YamlPath, YamlSourceFile } from '../../../core/yaml/sourceFile.ts';
import { diagnosticsAt, valueAt } from './fileDiagnostics.ts';

/**
 * The schema table of an ODCS contract as rows, and each change to it as file edits on the
 * `.odcs.yaml`. Reads the file itself rather than the built Contract, so a row keeps its place
 * (index) in `schema[t].properties` and fields Quanta does not show are never touched.
 */

/** ODCS v3.1.0 SchemaBaseProperty.logicalType. */
export const LOGICAL_TYPES: readonly string[] = ['string', 'date', 'timestamp', 'time', 'number', 'integer', 'object', 'array', 'boolean'];
/** ODCS examples; any word is allowed. */
export const CLASSIFICATIONS: readonly string[] = ['public', 'internal', 'confidential', 'restricted', 'personal'];

export type FlagColumn = 'required' | 'unique' | 'primaryKey';
export type TextColumn = 'name' | 'logicalType' | 'classification' | 'description';

export interface SchemaRow {
  /** Index in `schema[t].properties`. */
  readonly index: number;
  readonly name: string;
  readonly logicalType: string;
  readonly required: boolean;
  readonly unique: boolean;
  readonly primaryKey: boolean;
  readonly classification: string;
  readonly description: string;
}

export interface SchemaTable {
  /** Index in `schema`. */
  readonly index: number;
  readonly name: string;
  readonly rows: readonly SchemaRow[];
}

/** The schema objects of a contract file, or undefined when the file does not parse. */
export function schemaTables(file: YamlSourceFile): SchemaTable[] | undefined {
  if (file.value === undefined || file.diagnostics.length > 0) return undefined;
  const schema = valueAt(file.value, ['schema']);
  if (!Array.isArray(schema)) return [];
  return schema.map((table, index) => {
    const properties = valueAt(table, ['properties']);
    return {
      index,
      name: text(valueAt(table, ['name'])),
      rows: (Array.isArray(properties) ? properties : []).map((property, i) => ({
        index: i,
        name: text(valueAt(property, ['name'])),
        logicalType: text(valueAt(property, ['logicalType'])),
        required: valueAt(property, ['required']) === true,
        unique: valueAt(property, ['unique']) === true,
        primaryKey: valueAt(property, ['primaryKey']) === true,
        classification: text(valueAt(property, ['classification'])),
        description: text(valueAt(property, ['description'])),
      })),
    };
  });
}

/** A property written as something else than a mapping (`- order_id`) cannot take field edits. */
function isMapping(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string {
  return value === undefined || value === null || typeof value === 'object' ? '' : String(value);
}

export function rowPath(table: number, row: number): YamlPath {
  return ['schema', table, 'properties', row];
}

/**
 * Sets a text cell. An emptied optional cell is deleted (ODCS treats a missing field as
 * unset); the name is required, so an empty or duplicate name is refused (see cellProblem).
 */
export function textCellEdit(
  file: YamlSourceFile,
  table: SchemaTable,
  row: SchemaRow,
  column: TextColumn,
  input: string,
): MeshEdit | undefined {
  if (cellProblem(table, row, column, input) !== undefined) return undefined;
  if (!isMapping(valueAt(file.value, rowPath(table.index, row.index)))) return undefined;
  const value = column === 'description' ? input : input.trim();
  const path = [...rowPath(table.index, row.index), column];
  const current = valueAt(file.value, path);
  if (value === '') return current === undefined ? undefined : { kind: 'deleteField', file: file.path, path };
  if (current === value) return undefined;
  return { kind: 'setField', file: file.path, path, value };
}

/** Ticking a flag writes `true`; unticking removes it, as false is ODCS's default. */
export function flagCellEdit(
  file: YamlSourceFile,
  table: SchemaTable,
  row: SchemaRow,
  column: FlagColumn,
  on: boolean,
): MeshEdit | undefined {
  if (!isMapping(valueAt(file.value, rowPath(table.index, row.index)))) return undefined;
  const path = [...rowPath(table.index, row.index), column];
  const current = valueAt(file.value, path);
  if (on) return current === true ? undefined : { kind: 'setField', file: file.path, path, value: true };
  return current === undefined ? undefined : { kind: 'deleteField', file: file.path, path };
}

/** What is wrong with a typed cell, in plain words; undefined when it can be saved. */
export function cellProblem(table: SchemaTable, row: SchemaRow, column: TextColumn, input: string): string | undefined {
  if (column !== 'name') return undefined;
  const name = input.trim();
  if (name === '') return 'A property needs a name.';
  if (table.rows.some((other) => other.index !== row.index && other.name === name))
    return `“${name}” is already a property of ${table.name || 'this table'}.`;
  return undefined;
}

/** A new row at the end: a string property with a name not used yet. */
export function addRowEdit(file: YamlSourceFile, table: SchemaTable): MeshEdit {
  const names = new Set(table.rows.map((r) => r.name));
  let name = 'new_property';
  for (let n = 2; names.has(name); n++) name = `new_property_${n}`;
  const property = { name, logicalType: 'string' };
  if (table.rows.length === 0 && valueAt(file.value, ['schema', table.index, 'properties']) === undefined)
    return { kind: 'setField', file: file.path, path: ['schema', table.index, 'properties'], value: [property] };
  return { kind: 'setField', file: file.path, path: rowPath(table.index, table.rows.length), value: property };
}

export function removeRowEdit(file: YamlSourceFile, table: SchemaTable, row: SchemaRow): MeshEdit {
  return { kind: 'deleteField', file: file.path, path: rowPath(table.index, row.index) };
}

/**
 * Moves a row one place up or down: the two neighbours swap contents. Two setField edits (meant
 * for one undo entry), so only those two items of the list are rewritten.
 */
export function moveRowEdits(file: YamlSourceFile, table: SchemaTable, row: SchemaRow, direction: -1 | 1): MeshEdit[] {
  const other = row.index + direction;
  if (other < 0 || other >= table.rows.length) return [];
  const a = valueAt(file.value, rowPath(table.index, row.index));
  const b = valueAt(file.value, rowPath(table.index, other));
  return [
    { kind: 'setField', file: file.path, path: rowPath(table.index, row.index), value: b },
    { kind: 'setField', file: file.path, path: rowPath(table.index, other), value: a },
  ];
}

/** Validator findings about one row (the whole property, nested quality rules included). */
export function rowDiagnostics(file: YamlSourceFile, table: SchemaTable, row: SchemaRow, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnosticsAt(file, rowPath(table.index, row.index), diagnostics);
}
