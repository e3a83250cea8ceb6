import { useEffect, useId, useRef, useState } from 'react';
import { appendableTable, proposedSource, sourceNote } from '../../../core/import/addSource.ts';
import { IMPORT_TYPES, type ImportType } from '../../../core/import/inferTypes.ts';
import { MAX_BYTES, WARN_BYTES, type ImportAnalysis } from '../../../core/import/importFile.ts';
import type { DataProduct, Mesh } from '../../../core/model/types.ts';
import { useAppStoreApi } from '../store/AppStoreProvider.tsx';
import { DomainSelect } from '../components/DomainSelect.tsx';
import { useFileReading, type FileReading } from './useFileReading.ts';

/** What the user set for one file: its product's name and id, its column types, or its source name. */
interface Choices {
  readonly id?: string;
  readonly name?: string;
  readonly source?: string;
  /** Its rows published with those of the product's source table (transform.sql reads both as one). */
  readonly append?: boolean;
  readonly types?: Readonly<Record<string, ImportType>>;
}

/** The value of the "Import into" select that means new products. */
const NEW_PRODUCTS = '';
const PRODUCT_NODE = '[data-testid="product-node"]';
const DROP_TARGET = 'import-drop-target';

function productNodeAt(target: EventTarget | null): HTMLElement | undefined {
  return target instanceof Element ? ((target.closest(PRODUCT_NODE) as HTMLElement | null) ?? undefined) : undefined;
}

/**
 * "Import data…" in the editor's toolbar, and files dropped on the editor: each CSV, JSON
 * lines or Parquet file is read in a worker (with progress, Cancel stops it), previewed with
 * its inferred column types and first rows, then becomes a source-aligned product (store
 * action importData) — or, dropped on a product's node or with "Import into" set to a
 * product, one more source of that product (addDataFiles). All or none: nothing is written
 * while one file cannot be imported.
 */
export function ImportDataButton({ mesh }: { readonly mesh: Mesh }) {
  const [request, setRequest] = useState<{ readonly files: readonly File[]; readonly target: string }>();
  useEffect(() => {
    let marked: HTMLElement | undefined;
    const mark = (node: HTMLElement | undefined): void => {
      if (node === marked) return;
      marked?.classList.remove(DROP_TARGET);
      node?.classList.add(DROP_TARGET);
      marked = node;
    };
    const over = (event: DragEvent): void => {
      if (!event.dataTransfer?.types.includes('Files')) return;
      event.preventDefault();
      mark(productNodeAt(event.target));
    };
    const leave = (event: DragEvent): void => {
      if (event.relatedTarget === null) mark(undefined);
    };
    const drop = (event: DragEvent): void => {
      mark(undefined);
      const dropped = [...(event.dataTransfer?.files ?? [])];
      if (dropped.length === 0) return;
      event.preventDefault();
      setRequest({ files: dropped, target: productNodeAt(event.target)?.dataset['productId'] ?? NEW_PRODUCTS });
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      mark(undefined);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        onClick={() => input.current?.click()}
        title="Make a source-aligned product of a CSV, JSON lines or Parquet file, or add one to a product (or drop files on the editor, or on a product)"
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
          if (picked.length > 0) setRequest({ files: picked, target: NEW_PRODUCTS });
        }}
      />
      {request && <ImportDialog mesh={mesh} files={request.files} initialTarget={request.target} onClose={() => setRequest(undefined)} />}
    </>
  );
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A file's size for people: bytes, KB or MB. */
function sizeOf(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : megabytes(bytes);
}

function titleOf(productId: string): string {
  return productId.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

function ImportDialog({
  mesh,
  files,
  initialTarget,
  onClose,
}: {
  readonly mesh: Mesh;
  readonly files: readonly File[];
  readonly initialTarget: string;
  readonly onClose: () => void;
}) {
  const store = useAppStoreApi();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const reading = useFileReading(files);
  const [left, setLeft] = useState<ReadonlySet<number>>(new Set());
  const [choices, setChoices] = useState<Readonly<Record<number, Choices>>>({});
  const [domain, setDomain] = useState(mesh.domains[0]?.id ?? '');
  const [target, setTarget] = useState(mesh.products.some((p) => p.id === initialTarget) ? initialTarget : NEW_PRODUCTS);
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  const product = mesh.products.find((p) => p.id === target);
  const kept = reading.files.map((f, index) => ({ ...f, index })).filter((f) => !left.has(f.index));
  const broken = kept.filter((f) => f.error !== undefined);
  const ready = kept.flatMap((f) => (f.analysis ? [{ ...f, analysis: f.analysis }] : []));
  // Proposed source names, unique among the product's tables and each other.
  const proposed = new Map<number, string>();
  if (product) for (const f of ready) proposed.set(f.index, proposedSource(product, f.analysis.fileName, [...proposed.values()]));
  const choose = (index: number, patch: Choices): void => setChoices((c) => ({ ...c, [index]: { ...c[index], ...patch } }));
  const idOf = (f: { index: number; analysis: ImportAnalysis }): string => choices[f.index]?.id ?? f.analysis.productId;
  const sourceOf = (index: number): string => choices[index]?.source ?? proposed.get(index) ?? '';

  const create = (): void => {
    if (broken.length > 0 || ready.length === 0) return;
    if (product) {
      const requests = ready.map((f) => ({ analysis: f.analysis, source: sourceOf(f.index), append: choices[f.index]?.append ?? false }));
      if (store.getState().addDataFiles(product.id, requests)) {
        store.getState().select(product.id);
        onClose();
      } else setProblem(store.getState().notice);
      return;
    }
    if (domain === '') return setProblem('Create a domain first: every data product belongs to one.');
    const requests = ready.map((f) => ({
      analysis: f.analysis,
      domain,
      id: idOf(f),
      name: (choices[f.index]?.name ?? titleOf(f.analysis.productId)).trim() || idOf(f),
      types: choices[f.index]?.types ?? {},
    }));
    if (store.getState().importData(requests)) {
      store.getState().select(requests[0]?.id);
      onClose();
    } else setProblem(store.getState().notice);
  };
  const action = product
    ? `Add ${ready.length > 1 ? `${ready.length} files` : 'file'} to ${product.id}`
    : ready.length > 1
      ? `Create ${ready.length} products`
      : 'Create product';
  return (
    <dialog ref={ref} className="modal import-dialog" aria-labelledby={titleId} onCancel={(e) => (e.preventDefault(), onClose())}>
      <h2 id={titleId}>Import data</h2>
      {!reading.done ? (
        <ReadingProgress files={reading.files} />
      ) : (
        <>
          <div className="import-target">
            <label>
              Import into
              <select value={target} onChange={(e) => setTarget(e.target.value)}>
                <option value={NEW_PRODUCTS}>{ready.length > 1 ? 'New source-aligned products' : 'A new source-aligned product'}</option>
                {mesh.products.map((p) => (
                  <option key={p.id} value={p.id}>
                    A new source of {p.name} ({p.id})
                  </option>
                ))}
              </select>
            </label>
            {!product && <DomainSelect domains={mesh.domains} value={domain} onChange={setDomain} />}
          </div>
          {kept.length === 0 && <p className="hint">Every file is left out: Cancel, or pick other files with Import data….</p>}
          {kept.map((f) => (
            <section key={f.index} className="import-file" aria-label={f.analysis?.fileName ?? f.file.name}>
              {f.error !== undefined || !f.analysis ? (
                <div className="import-refused">
                  <p className="form-error" role="alert">
                    {f.error}
                  </p>
                  <button type="button" onClick={() => setLeft((s) => new Set([...s, f.index]))}>
                    Leave out {f.file.name}
                  </button>
                </div>
              ) : (
                <FilePreview
                  analysis={f.analysis}
                  product={product}
                  appendTo={product ? appendableTable(product) : undefined}
                  choices={choices[f.index] ?? {}}
                  source={sourceOf(f.index)}
                  onChange={(patch) => choose(f.index, patch)}
                  onLeaveOut={kept.length > 1 ? () => setLeft((s) => new Set([...s, f.index])) : undefined}
                />
              )}
            </section>
          ))}
          {broken.length > 0 && (
            <p className="form-error">
              Nothing is imported while a file cannot be: leave out {broken.map((f) => f.file.name).join(', ')}, or fix{' '}
              {broken.length > 1 ? 'them' : 'it'} and import again.
            </p>
          )}
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
        {reading.done && (
          <button type="button" className="primary" disabled={ready.length === 0 || broken.length > 0} onClick={create}>
            {action}
          </button>
        )}
      </div>
    </dialog>
  );
}

/** Each file's bytes read so far, while the worker reads them. */
function ReadingProgress({ files }: { readonly files: readonly FileReading[] }) {
  return (
    <ul className="import-progress" aria-label="Reading files">
      {files.map((f, i) => {
        const total = f.file.size;
        const percent = total === 0 ? 100 : Math.floor((f.bytesRead / total) * 100);
        const state = f.error !== undefined ? 'cannot be imported' : f.analysis ? 'read' : `${percent}%`;
        return (
          <li key={i}>
            <span className="import-progress-name">{f.file.name}</span>
            <progress max={Math.max(total, 1)} value={total === 0 ? 1 : f.bytesRead} aria-label={`Reading ${f.file.name}`} />
            <span className="hint" data-testid="import-progress-text">
              {megabytes(f.bytesRead)} of {megabytes(total)} ({state})
            </span>
            {total > MAX_BYTES ? (
              <p className="form-error">
                Too large: files above {megabytes(MAX_BYTES)} cannot be imported (a quantum holds its data in memory).
              </p>
            ) : (
              total > WARN_BYTES && <p className="import-warning">Large ({megabytes(total)}): the quantum holds it in memory.</p>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function FilePreview({
  analysis,
  product,
  appendTo,
  choices,
  source,
  onChange,
  onLeaveOut,
}: {
  readonly analysis: ImportAnalysis;
  /** The product it becomes a source of; a new product when undefined. */
  readonly product: DataProduct | undefined;
  /** The product's source table its rows can be published with (core appendableTable). */
  readonly appendTo: string | undefined;
  readonly choices: Choices;
  readonly source: string;
  readonly onChange: (patch: Choices) => void;
  readonly onLeaveOut: (() => void) | undefined;
}) {
  return (
    <>
      <div className="import-file-head">
        <h3>
          {analysis.fileName}{' '}
          <span className="hint">
            {analysis.rows.toLocaleString('en')} {analysis.rows === 1 ? 'row' : 'rows'}, {sizeOf(analysis.bytes.byteLength)}
          </span>
        </h3>
        {onLeaveOut && (
          <button type="button" onClick={onLeaveOut}>
            Leave out {analysis.fileName}
          </button>
        )}
      </div>
      {analysis.warnings.map((w) => (
        <p key={w} className="import-warning">
          {w}
        </p>
      ))}
      {product ? (
        <div className="import-source">
          <div className="import-names">
            <label>
              Source name
              <input value={source} onChange={(e) => onChange({ source: e.target.value })} spellCheck={false} />
            </label>
            <p className="hint">
              {appendTo && choices.append
                ? `transform.sql will read "${source}" together with ${appendTo}: ${product.id} publishes the rows of both.`
                : sourceNote(product, source)}
            </p>
          </div>
          {appendTo && (
            <label className="import-append">
              <input type="checkbox" checked={choices.append ?? false} onChange={(e) => onChange({ append: e.target.checked })} />
              Publish its rows with those of {appendTo} (transform.sql reads both as one table, UNION ALL BY NAME)
            </label>
          )}
        </div>
      ) : (
        <div className="import-names">
          <label>
            Name
            <input value={choices.name ?? titleOf(analysis.productId)} onChange={(e) => onChange({ name: e.target.value })} />
          </label>
          <label>
            Id
            <input value={choices.id ?? analysis.productId} onChange={(e) => onChange({ id: e.target.value })} spellCheck={false} />
          </label>
        </div>
      )}
      <div className="import-preview" tabIndex={0} role="region" aria-label={`First rows of ${analysis.fileName}`}>
        <table>
          <thead>
            <tr>
              {analysis.columns.map((c) => (
                <th key={c.name} scope="col">
                  {c.name}
                  {product ? (
                    <span className="import-type">{c.type}</span>
                  ) : (
                    <select
                      aria-label={`Type of ${c.name}`}
                      value={choices.types?.[c.name] ?? c.type}
                      onChange={(e) => onChange({ types: { ...choices.types, [c.name]: e.target.value as ImportType } })}
                    >
                      {IMPORT_TYPES.map((t) => (
                        <option key={t}>{t}</option>
                      ))}
                    </select>
                  )}
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
        {analysis.preview.length === 0 && <p className="hint">No rows to show.</p>}
      </div>
    </>
  );
}
