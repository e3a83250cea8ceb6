import { beforeAll, describe, expect, it } from 'vitest';
import { rankProducts, RANKING_FORMULA, similarProducts, type RankedResult, type RunFacts } from '../../core/discovery/rank.ts';
import { runFactsOf } from '../../core/discovery/runFacts.ts';
import type { SearchFilters } from '../../core/discovery/search.ts';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import type { Mesh } from '../../core/model/types.ts';
import { loadSample, sampleInMemory } from '../helpers.ts';

/*
 * Ranking = relevance × trust × use (core/discovery/rank.ts) moves the way the issue says:
 * more reads and better ratings rank a product higher, worse ones lower; similar products point
 * at the more used one; hostile counts stay bounded; and the search relevance set over daff
 * (searchRelevance.test.ts) keeps its expected product in the top 3 once use and ratings count.
 */

const { files: hello } = await sampleInMemory('hello-mesh');
const { files: retailFiles } = await sampleInMemory('retail');

async function mesh(base: Record<string, string | Uint8Array>, extra: Record<string, string> = {}): Promise<Mesh> {
  const loaded = await loadMesh(new MemoryFileSystem({ ...base, ...extra }));
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.mesh;
}

const usage = (product: string, port: string, reads: number, ticks = 10, queries = ''): string =>
  `kind: Usage\nproduct: ${product}\nticks: ${ticks}\nports:\n  - port: ${port}\n    reads: ${reads}\n${queries === '' ? '' : `    queries: { ${queries} }\n`}`;
const feedback = (product: string, ratings: readonly number[]): string =>
  `kind: Feedback\nproduct: ${product}\nentries:\n${ratings.map((r, i) => `  - team: finance-team\n    rating: ${r}\n    date: 2026-11-${String((i % 28) + 1).padStart(2, '0')}\n`).join('')}`;

function result(results: readonly RankedResult[], product: string): RankedResult {
  const found = results.find((r) => r.product === product);
  if (!found) throw new Error(`${product} is not ranked`);
  return found;
}

describe('ranking: the direction of each factor', () => {
  it('lists every product for an empty query, ranked by trust × use, orders (read by daily-revenue) first', async () => {
    const ranked = rankProducts(await mesh(hello), '');
    expect(ranked.map((r) => [r.rank, r.product, r.relevance, r.why])).toEqual([
      [1, 'orders', 1, ''],
      [2, 'daily-revenue', 1, ''],
    ]);
    expect(result(ranked, 'orders').consumers).toBe(1);
    expect(result(ranked, 'orders').whyRank).toBe('trust 1.17 (no ratings, active) × use 1.3 (1 consumer, 0 reads/tick)');
  });

  it('ranks a product higher when its usage file counts more reads, and lower again when they drop', async () => {
    const base = rankProducts(await mesh(hello), '');
    const read = rankProducts(await mesh(hello, { 'usage/daily-revenue.usage.yaml': usage('daily-revenue', 'daily_revenue', 400) }), '');
    expect(result(read, 'daily-revenue').use).toBeGreaterThan(result(base, 'daily-revenue').use);
    expect(result(read, 'daily-revenue').readsPerTick).toBe(40);
    expect(read.map((r) => r.product)).toEqual(['daily-revenue', 'orders']);
    expect(result(read, 'daily-revenue').whyRank).toContain('40 reads/tick');
    const fewer = rankProducts(await mesh(hello, { 'usage/daily-revenue.usage.yaml': usage('daily-revenue', 'daily_revenue', 4) }), '');
    expect(result(fewer, 'daily-revenue').use).toBeLessThan(result(read, 'daily-revenue').use);
    expect(fewer.map((r) => r.product)).toEqual(['orders', 'daily-revenue']);
  });

  it('counts persona queries and the live session as use too', async () => {
    const base = await mesh(hello);
    const queried = await mesh(hello, {
      'usage/daily-revenue.usage.yaml': usage('daily-revenue', 'daily_revenue', 0, 10, 'finance-analyst: 50'),
    });
    expect(result(rankProducts(queried, ''), 'daily-revenue').queriesPerTick).toBe(5);
    expect(result(rankProducts(queried, ''), 'daily-revenue').use).toBeGreaterThan(result(rankProducts(base, ''), 'daily-revenue').use);
    const live = rankProducts(base, '', { live: { reads: new Map([['daily-revenue/daily_revenue', 30]]), ticks: 3 } });
    expect(result(live, 'daily-revenue').readsPerTick).toBe(10);
    expect(live[0]?.product).toBe('daily-revenue');
  });

  it('ranks a product higher with better ratings and lower with worse ones', async () => {
    const base = result(rankProducts(await mesh(hello), ''), 'daily-revenue');
    const liked = result(
      rankProducts(await mesh(hello, { 'feedback/daily-revenue.feedback.yaml': feedback('daily-revenue', [5, 5, 4]) }), ''),
      'daily-revenue',
    );
    const disliked = result(
      rankProducts(await mesh(hello, { 'feedback/daily-revenue.feedback.yaml': feedback('daily-revenue', [1, 2, 1]) }), ''),
      'daily-revenue',
    );
    expect(liked.trust).toBeGreaterThan(base.trust);
    expect(disliked.trust).toBeLessThan(base.trust);
    expect(liked.rating).toEqual({ mean: 14 / 3, count: 3 });
    expect(liked.whyRank).toContain('4.7★ from 3');
    // Bounded: trust stays within 0.5..1.5 however the ratings go.
    for (const r of [base, liked, disliked]) {
      expect(r.trust).toBeGreaterThanOrEqual(0.5);
      expect(r.trust).toBeLessThanOrEqual(1.5);
    }
  });

  it('lets many ratings move a product further than one (the Bayesian prior)', async () => {
    const one = result(rankProducts(await mesh(hello, { 'feedback/orders.feedback.yaml': feedback('orders', [5]) }), ''), 'orders');
    const ten = result(
      rankProducts(await mesh(hello, { 'feedback/orders.feedback.yaml': feedback('orders', Array(10).fill(5)) }), ''),
      'orders',
    );
    expect(ten.trust).toBeGreaterThan(one.trust);
    expect(one.trust).toBeLessThan(1.5);
  });

  it('trusts a product less whose last run failed checks, and filters on the SLA when runs say so', async () => {
    const m = await mesh(hello);
    const runs: RunFacts[] = [
      { product: 'orders', published: true, checksPassed: 9, checksTotal: 9, slaMet: true },
      { product: 'daily-revenue', published: false, checksPassed: 3, checksTotal: 6, slaMet: false },
    ];
    const ranked = rankProducts(m, '', { runs });
    expect(result(ranked, 'orders').trust).toBeGreaterThan(result(rankProducts(m, ''), 'orders').trust);
    expect(result(ranked, 'daily-revenue').trust).toBeLessThan(result(rankProducts(m, ''), 'daily-revenue').trust);
    expect(result(ranked, 'daily-revenue').whyRank).toContain('checks 3/6, not published, SLA missed');
    expect(rankProducts(m, '', { runs, filters: { slaMet: true } }).map((r) => r.product)).toEqual(['orders']);
    expect(rankProducts(m, '', { runs, filters: { slaMet: false } }).map((r) => r.product)).toEqual(['daily-revenue']);
    // No runs, no SLA known: the filter keeps nothing rather than guess.
    expect(rankProducts(m, '', { filters: { slaMet: true } })).toEqual([]);
  });

  it('reads run facts from the latest runs and the freshness of each port with an SLA', async () => {
    const m = await mesh(hello);
    const latest = new Map([
      ['orders', { status: 'published' as const, checks: [{ passed: true }, { passed: true }] }],
      ['daily-revenue', { status: 'refused' as const, checks: [{ passed: true }, { passed: false }] }],
    ]);
    const facts = runFactsOf(m, latest, (product) => ({ ageSeconds: 10, latencySeconds: 3600, late: product === 'daily-revenue' }));
    expect(facts).toEqual(
      [
        { product: 'daily-revenue', published: false, checksPassed: 1, checksTotal: 2, slaMet: false },
        { product: 'orders', published: true, checksPassed: 2, checksTotal: 2, slaMet: true },
      ].sort((a, b) => m.products.findIndex((p) => p.id === a.product) - m.products.findIndex((p) => p.id === b.product)),
    );
    expect(runFactsOf(m, latest, () => undefined).every((f) => f.slaMet === undefined)).toBe(true);
  });

  it('documents the formula it applies', () => {
    expect(RANKING_FORMULA).toMatch(/relevance × trust × use/);
    expect(RANKING_FORMULA).toMatch(/log10/);
  });
});

describe('ranking: similar products', () => {
  it('flags online-orders and store-orders of retail, pointing at the more used one', async () => {
    const retail = await mesh(retailFiles);
    const [similar] = similarProducts(retail, 'store-orders');
    expect(similar).toMatchObject({ product: 'online-orders', moreUsed: 'online-orders' });
    expect(similar?.columns).toEqual(['amounteur', 'customerid', 'lineno', 'quantity', 'sku', 'unitpriceeur']);
    expect(similar?.overlap).toBeCloseTo(6 / 18);
    expect(similarProducts(retail, 'online-orders')[0]).toMatchObject({ product: 'store-orders', moreUsed: 'online-orders' });
    expect(result(rankProducts(retail, 'orders'), 'store-orders').similar[0]?.moreUsed).toBe('online-orders');
  });

  it('points at the other one when the usage files turn round', async () => {
    const turned = await mesh(retailFiles, {
      'usage/store-orders.usage.yaml': usage('store-orders', 'store_sales', 100_000, 720),
      'usage/online-orders.usage.yaml': usage('online-orders', 'online_order_lines', 0, 720),
    });
    expect(similarProducts(turned, 'online-orders')[0]?.moreUsed).toBe('store-orders');
  });

  it('does not flag a product that carries its upstream’s columns forward (lineage, not a duplicate)', async () => {
    const daff = (await loadSample('daff')).mesh;
    // listener-profiles reads listener-registrations and shares seven of its columns.
    expect(similarProducts(daff, 'listener-profiles')).toEqual([]);
    expect(rankProducts(daff, '').every((r) => r.similar.length === 0)).toBe(true);
  });
});

describe('ranking: hostile values', () => {
  it('keeps use at most 3 and every score finite for the largest counts a usage file may hold', async () => {
    const huge = await mesh(hello, {
      'usage/daily-revenue.usage.yaml': usage(
        'daily-revenue',
        'daily_revenue',
        Number.MAX_SAFE_INTEGER,
        1,
        `finance-analyst: ${Number.MAX_SAFE_INTEGER}`,
      ),
    });
    const ranked = rankProducts(huge, 'revenue', { live: { reads: new Map([['daily-revenue/daily_revenue', Number.MAX_VALUE]]) } });
    expect(result(ranked, 'daily-revenue').use).toBe(3);
    for (const r of ranked) expect(Number.isFinite(r.score)).toBe(true);
  });

  it('reads a status of "constructor" and a persona "__proto__" as the words they are', async () => {
    const odcs = 'domains/sales/orders/orders.odcs.yaml';
    const loaded = await loadMesh(
      new MemoryFileSystem({
        ...hello,
        [odcs]: new TextDecoder().decode(hello[odcs] as Uint8Array).replace('status: active', 'status: constructor'),
        'usage/orders.usage.yaml': usage('orders', 'orders', 0, 10, '__proto__: 50'),
      }),
    );
    const orders = result(rankProducts(loaded.mesh, ''), 'orders');
    expect(orders.trust).toBeCloseTo(0.5 + (2 * 0.5 + 0.5) / 3);
    expect(orders.queriesPerTick).toBe(5);
    expect(loaded.diagnostics.map((d) => d.code)).toContain('QUANTA_E091');
  });

  it('ranks a product with 10,000 feedback entries, and 150 look-alike products without comparing every pair', async () => {
    const many = await mesh(hello, {
      'feedback/orders.feedback.yaml': feedback(
        'orders',
        Array.from({ length: 10_000 }, (_, i) => (i % 5) + 1),
      ),
    });
    expect(result(rankProducts(many, ''), 'orders').rating).toEqual({ mean: 3, count: 10_000 });

    // 150 products with the same columns: each name is held by more than 20 products (and a tenth of
    // them), too common to tell them apart, so no pair is compared (and none flagged) rather than 11,175.
    const text = (path: string): string => new TextDecoder().decode(hello[path] as Uint8Array);
    const wide: Record<string, string> = {};
    for (let i = 0; i < 150; i++) {
      const dir = `domains/sales/p${i}`;
      wide[`${dir}/product.odps.yaml`] = text('domains/sales/orders/product.odps.yaml')
        .replace('id: orders', `id: p${i}`)
        .replace('contractId: hello.sales.orders', `contractId: p${i}.orders`);
      wide[`${dir}/orders.odcs.yaml`] = text('domains/sales/orders/orders.odcs.yaml').replace('id: hello.sales.orders', `id: p${i}.orders`);
    }
    const big = (await loadMesh(new MemoryFileSystem({ ...hello, ...wide }))).mesh;
    expect(big.products.length).toBe(152);
    expect(big.products.find((p) => p.id === 'p149')?.outputPorts[0]?.contract?.tables[0]?.columns.length).toBeGreaterThan(3);
    const ranked = rankProducts(big, '', { limit: 500 });
    expect(ranked).toHaveLength(big.products.length);
    expect(ranked.every((r) => r.similar.length === 0)).toBe(true);
  });
});

interface Case {
  readonly query: string;
  readonly expected: string;
  readonly filters?: SearchFilters;
}

/** searchRelevance.test.ts's set over daff (without the tagged variant), now through the ranking. */
const CASES: readonly Case[] = [
  { query: 'isrc', expected: 'music-catalog' },
  { query: 'payout_status', expected: 'artist-royalties' },
  { query: 'contact_email', expected: 'artist-onboarding' },
  { query: 'skip_rate', expected: 'listener-music-profiles' },
  { query: 'curator', expected: 'playlists' },
  { query: 'finance-team', expected: 'artist-royalties' },
  { query: 'songs-team', expected: 'music-catalog' },
  { query: 'Media player', expected: 'play-events' },
  { query: 'personal', expected: 'listener-registrations' },
  { query: 'personal', expected: 'listener-profiles' },
  { query: 'recommendations', expected: 'listener-music-profiles' },
  { query: 'subscriptions', expected: 'subscriptions' },
  { query: 'onboarded_artists', expected: 'artist-onboarding' },
  { query: 'listener_music_features', expected: 'listener-music-profiles' },
  { query: 'session_tracks', expected: 'play-sessions' },
  { query: 'lapsed', expected: 'listener-profiles' },
  { query: 'pay-per-stream', expected: 'artist-royalties' },
  { query: 'editorial', expected: 'playlists' },
  { query: 'sign-up', expected: 'listener-registrations' },
  { query: 'royalites', expected: 'artist-royalties' },
  { query: 'podcsts', expected: 'top-daily-podcasts' },
  { query: 'subscriptoin', expected: 'subscriptions' },
  { query: 'emerg', expected: 'emerging-artists' },
  { query: 'playl', expected: 'playlists' },
  { query: 'royal', expected: 'artist-royalties' },
  { query: 'listener', expected: 'podcast-listeners', filters: { domain: 'podcasts', archetype: 'aggregate' } },
  { query: 'email', expected: 'listener-registrations', filters: { domain: 'Listeners', archetype: 'source-aligned', personal: true } },
  { query: 'artist', expected: 'artist-onboarding', filters: { personal: true } },
];

describe('ranking keeps search relevance first over daff, with its shipped feedback and usage', () => {
  let daff: Mesh;
  beforeAll(async () => {
    daff = (await loadSample('daff')).mesh;
    expect(daff.feedback.length).toBeGreaterThan(0);
    expect(daff.usage.length).toBeGreaterThan(0);
  });

  it.each(CASES)('"$query" ranks $expected in the top 3', ({ query, expected, filters }) => {
    const top = rankProducts(daff, query, filters ? { filters } : {})
      .slice(0, 3)
      .map((r) => r.product);
    expect(top, `top 3 were ${top.join(', ')}`).toContain(expected);
  });
});
