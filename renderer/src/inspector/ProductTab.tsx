import { useId, useState } from 'react';
import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';
import type { MeshEdit } from '../../../core/edits/meshEdits.ts';
import type { DataProduct, Mesh } from '../../../core/model/types.ts';
import type { YamlSourceFile } from '../../../core/yaml/sourceFile.ts';
import { DiagnosticNotes, InputProblem } from './DiagnosticNotes.tsx';
import {
  fieldDiagnostics,
  fieldEdit,
  fieldEditLabel,
  fieldProblem,
  fieldSquashKey,
  fieldText,
  PRODUCT_FIELDS,
  structureProblem,
  PRODUCT_STATUSES,
  type ProductField,
} from './productForm.ts';
import { ViewSwitch } from './ViewSwitch.tsx';
import { YamlFileEditor } from './YamlFileEditor.tsx';

type OnEdit = (edit: MeshEdit, label: string, squashKey?: string) => void;

/** The ODPS descriptor as a form (each field a setField edit), or the whole file as YAML. */
export function ProductTab({
  mesh,
  product,
  diagnostics,
  onEdit,
}: {
  readonly mesh: Mesh;
  readonly product: DataProduct;
  readonly diagnostics: readonly Diagnostic[];
  readonly onEdit: OnEdit;
}) {
  const [view, setView] = useState<'form' | 'yaml'>('form');
  const file = mesh.files.get(product.file);
  if (!file || !('doc' in file)) return <p className="inspector-empty">{product.file} is not in the mesh.</p>;
  const teams = mesh.manifest?.teams.map((t) => t.id) ?? [];
  const listId = `teams-${product.id}`;
  return (
    <div className="product-tab">
      <ViewSwitch
        label="Product view"
        value={view}
        onChange={setView}
        options={[
          ['form', 'Form'],
          ['yaml', 'YAML'],
        ]}
      />
      {view === 'yaml' ? (
        <YamlFileEditor file={file} diagnostics={diagnostics} onEdit={onEdit} label="Product YAML" />
      ) : (
        <form className="product-form" aria-label="Product fields" onSubmit={(e) => e.preventDefault()}>
          {PRODUCT_FIELDS.map((field) => (
            <FieldRow key={field.key} file={file} field={field} diagnostics={diagnostics} onEdit={onEdit} teamsListId={listId} />
          ))}
          <datalist id={listId}>
            {teams.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <DiagnosticNotes
            diagnostics={diagnostics.filter(
              (d) => d.file === file.path && !PRODUCT_FIELDS.some((f) => fieldDiagnostics(file, f, [d]).length > 0),
            )}
          />
        </form>
      )}
    </div>
  );
}

function FieldRow({
  file,
  field,
  diagnostics,
  onEdit,
  teamsListId,
}: {
  readonly file: YamlSourceFile;
  readonly field: ProductField;
  readonly diagnostics: readonly Diagnostic[];
  readonly onEdit: OnEdit;
  readonly teamsListId: string;
}) {
  const id = useId();
  // What the user typed, kept while it is being edited or while it is refused; otherwise the file's value shows.
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const saved = fieldText(file, field);
  const value = draft ?? saved;
  const problem = structureProblem(file, field) ?? (draft === undefined ? undefined : fieldProblem(field, draft));
  const found = fieldDiagnostics(file, field, diagnostics);
  const broken = file.diagnostics.length > 0;
  const change = (input: string) => {
    setDraft(input);
    const edit = fieldEdit(file, field, input);
    if (edit) onEdit(edit, fieldEditLabel(field), fieldSquashKey(file.path, field.path));
  };
  const blur = () => {
    if (draft !== undefined && fieldProblem(field, draft) === undefined) setDraft(undefined);
  };
  const describedBy = [`${id}-help`, problem ? `${id}-problem` : '', found.length > 0 ? `${id}-found` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    value,
    disabled: broken,
    'aria-invalid': problem !== undefined || found.some((d) => d.severity === 'error'),
    'aria-describedby': describedBy,
    onBlur: blur,
  };
  return (
    <div className="form-row" data-field={field.key}>
      <label htmlFor={id}>{field.label}</label>
      {field.kind === 'multiline' ? (
        <textarea {...common} rows={2} onChange={(e) => change(e.target.value)} />
      ) : field.kind === 'status' ? (
        <select {...common} onChange={(e) => change(e.target.value)}>
          {[...new Set([...PRODUCT_STATUSES, saved])].filter(Boolean).map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type="text"
          list={field.kind === 'team' ? teamsListId : undefined}
          spellCheck={field.kind !== 'team'}
          onChange={(e) => change(e.target.value)}
        />
      )}
      <p className="form-help" id={`${id}-help`}>
        {broken ? `${file.path} has a YAML error; fix it in the YAML view first.` : field.help}
      </p>
      <InputProblem id={`${id}-problem`} text={problem} />
      <div id={`${id}-found`}>
        <DiagnosticNotes diagnostics={found} compact />
      </div>
    </div>
  );
}
