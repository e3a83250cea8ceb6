import { useEffect, useId, useRef, useState } from 'react';
import { IMPORT_TYPES, type ImportType } from '../../../core/import/inferTypes.ts';
import { analyzeImport, ImportError, type ImportAnalysis } from '../../../core/import/importFile.ts';
import type { Mesh } from '../../../core/model/types.ts';
import { useAppStoreApi } from '../store/AppStoreProvider.tsx';
import { DomainSelect } from '../components/DomainSelect.tsx';

/** One file being imported: read and analysed, or the reason it cannot be. */
interface Pending {
  readonly key: string;
  readonly analysis?: ImportAnalysis;
  readonly error?: string;
  readonly id: string;
  readonly name: string;
  readonly types: Readonly<Record<string, ImportType>>;
}

async function read(file: File, n: number): Promise<Pending> {
  const key = `${n}:${file.name}`;
  try {
    const analysis = analyzeImport(file.name, new Uint8Array(await file.arrayBuffer()));
    const name = analysis.productId.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
    return { key, analysis, id: analysis.productId, name, types: {} };
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    return { key, error: error.message, id: '', name: file.name, types: {} };
  }
}

/**
 * "Import data…" in the editor's toolbar, and files dropped on the editor: each CSV, JSON
 * lines or Parquet file is previewed with its inferred column types, then becomes a
 * source-aligned product (store action importData; nothing is written when one fails).
 */
export function ImportDataButton({ mesh }: { readonly mesh: Mesh }) {
  const [files, setFiles] = useState<readonly File[]>();
  useEffect(() => {
    const over = (event: DragEvent): void => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    };
    const drop = (event: DragEvent): void => {
      const dropped = [...(event.dataTransfer?.files ?? [])];
      if (dropped.length === 0) return;
      event.preventDefault();
      setFiles(dropped);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        onClick={() => input.current?.click()}
        title="Make a source-aligned product of a CSV, JSON lines or Parquet file (or drop files on the editor)"
      >
        Import data…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label="Data files to import"
        accept=".csv,.tsv,.jsonl,.ndjson,.json,.parquet"
        onChange={(event) => {
          const picked = [...(event.target.files ?? [])];
          event.target.value = '';
          if (picked.length > 0) setFiles(picked);
        }}
      />
      {files && <ImportDialog mesh={mesh} files={files} onClose={() => setFiles(undefined)} />}
    </>
  );
}

function ImportDialog({ mesh, files, onClose }: { readonly mesh: Mesh; readonly files: readonly File[]; readonly onClose: () => void }) {
  const store = useAppStoreApi();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [pending, setPending] = useState<readonly Pending[]>([]);
  const [reading, setReading] = useState(0);
  const [domain, setDomain] = useState(mesh.domains[0]?.id ?? '');
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  useEffect(() => {
    let live = true;
    void (async () => {
      const done: Pending[] = [];
      for (const [n, file] of files.entries()) {
        if (!live) return;
        setReading(n + 1);
        done.push(await read(file, n));
      }
      if (live) setPending(done);
    })();
    return () => {
      live = false;
    };
  }, [files]);
  const update = (key: string, patch: Partial<Pending>): void =>
    setPending((list) => list.map((p) => (p.key === key ? { ...p, ...patch } : p)));
  const ready = pending.filter((p) => p.analysis);
  const create = (): void => {
    if (domain === '') return setProblem('Create a domain first: every data product belongs to one.');
    const requests = ready.flatMap((p) =>
      p.analysis ? [{ analysis: p.analysis, domain, id: p.id, name: p.name.trim() || p.id, types: p.types }] : [],
    );
    if (store.getState().importData(requests)) {
      store.getState().select(requests[0]?.id);
      onClose();
    } else setProblem(store.getState().notice);
  };
  return (
    <dialog ref={ref} className="modal import-dialog" aria-labelledby={titleId} onCancel={(e) => (e.preventDefault(), onClose())}>
      <h2 id={titleId}>Import data</h2>
      {pending.length === 0 ? (
        <p role="status">
          Reading {files[reading - 1]?.name ?? ''} ({reading} of {files.length})…
        </p>
      ) : (
        <>
          <DomainSelect domains={mesh.domains} value={domain} onChange={setDomain} />
          {pending.map((p) => (
            <section key={p.key} className="import-file" aria-label={p.analysis?.fileName ?? p.name}>
              {p.error !== undefined || !p.analysis ? (
                <p className="form-error" role="alert">
                  {p.error}
                </p>
              ) : (
                <FilePreview pending={p} analysis={p.analysis} onChange={(patch) => update(p.key, patch)} />
              )}
            </section>
          ))}
        </>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={ready.length === 0} onClick={create}>
          {ready.length > 1 ? `Create ${ready.length} products` : 'Create product'}
        </button>
      </div>
    </dialog>
  );
}

function FilePreview({
  pending,
  analysis,
  onChange,
}: {
  readonly pending: Pending;
  readonly analysis: ImportAnalysis;
  readonly onChange: (patch: Partial<Pending>) => void;
}) {
  return (
    <>
      <h3>
        {analysis.fileName}{' '}
        <span className="hint">
          {analysis.rows.toLocaleString('en')} {analysis.rows === 1 ? 'row' : 'rows'}
        </span>
      </h3>
      {analysis.warnings.map((w) => (
        <p key={w} className="import-warning">
          {w}
        </p>
      ))}
      <div className="import-names">
        <label>
          Name
          <input value={pending.name} onChange={(e) => onChange({ name: e.target.value })} />
        </label>
        <label>
          Id
          <input value={pending.id} onChange={(e) => onChange({ id: e.target.value })} />
        </label>
      </div>
      <div className="import-preview">
        <table>
          <thead>
            <tr>
              {analysis.columns.map((c) => (
                <th key={c.name} scope="col">
                  {c.name}
                  <select
                    aria-label={`Type of ${c.name}`}
                    value={pending.types[c.name] ?? c.type}
                    onChange={(e) => onChange({ types: { ...pending.types, [c.name]: e.target.value as ImportType } })}
                  >
                    {IMPORT_TYPES.map((t) => (
                      <option key={t}>{t}</option>
                    ))}
                  </select>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {analysis.preview.map((row, r) => (
              <tr key={r}>
                {row.map((cell, c) => (
                  <td key={c} className={cell === null ? 'null' : undefined}>
                    {cell ?? 'null'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
