import { useMemo, useState } from 'react';
import { applyProposals, deriveContract, type Proposal } from '../../../core/contracts/deriveContract.ts';
import { factsOfVersion } from '../../../core/contracts/deriveFacts.ts';
import type { MeshEdit } from '../../../core/edits/meshEdits.ts';
import { draftImpact, type ContractImpact } from '../../../core/governance/whatIf.ts';
import { buildMesh } from '../../../core/load/buildMesh.ts';
import type { DataProduct, Mesh, OutputPort } from '../../../core/model/types.ts';
import type { PortVersion } from '../../../core/run/runTypes.ts';
import type { YamlSourceFile } from '../../../core/yaml/sourceFile.ts';

type OnEdit = (edit: MeshEdit, label: string, squashKey?: string) => void;

/**
 * "Derive contract from output": what the newest published version's data says about each
 * column, as proposals the user accepts one by one; the diff of the contract with the
 * accepted ones (core/governance's what-if, breaking changes and broken readers flagged);
 * Apply makes them one undoable edit of the `.odcs.yaml`.
 */
export function DeriveContractPanel({
  mesh,
  product,
  port,
  file,
  version,
  onEdit,
  onClose,
}: {
  readonly mesh: Mesh;
  readonly product: DataProduct;
  readonly port: OutputPort;
  readonly file: YamlSourceFile;
  readonly version: PortVersion;
  readonly onEdit: OnEdit;
  readonly onClose: () => void;
}) {
  const derived = useMemo(() => {
    const facts = factsOfVersion(version);
    return 'error' in facts ? facts : deriveContract(file, port.name, facts.facts);
  }, [version, file, port.name]);
  const proposals = 'error' in derived ? [] : derived.proposals;
  const [rejected, setRejected] = useState<ReadonlySet<string>>(new Set());
  const accepted = useMemo(() => new Set(proposals.map((p) => p.id).filter((id) => !rejected.has(id))), [proposals, rejected]);
  const applied = useMemo(() => ('error' in derived ? file : applyProposals(file, derived, accepted)), [derived, file, accepted]);
  const impact = useMemo(() => impactOf(mesh, product.id, port.name, file, applied), [mesh, product.id, port.name, file, applied]);
  const toggle = (id: string) =>
    setRejected((now) => {
      const next = new Set(now);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const apply = () => {
    onEdit(
      { kind: 'setText', file: file.path, text: applied.text },
      `Derive contract of ${port.name} (${accepted.size} change${accepted.size === 1 ? '' : 's'})`,
    );
    onClose();
  };
  const columns = [...new Set(proposals.map((p) => p.column))];

  return (
    <section className="derive-panel" aria-label={`Derive contract of ${port.name} from output`}>
      <header className="derive-header">
        <h3>Derive contract from version {version.version}</h3>
        <span className="derive-meta">
          {version.rows.toLocaleString('en')} row{version.rows === 1 ? '' : 's'}, tick {version.tick}
        </span>
      </header>
      {'error' in derived ? (
        <p className="inspector-notice" role="alert">
          Cannot derive from version {version.version}: {derived.error}.
        </p>
      ) : proposals.length === 0 ? (
        <p className="inspector-empty">
          The contract already says everything the data of version {version.version} shows. Nothing to propose.
        </p>
      ) : (
        <>
          <p className="derive-hint">Proposals from the data, column by column. Untick what you do not want; the diff below follows.</p>
          <ul className="derive-columns">
            {columns.map((column) => (
              <li key={column}>
                <h4>
                  <code>{column}</code>
                </h4>
                <ul className="derive-proposals">
                  {proposals
                    .filter((p) => p.column === column)
                    .map((p) => (
                      <li key={p.id}>
                        <label>
                          <input type="checkbox" checked={accepted.has(p.id)} onChange={() => toggle(p.id)} />
                          <span className="derive-what">{describe(p)}</span>
                        </label>
                        <span className="derive-reason">{p.reason}</span>
                      </li>
                    ))}
                </ul>
              </li>
            ))}
          </ul>
          <DiffSummary impact={impact} />
        </>
      )}
      <div className="derive-actions">
        <button type="button" className="primary" onClick={apply} disabled={accepted.size === 0 || applied === file}>
          Apply {accepted.size} change{accepted.size === 1 ? '' : 's'}
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </section>
  );
}

function DiffSummary({ impact }: { readonly impact: ContractImpact | undefined }) {
  if (!impact) return <p className="derive-diff-empty">No change to the contract with the proposals ticked.</p>;
  const broken = impact.consumers.filter((c) => c.broken);
  return (
    <div className="derive-diff" aria-label="Contract diff">
      <h4>
        Diff against the current contract{' '}
        {impact.diff.breaking ? <span className="derive-breaking">breaking</span> : <span className="derive-safe">not breaking</span>}
      </h4>
      <ul>
        {impact.diff.changes.map((c, i) => (
          <li key={`${c.ruleId}-${c.property ?? ''}-${i}`} className={`derive-change derive-change-${c.severity}`}>
            <span className="derive-severity">{c.severity}</span> {c.message}
          </li>
        ))}
      </ul>
      {broken.length > 0 && (
        <p className="derive-broken" role="alert">
          Breaks {broken.map((c) => c.productId).join(', ')}: they read what the change tightens.
        </p>
      )}
    </div>
  );
}

function impactOf(mesh: Mesh, productId: string, port: string, before: YamlSourceFile, after: YamlSourceFile): ContractImpact | undefined {
  if (after === before) return undefined;
  const draft = buildMesh(new Map(mesh.files).set(before.path, after)).mesh;
  return draftImpact(mesh, draft).contracts.find((c) => c.productId === productId && c.port === port);
}

function describe(p: Proposal): string {
  const value = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  switch (p.kind) {
    case 'addColumn':
      return 'Add the column to the contract';
    case 'validValues':
      return `Valid values: ${(p.value as readonly unknown[]).map(value).join(', ')}`;
    case 'required':
    case 'unique':
    case 'primaryKey':
      return p.kind === 'primaryKey' ? 'Primary key' : p.kind === 'required' ? 'Required (never null)' : 'Unique';
    default:
      return `${p.kind}: ${p.current === undefined ? '' : `${value(p.current)} → `}${value(p.value)}`;
  }
}
