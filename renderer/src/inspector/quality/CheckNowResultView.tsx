import type { CheckNowState } from './useCheckNow.ts';

/** The outcome of "Run this check now": pass or fail, what was measured, failing values; nothing was published. */
export function CheckNowResultView({
  state,
  label,
  onStop,
}: {
  readonly state: CheckNowState | undefined;
  readonly label: string;
  readonly onStop: () => void;
}) {
  if (!state) return null;
  const { result } = state;
  const status = state.running ? 'running' : (result?.status ?? 'error');
  return (
    <section className="quality-result" data-status={status} aria-label={label} aria-live="polite" data-testid="check-now-result">
      {state.running || !result ? (
        <p className="quality-result-head">
          Checking on {state.on}…{' '}
          <button type="button" onClick={onStop}>
            Stop
          </button>
        </p>
      ) : result.status === 'passed' || result.status === 'failed' ? (
        <>
          <p className="quality-result-head">
            <strong>
              {result.status === 'passed'
                ? 'Passes'
                : result.severity === 'error'
                  ? 'Fails — would refuse the publish'
                  : 'Fails — reported as a warning'}
            </strong>{' '}
            on {state.on}: measured{' '}
            <span data-testid="check-now-measured">
              {result.unit === 'percent' ? `${result.measured.toFixed(2)} %` : result.measured.toLocaleString('en')}
            </span>{' '}
            of {result.total.toLocaleString('en')} row{result.total === 1 ? '' : 's'}.
          </p>
          {result.status === 'failed' && result.samples.length > 0 && (
            <div className="quality-samples">
              <span>Failing values:</span>
              <ul aria-label="Failing values">
                {result.samples.map((sample) => (
                  <li key={sample}>
                    <code>{sample}</code>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <p className="quality-result-message">{result.message}</p>
        </>
      ) : (
        <>
          <p className="quality-result-head">
            <strong>
              {result.status === 'unrunnable' ? 'Not run' : result.status === 'stopped' ? 'Stopped' : 'The check could not run'}
            </strong>
          </p>
          <p className="quality-result-message">{result.message}</p>
        </>
      )}
      <p className="quality-result-note">Checked only: nothing was published.</p>
    </section>
  );
}
