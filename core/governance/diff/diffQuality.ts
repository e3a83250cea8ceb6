import { OPERATORS } from '../../contracts/contractChecks.ts';
import { asFields, asList, asNumber, asString, type Fields } from '../../model/read.ts';
import type { YamlPath } from '../../yaml/sourceFile.ts';
import { changedKeys, emit, inV1, inV2, sameValue, show, type DiffContext, type Subject } from './diffContext.ts';
import type { RuleVerdict } from './diffRules.ts';

/*
 * Quality rules (ODCS `quality`, on a schema or a property). Rules are matched by `id`,
 * then `name`, then metric (or type) and occurrence. Enumerations live here too: ODCS v3.1
 * has no enum keyword, an `invalidValues` rule's `arguments.validValues` is how a contract
 * lists the allowed values.
 *
 * A rule whose severity is warning or info cannot refuse a publish (Quanta's contract
 * checks treat everything else as error), so making it stricter is a warning, not breaking.
 */
const DOCUMENTATION = new Set([
  'description',
  'name',
  'dimension',
  'businessImpact',
  'tags',
  'authoritativeDefinitions',
  'customProperties',
]);
const SCHEDULING = new Set(['schedule', 'scheduler']);
type OperatorName = (typeof OPERATORS)[number];

interface Rule {
  readonly key: string;
  readonly fields: Fields;
  readonly path: YamlPath;
}

function rulesOf(list: unknown, path: YamlPath): Rule[] {
  const seen = new Map<string, number>();
  return asList(list).map((raw, index) => {
    const fields = asFields(raw);
    const base = asString(fields['id']) ?? asString(fields['name']);
    let key: string;
    if (base !== undefined) key = `#${base}`;
    else {
      const kind = asString(fields['metric']) ?? asString(fields['rule']) ?? asString(fields['type']) ?? 'library';
      const n = seen.get(kind) ?? 0;
      seen.set(kind, n + 1);
      key = `${kind}:${n}`;
    }
    return { key, fields, path: [...path, index] };
  });
}

function label(rule: Fields): string {
  const name = asString(rule['name']) ?? asString(rule['id']);
  const kind = asString(rule['metric']) ?? asString(rule['rule']) ?? asString(rule['type']) ?? 'quality';
  return name ? `quality rule "${name}"` : `${kind} rule`;
}

function blocks(rule: Fields): boolean {
  const severity = asString(rule['severity'])?.toLowerCase();
  return severity !== 'warning' && severity !== 'info';
}

/** The producer's side of a rule that is new or stricter: breaking only if a failure refuses the publish. */
function severityFor(rule: Fields): Partial<RuleVerdict> {
  return { producer: blocks(rule) ? 'breaking' : 'warning' };
}

/** An `invalidValues` rule listing `arguments.validValues`: ODCS v3.1's way to say enum. */
function isValueList(rule: Fields): boolean {
  return (
    (asString(rule['metric']) ?? asString(rule['rule'])) === 'invalidValues' && Array.isArray(asFields(rule['arguments'])['validValues'])
  );
}

export function diffQuality(
  ctx: DiffContext,
  subject: Subject,
  v1List: unknown,
  v2List: unknown,
  v1Path: YamlPath,
  v2Path: YamlPath,
): void {
  const before = rulesOf(v1List, v1Path);
  const after = rulesOf(v2List, v2Path);
  const owner = subject.property ? `${subject.schema ?? ''}.${subject.property}` : (subject.schema ?? 'the contract');
  for (const rule of after) {
    const old = before.find((r) => r.key === rule.key);
    if (!old) {
      if (isValueList(rule.fields)) {
        const values = asList(asFields(rule.fields['arguments'])['validValues']).map(show).join(', ');
        const message = `${label(rule.fields)} added on ${owner}: only ${values} allowed; existing rows may hold others`;
        emit(ctx, 'enum-restricted', subject, message, inV2(ctx, rule.path), severityFor(rule.fields));
      } else
        emit(ctx, 'quality-rule-added', subject, `${label(rule.fields)} added on ${owner}`, inV2(ctx, rule.path), severityFor(rule.fields));
      continue;
    }
    compareRule(ctx, subject, old, rule);
  }
  for (const old of before) {
    if (after.some((r) => r.key === old.key)) continue;
    if (isValueList(old.fields) && blocks(old.fields))
      emit(ctx, 'enum-unrestricted', subject, `${label(old.fields)} removed from ${owner}: any value may now appear`, inV1(ctx, old.path));
    else emit(ctx, 'quality-rule-removed', subject, `${label(old.fields)} removed from ${owner}`, inV1(ctx, old.path));
  }
}

function compareRule(ctx: DiffContext, subject: Subject, old: Rule, rule: Rule): void {
  const a = old.fields;
  const b = rule.fields;
  const name = label(b);
  const severity = severityFor(b);
  const argsA = asFields(a['arguments']);
  const argsB = asFields(b['arguments']);
  // Both versions list the allowed values: compare them value by value. A list that appears or
  // goes is a reshaped rule (below), not a few values more or less.
  const listsValues =
    (asString(b['metric']) ?? asString(b['rule'])) === 'invalidValues' &&
    Array.isArray(argsA['validValues']) &&
    Array.isArray(argsB['validValues']);
  if (listsValues) compareValidValues(ctx, subject, old, rule);
  const otherArgs = changedKeys(argsA, argsB, new Set(listsValues ? ['validValues'] : []));
  const operatorChange = compareOperators(a, b);
  const reshaped = changedKeys(a, b, new Set([...DOCUMENTATION, ...SCHEDULING, ...OPERATORS, 'arguments', 'severity', 'id']));
  if (reshaped.length > 0 || otherArgs.length > 0 || operatorChange === 'changed') {
    const what = [...reshaped, ...otherArgs.map((k) => `arguments.${k}`), ...(operatorChange === 'changed' ? ['threshold'] : [])];
    emit(
      ctx,
      'quality-rule-changed',
      subject,
      `${name} changed (${what.join(', ')}); Quanta cannot tell whether it is stricter`,
      inV2(ctx, [...rule.path, reshaped[0] ?? (otherArgs.length > 0 ? 'arguments' : (operatorKey(b) ?? 'metric'))]),
      severity,
    );
  } else if (operatorChange === 'tightened' || operatorChange === 'loosened') {
    const key = operatorKey(b) ?? 'metric';
    const message = `${name}: ${key} ${show(a[operatorKey(a) ?? key])} → ${show(b[key])}`;
    if (operatorChange === 'tightened')
      emit(ctx, 'quality-rule-tightened', subject, `${message} (stricter)`, inV2(ctx, [...rule.path, key]), severity);
    else emit(ctx, 'quality-rule-loosened', subject, `${message} (looser)`, inV2(ctx, [...rule.path, key]));
  }
  const wasBlocking = blocks(a);
  const isBlocking = blocks(b);
  if (wasBlocking !== isBlocking) {
    const message = `${name}: severity ${show(a['severity'] ?? 'error')} → ${show(b['severity'] ?? 'error')}`;
    const where = inV2(ctx, [...rule.path, 'severity']);
    if (isBlocking) emit(ctx, 'quality-rule-tightened', subject, `${message}: a failure now refuses the publish`, where);
    else emit(ctx, 'quality-rule-loosened', subject, `${message}: a failure no longer refuses the publish`, where);
  }
  const docs = [...DOCUMENTATION, ...SCHEDULING].filter((k) => !sameValue(a[k], b[k]));
  if (wasBlocking === isBlocking && !sameValue(a['severity'], b['severity'])) docs.push('severity');
  if (docs.includes('description'))
    emit(ctx, 'description-changed', subject, `${name}: description changed`, inV2(ctx, [...rule.path, 'description']));
  const meta = docs.filter((k) => k !== 'description');
  if (meta.length > 0)
    emit(ctx, 'metadata-changed', subject, `${name}: ${meta.join(', ')} changed`, inV2(ctx, [...rule.path, meta[0] ?? 'name']));
}

function compareValidValues(ctx: DiffContext, subject: Subject, old: Rule, rule: Rule): void {
  const before = asList(asFields(old.fields['arguments'])['validValues']);
  const after = asList(asFields(rule.fields['arguments'])['validValues']);
  const removed = before.filter((v) => !after.some((w) => sameValue(v, w)));
  const added = after.filter((v) => !before.some((w) => sameValue(v, w)));
  const where = inV2(ctx, [...rule.path, 'arguments', 'validValues']);
  const column = subject.property ?? subject.schema ?? 'the contract';
  if (removed.length > 0) {
    emit(
      ctx,
      'enum-value-removed',
      subject,
      `${column} no longer allows ${removed.map(show).join(', ')}: consumers filtering on ${removed.length === 1 ? 'it' : 'them'} get nothing, existing rows may fail the rule`,
      where,
      severityFor(rule.fields),
    );
  }
  if (added.length > 0) {
    emit(
      ctx,
      'enum-value-added',
      subject,
      `${column} now also allows ${added.map(show).join(', ')}: consumers mapping every value must handle ${added.length === 1 ? 'it' : 'them'}`,
      where,
    );
  }
}

function operatorKey(rule: Fields): OperatorName | undefined {
  return OPERATORS.find((op) => rule[op] !== undefined);
}

type OperatorChange = 'same' | 'tightened' | 'loosened' | 'changed';

function range(value: unknown): [number, number] | undefined {
  const [low, high] = asList(value).map(asNumber);
  return low === undefined || high === undefined ? undefined : [Math.min(low, high), Math.max(low, high)];
}

/** How the threshold moved; `changed` when the operator itself changed or values cannot be ordered. */
export function compareOperators(a: Fields, b: Fields): OperatorChange {
  const opA = operatorKey(a);
  const opB = operatorKey(b);
  if (opA === undefined && opB === undefined) return 'same';
  if (opA !== opB || opA === undefined) return 'changed';
  const va = a[opA];
  const vb = b[opA];
  if (sameValue(va, vb)) return 'same';
  switch (opA) {
    case 'mustBeLessThan':
    case 'mustBeLessOrEqualTo':
    case 'mustBeGreaterThan':
    case 'mustBeGreaterOrEqualTo': {
      const x = asNumber(va);
      const y = asNumber(vb);
      if (x === undefined || y === undefined) return 'changed';
      const upper = opA.startsWith('mustBeLess');
      return (upper ? y < x : y > x) ? 'tightened' : 'loosened';
    }
    case 'mustBeBetween':
    case 'mustNotBeBetween': {
      const x = range(va);
      const y = range(vb);
      if (!x || !y) return 'changed';
      const inside = x[0] <= y[0] && y[1] <= x[1];
      const outside = y[0] <= x[0] && x[1] <= y[1];
      const allowedShrinks = opA === 'mustBeBetween' ? inside : outside;
      const allowedGrows = opA === 'mustBeBetween' ? outside : inside;
      return allowedShrinks ? 'tightened' : allowedGrows ? 'loosened' : 'changed';
    }
    default:
      return 'changed';
  }
}
