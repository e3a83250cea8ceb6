import type { ProductPage } from '../discovery/productPage.ts';
import { normaliseColumn } from '../discovery/similar.ts';
import { html, type Html } from './html.ts';
import { chip, empty, section, stars, table } from './layout.ts';
import { lineageSvg, type DiagramNode } from './lineageSvg.ts';
import { productLink, statusTone, tintOf, type ProductContext } from './pageContext.ts';
import { outputPort } from './portHtml.ts';

/*
 * One product's page of the docs site, from the ProductPage model (core/discovery/productPage.ts):
 * the same facts the app's product page shows, as static HTML. Every value from the mesh goes
 * through html``, which escapes it.
 */

export function productBody(p: ProductPage, context: ProductContext): Html {
  const domainFile = context.names.domain(p.domain.id);
  const lead = p.description.purpose;
  return html`<nav class="crumbs" aria-label="Breadcrumb">
      <a href="index.html">Products</a> › ${domainFile ? html`<a href="${domainFile}">${p.domain.name}</a>` : p.domain.name} ›
      <span aria-current="page">${p.name}</span>
    </nav>
    <header class="hero product-hero">
      <h1>${p.name}</h1>
      <p class="hero-id"><code>${p.id}</code></p>
      <p class="chips">
        ${chip(p.archetype, 'info')}${p.status ? chip(p.status, statusTone(p.status)) : ''}${p.version ? chip(`v${p.version}`) : ''}${p.tags.map((t) => chip(`#${t}`, 'plain'))}
      </p>
      ${lead ? html`<p class="lead">${lead}</p>` : html`<p class="lead muted">No purpose written (ODPS description.purpose).</p>`}
    </header>
    ${glance(p, context)}
    <div class="about-lineage">
      ${section('about', 'About', aboutList(p, domainFile))} ${section('lineage', 'Lineage', lineage(p, context))}
    </div>
    ${section('outputs', `Output ports (${p.outputs.length})`, p.outputs.length === 0 ? empty('This product publishes no output port.') : html`${p.outputs.map((o, i) => outputPort(p, o, i, context))}`)}
    ${section('inputs', `Input ports (${p.inputs.length})`, inputs(p, context))}
    ${section('consumers', `Consumers (${new Set(p.consumers.map((c) => c.product)).size})`, consumers(p, context))}
    ${similarSection(p, context)}
    ${section('scorecard', 'Scorecard', scorecard(p), html`<span class="score-total">${p.scorecard.score}<small>/100</small></span>`)}
    ${section('feedback', 'Feedback', feedback(p))} `;
}

function glance(p: ProductPage, context: ProductContext): Html {
  const checks = p.outputs.flatMap((o) => o.quality.filter((q) => q.latest));
  const passed = checks.filter((q) => q.latest?.passed).length;
  const blocking = checks.some((q) => q.latest?.passed === false && q.severity !== 'warning' && q.severity !== 'info');
  const tone = passed === checks.length ? 'good' : blocking ? 'bad' : 'warn';
  const fresh = p.outputs.flatMap((o) => o.slas.filter((s) => s.met !== undefined));
  const late = fresh.filter((s) => s.met === false).length;
  const consumers = new Set(p.consumers.map((c) => c.product)).size;
  const tile = (label: string, value: Html | string, note?: string): Html =>
    html`<div class="tile">
      <span class="tile-label">${label}</span
      ><span class="tile-value">${value}</span>${note ? html`<span class="tile-note">${note}</span>` : ''}
    </div>`;
  return html`<div class="tiles">
    ${tile('Owner', p.owner?.name ?? '—', p.owner ? p.owner.id : 'no owning team')}
    ${tile('Consumers', String(consumers), `${p.downstream.length} downstream product${p.downstream.length === 1 ? '' : 's'}`)}
    ${tile('Checks', context.ran ? (checks.length === 0 ? '—' : html`<span class="${tone}">${passed}/${checks.length}</span>`) : 'not run', context.ran ? 'latest run' : 'made with --no-run')}
    ${tile('Freshness', !context.ran || fresh.length === 0 ? '—' : html`<span class="${late === 0 ? 'good' : 'bad'}">${late === 0 ? 'on time' : `${late} late`}</span>`, fresh.length === 0 ? 'no measured latency SLA' : 'against the latency SLA')}
    ${tile('Rating', p.feedback.mean === undefined ? '—' : html`<span class="stars" title="${p.feedback.mean.toFixed(1)} of 5">${stars(p.feedback.mean)}</span>`, `${p.feedback.count} review${p.feedback.count === 1 ? '' : 's'}`)}
    ${tile('Scorecard', `${p.scorecard.score}/100`, 'eight characteristics')}
  </div>`;
}

function aboutList(p: ProductPage, domainFile: string | undefined): Html {
  const row = (term: string, value: Html | string | undefined): Html =>
    value
      ? html`<dt>${term}</dt>
          <dd>${value}</dd>`
      : html``;
  return html`<dl class="facts">
    ${row('Domain', domainFile ? html`<a href="${domainFile}">${p.domain.name}</a>` : p.domain.name)}
    ${row('Owner', p.owner ? `${p.owner.name} (${p.owner.id})` : 'no owning team declared')} ${row('Archetype', p.archetype)}
    ${row('Status', p.status)} ${row('Version', p.version)} ${row('Usage', p.description.usage)}
    ${row('Limitations', p.description.limitations)} ${row('Tags', p.tags.length > 0 ? p.tags.join(', ') : undefined)}
  </dl>`;
}

function lineage(p: ProductPage, context: ProductContext): Html {
  const node = (id: string, current = false): DiagramNode => {
    const other = context.pages.get(id);
    const file = context.names.product(id);
    const tint = other ? tintOf(context, other.domain.id) : undefined;
    return {
      id,
      label: other?.name ?? id,
      ...(other ? { detail: other.domain.name } : {}),
      ...(tint ? { tint } : {}),
      ...(file && !current ? { href: file } : {}),
      current,
    };
  };
  const nodes = [...p.upstream.map((id) => node(id)), node(p.id, true), ...p.downstream.map((id) => node(id))];
  const edges = [...p.upstream.map((from) => ({ from, to: p.id })), ...p.downstream.map((to) => ({ from: p.id, to }))];
  const list = (ids: readonly string[], none: string): Html =>
    ids.length === 0
      ? html`<p class="muted">${none}</p>`
      : html`<ul class="links">
          ${ids.map((id) => html`<li>${productLink(context, id)}</li>`)}
        </ul>`;
  return html`<div class="diagram">${lineageSvg(nodes, edges, `Lineage of ${p.name}`)}</div>
    <div class="updown">
      <div>
        <h3>Upstream</h3>
        ${list(p.upstream, 'None: a source.')}
      </div>
      <div>
        <h3>Downstream</h3>
        ${list(p.downstream, 'No product reads it yet.')}
      </div>
    </div>`;
}

function inputs(p: ProductPage, context: ProductContext): Html {
  if (p.inputs.length === 0) return empty('No input ports: a source-aligned product reads its sources.');
  return table(
    ['Input port', 'Contract', 'Version', 'Reads'],
    p.inputs.map((i) => [
      html`<code>${i.port}</code>`,
      html`<code>${i.contractId}</code>`,
      i.version ?? '—',
      i.upstream ? productLink(context, i.upstream.product, i.upstream.port) : html`<span class="bad">no product publishes it</span>`,
    ]),
  );
}

function consumers(p: ProductPage, context: ProductContext): Html {
  if (p.consumers.length === 0) return empty('No product reads this one yet.');
  return table(
    ['Consumer', 'Reads port', 'As input'],
    p.consumers.map((c) => [productLink(context, c.product), html`<code>${c.port}</code>`, html`<code>${c.via}</code>`]),
  );
}

function scorecard(p: ProductPage): Html {
  return html`<div class="score-grid">
    ${p.scorecard.characteristics.map(
      (c) =>
        html`<div class="score">
          <div class="score-head"><span>${c.title}</span><span class="score-value">${c.score}</span></div>
          <meter min="0" max="100" low="50" high="80" optimum="100" value="${c.score}">${c.score}/100</meter>
          <ul class="reasons">
            ${c.reasons.map((r) => html`<li class="${!r.assessed ? 'na' : r.credit >= 1 ? 'ok' : r.credit > 0 ? 'part' : 'no'}">${r.text}${r.assessed || /not assessed/.test(r.text) ? '' : ' (not assessed)'}</li>`)}
          </ul>
        </div>`,
    )}
  </div>`;
}

function feedback(p: ProductPage): Html {
  if (p.feedback.count === 0) return empty('No feedback yet. Consumers add it as feedback/<product>.feedback.yaml in the mesh.');
  return html`<p class="rating">
      ${p.feedback.mean === undefined ? '' : html`<span class="stars">${stars(p.feedback.mean)}</span> ${p.feedback.mean.toFixed(1)} of 5`}
      · ${p.feedback.count} review${p.feedback.count === 1 ? '' : 's'}
    </p>
    <ul class="feedback">
      ${p.feedback.entries.map(
        (e) =>
          html`<li>
            <div class="feedback-head">
              <span class="stars">${stars(e.rating)}</span>
              <strong>${e.team ?? e.persona ?? 'someone'}</strong>${e.port ? html` on <code>${e.port}</code>` : ''}
              <span class="muted">${e.date}</span>
            </div>
            ${e.comment ? html`<p>${e.comment}</p>` : ''}
          </li>`,
      )}
    </ul>`;
}

function similarSection(p: ProductPage, context: ProductContext): Html {
  const similar = context.similar.get(p.id) ?? [];
  if (similar.length === 0) return html``;
  return section(
    'similar',
    'Possible duplicates',
    table(
      ['Product', 'Column overlap', 'Shared columns', 'More used'],
      similar.map((s) => [
        productLink(context, s.product),
        `${Math.round(s.overlap * 100)}%`,
        shared(p, s.columns),
        productLink(context, s.moreUsed),
      ]),
    ),
  );
}

/** The shared columns as this product names them (similarity compares normalised names, discovery/similar.ts). */
function shared(p: ProductPage, normalised: readonly string[]): string {
  const wanted = new Set(normalised);
  const names = [...new Set(p.outputs.flatMap((o) => o.columns.map((c) => c.name)))].filter((n) => wanted.has(normaliseColumn(n)));
  const list = names.length > 0 ? names : [...normalised];
  return list.slice(0, 8).join(', ') + (list.length > 8 ? `, +${list.length - 8} more` : '');
}
