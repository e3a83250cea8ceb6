import type { ProductPage } from '../discovery/productPage.ts';
import { RANKING_FORMULA } from '../discovery/rank.ts';
import type { LineageGraph } from '../lineage/lineageGraph.ts';
import type { Domain, Mesh } from '../model/types.ts';
import { html, type Html } from './html.ts';
import { chip, empty, section, stars, table } from './layout.ts';
import { lineageSvg, type DiagramNode } from './lineageSvg.ts';
import { productLink, tintOf, type ProductContext } from './pageContext.ts';

/*
 * The pages about the whole mesh: the index (every product as a card, with the search box the
 * site's script drives), a page per domain, and the lineage diagram of everything.
 */

const PURPOSE_CHARS = 220;

export function productCard(p: ProductPage, context: ProductContext): Html {
  const file = context.names.product(p.id) ?? '';
  const columns = p.outputs.reduce((n, o) => n + o.columns.length, 0);
  const consumers = new Set(p.consumers.map((c) => c.product)).size;
  const purpose = p.description.purpose ?? '';
  const short =
    [...purpose].length > PURPOSE_CHARS
      ? `${[...purpose]
          .slice(0, PURPOSE_CHARS - 1)
          .join('')
          .trimEnd()}…`
      : purpose;
  const color = domainClass(context, p.domain.id);
  const checks = p.outputs.flatMap((o) => o.quality.filter((q) => q.latest));
  const failing = checks.filter((q) => q.latest?.passed === false);
  const failed = failing.length;
  // A failing warning does not stop a publish: amber, not red.
  const blocking = failing.filter((q) => q.severity !== 'warning' && q.severity !== 'info').length;
  const late = p.outputs.some((o) => o.slas.some((s) => s.met === false));
  const measured = p.outputs.some((o) => o.slas.some((s) => s.met !== undefined));
  return html`<li class="card${color}" data-page="${file}">
    <a class="card-title" href="${file}">${p.name}</a>
    <p class="card-sub"><span class="domain-dot" aria-hidden="true"></span>${p.domain.name} · ${p.owner?.name ?? 'no owner'}</p>
    <p class="card-text">${short || html`<span class="muted">No purpose written.</span>`}</p>
    <p class="chips">
      ${chip(p.archetype, 'info')}${p.status ? chip(p.status) : ''}${context.ran && checks.length > 0 ? chip(failed === 0 ? `checks ${checks.length}/${checks.length}` : blocking > 0 ? `${blocking} failing` : `${failed} warning${failed === 1 ? '' : 's'}`, failed === 0 ? 'good' : blocking > 0 ? 'bad' : 'warn') : ''}${measured ? chip(late ? 'late' : 'fresh', late ? 'bad' : 'good') : ''}
    </p>
    <p class="card-meta">
      <span>${p.outputs.length} port${p.outputs.length === 1 ? '' : 's'}</span><span>${columns} column${columns === 1 ? '' : 's'}</span
      ><span>${consumers} consumer${consumers === 1 ? '' : 's'}</span
      >${p.feedback.mean === undefined ? '' : html`<span class="stars" title="${p.feedback.mean.toFixed(1)} of 5 from ${p.feedback.count}">${stars(p.feedback.mean)}</span>`}
    </p>
    <p class="card-why" hidden></p>
  </li>`;
}

export function indexBody(mesh: Mesh, pages: readonly ProductPage[], graph: LineageGraph, context: ProductContext): Html {
  const manifest = mesh.manifest;
  return html`<header class="hero">
      <h1>${manifest?.title ?? manifest?.name ?? 'Data mesh'}</h1>
      ${manifest?.description ? html`<p class="lead">${manifest.description}</p>` : ''}
      <p class="stats">
        <span><strong>${pages.length}</strong> data products</span><span><strong>${mesh.domains.length}</strong> domains</span
        ><span><strong>${graph.edges.length}</strong> lineage edges</span><span><strong>${manifest?.teams.length ?? 0}</strong> teams</span>
      </p>
    </header>
    <div class="search" role="search">
      <label for="q">Search the products</label>
      <input
        id="q"
        type="search"
        placeholder="A column, an owner, a tag, “personal”… (press /)"
        autocomplete="off"
        spellcheck="false"
        disabled
      />
      <p id="search-status" class="muted small" aria-live="polite">Search needs scripts; every product is listed below.</p>
    </div>
    <details class="formula">
      <summary>Listed by trust × use, as the marketplace ranks them; search ranks by relevance</summary>
      <p>${RANKING_FORMULA}</p>
    </details>
    <ul class="cards" id="products">
      ${pages.map((p) => productCard(p, context))}
    </ul>
    <p id="no-results" class="empty" hidden>No product matches.</p>
    ${section('domains', `Domains (${mesh.domains.length})`, domainList(mesh, pages, context))} `;
}

function domainList(mesh: Mesh, pages: readonly ProductPage[], context: ProductContext): Html {
  if (mesh.domains.length === 0) return empty('The mesh declares no domain.');
  const teams = new Map((mesh.manifest?.teams ?? []).map((t) => [t.id, t.name]));
  return table(
    ['Domain', 'Team', 'Products', 'Description'],
    mesh.domains.map((d) => {
      const file = context.names.domain(d.id);
      return [
        file ? html`<a href="${file}">${d.name}</a>` : d.name,
        teams.get(d.team) ?? d.team,
        String(pages.filter((p) => p.domain.id === d.id).length),
        d.description,
      ];
    }),
  );
}

export function domainBody(mesh: Mesh, domain: Domain, pages: readonly ProductPage[], graph: LineageGraph, context: ProductContext): Html {
  const mine = pages.filter((p) => p.domain.id === domain.id);
  const ids = new Set(mine.map((p) => p.id));
  const team = mesh.manifest?.teams.find((t) => t.id === domain.team);
  const nodes: DiagramNode[] = mine.map((p) => diagramNode(p, context));
  const edges = graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  const reads = graph.edges.filter((e) => ids.has(e.to) && !ids.has(e.from));
  const readBy = graph.edges.filter((e) => ids.has(e.from) && !ids.has(e.to));
  const edgeRows = (list: typeof reads): Html =>
    list.length === 0
      ? empty('None.')
      : table(
          ['From', 'To', 'As input'],
          list.map((e) => [productLink(context, e.from, e.outputPort), productLink(context, e.to), html`<code>${e.inputPort}</code>`]),
        );
  const tint = domainClass(context, domain.id);
  return html`<nav class="crumbs" aria-label="Breadcrumb">
      <a href="index.html">Products</a> › <span aria-current="page">${domain.name}</span>
    </nav>
    <header class="hero${tint}">
      <p class="eyebrow"><span class="domain-dot" aria-hidden="true"></span>Domain <code>${domain.id}</code></p>
      <h1>${domain.name}</h1>
      ${domain.description ? html`<p class="lead">${domain.description}</p>` : ''}
      <p class="stats">
        <span>Owned by <strong>${team?.name ?? domain.team}</strong></span
        ><span><strong>${mine.length}</strong> products</span>
      </p>
    </header>
    <ul class="cards">
      ${mine.map((p) => productCard(p, context))}
    </ul>
    ${mine.length === 0 ? empty('No product in this domain.') : ''}
    ${section('domain-lineage', 'Lineage inside the domain', nodes.length === 0 ? empty('No product.') : html`<div class="diagram">${lineageSvg(nodes, edges, `Lineage of domain ${domain.name}`)}</div>`)}
    <div class="columns-2">
      ${section('reads', 'Reads from other domains', edgeRows(reads))} ${section('read-by', 'Read by other domains', edgeRows(readBy))}
    </div>`;
}

export function lineageBody(pages: readonly ProductPage[], graph: LineageGraph, context: ProductContext): Html {
  const nodes = pages.map((p) => diagramNode(p, context));
  return html`<header class="hero">
      <h1>Lineage</h1>
      <p class="lead">
        Every product, left to right in the order data flows: a product sits one column right of its deepest upstream. Click a box to open
        its page.
      </p>
    </header>
    ${section('diagram', 'Diagram', html`<div class="diagram diagram-wide">${lineageSvg(nodes, graph.edges, 'Lineage of the mesh')}</div>`)}
    ${section(
      'edges',
      `Edges (${graph.edges.length})`,
      graph.edges.length === 0
        ? empty('No product reads another.')
        : table(
            ['From', 'Output port', 'To', 'As input', 'Contract'],
            graph.edges.map((e) => [
              productLink(context, e.from),
              html`<code>${e.outputPort}</code>`,
              productLink(context, e.to),
              html`<code>${e.inputPort}</code>`,
              html`<code>${e.contractId}</code> ${e.version}`,
            ]),
          ),
    )}`;
}

function diagramNode(p: ProductPage, context: ProductContext): DiagramNode {
  const file = context.names.product(p.id);
  const tint = tintOf(context, p.domain.id);
  return { id: p.id, label: p.name, detail: p.domain.name, ...(tint ? { tint } : {}), ...(file ? { href: file } : {}) };
}

function domainClass(context: ProductContext, domain: string): string {
  const tint = tintOf(context, domain);
  return tint ? ` ${tint}` : '';
}
