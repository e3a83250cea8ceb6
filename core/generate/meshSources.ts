import type { DataProduct } from '../model/types.ts';
import { generate, GeneratorError, type GeneratedBatch, type GeneratedValue } from './generator.ts';

/**
 * Generates the sources of a mesh's products, resolving `reference` columns (foreign keys)
 * into other generator sources, in this product (`source.column`) or another
 * (`product/source.column`). References draw from the target's initial load (tick 0), so
 * keys always exist there. Batches are cached: a popular dimension is generated once.
 */
export class MeshSourceGenerator {
  readonly #products: ReadonlyMap<string, DataProduct>;
  readonly #cache = new Map<string, GeneratedBatch>();
  readonly #inProgress = new Set<string>();

  constructor(products: readonly DataProduct[]) {
    this.#products = new Map(products.map((p) => [p.id, p]));
  }

  batch(productId: string, sourceName: string, tick = 0): GeneratedBatch {
    const key = `${productId}/${sourceName}@${tick}`;
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const source = this.#products.get(productId)?.settings?.sources.find((s) => s.name === sourceName);
    if (!source?.generator) throw new GeneratorError(sourceName, `${productId}/${sourceName} is not a generator source`);
    if (this.#inProgress.has(key)) throw new GeneratorError(sourceName, `references of ${productId}/${sourceName} form a loop`);
    this.#inProgress.add(key);
    try {
      const batch = generate(source.generator, tick, (reference) => this.#resolve(productId, reference));
      this.#cache.set(key, batch);
      return batch;
    } finally {
      this.#inProgress.delete(key);
    }
  }

  /** The values a `reference` column of `fromProduct` draws from (the target's tick 0). */
  referenceValues(fromProduct: string, reference: string): readonly GeneratedValue[] {
    return this.#resolve(fromProduct, reference);
  }

  #resolve(fromProduct: string, reference: string): readonly GeneratedValue[] {
    const match = /^(?:([^/]+)\/)?([^.]+)\.(.+)$/.exec(reference);
    if (!match) throw new GeneratorError(reference, 'a reference is written <source>.<column> or <product>/<source>.<column>');
    const [, product = fromProduct, source = '', column = ''] = match;
    const target = this.batch(product, source, 0);
    const index = target.columns.indexOf(column);
    const values = target.values[index];
    if (index < 0 || !values) throw new GeneratorError(reference, `${product}/${source} has no column "${column}"`);
    return values;
  }
}
