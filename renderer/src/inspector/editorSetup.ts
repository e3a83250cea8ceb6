import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, foldGutter, foldKeymap, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, lintKeymap } from '@codemirror/lint';
import { Compartment, EditorState, type Extension, type TransactionSpec } from '@codemirror/state';
import {
  drawSelection,
  dropCursor,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from '@codemirror/view';

/** Holds the undo history so that it can be dropped (see replaceFromMesh). */
export const historySlot = new Compartment();

/**
 * The editors' extensions: CodeMirror 6's own history and keymaps. Tab is left to the browser
 * (no indentWithTab) so keyboard users can leave the editor.
 */
export function editorSetup(): Extension {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    historySlot.of(history()),
    foldGutter(),
    drawSelection(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    bracketMatching(),
    closeBrackets(),
    autocompletion(),
    highlightActiveLine(),
    lintGutter(),
    EditorView.lineWrapping,
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...foldKeymap, ...completionKeymap, ...lintKeymap]),
  ];
}

/**
 * Replaces the whole text with the mesh's (the app's undo, a reload): the editor's own undo
 * steps are dropped with it, since they describe text that is gone. Two transactions: the
 * first swaps the text with the history switched off, the second switches a fresh one on.
 */
export function replaceFromMesh(state: EditorState, text: string, annotations: TransactionSpec['annotations'] = []): TransactionSpec[] {
  return [
    { changes: { from: 0, to: state.doc.length, insert: text }, effects: historySlot.reconfigure([]), annotations },
    { effects: historySlot.reconfigure(history()), annotations },
  ];
}
