import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { sampleInMemory, sampleNames } from '../helpers.ts';

/*
 * Property: whatever happens to the files of a real mesh — bytes inserted, deleted,
 * lines duplicated or swapped, files truncated or emptied — loading never throws and every
 * diagnostic names a file, a line and a column. The seed is fixed so CI is repeatable; set
 * QUANTA_FUZZ_SEED to explore other cases locally.
 */
const seed = Number(process.env['QUANTA_FUZZ_SEED'] ?? 20261121);
const encoder = new TextEncoder();
const YAML_NOISE = [
  ':',
  ': ',
  '-',
  '- ',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '\n',
  '  ',
  '\t',
  '&a',
  '*a',
  '!!binary',
  '|',
  '>',
  '%YAML 1.1\n',
  '#',
  '?',
  ',',
  '\u0000',
  '\uFFFD',
  'null',
  '~',
  '1e999',
  '0x1F',
  'true',
  '<<: *a',
];

type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicateLine'; line: number }
  | { kind: 'swapLines'; a: number; b: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'empty' }
  | { kind: 'bytes'; at: number; bytes: number[] };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...YAML_NOISE), fc.string({ maxLength: 12 })),
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

function mutate(content: Uint8Array, m: Mutation): Uint8Array {
  const text = new TextDecoder().decode(content);
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
  }
}

const samples = await sampleNames();

describe('loading mutated meshes', () => {
  it.each(samples)('never throws and always locates its diagnostics, over random mutations of %s', async (name) => {
    const { files } = await sampleInMemory(name);
    const paths = Object.keys(files).filter((p) => /\.(ya?ml|sql)$/.test(p));
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...paths), mutation), { minLength: 1, maxLength: 4 }), async (mutations) => {
        cases++;
        const mutated: Record<string, Uint8Array> = {};
        for (const [path, content] of Object.entries(files))
          mutated[path] = typeof content === 'string' ? encoder.encode(content) : content;
        for (const [path, m] of mutations) mutated[path] = mutate(mutated[path] ?? new Uint8Array(), m);
        const { diagnostics } = await loadMesh(new MemoryFileSystem(mutated));
        for (const d of diagnostics) {
          expect(d.file.length).toBeGreaterThan(0);
          expect(Number.isInteger(d.line) && d.line >= 1).toBe(true);
          expect(Number.isInteger(d.column) && d.column >= 1).toBe(true);
          expect(d.code).toMatch(/^QUANTA_[EW]\d{3}$/);
          expect(d.message.length).toBeGreaterThan(0);
          const content = mutated[d.file];
          if (content) expect(d.line).toBeLessThanOrEqual(new TextDecoder().decode(content).split('\n').length);
        }
      }),
      { numRuns: 1000, seed },
    );
    expect(cases).toBeGreaterThanOrEqual(1000);
  });
});
