import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';

/** Findings in plain words with their place (`line 12, column 5`) and code; nothing when there are none. */
export function DiagnosticNotes({
  diagnostics,
  compact = false,
}: {
  readonly diagnostics: readonly Diagnostic[];
  readonly compact?: boolean;
}) {
  if (diagnostics.length === 0) return null;
  return (
    <ul className={`diagnostic-notes${compact ? ' compact' : ''}`}>
      {diagnostics.map((d, i) => (
        <li
          key={`${d.code}:${d.line}:${d.column}:${i}`}
          className={`diagnostic-note severity-${d.severity}`}
          data-testid="inspector-diagnostic"
        >
          <span className="diagnostic-severity">{d.severity === 'error' ? 'Error' : 'Warning'}</span> {d.message}
          {!compact && d.hint && <span className="diagnostic-hint"> {d.hint}</span>}{' '}
          <span className="diagnostic-place">
            line {d.line}, column {d.column} · {d.code}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** A problem with what was typed, before it reaches the file. */
export function InputProblem({ id, text }: { readonly id: string; readonly text: string | undefined }) {
  if (text === undefined) return null;
  return (
    <p className="input-problem" id={id} role="alert">
      {text}
    </p>
  );
}
