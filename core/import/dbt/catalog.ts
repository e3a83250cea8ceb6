import { hasUnsafeCharacters } from '../../model/ids.ts';
import { asFields, asNumber, asString } from '../../model/read.ts';
import { DbtImportError, parseJson, type Manifest, type ManifestColumn } from './manifest.ts';

/*
 * A dbt `catalog.json` (what `dbt docs generate` writes beside the manifest): the columns of each
 * built relation as the warehouse has them, in their order, with their types. It types the
 * columns a project's YAML leaves untyped and adds the columns the YAML does not list. Untrusted
 * like the manifest: only `nodes` and `sources` are read, each name and type checked.
 */

export interface CatalogColumn {
  readonly name: string;
  readonly type: string;
}

/** unique_id → its relation's columns, in the warehouse's order. */
export type Catalog = ReadonlyMap<string, readonly CatalogColumn[]>;

/** Reads a catalog's text; throws DbtImportError when it is not one. */
export function readCatalog(json: string, shown = 'catalog.json'): Catalog {
  const document = asFields(parseJson(json, shown));
  const url = asString(asFields(document['metadata'])['dbt_schema_version']);
  if (url === undefined || !/\/catalog\/v\d+\.json$/.test(url))
    throw new DbtImportError(`${shown}: not a dbt catalog (no metadata.dbt_schema_version …/catalog/v1.json)`);
  const catalog = new Map<string, CatalogColumn[]>();
  for (const group of ['nodes', 'sources'] as const)
    for (const [key, raw] of Object.entries(asFields(document[group]))) {
      const entry = asFields(raw);
      const columns = Object.entries(asFields(entry['columns']))
        .flatMap(([name, c]) => {
          const column = asFields(c);
          const n = asString(column['name']) ?? name;
          const type = asString(column['type'])?.trim() ?? '';
          if (n === '' || n.length > 256 || hasUnsafeCharacters(n) || type === '' || type.length > 200 || hasUnsafeCharacters(type))
            return [];
          return [{ name: n, type, index: asNumber(column['index']) ?? Number.MAX_SAFE_INTEGER }];
        })
        .sort((a, b) => a.index - b.index)
        .map(({ name, type }) => ({ name, type }));
      catalog.set(asString(entry['unique_id']) ?? key, columns);
    }
  return catalog;
}

/**
 * The manifest's columns completed from the catalog: in the relation's order, a type where the
 * YAML gives none (a declared `data_type` stays: it is what the project promises), and the
 * columns only the relation has; columns only the YAML lists come after, as they are.
 */
export function withCatalog(manifest: Manifest, catalog: Catalog): { manifest: Manifest; typed: number; added: number } {
  let typed = 0;
  let added = 0;
  const complete = (uniqueId: string, columns: readonly ManifestColumn[]): readonly ManifestColumn[] => {
    const built = catalog.get(uniqueId);
    if (!built || built.length === 0) return columns;
    const declared = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
    const out = built.map((b): ManifestColumn => {
      const c = declared.get(b.name.toLowerCase());
      declared.delete(b.name.toLowerCase());
      if (!c) {
        added++;
        return { name: b.name, dataType: b.type, meta: {}, tags: [], constraints: [] };
      }
      if (c.dataType !== undefined) return c;
      typed++;
      return { ...c, dataType: b.type };
    });
    return [...out, ...declared.values()];
  };
  return {
    manifest: {
      ...manifest,
      nodes: manifest.nodes.map((n) => ({ ...n, columns: complete(n.uniqueId, n.columns) })),
      sources: manifest.sources.map((s) => ({ ...s, columns: complete(s.uniqueId, s.columns) })),
    },
    typed,
    added,
  };
}
