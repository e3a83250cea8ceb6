import { INDEX_PAGE, LINEAGE_PAGE } from './fileNames.ts';
import { html, type Html } from './html.ts';

/*
 * The frame every page of the docs site shares: the strict Content-Security-Policy (no inline
 * script or style can run, nothing loads from anywhere but the site's own folder), one style
 * sheet, the header with the mesh's name and the footer saying where the site came from.
 */

/** Scripts only from the site's own files, no inline handlers, no network: a mesh's text can never run. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:";

export const STYLE_SHEET = 'assets/site.css';

export interface Frame {
  readonly meshTitle: string;
  /** Footer line: which mesh, when, run or not. */
  readonly generated: string;
}

/**
 * A page of the site. Pages without scripts of their own (all but the index) get a search field
 * in the header: a plain GET form to the index (`index.html?q=…`), which needs no script here.
 */
export function page(frame: Frame, title: string, body: Html, scripts: readonly string[] = []): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />
        <meta name="referrer" content="no-referrer" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · ${frame.meshTitle}</title>
        <link rel="stylesheet" href="${STYLE_SHEET}" />
      </head>
      <body>
        <header class="top">
          <div class="top-inner">
            <a class="brand" href="${INDEX_PAGE}"><span class="brand-mark" aria-hidden="true"></span>${frame.meshTitle}</a>
            <nav aria-label="Site"><a href="${INDEX_PAGE}">Products</a><a href="${LINEAGE_PAGE}">Lineage</a></nav>
            ${
              scripts.length === 0
                ? html`<form class="top-search" action="${INDEX_PAGE}" method="get" role="search">
                    <input
                      name="q"
                      type="search"
                      aria-label="Search all products"
                      placeholder="Search products"
                      autocomplete="off"
                      spellcheck="false"
                    />
                  </form>`
                : ''
            }
          </div>
        </header>
        <main>${body}</main>
        <footer><p>${frame.generated}</p></footer>
        ${scripts.map((src) => html`<script src="${src}"></script> `)}
      </body>
    </html> `;
}

export type Tone = 'good' | 'bad' | 'warn' | 'info' | 'plain';

export function chip(text: string, tone: Tone = 'plain', title?: string): Html {
  return html`<span class="chip chip-${tone}" ${title ? html` title="${title}"` : ''}>${text}</span>`;
}

export function section(id: string, heading: string, body: Html, extra?: Html): Html {
  return html`<section class="panel" id="${id}" aria-labelledby="${id}-h">
    <div class="panel-head">
      <h2 id="${id}-h">${heading}</h2>
      ${extra ?? ''}
    </div>
    ${body}
  </section>`;
}

export function empty(text: string): Html {
  return html`<p class="empty">${text}</p>`;
}

/**
 * A table; `cells` already escaped by html``. `scrolls` names a table wide enough to scroll
 * sideways: its wrapper is a focusable region so the keyboard can scroll it too.
 */
export function table(head: readonly string[], rows: readonly (readonly (Html | string)[])[], className = '', scrolls?: string): Html {
  const region = scrolls === undefined ? html`` : html` tabindex="0" role="region" aria-label="${scrolls}"`;
  return html`<div class="table-wrap"${region}><table${className ? html` class="${className}"` : ''}><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows.map(
    (r) =>
      html`<tr>
        ${r.map((c) => html`<td>${c}</td>`)}
      </tr>`,
  )}</tbody></table></div>`;
}

export function stars(mean: number): string {
  const full = Math.round(mean);
  return `${'★'.repeat(full)}${'☆'.repeat(Math.max(0, 5 - full))}`;
}
