import fc from 'fast-check';
import { formatDiagnostic, type Diagnostic } from '../../core/diagnostics/diagnostic.ts';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { formatLineage } from '../../core/lineage/formatLineage.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { terminalSafe } from '../../core/node/cliText.ts';

/*
 * The pieces of the loader fuzz (test/unit/fuzz.test.ts; `npm run fuzz` runs it at 10,000
 * cases per property): mutations of real files, hostile constructs put where a value goes,
 * and the check every case must pass.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Cases per property: QUANTA_FUZZ_RUNS, or the short run of `npm test`. */
export function fuzzRuns(short: number): number {
  const n = Number(process.env['QUANTA_FUZZ_RUNS']);
  return Number.isInteger(n) && n > 0 ? n : short;
}

export const fuzzSeed = Number(process.env['QUANTA_FUZZ_SEED'] ?? 20261121);

const YAML_NOISE = [':', ': ', '-', '- ', '[', ']', '{', '}', '"', "'", '\n', '  ', '\t', '&a', '*a', '!!binary', '|', '>'];
const MORE_NOISE = ['%YAML 1.1\n', '#', '?', ',', '\u0000', '\uFFFD', 'null', '~', '1e999', '0x1F', 'true', '<<: *a'];

export type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicateLine'; line: number }
  | { kind: 'swapLines'; a: number; b: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'empty' }
  | { kind: 'bytes'; at: number; bytes: number[] }
  | { kind: 'value'; line: number; value: string }
  | { kind: 'append'; text: string };

/** Values a hostile mesh puts where a scalar goes: aliases, huge numbers, control characters, deep nesting, odd types, long text. */
export const hostileValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '&k {self: *k}',
    '&l [a, *l]',
    '&m {a: {b: *m}}',
    '*undefined_anchor',
    '&a [1, 2]',
    '1e308',
    '-1e308',
    '1e999',
    '99999999999999999999999999999',
    '2147483648ms',
    '99999999999999999999d',
    '-0',
    '.nan',
    '.inf',
    '0x7FFFFFFFFFFFFFFF',
    '"\\e[31mred\\e[0m"',
    '"\\e]0;title\\a"',
    '"rtl \u202Eoverride"',
    '"nul \\0 byte"',
    '"\\x9b2J"',
    '../../finance/daily-revenue',
    '"/etc/passwd"',
    '!!binary aGVsbG8=',
    '!!set {a, b}',
    '!!omap [a: 1]',
    '!!timestamp 2001-12-14t21:59:43.10-05:00',
    '!custom tag',
    '!!str',
    '{}',
    '[]',
    'null',
    '~',
    'true',
    '? complex key',
    '[a, {b: [c, {d: e}]}]',
  ),
  fc.integer({ min: 10, max: 400 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.integer({ min: 10, max: 200 }).map((depth) => `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.integer({ min: 1_000, max: 200_000 }).map((length) => 'x'.repeat(length)),
  fc.integer({ min: 2, max: 2_000 }).map((n) => `[${Array.from({ length: n }, (_, i) => i).join(', ')}]`),
  fc.string({ maxLength: 24, unit: 'binary' }).map((s) => JSON.stringify(s)),
);

/** An alias bomb, appended as a new top-level key: each level doubles the expansion. */
const aliasBomb = fc.integer({ min: 3, max: 12 }).map((levels) => {
  const lines = ['b0: &b0 [x, x]'];
  for (let i = 1; i <= levels; i++) lines.push(`b${i}: &b${i} [*b${i - 1}, *b${i - 1}]`);
  return `\n${lines.join('\n')}\n`;
});

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...YAML_NOISE, ...MORE_NOISE), fc.string({ maxLength: 12 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicateLine' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('empty' as const) }),
  fc.record({
    kind: fc.constant('bytes' as const),
    at: fc.nat(),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
  }),
);

/** Hostile constructs: a value of some `key: value` line replaced, or hostile keys appended. */
export const hostileMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('value' as const), line: fc.nat(), value: hostileValue }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      text: fc.oneof(
        aliasBomb,
        hostileValue.map((v) => `\nhostile: ${v}\n`),
      ),
    }),
  },
);

export function mutate(content: Uint8Array, m: Mutation): Uint8Array {
  const text = decoder.decode(content);
  const lines = text.split('\n');
  const at = (n: number, length: number): number => (length === 0 ? 0 : n % (length + 1));
  switch (m.kind) {
    case 'insert': {
      const i = at(m.at, text.length);
      return encoder.encode(text.slice(0, i) + m.text + text.slice(i));
    }
    case 'delete': {
      const i = at(m.at, text.length);
      return encoder.encode(text.slice(0, i) + text.slice(i + m.length));
    }
    case 'duplicateLine': {
      const i = at(m.line, lines.length - 1);
      lines.splice(i, 0, lines[i] ?? '');
      return encoder.encode(lines.join('\n'));
    }
    case 'swapLines': {
      const a = at(m.a, lines.length - 1);
      const b = at(m.b, lines.length - 1);
      [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
      return encoder.encode(lines.join('\n'));
    }
    case 'truncate':
      return content.slice(0, at(m.at, content.length));
    case 'empty':
      return new Uint8Array();
    case 'bytes': {
      const i = at(m.at, content.length);
      return new Uint8Array([...content.slice(0, i), ...m.bytes, ...content.slice(i)]);
    }
    case 'value': {
      const candidates = lines.map((line, i) => [line, i] as const).filter(([line]) => /^\s*(- )?[A-Za-z_][\w-]*:\s+\S/.test(line));
      const chosen = candidates[m.line % Math.max(1, candidates.length)];
      if (!chosen) return encoder.encode(`${text}\nhostile: ${m.value}\n`);
      lines[chosen[1]] = chosen[0].replace(/^(\s*(?:- )?[A-Za-z_][\w-]*:\s+).*$/, `$1${m.value}`);
      return encoder.encode(lines.join('\n'));
    }
    case 'append':
      return encoder.encode(text + m.text);
  }
}

/** Each case must end well within this; a case that does not has hung. */
export const CASE_BOUND_MS = 20_000;

/**
 * Loads the files and checks the case: no throw, no hang, every diagnostic placed inside its
 * file (line within the file, column within that line), and the CLI's output paths (the
 * diagnostic line, lineage in every format) print without throwing and without escapes.
 * Returns a description of the first violation, or undefined.
 */
export async function checkCase(files: Record<string, Uint8Array>): Promise<string | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), CASE_BOUND_MS)));
  let result: Awaited<ReturnType<typeof loadMesh>> | 'hang';
  try {
    result = await Promise.race([loadMesh(new MemoryFileSystem(files)), hang]);
  } catch (error) {
    return `loadMesh threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
  if (result === 'hang') return `loadMesh did not finish within ${CASE_BOUND_MS} ms`;
  for (const d of result.diagnostics) {
    const problem = misplaced(d, files);
    if (problem) return problem;
    const printed = terminalSafe(formatDiagnostic(d));
    if (printed.includes('\u001B')) return `escape left in ${printed}`;
  }
  try {
    for (const format of ['text', 'mermaid', 'dot'] as const) terminalSafe(formatLineage(result.mesh, format));
  } catch (error) {
    return `formatLineage threw: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}

function misplaced(d: Diagnostic, files: Record<string, Uint8Array>): string | undefined {
  const where = `${d.code} ${d.file}:${d.line}:${d.column} ${d.message.slice(0, 120)}`;
  if (d.file.length === 0 || !/^QUANTA_[EW]\d{3}$/.test(d.code) || d.message.length === 0) return `malformed: ${where}`;
  if (!Number.isInteger(d.line) || d.line < 1 || !Number.isInteger(d.column) || d.column < 1) return `no position: ${where}`;
  const content = files[d.file];
  if (!content) return undefined; // a file that is not there (missing transform.sql): 1:1 is its place
  const lines = decoder.decode(content).split('\n');
  const line = lines[d.line - 1];
  if (line === undefined) return `line outside the file (${lines.length} lines): ${where}`;
  if (d.column > line.length + 1 && !(d.line === 1 && d.column === 1))
    return `column outside line ${d.line} (${line.length} chars): ${where}`;
  return undefined;
}
