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
import { TermInput } from './TermInput.tsx';

const TEXT_FIELDS: readonly (readonly [RoleField, string])[] = [
  ['description', 'Description'],
  ['firstLevelApprovers', 'First-level approvers'],
  ['secondLevelApprovers', 'Second-level approvers'],
];

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
    <section className="terms-section schema-table" aria-labelledby="terms-roles-heading" data-testid="contract-roles">
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
        <table>
          <thead>
            <tr>
              <th scope="col">Role (purpose)</th>
              <th scope="col">Access</th>
              {TEXT_FIELDS.map(([, label]) => (
                <th scope="col" key={label}>
                  {label}
                </th>
              ))}
              <th scope="col">Held by</th>
              <th scope="col">
                <span className="inspector-sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const name = row.role || `role ${row.index + 1}`;
              const id = `${file.path}:${rolePath(row.index).join('.')}`;
              const input = (field: RoleField, label: string, list?: string) => (
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
              );
              return (
                <tr key={row.index} data-testid="role-row" data-role={row.role}>
                  <td>{input('role', 'Name', listId)}</td>
                  <td>
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
                  </td>
                  {TEXT_FIELDS.map(([field, label]) => (
                    <td key={field}>{input(field, label)}</td>
                  ))}
                  <td className="terms-holders">
                    <Holders mesh={mesh} row={row} />
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      aria-label={`Remove role ${name}`}
                      onClick={() => onEdit(removeRoleEdit(file, row), `Remove role ${row.role}`)}
                    >
                      ✕
                    </button>
                    <DiagnosticNotes diagnostics={diagnosticsAt(file, rolePath(row.index), diagnostics)} compact />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
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
