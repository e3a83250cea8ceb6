import { useEffect, useMemo, useState } from 'react';
import {
  addRuleEdit,
  contractWithRule,
  deleteRuleEdit,
  listRules,
  replaceRuleEdit,
  ruleFromDraft,
  rulePlaces,
  type ListedRule,
  type RuleDraft,
  type RulePlace,
  type RuleWhere,
} from '../../../../core/edits/qualityRules.ts';
import { asFields, asList, asString } from '../../../../core/model/read.ts';
import type { ContractCheck } from '../../../../core/contracts/checkTypes.ts';
import { compilePort } from '../../../../core/run/publishVerdict.ts';
import type { CheckResult, RefusedCandidate } from '../../../../core/run/runTypes.ts';
import { useAppStore, useAppStoreApi } from '../../store/AppStoreProvider.tsx';
import { selectDocumentKey, selectRun } from '../../store/selectors.ts';
import type { ContractViewProps } from '../contractViewProps.ts';
import { DiagnosticNotes } from '../DiagnosticNotes.tsx';
import { nodeLines } from '../fileDiagnostics.ts';
import { CheckNowResultView } from './CheckNowResultView.tsx';
import { RuleEditor } from './RuleEditor.tsx';
import { useCheckNow, type CheckSource } from './useCheckNow.ts';

type Editing = { readonly kind: 'new'; readonly where: RuleWhere } | { readonly kind: 'edit'; readonly rule: ListedRule };

const ruleKey = (rule: ListedRule) => rule.path.join('/');
const SEVERITY_TEXT = { error: 'Blocking', warning: 'Warning', info: 'Info' } as const;

/**
 * The contract's ODCS quality rules as a form (issue 14 item 3): every rule grouped by where it
 * lives, in words, with its severity and its result in the last run; add, edit and delete, each
 * one undoable edit of the `.odcs.yaml`; "Run this check now" on the port's newest data.
 */
export function QualityRulesForm(props: ContractViewProps) {
  const { product, port, file, diagnostics, onEdit, published, onShowYaml } = props;
  const [editing, setEditing] = useState<Editing | undefined>(undefined);
  const store = useAppStoreApi();
  const key = useAppStore(selectDocumentKey);
  const productRun = useAppStore(selectRun(key))?.products[product.id];
  // After a refused run, rules are checked on what it would have published (the runtime keeps it).
  const [candidate, setCandidate] = useState<RefusedCandidate | undefined>(undefined);
  const refused = productRun?.last?.status === 'refused';
  useEffect(() => {
    let live = true;
    if (!refused) setCandidate(undefined);
    else
      void store
        .getState()
        .openRuntime()
        .then((runtime) => {
          if (live) setCandidate(runtime?.candidate(product.id, port.name));
        });
    return () => {
      live = false;
    };
  }, [store, refused, productRun, product.id, port.name]);
  const source = useMemo((): CheckSource | undefined => {
    if (candidate) return { ...candidate, label: `the refused output of tick ${candidate.tick}` };
    return published?.ipc
      ? { ipc: published.ipc, columns: published.columns, rows: published.rows, label: `version ${published.version}` }
      : undefined;
  }, [candidate, published]);
  const check = useCheckNow(product, port, source);
  const readable = file.value !== undefined && file.diagnostics.length === 0;
  const rules = useMemo(() => (readable ? listRules(file) : []), [file, readable]);
  const places = useMemo(() => (readable ? rulePlaces(file) : []), [file, readable]);
  const lastResults = useMemo(() => {
    const byPath = new Map<string, CheckResult>();
    const checks = productRun?.last?.checks.filter((c) => c.port === port.name) ?? published?.checks ?? [];
    const compiled = compilePort(port.name, port.contract).checks;
    for (const c of compiled) {
      const result = checks.find((r) => r.id === c.id);
      if (result && judges(result, c)) byPath.set(c.path.join('/'), result);
    }
    return byPath;
  }, [productRun, published, port]);

  if (!readable) {
    return (
      <div className="inspector-notice" role="alert">
        <p>
          The contract cannot be read as YAML, so its quality rules cannot be shown as a form.{' '}
          <button type="button" className="link-button" onClick={onShowYaml}>
            Fix it in the YAML view
          </button>
        </p>
        <DiagnosticNotes diagnostics={diagnostics.filter((d) => d.file === file.path)} />
      </div>
    );
  }
  if (places.length === 0) {
    return (
      <p className="inspector-empty">This contract declares no table yet, so there is nowhere to put a quality rule. Add a schema first.</p>
    );
  }

  const columnsOf = (where: RuleWhere): string[] =>
    asList(asFields(asList(asFields(file.value)['schema'])[where.table])['properties']).map((p) => asString(asFields(p)['name']) ?? '');
  const canCheck = source !== undefined;
  const checkHint = source
    ? `Measures the rule on ${source.label} of ${port.name}, as publish would; publishes nothing`
    : 'Run the product first: the check reads its data';
  const runEdited = (checkKey: string, where: RuleWhere, index: number | undefined, draft: RuleDraft, previous?: ListedRule) => {
    const placed = contractWithRule(file, where, index, ruleFromDraft(draft, previous?.rule));
    if (placed) void check.run(checkKey, placed.contract, placed.path);
  };
  const save = (where: RuleWhere, draft: RuleDraft) => {
    if (!editing) return;
    const target = places.find((p) => p.where.table === where.table && p.where.property === where.property)?.target ?? port.name;
    if (editing.kind === 'new') {
      onEdit(addRuleEdit(file, where, ruleFromDraft(draft)), `Add quality rule to ${target}`);
    } else {
      const edit = replaceRuleEdit(file, editing.rule, ruleFromDraft(draft, editing.rule.rule));
      if (edit) onEdit(edit, `Edit quality rule of ${target}`);
    }
    setEditing(undefined);
    check.clear();
  };
  const remove = (rule: ListedRule) => {
    onEdit(deleteRuleEdit(file, rule), `Delete quality rule of ${rule.target}`);
    if (editing?.kind === 'edit' && ruleKey(editing.rule) === ruleKey(rule)) setEditing(undefined);
    check.clear();
  };
  const editorFor = (where: RuleWhere, rule?: ListedRule) => (
    <RuleEditor
      key={rule ? ruleKey(rule) : 'new'}
      places={places}
      where={where}
      initial={rule?.draft}
      editing={rule !== undefined}
      contractPath={file.path}
      columns={columnsOf}
      canCheck={canCheck}
      checkHint={checkHint}
      onSave={save}
      onCancel={() => {
        setEditing(undefined);
        check.clear();
      }}
      onCheck={(at, draft) => runEdited('editor', at, rule?.index, draft, rule)}
    />
  );
  // What the validator says about a rule (not enforced, not valid ODCS), on the rule itself.
  const findingsOf = (rule: ListedRule) => {
    const lines = nodeLines(file, rule.path);
    return lines ? diagnostics.filter((d) => d.file === file.path && d.line >= lines.first && d.line <= lines.last) : [];
  };
  const groups = places.filter((place) => rules.some((r) => samePlace(r.where, place)));

  return (
    <div className="quality-form" data-testid="quality-rules">
      <div className="quality-intro">
        <p>
          Checked in the quantum before <code>{port.name}</code> publishes. A failing <strong>blocking</strong> rule refuses the publish; a
          warning is reported and the data publishes.{' '}
          {source
            ? `“Run this check now” measures a rule on ${source.label} (${source.rows.toLocaleString('en')} rows) without publishing.`
            : 'Run the product to check rules on its data here.'}
        </p>
        <button
          type="button"
          className="primary"
          onClick={() => setEditing({ kind: 'new', where: places[0]?.where ?? { table: 0 } })}
          disabled={editing?.kind === 'new'}
        >
          Add a rule
        </button>
      </div>
      {editing?.kind === 'new' && (
        <div className="quality-new">
          {editorFor(editing.where)}
          {check.state?.key === 'editor' && (
            <CheckNowResultView onStop={check.stop} state={check.state} label="Check result of the new rule" />
          )}
        </div>
      )}
      {rules.length === 0 && editing === undefined && (
        <p className="inspector-empty">
          No quality rules yet. Add one: for a column, say which values are valid or how many nulls are allowed; for the table, how many
          rows it must have, or any SQL that returns a number.
        </p>
      )}
      {groups.map((place) => (
        <RuleGroup key={`${place.where.table}:${place.where.property ?? ''}`} place={place}>
          {rules
            .filter((r) => samePlace(r.where, place))
            .map((rule) => {
              const k = ruleKey(rule);
              const isEditing = editing?.kind === 'edit' && ruleKey(editing.rule) === k;
              return (
                <li key={k} className="quality-rule" data-testid="quality-rule" data-rule-path={k} data-severity={rule.severity}>
                  <div className="quality-rule-head">
                    <span className="quality-says">{rule.says}</span>
                    <span className={`quality-severity quality-severity-${rule.severity}`}>{SEVERITY_TEXT[rule.severity]}</span>
                  </div>
                  {asString(rule.rule['description']) && rule.rule['type'] !== 'text' && (
                    <p className="quality-description-text">{asString(rule.rule['description'])}</p>
                  )}
                  <LastResult
                    result={lastResults.get(k)}
                    ran={productRun?.last !== undefined}
                    changed={productRun?.changedSinceRun === true}
                  />
                  <DiagnosticNotes diagnostics={findingsOf(rule)} compact />
                  {rule.readOnly && (
                    <p className="quality-readonly">
                      Read-only here: {rule.readOnly}.{' '}
                      <button type="button" className="link-button" onClick={onShowYaml}>
                        Edit in YAML
                      </button>
                    </p>
                  )}
                  {isEditing ? (
                    editorFor(rule.where, rule)
                  ) : (
                    <div className="quality-rule-actions">
                      {rule.draft && (
                        <button type="button" onClick={() => setEditing({ kind: 'edit', rule })} aria-label={`Edit rule: ${rule.says}`}>
                          Edit
                        </button>
                      )}
                      <button type="button" onClick={() => remove(rule)} aria-label={`Delete rule: ${rule.says}`}>
                        Delete
                      </button>
                      {!rule.readOnly?.startsWith('Quanta does not run') && port.contract && (
                        <button
                          type="button"
                          disabled={!canCheck}
                          title={checkHint}
                          aria-label={`Run this check now: ${rule.says}`}
                          onClick={() => port.contract && void check.run(k, port.contract, rule.path)}
                        >
                          Run this check now
                        </button>
                      )}
                    </div>
                  )}
                  {check.state && (check.state.key === k || (isEditing && check.state.key === 'editor')) && (
                    <CheckNowResultView onStop={check.stop} state={check.state} label={`Check result: ${rule.says}`} />
                  )}
                </li>
              );
            })}
        </RuleGroup>
      ))}
    </div>
  );
}

/**
 * Whether a run's result is about the rule as it is now: ids are positions, so after an edit
 * (a rule deleted above, a comparison changed) the result at the same id may be another rule's.
 * The publish's message names the rule and its comparison (evaluateCheck); both must match.
 */
function judges(result: CheckResult, check: ContractCheck): boolean {
  const what = (check.description || check.id).replace(/[.:;\s]+$/, '');
  if (!result.message.startsWith(what)) return false;
  if (result.message.includes("the check's SQL failed")) return true;
  const op = check.operator;
  const unit = check.unit === 'percent' ? '%' : '';
  const expectation = Array.isArray(op.value) ? `${op.op} [${op.value.join(', ')}]${unit}` : `${op.op} ${String(op.value)}${unit}`;
  return result.message.includes(`, ${expectation} — `);
}

function samePlace(where: RuleWhere, place: RulePlace): boolean {
  return where.table === place.where.table && where.property === place.where.property;
}

function RuleGroup({ place, children }: { readonly place: RulePlace; readonly children: React.ReactNode }) {
  return (
    <section className="quality-group" aria-label={`Rules of ${place.label.toLowerCase()}`}>
      <h3>
        {place.where.property === undefined ? 'Table' : 'Column'} <code>{place.target}</code>
      </h3>
      <ul className="quality-rules">{children}</ul>
    </section>
  );
}

function LastResult({
  result,
  ran,
  changed,
}: {
  readonly result: CheckResult | undefined;
  readonly ran: boolean;
  readonly changed: boolean;
}) {
  if (!result)
    return <p className="quality-last quality-last-none">{ran ? 'Not run as it is now: run the product to see.' : 'Not run yet.'}</p>;
  return (
    <p className={`quality-last quality-last-${result.passed ? 'passed' : 'failed'}`} data-testid="quality-last-result">
      <strong>Last run: {result.passed ? 'passed' : 'failed'}</strong>
      {changed ? ' (before your latest edits)' : ''} — {result.message}
    </p>
  );
}
