import { LineageGraph } from '../lineage/lineageGraph.ts';
import type { DataProduct, Mesh } from '../model/types.ts';

/**
 * The products an edit of `paths` (mesh-relative) affects, in `mesh`'s order: a product
 * whose own files changed — anything in its folder (product file, transform, quanta.yaml,
 * contracts), or a seed file it reads wherever it lives — and everything downstream of one
 * in lineage, as it would now read different data. Mesh-wide files (mesh.yaml, layout.yaml,
 * policies) change no product's data and mark none.
 */
export function productsChangedBy(mesh: Mesh, paths: Iterable<string>): string[] {
  const changed = [...paths];
  if (changed.length === 0) return [];
  const own = mesh.products.filter((product) => changed.some((path) => touches(product, path))).map((p) => p.id);
  const graph = new LineageGraph(mesh.products);
  const marked = new Set([...own, ...own.flatMap((id) => graph.impactSet(id))]);
  return mesh.products.filter((p) => marked.has(p.id)).map((p) => p.id);
}

/** The paths whose text differs between two versions of a mesh's files (added and removed included). */
export function changedPaths(
  before: ReadonlyMap<string, { readonly text: string }>,
  after: ReadonlyMap<string, { readonly text: string }>,
): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => before.get(path)?.text !== after.get(path)?.text).sort();
}

function touches(product: DataProduct, path: string): boolean {
  if (path === product.file || (product.dir !== '' && path.startsWith(`${product.dir}/`))) return true;
  if (path === product.settings?.file || path === product.transform?.path) return true;
  if (product.outputPorts.some((port) => port.contract?.file === path)) return true;
  return product.settings?.sources.some((source) => source.resolvedFile === path) ?? false;
}

/** The paths whose bytes differ between two snapshots of a mesh's seed files. */
export function changedBytes(before: ReadonlyMap<string, Uint8Array>, after: ReadonlyMap<string, Uint8Array>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => !sameBytes(before.get(path), after.get(path))).sort();
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.byteLength !== b.byteLength) return false;
  return a.every((byte, i) => byte === b[i]);
}
