import { useEffect, useId, useState } from 'react';
import type { Diagnostic } from '../../../../core/diagnostics/diagnostic.ts';
import { joinPath, resolveInMesh } from '../../../../core/fs/meshFileSystem.ts';
import { SETTINGS_FILE } from '../../../../core/load/readMeshFiles.ts';
import type { DataProduct, Mesh } from '../../../../core/model/types.ts';
import type { YamlPath, YamlSourceFile } from '../../../../core/yaml/sourceFile.ts';
import { useAppStore } from '../../store/AppStoreProvider.tsx';
import { openDocumentOf } from '../../store/state.ts';
import { DiagnosticNotes, InputProblem } from '../DiagnosticNotes.tsx';
import { diagnosticsAt, nodeLines, valueAt } from '../fileDiagnostics.ts';
import { ViewSwitch } from '../ViewSwitch.tsx';
import { YamlFileEditor } from '../YamlFileEditor.tsx';
import { GeneratorForm } from './GeneratorForm.tsx';
import { PreviewTable } from './PreviewTable.tsx';
import { DurationField, TextField, type FieldContext, type OnEdit } from './SourceFields.tsx';
import { previewSeed, seedFormat, type PreviewResult } from './sourcePreview.ts';
import {
  addSourceEdit,
  ARCHETYPES,
  moveItemEdit,
  SOURCES_PATH,
  archetypeMeaning,
  asRecord,
  columnRows,
  defaultSettingsText,
  newSeed,
  removeSourceEdit,
  renameSourceEdit,
  scheduleMeaning,
  sourceNameProblem,
  sourcePath,
  sourceRows,
  valueEdit,
  type SourceRow,
} from './sourcesForm.ts';

/**
 * The product's quanta.yaml as a form — archetype, schedule, simulation limits, and its
 * sources: seed files with their first rows, generators with their columns and a live
 * preview — or as YAML. Every control is one edit of the file (one undo step).
 */
export function SourcesTab({
  mesh,
  product,
  diagnostics,
  onEdit,
}: {
  readonly mesh: Mesh;
  readonly product: DataProduct;
  readonly diagnostics: readonly Diagnostic[];
  readonly onEdit: OnEdit;
}) {
  const [view, setView] = useState<'form' | 'yaml'>('form');
  const path = joinPath(product.dir, SETTINGS_FILE);
  const file = mesh.files.get(path);
  if (!file || !('doc' in file)) {
    return <MissingSettings product={product} path={path} onEdit={onEdit} />;
  }
  const empty = file.text.trim() === '';
  const broken = file.diagnostics.length > 0 || file.value === null || typeof file.value !== 'object';
  return (
    <div className="sources-tab">
      <div className="tab-toolbar">
        <ViewSwitch
          label="Sources view"
          value={view}
          onChange={setView}
          options={[
            ['form', 'Form'],
            ['yaml', 'YAML'],
          ]}
        />
        <span className="tab-toolbar-file">
          <code>{path}</code>
        </span>
      </div>
      {view === 'yaml' ? (
        <YamlFileEditor file={file} diagnostics={diagnostics} onEdit={onEdit} label="Sources YAML (quanta.yaml)" />
      ) : empty ? (
        <MissingSettings product={product} path={path} onEdit={onEdit} empty />
      ) : broken ? (
        <div className="inspector-notice" role="alert">
          <p>
            {SETTINGS_FILE} cannot be read as YAML, so it cannot be shown as a form.{' '}
            <button type="button" className="link-button" onClick={() => setView('yaml')}>
              Fix it in the YAML view
            </button>
          </p>
          <DiagnosticNotes diagnostics={diagnostics.filter((d) => d.file === file.path)} />
        </div>
      ) : (
        <SettingsForm mesh={mesh} product={product} ctx={{ file, diagnostics, onEdit }} />
      )}
    </div>
  );
}

function SettingsForm({ mesh, product, ctx }: { readonly mesh: Mesh; readonly product: DataProduct; readonly ctx: FieldContext }) {
  const { file } = ctx;
  const raw = asRecord(file.value);
  const sources = sourceRows(file.value);
  const hasInputs = product.inputPorts.length > 0;
  const upstreamId = useId();
  const reacts = asRecord(raw['schedule'])['onUpstreamPublish'] !== false;
  const mine = ctx.diagnostics.filter((d) => d.file === file.path);
  // Findings inside a section are shown there; the rest (apiVersion, unknown keys…) at the end.
  const showsUpstream = hasInputs || 'onUpstreamPublish' in asRecord(raw['schedule']);
  const shownAt: YamlPath[] = [
    ['archetype'],
    ['schedule', 'every'],
    ...(showsUpstream ? [['schedule', 'onUpstreamPublish']] : []),
    ['simulation', 'timeout'],
    ['simulation', 'memoryLimit'],
    ['simulation', 'latency'],
    ...sources.map((source) => sourcePath(source.index)),
  ];
  const elsewhere = mine.filter((d) => !shownAt.some((p) => within(file, p, d)));
  return (
    <form className="sources-form" aria-label="Quanta settings" onSubmit={(e) => e.preventDefault()}>
      <fieldset className="sources-section">
        <legend>Archetype</legend>
        <ArchetypeField ctx={ctx} />
      </fieldset>

      <fieldset className="sources-section">
        <legend>Schedule</legend>
        <DurationField
          ctx={ctx}
          path={['schedule', 'every']}
          label="Runs every"
          placeholder="—"
          defaultUnit="h"
          help="Simulated time; empty: no fixed schedule."
        />
        {showsUpstream && (
          <div className="form-row">
            <span className="sources-label-spacer" aria-hidden="true" />
            <label className="sources-check" htmlFor={upstreamId}>
              <input
                id={upstreamId}
                type="checkbox"
                checked={reacts}
                onChange={(e) => {
                  const edit = valueEdit(file, ['schedule', 'onUpstreamPublish'], e.target.checked);
                  if (edit) ctx.onEdit(edit, e.target.checked ? 'Run when an upstream publishes' : 'Do not run when an upstream publishes');
                }}
              />{' '}
              Also run when an upstream publishes
            </label>
            <DiagnosticNotes diagnostics={diagnosticsAt(file, ['schedule', 'onUpstreamPublish'], ctx.diagnostics)} compact />
          </div>
        )}
        <p className="sources-meaning" data-testid="schedule-meaning">
          {scheduleMeaning(raw['schedule'], hasInputs)}
        </p>
      </fieldset>

      <fieldset className="sources-section">
        <legend>Sources</legend>
        {sources.length === 0 ? (
          <p className="inspector-empty">
            {product.name} has no sources: {hasInputs ? 'it reads its input ports. ' : ''}Add a generator to make synthetic data, or declare
            a seed file in the YAML view (<code>file: data/…csv</code>).
          </p>
        ) : (
          sources.map((source) => (
            <SourceCard key={source.index} mesh={mesh} product={product} ctx={ctx} source={source} count={sources.length} />
          ))
        )}
        <button
          type="button"
          className="add-row"
          onClick={() => ctx.onEdit(addSourceEdit(file, newSeed()), `Add a generator source to ${product.id}`)}
        >
          Add generator source
        </button>
      </fieldset>

      <fieldset className="sources-section">
        <legend>Simulation limits</legend>
        <DurationField
          ctx={ctx}
          path={['simulation', 'timeout']}
          label="Timeout"
          placeholder="60"
          defaultUnit="s"
          help="A run (or a seed read) that takes longer fails; at most 24 days. Default 60 seconds."
        />
        <MemoryField ctx={ctx} />
        <DurationField
          ctx={ctx}
          path={['simulation', 'latency']}
          label="Latency"
          placeholder="—"
          defaultUnit="s"
          help="Read by the loader (at most 24 days); runs do not simulate it yet."
        />
      </fieldset>
      <DiagnosticNotes diagnostics={elsewhere} />
    </form>
  );
}

function within(file: YamlSourceFile, path: YamlPath, d: Diagnostic): boolean {
  const lines = nodeLines(file, path);
  return lines !== undefined && d.line >= lines.first && d.line <= lines.last;
}

function ArchetypeField({ ctx }: { readonly ctx: FieldContext }) {
  const id = useId();
  const value = valueAt(ctx.file.value, ['archetype']);
  const known = ARCHETYPES.some((a) => a.id === value);
  return (
    <div className="form-row">
      <label htmlFor={id}>Archetype</label>
      <select
        id={id}
        value={typeof value === 'string' ? value : ''}
        aria-describedby={`${id}-help`}
        onChange={(e) => {
          const edit = valueEdit(ctx.file, ['archetype'], e.target.value);
          if (edit) ctx.onEdit(edit, 'Change the archetype');
        }}
      >
        {!known && <option value={typeof value === 'string' ? value : ''}>{typeof value === 'string' ? value : 'Choose…'}</option>}
        {ARCHETYPES.map((a) => (
          <option key={a.id} value={a.id}>
            {a.label}
          </option>
        ))}
      </select>
      <p className="form-help" id={`${id}-help`}>
        {archetypeMeaning(value)}
      </p>
      <DiagnosticNotes diagnostics={diagnosticsAt(ctx.file, ['archetype'], ctx.diagnostics)} compact />
    </div>
  );
}

const MEMORY = /^([0-9]{1,9})(KB|MB|GB)$/;

function MemoryField({ ctx }: { readonly ctx: FieldContext }) {
  const path = ['simulation', 'memoryLimit'] as const;
  return (
    <TextField
      ctx={ctx}
      path={path}
      label="Memory limit"
      placeholder="1GB"
      help="DuckDB’s memory for this quantum, e.g. 256MB; at most its share of the machine. Default 1GB."
      parse={(input) => {
        const trimmed = input.trim().toUpperCase().replace(/\s+/g, '');
        if (trimmed === '') return { value: undefined };
        return MEMORY.test(trimmed) ? { value: trimmed } : { problem: 'Write a size like 256MB or 2GB (KB, MB or GB).' };
      }}
      edit={(value) => {
        if (value !== undefined) return valueEdit(ctx.file, path, value);
        const section = asRecord(valueAt(ctx.file.value, ['simulation']));
        if (!('memoryLimit' in section)) return undefined;
        return { kind: 'deleteField', file: ctx.file.path, path: Object.keys(section).length === 1 ? ['simulation'] : path };
      }}
    />
  );
}

function SourceCard({
  mesh,
  product,
  ctx,
  source,
  count,
}: {
  readonly mesh: Mesh;
  readonly product: DataProduct;
  readonly ctx: FieldContext;
  readonly source: SourceRow;
  readonly count: number;
}) {
  const [confirming, setConfirming] = useState(false);
  const move = (to: number) => {
    const edit = moveItemEdit(ctx.file, SOURCES_PATH, source.index, to);
    if (edit) ctx.onEdit(edit, `Move source ${source.name}`);
  };
  const path = sourcePath(source.index);
  const title = source.name || `source ${source.index + 1}`;
  const readsIt = readsWord(product.transform?.text, source.name);
  return (
    <section className="sources-card" aria-label={`Source ${title}`} data-source={source.name}>
      <header className="sources-card-header">
        <h3>
          {title}{' '}
          <span className="sources-kind">
            {source.kind === 'generator' ? 'generator' : source.kind === 'file' ? 'seed file' : 'source'}
          </span>
        </h3>
        <span className="row-actions">
          <button
            type="button"
            aria-label={`Move ${title} up`}
            title="Earlier sources are what later ones can reference"
            disabled={source.index === 0}
            onClick={() => move(source.index - 1)}
          >
            ↑
          </button>
          <button
            type="button"
            aria-label={`Move ${title} down`}
            disabled={source.index === count - 1}
            onClick={() => move(source.index + 1)}
          >
            ↓
          </button>
        </span>
        <button type="button" onClick={() => setConfirming(true)} disabled={confirming} aria-label={`Remove source ${title}`}>
          Remove
        </button>
      </header>
      {confirming && (
        <div className="inspector-notice" role="alertdialog" aria-label={`Remove source ${title}?`}>
          <p>
            Remove source “{title}”?{readsIt ? ' transform.sql reads it, so the transform will fail until it is changed.' : ''} Undo brings
            it back.
          </p>
          <button
            type="button"
            onClick={() => {
              setConfirming(false);
              ctx.onEdit(removeSourceEdit(ctx.file, source.index), `Remove source ${title}`);
            }}
          >
            Remove {title}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      <SourceNameField ctx={ctx} source={source} transform={product.transform?.text} />
      <TextField
        ctx={ctx}
        path={[...path, 'description']}
        label="Description"
        parse={(input) => ({ value: input.trim() === '' ? undefined : input })}
      />
      {source.kind === 'generator' ? (
        <GeneratorForm ctx={ctx} mesh={mesh} productId={product.id} source={source} />
      ) : source.kind === 'file' ? (
        <FileSource ctx={ctx} product={product} source={source} />
      ) : (
        <p className="form-help">This source has neither a file nor a generator; give it one in the YAML view.</p>
      )}
      <DiagnosticNotes
        diagnostics={diagnosticsAt(ctx.file, path, ctx.diagnostics).filter(
          (d) => !shownInFields(source).some((field) => within(ctx.file, [...path, ...field], d)),
        )}
        compact
      />
    </section>
  );
}

/** The places inside a source whose findings its fields show (the rest are listed under the source). */
function shownInFields(source: SourceRow): YamlPath[] {
  const columns = columnRows(source).map((_, c): YamlPath => ['generator', 'columns', c]);
  return [
    ['name'],
    ['description'],
    ['file'],
    ['format'],
    ['generator', 'rows'],
    ['generator', 'rowsPerTick'],
    ['generator', 'seed'],
    ...columns,
  ];
}

/** Whether transform.sql mentions `name` as a word (a table it reads). */
function readsWord(sql: string | undefined, name: string): boolean {
  if (sql === undefined || name === '') return false;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_])${escaped}($|[^A-Za-z0-9_])`).test(sql);
}

function SourceNameField({
  ctx,
  source,
  transform,
}: {
  readonly ctx: FieldContext;
  readonly source: SourceRow;
  readonly transform: string | undefined;
}) {
  const id = useId();
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const [renamedFrom, setRenamedFrom] = useState<string | undefined>(undefined);
  const value = draft ?? source.name;
  const problem = draft === undefined ? undefined : sourceNameProblem(ctx.file.value, source.index, draft.trim());
  const found = diagnosticsAt(ctx.file, [...sourcePath(source.index), 'name'], ctx.diagnostics);
  return (
    <div className="form-row">
      <label htmlFor={id}>Name</label>
      <input
        id={id}
        type="text"
        value={value}
        spellCheck={false}
        aria-invalid={problem !== undefined || found.length > 0}
        aria-describedby={`${id}-help${problem ? ` ${id}-problem` : ''}`}
        onChange={(e) => {
          setDraft(e.target.value);
          const edit = renameSourceEdit(ctx.file, source.index, e.target.value.trim());
          if (edit) {
            setRenamedFrom((from) => from ?? source.name);
            ctx.onEdit(edit, `Rename source ${source.name}`, `rename:${ctx.file.path}:${source.index}`);
          }
        }}
        onBlur={() => {
          if (draft !== undefined && sourceNameProblem(ctx.file.value, source.index, draft.trim()) === undefined) setDraft(undefined);
        }}
      />
      <p className="form-help" id={`${id}-help`}>
        The table transform.sql reads; references to it in this file follow a rename.
        {renamedFrom !== undefined && renamedFrom !== source.name && readsWord(transform, renamedFrom)
          ? ` transform.sql still reads “${renamedFrom}”: update it in the Transform tab.`
          : ''}
      </p>
      <InputProblem id={`${id}-problem`} text={problem} />
      <DiagnosticNotes diagnostics={found} compact />
    </div>
  );
}

function FileSource({ ctx, product, source }: { readonly ctx: FieldContext; readonly product: DataProduct; readonly source: SourceRow }) {
  const path = sourcePath(source.index);
  const relative = typeof source.raw['file'] === 'string' ? source.raw['file'] : undefined;
  const formatId = useId();
  const format = source.raw['format'];
  return (
    <>
      <TextField
        ctx={ctx}
        path={[...path, 'file']}
        label="File"
        help="Relative to the product folder, inside the mesh (e.g. data/orders.csv)."
        parse={(input) => (input.trim() === '' ? { problem: 'A seed file source needs a file.' } : { value: input.trim() })}
      />
      <div className="form-row">
        <label htmlFor={formatId}>Format</label>
        <select
          id={formatId}
          value={typeof format === 'string' ? format : ''}
          onChange={(e) => {
            const edit = valueEdit(ctx.file, [...path, 'format'], e.target.value || undefined);
            if (edit) ctx.onEdit(edit, `Change the format of ${source.name}`);
          }}
        >
          <option value="">From the file’s extension</option>
          <option value="csv">CSV</option>
          <option value="jsonl">JSON lines</option>
          <option value="parquet">Parquet</option>
        </select>
        <DiagnosticNotes diagnostics={diagnosticsAt(ctx.file, [...path, 'format'], ctx.diagnostics)} compact />
      </div>
      {relative !== undefined && <SeedPreview product={product} relative={relative} format={format} name={source.name} />}
    </>
  );
}

function SeedPreview({
  product,
  relative,
  format,
  name,
}: {
  readonly product: DataProduct;
  readonly relative: string;
  readonly format: unknown;
  readonly name: string;
}) {
  const seeds = useAppStore((s) => openDocumentOf(s)?.seeds);
  const resolved = resolveInMesh(product.dir, relative);
  const kind = seedFormat(relative, format);
  const [result, setResult] = useState<PreviewResult | undefined>(undefined);
  useEffect(() => {
    let live = true;
    setResult(undefined);
    const read = async (): Promise<PreviewResult> => {
      if (resolved === undefined) return { problem: 'The file is outside the mesh folder, so it is not read.' };
      if (!kind) return { problem: 'Quanta reads .csv, .jsonl and .parquet seed files (or set the format).' };
      const stat = seeds ? await seeds.stat(resolved) : undefined;
      if (!seeds || stat?.kind !== 'file') return { problem: `${resolved} is not in the mesh.` };
      return previewSeed(await seeds.readFile(resolved), kind);
    };
    read().then(
      (r) => live && setResult(r),
      (error: unknown) => live && setResult({ problem: `It cannot be read: ${error instanceof Error ? error.message : String(error)}` }),
    );
    return () => {
      live = false;
    };
  }, [seeds, resolved, kind]);
  return (
    <section className="sources-preview" aria-label={`Preview of ${name}`}>
      <h4>Preview: its first rows</h4>
      {!result ? (
        <p className="form-help">Reading…</p>
      ) : 'problem' in result ? (
        <p className="form-help">{result.problem}</p>
      ) : (
        <PreviewTable preview={result.preview} label={`First rows of ${relative}`} testId="seed-preview" />
      )}
    </section>
  );
}

function MissingSettings({
  product,
  path,
  onEdit,
  empty = false,
}: {
  readonly product: DataProduct;
  readonly path: string;
  readonly onEdit: OnEdit;
  readonly empty?: boolean;
}) {
  const hasInputs = product.inputPorts.length > 0;
  return (
    <div className="inspector-notice">
      <p>
        {empty ? (
          <>
            <code>{path}</code> is empty
          </>
        ) : (
          <>
            {product.name} has no <code>{path}</code> yet
          </>
        )}
        : it declares the product’s archetype, its sources and when it runs.
      </p>
      <p className="form-help">
        {hasInputs
          ? 'It reads input ports, so it starts as consumer-aligned and runs whenever an upstream publishes.'
          : 'It starts as source-aligned with a generator of 100 rows (10 more per tick) and runs every simulated hour.'}
      </p>
      <button
        type="button"
        onClick={() =>
          onEdit(
            { kind: 'setText', file: path, text: defaultSettingsText(product.id, hasInputs, newSeed()) },
            `Create ${SETTINGS_FILE} of ${product.id}`,
          )
        }
      >
        {empty ? `Fill ${SETTINGS_FILE} with defaults` : `Create ${SETTINGS_FILE}`}
      </button>
    </div>
  );
}
