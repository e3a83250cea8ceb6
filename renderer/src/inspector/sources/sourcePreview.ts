import { generate, GeneratorError, type GeneratedValue } from '../../../../core/generate/generator.ts';
import { MeshSourceGenerator } from '../../../../core/generate/meshSources.ts';
import { analyzeImport } from '../../../../core/import/importFile.ts';
import type { Generator, GeneratorColumn, Mesh } from '../../../../core/model/types.ts';
import { asRecord } from './sourcesForm.ts';

/*
 * Previews of a product's sources, in the renderer: the first rows a generator makes (run
 * by core/generate directly: the first rows of a generator do not depend on how many it
 * makes) and the first rows of a seed file. Both are bounded, so a mesh cannot stall the
 * form with a huge source.
 */
export const PREVIEW_ROWS = 20;

/** References draw from their target's whole first load; beyond this many rows the preview declines (it reruns on every change). */
export const MAX_REFERENCED_ROWS = 250_000;

export interface RowsPreview {
  readonly columns: readonly string[];
  /** Row-major, at most PREVIEW_ROWS rows. */
  readonly rows: readonly (readonly string[])[];
  readonly nulls: readonly (readonly boolean[])[];
}

export type PreviewResult = { readonly preview: RowsPreview } | { readonly problem: string };

/** A generator as the form's raw YAML value has it, checked as the loader checks it; a problem in words otherwise. */
export function generatorOf(raw: unknown): Generator | string {
  const g = asRecord(raw);
  const rows = g['rows'];
  const seed = g['seed'];
  if (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 0) return 'Set rows to a whole number to see a preview.';
  if (typeof seed !== 'number' || !Number.isInteger(seed)) return 'Set seed to a whole number to see a preview.';
  const list = g['columns'];
  const columns = (Array.isArray(list) ? list : [])
    .map(asRecord)
    .filter((c) => typeof c['name'] === 'string' && typeof c['type'] === 'string')
    .map((c) => c as unknown as GeneratorColumn);
  if (columns.length === 0) return 'Add a column to see a preview.';
  const perTick = g['rowsPerTick'];
  return { rows, seed, columns, ...(typeof perTick === 'number' ? { rowsPerTick: perTick } : {}) };
}

/** How many rows the sources a generator references (and theirs, transitively) make at tick 0. */
export function referencedRows(mesh: Mesh, productId: string, generator: Generator, seen = new Set<string>()): number {
  let total = 0;
  for (const column of generator.columns) {
    if (column.type !== 'reference' || typeof column.references !== 'string') continue;
    const match = /^(?:([^/]+)\/)?([^.]+)\./.exec(column.references);
    if (!match) continue;
    const product = match[1] ?? productId;
    const key = `${product}/${match[2] ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const target = mesh.products.find((p) => p.id === product)?.settings?.sources.find((s) => s.name === match[2])?.generator;
    if (!target) continue;
    total += target.rows + referencedRows(mesh, product, target, seen);
    if (total > MAX_REFERENCED_ROWS) return total;
  }
  return total;
}

/** The first rows `raw` (a generator of `productId`'s quanta.yaml) makes at tick 0. */
export function previewGenerator(mesh: Mesh, productId: string, raw: unknown, limit = PREVIEW_ROWS): PreviewResult {
  const generator = generatorOf(raw);
  if (typeof generator === 'string') return { problem: generator };
  const referenced = referencedRows(mesh, productId, generator);
  if (referenced > MAX_REFERENCED_ROWS)
    return {
      problem: `The sources its references draw from make more than ${MAX_REFERENCED_ROWS.toLocaleString('en')} rows: too many to preview here (a run still makes them).`,
    };
  try {
    const sources = new MeshSourceGenerator(mesh.products);
    const batch = generate({ ...generator, rows: Math.min(generator.rows, limit) }, 0, (reference) =>
      sources.referenceValues(productId, reference),
    );
    const rows: string[][] = [];
    const nulls: boolean[][] = [];
    for (let r = 0; r < batch.rowCount; r++) {
      rows.push(batch.values.map((column) => show(column[r] ?? null)));
      nulls.push(batch.values.map((column) => (column[r] ?? null) === null));
    }
    return { preview: { columns: batch.columns, rows, nulls } };
  } catch (error) {
    if (error instanceof GeneratorError || error instanceof RangeError) return { problem: `The generator cannot run: ${error.message}.` };
    throw error;
  }
}

function show(value: GeneratedValue): string {
  return value === null ? 'NULL' : String(value);
}

/** Seed files above this size are previewed from their first bytes (CSV, JSON lines) or not at all (Parquet). */
export const SEED_PREVIEW_BYTES = 256 * 1024;
export const MAX_PARQUET_PREVIEW_BYTES = 20 * 1024 * 1024;
export const SEED_PREVIEW_ROWS = 5;

/** The first rows of a seed file, read the way the Import dialog reads it. */
export function previewSeed(bytes: Uint8Array, format: 'csv' | 'jsonl' | 'parquet'): PreviewResult {
  let data = bytes;
  if (format === 'parquet') {
    if (bytes.byteLength > MAX_PARQUET_PREVIEW_BYTES) return { problem: 'This Parquet file is too large to preview here.' };
  } else if (bytes.byteLength > SEED_PREVIEW_BYTES) {
    const cut = bytes.subarray(0, SEED_PREVIEW_BYTES).lastIndexOf(0x0a);
    data = bytes.subarray(0, cut > 0 ? cut + 1 : SEED_PREVIEW_BYTES);
  }
  try {
    const analysis = analyzeImport(`seed.${format}`, data);
    const rows = analysis.preview.slice(0, SEED_PREVIEW_ROWS);
    return {
      preview: {
        columns: analysis.columns.map((c) => c.source),
        rows: rows.map((row) => row.map((cell) => cell ?? 'NULL')),
        nulls: rows.map((row) => row.map((cell) => cell === null)),
      },
    };
  } catch (error) {
    return { problem: `It cannot be previewed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** `data/orders.csv` → csv; the source's `format` wins. */
export function seedFormat(file: string, format: unknown): 'csv' | 'jsonl' | 'parquet' | undefined {
  if (format === 'csv' || format === 'jsonl' || format === 'parquet') return format;
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.parquet')) return 'parquet';
  return undefined;
}

/**
 * `<source>.<column>` choices for a reference column: generated columns of this product's
 * earlier sources (the validator wants references within a product to point back, QUANTA_E034)
 * and of other products' generator sources.
 */
export interface ReferenceOption {
  readonly value: string;
  readonly group: string;
}

export function referenceOptions(mesh: Mesh, productId: string, sourceIndex: number): ReferenceOption[] {
  const out: ReferenceOption[] = [];
  const products = [...mesh.products].sort((a, b) => (a.id === productId ? -1 : b.id === productId ? 1 : a.id.localeCompare(b.id)));
  for (const product of products) {
    for (const source of product.settings?.sources ?? []) {
      if (!source.generator || (product.id === productId && source.index >= sourceIndex)) continue;
      for (const column of source.generator.columns) {
        const local = `${source.name}.${column.name}`;
        out.push(
          product.id === productId
            ? { value: local, group: `This product (${productId})` }
            : { value: `${product.id}/${local}`, group: product.id },
        );
      }
    }
  }
  return out;
}
