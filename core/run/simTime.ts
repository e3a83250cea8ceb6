import { asFields, asList, asNumber, asString } from '../model/read.ts';
import type { Contract } from '../model/types.ts';

/*
 * Simulated time: durations of quanta.yaml (`every: 1d`, `timeout: 30s`) and the freshness
 * SLA of ODCS contracts (`slaProperties: [{property: latency, value: 1, unit: d}]`).
 */
/** Seconds per duration unit (a month is 1/12 of a year of 365.25 days); shared with the contract diff. */
export const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  sec: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hour: 3600,
  hours: 3600,
  d: 86_400,
  day: 86_400,
  days: 86_400,
  w: 604_800,
  week: 604_800,
  weeks: 604_800,
  mo: 2_629_800,
  month: 2_629_800,
  months: 2_629_800,
  y: 31_536_000,
  yr: 31_536_000,
  year: 31_536_000,
  years: 31_536_000,
};

/** `30s`, `1d`, `500ms` → seconds; undefined when it is not a duration. */
export function parseDuration(text: string | undefined): number | undefined {
  const match = text === undefined ? null : /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = UNIT_SECONDS[(match[2] ?? '').toLowerCase()];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s % 86_400 === 0 && s > 0) return `${s / 86_400}d`;
  if (s >= 86_400) return `${Math.floor(s / 86_400)}d ${Math.round((s % 86_400) / 3600)}h`;
  if (s % 3600 === 0 && s > 0) return `${s / 3600}h`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${Math.round((s % 3600) / 60)}m`;
  if (s >= 60) return `${Math.round(s / 60)}m`;
  return `${s}s`;
}

export interface FreshnessSla {
  readonly latencySeconds: number;
  /** YAML path of the slaProperties entry, to point a failing check at it. */
  readonly path: readonly (string | number)[];
  readonly text: string;
}

/** The contract's freshness promise: the first `latency` (or `freshness`) slaProperties entry. */
export function freshnessSla(contract: Contract | undefined): FreshnessSla | undefined {
  if (!contract) return undefined;
  const entries = asList(contract.document['slaProperties']);
  for (let i = 0; i < entries.length; i++) {
    const entry = asFields(entries[i]);
    const property = asString(entry['property'])?.toLowerCase();
    if (property !== 'latency' && property !== 'freshness') continue;
    const value = asNumber(entry['value']) ?? asNumber(Number(asString(entry['value'])));
    const unit = asString(entry['unit']) ?? 'd';
    const latencySeconds = value === undefined ? undefined : parseDuration(`${value}${unit}`);
    if (latencySeconds !== undefined) return { latencySeconds, path: ['slaProperties', i], text: `${value} ${unit}` };
  }
  return undefined;
}
