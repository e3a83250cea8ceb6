import type { LineageGraph } from '../lineage/lineageGraph.ts';
import type { Mesh } from '../model/types.ts';

/*
 * Possible duplicates (issue 16): two products whose output columns overlap strongly. The
 * overlap is the Jaccard index of the two sets of normalised output column names (lower case,
 * only letters and digits: customer_id = CustomerId). A pair is similar at SIMILAR_AT or more
 * with at least MIN_SHARED shared columns. Not counted: a few generic names every table has,
 * a name more than a tenth of the mesh's products have (too common to tell products apart,
 * and it would make the pairing quadratic), and pairs where one product reads the other,
 * directly or not — a product carrying its upstream's columns forward is lineage, not a duplicate.
 * Why 0.3 and 5: on daff and retail every pair that is not lineage scores 0.25 or less with at
 * most 5 shared names, except retail's online-orders and store-orders (0.33: six order-line
 * columns, line_no to amount_eur) — two feeds of the same entity, which is what a consumer
 * choosing between them should be told. A higher bar flagged nothing in either sample.
 */

export const SIMILAR_AT = 0.3;
export const MIN_SHARED = 5;
export const GENERIC_COLUMNS: ReadonlySet<string> = new Set([
  'id',
  'name',
  'date',
  'day',
  'timestamp',
  'ts',
  'createdat',
  'updatedat',
  'value',
  'type',
  'status',
  'description',
]);
/** Above this many products a column name is common, not a sign of duplication. */
const COMMON_AT = (products: number): number => Math.max(20, Math.ceil(products / 10));

export interface SimilarPair {
  readonly product: string;
  readonly overlap: number;
  readonly columns: readonly string[];
}

const cache = new WeakMap<Mesh, ReadonlyMap<string, readonly SimilarPair[]>>();

export function normaliseColumn(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Every product's similar products, most overlapping first; worked out once per mesh. */
export function similarPairs(mesh: Mesh, lineage: LineageGraph): ReadonlyMap<string, readonly SimilarPair[]> {
  const known = cache.get(mesh);
  if (known) return known;
  const columns = new Map<string, Set<string>>();
  for (const product of mesh.products) {
    if (columns.has(product.id)) continue;
    const names = new Set<string>();
    for (const port of product.outputPorts)
      for (const table of port.contract?.tables ?? [])
        for (const column of table.columns) {
          const name = normaliseColumn(column.name);
          if (name !== '' && !GENERIC_COLUMNS.has(name)) names.add(name);
        }
    columns.set(product.id, names);
  }
  const holders = new Map<string, string[]>();
  for (const [id, names] of columns) for (const name of names) holders.set(name, [...(holders.get(name) ?? []), id]);
  const common = COMMON_AT(columns.size);
  const shared = new Map<string, string[]>(); // `${a}\u0000${b}` with a < b → shared names
  for (const [name, ids] of holders) {
    if (ids.length < 2 || ids.length > common) continue;
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) {
        const [a, b] = [ids[i] ?? '', ids[j] ?? ''].sort();
        const key = `${a}\u0000${b}`;
        shared.set(key, [...(shared.get(key) ?? []), name]);
      }
  }
  const out = new Map<string, SimilarPair[]>();
  const add = (id: string, pair: SimilarPair): void => {
    out.set(id, [...(out.get(id) ?? []), pair]);
  };
  for (const [key, names] of shared) {
    if (names.length < MIN_SHARED) continue;
    const [a = '', b = ''] = key.split('\u0000');
    const union = (columns.get(a)?.size ?? 0) + (columns.get(b)?.size ?? 0) - names.length;
    const overlap = names.length / union;
    if (overlap < SIMILAR_AT) continue;
    if (lineage.ancestors(a).includes(b) || lineage.ancestors(b).includes(a)) continue;
    const sorted = [...names].sort();
    add(a, { product: b, overlap, columns: sorted });
    add(b, { product: a, overlap, columns: sorted });
  }
  for (const pairs of out.values()) pairs.sort((x, y) => y.overlap - x.overlap || (x.product < y.product ? -1 : 1));
  cache.set(mesh, out);
  return out;
}
