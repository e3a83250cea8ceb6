import { useMemo, useState } from 'react';
import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';
import type { MeshEdit } from '../../../core/edits/meshEdits.ts';
import type { GovernanceReport } from '../../../core/governance/policy/evaluate.ts';
import type { Mesh } from '../../../core/model/types.ts';
import { YamlFileEditor } from '../inspector/YamlFileEditor.tsx';
import { policyFiles } from './governanceView.ts';

export interface PolicyEditorProps {
  readonly mesh: Mesh;
  /** The validator's diagnostics of the mesh (the document's). */
  readonly diagnostics: readonly Diagnostic[];
  /** The last governance report: its policy SQL errors are marked in the file too. */
  readonly report?: GovernanceReport;
  readonly onEdit: (edit: MeshEdit, label: string, squashKey?: string) => void;
}

/**
 * A policy file of the mesh as YAML, edited with `setText` like the inspector's editors; the
 * validator's findings and the policy's SQL errors (from the last evaluation) are marked at
 * their line and listed under the editor.
 */
export function PolicyEditor({ mesh, diagnostics, report, onEdit }: PolicyEditorProps) {
  const files = policyFiles(mesh);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const path = chosen !== undefined && files.includes(chosen) ? chosen : files[0];
  const file = path === undefined ? undefined : mesh.files.get(path);
  const all = useMemo(() => {
    const seen = new Set(diagnostics.map((d) => `${d.code}|${d.file}|${d.line}|${d.column}|${d.message}`));
    return [
      ...diagnostics,
      ...(report?.diagnostics ?? []).filter((d) => !seen.has(`${d.code}|${d.file}|${d.line}|${d.column}|${d.message}`)),
    ];
  }, [diagnostics, report]);

  if (path === undefined || file === undefined) {
    return (
      <p className="hint gov-policy-empty">
        This mesh has no policy files. A policy is a file <code>policies/&lt;id&gt;.policy.yaml</code> whose <code>check.sql</code> selects
        the violations from the governance catalog (docs/catalog.md).
      </p>
    );
  }
  return (
    <div className="gov-policy-editor" data-testid="policy-editor">
      <label className="gov-policy-pick">
        Policy file{' '}
        <select value={path} onChange={(e) => setChosen(e.target.value)}>
          {files.map((f) => (
            <option key={f} value={f}>
              {f.replace(/^policies\//, '')}
            </option>
          ))}
        </select>
      </label>
      <YamlFileEditor key={path} file={file} diagnostics={all} onEdit={onEdit} label="Policy" />
    </div>
  );
}
