import { describe, expect, it } from 'vitest';
import { EditHistory } from '../../core/edits/history.ts';
import { applyChange, changeLabel, type MeshChange } from '../../core/edits/meshChanges.ts';
import { buildMesh } from '../../core/load/buildMesh.ts';
import type { MeshFiles } from '../../core/model/types.ts';
import { loadSample } from '../helpers.ts';

/* The undo/redo history the editor keeps, driven by real changes on hello-mesh. */
const hello = (await loadSample('hello-mesh')).mesh;

function record(history: EditHistory, change: MeshChange, squashKey?: string): EditHistory {
  return history.push(changeLabel(change), applyChange(history.files, change), squashKey);
}

const productName = (files: MeshFiles, id: string): string | undefined => buildMesh(files).mesh.products.find((p) => p.id === id)?.name;
const position = (files: MeshFiles, id: string): unknown => buildMesh(files).mesh.layout?.products.get(id);
const rename = (name: string): MeshChange => ({ kind: 'renameProduct', productId: 'orders', name });
const move = (x: number): MeshChange => ({ kind: 'moveNodes', positions: { orders: { x, y: 0 } } });

describe('the edit history', () => {
  it('starts clean with nothing to undo or redo', () => {
    const history = EditHistory.start(hello.files);
    expect(history.files).toBe(hello.files);
    expect([history.canUndo, history.canRedo, history.isDirty]).toEqual([false, false, false]);
    expect([history.undoLabel, history.redoLabel]).toEqual([undefined, undefined]);
    expect(history.undo()).toBe(history);
    expect(history.redo()).toBe(history);
  });

  it('undoes and redoes edits in order, back to the very same file maps', () => {
    const start = EditHistory.start(hello.files);
    const created = record(start, {
      kind: 'createProduct',
      domain: 'finance',
      id: 'weekly-report',
      name: 'Weekly report',
      archetype: 'aggregate',
    });
    const renamed = record(created, rename('Shop orders'));
    expect(renamed.undoLabel).toBe('Undo Rename product orders');

    const once = renamed.undo();
    expect(once.files).toBe(created.files);
    expect(once.undoLabel).toBe('Undo Create product weekly-report');
    expect(once.redoLabel).toBe('Redo Rename product orders');
    const twice = once.undo();
    expect(twice.files).toBe(hello.files);
    expect(twice.canUndo).toBe(false);
    expect(buildMesh(twice.files).mesh.products.map((p) => p.id)).toEqual(['daily-revenue', 'orders']);

    const again = twice.redo().redo();
    expect(again.files).toBe(renamed.files);
    expect(again.canRedo).toBe(false);
    expect(productName(again.files, 'orders')).toBe('Shop orders');
  });

  it('does not change the history it was called on', () => {
    const start = EditHistory.start(hello.files);
    const edited = record(start, rename('A'));
    edited.undo();
    expect(edited.files).not.toBe(hello.files);
    expect(start.canUndo).toBe(false);
  });

  it('clears what could be redone when a new edit is made after an undo', () => {
    const edited = record(record(EditHistory.start(hello.files), rename('A')), rename('B')).undo();
    expect(edited.canRedo).toBe(true);
    const branched = record(edited, rename('C'));
    expect(branched.canRedo).toBe(false);
    expect(productName(branched.undo().files, 'orders')).toBe('A');
  });

  it('squashes consecutive pushes of one gesture into one entry that keeps the first label', () => {
    let history = EditHistory.start(hello.files);
    for (const x of [10, 20, 30, 40]) history = record(history, move(x), 'drag-1');
    expect(history.depth).toBe(1);
    expect(history.undoLabel).toBe('Undo Move orders');
    expect(position(history.files, 'orders')).toEqual({ x: 40, y: 0 });
    expect(history.undo().files).toBe(hello.files);
  });

  it('starts a new entry for a new gesture, an unkeyed edit, or the same key after an undo', () => {
    let history = record(record(EditHistory.start(hello.files), move(10), 'drag-1'), move(20), 'drag-2');
    expect(history.depth).toBe(2);
    history = record(history, move(30));
    history = record(history, move(40));
    expect(history.depth).toBe(4);
    const undone = history.undo();
    const typed = record(record(undone, rename('A'), 'field:name'), rename('AB'), 'field:name');
    expect(typed.depth).toBe(4);
    const afterUndo = record(typed.undo(), rename('ABC'), 'field:name');
    expect(afterUndo.depth).toBe(4);
    expect(productName(afterUndo.undo().files, 'orders')).toBe('Orders');
  });

  it('leaves no entry for a drag that ends where it started, and ignores pushes that change nothing', () => {
    const start = EditHistory.start(hello.files);
    const moved = record(start, move(10));
    let history = record(moved, move(50), 'drag');
    history = record(history, move(10), 'drag');
    expect(history.depth).toBe(1);
    expect(history.files).toBe(moved.files);
    expect(moved.push('Nothing', moved.files)).toBe(moved);
  });

  it('tracks unsaved changes against the saved state; undoing back to it is clean again', () => {
    const start = EditHistory.start(hello.files);
    const edited = record(start, rename('A'));
    expect(edited.isDirty).toBe(true);
    expect(edited.unsavedPaths).toEqual(['domains/sales/orders/product.odps.yaml']);
    expect(edited.undo().isDirty).toBe(false);

    const saved = edited.markSaved();
    expect(saved.isDirty).toBe(false);
    expect(saved.undo().isDirty).toBe(true);
    expect(saved.undo().redo().isDirty).toBe(false);
    const further = record(saved, { kind: 'moveNodes', positions: { orders: { x: 1, y: 1 } } });
    expect(further.unsavedPaths).toEqual(['layout.yaml']);
  });

  it('is clean when the files are back to the saved text by another route', () => {
    const there = record(EditHistory.start(hello.files), rename('A'));
    const back = record(there, rename('Orders'));
    expect(back.files).not.toBe(hello.files);
    expect(back.isDirty).toBe(false);
  });

  it('marks saved the files that were written, even when edits followed the write', () => {
    const written = record(EditHistory.start(hello.files), rename('A'));
    const later = record(written, rename('B')).markSaved(written.files);
    expect(later.isDirty).toBe(true);
    expect(later.undo().isDirty).toBe(false);
  });

  it('keeps at most `limit` undo steps, dropping the oldest', () => {
    let history = EditHistory.start(hello.files, { limit: 3 });
    for (const name of ['A', 'B', 'C', 'D', 'E']) history = record(history, rename(name));
    expect(history.depth).toBe(3);
    history = history.undo().undo().undo();
    expect(history.canUndo).toBe(false);
    expect(productName(history.files, 'orders')).toBe('B');
    expect(history.isDirty).toBe(true);
  });

  it('bounds the default history at 200 steps', () => {
    let history = EditHistory.start(hello.files);
    for (let i = 0; i < 205; i++) history = record(history, move(i + 1));
    expect(history.depth).toBe(200);
  });
});
