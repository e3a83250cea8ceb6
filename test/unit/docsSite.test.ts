import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { searchProducts } from '../../core/discovery/search.ts';
import { siteNames } from '../../core/docs/fileNames.ts';
import { html, toText } from '../../core/docs/html.ts';
import { depths, lineageSvg } from '../../core/docs/lineageSvg.ts';
import { buildDocsSite } from '../../core/docs/site.ts';
import type { Mesh } from '../../core/model/types.ts';
import { loadSample } from '../helpers.ts';

/* The pieces of the docs site (core/docs/) a hostile mesh reaches: escaping, file names, the diagram, colours. */

describe('html', () => {
  it('escapes every value it is given, but not Html it made itself', () => {
    const name = `<script>alert("x")</script>&'`;
    const inner = html`<b>${name}</b>`;
    expect(toText(html`<p title="${name}">${inner}${[name, 1, undefined, null, false]}</p>`)).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"><b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;1</p>',
    );
  });

  it('does not take a look-alike object for Html', () => {
    const fake = { toString: () => '<img src=x>' } as unknown as string;
    expect(toText(html`${fake}`)).toBe('&lt;img src=x&gt;');
  });
});

describe('siteNames', () => {
  it('keeps a valid id, makes any other safe and unique, and never clashes with the index', () => {
    const mesh = {
      products: [{ id: 'orders' }, { id: '../../etc/passwd' }, { id: 'Bad Id <x>' }, { id: 'orders' }],
      domains: [{ id: 'sales' }, { id: 'index' }],
    } as unknown as Mesh;
    const names = siteNames(mesh);
    expect(names.product('orders')).toBe('product-orders.html');
    expect(names.product('../../etc/passwd')).toMatch(/^product--etc-passwd-[0-9a-f]{8}\.html$/);
    expect(names.product('Bad Id <x>')).toMatch(/^product-bad-id-x--[0-9a-f]{8}\.html$/);
    expect(names.domain('index')).toBe('domain-index.html');
    expect(names.product('missing')).toBeUndefined();
  });
});

describe('the lineage diagram', () => {
  it('puts each product one column right of its deepest upstream, and a cycle in a last column', () => {
    const nodes = ['a', 'b', 'c', 'd', 'x', 'y'].map((id) => ({ id, label: id }));
    const edges = [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'a', to: 'c' },
      { from: 'x', to: 'y' },
      { from: 'y', to: 'x' },
    ];
    expect(Object.fromEntries(depths(nodes, edges))).toEqual({ a: 0, b: 1, c: 2, d: 0, x: 3, y: 3 });
  });

  it('escapes labels and ignores a colour class that is not one of its own', () => {
    const svg = toText(lineageSvg([{ id: 'a', label: '<script>', tint: 'x" onclick="alert(1)', href: 'product-a.html' }], [], 'T'));
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).not.toContain('onclick');
    expect(svg).toContain('<a href="product-a.html">');
  });
});

describe('buildDocsSite', () => {
  it('writes a domain colour into the style sheet only when it is a plain hex colour', async () => {
    const daff = (await loadSample('daff')).mesh;
    const [first, second, ...rest] = daff.domains;
    if (!first || !second) throw new Error('daff has domains');
    const mesh: Mesh = {
      ...daff,
      domains: [{ ...first, color: 'red; } body { display: none' }, { ...second, color: '#0a0B0c' }, ...rest],
    };
    const css = buildDocsSite(mesh, { minisearchScript: '' }).get('assets/site.css') ?? '';
    expect(css).not.toContain('red;');
    expect(css).not.toContain('body { display');
    expect(css).toContain('.d-1 { --domain: #0a0B0c; }');
    expect(css).not.toMatch(/\.d-0 \{/);
  });

  it("finds with the site's search what quanta discover finds: each query's first product is in discover's top 3", async () => {
    const daff = (await loadSample('daff')).mesh;
    const script = buildDocsSite(daff, { minisearchScript: '' }).get('assets/search-data.js') ?? '';
    const data = JSON.parse(script.replace(/^window\.QUANTA_DOCS = /, '').replace(/;\n$/, '')) as {
      index: Parameters<typeof MiniSearch.loadJS>[0];
      options: Parameters<typeof MiniSearch.loadJS>[1];
      searchOptions: Parameters<MiniSearch['search']>[1];
    };
    const site = MiniSearch.loadJS(data.index, data.options);
    for (const query of ['listner', 'personal', 'royalty_rate', 'Finance', 'email', 'podcast charts', 'genre', 'artist_share_eur']) {
      const first = site.search(query, data.searchOptions)[0]?.id as string | undefined;
      const top3 = searchProducts(daff, query, { limit: 3 }).map((r) => `product-${r.product}.html`);
      expect(top3, query).toContain(first);
    }
  });
});
