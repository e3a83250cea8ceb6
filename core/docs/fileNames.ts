import { isValidId } from '../model/ids.ts';
import type { Mesh } from '../model/types.ts';
import { contentHash } from '../util/contentHash.ts';

/*
 * The docs site's file names, made from ids. A valid id is already a safe file name (lowercase
 * letters, digits, `-_.`); an id a broken mesh still loaded with (a slash, spaces, `..`) gets
 * its safe letters and a hash instead, so no id can name a path outside the site or clash
 * with another page. Pages are flat in the site's folder: links between them never climb.
 */

export interface SiteNames {
  readonly product: (id: string) => string | undefined;
  readonly domain: (id: string) => string | undefined;
}

export const INDEX_PAGE = 'index.html';
export const LINEAGE_PAGE = 'lineage.html';

export function siteNames(mesh: Mesh): SiteNames {
  const taken = new Set<string>([INDEX_PAGE, LINEAGE_PAGE]);
  const name = (kind: 'product' | 'domain', id: string): string => {
    const base = isValidId(id)
      ? id
      : `${id
          .toLowerCase()
          .replace(/[^a-z0-9_-]+/g, '-')
          .slice(0, 40)}-${contentHash(new TextEncoder().encode(id)).slice(0, 8)}`;
    let file = `${kind}-${base}.html`;
    for (let n = 2; taken.has(file); n++) file = `${kind}-${base}-${n}.html`;
    taken.add(file);
    return file;
  };
  const products = new Map<string, string>();
  for (const p of mesh.products) if (!products.has(p.id)) products.set(p.id, name('product', p.id));
  const domains = new Map<string, string>();
  for (const d of mesh.domains) if (!domains.has(d.id)) domains.set(d.id, name('domain', d.id));
  return { product: (id) => products.get(id), domain: (id) => domains.get(id) };
}
