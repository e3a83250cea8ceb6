import type { Generator, GeneratorColumn } from '../model/types.ts';

/**
 * Deterministic synthetic data for source-aligned products. The same generator, seed and
 * tick always give the same rows, on any machine: every column draws from its own random
 * stream (seed, column position, tick), so adding a column leaves the others unchanged.
 */
export type GeneratedValue = string | number | boolean | null;

export interface GeneratedBatch {
  readonly columns: readonly string[];
  /** Column-major: values[c][r] is column c of row r. */
  readonly values: readonly GeneratedValue[][];
  readonly rowCount: number;
}

/** Gives the values of a referenced column (`source.column` or `product/source.column`). */
export type ReferenceResolver = (reference: string) => readonly GeneratedValue[];

export class GeneratorError extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(`column "${column}": ${message}`);
    this.name = 'GeneratorError';
  }
}

/** Rows of a tick: tick 0 is the initial load (`rows`), each later tick adds `rowsPerTick`. */
export function rowRange(generator: Generator, tick: number): { first: number; count: number } {
  if (tick === 0) return { first: 0, count: generator.rows };
  const perTick = generator.rowsPerTick ?? 0;
  return { first: generator.rows + (tick - 1) * perTick, count: perTick };
}

export function generate(generator: Generator, tick = 0, resolve: ReferenceResolver = noReferences): GeneratedBatch {
  const { first, count } = rowRange(generator, tick);
  const values = generator.columns.map((column, index) => {
    const random = mulberry32(hashSeeds(generator.seed, index, tick));
    return generateColumn(column, first, count, random, resolve);
  });
  return { columns: generator.columns.map((c) => c.name), values, rowCount: count };
}

function noReferences(reference: string): never {
  throw new GeneratorError(reference, 'references cannot be resolved here');
}

function generateColumn(
  column: GeneratorColumn,
  first: number,
  count: number,
  random: () => number,
  resolve: ReferenceResolver,
): GeneratedValue[] {
  const out: GeneratedValue[] = new Array<GeneratedValue>(count);
  const value = valueFunction(column, random, resolve);
  const nullShare = column.nullShare ?? 0;
  for (let r = 0; r < count; r++) {
    const v = value(first + r);
    // Draw the null decision after the value, so nullShare does not shift the value stream.
    out[r] = nullShare > 0 && random() < nullShare ? null : v;
  }
  return out;
}

function valueFunction(column: GeneratorColumn, random: () => number, resolve: ReferenceResolver): (row: number) => GeneratedValue {
  const min = column.min ?? 0;
  const max = column.max ?? 100;
  if (min > max) throw new GeneratorError(column.name, `min ${min} is greater than max ${max}`);
  switch (column.type) {
    case 'sequence': {
      const start = typeof column.start === 'number' ? column.start : 1;
      const step = column.step ?? 1;
      return (row) => start + row * step;
    }
    case 'integer':
      return () => Math.floor(min + random() * (Math.floor(max) - Math.ceil(min) + 1));
    case 'decimal': {
      const scale = column.scale ?? 2;
      return () => round(min + random() * (max - min), scale);
    }
    case 'normal': {
      const mean = column.mean ?? 0;
      const stddev = column.stddev ?? 1;
      return () => {
        let v = mean + stddev * gaussian(random);
        if (column.min !== undefined) v = Math.max(column.min, v);
        if (column.max !== undefined) v = Math.min(column.max, v);
        return column.scale === undefined ? v : round(v, column.scale);
      };
    }
    case 'choice': {
      const values = column.values ?? [];
      if (values.length === 0) throw new GeneratorError(column.name, 'a choice needs values');
      const pick = weightedPicker(column.name, values.length, column.weights);
      return () => values[pick(random())] ?? null;
    }
    case 'boolean': {
      const probability = column.probability ?? 0.5;
      return () => random() < probability;
    }
    case 'timestamp': {
      const start = Date.parse(typeof column.start === 'string' ? column.start : '2026-01-01T00:00:00Z');
      if (Number.isNaN(start)) throw new GeneratorError(column.name, `start "${String(column.start)}" is not an ISO timestamp`);
      const step = (column.stepSeconds ?? 60) * 1000;
      const jitter = (column.jitterSeconds ?? 0) * 1000;
      return (row) => new Date(start + row * step + Math.floor(random() * jitter)).toISOString();
    }
    case 'text': {
      // Split the template once into literal text and {i}/{i:N} slots; a regex per row cost
      // most of a large source's generation time.
      const template = column.template ?? `${column.name}-{i}`;
      const literals: string[] = [];
      const widths: number[] = [];
      let last = 0;
      for (const match of template.matchAll(/\{i(?::(\d+))?\}/g)) {
        literals.push(template.slice(last, match.index));
        widths.push(Number(match[1] ?? 0));
        last = match.index + match[0].length;
      }
      const tail = template.slice(last);
      return (row) => {
        const n = String(row + 1);
        let out = '';
        for (let k = 0; k < widths.length; k++) out += (literals[k] ?? '') + n.padStart(widths[k] ?? 0, '0');
        return out + tail;
      };
    }
    case 'reference': {
      const targets = resolve(column.references ?? '');
      if (targets.length === 0) throw new GeneratorError(column.name, `${column.references ?? '?'} has no values to reference`);
      return () => targets[Math.floor(random() * targets.length)] ?? null;
    }
  }
}

function weightedPicker(name: string, n: number, weights: readonly number[] | undefined): (u: number) => number {
  if (!weights) return (u) => Math.floor(u * n);
  if (weights.length !== n) throw new GeneratorError(name, `has ${n} values but ${weights.length} weights`);
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new GeneratorError(name, 'weights must add up to more than 0');
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w / total));
  return (u) => {
    const i = cumulative.findIndex((c) => u < c);
    return i < 0 ? n - 1 : i;
  };
}

function round(value: number, scale: number): number {
  const factor = 10 ** scale;
  return Math.round(value * factor) / factor;
}

/** Box–Muller; one normal draw from two uniforms. */
function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Mixes several integers into one 32-bit seed (FNV-1a over their bytes). */
export function hashSeeds(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    let x = Math.trunc(part) | 0;
    for (let i = 0; i < 4; i++) {
      h ^= x & 0xff;
      h = Math.imul(h, 0x01000193);
      x >>>= 8;
    }
  }
  return h >>> 0;
}

/** A small, fast, well-distributed 32-bit PRNG; identical results in every JS engine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
