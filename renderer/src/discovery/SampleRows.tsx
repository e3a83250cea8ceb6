import { useEffect, useState } from 'react';
import { queryAs, type AuditLog, type QueryTarget } from '../../../core/governance/access/queryAs.ts';
import type { Mesh } from '../../../core/model/types.ts';
import { decodePreview, type Preview } from '../inspector/dataPreview.ts';
import { VirtualTable } from '../inspector/VirtualTable.tsx';

/** Where sample rows come from: the running mesh, queried as a persona (governance's queryAs). */
export interface SampleRowsSource {
  /** Undefined until the mesh has run. */
  readonly target: QueryTarget | undefined;
  readonly audit: AuditLog;
  readonly running: boolean;
  readonly run: () => void;
}

type Shown =
  | { readonly kind: 'rows'; readonly preview: Preview; readonly masked: readonly string[] }
  | { readonly kind: 'refused'; readonly text: string }
  | { readonly kind: 'loading' };

/** The first rows of a port as the chosen persona may see them: classified columns masked, a denied port said why. */
export function SampleRows({
  mesh,
  product,
  ports,
  source,
}: {
  readonly mesh: Mesh;
  readonly product: string;
  readonly ports: readonly string[];
  readonly source: SampleRowsSource;
}) {
  const personas = mesh.manifest?.personas ?? [];
  const [persona, setPersona] = useState(personas[0]?.id ?? '');
  const [port, setPort] = useState(ports[0] ?? '');
  const [shown, setShown] = useState<Shown | undefined>();
  const { target, audit } = source;
  useEffect(() => {
    if (!target || !persona || !port) return;
    let current = true;
    setShown({ kind: 'loading' });
    queryAs(target, persona, `SELECT * FROM "${product}".${port} LIMIT 20`, { audit }).then(
      (outcome) => {
        if (!current) return;
        if (outcome.ok)
          setShown({
            kind: 'rows',
            preview: decodePreview(outcome.ipc),
            masked: outcome.decisions.flatMap((d) => d.maskedColumns.map((m) => m.column)),
          });
        else setShown({ kind: 'refused', text: outcome.error.message });
      },
      (error: unknown) => current && setShown({ kind: 'refused', text: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [target, audit, persona, port, product]);

  if (ports.length === 0) return <p className="hint">The product has no output port.</p>;
  if (personas.length === 0) return <p className="hint">mesh.yaml declares no personas to read sample rows as.</p>;
  if (!target)
    return (
      <div className="sample-needs-run" data-testid="sample-needs-run">
        <p className="hint">Sample rows come from this session&apos;s run of the mesh, masked for the persona you choose.</p>
        <button type="button" className="primary" disabled={source.running} onClick={source.run}>
          {source.running ? 'Running…' : 'Run to see sample rows'}
        </button>
      </div>
    );
  return (
    <div className="sample-rows" data-testid="sample-rows">
      <div className="sample-bar">
        <label>
          <span>As persona</span>
          <select value={persona} onChange={(e) => setPersona(e.target.value)}>
            {personas.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name || p.id}
              </option>
            ))}
          </select>
        </label>
        {ports.length > 1 && (
          <label>
            <span>Port</span>
            <select value={port} onChange={(e) => setPort(e.target.value)}>
              {ports.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {shown?.kind === 'loading' && <p className="hint">Reading…</p>}
      {shown?.kind === 'refused' && (
        <p className="gov-error" data-testid="sample-refused">
          {shown.text}
        </p>
      )}
      {shown?.kind === 'rows' && (
        <>
          <p className="hint" data-testid="sample-masked">
            {shown.preview.rowCount} row{shown.preview.rowCount === 1 ? '' : 's'}
            {shown.masked.length > 0 ? `; masked for this persona: ${shown.masked.join(', ')}` : '; nothing masked for this persona'}
          </p>
          <VirtualTable
            preview={shown.preview}
            label={`Sample rows of ${port}`}
            height={Math.min(320, 36 + 28 * Math.max(1, shown.preview.rowCount))}
          />
        </>
      )}
    </div>
  );
}
