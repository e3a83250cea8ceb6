import MiniSearch from 'minisearch';
import { buildProductPage, type ProductPage, type ProductPageFacts } from '../discovery/productPage.ts';
import { rankProducts, similarProducts } from '../discovery/rank.ts';
import { scoreMesh } from '../governance/scorecard.ts';
import { LineageGraph } from '../lineage/lineageGraph.ts';
import type { Mesh } from '../model/types.ts';
import { INDEX_PAGE, LINEAGE_PAGE, siteNames } from './fileNames.ts';
import { toText } from './html.ts';
import { page, STYLE_SHEET, type Frame } from './layout.ts';
import { domainBody, indexBody, lineageBody } from './meshPages.ts';
import type { PortSample, ProductContext } from './pageContext.ts';
import { productBody } from './productHtml.ts';
import { SEARCH_SCRIPT } from './siteScript.ts';
import { SITE_CSS } from './siteStyle.ts';

export type { PortSample } from './pageContext.ts';

/*
 * `quanta docs`: the static site of a whole mesh — an index with search, a page per domain and
 * per product, the lineage diagram — as a map of file names to contents. Pure: the command
 * (core/node/commands/docs.ts) runs the mesh when asked, reads MiniSearch's browser build and
 * writes the files. The site opens from disk: flat pages, relative links, no network.
 */

export interface DocsSiteOptions {
  /** Run facts for the product pages (quality results, freshness, versions). */
  readonly facts?: ProductPageFacts;
  /** A few rows per output port, masked as for a reader with no purposes. */
  readonly samples?: readonly PortSample[];
  /** Whether the facts come from a run (pages say "not run" otherwise). */
  readonly ran?: boolean;
  /** MiniSearch's browser build (its UMD file), copied to assets/minisearch.js. */
  readonly minisearchScript: string;
  /** MiniSearch's license text, copied beside it. */
  readonly minisearchLicense?: string;
  /** The footer's line, e.g. when and from where the site was made. */
  readonly generated?: string;
}

export const SEARCH_DATA = 'assets/search-data.js';
export const SEARCH_SCRIPT_FILE = 'assets/search.js';
export const MINISEARCH_FILE = 'assets/minisearch.js';

/** The file names of the site, relative to its folder, mapped to their text. */
export function buildDocsSite(mesh: Mesh, options: DocsSiteOptions): Map<string, string> {
  const names = siteNames(mesh);
  const pages = new Map<string, ProductPage>();
  // Scored once for the whole mesh, not once per page: scoring a product reads every product.
  const scorecards = new Map(scoreMesh(mesh, options.facts?.scorecard ?? {}).map((card) => [card.product, card] as const));
  const facts: ProductPageFacts = { ...options.facts, scorecards };
  for (const p of mesh.products) {
    if (pages.has(p.id)) continue;
    const built = buildProductPage(mesh, p.id, facts);
    if (built) pages.set(p.id, built);
  }
  const colors = new Map<string, string>();
  const domainIndex = new Map<string, number>();
  mesh.domains.forEach((d, i) => {
    if (!domainIndex.has(d.id)) domainIndex.set(d.id, i);
    if (d.color !== undefined && /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(d.color) && !colors.has(d.id)) colors.set(d.id, d.color);
  });
  const runs = options.facts?.runs ? { runs: options.facts.runs } : {};
  const similar = new Map([...pages.keys()].map((id) => [id, similarProducts(mesh, id, runs)]));
  const context: ProductContext = { names, pages, samples: options.samples ?? [], colors, domainIndex, similar, ran: options.ran === true };
  const graph = new LineageGraph(mesh.products);
  const title = mesh.manifest?.title ?? mesh.manifest?.name ?? 'Data mesh';
  const frame: Frame = { meshTitle: title, generated: options.generated ?? 'Made by quanta docs.' };
  // The index lists products as the marketplace does for an empty query: by trust × use (discovery/rank.ts).
  const ranked = rankProducts(mesh, '', { ...runs, limit: pages.size }).map((r) => r.product);
  const order = [...new Set([...ranked, ...pages.keys()])];
  const list = order.flatMap((id) => pages.get(id) ?? []);

  const files = new Map<string, string>();
  files.set(
    INDEX_PAGE,
    toText(page(frame, 'Products', indexBody(mesh, list, graph, context), [MINISEARCH_FILE, SEARCH_DATA, SEARCH_SCRIPT_FILE])),
  );
  files.set(LINEAGE_PAGE, toText(page(frame, 'Lineage', lineageBody(list, graph, context))));
  for (const domain of mesh.domains) {
    const file = names.domain(domain.id);
    if (file && !files.has(file)) files.set(file, toText(page(frame, domain.name, domainBody(mesh, domain, list, graph, context))));
  }
  for (const p of list) {
    const file = names.product(p.id);
    if (file) files.set(file, toText(page(frame, p.name, productBody(p, context))));
  }
  const tints = [...colors].map(([id, color]) => `.d-${domainIndex.get(id) ?? 0} { --domain: ${color}; }\n`).join('');
  files.set(STYLE_SHEET, `${SITE_CSS}${tints}`);
  files.set(SEARCH_SCRIPT_FILE, SEARCH_SCRIPT);
  files.set(MINISEARCH_FILE, options.minisearchScript);
  if (options.minisearchLicense !== undefined) files.set('assets/minisearch.LICENSE.txt', options.minisearchLicense);
  files.set(SEARCH_DATA, searchData(list, names.product));
  return files;
}

/** What the site's search indexes per product, and the label its "Matched" line gives each field. */
const FIELDS = {
  name: 'name',
  key: 'id',
  tags: 'tag',
  domain: 'domain',
  owner: 'owner',
  ports: 'port',
  columns: 'column',
  classifications: 'classification',
  text: 'description',
} as const;

const BOOST = { name: 6, key: 6, tags: 4, columns: 4, domain: 3, owner: 3, ports: 3, classifications: 3, text: 1 };

/**
 * The MiniSearch index serialised into a script that assigns it (`window.QUANTA_DOCS = …`), with
 * the options to load and query it. Both sides use MiniSearch's default tokenizer and term
 * processing, so the index built here and the queries typed in the browser split words alike.
 */
function searchData(pages: readonly ProductPage[], fileOf: (id: string) => string | undefined): string {
  // Column names are stored too: the Matched line names the columns that matched, not only their words.
  const options = { idField: 'page', fields: Object.keys(FIELDS), storeFields: ['columns'] };
  const index = new MiniSearch<Record<string, string>>(options);
  index.addAll(
    pages.flatMap((p) => {
      const file = fileOf(p.id);
      if (!file) return [];
      const columns = p.outputs.flatMap((o) => o.columns);
      return [
        {
          page: file,
          name: p.name,
          key: p.id,
          tags: p.tags.join(' '),
          domain: `${p.domain.id} ${p.domain.name}`,
          owner: p.owner ? `${p.owner.id} ${p.owner.name}` : '',
          ports: [...p.outputs.map((o) => o.name), ...p.inputs.map((i) => i.port)].join(' '),
          columns: columns.map((c) => c.name).join(' '),
          classifications: [...new Set(columns.flatMap((c) => (c.classification ? [c.classification] : [])))].join(' '),
          text: [
            p.description.purpose,
            p.description.usage,
            p.description.limitations,
            ...p.outputs.map((o) => o.description),
            ...columns.map((c) => c.description),
          ]
            .filter((t) => t !== undefined)
            .join(' '),
        },
      ];
    }),
  );
  const data = {
    index: index.toJSON(),
    options,
    searchOptions: { prefix: true, fuzzy: 0.2, boost: BOOST, combineWith: 'OR' },
    labels: FIELDS,
  };
  // JSON is a JavaScript expression; `<` escaped anyway so no text of the mesh reads as markup anywhere.
  return `window.QUANTA_DOCS = ${JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')};\n`;
}
