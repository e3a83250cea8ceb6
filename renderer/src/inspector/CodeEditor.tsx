import { PostgreSQL, sql, type SQLNamespace } from '@codemirror/lang-sql';
import { yaml } from '@codemirror/lang-yaml';
import { setDiagnostics } from '@codemirror/lint';
import { Annotation, Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { toEditorDiagnostics, type CodeFinding } from './codeDiagnostics.ts';
import { editorSetup, replaceFromMesh } from './editorSetup.ts';
import { editorTheme } from './editorTheme.ts';

export interface CodeEditorProps {
  /** Mesh-relative path; also the editor's accessible name with `label`. */
  readonly file: string;
  readonly label: string;
  /** The file's text in the mesh. */
  readonly text: string;
  readonly language: 'yaml' | 'sql';
  /** Findings about `text` (validator diagnostics, a run's SQL error), marked inline. */
  readonly findings: readonly CodeFinding[];
  /** Tables and columns offered as completions in SQL mode. */
  readonly sqlSchema?: SQLNamespace;
  /** Called with the buffer's text after typing pauses (and on blur or unmount). */
  readonly onText: (text: string) => void;
  readonly debounceMs?: number;
}

/** Marks transactions that load text from the mesh, so they are not sent back as edits. */
const fromMesh = Annotation.define<boolean>();

/**
 * CodeMirror 6 over one file. The buffer is the user's while they type: text coming back from
 * the mesh equal to what was sent (or to the buffer) leaves it alone, so the cursor never
 * jumps; any other text (undo, a change from outside) replaces it.
 */
export function CodeEditor({ file, label, text, language, findings, sqlSchema, onText, debounceMs = 300 }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const languageSlot = useRef(new Compartment());
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** The last text sent with onText and not yet replaced from outside. */
  const sent = useRef<string | undefined>(undefined);
  const latest = useRef({ onText, debounceMs });
  latest.current = { onText, debounceMs };

  const flush = useRef(() => {
    if (pending.current === undefined) return;
    clearTimeout(pending.current);
    pending.current = undefined;
    const current = view.current?.state.doc.toString();
    if (current === undefined || current === sent.current) return;
    sent.current = current;
    latest.current.onText(current);
  });

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: text,
        extensions: [
          editorTheme,
          editorSetup(),
          languageSlot.current.of(languageExtension(language, sqlSchema)),
          EditorView.contentAttributes.of({ 'aria-label': `${label} (${file})` }),
          EditorView.updateListener.of((update) => {
            if (!update.docChanged || update.transactions.every((t) => t.annotation(fromMesh))) return;
            clearTimeout(pending.current);
            pending.current = setTimeout(() => flush.current(), latest.current.debounceMs);
          }),
          EditorView.domEventHandlers({ blur: () => flush.current() }),
        ],
      }),
    });
    view.current = editor;
    const flushNow = flush.current;
    return () => {
      flushNow();
      editor.destroy();
      view.current = null;
    };
    // One editor per file: text, language and findings are synced by the effects below.
  }, [file]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const buffer = editor.state.doc.toString();
    // Our own text coming back (the buffer may have moved on since): keep the buffer. This relies
    // on the store answering each edit before the next one is sent, which a synchronous store does.
    if (text === buffer || text === sent.current) return;
    // Changed from outside: the mesh wins; typing not yet sent is dropped with it.
    clearTimeout(pending.current);
    pending.current = undefined;
    sent.current = undefined;
    for (const spec of replaceFromMesh(editor.state, text, fromMesh.of(true))) editor.dispatch(spec);
  }, [text]);

  const schemaKey = JSON.stringify(sqlSchema ?? null);
  useEffect(() => {
    view.current?.dispatch({ effects: languageSlot.current.reconfigure(languageExtension(language, sqlSchema)) });
    // schemaKey stands for sqlSchema's content: a rebuilt but equal schema must not reconfigure.
  }, [language, schemaKey]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    // Findings describe the mesh's text; while the buffer is ahead of it, CodeMirror keeps the
    // previous marks mapped through the typing instead.
    if (editor.state.doc.toString() !== text) return;
    editor.dispatch(setDiagnostics(editor.state, toEditorDiagnostics(text, findings)));
  }, [text, findings]);

  return <div className="code-editor" ref={host} data-file={file} data-testid="code-editor" />;
}

function languageExtension(language: 'yaml' | 'sql', schema: SQLNamespace | undefined): Extension {
  // DuckDB's dialect is PostgreSQL-flavoured; lang-sql has no DuckDB dialect.
  return language === 'yaml' ? yaml() : sql({ dialect: PostgreSQL, upperCaseKeywords: true, ...(schema ? { schema } : {}) });
}
