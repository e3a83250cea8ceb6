import { useMemo } from 'react';
import type { RunLogEntry } from '../store/meshRuns.ts';
import { problemLines } from '../components/runText.ts';

/**
 * What the runs of the open mesh did, newest first, in plain words with the file and line of
 * each problem. New entries arrive at the top, where the log opens; someone who scrolled down
 * to read older ones keeps their place (the browser's scroll anchoring).
 */
export function RunLog({
  entries,
  onSelect,
}: {
  readonly entries: readonly RunLogEntry[];
  readonly onSelect: (productId: string) => void;
}) {
  const newestFirst = useMemo(() => [...entries].reverse(), [entries]);
  if (entries.length === 0) return <p className="run-log-empty">Nothing has run yet. Press Run all, or Tick to advance the clock.</p>;
  return (
    <ol className="run-log" aria-label="Run log (newest first)">
      {newestFirst.map((entry) => (
        <li key={entry.seq} className={`run-log-entry${entry.status ? ` run-log-${entry.status}` : ''}`} data-testid="run-log-entry">
          <span className="run-log-tick">{entry.tick >= 0 ? `t${entry.tick}` : '—'}</span>{' '}
          {entry.product ? (
            <button type="button" className="link-button" onClick={() => onSelect(entry.product ?? '')}>
              {entry.text}
            </button>
          ) : (
            <span>{entry.text}</span>
          )}
          {entry.warnings && (
            <ul className="run-log-warnings" aria-label={`Failed warning checks of ${entry.product ?? 'the mesh'}`}>
              {entry.warnings.map((warning, i) => (
                <li key={i} data-testid="run-log-warning">
                  <span className="run-log-warning-label">warning</span> {warning}
                </li>
              ))}
            </ul>
          )}
          {entry.run && entry.status !== 'published' && (
            <ul className="run-log-problems">
              {problemLines(entry.run).map((problem, i) =>
                // The first line is already in the entry's text; only its place is new.
                i === 0 ? (
                  problem.where && (
                    <li key={i}>
                      at <code className="run-where">{problem.where}</code>
                    </li>
                  )
                ) : (
                  <li key={i}>
                    {problem.text}
                    {problem.where && <code className="run-where"> {problem.where}</code>}
                  </li>
                ),
              )}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
