import type { Mesh } from '../../model/types.ts';
import type { PolicyResult } from './policyResult.ts';
import { appliesTo, type EffectivePolicy } from './policies.ts';

export interface ProductScore {
  readonly product: string;
  readonly domain: string;
  /** Policies that apply to the product (global ones not overridden in its domain, its domain's). */
  readonly policies: number;
  /** Of those, the ones it violates. */
  readonly violated: readonly string[];
  readonly blocking: number;
  readonly warnings: number;
  /** 0–100. */
  readonly score: number;
}

export interface DomainScore {
  readonly domain: string;
  readonly products: number;
  readonly blocking: number;
  readonly warnings: number;
  readonly score: number;
}

export interface GovernanceScore {
  /** 0–100: the mean of the products' scores (100 for a mesh without products or policies). */
  readonly score: number;
  readonly products: readonly ProductScore[];
  readonly domains: readonly DomainScore[];
}

// A blocking policy weighs twice a warning one: breaking it stops a publish.
const WEIGHT = { blocking: 2, warning: 1 } as const;

/**
 * The governance score: for each product, the weighted share of the policies that apply to it
 * which it satisfies (a policy counts once however many violations it has). Domains and the
 * mesh average their products. Policies that could not be evaluated do not count.
 */
export function governanceScore(mesh: Mesh, policies: readonly EffectivePolicy[], results: readonly PolicyResult[]): GovernanceScore {
  const evaluated = policies.filter((p) => results.some((r) => r.id === p.id && !r.error && !r.skipped));
  const products: ProductScore[] = mesh.products.map((product) => {
    const applicable = evaluated.filter((p) => appliesTo(p, product.domain));
    const hits = results.flatMap((r) => r.violations).filter((v) => v.product === product.id);
    const violated = applicable.filter((p) => hits.some((v) => v.policy === p.id));
    const total = applicable.reduce((sum, p) => sum + WEIGHT[p.severity], 0);
    const lost = violated.reduce((sum, p) => sum + WEIGHT[p.severity], 0);
    return {
      product: product.id,
      domain: product.domain,
      policies: applicable.length,
      violated: violated.map((p) => p.id),
      blocking: hits.filter((v) => v.severity === 'blocking').length,
      warnings: hits.filter((v) => v.severity === 'warning').length,
      score: total === 0 ? 100 : Math.round((100 * (total - lost)) / total),
    };
  });
  const domains: DomainScore[] = mesh.domains.map((domain) => {
    const mine = products.filter((p) => p.domain === domain.id);
    return {
      domain: domain.id,
      products: mine.length,
      blocking: mine.reduce((s, p) => s + p.blocking, 0),
      warnings: mine.reduce((s, p) => s + p.warnings, 0),
      score: mean(mine.map((p) => p.score)),
    };
  });
  return { score: mean(products.map((p) => p.score)), products, domains };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 100 : Math.round(values.reduce((a, b) => a + b, 0) / values.length);
}
