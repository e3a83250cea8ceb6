import { asFields, asList, asNumber, type Fields } from '../model/read.ts';
import { changedKeys, emit, inV2, show, type DiffContext, type Subject } from './diffContext.ts';
import type { PropertyAt } from './diffProperties.ts';

/*
 * logicalTypeOptions of a property, compared key by key. Bounds are ordered (a smaller
 * maximum, a larger minimum is tighter; dates compare as dates); a `multipleOf` that is a
 * multiple of the old one is tighter; anything Quanta cannot order (a changed pattern or
 * format, a timezone) counts as tighter, since it cannot prove the new one accepts every
 * old value. Added is tighter, removed is looser.
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

/** +1 tightened, −1 loosened, for one logicalTypeOptions key whose value changed. */
function constraintDirection(key: string, was: unknown, is: unknown): 1 | -1 {
  if (was === undefined) return 1;
  if (is === undefined) return -1;
  if (UPPER_BOUNDS.has(key) || LOWER_BOUNDS.has(key)) {
    const x = orderable(was);
    const y = orderable(is);
    if (x === undefined || y === undefined) return 1;
    const tighter = UPPER_BOUNDS.has(key) ? y < x : y > x;
    return tighter ? 1 : -1;
  }
  if (key === 'multipleOf') {
    const x = asNumber(was);
    const y = asNumber(is);
    return x !== undefined && y !== undefined && x % y === 0 ? -1 : 1;
  }
  if (key === 'uniqueItems') return is === true ? 1 : -1;
  if (key === 'required') {
    const before = asList(was);
    return asList(is).every((name) => before.includes(name)) ? -1 : 1;
  }
  return 1; // pattern, format, timezone…: Quanta cannot prove the new one accepts every old value
}

export function compareConstraints(ctx: DiffContext, subject: Subject, old: PropertyAt, now: PropertyAt): void {
  const a = asFields(old.fields['logicalTypeOptions']);
  const b = asFields(now.fields['logicalTypeOptions']);
  const skip = new Set(isNumeric(old.fields) && isNumeric(now.fields) ? ['format'] : []); // part of the type, see diffTypes
  for (const key of changedKeys(a, b, skip)) {
    const direction = constraintDirection(key, a[key], b[key]);
    const where = inV2(ctx, b[key] === undefined ? [...now.path, 'logicalTypeOptions'] : [...now.path, 'logicalTypeOptions', key]);
    const change = `${key} ${show(a[key])} → ${show(b[key])}`;
    if (direction > 0)
      emit(ctx, 'constraint-tightened', subject, `"${now.name}": ${change} is stricter (or cannot be proven looser)`, where);
    else
      emit(ctx, 'constraint-loosened', subject, `"${now.name}": ${change} is looser: consumers may see values they did not before`, where);
  }
}
