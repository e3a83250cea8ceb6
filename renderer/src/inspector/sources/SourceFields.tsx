import { useId, useState, type ReactNode } from 'react';
import type { Diagnostic } from '../../../../core/diagnostics/diagnostic.ts';
import type { MeshEdit } from '../../../../core/edits/meshEdits.ts';
import type { YamlPath, YamlSourceFile } from '../../../../core/yaml/sourceFile.ts';
import { DiagnosticNotes, InputProblem } from '../DiagnosticNotes.tsx';
import { diagnosticsAt, valueAt } from '../fileDiagnostics.ts';
import { fieldSquashKey } from '../productForm.ts';
import { DURATION_UNITS, durationProblem, durationText, splitDuration, valueEdit, type DurationUnit, type Parsed } from './sourcesForm.ts';

/* The Sources tab's field controls: a labelled box that writes one field of quanta.yaml per change. */
export type OnEdit = (edit: MeshEdit, label: string, squashKey?: string) => void;

export interface FieldContext {
  readonly file: YamlSourceFile;
  readonly diagnostics: readonly Diagnostic[];
  readonly onEdit: OnEdit;
}

/**
 * One text box bound to `path`: what is typed is parsed, a refusal is shown under the box and
 * nothing is written; otherwise the value is saved (typing in one box is one undo step) and
 * the validator's findings about the field appear under it.
 */
export function TextField({
  ctx,
  path,
  label,
  help,
  parse,
  text,
  edit,
  placeholder,
  ariaLabel,
  compact = false,
  wide = false,
  inputMode,
}: {
  readonly ctx: FieldContext;
  readonly path: YamlPath;
  readonly label: string;
  readonly help?: ReactNode;
  readonly parse: (input: string) => Parsed<unknown>;
  /** How the saved value is shown (default: as text). */
  readonly text?: (value: unknown) => string;
  /** The edit for a parsed value (default: set or delete the field). */
  readonly edit?: (value: unknown) => MeshEdit | undefined;
  readonly placeholder?: string | undefined;
  /** An accessible name when the visible label is shared (a table cell). */
  readonly ariaLabel?: string;
  readonly compact?: boolean;
  /** A compact box for long text (a template, a list of values, a timestamp). */
  readonly wide?: boolean;
  readonly inputMode?: 'numeric' | 'decimal' | 'text';
}) {
  const id = useId();
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const current = valueAt(ctx.file.value, path);
  const saved = text ? text(current) : current === undefined || current === null ? '' : String(current as string);
  const value = draft ?? saved;
  const parsed = draft === undefined ? undefined : parse(draft);
  const problem = parsed?.problem;
  const found = diagnosticsAt(ctx.file, path, ctx.diagnostics);
  const change = (input: string) => {
    setDraft(input);
    const result = parse(input);
    if (result.problem !== undefined) return;
    const next = edit ? edit(result.value) : valueEdit(ctx.file, path, result.value);
    if (next) ctx.onEdit(next, `Edit ${label.toLowerCase()}`, fieldSquashKey(ctx.file.path, path));
  };
  const describedBy = [help ? `${id}-help` : '', problem ? `${id}-problem` : '', found.length > 0 ? `${id}-found` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={compact ? `sources-param${wide ? ' sources-param-text' : ''}` : 'form-row'}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={value}
        placeholder={placeholder}
        inputMode={inputMode}
        spellCheck={false}
        aria-label={ariaLabel}
        aria-invalid={problem !== undefined || found.some((d) => d.severity === 'error')}
        aria-describedby={describedBy || undefined}
        onChange={(e) => change(e.target.value)}
        onBlur={() => {
          if (draft !== undefined && parse(draft).problem === undefined) setDraft(undefined);
        }}
      />
      {help && (
        <p className="form-help" id={`${id}-help`}>
          {help}
        </p>
      )}
      <InputProblem id={`${id}-problem`} text={problem} />
      {found.length > 0 && (
        <div id={`${id}-found`}>
          <DiagnosticNotes diagnostics={found} compact />
        </div>
      )}
    </div>
  );
}

/**
 * A duration (`every: 1d`): an amount and a unit. An empty amount removes the field, and the
 * section with it when nothing else is left in it (an empty `schedule:` would be null).
 */
export function DurationField({
  ctx,
  path,
  label,
  help,
  placeholder,
  defaultUnit,
}: {
  readonly ctx: FieldContext;
  readonly path: readonly [string, string];
  readonly label: string;
  readonly help: ReactNode;
  readonly placeholder: string;
  readonly defaultUnit: DurationUnit;
}) {
  const id = useId();
  const current = valueAt(ctx.file.value, path);
  const split = splitDuration(current);
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const [unit, setUnit] = useState<DurationUnit>(split?.unit ?? defaultUnit);
  const shownUnit = split?.unit ?? unit;
  // A value the form cannot split (`every: 1 day`) stays visible as text until it is replaced.
  const amount = draft ?? split?.amount ?? (typeof current === 'string' ? current : '');
  const problem = draft === undefined ? undefined : durationProblem(draft);
  const found = diagnosticsAt(ctx.file, path, ctx.diagnostics);
  const write = (nextAmount: string, nextUnit: DurationUnit) => {
    if (durationProblem(nextAmount) !== undefined) return;
    const text = durationText(nextAmount, nextUnit);
    const edit = text === undefined ? deleteInSection(ctx.file, path) : valueEdit(ctx.file, path, text);
    if (edit) ctx.onEdit(edit, `Edit ${label.toLowerCase()}`, fieldSquashKey(ctx.file.path, path));
  };
  return (
    <div className="form-row">
      <label htmlFor={id}>{label}</label>
      <div className="sources-duration">
        <input
          id={id}
          type="text"
          inputMode="numeric"
          value={amount}
          placeholder={placeholder}
          aria-invalid={problem !== undefined || found.some((d) => d.severity === 'error')}
          aria-describedby={`${id}-help${problem ? ` ${id}-problem` : ''}`}
          onChange={(e) => {
            setDraft(e.target.value);
            write(e.target.value, shownUnit);
          }}
          onBlur={() => {
            if (draft !== undefined && durationProblem(draft) === undefined) setDraft(undefined);
          }}
        />
        <select
          aria-label={`${label} unit`}
          value={shownUnit}
          onChange={(e) => {
            const next = e.target.value as DurationUnit;
            setUnit(next);
            if (amount.trim() !== '') write(amount, next);
          }}
        >
          {DURATION_UNITS.map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </select>
      </div>
      <p className="form-help" id={`${id}-help`}>
        {help}
      </p>
      <InputProblem id={`${id}-problem`} text={problem} />
      <DiagnosticNotes diagnostics={found} compact />
    </div>
  );
}

/** Deletes `section.key`, or the whole section when that key is all it holds. */
export function deleteInSection(file: YamlSourceFile, path: readonly [string, string]): MeshEdit | undefined {
  const section = valueAt(file.value, [path[0]]);
  if (section === null || typeof section !== 'object' || Array.isArray(section)) return undefined;
  if (!(path[1] in section)) return undefined;
  const alone = Object.keys(section).length === 1;
  return { kind: 'deleteField', file: file.path, path: alone ? [path[0]] : path };
}
