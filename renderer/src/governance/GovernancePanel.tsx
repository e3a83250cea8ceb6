import { useMemo, useState } from 'react';
import type { GovernanceReport } from '../../../core/governance/policy/evaluate.ts';
import { scoreProduct, type ProductScorecard, type ScorecardInputs } from '../../../core/governance/scorecard.ts';
import type { Mesh } from '../../../core/model/types.ts';
import {
  byDomain,
  byPolicy,
  byProduct,
  reportChange,
  reportSummary,
  scoreBand,
  type AreaGroup,
  type ReportChange,
  type ViolationRow,
} from './governanceView.ts';

type View = 'policy' | 'domain' | 'product';
const VIEWS: readonly { readonly id: View; readonly label: string }[] = [
  { id: 'policy', label: 'By policy' },
  { id: 'domain', label: 'By domain' },
  { id: 'product', label: 'By product' },
];

export interface GovernancePanelProps {
  readonly mesh: Mesh;
  /** Undefined until the first evaluation finishes. */
  readonly report: GovernanceReport | undefined;
  /** What-if: the report of the mesh before the draft; the panel then shows before → after. */
  readonly before?: GovernanceReport;
  /** True while policies are being evaluated again (the shown report may be a little old). */
  readonly evaluating?: boolean;
  /** Why policies could not be evaluated at all. */
  readonly error?: string;
  /** The product whose usability scorecard is shown. */
  readonly selected?: string;
  /** What the scorecards read besides the model: the runs and the personas' reads (AuditLog.usage()). */
  readonly scorecards?: ScorecardInputs;
  readonly onSelectProduct: (productId: string) => void;
}

/**
 * The governance report of the mesh: the score, every policy's result grouped by policy,
 * domain or product (each violation with its message and where it is written; a click
 * selects the product), and the usability scorecard of the selected product.
 */
export function GovernancePanel({ mesh, report, before, evaluating, error, selected, scorecards, onSelectProduct }: GovernancePanelProps) {
  const [view, setView] = useState<View>('policy');
  const change = useMemo(() => (before && report ? reportChange(before, report) : undefined), [before, report]);
  const scorecard = useMemo(
    () => (selected === undefined ? undefined : scoreProduct(mesh, selected, scorecards ?? {})),
    [mesh, selected, scorecards],
  );
  return (
    <div className="gov-panel" data-testid="governance-panel" aria-busy={evaluating === true}>
      <header className="gov-header">
        {report ? (
          <p className={`gov-score gov-${scoreBand(report.score.score)}`} data-testid="governance-score" data-score={report.score.score}>
            <span className="gov-score-value">{report.score.score}</span>
            <span className="gov-score-unit">/100 governance score</span>
          </p>
        ) : (
          <p className="gov-score gov-pending" data-testid="governance-score">
            {error ? 'No score' : 'Evaluating policies…'}
          </p>
        )}
        {change && (
          <p
            className="gov-change"
            data-testid="governance-change"
            data-score-before={change.scoreBefore}
            data-added={change.added}
            data-resolved={change.resolved}
          >
            Draft: score {change.scoreBefore} → {change.scoreAfter}; {change.added} new violation{change.added === 1 ? '' : 's'},{' '}
            {change.resolved} resolved.
          </p>
        )}
        {report && <p className="gov-summary">{reportSummary(report)}</p>}
        {evaluating && report && <p className="gov-evaluating hint">Evaluating again…</p>}
        {error && (
          <p className="gov-error" role="alert">
            {error}
          </p>
        )}
      </header>
      {report && (
        <>
          <div className="view-switch gov-views" role="tablist" aria-label="Group violations">
            {VIEWS.map((v) => (
              <button key={v.id} type="button" role="tab" aria-selected={view === v.id} onClick={() => setView(v.id)}>
                {v.label}
              </button>
            ))}
          </div>
          <div className="gov-results" role="tabpanel">
            {view === 'policy' && <PolicyList report={report} onSelectProduct={onSelectProduct} {...(change ? { change } : {})} />}
            {view === 'domain' && <AreaList groups={byDomain(mesh, report)} kind="domain" onSelectProduct={onSelectProduct} />}
            {view === 'product' && (
              <AreaList
                groups={byProduct(mesh, report)}
                kind="product"
                onSelectProduct={onSelectProduct}
                {...(selected ? { selected } : {})}
              />
            )}
          </div>
        </>
      )}
      {scorecard ? (
        <Scorecard scorecard={scorecard} name={mesh.products.find((p) => p.id === scorecard.product)?.name ?? scorecard.product} />
      ) : (
        <p className="hint gov-scorecard-hint">Select a data product to see its usability scorecard.</p>
      )}
    </div>
  );
}

function PolicyList({
  report,
  change,
  onSelectProduct,
}: {
  readonly report: GovernanceReport;
  readonly change?: ReportChange;
  readonly onSelectProduct: (id: string) => void;
}) {
  const groups = byPolicy(report);
  if (groups.length === 0)
    return <p className="hint">This mesh has no policies yet: add a file under policies/ or list built-ins in mesh.yaml.</p>;
  return (
    <ul className="gov-list">
      {groups.map((g) => (
        <li
          key={g.id}
          className={`gov-group gov-${g.status}`}
          data-testid="policy-result"
          data-policy-id={g.id}
          data-violations={g.violations.length}
          data-status={g.status}
          {...(change ? { 'data-violations-before': change.policies[g.id]?.before ?? 0 } : {})}
        >
          <div className="gov-group-head">
            <span className={`gov-mark gov-mark-${g.status}`} aria-hidden="true">
              {g.status === 'passed' ? '✓' : g.status === 'violated' ? '✗' : g.status === 'error' ? '!' : '–'}
            </span>
            <span className="gov-group-title" title={g.title}>
              {g.id}
            </span>
            <span className={`gov-severity gov-severity-${g.severity}`}>{g.severity}</span>
            <span className="gov-scope">{g.scope}</span>
            {g.violations.length > 0 && (
              <span className="gov-count">
                {g.violations.length}
                {g.truncated ? '+' : ''}
              </span>
            )}
            {change && (change.policies[g.id]?.before ?? 0) !== g.violations.length && (
              <span className="gov-was">was {change.policies[g.id]?.before ?? 0}</span>
            )}
          </div>
          <p className="gov-group-sub">{g.title}</p>
          {g.note && <p className="gov-note">{g.note}</p>}
          <Violations rows={g.violations} onSelectProduct={onSelectProduct} />
        </li>
      ))}
    </ul>
  );
}

function AreaList({
  groups,
  kind,
  selected,
  onSelectProduct,
}: {
  readonly groups: readonly AreaGroup[];
  readonly kind: 'domain' | 'product';
  readonly selected?: string;
  readonly onSelectProduct: (id: string) => void;
}) {
  if (groups.length === 0) return <p className="hint">No {kind}s yet.</p>;
  return (
    <ul className="gov-list">
      {groups.map((g) => (
        <li
          key={g.id}
          className={`gov-group${selected === g.id ? ' gov-selected' : ''}`}
          data-testid={`${kind}-result`}
          {...{ [`data-${kind}-id`]: g.id }}
          data-violations={g.violations.length}
        >
          <div className="gov-group-head">
            <span className={`gov-area-score gov-${scoreBand(g.score)}`}>{g.score}</span>
            {kind === 'product' ? (
              <button type="button" className="link-button gov-group-title" onClick={() => onSelectProduct(g.id)}>
                {g.name}
              </button>
            ) : (
              <span className="gov-group-title">{g.name}</span>
            )}
            {g.blocking > 0 && <span className="gov-severity gov-severity-blocking">{g.blocking} blocking</span>}
            {g.warnings > 0 && (
              <span className="gov-severity gov-severity-warning">
                {g.warnings} warning{g.warnings === 1 ? '' : 's'}
              </span>
            )}
          </div>
          <Violations rows={g.violations} onSelectProduct={onSelectProduct} showPolicy />
        </li>
      ))}
    </ul>
  );
}

function Violations({
  rows,
  onSelectProduct,
  showPolicy,
}: {
  readonly rows: readonly ViolationRow[];
  readonly onSelectProduct: (id: string) => void;
  readonly showPolicy?: boolean;
}) {
  if (rows.length === 0) return null;
  return (
    <ul className="gov-violations">
      {rows.map((v) => {
        const body = (
          <>
            {v.product && <span className="gov-v-product">{v.product}</span>}
            {showPolicy && <span className="gov-v-policy">{v.policy}</span>}
            <span className="gov-v-message">{v.message}</span>
            {v.where && <span className="gov-v-where">{v.where}</span>}
          </>
        );
        return (
          <li key={v.key} className={`gov-violation gov-severity-${v.severity}`} data-testid="violation" data-product-id={v.product}>
            {v.product === undefined ? (
              <span className="gov-v-static">{body}</span>
            ) : (
              <button
                type="button"
                className="gov-v-button"
                onClick={() => onSelectProduct(v.product as string)}
                title="Select this product"
              >
                {body}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function Scorecard({ scorecard, name }: { readonly scorecard: ProductScorecard; readonly name: string }) {
  return (
    <section
      className="gov-scorecard"
      data-testid="scorecard"
      data-product-id={scorecard.product}
      aria-label={`Usability scorecard: ${name}`}
    >
      <h3>
        Usability of {name} <span className={`gov-area-score gov-${scoreBand(scorecard.score)}`}>{scorecard.score}</span>
      </h3>
      <ul className="gov-characteristics">
        {scorecard.characteristics.map((c) => (
          <li key={c.characteristic} data-characteristic={c.characteristic} data-score={c.score}>
            <details>
              <summary>
                <span className="gov-char-title">{c.title}</span>
                <span className="gov-meter" aria-hidden="true">
                  <span className={`gov-meter-fill gov-${scoreBand(c.score)}`} style={{ width: `${c.score}%` }} />
                </span>
                <span className="gov-char-score">{c.score}</span>
              </summary>
              <ul className="gov-reasons">
                {c.reasons.map((r, i) => (
                  <li
                    key={i}
                    className={r.assessed ? (r.credit >= 1 ? 'gov-met' : r.credit > 0 ? 'gov-partial' : 'gov-unmet') : 'gov-unassessed'}
                  >
                    {r.assessed ? '' : 'Not assessed: '}
                    {r.text}
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
