import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';
import { plural } from '../samples/meshSummary.ts';

/** What the loader found, in the `file:line:col code message` form that editors and CI link to. */
export function DiagnosticsList({ diagnostics }: { readonly diagnostics: readonly Diagnostic[] }) {
  return (
    <section aria-labelledby="diagnostics-heading" className="diagnostics">
      <h2 id="diagnostics-heading">Problems ({plural(diagnostics.length, 'finding')})</h2>
      <ul>
        {diagnostics.map((d, i) => (
          <li
            key={`${d.file}:${d.line}:${d.column}:${d.code}:${i}`}
            className={`diagnostic diagnostic-${d.severity}`}
            data-testid="diagnostic"
          >
            <span className="diagnostic-where">
              {d.file}:{d.line}:{d.column}
            </span>{' '}
            <span className="diagnostic-code">{d.code}</span> <span className="diagnostic-severity">{d.severity}</span>{' '}
            <span className="diagnostic-message">{d.message}</span>
            {d.hint && <span className="diagnostic-hint">{d.hint}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
