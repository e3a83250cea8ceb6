import { useId, useRef, useState } from 'react';
import type { SQLNamespace } from '@codemirror/lang-sql';
import {
  draftProblem,
  isRatio,
  kindsAt,
  newDraft,
  OPERATOR_LABELS,
  RULE_KINDS,
  type OperatorName,
  type RuleDraft,
  type RulePlace,
  type RuleWhere,
} from '../../../../core/edits/qualityRules.ts';
import { OPERATORS } from '../../../../core/contracts/contractChecks.ts';
import { CodeEditor } from '../CodeEditor.tsx';

const sameWhere = (a: RuleWhere, b: RuleWhere) => a.table === b.table && a.property === b.property;
const placeKey = (w: RuleWhere) => `${w.table}:${w.property ?? ''}`;
const list = (text: string) =>
  text
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

/**
 * A new kind, with the comparison turned the sensible way round: a count of bad rows must be 0,
 * a row count must be above 0 (a comparison the user chose is kept).
 */
function kindChange(draft: RuleDraft, kind: RuleDraft['kind']): Partial<RuleDraft> {
  const untouched = draft.value.trim() === '0';
  if (kind === 'rowCount' && untouched && draft.operator === 'mustBe') return { kind, operator: 'mustBeGreaterThan' };
  if (kind !== 'rowCount' && kind !== 'sql' && untouched && draft.operator === 'mustBeGreaterThan') return { kind, operator: 'mustBe' };
  return { kind };
}

/**
 * One rule as a form: where it lives, the kind (only what Quanta runs there), its arguments,
 * the comparison, unit, severity and description. Save writes it (one undoable edit); "Run
 * this check now" measures the draft as it stands on the port's data.
 */
export function RuleEditor({
  places,
  where: initialWhere,
  initial,
  editing,
  contractPath,
  columns,
  canCheck,
  checkHint,
  onSave,
  onCancel,
  onCheck,
}: {
  readonly places: readonly RulePlace[];
  readonly where: RuleWhere;
  readonly initial: RuleDraft | undefined;
  /** True for an existing rule: its place is fixed (delete it and add one elsewhere to move it). */
  readonly editing: boolean;
  readonly contractPath: string;
  /** The table's column names, for duplicateValues at table level and SQL completions. */
  readonly columns: (where: RuleWhere) => readonly string[];
  readonly canCheck: boolean;
  readonly checkHint: string;
  readonly onSave: (where: RuleWhere, draft: RuleDraft) => void;
  readonly onCancel: () => void;
  readonly onCheck: (where: RuleWhere, draft: RuleDraft) => void;
}) {
  const id = useId();
  const placeOf = (w: RuleWhere) => places.find((p) => sameWhere(p.where, w));
  const [where, setWhere] = useState<RuleWhere>(initialWhere);
  const [draft, setDraft] = useState<RuleDraft>(
    () => initial ?? newDraft(initialWhere, placeOf({ table: initialWhere.table })?.target ?? ''),
  );
  const [validText, setValidText] = useState(draft.validValues.join(', '));
  const [missingText, setMissingText] = useState(draft.missingValues.join(', '));
  const [tried, setTried] = useState(false);
  // The SQL editor sends its text after a pause: the buttons read the newest draft from here.
  const latest = useRef(draft);
  latest.current = draft;
  const update = (change: Partial<RuleDraft>) =>
    setDraft((d) => {
      const next = { ...d, ...change };
      latest.current = next;
      return next;
    });
  const kinds = kindsAt(where);
  const problem = draftProblem(draft);
  const table = placeOf({ table: where.table })?.target ?? '';
  const tableColumns = columns(where);
  const schema: SQLNamespace = { [table || 'table']: [...tableColumns] };
  const between = draft.operator === 'mustBeBetween' || draft.operator === 'mustNotBeBetween';
  const field = (name: string) => `${id}-${name}`;

  const changeWhere = (key: string) => {
    const next = places.find((p) => placeKey(p.where) === key)?.where;
    if (!next) return;
    setWhere(next);
    if (!kindsAt(next).includes(draft.kind)) {
      const fresh = newDraft(next, placeOf({ table: next.table })?.target ?? '');
      update({ kind: fresh.kind, operator: fresh.operator, value: fresh.value });
    }
  };
  const save = () => {
    setTried(true);
    if (draftProblem(latest.current) === undefined) onSave(where, latest.current);
  };

  return (
    <form
      className="quality-editor"
      aria-label={editing ? 'Edit quality rule' : 'New quality rule'}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      onKeyDown={(e) => {
        // Escape leaves the form unsaved (inside the SQL editor it is CodeMirror's, e.g. to close completions).
        if (e.key === 'Escape' && !(e.target instanceof Element && e.target.closest('.cm-editor'))) {
          // Handled: not also a stop of a running Run all, nor leaving presentation mode.
          e.preventDefault();
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <div className="quality-editor-row">
        <label htmlFor={field('where')}>Where</label>
        <select id={field('where')} value={placeKey(where)} disabled={editing} onChange={(e) => changeWhere(e.target.value)}>
          {places.map((p) => (
            <option key={placeKey(p.where)} value={placeKey(p.where)}>
              {p.label}
            </option>
          ))}
        </select>
        <label htmlFor={field('kind')}>Kind</label>
        <select id={field('kind')} value={draft.kind} onChange={(e) => update(kindChange(draft, e.target.value as RuleDraft['kind']))}>
          {RULE_KINDS.filter((k) => kinds.includes(k.kind)).map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </div>

      {draft.kind === 'invalidValues' && (
        <div className="quality-editor-row">
          <label htmlFor={field('valid')}>Valid values</label>
          <input
            id={field('valid')}
            type="text"
            value={validText}
            placeholder="album, ep, single"
            aria-describedby={field('valid-hint')}
            onChange={(e) => {
              setValidText(e.target.value);
              update({ validValues: list(e.target.value) });
            }}
          />
          <label htmlFor={field('pattern')}>Pattern</label>
          <input
            id={field('pattern')}
            type="text"
            value={draft.pattern}
            placeholder="^[A-Z]{2}[0-9]+$"
            onChange={(e) => update({ pattern: e.target.value })}
          />
          <span id={field('valid-hint')} className="quality-hint">
            Comma-separated. A value is invalid when it is not listed, or the pattern is not found in it (write ^…$ for the whole value).
          </span>
        </div>
      )}
      {draft.kind === 'missingValues' && (
        <div className="quality-editor-row">
          <label htmlFor={field('missing')}>Also missing</label>
          <input
            id={field('missing')}
            type="text"
            value={missingText}
            placeholder="n/a, unknown"
            onChange={(e) => {
              setMissingText(e.target.value);
              update({ missingValues: list(e.target.value) });
            }}
          />
          <span className="quality-hint">Comma-separated values that count as missing besides null; empty: null and the empty text.</span>
        </div>
      )}
      {draft.kind === 'duplicateValues' && where.property === undefined && (
        <fieldset className="quality-editor-row quality-columns">
          <legend>Columns repeated together</legend>
          {tableColumns.map((column) => (
            <label key={column}>
              <input
                type="checkbox"
                checked={draft.properties.includes(column)}
                onChange={(e) =>
                  update({ properties: e.target.checked ? [...draft.properties, column] : draft.properties.filter((c) => c !== column) })
                }
              />{' '}
              {column}
            </label>
          ))}
        </fieldset>
      )}
      {draft.kind === 'sql' && (
        <div className="quality-editor-sql">
          <span className="quality-hint">
            One SELECT returning one number; <code>{'{table}'}</code> and <code>{'{column}'}</code> are replaced by the table and the
            column.
          </span>
          <CodeEditor
            file={contractPath}
            label="SQL query of the rule"
            text={draft.query}
            language="sql"
            findings={[]}
            sqlSchema={schema}
            onText={(query) => update({ query })}
            debounceMs={150}
          />
        </div>
      )}

      <div className="quality-editor-row">
        <label htmlFor={field('operator')}>
          {draft.kind === 'sql' ? 'The number' : draft.kind === 'rowCount' ? 'The row count' : 'The count'}
        </label>
        <select id={field('operator')} value={draft.operator} onChange={(e) => update({ operator: e.target.value as OperatorName })}>
          {OPERATORS.map((op) => (
            <option key={op} value={op}>
              {OPERATOR_LABELS[op]}
            </option>
          ))}
        </select>
        <label htmlFor={field('value')} className="visually-hidden">
          {between ? 'Lower bound' : 'Value'}
        </label>
        <input
          id={field('value')}
          type="text"
          inputMode="decimal"
          className="quality-number"
          value={draft.value}
          onChange={(e) => update({ value: e.target.value })}
        />
        {between && (
          <>
            <label htmlFor={field('high')}>and</label>
            <input
              id={field('high')}
              type="text"
              inputMode="decimal"
              className="quality-number"
              aria-label="Upper bound"
              value={draft.high}
              onChange={(e) => update({ high: e.target.value })}
            />
          </>
        )}
        {isRatio(draft.kind) && (
          <>
            <label htmlFor={field('unit')}>Unit</label>
            <select id={field('unit')} value={draft.unit} onChange={(e) => update({ unit: e.target.value as RuleDraft['unit'] })}>
              <option value="rows">rows</option>
              <option value="percent">percent of the rows</option>
            </select>
          </>
        )}
      </div>

      <div className="quality-editor-row">
        <label htmlFor={field('severity')}>Severity</label>
        <select
          id={field('severity')}
          value={draft.severity}
          onChange={(e) => update({ severity: e.target.value as RuleDraft['severity'] })}
        >
          <option value="error">Blocking: refuses the publish</option>
          <option value="warning">Warning: reported, publishes</option>
          {initial?.severity === 'info' && <option value="info">Info: reported, publishes</option>}
        </select>
        <label htmlFor={field('description')}>Description</label>
        <input
          id={field('description')}
          type="text"
          className="quality-description"
          value={draft.description}
          placeholder="Why the rule matters (optional)"
          onChange={(e) => update({ description: e.target.value })}
        />
      </div>

      {tried && problem && (
        <p className="quality-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="quality-editor-actions">
        <button type="submit" className="primary">
          {editing ? 'Save rule' : 'Add rule'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          disabled={!canCheck}
          title={checkHint}
          onClick={() => {
            setTried(true);
            if (draftProblem(latest.current) === undefined) onCheck(where, latest.current);
          }}
        >
          Run this check now
        </button>
        {!canCheck && <span className="quality-hint">{checkHint}</span>}
      </div>
    </form>
  );
}
