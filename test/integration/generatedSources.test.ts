import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Generator } from '../../core/model/types.ts';
import type { QuantumLease } from '../../core/run/runTypes.ts';
import type { SourceInput } from '../../workers/quantum/api.ts';
import { GeneratedSourceCache } from '../../workers/quantum/generatedSources.ts';
import { leaseQuantum, QUANTUM_HOSTS } from '../quantumHosts.ts';

/*
 * A quantum keeps the Arrow bytes of the generated sources it made (generatedSources.ts) and
 * loads them when a later run asks for exactly the same rows. What must hold: a repeated run
 * gives the same rows, and anything that changes the rows — the definition, the tick, a value a
 * reference column draws from — gives the new rows, never the kept ones.
 */
const generator = (seed: number, rowsPerTick = 2): Generator => ({
  rows: 5,
  rowsPerTick,
  seed,
  columns: [
    { name: 'id', type: 'sequence' },
    { name: 'customer', type: 'reference', references: 'customers.id' },
    { name: 'amount', type: 'decimal', min: 1, max: 9, scale: 2 },
  ],
});

const generated = (gen: Generator, tick: number, customers: readonly (string | number)[]): Extract<SourceInput, { kind: 'generated' }> => ({
  kind: 'generated',
  name: 'orders_src',
  file: 'domains/sales/orders/quanta.yaml',
  generator: gen,
  tick,
  references: { 'customers.id': customers },
});

describe.each(QUANTUM_HOSTS)('generated sources kept by a quantum ($name)', ({ open }) => {
  let quantum: QuantumLease['quantum'];
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ quantum, close } = await leaseQuantum(open));
  });
  afterAll(async () => close());

  async function rows(input: SourceInput): Promise<Record<string, unknown>[]> {
    const outcome = await quantum.run({
      productId: 'orders',
      transform: { file: 'domains/sales/orders/transform.sql', sql: 'SELECT id, customer, amount FROM orders_src ORDER BY id' },
      inputs: [input],
      ports: [{ name: 'orders', checks: [] }],
    });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const [port] = outcome.ports;
    if (!port) throw new Error('no port');
    return tableFromIPC(port.ipc)
      .toArray()
      .map((row: { toJSON(): Record<string, unknown> }) => row.toJSON());
  }

  it('gives the same rows when a run asks again for the same source', async () => {
    const first = await rows(generated(generator(7), 0, [101, 102, 103]));
    const again = await rows(generated(generator(7), 0, [101, 102, 103]));
    expect(first).toHaveLength(5);
    expect(again).toEqual(first);
  });

  it('makes new rows when a referenced value, the tick or the definition changed', async () => {
    const before = await rows(generated(generator(7), 0, [101, 102, 103]));
    const otherKeys = await rows(generated(generator(7), 0, [901, 902, 903]));
    expect(otherKeys.map((r) => Number(r['customer']))).toEqual(before.map((r) => Number(r['customer']) + 800));

    const nextTick = await rows(generated(generator(7), 1, [101, 102, 103]));
    expect(nextTick).toHaveLength(7);
    expect(nextTick.slice(0, 5)).toEqual(before);

    const otherSeed = await rows(generated(generator(8), 0, [101, 102, 103]));
    expect(otherSeed.map((r) => r['amount'])).not.toEqual(before.map((r) => r['amount']));
    const otherPerTick = await rows(generated(generator(7, 4), 1, [101, 102, 103]));
    expect(otherPerTick).toHaveLength(9);
  });
});

describe('GeneratedSourceCache', () => {
  const bytes = (n: number): Uint8Array => new Uint8Array(n).fill(n % 251);

  it('returns the bytes kept for exactly the same definition, tick and reference values', () => {
    const cache = new GeneratedSourceCache(100_000);
    cache.set(generated(generator(1), 0, [1, 2, 3]), bytes(10));
    expect(cache.get(generated(generator(1), 0, [1, 2, 3]))).toEqual(bytes(10));
    expect(cache.get(generated(generator(1), 1, [1, 2, 3]))).toBeUndefined();
    expect(cache.get(generated(generator(2), 0, [1, 2, 3]))).toBeUndefined();
    expect(cache.get(generated(generator(1), 0, [1, 2, 4]))).toBeUndefined();
    expect(cache.get(generated(generator(1), 0, [1, 2]))).toBeUndefined();
    expect(cache.get(generated(generator(1), 0, ['1', 2, 3]))).toBeUndefined();
  });

  it('drops the least recently used sources beyond its budget and never keeps one over a quarter of it', () => {
    const cache = new GeneratedSourceCache(10_000);
    for (const seed of [1, 2, 3]) cache.set(generated(generator(seed), 0, []), bytes(2000));
    expect(cache.get(generated(generator(1), 0, []))).toBeDefined(); // now the most recent
    cache.set(generated(generator(4), 0, []), bytes(2000));
    cache.set(generated(generator(5), 0, []), bytes(2000));
    expect(cache.bytes).toBeLessThanOrEqual(10_000);
    expect(cache.get(generated(generator(2), 0, []))).toBeUndefined();
    expect(cache.get(generated(generator(1), 0, []))).toBeDefined();
    expect(cache.get(generated(generator(5), 0, []))).toBeDefined();

    cache.set(generated(generator(6), 0, []), bytes(2500));
    expect(cache.get(generated(generator(6), 0, []))).toBeUndefined();
    expect(cache.get(generated(generator(5), 0, []))).toBeDefined();
  });

  it('counts a long definition and the kept reference values against its budget, not only the bytes', () => {
    const cache = new GeneratedSourceCache(10_000);
    const wordy: Generator = {
      ...generator(1),
      columns: [{ name: 'c', type: 'choice', values: Array.from({ length: 400 }, (_, i) => `value-${i}`) }],
    };
    cache.set(generated(wordy, 0, []), bytes(10));
    expect(cache.get(generated(wordy, 0, []))).toBeUndefined(); // ~9 KB of key: over a quarter
    cache.set(
      generated(
        generator(2),
        0,
        Array.from({ length: 200 }, (_, i) => i),
      ),
      bytes(10),
    );
    expect(
      cache.get(
        generated(
          generator(2),
          0,
          Array.from({ length: 200 }, (_, i) => i),
        ),
      ),
    ).toBeUndefined(); // 3.2 KB of values
  });

  it('replaces what it kept for the same source and counts its bytes once', () => {
    const cache = new GeneratedSourceCache(100_000);
    cache.set(generated(generator(1), 0, [1]), bytes(100));
    const once = cache.bytes;
    cache.set(generated(generator(1), 0, [2]), bytes(50));
    expect(cache.bytes).toBe(once - 50);
    expect(cache.get(generated(generator(1), 0, [1]))).toBeUndefined();
    expect(cache.get(generated(generator(1), 0, [2]))).toEqual(bytes(50));
  });
});
