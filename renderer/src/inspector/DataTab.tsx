import { useEffect, useMemo, useState } from 'react';
import { describeRule } from '../../../core/edits/qualityRules.ts';
import type { DataProduct } from '../../../core/model/types.ts';
import { compilePort } from '../../../core/run/publishVerdict.ts';
import type { CheckResult, FailingRows, PortVersion, RefusedCandidate } from '../../../core/run/runTypes.ts';
import { decodePreview, rowsOf, type Preview } from './dataPreview.ts';
import { VirtualTable } from './VirtualTable.tsx';
import { rowCount } from '../components/runText.ts';
import { plural } from '../samples/meshSummary.ts';
import { useAppStore, useAppStoreApi } from '../store/AppStoreProvider.tsx';
import { selectDocumentKey, selectRun } from '../store/selectors.ts';

/** The Version select's value for the port's refused candidate. */
const REFUSED = 'refused';

/**
 * The data of an output port: pick a port and one of its kept versions; rows in a virtualized
 * table. When the port's newest run was refused, its candidate output is shown too, marked as
 * not published, with the checks that refused it and the rows breaking each row-level one.
 */
export function DataTab({
  product,
  portVersions,
}: {
  readonly product: DataProduct;
  readonly portVersions: ((port: string) => readonly PortVersion[]) | undefined;
}) {
  const store = useAppStoreApi();
  // Read again after every run of the open mesh: a refusal or a publish changes the candidate.
  const key = useAppStore(selectDocumentKey);
  useAppStore(selectRun(key));
  const [portName, setPortName] = useState(product.outputPorts[0]?.name);
  const [chosen, setChosen] = useState<number | typeof REFUSED | undefined>(undefined);
  const port = product.outputPorts.find((p) => p.name === portName) ?? product.outputPorts[0];
  const versions = port && portVersions ? portVersions(port.name) : [];
  const candidate = port && portVersions ? store.getState().portCandidate(product.id, port.name) : undefined;
  const withData = versions.filter((v) => v.ipc !== undefined);
  const lastGood = withData[withData.length - 1];
  // The refused candidate first, when there is one: it is why the product did not publish.
  const showRefused = candidate !== undefined && (chosen === REFUSED || chosen === undefined);
  const version = showRefused ? undefined : (withData.find((v) => v.version === chosen) ?? lastGood);
  const shownIpc = showRefused ? candidate.ipc : version?.ipc;
  const decoded = useMemo(() => decode(shownIpc), [shownIpc]);

  if (!port) return <p className="inspector-empty">{product.name} has no output ports.</p>;
  return (
    <div className="data-tab">
      <div className="tab-toolbar">
        <label className="inline-field">
          Output port{' '}
          <select value={port.name} onChange={(e) => (setPortName(e.target.value), setChosen(undefined))}>
            {product.outputPorts.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {(versions.length > 0 || candidate) && (
          <label className="inline-field">
            Version{' '}
            <select
              value={showRefused ? REFUSED : (version?.version ?? '')}
              onChange={(e) => setChosen(e.target.value === REFUSED ? REFUSED : Number(e.target.value))}
            >
              {candidate && (
                <option value={REFUSED}>{`Refused, not published · ${rowCount(candidate.rows)} · tick ${candidate.tick}`}</option>
              )}
              {[...versions].reverse().map((v) => (
                <option key={v.version} value={v.version} disabled={v.ipc === undefined}>
                  {`v${v.version} · ${rowCount(v.rows)} · tick ${v.tick}${v.ipc === undefined ? ' (figures only)' : ''}`}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {showRefused ? (
        <RefusedView
          key={`${candidate.port}@${candidate.tick}`}
          product={product}
          candidate={candidate}
          decoded={decoded}
          lastGood={lastGood}
          onShowLastGood={lastGood ? () => setChosen(lastGood.version) : undefined}
        />
      ) : !portVersions || versions.length === 0 ? (
        <p className="inspector-empty" data-testid="data-empty">
          {portVersions ? `“${port.name}” has not published a version yet. Run the mesh to see data.` : 'Run the mesh to see data.'}
        </p>
      ) : !version || !decoded ? (
        <p className="inspector-empty">Only the newest versions keep their rows; older ones keep their figures (see Observability).</p>
      ) : 'error' in decoded ? (
        <p className="inspector-notice severity-error" role="alert">
          Version {version.version} of “{port.name}” cannot be shown: {decoded.error}
        </p>
      ) : (
        <>
          <p className="data-summary">
            Version {version.version} of <code>{port.name}</code>: {rowCount(decoded.preview.rowCount)},{' '}
            {plural(decoded.preview.columns.length, 'column')}, published at {simulated(version.simulatedAt)} (simulated)
            {candidate && (
              <>
                {' '}
                ·{' '}
                <button type="button" className="link-button" onClick={() => setChosen(REFUSED)}>
                  show the refused candidate of tick {candidate.tick}
                </button>
              </>
            )}
          </p>
          <VirtualTable preview={decoded.preview} label={`Rows of ${port.name}, version ${version.version}`} />
        </>
      )}
    </div>
  );
}

/** Which rows to show of a refused candidate: all (failing ones marked) or only those failing one check. */
type RowFilter = { readonly kind: 'all' } | { readonly kind: 'failing'; readonly check: string };

type RowsState =
  | { readonly status: 'loading' }
  /** Per row-level check its rows; `problems`: why those of some checks could not be listed, in words. */
  | { readonly status: 'ready'; readonly byCheck: ReadonlyMap<string, FailingRows>; readonly problems: readonly string[] };

/** A refused candidate: the banner, the checks that refused it, and its rows with the failing ones marked or filtered. */
function RefusedView({
  product,
  candidate,
  decoded,
  lastGood,
  onShowLastGood,
}: {
  readonly product: DataProduct;
  readonly candidate: RefusedCandidate;
  readonly decoded: { preview: Preview } | { error: string } | undefined;
  readonly lastGood: PortVersion | undefined;
  readonly onShowLastGood: (() => void) | undefined;
}) {
  const store = useAppStoreApi();
  const [filter, setFilter] = useState<RowFilter>({ kind: 'all' });
  const [rows, setRows] = useState<RowsState>({ status: 'loading' });
  const failed = candidate.checks.filter((c) => !c.passed);
  const words = useMemo(() => ruleWordsOf(product), [product]);
  const rowLevel = new Set(candidate.rowChecks.map((c) => c.id));

  useEffect(() => {
    let current = true;
    const ids = candidate.rowChecks.map((c) => c.id);
    // Each check on its own: one whose rows cannot be listed leaves the others marked.
    void Promise.allSettled(ids.map((id) => store.getState().candidateFailingRows(product.id, candidate.port, id))).then((found) => {
      const byCheck = new Map<string, FailingRows>();
      const problems: string[] = [];
      found.forEach((outcome, i) => {
        if (outcome.status === 'rejected') problems.push(outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason));
        else if (outcome.value) byCheck.set(ids[i] as string, outcome.value);
      });
      if (current) setRows({ status: 'ready', byCheck, problems });
    });
    return () => {
      current = false;
    };
  }, [store, product.id, candidate]);

  // Row number → the checks it breaks, in words (the table's marks and their accessible text).
  const flagged = useMemo(() => {
    const marks = new Map<number, string>();
    if (rows.status !== 'ready') return marks;
    for (const [id, found] of rows.byCheck) for (const row of found.rows) marks.set(row, marks.has(row) ? `${marks.get(row)}, ${id}` : id);
    return marks;
  }, [rows]);
  const shownRows = filter.kind === 'failing' && rows.status === 'ready' ? rows.byCheck.get(filter.check) : undefined;
  const preview = decoded && 'preview' in decoded ? decoded.preview : undefined;
  const shown = useMemo(() => (preview && shownRows ? rowsOf(preview, shownRows.rows) : preview), [preview, shownRows]);

  return (
    <div className="refused-candidate" data-testid="refused-candidate">
      <div className="refused-banner" role="note" aria-label="Refused, not published">
        <p className="refused-title">
          <strong>Refused — not published.</strong> What the run at tick {candidate.tick} ({simulated(candidate.simulatedAt)}, simulated)
          would have published on <code>{candidate.port}</code>: {rowCount(candidate.rows)}.
        </p>
        <p>
          {lastGood ? (
            <>
              Consumers keep reading the last good version, v{lastGood.version} ({rowCount(lastGood.rows)}, tick {lastGood.tick}).{' '}
              {onShowLastGood && (
                <button type="button" className="link-button" onClick={onShowLastGood}>
                  Show v{lastGood.version}
                </button>
              )}
            </>
          ) : (
            'The port has no good version yet: its consumers cannot run until it publishes.'
          )}
        </p>
      </div>
      {failed.length > 0 && (
        <table className="refused-checks" aria-label="Checks that failed">
          <thead>
            <tr>
              <th scope="col">Failed check</th>
              <th scope="col">Measured</th>
              <th scope="col">Expected</th>
              <th scope="col">Rows</th>
            </tr>
          </thead>
          <tbody>
            {failed.map((c) => (
              <tr key={c.id} className={`severity-${c.severity}`} data-testid="refused-check" data-check={c.id}>
                <th scope="row">
                  <span className="refused-check-name">{words.get(`${c.port} ${c.id}`) ?? checkName(c)}</span>{' '}
                  <span className="refused-check-severity">{c.severity === 'error' ? 'blocks publishing' : 'warning'}</span>
                  <small className="refused-check-id">
                    <code>{c.id}</code> · {c.file}:{c.line}
                  </small>
                </th>
                <td className="vt-numeric">{c.measured === undefined ? '—' : measuredText(c)}</td>
                <td>{c.expected ?? '—'}</td>
                <td>
                  {rowLevel.has(c.id) ? (
                    <ShowRowsButton
                      check={c.id}
                      count={rows.status === 'ready' ? rows.byCheck.get(c.id)?.total : undefined}
                      pressed={filter.kind === 'failing' && filter.check === c.id}
                      onShow={() => setFilter({ kind: 'failing', check: c.id })}
                    />
                  ) : (
                    <span className="form-help">whole table</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="tab-toolbar">
        {candidate.rowChecks.length > 0 && (
          <label className="inline-field">
            Rows{' '}
            <select
              value={filter.kind === 'all' ? '' : filter.check}
              onChange={(e) => setFilter(e.target.value === '' ? { kind: 'all' } : { kind: 'failing', check: e.target.value })}
            >
              <option value="">All rows, failing ones marked</option>
              {candidate.rowChecks.map((c) => (
                <option key={c.id} value={c.id}>
                  Only rows failing {c.id}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="form-help" aria-live="polite" data-testid="refused-rows-status">
          {rows.status === 'loading' && candidate.rowChecks.length > 0
            ? 'Finding the rows that fail…'
            : rows.status === 'ready' && rows.problems.length > 0
              ? rows.problems.join('; ')
              : filter.kind === 'failing' && shownRows
                ? shownRows.rows.length < shownRows.total
                  ? `The first ${shownRows.rows.length.toLocaleString('en')} of ${plural(shownRows.total, 'row')} failing ${filter.check}`
                  : `${plural(shownRows.total, 'row')} failing ${filter.check}`
                : flagged.size > 0
                  ? `${plural(flagged.size, 'row')} marked as failing a check`
                  : ''}
        </span>
      </div>
      {!decoded ? null : 'error' in decoded ? (
        <p className="inspector-notice severity-error" role="alert">
          The refused candidate cannot be shown: {decoded.error}
        </p>
      ) : (
        shown && (
          <VirtualTable
            preview={shown}
            flagged={flagged}
            label={`Rows of ${candidate.port}, refused candidate of tick ${candidate.tick} (not published)${filter.kind === 'failing' ? `, only rows failing ${filter.check}` : ''}`}
          />
        )
      )}
    </div>
  );
}

/** "Show 30 rows" for one failed check; its accessible name starts with those words and names the check. */
function ShowRowsButton({
  check,
  count,
  pressed,
  onShow,
}: {
  readonly check: string;
  readonly count: number | undefined;
  readonly pressed: boolean;
  readonly onShow: () => void;
}) {
  const text = count === undefined ? 'Show rows' : `Show ${plural(count, 'row')}`;
  return (
    <button type="button" aria-pressed={pressed} aria-label={`${text} failing ${check}`} onClick={onShow}>
      {text}
    </button>
  );
}

/** A check's name: its message up to the measurement. */
/**
 * The quality rules of the product's contracts in words, as the Quality view says them, by
 * `<port> <check id>`: a failed rule without a description of its own is named by what it checks.
 */
function ruleWordsOf(product: DataProduct): ReadonlyMap<string, string> {
  const words = new Map<string, string>();
  for (const port of product.outputPorts) {
    for (const check of compilePort(port.name, port.contract).checks) {
      if (check.path.at(-2) !== 'quality' || check.description !== '') continue;
      let rule: unknown = port.contract?.document;
      for (const key of check.path)
        rule = rule !== null && typeof rule === 'object' ? (rule as Record<string | number, unknown>)[key] : undefined;
      if (rule !== null && typeof rule === 'object' && !Array.isArray(rule)) {
        words.set(`${port.name} ${check.id}`, describeRule(rule as Record<string, unknown>, check.column ?? check.table));
      }
    }
  }
  return words;
}

function checkName(check: CheckResult): string {
  const first = check.message.split('\n')[0] ?? check.message;
  const cut = first.search(/: (measured |the check's SQL failed|every row|[\d,]+ rows? of )|\s\(logicalTypeOptions/);
  return cut > 0 ? first.slice(0, cut) : first;
}

function measuredText(check: CheckResult): string {
  const value = check.measured ?? 0;
  const shown = Number.isInteger(value) ? value.toLocaleString('en') : value.toFixed(2);
  return `${shown}${check.expected?.endsWith('%') ? ' %' : ''}`;
}

function simulated(iso: string): string {
  return iso.replace('T', ' ').replace(/\.000Z$|Z$/, '');
}

function decode(ipc: Uint8Array | undefined): { preview: Preview } | { error: string } | undefined {
  if (!ipc) return undefined;
  try {
    return { preview: decodePreview(ipc) };
  } catch (error) {
    // Bytes that are not Arrow IPC: say so in words; there is nothing the user can fix here.
    return { error: `its data is not readable Arrow (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
  }
}
