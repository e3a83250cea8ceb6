import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCase, fuzzRuns, fuzzSeed, hostileMutation, mutate, mutation, type Mutation } from '../support/meshFuzz.ts';
import { sampleInMemory, sampleNames } from '../helpers.ts';

/*
 * Property: whatever happens to the files of a real mesh — bytes inserted, deleted, lines
 * duplicated or swapped, files truncated or emptied, values replaced by hostile constructs
 * (recursive aliases, alias bombs, huge numbers, control characters, deep nesting, odd
 * types, long strings) — loading never throws, never hangs (each case is bounded), and every
 * diagnostic names a file, a line inside it and a column inside that line.
 *
 * `npm test` runs a short version; `npm run fuzz` sets QUANTA_FUZZ_RUNS=10000 (cases per
 * property and sample). The seed is fixed so runs are repeatable; QUANTA_FUZZ_SEED explores others.
 */
const encoder = new TextEncoder();
const samples = await sampleNames();
const MUTATION_RUNS = fuzzRuns(300);
const HOSTILE_RUNS = fuzzRuns(300);
// Per test: the cases at a few ms each, with room for a slow shared machine.
const timeoutFor = (runs: number): number => Math.max(120_000, runs * 200);

async function filesOf(name: string): Promise<{ files: Record<string, Uint8Array>; paths: string[] }> {
  const { files } = await sampleInMemory(name);
  const bytes: Record<string, Uint8Array> = {};
  for (const [path, content] of Object.entries(files)) bytes[path] = typeof content === 'string' ? encoder.encode(content) : content;
  return { files: bytes, paths: Object.keys(bytes).filter((p) => /\.(ya?ml|sql)$/.test(p)) };
}

async function property(name: string, change: fc.Arbitrary<Mutation>, runs: number): Promise<number> {
  const { files, paths } = await filesOf(name);
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...paths), change), { minLength: 1, maxLength: 4 }), async (mutations) => {
      cases++;
      const mutated = { ...files };
      for (const [path, m] of mutations) mutated[path] = mutate(mutated[path] ?? new Uint8Array(), m);
      expect(await checkCase(mutated)).toBeUndefined();
    }),
    { numRuns: runs, seed: fuzzSeed },
  );
  return cases;
}

describe('loading mutated meshes', () => {
  it.each(samples)(
    `never throws, never hangs and always locates its diagnostics, over ${MUTATION_RUNS} random mutations of %s`,
    { timeout: timeoutFor(MUTATION_RUNS) },
    async (name) => {
      expect(await property(name, mutation, MUTATION_RUNS)).toBeGreaterThanOrEqual(MUTATION_RUNS);
    },
  );

  it.each(samples)(
    `never throws, never hangs and always locates its diagnostics, over ${HOSTILE_RUNS} hostile constructs in %s`,
    { timeout: timeoutFor(HOSTILE_RUNS) },
    async (name) => {
      expect(await property(name, hostileMutation, HOSTILE_RUNS)).toBeGreaterThanOrEqual(HOSTILE_RUNS);
    },
  );
});
