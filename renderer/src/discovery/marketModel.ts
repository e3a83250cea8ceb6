import type { AuditLog } from '../../../core/governance/access/queryAs.ts';
import { productTexts } from '../../../core/discovery/productText.ts';
import { rankProducts, type LiveUsage } from '../../../core/discovery/rank.ts';
import { LineageGraph } from '../../../core/lineage/lineageGraph.ts';
import type { Archetype, Mesh } from '../../../core/model/types.ts';
import type { ProductRun } from '../../../core/run/runTypes.ts';

/*
 * The marketplace's model (issue 16): the ranked cards of a mesh for a query and filters, with
 * what the latest runs say of each product. Pure, so Node tests read it as the view does.
 */

/** What the session's latest runs say of one product (RunFacts of core/discovery/rank.ts, plus its freshness). */
export interface ProductRunFacts {
  readonly product: string;
  readonly published: boolean;
  readonly checksPassed: number;
  readonly checksTotal: number;
  /** Every output port's freshness within its latency SLA; undefined when no port promises one or none published. */
  readonly slaMet?: boolean;
  /** The run's status word, for the badge: published, refused, failed, stale. */
  readonly status: ProductRun['status'];
  /** Newest published version of the product (0: never published). */
  readonly version: number;
}

export interface MarketFilters {
  readonly domain?: string;
  readonly archetype?: Archetype;
  readonly status?: string;
  readonly personal?: boolean;
  /** Only products whose latest run met (true) or missed (false) their freshness SLA; needs runs. */
  readonly slaMet?: boolean;
}

export interface MarketCard {
  readonly id: string;
  readonly name: string;
  readonly rank: number;
  readonly score: number;
  readonly domain: { readonly id: string; readonly name: string };
  readonly owner?: { readonly id: string; readonly name: string };
  readonly archetype?: string;
  readonly status?: string;
  /** What matched the query ('' for an empty query). */
  readonly why: string;
  /** Why this rank: the formula's factors for this product. */
  readonly whyRank: string;
  readonly rating?: { readonly mean: number; readonly count: number };
  readonly consumers: number;
  readonly readsPerTick: number;
  readonly personal: boolean;
  readonly freshness: Freshness;
  /** Possible duplicates: products whose output columns overlap strongly. */
  readonly similar: readonly { readonly product: string; readonly name: string; readonly moreUsed: boolean }[];
}

/** The freshness badge: from the latest run, else "not run yet". */
export interface Freshness {
  readonly tone: 'fresh' | 'late' | 'refused' | 'none';
  readonly text: string;
}

/** The options the filter menus offer, from the mesh. */
export interface FilterChoices {
  readonly domains: readonly { readonly id: string; readonly name: string }[];
  readonly archetypes: readonly string[];
  readonly statuses: readonly string[];
}

export function filterChoices(mesh: Mesh): FilterChoices {
  const facts = productTexts(mesh).map((t) => t.facts);
  return {
    domains: mesh.domains.map((d) => ({ id: d.id, name: d.name })),
    archetypes: [...new Set(facts.flatMap((f) => (f.archetype ? [f.archetype] : [])))].sort(),
    statuses: [...new Set(facts.flatMap((f) => f.statuses))].sort(),
  };
}

/** The run facts of the products that ran, from the runs slice's last runs and each port's freshness. */
export function runFactsOf(
  mesh: Mesh,
  lastRuns: Readonly<Record<string, { readonly last?: ProductRun } | undefined>>,
  freshness: (product: string, port: string) => { readonly late: boolean; readonly latencySeconds?: number } | undefined,
): ProductRunFacts[] {
  const facts: ProductRunFacts[] = [];
  for (const product of mesh.products) {
    const last = lastRuns[product.id]?.last;
    if (!last) continue;
    const promised = product.outputPorts
      .map((p) => freshness(product.id, p.name))
      .filter((f): f is { late: boolean; latencySeconds: number } => f?.latencySeconds !== undefined);
    facts.push({
      product: product.id,
      published: last.status === 'published',
      checksPassed: last.checks.filter((c) => c.passed).length,
      checksTotal: last.checks.length,
      ...(promised.length > 0 ? { slaMet: promised.every((f) => !f.late) } : {}),
      status: last.status,
      version: last.version,
    });
  }
  return facts;
}

export function freshnessOf(facts: ProductRunFacts | undefined): Freshness {
  if (!facts) return { tone: 'none', text: 'not run yet' };
  if (!facts.published) return { tone: 'refused', text: facts.version > 0 ? `${facts.status}, v${facts.version} stands` : facts.status };
  if (facts.slaMet === false) return { tone: 'late', text: `v${facts.version}, late` };
  return { tone: 'fresh', text: facts.slaMet === true ? `v${facts.version}, fresh` : `v${facts.version} published` };
}

/** Reads of each output port by its consumers' runs this session, from the run log (`${product}/${port}` → reads). */
export function liveReads(mesh: Mesh, log: readonly { readonly product?: string; readonly status?: string }[]): Map<string, number> {
  const lineage = new LineageGraph(mesh.products);
  const reads = new Map<string, number>();
  for (const entry of log) {
    if (entry.product === undefined || entry.status !== 'published') continue;
    for (const edge of lineage.edges)
      if (edge.to === entry.product) reads.set(`${edge.from}/${edge.outputPort}`, (reads.get(`${edge.from}/${edge.outputPort}`) ?? 0) + 1);
  }
  return reads;
}

/**
 * The marketplace's cards: the query's matches (every product for an empty query) after the
 * filters, ranked by core's rankProducts (relevance × trust × use, RANKING_FORMULA), with the
 * freshness badge of each product's latest run.
 */
export function marketCards(
  mesh: Mesh,
  query: string,
  filters: MarketFilters,
  runs: readonly ProductRunFacts[],
  live?: LiveUsage,
): MarketCard[] {
  const texts = new Map(productTexts(mesh).map((t) => [t.facts.id, t.facts]));
  const runsBy = new Map(runs.map((r) => [r.product, r]));
  const names = new Map(mesh.products.map((p) => [p.id, p.name]));
  const ranked = rankProducts(mesh, query, {
    filters,
    runs: runs.map(({ product, published, checksPassed, checksTotal, slaMet }) => ({
      product,
      published,
      checksPassed,
      checksTotal,
      ...(slaMet === undefined ? {} : { slaMet }),
    })),
    limit: mesh.products.length,
    ...(live ? { live } : {}),
  });
  return ranked.map((r) => {
    const product = mesh.products.find((p) => p.id === r.product);
    const facts = texts.get(r.product);
    return {
      id: r.product,
      name: product?.name ?? r.product,
      rank: r.rank,
      score: r.score,
      domain: { id: facts?.domain ?? '', name: facts?.domainName ?? facts?.domain ?? '' },
      ...(facts?.owner ? { owner: { id: facts.owner, name: facts.ownerName ?? facts.owner } } : {}),
      ...(facts?.archetype ? { archetype: facts.archetype } : {}),
      ...(product?.status ? { status: product.status } : {}),
      why: r.why,
      whyRank: r.whyRank,
      ...(r.rating ? { rating: r.rating } : {}),
      consumers: r.consumers,
      readsPerTick: r.readsPerTick,
      personal: facts?.personal ?? false,
      freshness: freshnessOf(runsBy.get(r.product)),
      similar: r.similar.map((s) => ({ product: s.product, name: names.get(s.product) ?? s.product, moreUsed: s.moreUsed === s.product })),
    };
  });
}

/** The session's persona queries per output port (`<product>/<port>`), from the audit log's successful reads: live use for the ranking. */
export function personaQueries(audit: Pick<AuditLog, 'usage'>): Map<string, number> {
  const out = new Map<string, number>();
  for (const u of audit.usage()) out.set(`${u.productId}/${u.port}`, (out.get(`${u.productId}/${u.port}`) ?? 0) + u.queries);
  return out;
}
