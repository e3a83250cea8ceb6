import { useMemo, useState } from 'react';
import { queryAs, type AuditEntry, type AuditLog, type QueryTarget } from '../../../core/governance/access/queryAs.ts';
import type { Mesh } from '../../../core/model/types.ts';
import { decodePreview, type Preview } from '../inspector/dataPreview.ts';
import { VirtualTable } from '../inspector/VirtualTable.tsx';

export interface SqlConsoleProps {
  readonly mesh: Mesh;
  /** The running mesh the query reads; undefined until the mesh has run. */
  readonly target: QueryTarget | undefined;
  /** Where reads and refusals are recorded; it outlives the console (the scorecard reads its usage). */
  readonly audit: AuditLog;
  /** Called after each query, so the caller can re-read `audit` (usage for the scorecard). */
  readonly onAudit?: () => void;
}

type Result =
  | { readonly kind: 'rows'; readonly preview: Preview; readonly masked: readonly string[] }
  | { readonly kind: 'error'; readonly text: string };

/**
 * SQL over the mesh's published output ports, run as a persona: each port the query names
 * is decided (persona, purpose, contract roles, visibility); a denied port stops the query
 * with the reason, classified columns come back masked. Every decision lands in the audit log
 * shown under the results.
 */
export function SqlConsole({ mesh, target, audit, onAudit }: SqlConsoleProps) {
  const personas = mesh.manifest?.personas ?? [];
  const [personaId, setPersonaId] = useState(personas[0]?.id ?? '');
  const [purpose, setPurpose] = useState('');
  const [sql, setSql] = useState(() => defaultSql(mesh));
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | undefined>(undefined);
  const [entries, setEntries] = useState<readonly AuditEntry[]>(() => audit.entries);
  const persona = personas.find((p) => p.id === personaId) ?? personas[0];
  const purposes = persona?.purposes ?? [];

  const run = async (): Promise<void> => {
    if (!target || !persona || busy) return;
    setBusy(true);
    try {
      const outcome = await queryAs(target, persona.id, sql, {
        audit,
        ...(purpose !== '' && purposes.includes(purpose) ? { purpose } : {}),
      });
      if (outcome.ok) {
        setResult({
          kind: 'rows',
          preview: decodePreview(outcome.ipc),
          masked: outcome.decisions.flatMap((d) => d.maskedColumns.map((m) => `"${d.product}".${d.port}.${m.column}`)),
        });
      } else {
        setResult({ kind: 'error', text: `${outcome.error.kind === 'denied' ? 'denied' : 'error'}: ${outcome.error.message}` });
      }
    } catch (error) {
      setResult({ kind: 'error', text: `error: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      setEntries(audit.entries);
      setBusy(false);
      onAudit?.();
    }
  };

  const newestFirst = useMemo(() => [...entries].reverse(), [entries]);
  if (personas.length === 0) {
    return (
      <p className="hint" data-testid="sql-console">
        mesh.yaml declares no personas: add some under <code>personas:</code> to query as one.
      </p>
    );
  }
  return (
    <div className="gov-console" data-testid="sql-console">
      <div className="gov-console-bar">
        <label>
          Persona{' '}
          <select aria-label="Persona" value={persona?.id} onChange={(e) => (setPersonaId(e.target.value), setPurpose(''))}>
            {personas.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name || p.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Purpose{' '}
          <select aria-label="Purpose" value={purpose} onChange={(e) => setPurpose(e.target.value)}>
            <option value="">{purposes.length === 0 ? '(none declared)' : 'any of theirs'}</option>
            {purposes.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="run-button" disabled={!target || busy || sql.trim() === ''} onClick={() => void run()}>
          {busy ? 'Running…' : 'Run query'}
        </button>
      </div>
      <textarea
        className="gov-sql"
        aria-label="SQL query"
        spellCheck={false}
        value={sql}
        rows={5}
        onChange={(e) => setSql(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void run();
          }
        }}
      />
      <p className="hint">
        Output ports are tables named <code>"&lt;product&gt;".&lt;port&gt;</code>. Ctrl/Cmd+Enter runs.
      </p>
      {!target && (
        <p className="gov-note" data-testid="sql-needs-run">
          Run the mesh first: queries read the versions its products published.
        </p>
      )}
      {result?.kind === 'error' && (
        <p className="gov-error" role="alert" data-testid="sql-error">
          {result.text}
        </p>
      )}
      {result?.kind === 'rows' && (
        <div className="gov-console-result" data-testid="sql-result" data-row-count={result.preview.rowCount}>
          <p className="hint">
            {result.preview.rowCount.toLocaleString('en')} row{result.preview.rowCount === 1 ? '' : 's'}
            {result.masked.length > 0 ? `; masked for ${persona?.name || personaId}: ${result.masked.join(', ')}` : ''}
          </p>
          <VirtualTable
            preview={result.preview}
            label="Query result"
            height={Math.min(260, 36 + 28 * Math.max(1, result.preview.rowCount))}
          />
        </div>
      )}
      <section className="gov-audit" aria-label="Audit log">
        <h3>Audit log</h3>
        {newestFirst.length === 0 ? (
          <p className="hint">No reads yet.</p>
        ) : (
          <ul>
            {newestFirst.slice(0, 200).map((e, i) => (
              <li key={newestFirst.length - i} data-testid="audit-entry" data-decision={e.decision} className={`gov-audit-${e.decision}`}>
                <span className="gov-audit-at">{e.at}</span> <strong>{e.persona}</strong>{' '}
                {e.decision === 'allowed' ? 'read' : 'was refused'}{' '}
                <code>
                  "{e.product}".{e.port}
                </code>
                {e.version === undefined ? '' : ` v${e.version}`}
                {e.purpose === undefined ? '' : ` for ${e.purpose}`}: {e.reason}
                {e.columnsMasked.length > 0 ? ` (masked: ${e.columnsMasked.join(', ')})` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** A first query that works on any mesh that has run: the first output port, ten rows. */
function defaultSql(mesh: Mesh): string {
  const product = mesh.products.find((p) => p.outputPorts.length > 0);
  const port = product?.outputPorts[0];
  return product && port ? `SELECT * FROM "${product.id}".${port.name} LIMIT 10` : 'SELECT 42 AS answer';
}
