import { useId, useMemo } from 'react';
import type { Mesh } from '../../../../core/model/types.ts';
import { DiagnosticNotes } from '../DiagnosticNotes.tsx';
import { diagnosticsAt, valueAt } from '../fileDiagnostics.ts';
import { PreviewTable } from './PreviewTable.tsx';
import { TextField, type FieldContext } from './SourceFields.tsx';
import { previewGenerator, referenceOptions, type ReferenceOption } from './sourcePreview.ts';
import {
  addColumnEdit,
  columnPath,
  columnRows,
  columnsPath,
  COLUMN_TYPES,
  columnType,
  generatorPath,
  moveItemEdit,
  newSeed,
  paramsOf,
  paramText,
  parseNumber,
  parseParam,
  typeChangeEdit,
  valueEdit,
  type ColumnParam,
  type ColumnType,
  type SourceRow,
} from './sourcesForm.ts';

/** A generator source: its row counts and seed, its columns as a table, and the first rows it makes. */
export function GeneratorForm({
  ctx,
  mesh,
  productId,
  source,
}: {
  readonly ctx: FieldContext;
  readonly mesh: Mesh;
  readonly productId: string;
  readonly source: SourceRow;
}) {
  const path = generatorPath(source.index);
  const columns = columnRows(source);
  const references = useMemo(() => referenceOptions(mesh, productId, source.index), [mesh, productId, source.index]);
  const generator = source.raw['generator'];
  const preview = useMemo(() => previewGenerator(mesh, productId, generator), [mesh, productId, generator]);
  const integer = (label: string, required: boolean) => (input: string) =>
    parseNumber(input, { integer: true, ...(required ? { required: label } : {}) });
  return (
    <div className="sources-generator">
      <div className="sources-generator-fields">
        <TextField
          ctx={ctx}
          path={[...path, 'rows']}
          label="Rows"
          inputMode="numeric"
          parse={integer('Rows', true)}
          help="Made on the first load (tick 0)."
        />
        <TextField
          ctx={ctx}
          path={[...path, 'rowsPerTick']}
          label="Rows per tick"
          inputMode="numeric"
          placeholder="0"
          parse={integer('Rows per tick', false)}
          help="Added on every later tick (one simulated hour); empty adds none."
        />
        <div className="sources-seed">
          <TextField
            ctx={ctx}
            path={[...path, 'seed']}
            label="Seed"
            inputMode="numeric"
            parse={integer('Seed', true)}
            help="The same seed makes the same rows, on any machine."
          />
          <button
            type="button"
            onClick={() => {
              const edit = valueEdit(ctx.file, [...path, 'seed'], newSeed());
              if (edit) ctx.onEdit(edit, `New seed for ${source.name}`);
            }}
          >
            New seed
          </button>
        </div>
      </div>
      <table className="sources-columns" aria-label={`Columns of ${source.name}`}>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Type</th>
            <th scope="col">
              <span className="inspector-sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        {columns.map((column, c) => (
          <ColumnRows key={c} ctx={ctx} source={source} index={c} column={column} count={columns.length} references={references} />
        ))}
      </table>
      <button
        type="button"
        className="add-row"
        onClick={() => {
          const edit = addColumnEdit(ctx.file, source.index);
          if (edit) ctx.onEdit(edit, `Add a column to ${source.name}`);
        }}
      >
        Add column
      </button>
      <section className="sources-preview" aria-label={`Preview of ${source.name}`}>
        <h4>Preview: the first rows it makes</h4>
        {'problem' in preview ? (
          <p className="form-help" role="status">
            {preview.problem}
          </p>
        ) : (
          <PreviewTable preview={preview.preview} label={`First generated rows of ${source.name}`} testId="generator-preview" />
        )}
      </section>
    </div>
  );
}

function ColumnRows({
  ctx,
  source,
  index,
  column,
  count,
  references,
}: {
  readonly ctx: FieldContext;
  readonly source: SourceRow;
  readonly index: number;
  readonly column: Readonly<Record<string, unknown>>;
  readonly count: number;
  readonly references: readonly ReferenceOption[];
}) {
  const typeId = useId();
  const path = columnPath(source.index, index);
  const name = typeof column['name'] === 'string' ? column['name'] : `column ${index + 1}`;
  const type = column['type'];
  const spec = columnType(type);
  const found = diagnosticsAt(ctx.file, path, ctx.diagnostics);
  const taken = new Set(columnRows(source).flatMap((c, i) => (i === index ? [] : [String(c['name'])])));
  const move = (to: number) => {
    const edit = moveItemEdit(ctx.file, columnsPath(source.index), index, to);
    if (edit) ctx.onEdit(edit, `Move column ${name}`);
  };
  return (
    <tbody className={found.some((d) => d.severity === 'error') ? 'has-error' : undefined}>
      <tr>
        <td>
          <TextField
            ctx={ctx}
            compact
            path={[...path, 'name']}
            label="Name"
            ariaLabel={`Name of column ${index + 1}`}
            parse={(input) => {
              const trimmed = input.trim();
              if (trimmed === '') return { problem: 'A column needs a name.' };
              if (taken.has(trimmed)) return { problem: `Another column is named “${trimmed}”.` };
              return { value: trimmed };
            }}
          />
        </td>
        <td>
          <label className="inspector-sr-only" htmlFor={typeId}>
            Type of {name}
          </label>
          <select
            id={typeId}
            value={spec ? spec.id : String(type)}
            onChange={(e) => {
              const edit = typeChangeEdit(ctx.file, source.index, index, e.target.value as ColumnType, references[0]?.value);
              if (edit) ctx.onEdit(edit, `Change the type of ${name}`);
            }}
          >
            {!spec && <option value={String(type)}>{String(type)} (unknown)</option>}
            {COLUMN_TYPES.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
          </select>
        </td>
        <td className="row-actions">
          <button type="button" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => move(index - 1)}>
            ↑
          </button>
          <button type="button" aria-label={`Move ${name} down`} disabled={index === count - 1} onClick={() => move(index + 1)}>
            ↓
          </button>
          <button
            type="button"
            aria-label={`Remove column ${name}`}
            title={count === 1 ? 'A generator needs at least one column' : undefined}
            disabled={count === 1}
            onClick={() => ctx.onEdit({ kind: 'deleteField', file: ctx.file.path, path }, `Remove column ${name}`)}
          >
            ✕
          </button>
        </td>
      </tr>
      <tr className="sources-column-params">
        <td colSpan={3}>
          {spec && <p className="form-help">{spec.help}</p>}
          <div className="sources-params">
            {paramsOf(type).map((param) => (
              <ParamField key={`${String(type)}:${param.key}`} ctx={ctx} column={path} name={name} param={param} references={references} />
            ))}
          </div>
          <DiagnosticNotes diagnostics={found} compact />
        </td>
      </tr>
    </tbody>
  );
}

function ParamField({
  ctx,
  column,
  name,
  param,
  references,
}: {
  readonly ctx: FieldContext;
  readonly column: readonly (string | number)[];
  readonly name: string;
  readonly param: ColumnParam;
  readonly references: readonly ReferenceOption[];
}) {
  const id = useId();
  const path = [...column, param.key];
  if (param.kind === 'reference') {
    const saved = valueAt(ctx.file.value, path);
    const current = typeof saved === 'string' ? saved : undefined;
    const groups = [...new Set(references.map((r) => r.group))];
    return (
      <div className="sources-param sources-param-wide">
        <label htmlFor={id}>{param.label}</label>
        <select
          id={id}
          aria-label={`${param.label} of ${name}`}
          value={current ?? ''}
          aria-invalid={current === undefined}
          onChange={(e) => {
            const edit = valueEdit(ctx.file, path, e.target.value || undefined);
            if (edit) ctx.onEdit(edit, `Edit the reference of ${name}`);
          }}
        >
          {current === undefined && <option value="">Choose a generated column…</option>}
          {current !== undefined && !references.some((r) => r.value === current) && <option value={current}>{current}</option>}
          {groups.map((group) => (
            <optgroup key={group} label={group}>
              {references
                .filter((r) => r.group === group)
                .map((r) => (
                  <option key={r.value} value={r.value}>
                    {r.value}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
        {references.length === 0 && (
          <p className="form-help">No generator source to reference yet: add one above this source, or in another product.</p>
        )}
      </div>
    );
  }
  const numeric = param.kind === 'number' || param.kind === 'integer';
  return (
    <TextField
      ctx={ctx}
      compact
      wide={!numeric}
      path={path}
      label={param.label}
      ariaLabel={`${param.label} of ${name}`}
      placeholder={param.placeholder}
      inputMode={numeric ? 'decimal' : 'text'}
      text={paramText}
      parse={(input) => parseParam(param, input)}
    />
  );
}
