import { useMemo, useState } from 'react';
import { IconButton } from '../components/IconButton.tsx';
import { useAppStoreApi } from '../store/AppStoreProvider.tsx';
import type { RunLogEntry } from '../store/meshRuns.ts';
import { problemLines } from '../components/runText.ts';
import '../styles/runLogActions.css';

/**
 * What the runs of the open mesh did, newest first, in plain words with the file and line of
 * each problem. New entries arrive at the top, where the log opens; someone who scrolled down
 * to read older ones keeps their place (the browser's scroll anchoring). The log's header row
 * holds RunLogActions (EditorScreen.tsx).
 */
export function RunLog({
  entries,
  onSelect,
}: {
  readonly entries: readonly RunLogEntry[];
  readonly onSelect: (productId: string) => void;
}) {
  const newestFirst = useMemo(() => [...entries].reverse(), [entries]);
  return entries.length === 0 ? (
    <p className="run-log-empty">Nothing has run yet. Press Run all, or Tick to advance the clock.</p>
  ) : (
    <Entries entries={newestFirst} onSelect={onSelect} />
  );
}

const OPENLINEAGE_HINT =
  "save this session's runs as OpenLineage events, one JSON line each: START and COMPLETE, FAIL or ABORT per product run, with schema, data quality, version, ownership, documentation and column lineage (polyglot, about 5 MB loaded on first use)";

/**
 * The log's actions, in its header row whether the log is open or not: Download OpenLineage
 * (this session's runs as OpenLineage events, recorded as the runtime ran them — store/lineageLog.ts)
 * and what it saved.
 */
export function RunLogActions() {
  const store = useAppStoreApi();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string>();
  // Read on each render: every runtime event re-renders the log (its entries or the run state change with it).
  const ready = store.getState().hasOpenLineage();
  const download = async (): Promise<void> => {
    setSaving(true);
    try {
      const result = await store.getState().downloadOpenLineage();
      setSaved(
        result &&
          `Saved ${result.events.toLocaleString('en')} OpenLineage events to ${result.file}${
            result.columnLineage ? '' : ' (without column lineage: polyglot could not load here)'
          }`,
      );
    } catch (error) {
      setSaved(`Could not save the OpenLineage events: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setSaving(false);
    }
  };
  return (
    <div className="run-log-actions">
      <span className="run-log-saved" aria-live="polite">
        {saved}
      </span>
      <IconButton
        icon="download"
        label="Download OpenLineage"
        text={saving ? 'Preparing OpenLineage…' : 'Download OpenLineage'}
        hint={ready ? OPENLINEAGE_HINT : 'nothing has run yet: press Run all, Run one or Tick first'}
        disabled={!ready || saving}
        onClick={() => void download()}
      />
    </div>
  );
}

function Entries({ entries, onSelect }: { readonly entries: readonly RunLogEntry[]; readonly onSelect: (productId: string) => void }) {
  return (
    <ol className="run-log" aria-label="Run log (newest first)">
      {entries.map((entry) => (
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
