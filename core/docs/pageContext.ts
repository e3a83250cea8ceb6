import type { ProductPage } from '../discovery/productPage.ts';
import type { SimilarProduct } from '../discovery/rank.ts';
import type { SiteNames } from './fileNames.ts';
import { html, type Html } from './html.ts';

/*
 * What every page of the docs site knows of the others: file names, every product's page model,
 * the run's samples, domain colours; and the links and anchors built from them.
 */

/** A few rows of an output port as a reader with no purposes sees them (classified columns masked), or why there are none. */
export type PortSample =
  | {
      readonly product: string;
      readonly port: string;
      readonly columns: readonly string[];
      readonly rows: readonly (readonly string[])[];
      readonly masked: readonly string[];
    }
  | { readonly product: string; readonly port: string; readonly unavailable: string };

export interface ProductContext {
  readonly names: SiteNames;
  readonly pages: ReadonlyMap<string, ProductPage>;
  readonly samples: readonly PortSample[];
  /** Valid `#rgb`/`#rrggbb` colours of the domains that declare one. */
  readonly colors: ReadonlyMap<string, string>;
  /** Position of each domain, for its colour's CSS class `d-<n>`. */
  readonly domainIndex: ReadonlyMap<string, number>;
  /** Products whose output columns overlap strongly with each product's (discovery/rank.ts). */
  readonly similar: ReadonlyMap<string, readonly SimilarProduct[]>;
  /** Whether the site was made after a run (else run-only facts say "not run"). */
  readonly ran: boolean;
}

/** Anchor of each output port on its product's page: the name when it is plain, else its position. */
export function portAnchor(page: ProductPage | undefined, port: string): string {
  const index = page?.outputs.findIndex((o) => o.name === port) ?? -1;
  return page && index >= 0 ? anchorAt(page, index) : '';
}

/** The anchor of the `index`th output port; `port--<n>` cannot clash with a name's (names start with a letter or digit). */
export function anchorAt(page: ProductPage, index: number): string {
  const name = page.outputs[index]?.name ?? '';
  const unique = page.outputs.filter((o) => o.name === name).length === 1;
  return unique && /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(name) ? `port-${name}` : `port--${index}`;
}

export function productLink(context: ProductContext, id: string, port?: string): Html {
  const file = context.names.product(id);
  const name = context.pages.get(id)?.name ?? id;
  if (!file) return html`<span>${name}</span>`;
  const anchor = port === undefined ? '' : portAnchor(context.pages.get(id), port);
  return html`<a href="${file}${anchor ? `#${anchor}` : ''}">${name}</a>${port === undefined ? '' : html` <code>${port}</code>`}`;
}

/** `d-<n>`: the CSS class setting the domain's colour (siteStyle.ts), when it declares a valid one. */
export function tintOf(context: ProductContext, domain: string): string | undefined {
  const n = context.domainIndex.get(domain);
  return n !== undefined && context.colors.has(domain) ? `d-${n}` : undefined;
}

export function statusTone(status: string): 'good' | 'warn' | 'bad' | 'plain' {
  const s = status.toLowerCase();
  return s === 'active' ? 'good' : s === 'draft' || s === 'proposed' ? 'warn' : s === 'deprecated' || s === 'retired' ? 'bad' : 'plain';
}
