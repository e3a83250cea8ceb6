import type { Diagnostic } from '../../../../core/diagnostics/diagnostic.ts';
import type { Mesh } from '../../../../core/model/types.ts';
import type { YamlSourceFile } from '../../../../core/yaml/sourceFile.ts';
import type { OnEdit } from '../contractViewProps.ts';
import { DiagnosticNotes } from '../DiagnosticNotes.tsx';
import { diagnosticsAt } from '../fileDiagnostics.ts';
import {
  addRoleEdit,
  personasHolding,
  removeRoleEdit,
  ROLE_ACCESS,
  roleFieldEdit,
  rolePath,
  roleProblem,
  roleReads,
  roleRows,
  type RoleField,
  type RoleRow,
} from './roleTerms.ts';
import { inputId, TermInput } from './TermInput.tsx';

/** The contract's ODCS `roles`, with the personas of mesh.yaml that hold each role's purpose. */
export function RolesForm({
  mesh,
  file,
  diagnostics,
  onEdit,
}: {
  readonly mesh: Mesh;
  readonly file: YamlSourceFile;
  readonly diagnostics: readonly Diagnostic[];
  readonly onEdit: OnEdit;
}) {
  const rows = roleRows(file);
  const purposes = [...new Set((mesh.manifest?.personas ?? []).flatMap((p) => p.purposes))];
  const listId = `terms-purposes:${file.path}`;
  const findings = diagnosticsAt(file, ['roles'], diagnostics);
  const gated = rows.some((r) => r.firstLevelApprovers !== '' || r.secondLevelApprovers !== '');
  return (
    <section className="terms-section" aria-labelledby="terms-roles-heading" data-testid="contract-roles">
      <h3 id="terms-roles-heading">Roles</h3>
      <p className="terms-intro">
        A persona holding a role’s name as a purpose (mesh.yaml <code>personas[].purposes</code>) reads this contract’s classified columns
        unmasked; every other persona reads them masked. When a role names approvers, only those personas read the port at all — the others
        are told whom to ask.
        {gated && <strong> This contract is granted per request.</strong>}
      </p>
      {rows.length === 0 ? (
        <p className="inspector-empty">
          No roles: classified columns are masked for everyone. Add a role named after the purpose that may see them.
        </p>
      ) : (
        <ul className="terms-list">
          {rows.map((row) => {
            const name = row.role || `role ${row.index + 1}`;
            const id = `${file.path}:${rolePath(row.index).join('.')}`;
            const input = (field: RoleField, label: string, wide: boolean, list?: string) => (
              <div className={wide ? 'terms-field terms-wide' : 'terms-field'}>
                <label htmlFor={inputId(`${id}.${field}`)}>{label}</label>
                <TermInput
                  id={`${id}.${field}`}
                  value={row[field]}
                  label={`${label} of ${name}`}
                  problem={(text) => roleProblem(rows, row, field, text)}
                  edit={(text) => roleFieldEdit(file, rows, row, field, text)}
                  onEdit={onEdit}
                  editLabel={`Edit the ${label.toLowerCase()} of role ${row.role}`}
                  disabled={!row.editable}
                  {...(list ? { list } : {})}
                />
              </div>
            );
            return (
              <li key={row.index} className="terms-card" data-testid="role-row" data-role={row.role}>
                <div className="terms-card-head">
                  {input('role', 'Name', false, listId)}
                  <label className="terms-field">
                    <span>Access</span>
                    <select
                      aria-label={`Access of ${name}`}
                      value={row.access}
                      disabled={!row.editable}
                      onChange={(e) => {
                        const edit = roleFieldEdit(file, rows, row, 'access', e.target.value);
                        if (edit) onEdit(edit, `Set the access of role ${row.role}`);
                      }}
                    >
                      {[...new Set(['', ...ROLE_ACCESS.map(([a]) => a), row.access])].map((a) => (
                        <option key={a} value={a}>
                          {a === '' ? '(none: read)' : a}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button
                    type="button"
                    className="terms-remove"
                    aria-label={`Remove role ${name}`}
                    title={`Remove role ${name}`}
                    onClick={() => onEdit(removeRoleEdit(file, row), `Remove role ${row.role}`)}
                  >
                    ✕
                  </button>
                </div>
                <p className="terms-holders">
                  Held by: <Holders mesh={mesh} row={row} />
                </p>
                <div className="terms-grid">
                  {input('description', 'Description', true)}
                  {input('firstLevelApprovers', 'First-level approvers', false)}
                  {input('secondLevelApprovers', 'Second-level approvers', false)}
                </div>
                <DiagnosticNotes diagnostics={diagnosticsAt(file, rolePath(row.index), diagnostics)} compact />
              </li>
            );
          })}
        </ul>
      )}
      <datalist id={listId}>
        {purposes.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <button type="button" className="add-row" onClick={() => onEdit(addRoleEdit(file, mesh), 'Add a role')}>
        Add role
      </button>
      <DiagnosticNotes diagnostics={findings.filter((d) => !rows.some((r) => diagnosticsAt(file, rolePath(r.index), [d]).length > 0))} />
    </section>
  );
}

function Holders({ mesh, row }: { readonly mesh: Mesh; readonly row: RoleRow }) {
  const holders = personasHolding(mesh, row.role);
  if (holders.length === 0) return <span className="terms-muted">no persona holds purpose {row.role || '(unnamed)'}</span>;
  return (
    <span data-testid="role-holders">
      {holders.map((p) => p.name || p.id).join(', ')}
      {!roleReads(row) && <span className="terms-muted"> (write access: unmasks nothing)</span>}
    </span>
  );
}
