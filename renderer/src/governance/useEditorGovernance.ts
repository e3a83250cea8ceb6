import { useMemo } from 'react';
import type { GovernanceReport } from '../../../core/governance/policy/evaluate.ts';
import { AuditLog, type QueryTarget } from '../../../core/governance/access/queryAs.ts';
import { useAppStore, useAppStoreApi } from '../store/AppStoreProvider.tsx';
import type { GovernanceState } from '../store/governance.ts';
import { violationBadges } from './governanceView.ts';
import { selectDraftGovernance, selectGovernance, selectRunReport } from '../store/selectors.ts';

export interface EditorGovernance {
  readonly governance: GovernanceState;
  /** With a what-if draft open: the saved mesh's report, for the before/after view. */
  readonly before?: GovernanceReport;
  /** For MeshCanvas `badges`. */
  readonly badges: Readonly<Record<string, number>>;
  /** For the SQL console; undefined until the mesh has run. */
  readonly target: QueryTarget | undefined;
  /** One per open mesh: who read what in the SQL console. */
  readonly audit: AuditLog;
}

const NOT_YET: GovernanceState = { evaluating: true };

/**
 * The editor's governance, read from the store's governance slice (store/governance.ts: the
 * policy gate evaluates after every change and run, and feeds the runtime): the report of the
 * mesh on screen — the draft while a what-if is open, with the saved mesh's report as
 * `before` — the badges for the canvas, and the query target of the last run for the console.
 */
export function useEditorGovernance(runKey: string, drafting: boolean): EditorGovernance {
  const store = useAppStoreApi();
  const saved = useAppStore(selectGovernance);
  const draft = useAppStore(selectDraftGovernance);
  const report = useAppStore(selectRunReport(runKey));
  const governance = (drafting ? draft : saved) ?? NOT_YET;
  const badges = useMemo(() => violationBadges(governance.report), [governance.report]);
  const audit = useMemo(() => new AuditLog(), [runKey]);
  // The runtime that ran this mesh answers the console's queries (as a persona, masked).
  const target = useMemo(() => (report ? store.getState().queryTarget() : undefined), [report, store]);
  return { governance, badges, target, audit, ...(drafting && saved.report ? { before: saved.report } : {}) };
}
