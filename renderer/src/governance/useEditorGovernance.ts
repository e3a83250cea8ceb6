import { useEffect, useMemo } from 'react';
import type { GovernanceReport } from '../../../core/governance/policy/evaluate.ts';
import { AuditLog, type QueryTarget } from '../../../core/governance/access/queryAs.ts';
import type { Mesh } from '../../../core/model/types.ts';
import { useAppStore, useAppStoreApi } from '../store/AppStoreProvider.tsx';
import { violationBadges } from './governanceView.ts';
import { governanceRuns, useGovernance, type GovernanceState } from './useGovernance.ts';

export interface EditorGovernance {
  readonly governance: GovernanceState;
  /** With a baseline (what-if): the baseline's report, for the before/after view. */
  readonly before?: GovernanceReport;
  /** For MeshCanvas `badges`. */
  readonly badges: Readonly<Record<string, number>>;
  /** For the SQL console; undefined until the mesh has run. */
  readonly target: QueryTarget | undefined;
  /** One per open mesh: who read what in the SQL console. */
  readonly audit: AuditLog;
}

/**
 * The editor's governance, from the app store: policies evaluated on the app's quantum pool
 * after every model change (debounced) and after every run of `runKey`'s mesh, the badges for
 * the canvas, and the query target of the last run for the SQL console. With `baseline` (the
 * saved mesh while a what-if draft is open as `mesh`) the baseline is evaluated too: before/after.
 */
export function useEditorGovernance(mesh: Mesh, runKey: string, baseline?: Mesh): EditorGovernance {
  const store = useAppStoreApi();
  const run = useAppStore((s) => s.runs[runKey]);
  const quantumHost = useAppStore((s) => s.quantumHost);
  const report = run?.report;
  // A new inputs object only when a pass finishes (or the model changes), not on every run event.
  const inputs = useMemo(() => governanceRuns(mesh, run, store.getState().portHistory), [mesh, report, store]);
  const governance = useGovernance(mesh, quantumHost, inputs);
  const base = useGovernance(baseline === mesh ? undefined : baseline, quantumHost, inputs);
  const badges = useMemo(() => violationBadges(governance.report), [governance.report]);
  const audit = useMemo(() => new AuditLog(), [runKey]);
  // The runtime that ran this mesh answers the console's queries (as a persona, masked).
  const target = useMemo(() => (report ? store.getState().queryTarget() : undefined), [report, store]);
  // Blocking violations of the saved mesh (the one that runs; while drafting, the baseline) refuse its publishes.
  const runsOn = baseline !== undefined && baseline !== mesh ? base.report : governance.report;
  useEffect(() => store.getState().setGovernanceReport(runsOn), [runsOn, store]);
  return {
    governance,
    badges,
    target,
    audit,
    ...(baseline !== undefined && baseline !== mesh && base.report ? { before: base.report } : {}),
  };
}
