import type { MeshEdit } from '../../../../core/edits/meshEdits.ts';
import { formatSeconds, parseDuration, UNIT_SECONDS } from '../../../../core/run/simTime.ts';
import type { PortVersion } from '../../../../core/run/runTypes.ts';
import type { YamlPath, YamlSourceFile } from '../../../../core/yaml/sourceFile.ts';
import { valueAt } from '../fileDiagnostics.ts';

/**
 * The ODCS `slaProperties` of a contract file as rows, and each change to them as file edits.
 * Reads the file itself (not the built Contract), so a row keeps its index in the list and
 * fields the form does not show (`driver`, `scheduler`, …) are never touched.
 */

export type SlaKind = 'duration' | 'percent' | 'text';

export interface SlaPropertyInfo {
  readonly property: string;
  /** One line: what the promise means. */
  readonly meaning: string;
  readonly kind: SlaKind;
}

/** The common properties of the ODCS v3.1.0 SLA list; any word is allowed, these are offered. */
export const SLA_PROPERTIES: readonly SlaPropertyInfo[] = [
  {
    property: 'latency',
    meaning: 'Freshness: how old the data may be when it is published. Quanta checks it on every run.',
    kind: 'duration',
  },
  { property: 'frequency', meaning: 'How often the data is refreshed.', kind: 'duration' },
  { property: 'retention', meaning: 'How long the data is kept before it is deleted.', kind: 'duration' },
  { property: 'availability', meaning: 'Share of the time the port can be read, e.g. 99.9 %.', kind: 'percent' },
  { property: 'timeOfAvailability', meaning: 'When in the day the new data is there, e.g. 09:00-08:00 (UTC).', kind: 'text' },
  { property: 'timeToDetect', meaning: 'How soon after it happens a problem with the data is noticed.', kind: 'duration' },
  { property: 'timeToNotify', meaning: 'How soon consumers are told about a problem.', kind: 'duration' },
  { property: 'timeToRepair', meaning: 'How soon a problem is fixed.', kind: 'duration' },
  { property: 'errorRate', meaning: 'Share of records that may be wrong, e.g. 1 %.', kind: 'percent' },
  { property: 'throughput', meaning: 'How much data the port delivers per unit of time.', kind: 'text' },
  { property: 'generalAvailability', meaning: 'The date from which the port is supported (YYYY-MM-DD).', kind: 'text' },
  { property: 'endOfSupport', meaning: 'The date after which the port is no longer supported.', kind: 'text' },
  { property: 'endOfLife', meaning: 'The date after which the port is gone.', kind: 'text' },
];

/** Units offered: ODCS writes durations as `d`, `h`, … (ISO); availability and error rate as `%`. */
export const SLA_UNITS: readonly (readonly [string, string])[] = [
  ['s', 'seconds'],
  ['m', 'minutes'],
  ['h', 'hours'],
  ['d', 'days'],
  ['w', 'weeks'],
  ['mo', 'months'],
  ['y', 'years'],
  ['%', 'percent'],
];

export type SlaField = 'property' | 'value' | 'unit' | 'element' | 'description';

export interface SlaRow {
  /** Index in `slaProperties`. */
  readonly index: number;
  readonly property: string;
  readonly value: string;
  readonly unit: string;
  readonly element: string;
  readonly description: string;
  /** False for an entry written as something else than a mapping: it takes no field edits. */
  readonly editable: boolean;
}

const LIST: YamlPath = ['slaProperties'];

export function slaPath(row: number): YamlPath {
  return [...LIST, row];
}

/** The SLA properties of a contract file (none when the file does not parse or declares none). */
export function slaRows(file: YamlSourceFile): SlaRow[] {
  const list = file.diagnostics.length > 0 ? undefined : valueAt(file.value, LIST);
  if (!Array.isArray(list)) return [];
  return list.map((entry, index) => ({
    index,
    property: text(valueAt(entry, ['property'])),
    value: text(valueAt(entry, ['value'])),
    unit: text(valueAt(entry, ['unit'])),
    element: text(valueAt(entry, ['element'])),
    description: text(valueAt(entry, ['description'])),
    editable: isMapping(entry),
  }));
}

export function slaInfo(property: string): SlaPropertyInfo | undefined {
  const name = property.trim().toLowerCase();
  // Quanta reads `freshness` as `latency` (core/run/simTime.ts freshnessSla).
  const known = name === 'freshness' ? 'latency' : name;
  return SLA_PROPERTIES.find((p) => p.property.toLowerCase() === known);
}

/** `latency` or `freshness`: the promise Quanta measures. */
export function isFreshness(property: string): boolean {
  const name = property.trim().toLowerCase();
  return name === 'latency' || name === 'freshness';
}

/** What is wrong with a typed field of a row, in plain words; undefined when it can be written. */
export function slaProblem(row: SlaRow, field: SlaField, input: string): string | undefined {
  const next = { ...row, [field]: input.trim() };
  if (next.property === '') return 'An SLA property needs a name (ODCS requires `property`).';
  if (field === 'property' || field === 'value' || field === 'unit') {
    if (next.value === '') return `${next.property} needs a value (ODCS requires \`value\`).`;
    const kind = slaInfo(next.property)?.kind;
    if (kind === 'duration' || kind === 'percent') {
      if (!isNumber(next.value)) return `${next.property} takes a number, e.g. 1 (the unit goes in Unit).`;
      if (Number(next.value) < 0) return `${next.property} cannot be negative.`;
    }
    if (kind === 'duration' && next.unit !== '' && UNIT_SECONDS[next.unit.toLowerCase()] === undefined)
      return `${next.unit} is not a unit of time: use s, m, h, d, w, mo or y.`;
    if (kind === 'percent' && next.unit !== '' && next.unit !== '%') return `${next.property} is a share: its unit is %.`;
    if (kind === 'percent' && Number(next.value) > 100 && next.unit === '%') return `${next.property} cannot be over 100 %.`;
  }
  return undefined;
}

/**
 * The edit for a typed field: numbers are written as numbers (`value: 1`, as ODCS examples
 * do); an emptied optional field is deleted; a refused value gives no edit (see slaProblem).
 */
export function slaFieldEdit(file: YamlSourceFile, row: SlaRow, field: SlaField, input: string): MeshEdit | undefined {
  if (!row.editable || slaProblem(row, field, input) !== undefined) return undefined;
  const path = [...slaPath(row.index), field];
  const trimmed = field === 'description' ? input : input.trim();
  const value: unknown = field === 'value' && isNumber(trimmed) ? Number(trimmed) : trimmed;
  const current = valueAt(file.value, path);
  if (trimmed === '') return current === undefined ? undefined : { kind: 'deleteField', file: file.path, path };
  if (current === value) return undefined;
  return { kind: 'setField', file: file.path, path, value };
}

/**
 * A new SLA entry at the end (the list is made when the contract has none): the first common
 * property the contract does not promise yet, with a value and unit that make sense for it.
 */
export function addSlaEdit(file: YamlSourceFile, property?: string): MeshEdit {
  const rows = slaRows(file);
  const taken = new Set(rows.map((r) => r.property.toLowerCase()));
  const info =
    (property === undefined ? undefined : slaInfo(property)) ??
    SLA_PROPERTIES.find((p) => !taken.has(p.property.toLowerCase()) && !(p.property === 'latency' && taken.has('freshness'))) ??
    SLA_PROPERTIES[0];
  const name = property ?? info?.property ?? 'latency';
  const entry: Record<string, unknown> = { property: name, ...defaultValue(info?.kind ?? 'duration', name) };
  if (rows.length === 0 && valueAt(file.value, LIST) === undefined)
    return { kind: 'setField', file: file.path, path: LIST, value: [entry] };
  return { kind: 'setField', file: file.path, path: slaPath(rows.length), value: entry };
}

function defaultValue(kind: SlaKind, property: string): Record<string, unknown> {
  if (kind === 'percent') return { value: property === 'errorRate' ? 1 : 99.9, unit: '%' };
  if (property === 'timeOfAvailability') return { value: '09:00-08:00' };
  if (property === 'throughput') return { value: 1000, unit: 'rows/s' };
  if (kind === 'text') return { value: new Date(Date.UTC(new Date().getUTCFullYear() + 1, 0, 1)).toISOString().slice(0, 10) };
  if (property === 'retention') return { value: 1, unit: 'y' };
  return { value: 1, unit: 'd' };
}

export function removeSlaEdit(file: YamlSourceFile, row: SlaRow): MeshEdit {
  return { kind: 'deleteField', file: file.path, path: slaPath(row.index) };
}

/**
 * Changing the property to one of another kind (a duration, a share, a text) gives the entry
 * that kind's default value and unit (`availability` 99.9 % → `retention` 1 y), so it stays valid.
 */
export function slaPropertyEdits(file: YamlSourceFile, row: SlaRow, property: string): MeshEdit[] {
  if (!row.editable || property.trim() === '' || property === row.property) return [];
  const set = (field: SlaField, value: unknown): MeshEdit => ({
    kind: 'setField',
    file: file.path,
    path: [...slaPath(row.index), field],
    value,
  });
  const edits: MeshEdit[] = [set('property', property)];
  const kind = slaInfo(property)?.kind ?? 'text';
  if ((slaInfo(row.property)?.kind ?? 'text') === kind && slaProblem(row, 'property', property) === undefined) return edits;
  const fallback = defaultValue(kind, property);
  edits.push(set('value', fallback['value']));
  const path = [...slaPath(row.index), 'unit'];
  if (fallback['unit'] !== undefined) edits.push(set('unit', fallback['unit']));
  else if (valueAt(file.value, path) !== undefined) edits.push({ kind: 'deleteField', file: file.path, path });
  return edits;
}

/** `table.column` of every property of the contract's schema: what `element` may name. */
export function elementOptions(file: YamlSourceFile): string[] {
  const schema = valueAt(file.value, ['schema']);
  if (!Array.isArray(schema)) return [];
  return schema.flatMap((table) => {
    const name = text(valueAt(table, ['name']));
    const properties = valueAt(table, ['properties']);
    if (!Array.isArray(properties)) return [];
    return properties
      .map((p) => text(valueAt(p, ['name'])))
      .filter((c) => c !== '')
      .map((c) => (name ? `${name}.${c}` : c));
  });
}

/** A freshness promise held against what the port published. */
export interface FreshnessMeasure {
  /** Simulated seconds between the oldest source data of the version and now (or its publish). */
  readonly ageSeconds: number;
  readonly promisedSeconds: number;
  readonly met: boolean;
  readonly version: number;
  /** 'now': against the simulated clock; 'publish': at the time the version was published. */
  readonly at: 'now' | 'publish';
  readonly text: string;
}

/**
 * How old the newest published version's data is against a row's promise: its data time
 * against the simulated clock (as the runtime's freshness does), else at its publish.
 */
export function measureFreshness(
  row: SlaRow,
  published: PortVersion | undefined,
  simulatedNow: string | undefined,
): FreshnessMeasure | undefined {
  if (!published || !isFreshness(row.property) || !isNumber(row.value)) return undefined;
  const promisedSeconds = parseDuration(`${row.value}${row.unit || 'd'}`);
  if (promisedSeconds === undefined) return undefined;
  const now = simulatedNow === undefined ? NaN : Date.parse(simulatedNow);
  const dataAt = Date.parse(published.dataAt);
  const live = Number.isFinite(now) && Number.isFinite(dataAt) && now >= Date.parse(published.simulatedAt);
  const ageSeconds = live ? (now - dataAt) / 1000 : published.freshness.ageSeconds;
  const met = ageSeconds <= promisedSeconds;
  const when = live ? 'now' : 'at publish';
  return {
    ageSeconds,
    promisedSeconds,
    met,
    version: published.version,
    at: live ? 'now' : 'publish',
    text: `${met ? 'met' : 'missed'}: version ${published.version} is ${formatSeconds(ageSeconds)} old ${when}, the promise is ${formatSeconds(promisedSeconds)}`,
  };
}

function isNumber(value: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(value.trim());
}

function isMapping(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string {
  return value === undefined || value === null || typeof value === 'object' ? '' : String(value);
}
