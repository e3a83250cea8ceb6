import { useMemo, useState } from 'react';
import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';
import type { MeshEdit } from '../../../core/edits/meshEdits.ts';
import type { GovernanceReport } from '../../../core/governance/policy/evaluate.ts';
import type { AuditLog, QueryTarget } from '../../../core/governance/access/queryAs.ts';
import type { ScorecardInputs } from '../../../core/governance/scorecard.ts';
import type { Mesh } from '../../../core/model/types.ts';
import { GovernancePanel } from './GovernancePanel.tsx';
import { PolicyEditor } from './PolicyEditor.tsx';
import { SqlConsole } from './SqlConsole.tsx';
import type { GovernanceState } from '../store/governance.ts';

type Tab = 'report' | 'policies' | 'console';
const TABS: readonly { readonly id: Tab; readonly label: string }[] = [
  { id: 'report', label: 'Governance' },
  { id: 'policies', label: 'Policies' },
  { id: 'console', label: 'SQL console' },
];

export interface GovernanceSidebarProps {
  readonly mesh: Mesh;
  /** The document's validator diagnostics (marked in the policy editor). */
  readonly diagnostics: readonly Diagnostic[];
  /** The store's governance slice, for the mesh on screen. */
  readonly governance: GovernanceState;
  /** What-if: the report before the draft (useEditorGovernance's `before`). */
  readonly before?: GovernanceReport;
  readonly selected?: string;
  /** The runs, for the scorecards; the personas' reads are added from `audit`. */
  readonly scorecards?: Omit<ScorecardInputs, 'usage'>;
  readonly target: QueryTarget | undefined;
  readonly audit: AuditLog;
  readonly onSelectProduct: (productId: string) => void;
  readonly onEdit: (edit: MeshEdit, label: string, squashKey?: string) => void;
}

/** The governance column: the report and scorecard, the policy editor, the SQL console as a persona. */
export function GovernanceSidebar(props: GovernanceSidebarProps) {
  const { mesh, diagnostics, governance, before, selected, scorecards, target, audit, onSelectProduct, onEdit } = props;
  const [tab, setTab] = useState<Tab>('report');
  const [reads, setReads] = useState(0);
  const inputs = useMemo<ScorecardInputs>(() => ({ ...scorecards, usage: audit.usage() }), [scorecards, audit, reads]);
  return (
    <div className="gov-sidebar">
      <div className="view-switch gov-tabs" role="tablist" aria-label="Governance">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} onClick={() => setTab(t.id)}>
            {t.label}
            {t.id === 'report' && governance.report && governance.report.blocking + governance.report.warnings > 0 && (
              <span className="gov-tab-count">{governance.report.blocking + governance.report.warnings}</span>
            )}
          </button>
        ))}
      </div>
      {tab === 'report' && (
        <GovernancePanel
          mesh={mesh}
          report={governance.report}
          {...(before ? { before } : {})}
          evaluating={governance.evaluating}
          {...(governance.error === undefined ? {} : { error: governance.error })}
          {...(selected === undefined ? {} : { selected })}
          scorecards={inputs}
          onSelectProduct={onSelectProduct}
        />
      )}
      {tab === 'policies' && (
        <PolicyEditor mesh={mesh} diagnostics={diagnostics} {...(governance.report ? { report: governance.report } : {})} onEdit={onEdit} />
      )}
      <div hidden={tab !== 'console'}>
        <SqlConsole mesh={mesh} target={target} audit={audit} onAudit={() => setReads((n) => n + 1)} />
      </div>
    </div>
  );
}
