import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { diagnostic } from '../../core/diagnostics/diagnostic.ts';
import { findingOf, toEditorDiagnostics } from '../../renderer/src/inspector/codeDiagnostics.ts';
import { redo, undo, undoDepth } from '@codemirror/commands';
import { editorSetup, replaceFromMesh } from '../../renderer/src/inspector/editorSetup.ts';

/* The editors' pure parts: validator findings → CodeMirror marks, and the in-editor undo history. */
const YAML = 'id: x\nschema:\n  - name: orders\n    logicalType: text   \n';

describe('findings marked in the editor', () => {
  it('mark from the diagnostic’s column to the end of that line’s text', () => {
    const found = diagnostic('QUANTA_E010', { file: 'a.odcs.yaml', line: 4, column: 18 }, 'must be equal to one of the allowed values');
    const [mark] = toEditorDiagnostics(YAML, [findingOf(found)]);
    expect(YAML.slice(mark!.from, mark!.to)).toBe('text');
    expect(mark!.severity).toBe('error');
    expect(mark!.source).toBe('QUANTA_E010');
    expect(mark!.message).toContain('must be equal to one of the allowed values');
  });

  it('mark a whole line’s text, without its indentation, when there is no column (a SQL error)', () => {
    const [mark] = toEditorDiagnostics(YAML, [{ line: 3, severity: 'warning', message: 'x' }]);
    expect(YAML.slice(mark!.from, mark!.to)).toBe('- name: orders');
  });

  it('clamp a finding past the end of a file that has since shrunk to its last line', () => {
    const [mark] = toEditorDiagnostics('a: 1\nb: 22', [{ line: 40, column: 4, severity: 'error', message: 'gone' }]);
    expect(mark).toMatchObject({ from: 8, to: 10 });
    expect(toEditorDiagnostics('', [{ line: 2, column: 5, severity: 'error', message: 'empty' }])).toEqual([
      { from: 0, to: 0, severity: 'error', message: 'empty' },
    ]);
  });

  it('move a finding on a blank line (YAML errors at the empty last line) to the line above with text', () => {
    const text = 'x: 1\nbroken: value: other\n';
    const [mark] = toEditorDiagnostics(text, [{ line: 3, column: 1, severity: 'error', message: 'nested mapping' }]);
    expect(text.slice(mark!.from, mark!.to)).toBe('broken: value: other');
  });

  it('read Windows line ends without marking the carriage return', () => {
    const [mark] = toEditorDiagnostics('a: 1\r\nbad: [\r\n', [{ line: 2, column: 1, severity: 'error', message: 'x' }]);
    expect('a: 1\r\nbad: [\r\n'.slice(mark!.from, mark!.to)).toBe('bad: [');
  });
});

describe('the editor’s undo history', () => {
  const type = (state: EditorState, at: number, text: string) =>
    state.update({ changes: { from: at, insert: text }, userEvent: 'input.type' }).state;
  const run = (state: EditorState, command: typeof undo): EditorState => {
    let next: EditorState | undefined;
    if (!command({ state, dispatch: (tr) => (next = tr.state) })) throw new Error('nothing to do');
    if (!next) throw new Error('the command dispatched nothing');
    return next;
  };

  it('undoes quick typing as one step, and redoes it', () => {
    let state = EditorState.create({ doc: 'SELECT 1', extensions: editorSetup() });
    state = type(state, 8, ',');
    state = type(state, 9, ' 2');
    state = run(state, undo);
    expect(state.doc.toString()).toBe('SELECT 1');
    expect(undoDepth(state)).toBe(0);
    state = run(state, redo);
    expect(state.doc.toString()).toBe('SELECT 1, 2');
  });

  it('forgets its steps when the text is replaced from the mesh (the app’s undo), so they cannot corrupt it', () => {
    let state = EditorState.create({ doc: 'a: 1', extensions: editorSetup() });
    state = type(state, 4, '0');
    expect(undoDepth(state)).toBe(1);
    for (const spec of replaceFromMesh(state, 'b: 2')) state = state.update(spec).state;
    expect(undoDepth(state)).toBe(0);
    expect(state.doc.toString()).toBe('b: 2');
    state = type(state, 4, '0');
    state = run(state, undo);
    expect(state.doc.toString()).toBe('b: 2');
  });
});
