import { useMemo } from 'react';
import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';
import type { MeshEdit } from '../../../core/edits/meshEdits.ts';
import { joinPath } from '../../../core/fs/meshFileSystem.ts';
import { TRANSFORM_FILE } from '../../../core/load/readMeshFiles.ts';
import type { DataProduct, Mesh } from '../../../core/model/types.ts';
import type { ProductRun } from '../../../core/run/runTypes.ts';
import { findingOf, type CodeFinding } from './codeDiagnostics.ts';
import { CodeEditor } from './CodeEditor.tsx';
import { DiagnosticNotes } from './DiagnosticNotes.tsx';
import { sqlNamespace, transformTables } from './sqlCompletions.ts';

type OnEdit = (edit: MeshEdit, label: string, squashKey?: string) => void;

/**
 * `transform.sql` in a SQL editor. Completion offers the input ports as tables with their
 * upstream contract's columns; the validator's findings and the last run's SQL error are
 * marked at their line.
 */
export function TransformTab({
  mesh,
  product,
  diagnostics,
  onEdit,
  run,
}: {
  readonly mesh: Mesh;
  readonly product: DataProduct;
  readonly diagnostics: readonly Diagnostic[];
  readonly onEdit: OnEdit;
  readonly run: ProductRun | undefined;
}) {
  const path = joinPath(product.dir, TRANSFORM_FILE);
  const file = mesh.files.get(path);
  const tables = useMemo(() => transformTables(mesh, product), [mesh, product]);
  const schema = useMemo(() => sqlNamespace(tables), [tables]);
  const mine = useMemo(() => diagnostics.filter((d) => d.file === path), [diagnostics, path]);
  const problem = run?.problem?.file === path && run.status === 'failed' ? run.problem : undefined;
  const findings = useMemo<CodeFinding[]>(
    () => [
      ...mine.map(findingOf),
      ...(problem ? [{ line: problem.line ?? 1, severity: 'error' as const, message: problem.message, source: 'last run' }] : []),
    ],
    [mine, problem],
  );
  const save = (text: string) => onEdit({ kind: 'setText', file: path, text }, `Edit ${TRANSFORM_FILE}`, `text:${path}`);
  return (
    <div className="transform-tab">
      <div className="tab-toolbar">
        <span className="tab-toolbar-file">
          <code>{path}</code>
        </span>
      </div>
      {file === undefined || 'doc' in file ? (
        <div className="inspector-notice">
          <p>
            {product.name} has no {TRANSFORM_FILE}. Without one, a product with one output port and one source or input publishes that table
            as it is.
          </p>
          <button
            type="button"
            onClick={() =>
              save(
                starterSql(
                  tables.map((t) => t.name),
                  product.outputPorts[0]?.name,
                ),
              )
            }
          >
            Create {TRANSFORM_FILE}
          </button>
        </div>
      ) : (
        <CodeEditor
          file={path}
          label="Transform SQL"
          text={file.text}
          language="sql"
          findings={findings}
          sqlSchema={schema}
          onText={save}
        />
      )}
      <DiagnosticNotes diagnostics={mine} />
      {problem && (
        <p className="inspector-notice severity-error" role="alert">
          The last run failed here{problem.line === undefined ? '' : ` (line ${problem.line})`}: {problem.message}
        </p>
      )}
      <TablesHelp tables={tables} />
    </div>
  );
}

function TablesHelp({ tables }: { readonly tables: ReturnType<typeof transformTables> }) {
  if (tables.length === 0) return <p className="form-help">This product reads no input ports and has no sources.</p>;
  return (
    <details className="tables-help" open>
      <summary>Tables this transform can read</summary>
      <ul>
        {tables.map((t) => (
          <li key={t.name}>
            <code>{t.name}</code> <span className="form-help">{t.detail}</span>
            {t.columns.length > 0 && <span className="table-columns"> — {t.columns.map((c) => c.name).join(', ')}</span>}
          </li>
        ))}
      </ul>
    </details>
  );
}

function starterSql(tables: readonly string[], output: string | undefined): string {
  const from = tables[0] ?? 'source';
  return `-- ${output ?? 'output'}: one SELECT per output port; input ports are tables named after the port.\nSELECT *\nFROM ${from}\n`;
}
