import { isMaskedClassification } from '../governance/access/access.ts';
import { asFields, asList, asString } from '../model/read.ts';
import type { Contract, DataProduct, Mesh } from '../model/types.ts';

/*
 * What discovery search knows of a product: its words, each under the field it came from and
 * with a label the "why" line shows (`column email`, `owner Listeners`). Read from the model
 * and, for what the model does not keep (ODPS description, tags), from the parsed files.
 */

/** The indexed fields, each with its own boost (search.ts). */
export type SearchField =
  | 'name'
  | 'id'
  | 'tag'
  | 'domain'
  | 'owner'
  | 'outputPort'
  | 'inputPort'
  | 'column'
  | 'columnDescription'
  | 'classification'
  | 'description';

export const SEARCH_FIELDS: readonly SearchField[] = [
  'name',
  'id',
  'tag',
  'domain',
  'owner',
  'outputPort',
  'inputPort',
  'column',
  'columnDescription',
  'classification',
  'description',
];

/** One piece of a product's text: `text` is what is searched, `label` what the why line names. */
export interface SearchFacet {
  readonly field: SearchField;
  readonly text: string;
  readonly label: string;
}

/** What the filters look at, known without a run. */
export interface ProductFacts {
  readonly id: string;
  readonly domain: string;
  readonly domainName?: string;
  readonly owner?: string;
  readonly ownerName?: string;
  readonly archetype?: string;
  /** The product's status and its output contracts' statuses, lower-cased. */
  readonly statuses: readonly string[];
  /** Some output column carries a classification Quanta masks (anything but public/internal). */
  readonly personal: boolean;
}

export interface ProductText {
  readonly facts: ProductFacts;
  readonly facets: readonly SearchFacet[];
}

const DESCRIPTION_PARTS = ['purpose', 'usage', 'limitations'] as const;

export function productTexts(mesh: Mesh): ProductText[] {
  const teams = new Map((mesh.manifest?.teams ?? []).map((t) => [t.id, t]));
  const domains = new Map(mesh.domains.map((d) => [d.id, d]));
  return mesh.products.map((product) => {
    const domain = domains.get(product.domain);
    const ownerId = product.team ?? domain?.team;
    const owner = ownerId === undefined ? undefined : teams.get(ownerId);
    const contracts = product.outputPorts.flatMap((p) => (p.contract ? [p.contract] : []));
    const facets: SearchFacet[] = [
      facet('name', product.name),
      facet('id', product.id),
      facet('domain', product.domain),
      ...(domain ? [facet('domain', domain.name)] : []),
      ...(ownerId === undefined ? [] : [facet('owner', ownerId)]),
      ...(owner ? [facet('owner', owner.name)] : []),
      ...product.inputPorts.map((p) => facet('inputPort', p.name)),
      ...product.outputPorts.flatMap((p) => [
        facet('outputPort', p.name),
        ...(p.description ? [facet('description', p.description, `output port ${p.name} description`)] : []),
      ]),
      ...documentFacets(asFields(fileValue(mesh, product.file)), 'product'),
      ...contracts.flatMap(contractFacets),
    ];
    const facts: ProductFacts = {
      id: product.id,
      domain: product.domain,
      ...(domain ? { domainName: domain.name } : {}),
      ...(ownerId === undefined ? {} : { owner: ownerId }),
      ...(owner ? { ownerName: owner.name } : {}),
      ...(product.settings ? { archetype: product.settings.archetype } : {}),
      statuses: statusesOf(product, contracts),
      personal: contracts.some((c) => c.tables.some((t) => t.columns.some((col) => isMaskedClassification(col.classification)))),
    };
    return { facts, facets: facets.filter((f) => f.text.trim() !== '') };
  });
}

/** How the why line names a match in each field, before the matched value. */
const LABELS: Readonly<Record<SearchField, string>> = {
  name: 'name',
  id: 'id',
  tag: 'tag',
  domain: 'domain',
  owner: 'owner',
  outputPort: 'output port',
  inputPort: 'input port',
  column: 'column',
  columnDescription: 'column',
  classification: 'column',
  description: 'description',
};

/** `label` is the whole phrase of the why line; by default the field's name and the text. */
function facet(field: SearchField, text: string, label = `${LABELS[field]} ${text}`): SearchFacet {
  return { field, text, label };
}

function fileValue(mesh: Mesh, path: string): unknown {
  const file = mesh.files.get(path);
  return file && 'value' in file ? file.value : undefined;
}

/** Description (a string or ODPS/ODCS `{ purpose, usage, limitations }`) and tags of a product or contract document. */
function documentFacets(document: Readonly<Record<string, unknown>>, of: 'product' | 'contract'): SearchFacet[] {
  const facets: SearchFacet[] = [];
  const description = document['description'];
  const prefix = of === 'contract' ? 'contract ' : '';
  if (typeof description === 'string') facets.push(facet('description', description, `${prefix}description`));
  const parts = asFields(description);
  for (const part of DESCRIPTION_PARTS) {
    const text = asString(parts[part]);
    if (text !== undefined) facets.push(facet('description', text, `${prefix}${part}`));
  }
  for (const tag of asList(document['tags'])) if (typeof tag === 'string') facets.push(facet('tag', tag));
  return facets;
}

function contractFacets(contract: Contract): SearchFacet[] {
  const facets = documentFacets(contract.document, 'contract');
  for (const table of asList(contract.document['schema'])) {
    const text = asString(asFields(table)['description']);
    if (text !== undefined) facets.push(facet('description', text, `table ${asString(asFields(table)['name']) ?? ''} description`));
  }
  for (const table of contract.tables) {
    for (const column of table.columns) {
      facets.push(facet('column', column.name));
      if (column.description) facets.push(facet('columnDescription', column.description, `column ${column.name} description`));
      if (column.classification)
        facets.push(facet('classification', column.classification, `column ${column.name} (${column.classification})`));
    }
  }
  return facets;
}

function statusesOf(product: DataProduct, contracts: readonly Contract[]): string[] {
  const statuses = [product.status, ...contracts.map((c) => c.status)].map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  return [...new Set(statuses)];
}
