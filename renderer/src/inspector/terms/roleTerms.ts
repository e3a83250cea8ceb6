import type { MeshEdit } from '../../../../core/edits/meshEdits.ts';
import type { Mesh, Persona } from '../../../../core/model/types.ts';
import type { YamlPath, YamlSourceFile } from '../../../../core/yaml/sourceFile.ts';
import { valueAt } from '../fileDiagnostics.ts';

/**
 * The ODCS `roles` of a contract file as rows, and each change to them as file edits. Quanta
 * reads a role's name as the purpose it serves (core/governance/access/access.ts): a persona
 * holding that purpose reads the contract's classified columns unmasked.
 */

export type RoleField = 'role' | 'access' | 'description' | 'firstLevelApprovers' | 'secondLevelApprovers';

/** ODCS examples write `read` and `write`; a role without `access` reads (access.ts). */
export const ROLE_ACCESS: readonly (readonly [string, string])[] = [
  ['read', 'read'],
  ['write', 'write'],
];

export interface RoleRow {
  /** Index in `roles`. */
  readonly index: number;
  readonly role: string;
  readonly access: string;
  readonly description: string;
  readonly firstLevelApprovers: string;
  readonly secondLevelApprovers: string;
  readonly editable: boolean;
}

const LIST: YamlPath = ['roles'];

export function rolePath(row: number): YamlPath {
  return [...LIST, row];
}

export function roleRows(file: YamlSourceFile): RoleRow[] {
  const list = file.diagnostics.length > 0 ? undefined : valueAt(file.value, LIST);
  if (!Array.isArray(list)) return [];
  return list.map((entry, index) => ({
    index,
    role: text(valueAt(entry, ['role'])),
    access: text(valueAt(entry, ['access'])),
    description: text(valueAt(entry, ['description'])),
    firstLevelApprovers: text(valueAt(entry, ['firstLevelApprovers'])),
    secondLevelApprovers: text(valueAt(entry, ['secondLevelApprovers'])),
    editable: isMapping(entry),
  }));
}

/** What is wrong with a typed field, in plain words; undefined when it can be written. */
export function roleProblem(rows: readonly RoleRow[], row: RoleRow, field: RoleField, input: string): string | undefined {
  if (field !== 'role') return undefined;
  const name = input.trim();
  if (name === '') return 'A role needs a name (ODCS requires `role`).';
  if (rows.some((other) => other.index !== row.index && other.role === name)) return `“${name}” is already a role of this contract.`;
  return undefined;
}

/** The edit for a typed field; an emptied optional field is deleted; a refused value gives no edit. */
export function roleFieldEdit(
  file: YamlSourceFile,
  rows: readonly RoleRow[],
  row: RoleRow,
  field: RoleField,
  input: string,
): MeshEdit | undefined {
  if (!row.editable || roleProblem(rows, row, field, input) !== undefined) return undefined;
  const path = [...rolePath(row.index), field];
  const next = field === 'description' ? input : input.trim();
  const current = valueAt(file.value, path);
  if (next === '') return current === undefined ? undefined : { kind: 'deleteField', file: file.path, path };
  if (current === next) return undefined;
  return { kind: 'setField', file: file.path, path, value: next };
}

/**
 * A new read role at the end (the list is made when the contract has none), named after a
 * purpose a persona of the mesh holds that no role names yet, so it grants something at once.
 */
export function addRoleEdit(file: YamlSourceFile, mesh: Mesh): MeshEdit {
  const rows = roleRows(file);
  const taken = new Set(rows.map((r) => r.role));
  const purpose = (mesh.manifest?.personas ?? []).flatMap((p) => p.purposes).find((p) => !taken.has(p));
  let name = purpose ?? 'new-role';
  for (let n = 2; taken.has(name); n++) name = `new-role-${n}`;
  const entry = { role: name, access: 'read' };
  if (rows.length === 0 && valueAt(file.value, LIST) === undefined)
    return { kind: 'setField', file: file.path, path: LIST, value: [entry] };
  return { kind: 'setField', file: file.path, path: rolePath(rows.length), value: entry };
}

export function removeRoleEdit(file: YamlSourceFile, row: RoleRow): MeshEdit {
  return { kind: 'deleteField', file: file.path, path: rolePath(row.index) };
}

/** Personas of mesh.yaml holding the role's name as a purpose: they read classified columns unmasked. */
export function personasHolding(mesh: Mesh, role: string): Persona[] {
  return (mesh.manifest?.personas ?? []).filter((p) => p.purposes.includes(role.trim()));
}

/** Whether the role grants reading (no `access`, or one that says read), as access.ts decides. */
export function roleReads(row: RoleRow): boolean {
  return row.access === '' || /read/i.test(row.access);
}

function isMapping(entry: unknown): boolean {
  return entry !== null && typeof entry === 'object' && !Array.isArray(entry);
}

function text(v: unknown): string {
  return v === undefined || v === null || typeof v === 'object' ? '' : String(v);
}
