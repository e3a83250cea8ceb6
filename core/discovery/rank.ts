import { LineageGraph } from '../lineage/lineageGraph.ts';
import type { DataProduct, Mesh } from '../model/types.ts';
import { productsMatching, searchProducts, type SearchFilters, type SearchOptions } from './search.ts';
import { similarPairs } from './similar.ts';

/*
 * The marketplace's ranking (issue 16): relevance × trust × use. Relevance is search's score;
 * trust and use are bounded factors (0.5..1.5 and 1..3) so that what a query matched still
 * decides most of the order, and use and satisfaction break the ties between comparable
 * matches — duplicates fade without a central gate. RANKING_FORMULA is the documentation.
 */

export interface LiveUsage {
  /** Key `${product}/${port}` (an output port) → reads this session. */
  readonly reads?: ReadonlyMap<string, number>;
  /** Same key → persona queries this session. */
  readonly queries?: ReadonlyMap<string, number>;
  /** Ticks the session's counts cover; 1 when absent. */
  readonly ticks?: number;
}

/** From the latest runs, when there are any. */
export interface RunFacts {
  readonly product: string;
  readonly published: boolean;
  readonly checksPassed: number;
  readonly checksTotal: number;
  readonly slaMet?: boolean;
}

export interface RankOptions extends SearchOptions {
  readonly live?: LiveUsage;
  readonly runs?: readonly RunFacts[];
  readonly filters?: SearchFilters & { readonly slaMet?: boolean };
}

export interface SimilarProduct {
  readonly product: string;
  /** Jaccard overlap of the two products' output column names, 0..1. */
  readonly overlap: number;
  /** The shared column names (normalised). */
  readonly columns: readonly string[];
  /** The product id of the pair that is used more. */
  readonly moreUsed: string;
}

export interface RankedResult {
  readonly product: string;
  /** 1-based. */
  readonly rank: number;
  /** relevance × trust × use. */
  readonly score: number;
  readonly relevance: number;
  readonly trust: number;
  readonly use: number;
  /** Search's why (what matched); '' for an empty query. */
  readonly why: string;
  /** e.g. `relevance 12.4 × trust 0.92 (4.5★ from 6, checks 18/18) × use 1.8 (3 consumers, 8 reads/tick)`. */
  readonly whyRank: string;
  readonly rating?: { readonly mean: number; readonly count: number };
  /** Consumer products of its output ports (lineage). */
  readonly consumers: number;
  readonly readsPerTick: number;
  /** Persona queries per tick (usage files and the live session). */
  readonly queriesPerTick: number;
  readonly similar: readonly SimilarProduct[];
}

/** Bayesian smoothing: every product starts with this many ratings of `PRIOR_RATING`. */
export const PRIOR_RATING = 3;
export const PRIOR_WEIGHT = 3;
/** Contract (or product) status → how much a consumer may rely on it, 0..1. */
// A Map, not an object literal: a status of "constructor" or "__proto__" must find nothing.
const STATUS_TRUST: ReadonlyMap<string, number> = new Map([
  ['active', 1],
  ['released', 1],
  ['draft', 0.6],
  ['proposed', 0.6],
  ['deprecated', 0.2],
  ['retired', 0],
]);
const UNKNOWN_STATUS_TRUST = 0.5;
const MAX_USE = 3;
const DEFAULT_LIMIT = 20;

export const RANKING_FORMULA =
  'score = relevance × trust × use. Relevance is the search score (BM25 over names, columns, tags, owners and descriptions; 1 for an empty query). ' +
  'trust = 0.5 + t, from 0.5 to 1.5, where t is the weighted mean of: satisfaction (weight 2) = (m − 1) / 4 with m the Bayesian mean rating ' +
  `(${PRIOR_WEIGHT} imaginary ratings of ${PRIOR_RATING}★ added to the real ones, so few ratings stay near neutral); ` +
  'contract status (weight 1: active 1, draft 0.6, deprecated 0.2, retired 0, other 0.5; the mean over its output contracts); ' +
  'and, when the product has run, checks passed / checks total (weight 1, at most 0.5 when its last run did not publish) and SLA met (weight 1: 1 or 0). ' +
  'use = min(3, 1 + log10(1 + consumers + reads per tick + persona queries per tick)), from 1 to 3: consumers are the products reading its output ports (lineage), ' +
  'reads and queries per tick come from usage/<product>.usage.yaml plus the running session. ' +
  'Ties go to the product id in alphabetical order.';

interface Factors {
  readonly trust: number;
  readonly use: number;
  readonly trustWhy: string;
  readonly useWhy: string;
  readonly rating?: { readonly mean: number; readonly count: number };
  readonly consumers: number;
  readonly readsPerTick: number;
  readonly queriesPerTick: number;
}

/** Empty query → every product (after filters) ranked by trust × use: the marketplace's default list. */
export function rankProducts(mesh: Mesh, query: string, options: RankOptions = {}): RankedResult[] {
  const limit = Math.max(0, Math.floor(options.limit ?? DEFAULT_LIMIT));
  const { slaMet, ...filters } = options.filters ?? {};
  const empty = query.trim() === '';
  const hits = empty
    ? productsMatching(mesh, filters).map((product) => ({ product, relevance: 1, why: '' }))
    : searchProducts(mesh, query, { filters, limit: mesh.products.length }).map((r) => ({
        product: r.product,
        relevance: r.score,
        why: r.why,
      }));
  const runs = runsByProduct(options.runs);
  const context = contextOf(mesh);
  const kept = slaMet === undefined ? hits : hits.filter((h) => runs.get(h.product)?.slaMet === slaMet);
  const scored = kept.map((hit) => {
    const factors = factorsOf(context, hit.product, options, runs);
    return { hit, factors, score: hit.relevance * factors.trust * factors.use };
  });
  scored.sort((a, b) => b.score - a.score || (a.hit.product < b.hit.product ? -1 : a.hit.product > b.hit.product ? 1 : 0));
  return scored.slice(0, limit).map(({ hit, factors, score }, i) => ({
    product: hit.product,
    rank: i + 1,
    score,
    relevance: hit.relevance,
    trust: factors.trust,
    use: factors.use,
    why: hit.why,
    whyRank: `${empty ? '' : `relevance ${round(hit.relevance)} × `}trust ${round(factors.trust)} (${factors.trustWhy}) × use ${round(factors.use)} (${factors.useWhy})`,
    ...(factors.rating ? { rating: factors.rating } : {}),
    consumers: factors.consumers,
    readsPerTick: factors.readsPerTick,
    queriesPerTick: factors.queriesPerTick,
    similar: similarOf(context, hit.product, options, runs),
  }));
}

/** Products whose output columns overlap strongly with this one's (core/discovery/similar.ts), most overlapping first. */
export function similarProducts(mesh: Mesh, product: string, options: RankOptions = {}): SimilarProduct[] {
  return similarOf(contextOf(mesh), product, options, runsByProduct(options.runs));
}

interface Context {
  readonly mesh: Mesh;
  readonly products: ReadonlyMap<string, DataProduct>;
  readonly lineage: LineageGraph;
  /** Σ reads, Σ queries and ticks of the usage files, by product. */
  readonly usage: ReadonlyMap<string, { reads: number; queries: number; ticks: number }>;
  /** Σ ratings and their count, by product. */
  readonly ratings: ReadonlyMap<string, { sum: number; count: number }>;
}

const contexts = new WeakMap<Mesh, Context>();

/** What ranking needs of a mesh, worked out once per mesh (a mesh is immutable). */
function contextOf(mesh: Mesh): Context {
  const known = contexts.get(mesh);
  if (known) return known;
  const products = new Map<string, DataProduct>();
  for (const p of mesh.products) if (!products.has(p.id)) products.set(p.id, p);
  const usage = new Map<string, { reads: number; queries: number; ticks: number }>();
  for (const file of mesh.usage) {
    const ports = new Set(products.get(file.product)?.outputPorts.map((p) => p.name));
    const total = usage.get(file.product) ?? { reads: 0, queries: 0, ticks: 0 };
    for (const port of file.ports) {
      if (!ports.has(port.port)) continue;
      total.reads += port.reads;
      for (const n of Object.values(port.queries)) total.queries += n;
    }
    total.ticks += file.ticks;
    usage.set(file.product, total);
  }
  const ratings = new Map<string, { sum: number; count: number }>();
  for (const file of mesh.feedback) {
    const total = ratings.get(file.product) ?? { sum: 0, count: 0 };
    for (const entry of file.entries) {
      total.sum += entry.rating;
      total.count += 1;
    }
    ratings.set(file.product, total);
  }
  const context: Context = { mesh, products, lineage: new LineageGraph(mesh.products), usage, ratings };
  contexts.set(mesh, context);
  return context;
}

function runsByProduct(runs: readonly RunFacts[] | undefined): ReadonlyMap<string, RunFacts> {
  return new Map((runs ?? []).map((r) => [r.product, r]));
}

function factorsOf(context: Context, id: string, options: RankOptions, runs: ReadonlyMap<string, RunFacts>): Factors {
  const product = context.products.get(id);
  const parts: { value: number; weight: number }[] = [];
  const trustWhy: string[] = [];

  const rated = context.ratings.get(id) ?? { sum: 0, count: 0 };
  const smoothed = (PRIOR_WEIGHT * PRIOR_RATING + rated.sum) / (PRIOR_WEIGHT + rated.count);
  parts.push({ value: (smoothed - 1) / 4, weight: 2 });
  const rating = rated.count > 0 ? { mean: rated.sum / rated.count, count: rated.count } : undefined;
  trustWhy.push(rating ? `${round(rating.mean, 1)}★ from ${rating.count}` : 'no ratings');

  const statuses = (product?.outputPorts ?? []).flatMap((p) => (p.contract ? [p.contract.status.toLowerCase()] : []));
  if (statuses.length === 0 && product) statuses.push(product.status.toLowerCase());
  const statusTrust = statuses.length === 0 ? UNKNOWN_STATUS_TRUST : mean(statuses.map((s) => STATUS_TRUST.get(s) ?? UNKNOWN_STATUS_TRUST));
  parts.push({ value: statusTrust, weight: 1 });
  trustWhy.push(statuses.length === 0 ? 'no status' : [...new Set(statuses)].join('/'));

  const run = runs.get(id);
  if (run) {
    const ratio = run.checksTotal > 0 ? clamp01(run.checksPassed / run.checksTotal) : 1;
    parts.push({ value: run.published ? ratio : Math.min(ratio, 0.5), weight: 1 });
    trustWhy.push(run.checksTotal > 0 ? `checks ${run.checksPassed}/${run.checksTotal}` : 'no checks');
    if (!run.published) trustWhy.push('not published');
    if (run.slaMet !== undefined) {
      parts.push({ value: run.slaMet ? 1 : 0, weight: 1 });
      trustWhy.push(run.slaMet ? 'SLA met' : 'SLA missed');
    }
  }
  const weights = parts.reduce((sum, p) => sum + p.weight, 0);
  const trust = 0.5 + parts.reduce((sum, p) => sum + p.value * p.weight, 0) / weights;

  const consumers = context.lineage.downstream(id).length;
  const filed = context.usage.get(id) ?? { reads: 0, queries: 0, ticks: 0 };
  const live = liveOf(product, options.live);
  const ticks = filed.ticks + (live.counted ? live.ticks : 0);
  const readsPerTick = ticks > 0 ? (filed.reads + live.reads) / ticks : 0;
  const queriesPerTick = ticks > 0 ? (filed.queries + live.queries) / ticks : 0;
  const activity = consumers + readsPerTick + queriesPerTick;
  const use = Math.min(MAX_USE, 1 + Math.log10(1 + (Number.isFinite(activity) ? activity : Number.MAX_VALUE)));
  const useWhy = [
    `${consumers} consumer${consumers === 1 ? '' : 's'}`,
    `${perTick(readsPerTick)} reads/tick`,
    ...(queriesPerTick > 0 ? [`${perTick(queriesPerTick)} queries/tick`] : []),
  ].join(', ');

  return { trust, use, trustWhy: trustWhy.join(', '), useWhy, ...(rating ? { rating } : {}), consumers, readsPerTick, queriesPerTick };
}

function liveOf(
  product: DataProduct | undefined,
  live: LiveUsage | undefined,
): { reads: number; queries: number; ticks: number; counted: boolean } {
  let reads = 0;
  let queries = 0;
  let counted = false;
  for (const port of product?.outputPorts ?? []) {
    const key = `${product?.id ?? ''}/${port.name}`;
    const r = live?.reads?.get(key);
    const q = live?.queries?.get(key);
    if (r !== undefined && Number.isFinite(r) && r > 0) {
      reads += r;
      counted = true;
    }
    if (q !== undefined && Number.isFinite(q) && q > 0) {
      queries += q;
      counted = true;
    }
  }
  const ticks = live?.ticks !== undefined && Number.isFinite(live.ticks) && live.ticks >= 1 ? live.ticks : 1;
  return { reads, queries, ticks, counted };
}

function similarOf(context: Context, id: string, options: RankOptions, runs: ReadonlyMap<string, RunFacts>): SimilarProduct[] {
  const pairs = similarPairs(context.mesh, context.lineage).get(id) ?? [];
  return pairs.map((pair) => {
    const mine = factorsOf(context, id, options, runs);
    const theirs = factorsOf(context, pair.product, options, runs);
    const moreUsed =
      theirs.use > mine.use ||
      (theirs.use === mine.use && (theirs.trust > mine.trust || (theirs.trust === mine.trust && pair.product < id)))
        ? pair.product
        : id;
    return { product: pair.product, overlap: pair.overlap, columns: pair.columns, moreUsed };
  });
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}

/** A rate as a person reads it: 4, 2.5, 0.13 — never 0 for something that happens. */
function perTick(n: number): string {
  return round(n, n < 1 ? 2 : 1);
}

function round(n: number, digits = 2): string {
  return String(Number(n.toFixed(digits)));
}
