import { describe, expect, it } from 'vitest';
import { applyEdit, applyEdits, type MeshEdit } from '../../core/edits/meshEdits.ts';
import { buildMesh } from '../../core/load/buildMesh.ts';
import type { MeshFiles } from '../../core/model/types.ts';
import type { YamlSourceFile } from '../../core/yaml/sourceFile.ts';
import {
  addRowEdit,
  cellProblem,
  flagCellEdit,
  moveRowEdits,
  removeRowEdit,
  rowDiagnostics,
  schemaTables,
  textCellEdit,
  type SchemaTable,
} from '../../renderer/src/inspector/contractTable.ts';
import { loadSample } from '../helpers.ts';

/* The Contract tab's schema table ↔ file edits, on hello-mesh's real orders contract. */
const CONTRACT = 'domains/sales/orders/orders.odcs.yaml';

async function orders(): Promise<{ files: MeshFiles; file: YamlSourceFile; table: SchemaTable }> {
  const { mesh } = await loadSample('hello-mesh');
  const file = mesh.files.get(CONTRACT) as YamlSourceFile;
  const table = schemaTables(file)?.[0];
  if (!table) throw new Error('hello-mesh orders contract has no schema');
  return { files: mesh.files, file, table };
}

function after(files: MeshFiles, edits: MeshEdit | readonly MeshEdit[]): { file: YamlSourceFile; table: SchemaTable; text: string } {
  const next = Array.isArray(edits) ? applyEdits(files, edits) : applyEdit(files, edits as MeshEdit);
  const file = next.get(CONTRACT) as YamlSourceFile;
  const table = schemaTables(file)?.[0];
  if (!table) throw new Error('the edited contract lost its schema');
  return { file, table, text: file.text };
}

const row = (table: SchemaTable, name: string) => {
  const found = table.rows.find((r) => r.name === name);
  if (!found) throw new Error(`no row ${name}`);
  return found;
};

describe('the contract schema table', () => {
  it('shows each property of the contract as a row, in file order, with its flags', async () => {
    const { table } = await orders();
    expect(table.name).toBe('orders');
    expect(table.rows.map((r) => [r.name, r.logicalType, r.required, r.unique, r.primaryKey, r.classification])).toEqual([
      ['order_id', 'integer', true, true, true, ''],
      ['ordered_at', 'timestamp', true, false, false, ''],
      ['customer_email', 'string', true, false, false, 'personal'],
      ['amount_eur', 'number', true, false, false, ''],
    ]);
  });

  it('renames a property with a one-line change and keeps the rest of the file byte for byte', async () => {
    const { files, file, table } = await orders();
    const edit = textCellEdit(file, table, row(table, 'ordered_at'), 'name', 'placed_at');
    expect(edit).toEqual({ kind: 'setField', file: CONTRACT, path: ['schema', 0, 'properties', 1, 'name'], value: 'placed_at' });
    const { text } = after(files, edit!);
    expect(text).toBe(file.text.replace('- name: ordered_at', '- name: placed_at'));
  });

  it('refuses an empty or duplicate property name with a reason, and emits no edit', async () => {
    const { file, table } = await orders();
    const r = row(table, 'ordered_at');
    expect(cellProblem(table, r, 'name', '  ')).toBe('A property needs a name.');
    expect(cellProblem(table, r, 'name', 'order_id')).toBe('“order_id” is already a property of orders.');
    expect(textCellEdit(file, table, r, 'name', 'order_id')).toBeUndefined();
    expect(cellProblem(table, r, 'name', 'ordered_at')).toBeUndefined();
  });

  it('deletes an emptied optional cell instead of writing an empty string', async () => {
    const { files, file, table } = await orders();
    const edit = textCellEdit(file, table, row(table, 'customer_email'), 'classification', '');
    expect(edit).toEqual({ kind: 'deleteField', file: CONTRACT, path: ['schema', 0, 'properties', 2, 'classification'] });
    expect(after(files, edit!).table.rows[2]?.classification).toBe('');
    expect(textCellEdit(file, table, row(table, 'order_id'), 'description', '')).toBeUndefined();
  });

  it('writes a ticked flag as true and removes an unticked one (false is the ODCS default)', async () => {
    const { files, file, table } = await orders();
    const on = flagCellEdit(file, table, row(table, 'customer_email'), 'unique', true);
    expect(on).toEqual({ kind: 'setField', file: CONTRACT, path: ['schema', 0, 'properties', 2, 'unique'], value: true });
    expect(after(files, on!).table.rows[2]?.unique).toBe(true);
    const off = flagCellEdit(file, table, row(table, 'order_id'), 'primaryKey', false);
    const edited = after(files, off!);
    expect(edited.table.rows[0]?.primaryKey).toBe(false);
    expect(edited.text).not.toMatch(/primaryKey: true/);
    expect(flagCellEdit(file, table, row(table, 'order_id'), 'primaryKey', true)).toBeUndefined();
  });

  it('adds a string property with a fresh name at the end, and removes a row by its index', async () => {
    const { files, file, table } = await orders();
    const added = after(files, addRowEdit(file, table));
    expect(added.table.rows.map((r) => r.name)).toEqual(['order_id', 'ordered_at', 'customer_email', 'amount_eur', 'new_property']);
    expect(added.table.rows[4]?.logicalType).toBe('string');
    expect(addRowEdit(added.file, added.table)).toMatchObject({ value: { name: 'new_property_2' } });
    const removed = after(files, removeRowEdit(file, table, row(table, 'ordered_at')));
    expect(removed.table.rows.map((r) => r.name)).toEqual(['order_id', 'customer_email', 'amount_eur']);
  });

  it('moves a row by swapping it with its neighbour, keeping nested quality rules with their property', async () => {
    const { files, file, table } = await orders();
    const moved = after(files, moveRowEdits(file, table, row(table, 'amount_eur'), -1));
    expect(moved.table.rows.map((r) => r.name)).toEqual(['order_id', 'ordered_at', 'amount_eur', 'customer_email']);
    expect(moved.text).toContain('Refunds are separate records');
    expect(buildMesh(applyEdits(files, moveRowEdits(file, table, row(table, 'amount_eur'), -1))).mesh.products).toHaveLength(2);
    expect(moveRowEdits(file, table, row(table, 'order_id'), -1)).toEqual([]);
    expect(moveRowEdits(file, table, row(table, 'amount_eur'), 1)).toEqual([]);
  });

  it('puts a schema error of the validator on the row it concerns', async () => {
    const { files, file, table } = await orders();
    // "text" is not an ODCS logicalType: the validator reports it on that property's line.
    const broken = applyEdit(files, textCellEdit(file, table, row(table, 'customer_email'), 'logicalType', 'text')!);
    const { diagnostics } = buildMesh(broken);
    const brokenFile = broken.get(CONTRACT) as YamlSourceFile;
    const brokenTable = schemaTables(brokenFile)![0]!;
    const onRow = (name: string) => rowDiagnostics(brokenFile, brokenTable, row(brokenTable, name), diagnostics);
    expect(onRow('customer_email').map((d) => d.severity)).toContain('error');
    expect(onRow('customer_email')[0]?.file).toBe(CONTRACT);
    expect(onRow('order_id')).toEqual([]);
  });

  it('emits no cell edit for a property written as a plain name, which a field edit would fail on', async () => {
    const { files, file } = await orders();
    const text = file.text.replace(/ {6}- name: ordered_at\n( {8}.*\n)+?(?= {6}- name: customer_email)/, '      - ordered_at\n');
    const odd = applyEdit(files, { kind: 'setText', file: CONTRACT, text }).get(CONTRACT) as YamlSourceFile;
    const table = schemaTables(odd)![0]!;
    expect(table.rows[1]?.name).toBe('');
    expect(textCellEdit(odd, table, table.rows[1]!, 'name', 'ordered_at')).toBeUndefined();
    expect(flagCellEdit(odd, table, table.rows[1]!, 'unique', true)).toBeUndefined();
  });

  it('has no rows to offer while the file is not valid YAML', async () => {
    const { files } = await orders();
    const broken = applyEdit(files, { kind: 'setText', file: CONTRACT, text: 'schema:\n  - name: [unclosed\n' });
    expect(schemaTables(broken.get(CONTRACT) as YamlSourceFile)).toBeUndefined();
  });
});
