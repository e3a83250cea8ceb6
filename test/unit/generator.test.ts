import { describe, expect, it } from 'vitest';
import { generate, rowRange } from '../../core/generate/generator.ts';
import { MeshSourceGenerator } from '../../core/generate/meshSources.ts';
import type { Generator } from '../../core/model/types.ts';
import { loadSample, sampleNames } from '../helpers.ts';

const samples = await sampleNames();

const events: Generator = {
  rows: 1000,
  rowsPerTick: 10,
  seed: 42,
  columns: [
    { name: 'id', type: 'sequence', start: 100 },
    { name: 'kind', type: 'choice', values: ['play', 'skip'], weights: [3, 1] },
    { name: 'ms', type: 'normal', mean: 1000, stddev: 100, min: 0, scale: 0 },
    { name: 'at', type: 'timestamp', start: '2026-11-01T00:00:00Z', stepSeconds: 60, jitterSeconds: 30 },
    { name: 'email', type: 'text', template: 'user-{i:4}@mail.example', nullShare: 0.1 },
    { name: 'price', type: 'decimal', min: 1, max: 2, scale: 2 },
    { name: 'flag', type: 'boolean', probability: 0.25 },
    { name: 'n', type: 'integer', min: 1, max: 6 },
  ],
};

describe('data generator', () => {
  it('gives the same rows for the same seed and different rows for another seed', () => {
    expect(generate(events)).toEqual(generate(events));
    expect(generate({ ...events, seed: 43 }).values[1]).not.toEqual(generate(events).values[1]);
  });

  it('follows each column kind', () => {
    const batch = generate(events);
    const column = (name: string): unknown[] => batch.values[batch.columns.indexOf(name)] ?? [];
    expect(batch.rowCount).toBe(1000);
    expect(column('id').slice(0, 3)).toEqual([100, 101, 102]);
    const plays = column('kind').filter((k) => k === 'play').length;
    expect(plays).toBeGreaterThan(680);
    expect(plays).toBeLessThan(820);
    expect(column('ms').every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0)).toBe(true);
    expect(column('at')[0]).toMatch(/^2026-11-01T00:00:[0-2]\d\.\d{3}Z$/);
    expect(column('email')).toContain('user-0002@mail.example');
    const nulls = column('email').filter((v) => v === null).length;
    expect(nulls).toBeGreaterThan(60);
    expect(nulls).toBeLessThan(140);
    expect(column('price').every((v) => typeof v === 'number' && v >= 1 && v <= 2 && Number(v.toFixed(2)) === v)).toBe(true);
    expect(new Set(column('n'))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(column('flag').filter(Boolean).length).toBeLessThan(330);
  });

  it('continues the sequence on later ticks with rowsPerTick rows', () => {
    expect(rowRange(events, 0)).toEqual({ first: 0, count: 1000 });
    expect(rowRange(events, 3)).toEqual({ first: 1020, count: 10 });
    const tick3 = generate(events, 3);
    expect(tick3.rowCount).toBe(10);
    expect(tick3.values[0]?.[0]).toBe(1120);
  });

  it('keeps other columns unchanged when a column is added', () => {
    const more = { ...events, columns: [...events.columns, { name: 'extra', type: 'integer' as const, min: 0, max: 9 }] };
    expect(generate(more).values.slice(0, events.columns.length)).toEqual(generate(events).values);
  });

  it('draws foreign keys only from the referenced source', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const products = [
      ...mesh.products,
      {
        ...mesh.products[0]!,
        id: 'gen',
        settings: {
          file: 'x',
          archetype: 'source-aligned' as const,
          schedule: { onUpstreamPublish: true },
          simulation: {},
          sources: [
            {
              name: 'users',
              index: 0,
              generator: { rows: 20, seed: 1, columns: [{ name: 'user_id', type: 'sequence' as const, start: 500 }] },
            },
            {
              name: 'plays',
              index: 1,
              generator: { rows: 300, seed: 2, columns: [{ name: 'user_id', type: 'reference' as const, references: 'users.user_id' }] },
            },
          ],
        },
      },
    ];
    const plays = new MeshSourceGenerator(products).batch('gen', 'plays');
    const ids = new Set(plays.values[0]);
    expect([...ids].every((id) => typeof id === 'number' && id >= 500 && id < 520)).toBe(true);
    expect(ids.size).toBeGreaterThan(15);
  });
});

describe('sample mesh sources', () => {
  it.each(samples)('every generator source of %s generates deterministically', async (name) => {
    const { mesh } = await loadSample(name);
    const first = new MeshSourceGenerator(mesh.products);
    const second = new MeshSourceGenerator(mesh.products);
    for (const product of mesh.products) {
      for (const source of product.settings?.sources ?? []) {
        if (!source.generator) continue;
        const batch = first.batch(product.id, source.name);
        expect(batch.rowCount).toBe(source.generator.rows);
        expect(second.batch(product.id, source.name)).toEqual(batch);
      }
    }
  });
});

describe('text templates', () => {
  it('fill every {i} and {i:N} slot with the 1-based row number, zero-padded to N', () => {
    const generator: Generator = {
      rows: 2,
      seed: 1,
      columns: [
        { name: 'a', type: 'text', template: 'x{i}-y{i:3}.z' },
        { name: 'b', type: 'text', template: 'fixed' },
        { name: 'c', type: 'text' },
        { name: 'd', type: 'text', template: '{i:2}{i:2}' },
      ],
    };
    expect(generate(generator).values).toEqual([
      ['x1-y001.z', 'x2-y002.z'],
      ['fixed', 'fixed'],
      ['c-1', 'c-2'],
      ['0101', '0202'],
    ]);
  });
});
