import { applyEdit, deepEqual, type MeshEdit } from './meshEdits.ts';
import { deleteInText, setInText } from '../yaml/patchYaml.ts';
import { contractFromDocument } from '../model/contractDocument.ts';
import { asFields, asList, asNumber, asString } from '../model/read.ts';
import type { Contract } from '../model/types.ts';
import { parseYaml, type YamlSourceFile } from '../yaml/sourceFile.ts';
import { OPERATORS, compileContractChecks } from '../contracts/contractChecks.ts';
import type { Operator } from '../contracts/checkTypes.ts';

/*
 * The ODCS `quality` rules of a contract as the Quality form shows and writes them: every rule
 * listed where it lives (the table, or one property), said in words; the rules Quanta can run
 * and the form can write as a draft the form edits; and the MeshEdit that writes a draft back
 * into the `.odcs.yaml` — one edit, keeping the rule's other fields (name, dimension, tags…).
 */

export type RuleKind = 'nullValues' | 'missingValues' | 'invalidValues' | 'duplicateValues' | 'rowCount' | 'sql';
export type OperatorName = Operator['op'];
export type RuleSeverity = 'error' | 'warning' | 'info';

/** Where a rule lives: a table of `schema:`, and one of its properties when it is a column's rule. */
export interface RuleWhere {
  readonly table: number;
  readonly property?: number;
}

/** A rule as the form edits it: texts as typed, lists as items. */
export interface RuleDraft {
  readonly kind: RuleKind;
  /** invalidValues: the values a column may hold. */
  readonly validValues: readonly string[];
  /** invalidValues: a regular expression the value must match (searched, as ODCS says). */
  readonly pattern: string;
  /** missingValues: the values that count as missing besides NULL. */
  readonly missingValues: readonly string[];
  /** duplicateValues at table level: the columns repeated together. */
  readonly properties: readonly string[];
  /** sql: one SELECT returning one number; `{table}` and `{column}` are replaced. */
  readonly query: string;
  readonly operator: OperatorName;
  readonly value: string;
  /** The upper bound of mustBeBetween / mustNotBeBetween. */
  readonly high: string;
  readonly unit: 'rows' | 'percent';
  readonly severity: RuleSeverity;
  readonly description: string;
}

/** One rule of the contract, as the form lists it. */
export interface ListedRule {
  readonly where: RuleWhere;
  readonly index: number;
  /** YAML path of the rule in the contract file. */
  readonly path: readonly (string | number)[];
  /** The table's or the column's name. */
  readonly target: string;
  readonly rule: Readonly<Record<string, unknown>>;
  /** What it checks, in words. */
  readonly says: string;
  readonly severity: RuleSeverity;
  /** Set when Quanta runs the rule and the form can edit it. */
  readonly draft?: RuleDraft;
  /** Why the form shows it read-only (Quanta does not run it, or the form cannot write it). */
  readonly readOnly?: string;
}

/** Where rules can live, for the form's "where" choice and the list's groups. */
export interface RulePlace {
  readonly where: RuleWhere;
  readonly label: string;
  readonly target: string;
}

export const RULE_KINDS: readonly { readonly kind: RuleKind; readonly label: string; readonly at: 'table' | 'column' | 'both' }[] = [
  { kind: 'invalidValues', label: 'Invalid values (outside a list or a pattern)', at: 'column' },
  { kind: 'nullValues', label: 'Null values', at: 'column' },
  { kind: 'missingValues', label: 'Missing values (null or listed)', at: 'column' },
  { kind: 'duplicateValues', label: 'Duplicate values', at: 'both' },
  { kind: 'rowCount', label: 'Row count', at: 'table' },
  { kind: 'sql', label: 'SQL rule (one SELECT returning a number)', at: 'both' },
];

export const OPERATOR_LABELS: Readonly<Record<OperatorName, string>> = {
  mustBe: 'must be',
  mustNotBe: 'must not be',
  mustBeGreaterThan: 'must be greater than',
  mustBeGreaterOrEqualTo: 'must be at least',
  mustBeLessThan: 'must be less than',
  mustBeLessOrEqualTo: 'must be at most',
  mustBeBetween: 'must be between',
  mustNotBeBetween: 'must not be between',
};

/** Keys a draft writes; every other key of an edited rule is kept as it was. */
const MANAGED = new Set<string>(['type', 'metric', 'rule', 'arguments', 'query', 'unit', 'severity', 'description', ...OPERATORS]);

/** A kind counts bad rows (so `unit: percent` divides by the rows); rowCount and sql give their own number. */
export function isRatio(kind: RuleKind): boolean {
  return kind !== 'rowCount' && kind !== 'sql';
}

export function kindsAt(where: RuleWhere): RuleKind[] {
  const at = where.property === undefined ? 'table' : 'column';
  return RULE_KINDS.filter((k) => k.at === 'both' || k.at === at).map((k) => k.kind);
}

/** The table and each of its properties, as places a rule can live. */
export function rulePlaces(file: YamlSourceFile): RulePlace[] {
  const places: RulePlace[] = [];
  asList(asFields(file.value)['schema']).forEach((raw, t) => {
    const table = asFields(raw);
    const name = asString(table['name']) ?? `table ${t + 1}`;
    places.push({ where: { table: t }, label: `Table ${name}`, target: name });
    asList(table['properties']).forEach((rawColumn, p) => {
      const column = asString(asFields(rawColumn)['name']) ?? `property ${p + 1}`;
      places.push({ where: { table: t, property: p }, label: `Column ${column}`, target: column });
    });
  });
  return places;
}

export function basePath(where: RuleWhere): (string | number)[] {
  return where.property === undefined ? ['schema', where.table] : ['schema', where.table, 'properties', where.property];
}

/** Every rule of the contract file, table rules first, then each property's, in file order. */
export function listRules(file: YamlSourceFile): ListedRule[] {
  const contract = contractFromDocument(file.path, file.value);
  const skipped = contract ? compileContractChecks(contract).skipped : [];
  const rules: ListedRule[] = [];
  const schema = asList(asFields(file.value)['schema']);
  schema.forEach((rawTable, t) => {
    const table = asFields(rawTable);
    const tableName = asString(table['name']) ?? '';
    const add = (where: RuleWhere, target: string, list: unknown): void => {
      asList(list).forEach((raw, i) => {
        const rule = asFields(raw);
        const path = [...basePath(where), 'quality', i];
        const skip = skipped.find((s) => samePath(s.path, path));
        const draft = skip ? undefined : draftOf(rule, where);
        rules.push({
          where,
          index: i,
          path,
          target,
          rule,
          says: describeRule(rule, target),
          severity: severityOf(rule),
          ...(draft ? { draft } : {}),
          ...(draft ? {} : { readOnly: skip ? `Quanta does not run it: ${skip.reason}` : formCannot(rule, where) }),
        });
      });
    };
    add({ table: t }, tableName, table['quality']);
    asList(table['properties']).forEach((rawColumn, p) => {
      const column = asFields(rawColumn);
      add({ table: t, property: p }, asString(column['name']) ?? '', column['quality']);
    });
  });
  return rules;
}

function severityOf(rule: Readonly<Record<string, unknown>>): RuleSeverity {
  const severity = asString(rule['severity'])?.toLowerCase();
  return severity === 'warning' ? 'warning' : severity === 'info' ? 'info' : 'error';
}

function samePath(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length === b.length && a.every((s, i) => String(s) === String(b[i]));
}

function kindOf(rule: Readonly<Record<string, unknown>>): RuleKind | undefined {
  const type = asString(rule['type']) ?? 'library';
  if (type === 'sql') return 'sql';
  if (type !== 'library') return undefined;
  const metric = asString(rule['metric']);
  return RULE_KINDS.some((k) => k.kind === metric) ? (metric as RuleKind) : undefined;
}

function operatorsOf(rule: Readonly<Record<string, unknown>>): OperatorName[] {
  return OPERATORS.filter((op) => rule[op] !== undefined);
}

const ARGUMENTS: Readonly<Record<RuleKind, readonly string[]>> = {
  nullValues: [],
  missingValues: ['missingValues'],
  invalidValues: ['validValues', 'pattern'],
  duplicateValues: ['properties'],
  rowCount: [],
  sql: [],
};

/** Why a rule Quanta runs is still shown read-only: something the form would not write back as it is. */
function formCannot(rule: Readonly<Record<string, unknown>>, where: RuleWhere): string {
  if (rule['rule'] !== undefined && rule['metric'] === undefined) return 'it uses the deprecated `rule:` key; edit it in YAML';
  const kind = kindOf(rule);
  if (!kind) return 'the form does not write this kind of rule; edit it in YAML';
  if (!kindsAt(where).includes(kind))
    return `the form offers ${kind} only ${where.property === undefined ? 'on a column' : 'on the table'}; edit it in YAML`;
  if (operatorsOf(rule).length !== 1) return 'it has more than one comparison; edit it in YAML';
  const unit = asString(rule['unit']);
  if (unit !== undefined && unit !== 'rows' && unit !== 'percent') return `its unit "${unit}" is not rows or percent; edit it in YAML`;
  return 'the form cannot show all of its arguments; edit it in YAML';
}

/** The rule as a draft, when the form can show and write back everything Quanta reads of it. */
export function draftOf(rule: Readonly<Record<string, unknown>>, where: RuleWhere): RuleDraft | undefined {
  const kind = kindOf(rule);
  if (!kind || !kindsAt(where).includes(kind) || rule['rule'] !== undefined) return undefined;
  const ops = operatorsOf(rule);
  const op = ops[0];
  if (ops.length !== 1 || !op) return undefined;
  const raw = rule[op];
  let value: string;
  let high = '';
  if (op === 'mustBeBetween' || op === 'mustNotBeBetween') {
    const [low, up] = asList(raw).map(asNumber);
    if (low === undefined || up === undefined) return undefined;
    value = String(low);
    high = String(up);
  } else {
    const n = asNumber(raw);
    if (n === undefined) return undefined;
    value = String(n);
  }
  const unit = asString(rule['unit']) ?? 'rows';
  if (unit !== 'rows' && unit !== 'percent') return undefined;
  const args = rule['arguments'] === undefined ? {} : asFields(rule['arguments']);
  if (rule['arguments'] !== undefined && (typeof rule['arguments'] !== 'object' || Array.isArray(rule['arguments']))) return undefined;
  if (Object.keys(args).some((k) => !ARGUMENTS[kind].includes(k))) return undefined;
  if (kind === 'duplicateValues' && where.property !== undefined && args['properties'] !== undefined) return undefined;
  const texts = (list: unknown): string[] | undefined => {
    const items = asList(list);
    return items.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') ? items.map(String) : undefined;
  };
  const validValues = texts(args['validValues']);
  const missingValues = texts(args['missingValues']);
  const properties = texts(args['properties']);
  if (!validValues || !missingValues || !properties) return undefined;
  if (args['pattern'] !== undefined && typeof args['pattern'] !== 'string') return undefined;
  if (kind === 'sql' && typeof rule['query'] !== 'string') return undefined;
  return {
    kind,
    validValues,
    pattern: asString(args['pattern']) ?? '',
    missingValues,
    properties,
    query: asString(rule['query']) ?? '',
    operator: op,
    value,
    high,
    unit,
    severity: severityOf(rule),
    description: asString(rule['description']) ?? '',
  };
}

/** A new rule's starting point at `where`: the first kind offered there, passing when nothing is wrong. */
export function newDraft(where: RuleWhere, tableName: string): RuleDraft {
  const column = where.property !== undefined;
  return {
    kind: column ? 'invalidValues' : 'rowCount',
    validValues: [],
    pattern: '',
    missingValues: [],
    properties: [],
    query: `SELECT count(*) FROM ${tableName || '{table}'}${column ? ' WHERE {column} IS NULL' : ''}`,
    operator: column ? 'mustBe' : 'mustBeGreaterThan',
    value: '0',
    high: '',
    unit: 'rows',
    severity: 'error',
    description: '',
  };
}

/** What is wrong with a draft, in words, or undefined when it can be written. */
export function draftProblem(draft: RuleDraft): string | undefined {
  if (!isNumber(draft.value)) return 'The value must be a number.';
  if (isBetween(draft.operator)) {
    if (!isNumber(draft.high)) return 'The upper bound must be a number.';
    if (Number(draft.high) === Number(draft.value)) return 'The two bounds must differ.';
  }
  if (draft.kind === 'invalidValues' && draft.validValues.length === 0 && draft.pattern.trim() === '') {
    return 'List the valid values or give a pattern.';
  }
  if (draft.kind === 'sql' && draft.query.trim() === '') return 'Write the SELECT that returns the number to compare.';
  return undefined;
}

function isBetween(op: OperatorName): op is 'mustBeBetween' | 'mustNotBeBetween' {
  return op === 'mustBeBetween' || op === 'mustNotBeBetween';
}

function isNumber(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}

/**
 * The rule a draft writes. `previous` (the rule being edited) keeps its other fields and its key
 * order; listed values it held as numbers or booleans stay so.
 */
export function ruleFromDraft(draft: RuleDraft, previous?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const oldArgs = asFields(previous?.['arguments']);
  const keep = (values: readonly string[], old: unknown): unknown[] =>
    values.map((v) => asList(old).find((o) => o !== null && typeof o !== 'object' && String(o) === v) ?? v);
  const args: Record<string, unknown> = {};
  if (draft.kind === 'invalidValues') {
    if (draft.validValues.length > 0) args['validValues'] = keep(draft.validValues, oldArgs['validValues']);
    if (draft.pattern.trim() !== '') args['pattern'] = draft.pattern;
  }
  if (draft.kind === 'missingValues' && draft.missingValues.length > 0)
    args['missingValues'] = keep(draft.missingValues, oldArgs['missingValues']);
  if (draft.kind === 'duplicateValues' && draft.properties.length > 0) args['properties'] = [...draft.properties];
  const low = Number(draft.value);
  const comparison = isBetween(draft.operator) ? [Math.min(low, Number(draft.high)), Math.max(low, Number(draft.high))] : low;
  const fresh: Record<string, unknown> = {
    ...(draft.description.trim() !== '' ? { description: draft.description.trim() } : {}),
    ...(draft.kind === 'sql' ? { type: 'sql', query: draft.query.trim() } : { metric: draft.kind }),
    ...(Object.keys(args).length > 0 ? { arguments: args } : {}),
    [draft.operator]: comparison,
    ...(isRatio(draft.kind) && (draft.unit === 'percent' || previous?.['unit'] !== undefined) ? { unit: draft.unit } : {}),
    ...(!isRatio(draft.kind) && previous?.['unit'] !== undefined ? { unit: previous['unit'] } : {}),
    severity: draft.severity,
  };
  if (!previous) return fresh;
  // `type: library` stays when it was written; a sql rule turned library loses its `type: sql`.
  if (draft.kind !== 'sql' && asString(previous['type']) === 'library') fresh['type'] = 'library';
  const merged: Record<string, unknown> = {};
  const operators: readonly string[] = OPERATORS;
  for (const [key, value] of Object.entries(previous)) {
    if (!MANAGED.has(key)) merged[key] = value;
    else if (key in fresh) merged[key] = fresh[key];
    // A changed comparison takes the old one's place.
    else if (operators.includes(key) && !(draft.operator in merged)) merged[draft.operator] = fresh[draft.operator];
  }
  for (const [key, value] of Object.entries(fresh)) if (!(key in merged)) merged[key] = value;
  return merged;
}

/** Adds `rule` at `where` (the end of its `quality` list, created if absent). */
export function addRuleEdit(file: YamlSourceFile, where: RuleWhere, rule: Record<string, unknown>): MeshEdit {
  const at = basePath(where);
  const existing = qualityAt(file, where);
  return existing === undefined
    ? { kind: 'setField', file: file.path, path: [...at, 'quality'], value: [rule] }
    : { kind: 'setField', file: file.path, path: [...at, 'quality', existing.length], value: rule };
}

/**
 * Replaces the listed rule with `rule` as one edit: one field when only one changed, else the
 * changed fields spliced into the text; either way the YAML around them stays byte for byte,
 * comments inside the rule too.
 */
export function replaceRuleEdit(file: YamlSourceFile, listed: ListedRule, rule: Record<string, unknown>): MeshEdit | undefined {
  const before = listed.rule;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(rule)])];
  const changed = keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(rule[k]));
  if (changed.length === 0) return undefined;
  const [only] = changed;
  const sameOrder =
    Object.keys(before)
      .filter((k) => k in rule)
      .join() ===
    Object.keys(rule)
      .filter((k) => k in before)
      .join();
  if (changed.length === 1 && only !== undefined && sameOrder) {
    return rule[only] === undefined
      ? { kind: 'deleteField', file: file.path, path: [...listed.path, only] }
      : { kind: 'setField', file: file.path, path: [...listed.path, only], value: rule[only] };
  }
  // Several fields: spliced one by one into the text, so the rest of the file (and the rule's
  // comments) stay byte for byte; when a splice is beyond patchYaml, the whole rule is set.
  const whole: MeshEdit = { kind: 'setField', file: file.path, path: [...listed.path], value: rule };
  let text: string | undefined = file.text;
  for (const key of changed) {
    if (text === undefined) break;
    const at = [...listed.path, key];
    text = rule[key] === undefined ? deleteInText(text, at) : setInText(text, at, rule[key]);
  }
  if (text === undefined) return whole;
  const expected = applyEdit(new Map([[file.path, file]]), whole).get(file.path);
  const spliced = parseYaml(file.path, text);
  return expected && 'value' in expected && spliced.diagnostics.length === 0 && deepEqual(spliced.value, expected.value)
    ? { kind: 'setText', file: file.path, text }
    : whole;
}

/** Deletes the listed rule; the last rule of a place takes its empty `quality:` key with it. */
export function deleteRuleEdit(file: YamlSourceFile, listed: ListedRule): MeshEdit {
  const rules = qualityAt(file, listed.where) ?? [];
  return rules.length <= 1
    ? { kind: 'deleteField', file: file.path, path: [...basePath(listed.where), 'quality'] }
    : { kind: 'deleteField', file: file.path, path: [...listed.path] };
}

function qualityAt(file: YamlSourceFile, where: RuleWhere): unknown[] | undefined {
  const table = asFields(asList(asFields(file.value)['schema'])[where.table]);
  const owner = where.property === undefined ? table : asFields(asList(table['properties'])[where.property]);
  return Array.isArray(owner['quality']) ? (owner['quality'] as unknown[]) : undefined;
}

/**
 * The contract with `rule` at `path` (a rule being edited: replacing the one there, or appended
 * at `where`), so the rule can be compiled and run exactly as publish would.
 */
export function contractWithRule(
  file: YamlSourceFile,
  where: RuleWhere,
  index: number | undefined,
  rule: Record<string, unknown>,
): { readonly contract: Contract; readonly path: (string | number)[] } | undefined {
  const value = structuredClone(file.value) as Record<string, unknown>;
  const table = asList(value['schema'])[where.table] as Record<string, unknown> | undefined;
  if (!table || typeof table !== 'object') return undefined;
  const owner = (where.property === undefined ? table : asList(table['properties'])[where.property]) as Record<string, unknown> | undefined;
  if (!owner || typeof owner !== 'object') return undefined;
  const list = Array.isArray(owner['quality']) ? (owner['quality'] as unknown[]) : [];
  owner['quality'] = list;
  const at = index ?? list.length;
  list[at] = rule;
  const contract = contractFromDocument(file.path, value);
  return contract ? { contract, path: [...basePath(where), 'quality', at] } : undefined;
}

/** What a rule checks, in words: "album_type: no value outside album, ep, single". */
export function describeRule(rule: Readonly<Record<string, unknown>>, target: string): string {
  const type = asString(rule['type']) ?? 'library';
  const prefix = target ? `${target}: ` : '';
  if (type === 'text') return `${prefix}${asString(rule['description']) ?? 'a rule in words'} (text, for people)`;
  if (type === 'custom')
    return `${prefix}${asString(rule['engine']) ?? 'custom'} rule${asString(rule['description']) ? `: ${asString(rule['description']) ?? ''}` : ''} (custom)`;
  const op = operatorsOf(rule)[0];
  const percent = asString(rule['unit']) === 'percent';
  const comparison = op ? phrase(op, rule[op], percent) : 'with no comparison';
  const zero = op === 'mustBe' && asNumber(rule[op]) === 0;
  const lessThanOne = op === 'mustBeLessThan' && asNumber(rule[op]) === 1 && !percent;
  const none = zero || lessThanOne;
  if (type === 'sql') return `${prefix}SQL ${oneLine(asString(rule['query']) ?? '')} ${comparison}`;
  const metric = asString(rule['metric']) ?? asString(rule['rule']);
  const args = asFields(rule['arguments']);
  switch (metric) {
    case 'nullValues':
      return `${prefix}${none ? 'no null values' : `null values ${comparison}`}`;
    case 'missingValues': {
      const listed = asList(args['missingValues']).filter((v) => v !== null);
      const what = listed.length > 0 ? `null or ${listed.map((v) => JSON.stringify(v)).join(', ')}` : 'null or empty';
      return `${prefix}${none ? `no missing values (${what})` : `missing values (${what}) ${comparison}`}`;
    }
    case 'invalidValues': {
      const valid = asList(args['validValues']).filter((v) => v !== null);
      const pattern = asString(args['pattern']);
      const outside = [
        ...(valid.length > 0 ? [`outside ${valid.map(String).join(', ')}`] : []),
        ...(pattern !== undefined ? [`not matching ${pattern}`] : []),
      ].join(' or ');
      return `${prefix}${none ? `no value ${outside}` : `values ${outside} ${comparison}`}`;
    }
    case 'duplicateValues': {
      const names = asList(args['properties']).map(String);
      const of = names.length > 0 ? ` of (${names.join(', ')})` : '';
      return `${prefix}${none ? `no duplicate values${of}` : `duplicate values${of} ${comparison}`}`;
    }
    case 'rowCount': {
      const n = op ? asNumber(rule[op]) : undefined;
      if (op === 'mustBeGreaterThan' && n !== undefined && Number.isInteger(n)) return `${prefix}at least ${rows(n + 1)}`;
      if (op === 'mustBeGreaterOrEqualTo' && n !== undefined) return `${prefix}at least ${rows(n)}`;
      return `${prefix}row count ${comparison}`;
    }
    default:
      return `${prefix}metric ${metric ?? '?'} ${comparison}`;
  }
}

function rows(n: number): string {
  return `${n.toLocaleString('en')} row${n === 1 ? '' : 's'}`;
}

function phrase(op: OperatorName, raw: unknown, percent: boolean): string {
  const unit = percent ? '%' : '';
  if (isBetween(op)) {
    const [low, high] = asList(raw).map((v) => `${String(v)}${unit}`);
    return `${OPERATOR_LABELS[op]} ${low ?? '?'} and ${high ?? '?'}`;
  }
  return `${OPERATOR_LABELS[op]} ${String(raw)}${unit}`;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
