import { isSeq } from 'yaml';
import { uniqueName } from '../../../../core/blueprints/blueprints.ts';
import { applyEdits, deepEqual, type MeshEdit } from '../../../../core/edits/meshEdits.ts';
import type { GeneratorColumn } from '../../../../core/model/types.ts';
import { parseYaml, type YamlPath, type YamlSourceFile } from '../../../../core/yaml/sourceFile.ts';
import { valueAt } from '../fileDiagnostics.ts';

/*
 * The Sources tab's model: quanta.yaml as the form shows it, and the edits each control
 * makes. One field is one setField/deleteField; an action that touches several fields (a
 * column's type, a rename that updates references, a reorder) is one setText made from the
 * same surgical splices (core/yaml/patchYaml.ts via applyEdits), so it stays one undo step
 * and keeps comments, key order and unknown keys.
 */
export type ColumnType = GeneratorColumn['type'];

export const SOURCES_PATH: YamlPath = ['sources'];
export const sourcePath = (source: number): YamlPath => ['sources', source];
export const generatorPath = (source: number): YamlPath => ['sources', source, 'generator'];
export const columnsPath = (source: number): YamlPath => ['sources', source, 'generator', 'columns'];
export const columnPath = (source: number, column: number): YamlPath => [...columnsPath(source), column];

export const ARCHETYPES = [
  {
    id: 'source-aligned',
    label: 'Source-aligned',
    meaning: 'Takes in data where it is made (seed files, generators) and publishes it as its domain knows it.',
  },
  { id: 'aggregate', label: 'Aggregate', meaning: 'Combines several upstream products into a shared view that others build on.' },
  { id: 'consumer-aligned', label: 'Consumer-aligned', meaning: 'Shapes upstream data for one use: a report, a dashboard, a model.' },
] as const;

export function archetypeMeaning(archetype: unknown): string {
  return ARCHETYPES.find((a) => a.id === archetype)?.meaning ?? 'Choose what kind of data product this is.';
}

// ---------------------------------------------------------------------------------------
// Durations: `every: 1d`, `timeout: 30s` (the loader's pattern ^[0-9]+(ms|s|m|h|d)$).

export const DURATION_UNITS = [
  ['ms', 'milliseconds'],
  ['s', 'seconds'],
  ['m', 'minutes'],
  ['h', 'hours'],
  ['d', 'days'],
] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number][0];

const UNIT_SECONDS: Readonly<Record<DurationUnit, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };
const UNIT_WORD: Readonly<Record<DurationUnit, string>> = { ms: 'millisecond', s: 'second', m: 'minute', h: 'hour', d: 'day' };

/** `1d` → { amount: '1', unit: 'd' }; undefined when the text is not a duration the loader accepts. */
export function splitDuration(value: unknown): { readonly amount: string; readonly unit: DurationUnit } | undefined {
  const match = typeof value === 'string' ? /^([0-9]+)(ms|s|m|h|d)$/.exec(value) : null;
  return match ? { amount: match[1] ?? '', unit: match[2] as DurationUnit } : undefined;
}

/** The seconds of a duration the loader accepts; undefined otherwise. */
export function durationSeconds(value: unknown): number | undefined {
  const split = splitDuration(value);
  return split ? Number(split.amount) * UNIT_SECONDS[split.unit] : undefined;
}

/** What was typed in a duration's amount box, refused before it reaches the file when it is not a whole number. */
export function durationProblem(amount: string): string | undefined {
  const trimmed = amount.trim();
  if (trimmed === '' || /^[0-9]+$/.test(trimmed)) return undefined;
  return `“${trimmed}” is not a whole number; write the amount in digits, e.g. 1, and pick the unit.`;
}

/** The duration as the file says it: `2` + `h` → `2h`; undefined for an empty amount (the field is removed). */
export function durationText(amount: string, unit: DurationUnit): string | undefined {
  const trimmed = amount.trim();
  return trimmed === '' ? undefined : `${trimmed.replace(/^0+(?=\d)/, '')}${unit}`;
}

/** `1d` → "once per simulated day"; `6h` → "once every 6 simulated hours". */
export function everyWords(value: unknown): string | undefined {
  const split = splitDuration(value);
  if (!split) return undefined;
  const n = Number(split.amount);
  const word = UNIT_WORD[split.unit];
  return n === 1 ? `once per simulated ${word}` : `once every ${n} simulated ${word}s`;
}

/**
 * When the product runs, in words, as core/run/schedule.ts decides it: `every` when it has
 * passed since the last run; with input ports, also when an upstream publishes (the default;
 * `onUpstreamPublish: false` turns it off while `every` is set); with neither, every tick.
 */
export function scheduleMeaning(schedule: unknown, hasInputs: boolean): string {
  const raw = asRecord(schedule);
  const every = raw['every'];
  const seconds = durationSeconds(every);
  const reactsWhenEvery = raw['onUpstreamPublish'] !== false;
  if (seconds !== undefined && seconds > 0) {
    const tickNote =
      seconds < 3600
        ? ' — that is every tick, since a tick is one simulated hour'
        : seconds >= 3600 && seconds % 3600 === 0
          ? ` (every ${seconds / 3600} tick${seconds === 3600 ? '' : 's'}; a tick is one simulated hour)`
          : ' (a tick is one simulated hour)';
    const upstream = hasInputs && reactsWhenEvery ? ', and whenever an upstream publishes a new version' : '';
    return `Runs ${everyWords(every) ?? ''}${tickNote}${upstream}.`;
  }
  if (every !== undefined) return 'Runs on the schedule once “every” is a valid duration.';
  if (hasInputs) return 'Runs whenever an upstream publishes a new version.';
  return 'Runs on every tick (one simulated hour), taking in its sources each time.';
}

// ---------------------------------------------------------------------------------------
// Numbers.

export type Parsed<T> = { readonly value: T | undefined; readonly problem?: undefined } | { readonly problem: string };

/** A number box: empty is undefined (the field is removed, or refused when `required`). */
export function parseNumber(input: string, options: { readonly integer?: boolean; readonly required?: string } = {}): Parsed<number> {
  const trimmed = input.trim();
  if (trimmed === '') return options.required ? { problem: `${options.required} is required.` } : { value: undefined };
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed)) return { problem: `“${trimmed}” is not a number.` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { problem: `“${trimmed}” is too large.` };
  if (options.integer && !Number.isInteger(value)) return { problem: `“${trimmed}” is not a whole number.` };
  return { value };
}

/** A seed for a new generator: any whole number works; this one is random so two sources differ. */
export function newSeed(random: () => number = Math.random): number {
  return Math.floor(random() * 1_000_000);
}

// ---------------------------------------------------------------------------------------
// Generator columns: every type core/generate/generator.ts knows and its parameters.

export type ParamKind = 'number' | 'integer' | 'text' | 'timestamp' | 'values' | 'weights' | 'reference';

export interface ColumnParam {
  readonly key: keyof GeneratorColumn & string;
  readonly label: string;
  readonly kind: ParamKind;
  /** The generator's default, shown as the placeholder. */
  readonly placeholder?: string;
  /** The generator cannot run without it. */
  readonly required?: boolean;
}

export interface ColumnTypeSpec {
  readonly id: ColumnType;
  readonly label: string;
  readonly help: string;
  readonly params: readonly ColumnParam[];
}

const MIN: ColumnParam = { key: 'min', label: 'Min', kind: 'number', placeholder: '0' };
const MAX: ColumnParam = { key: 'max', label: 'Max', kind: 'number', placeholder: '100' };

export const COLUMN_TYPES: readonly ColumnTypeSpec[] = [
  {
    id: 'sequence',
    label: 'sequence',
    help: 'start, start + step, …: one per row, across ticks.',
    params: [
      { key: 'start', label: 'Start', kind: 'number', placeholder: '1' },
      { key: 'step', label: 'Step', kind: 'number', placeholder: '1' },
    ],
  },
  { id: 'integer', label: 'integer', help: 'A whole number, uniform between min and max.', params: [MIN, MAX] },
  {
    id: 'decimal',
    label: 'decimal',
    help: 'A number uniform between min and max, rounded to scale digits.',
    params: [MIN, MAX, { key: 'scale', label: 'Scale', kind: 'integer', placeholder: '2' }],
  },
  {
    id: 'normal',
    label: 'normal',
    help: 'A bell curve around mean; min and max clip it.',
    params: [
      { key: 'mean', label: 'Mean', kind: 'number', placeholder: '0' },
      { key: 'stddev', label: 'Std dev', kind: 'number', placeholder: '1' },
      { key: 'min', label: 'Min', kind: 'number', placeholder: 'none' },
      { key: 'max', label: 'Max', kind: 'number', placeholder: 'none' },
      { key: 'scale', label: 'Scale', kind: 'integer', placeholder: 'none' },
    ],
  },
  {
    id: 'choice',
    label: 'choice',
    help: 'One of the values; weights make some more likely.',
    params: [
      { key: 'values', label: 'Values', kind: 'values', placeholder: 'a, b, c', required: true },
      { key: 'weights', label: 'Weights', kind: 'weights', placeholder: 'equal' },
    ],
  },
  {
    id: 'boolean',
    label: 'boolean',
    help: 'true with the given probability.',
    params: [{ key: 'probability', label: 'Probability', kind: 'number', placeholder: '0.5' }],
  },
  {
    id: 'timestamp',
    label: 'timestamp',
    help: 'start + row × step seconds, plus up to jitter seconds.',
    params: [
      { key: 'start', label: 'Start', kind: 'timestamp', placeholder: '2026-01-01T00:00:00Z' },
      { key: 'stepSeconds', label: 'Step (s)', kind: 'number', placeholder: '60' },
      { key: 'jitterSeconds', label: 'Jitter (s)', kind: 'number', placeholder: '0' },
    ],
  },
  {
    id: 'text',
    label: 'text',
    help: 'A template: {i} is the row number, {i:5} pads it to 5 digits.',
    params: [{ key: 'template', label: 'Template', kind: 'text', placeholder: '<name>-{i}' }],
  },
  {
    id: 'reference',
    label: 'reference',
    help: 'A foreign key: a value of another generated column, from its first load.',
    params: [{ key: 'references', label: 'References', kind: 'reference', required: true }],
  },
];

export const NULL_SHARE: ColumnParam = { key: 'nullShare', label: 'Null share', kind: 'number', placeholder: '0' };

export function columnType(id: unknown): ColumnTypeSpec | undefined {
  return COLUMN_TYPES.find((t) => t.id === id);
}

/** A parameter's value as its box shows it. */
export function paramText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => String(v)).join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const REFERENCE = /^([a-z0-9][a-z0-9-]*\/)?[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;
export const SOURCE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function listItems(input: string): string[] {
  return input
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** A choice value as YAML would read it unquoted: `12` a number, `true` a boolean, else text. */
function choiceValue(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  return /^-?\d+(\.\d+)?$/.test(text) && Number.isFinite(Number(text)) ? Number(text) : text;
}

/** What a parameter box stores; `value: undefined` removes the key. */
export function parseParam(param: ColumnParam, input: string): Parsed<unknown> {
  const trimmed = input.trim();
  if (trimmed === '') return param.required ? { problem: `${param.label} is required for this type.` } : { value: undefined };
  switch (param.kind) {
    case 'number':
    case 'integer':
      return parseNumber(trimmed, { integer: param.kind === 'integer' });
    case 'text':
      return { value: input };
    case 'timestamp':
      return Number.isNaN(Date.parse(trimmed))
        ? { problem: `“${trimmed}” is not an ISO timestamp; write it like 2026-01-01T00:00:00Z.` }
        : { value: trimmed };
    case 'values':
      return { value: listItems(trimmed).map(choiceValue) };
    case 'weights': {
      const weights: number[] = [];
      for (const item of listItems(trimmed)) {
        const weight = parseNumber(item);
        if (weight.problem !== undefined) return { problem: `Weights are numbers separated by commas: ${weight.problem}` };
        if (weight.value !== undefined) weights.push(weight.value);
      }
      return { value: weights };
    }
    case 'reference':
      return REFERENCE.test(trimmed)
        ? { value: trimmed }
        : { problem: 'Write a reference as <source>.<column> or <product>/<source>.<column>.' };
  }
}

/** The edit that stores `value` (from parseParam) at `path`; undefined when nothing changes. */
export function valueEdit(file: YamlSourceFile, path: YamlPath, value: unknown): MeshEdit | undefined {
  const current = valueAt(file.value, path);
  if (value === undefined) return current === undefined ? undefined : { kind: 'deleteField', file: file.path, path };
  if (deepEqual(current, value)) return undefined;
  return { kind: 'setField', file: file.path, path, value };
}

/**
 * Several field edits as one: applied with the same splices as single edits, then stored as
 * the file's new text (one undo step). Undefined when nothing changes.
 */
export function combinedEdit(file: YamlSourceFile, edits: readonly (MeshEdit | undefined)[]): MeshEdit | undefined {
  const real = edits.filter((e): e is MeshEdit => e !== undefined);
  if (real.length === 0) return undefined;
  if (real.length === 1) return real[0];
  const next = applyEdits(new Map([[file.path, file]]), real).get(file.path);
  if (!next || next.text === file.text) return undefined;
  return { kind: 'setText', file: file.path, text: next.text };
}

/** Parameters the generator reads for a type, including the null share every type has. */
export function paramsOf(type: unknown): readonly ColumnParam[] {
  return [...(columnType(type)?.params ?? []), NULL_SHARE];
}

/**
 * Changing a column's type: the new type is set, parameters only the old type reads are
 * removed (a timestamp's text `start` means nothing to a sequence), and a required one gets
 * a starting value, so the generator can run at once.
 */
export function typeChangeEdit(
  file: YamlSourceFile,
  source: number,
  column: number,
  type: ColumnType,
  firstReference: string | undefined,
): MeshEdit | undefined {
  const path = columnPath(source, column);
  const current = asRecord(valueAt(file.value, path));
  if (current['type'] === type) return undefined;
  const keep = new Set(['name', 'type', ...paramsOf(type).map((p) => p.key)]);
  const known = new Set(COLUMN_TYPES.flatMap((t) => t.params.map((p) => p.key)));
  const edits: (MeshEdit | undefined)[] = [valueEdit(file, [...path, 'type'], type)];
  for (const key of Object.keys(current)) {
    const startClash = key === 'start' && (type === 'timestamp') !== (typeof current['start'] === 'string');
    if ((known.has(key as ColumnParam['key']) && !keep.has(key)) || startClash)
      edits.push({ kind: 'deleteField', file: file.path, path: [...path, key] });
  }
  if (type === 'choice' && !Array.isArray(current['values'])) edits.push(valueEdit(file, [...path, 'values'], ['a', 'b', 'c']));
  if (type === 'reference' && typeof current['references'] !== 'string' && firstReference !== undefined)
    edits.push(valueEdit(file, [...path, 'references'], firstReference));
  return combinedEdit(file, edits);
}

// ---------------------------------------------------------------------------------------
// Sources and columns: add, remove, rename, reorder.

export interface SourceRow {
  readonly index: number;
  readonly name: string;
  readonly kind: 'file' | 'generator' | 'other';
  readonly raw: Readonly<Record<string, unknown>>;
}

export function sourceRows(value: unknown): SourceRow[] {
  const list = asRecord(value)['sources'];
  if (!Array.isArray(list)) return [];
  return list.map((item, index) => {
    const raw = asRecord(item);
    const kind = raw['generator'] !== undefined ? 'generator' : raw['file'] !== undefined ? 'file' : 'other';
    return { index, name: typeof raw['name'] === 'string' ? raw['name'] : '', kind, raw };
  });
}

export function columnRows(source: SourceRow): readonly Readonly<Record<string, unknown>>[] {
  const columns = asRecord(source.raw['generator'])['columns'];
  return Array.isArray(columns) ? columns.map(asRecord) : [];
}

/** A new generator source: a few rows of an id, a time and a category, ready to change. */
export function newGeneratorSource(taken: ReadonlySet<string>, seed: number): Record<string, unknown> {
  return {
    name: uniqueName('generated', taken),
    description: 'Generated records.',
    generator: {
      rows: 100,
      rowsPerTick: 10,
      seed,
      columns: [
        { name: 'id', type: 'sequence' },
        { name: 'created_at', type: 'timestamp', start: '2026-11-01T00:00:00Z', stepSeconds: 360 },
        { name: 'category', type: 'choice', values: ['a', 'b', 'c'] },
      ],
    },
  };
}

export function addSourceEdit(file: YamlSourceFile, seed: number): MeshEdit {
  const rows = sourceRows(file.value);
  const source = newGeneratorSource(new Set(rows.map((r) => r.name)), seed);
  const list = asRecord(file.value)['sources'];
  return Array.isArray(list) && list.length > 0
    ? { kind: 'setField', file: file.path, path: sourcePath(list.length), value: source }
    : { kind: 'setField', file: file.path, path: SOURCES_PATH, value: [source] };
}

/** Removes a source; the last one takes `sources:` with it (an empty key would be null, which the schema refuses). */
export function removeSourceEdit(file: YamlSourceFile, index: number): MeshEdit {
  return sourceRows(file.value).length <= 1
    ? { kind: 'deleteField', file: file.path, path: SOURCES_PATH }
    : { kind: 'deleteField', file: file.path, path: sourcePath(index) };
}

/** Why a source name cannot be saved (it is a table name in transform.sql). */
export function sourceNameProblem(value: unknown, index: number, name: string): string | undefined {
  if (name === '') return 'A source needs a name: transform.sql reads it as a table.';
  if (!SOURCE_NAME.test(name)) return `“${name}” is not a table name: letters, digits and _, not starting with a digit.`;
  if (sourceRows(value).some((s) => s.index !== index && s.name === name)) return `Another source is already named “${name}”.`;
  return undefined;
}

/** Renames a source and the references to it in this file (`old.column` → `new.column`), as one edit. */
export function renameSourceEdit(file: YamlSourceFile, index: number, name: string): MeshEdit | undefined {
  const rows = sourceRows(file.value);
  const old = rows[index]?.name;
  if (old === undefined || old === name || sourceNameProblem(file.value, index, name) !== undefined) return undefined;
  const edits: (MeshEdit | undefined)[] = [valueEdit(file, [...sourcePath(index), 'name'], name)];
  for (const row of rows) {
    columnRows(row).forEach((column, c) => {
      const ref = column['references'];
      if (typeof ref === 'string' && ref.startsWith(`${old}.`))
        edits.push(valueEdit(file, [...columnPath(row.index, c), 'references'], `${name}${ref.slice(old.length)}`));
    });
  }
  return combinedEdit(file, edits);
}

export function addColumnEdit(file: YamlSourceFile, source: number): MeshEdit | undefined {
  const row = sourceRows(file.value)[source];
  if (!row) return undefined;
  const columns = columnRows(row);
  const name = uniqueName('column', new Set(columns.map((c) => String(c['name']))));
  const value = { name, type: 'integer', min: 0, max: 100 };
  return columns.length > 0 || Array.isArray(asRecord(row.raw['generator'])['columns'])
    ? { kind: 'setField', file: file.path, path: columnPath(source, columns.length), value }
    : { kind: 'setField', file: file.path, path: columnsPath(source), value: [value] };
}

/**
 * Moves one item of a block sequence, with the comment lines right above it, by moving its
 * lines of text; the result must parse to exactly what moving it in the Document would give,
 * otherwise (flow sequences, odd layouts) the Document API's output is used.
 */
export function moveItemEdit(file: YamlSourceFile, seqPath: YamlPath, from: number, to: number): MeshEdit | undefined {
  const list = valueAt(file.value, seqPath);
  if (!Array.isArray(list) || from === to || from < 0 || to < 0 || from >= list.length || to >= list.length || !file.doc) return undefined;
  const expected = [...(list as unknown[])];
  const [moved] = expected.splice(from, 1);
  expected.splice(to, 0, moved);
  const spliced = moveLines(file, seqPath, from, to);
  if (spliced !== undefined) {
    const candidate = parseYaml(file.path, spliced);
    if (candidate.diagnostics.length === 0 && deepEqual(valueAt(candidate.value, seqPath), expected)) {
      const rest = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => x);
      const withoutSeq = (v: unknown) => rest(replaceAt(v, seqPath, null));
      if (withoutSeq(candidate.value) === withoutSeq(file.value)) return { kind: 'setText', file: file.path, text: spliced };
    }
  }
  const doc = file.doc.clone();
  const seq = doc.getIn(seqPath, true);
  if (!isSeq(seq)) return undefined;
  const [node] = seq.items.splice(from, 1);
  seq.items.splice(to, 0, node);
  return { kind: 'setText', file: file.path, text: doc.toString() };
}

function moveLines(file: YamlSourceFile, seqPath: YamlPath, from: number, to: number): string | undefined {
  const seq = file.doc?.getIn(seqPath, true);
  if (!isSeq(seq) || seq.flow) return undefined;
  const text = file.text.endsWith('\n') ? file.text : `${file.text}\n`;
  const lineStart = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = (offset: number) => {
    const end = text.indexOf('\n', offset);
    return end < 0 ? text.length : end + 1;
  };
  // Each item's span: from its dash's line (and the comment lines just above it) to the end of its last line.
  const spans: [number, number][] = [];
  let previousEnd = -1;
  for (const item of seq.items) {
    const range = (item as { range?: [number, number, number] }).range;
    if (!range) return undefined;
    const dash = text.lastIndexOf('-', range[0]);
    if (dash < 0 || dash <= previousEnd) return undefined;
    let start = lineStart(dash);
    if (text.slice(start, dash).trim() !== '') return undefined;
    while (start > 0 && start > previousEnd) {
      const above = lineStart(start - 1);
      if (above < previousEnd || !text.slice(above, start).trim().startsWith('#')) break;
      start = above;
    }
    const end = lineEnd(Math.max(range[0], range[1] - 1));
    spans.push([start, end]);
    previousEnd = end;
  }
  const first = spans[0];
  const last = spans[spans.length - 1];
  if (!first || !last) return undefined;
  // Only blank lines may separate items: otherwise the text belongs to something else.
  for (let i = 1; i < spans.length; i++) {
    const gap = text.slice(spans[i - 1]?.[1] ?? 0, spans[i]?.[0] ?? 0);
    if (gap.trim() !== '') return undefined;
  }
  const pieces = spans.map(([s, e]) => text.slice(s, e));
  const [piece] = pieces.splice(from, 1);
  if (piece === undefined) return undefined;
  pieces.splice(to, 0, piece);
  const out = text.slice(0, first[0]) + pieces.join('') + text.slice(last[1]);
  return file.text.endsWith('\n') ? out : out.slice(0, -1);
}

function replaceAt(value: unknown, path: YamlPath, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value) && typeof head === 'number') return value.map((v, i) => (i === head ? replaceAt(v, rest, replacement) : v));
  if (value !== null && typeof value === 'object' && head !== undefined)
    return { ...(value as Record<string, unknown>), [head]: replaceAt((value as Record<string, unknown>)[head], rest, replacement) };
  return value;
}

export function asRecord(value: unknown): Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

// ---------------------------------------------------------------------------------------
// A quanta.yaml for a product that has none.

export function defaultSettingsText(productId: string, hasInputs: boolean, seed: number): string {
  const head = [
    '# Quanta’s runtime settings of ' + productId + ': archetype, sources, schedule.',
    'apiVersion: quanta/v1',
    'kind: QuantumSettings',
  ];
  if (hasInputs) return [...head, 'archetype: consumer-aligned', 'schedule:', '  onUpstreamPublish: true', ''].join('\n');
  return [
    ...head,
    'archetype: source-aligned',
    'sources:',
    '  # A table named `generated` is available to transform.sql.',
    '  - name: generated',
    '    description: Generated records until the real source is wired.',
    '    generator:',
    '      rows: 100',
    '      rowsPerTick: 10',
    `      seed: ${seed}`,
    '      columns:',
    '        - name: id',
    '          type: sequence',
    '        - name: created_at',
    '          type: timestamp',
    '          start: "2026-11-01T00:00:00Z"',
    '          stepSeconds: 360',
    '        - name: category',
    '          type: choice',
    '          values: [a, b, c]',
    'schedule:',
    '  every: 1h',
    '',
  ].join('\n');
}
