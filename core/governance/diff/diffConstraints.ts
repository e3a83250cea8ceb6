import { asFields, asList, asNumber, type Fields } from '../../model/read.ts';
import { changedKeys, emit, inV2, sameValue, show, type DiffContext, type PropertyAt, type Subject } from './diffContext.ts';
import type { DiffRuleId } from './diffRules.ts';

/*
 * logicalTypeOptions of a property, compared key by key. Bounds are ordered (a smaller
 * maximum, a larger minimum is tighter; dates compare as dates); a `multipleOf` that is a
 * multiple of the old one is tighter. A pattern, a string format and a value list (`enum`,
 * as datacontract-cli writes it) have rules of their own: added is a tighter guarantee (the
 * producer's data must meet it), removed a looser one (consumers lose it); a changed pattern
 * or format cannot be ordered (Quanta cannot prove the new one accepts, or refuses, every old
 * value), so it is both. Other options (timezone, …) added or removed count as tightened or
 * loosened, changed as constraint-changed.
 */
export function isNumeric(property: Fields): boolean {
  return property['logicalType'] === 'integer' || property['logicalType'] === 'number';
}

const UPPER_BOUNDS = new Set(['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties']);
const LOWER_BOUNDS = new Set(['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties']);

function orderable(value: unknown): number | undefined {
  const number = asNumber(value);
  if (number !== undefined) return number;
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/** +1 tightened, −1 loosened, 0 cannot be ordered, for one key whose value changed. */
function constraintDirection(key: string, was: unknown, is: unknown): 1 | -1 | 0 {
  if (was === undefined) return 1;
  if (is === undefined) return -1;
  if (UPPER_BOUNDS.has(key) || LOWER_BOUNDS.has(key)) {
    const x = orderable(was);
    const y = orderable(is);
    if (x === undefined || y === undefined) return 0;
    const tighter = UPPER_BOUNDS.has(key) ? y < x : y > x;
    return tighter ? 1 : -1;
  }
  if (key === 'multipleOf') {
    const x = asNumber(was);
    const y = asNumber(is);
    if (x === undefined || y === undefined) return 0;
    return x % y === 0 ? -1 : y % x === 0 ? 1 : 0;
  }
  if (key === 'uniqueItems') return is === true ? 1 : -1;
  if (key === 'required') {
    const before = asList(was);
    const after = asList(is);
    return after.every((name) => before.includes(name)) ? -1 : before.every((name) => after.includes(name)) ? 1 : 0;
  }
  return 0;
}

type Family = 'pattern' | 'format';

/** added / removed / changed rule ids for the options with rules of their own. */
const FAMILY: Readonly<Record<Family, readonly [DiffRuleId, DiffRuleId, DiffRuleId]>> = {
  pattern: ['pattern-added', 'pattern-removed', 'pattern-changed'],
  format: ['format-added', 'format-removed', 'format-changed'],
};

export function compareConstraints(ctx: DiffContext, subject: Subject, old: PropertyAt, now: PropertyAt): void {
  const a = asFields(old.fields['logicalTypeOptions']);
  const b = asFields(now.fields['logicalTypeOptions']);
  const skip = new Set(['enum', ...(isNumeric(old.fields) && isNumeric(now.fields) ? ['format'] : [])]); // format: part of the type, see diffTypes
  const at = (key: string): ReturnType<typeof inV2> =>
    inV2(ctx, b[key] === undefined ? [...now.path, 'logicalTypeOptions'] : [...now.path, 'logicalTypeOptions', key]);
  for (const key of changedKeys(a, b, skip)) {
    const change = `${key} ${show(a[key])} → ${show(b[key])}`;
    const family = key === 'pattern' || key === 'format' ? FAMILY[key] : undefined;
    if (family) {
      const [added, removed, changed] = family;
      if (a[key] === undefined) emit(ctx, added, subject, `"${now.name}": ${change}: existing rows may not meet it`, at(key));
      else if (b[key] === undefined) emit(ctx, removed, subject, `"${now.name}": ${change}: consumers may see values it refused`, at(key));
      else emit(ctx, changed, subject, `"${now.name}": ${change}: neither is known to accept every value of the other`, at(key));
      continue;
    }
    const direction = constraintDirection(key, a[key], b[key]);
    if (direction > 0)
      emit(ctx, 'constraint-tightened', subject, `"${now.name}": ${change} is stricter: existing rows may not meet it`, at(key));
    else if (direction < 0)
      emit(
        ctx,
        'constraint-loosened',
        subject,
        `"${now.name}": ${change} is looser: consumers may see values they did not before`,
        at(key),
      );
    else emit(ctx, 'constraint-changed', subject, `"${now.name}": ${change} cannot be ordered: it may be stricter or looser`, at(key));
  }
  compareEnum(ctx, subject, now.name, a['enum'], b['enum'], at('enum'));
}

/** logicalTypeOptions `enum` (datacontract-cli's value list; ODCS v3.1 has none, see diffQuality for validValues). */
function compareEnum(ctx: DiffContext, subject: Subject, name: string, was: unknown, is: unknown, where: ReturnType<typeof inV2>): void {
  if (sameValue(was, is)) return;
  const before = asList(was);
  const after = asList(is);
  if (before.length === 0 && after.length > 0)
    emit(
      ctx,
      'enum-restricted',
      subject,
      `"${name}": only ${after.map(show).join(', ')} allowed now; existing rows may hold others`,
      where,
    );
  else if (after.length === 0 && before.length > 0)
    emit(ctx, 'enum-unrestricted', subject, `"${name}": the value list ${show(before)} was removed: any value may now appear`, where);
  else {
    const removed = before.filter((v) => !after.some((w) => sameValue(v, w)));
    const added = after.filter((v) => !before.some((w) => sameValue(v, w)));
    if (removed.length > 0)
      emit(
        ctx,
        'enum-value-removed',
        subject,
        `"${name}" no longer allows ${removed.map(show).join(', ')}: existing rows may hold it`,
        where,
      );
    if (added.length > 0)
      emit(
        ctx,
        'enum-value-added',
        subject,
        `"${name}" now also allows ${added.map(show).join(', ')}: consumers mapping every value must handle it`,
        where,
      );
  }
}
