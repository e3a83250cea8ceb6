import { UNIT_SECONDS } from '../../run/simTime.ts';
import { asFields, asList, asNumber, asString, asText, type Fields } from '../../model/read.ts';
import { changedKeys, CONTRACT, emit, inV1, inV2, sameValue, show, type DiffContext } from './diffContext.ts';
import type { DiffRuleId } from './diffRules.ts';

/*
 * Contract-level parts of the diff: SLAs, servers and roles. None of them changes the data
 * a consumer reads, so none is breaking: an SLA is an operational promise (Quanta itself
 * reports a missed freshness SLA as a warning, never refuses the data), servers and roles
 * are how to reach the data outside Quanta.
 */

// Which way is stricter for the SLA properties of the ODCS "periodic table" Quanta knows.
const LOWER_IS_STRICTER = new Set([
  'latency',
  'frequency',
  'timeofavailability',
  'responsetime',
  'errorrate',
  'timetodetect',
  'timetonotify',
  'timetorepair',
]);
const HIGHER_IS_STRICTER = new Set(['retention', 'availability', 'throughput', 'endofsupport', 'endoflife']);

interface Keyed {
  readonly key: string;
  readonly fields: Fields;
  readonly index: number;
}

function keyed(list: unknown, keyOf: (fields: Fields) => string): Keyed[] {
  const seen = new Map<string, number>();
  return asList(list).map((raw, index) => {
    const fields = asFields(raw);
    const base = keyOf(fields);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { key: `${base}#${n}`, fields, index };
  });
}

function slaKey(fields: Fields): string {
  const id = asString(fields['id']);
  if (id !== undefined) return `id:${id}`;
  return [asString(fields['property']) ?? '', asString(fields['element']) ?? '', asString(fields['driver']) ?? ''].join('|');
}

function slaLabel(fields: Fields): string {
  const element = asString(fields['element']);
  return `SLA ${asString(fields['property']) ?? '?'}${element ? ` on ${element}` : ''}`;
}

function slaText(fields: Fields): string {
  const unit = asString(fields['unit']);
  return `${show(fields['value'])}${unit ? ` ${unit}` : ''}`;
}

/** A comparable number for an SLA value: durations in seconds, dates in ms, `HH:MM` times, percentages. */
function magnitude(fields: Fields): { value: number; dimension: string } | undefined {
  const raw = fields['value'];
  const unit = asString(fields['unit'])?.toLowerCase();
  const number = asNumber(raw) ?? (typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*%?\s*$/.test(raw) ? Number.parseFloat(raw) : undefined);
  if (number !== undefined) {
    const seconds = unit === undefined ? undefined : UNIT_SECONDS[unit];
    return seconds === undefined ? { value: number, dimension: unit ?? '' } : { value: number * seconds, dimension: 'duration' };
  }
  if (typeof raw !== 'string') return undefined;
  const time = /^(\d{1,2}):(\d{2})(.*)$/.exec(raw.trim());
  if (time) return { value: Number(time[1]) * 60 + Number(time[2]), dimension: `time${time[3] ?? ''}` };
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : { value: date, dimension: 'date' };
}

export function diffSlas(ctx: DiffContext, v1: Fields, v2: Fields): void {
  const before = keyed(v1['slaProperties'], slaKey);
  const after = keyed(v2['slaProperties'], slaKey);
  for (const sla of after) {
    const where = inV2(ctx, ['slaProperties', sla.index, 'value']);
    const old = before.find((s) => s.key === sla.key);
    if (!old) {
      emit(ctx, 'sla-changed', CONTRACT, `${slaLabel(sla.fields)} added: ${slaText(sla.fields)}`, where);
      continue;
    }
    if (!sameValue(old.fields['description'], sla.fields['description'])) {
      emit(ctx, 'description-changed', CONTRACT, `${slaLabel(sla.fields)}: description changed`, inV2(ctx, ['slaProperties', sla.index]));
    }
    const changed = changedKeys(old.fields, sla.fields, new Set(['description', 'id']));
    if (changed.length === 0) continue;
    const message = `${slaLabel(sla.fields)}: ${slaText(old.fields)} → ${slaText(sla.fields)}`;
    const a = magnitude(old.fields);
    const b = magnitude(sla.fields);
    const property = asString(sla.fields['property'])?.toLowerCase() ?? '';
    const ordered = changed.every((k) => k === 'value' || k === 'unit' || k === 'valueExt') && a && b && a.dimension === b.dimension;
    if (ordered && a.value !== b.value && (LOWER_IS_STRICTER.has(property) || HIGHER_IS_STRICTER.has(property))) {
      const stricter = LOWER_IS_STRICTER.has(property) ? b.value < a.value : b.value > a.value;
      emit(ctx, stricter ? 'sla-tightened' : 'sla-loosened', CONTRACT, `${message} (${stricter ? 'stricter' : 'looser'})`, where);
    } else if (ordered && a.value === b.value) {
      emit(ctx, 'metadata-changed', CONTRACT, `${message} (the same amount, written differently)`, where);
    } else {
      emit(ctx, 'sla-changed', CONTRACT, `${message} (${changed.join(', ')} changed)`, where);
    }
  }
  for (const old of before) {
    if (after.some((s) => s.key === old.key)) continue;
    emit(
      ctx,
      'sla-changed',
      CONTRACT,
      `${slaLabel(old.fields)} removed (was ${slaText(old.fields)})`,
      inV1(ctx, ['slaProperties', old.index]),
    );
  }
}

/** Servers (by `server`) and roles (by `role`): removed or changed is a warning, added is info. */
export function diffNamedList(ctx: DiffContext, v1: Fields, v2: Fields, field: 'servers' | 'roles'): void {
  const nameField = field === 'servers' ? 'server' : 'role';
  const noun = field === 'servers' ? 'server' : 'role';
  const rules: Record<'removed' | 'changed' | 'added', DiffRuleId> =
    field === 'servers'
      ? { removed: 'server-removed', changed: 'server-changed', added: 'server-added' }
      : { removed: 'role-removed', changed: 'role-changed', added: 'role-added' };
  const nameOf = (fields: Fields): string => asText(fields[nameField]) ?? '?';
  const before = keyed(v1[field], nameOf);
  const after = keyed(v2[field], nameOf);
  for (const item of after) {
    const old = before.find((s) => s.key === item.key);
    const name = nameOf(item.fields);
    if (!old) {
      emit(ctx, rules.added, CONTRACT, `${noun} "${name}" added`, inV2(ctx, [field, item.index]));
      continue;
    }
    const changed = changedKeys(old.fields, item.fields, new Set());
    const substantive = changed.filter((k) => k !== 'description');
    const where = inV2(ctx, [field, item.index, changed[0] ?? nameField]);
    if (substantive.length > 0) {
      const details = substantive.map((k) => `${k} ${show(old.fields[k])} → ${show(item.fields[k])}`).join(', ');
      emit(ctx, rules.changed, CONTRACT, `${noun} "${name}": ${details}`, where);
    } else if (changed.length > 0) {
      emit(ctx, 'description-changed', CONTRACT, `${noun} "${name}": description changed`, where);
    }
  }
  for (const old of before) {
    if (after.some((s) => s.key === old.key)) continue;
    emit(ctx, rules.removed, CONTRACT, `${noun} "${nameOf(old.fields)}" removed`, inV1(ctx, [field, old.index]));
  }
}
