import { useMemo } from 'react';
import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';
import type { MeshEdit } from '../../../core/edits/meshEdits.ts';
import { basename } from '../../../core/fs/meshFileSystem.ts';
import type { TextSourceFile } from '../../../core/model/types.ts';
import type { YamlSourceFile } from '../../../core/yaml/sourceFile.ts';
import { findingOf } from './codeDiagnostics.ts';
import { CodeEditor } from './CodeEditor.tsx';
import { DiagnosticNotes } from './DiagnosticNotes.tsx';

/**
 * A whole YAML file in CodeMirror, saved with `setText` edits; the validator's findings about
 * the file are marked at their line and column and listed under the editor.
 */
export function YamlFileEditor({
  file,
  diagnostics,
  onEdit,
  label,
}: {
  readonly file: YamlSourceFile | TextSourceFile;
  readonly diagnostics: readonly Diagnostic[];
  readonly onEdit: (edit: MeshEdit, label: string, squashKey?: string) => void;
  readonly label: string;
}) {
  const mine = useMemo(() => diagnostics.filter((d) => d.file === file.path), [diagnostics, file.path]);
  const findings = useMemo(() => mine.map(findingOf), [mine]);
  return (
    <div className="file-editor">
      <CodeEditor
        file={file.path}
        label={label}
        text={file.text}
        language="yaml"
        findings={findings}
        onText={(text) => onEdit({ kind: 'setText', file: file.path, text }, `Edit ${basename(file.path)}`, `text:${file.path}`)}
      />
      <DiagnosticNotes diagnostics={mine} />
    </div>
  );
}
