import { Fragment } from 'react';
import { failedWarnings, type ProductRunState } from '../store/meshRuns.ts';
import { plural } from '../samples/meshSummary.ts';
import { problemLines, rowCount, STATUS_LABEL } from './runText.ts';

/** A product's run status as a badge with words. */
export function RunBadge({ state }: { readonly state: ProductRunState }) {
  return <span className={`run-badge run-${state.status}`}>{STATUS_LABEL[state.status]}</span>;
}

/**
 * An edit since the product's last run touched it or something upstream of it: what it
 * shows was made from files that have changed (see store/meshRuns.ts markChanged).
 */
export function ChangedSinceRun() {
  return (
    <span className="run-changed" data-testid="changed-since-run" title="An edit since its last run affects this product: run it again">
      changed since last run
    </span>
  );
}

/** Under a product: what its last run published, or why it did not publish fresh data. */
export function RunDetails({ state }: { readonly state: ProductRunState }) {
  const { last } = state;
  if (!last || state.status === 'running' || state.status === 'idle') return null;
  const problems = problemLines(last);
  if (problems.length === 0) {
    return last.version > 0 ? (
      <p className="run-facts">
        version {last.version} · {rowCount(last.rows)}
      </p>
    ) : null;
  }
  return (
    <ul className={`run-problems run-problems-${state.status}`}>
      {problems.map((problem, i) => (
        <li key={i}>
          {problem.text}
          {problem.where && (
            <>
              {' '}
              <FileLocation where={problem.where} />
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/** `file:line`, breaking across lines only after a slash, never inside a name. */
function FileLocation({ where }: { readonly where: string }) {
  const parts = where.split('/');
  return (
    <code className="run-where">
      {parts.map((part, i) => (
        <Fragment key={i}>
          <span className="run-where-part">{i < parts.length - 1 ? `${part}/` : part}</span>
          {i < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </code>
  );
}

/**
 * The failed warning-severity checks of a product's last run, as a count on its card (they do
 * not refuse a publish, so nothing else on the card shows them); the tooltip and the accessible
 * name list them. Hidden while it runs again and when nothing failed.
 */
export function WarningBadge({ name, state }: { readonly name: string; readonly state: ProductRunState }) {
  const warnings = state.last && state.status !== 'running' && state.status !== 'idle' ? failedWarnings(state.last) : [];
  if (warnings.length === 0) return null;
  const words = `${plural(warnings.length, 'warning')}: ${warnings.join('; ')}`;
  return (
    <span className="warning-badge" data-testid="warning-badge" role="img" title={words} aria-label={`${name}: ${words}`}>
      <span aria-hidden="true">! </span>
      {warnings.length}
    </span>
  );
}
