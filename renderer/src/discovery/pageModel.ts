import { buildProductPage, type ProductPage, type ProductPageFacts } from '../../../core/discovery/productPage.ts';
import type { QueryTarget } from '../../../core/governance/access/queryAs.ts';
import type { Mesh } from '../../../core/model/types.ts';
import type { Freshness, PortVersion, ProductRun } from '../../../core/run/runTypes.ts';
import type { ProductRunFacts } from './marketModel.ts';

export type { PortPage, ProductPage } from '../../../core/discovery/productPage.ts';

/*
 * The product page's model in the app: core's buildProductPage (the same page as `quanta docs`)
 * with what this session's runs measured — versions, the latest checks, freshness, the scorecard.
 */

/** What the session's runtime knows of the products (MeshRuntime satisfies it). */
export interface SessionRuns {
  lastRun(product: string): ProductRun | undefined;
  latestVersion(product: string, port: string): Omit<PortVersion, 'ipc'> | undefined;
  freshness(product: string, port: string): Freshness | undefined;
  history(product: string, port: string): readonly PortVersion[];
}

/** The store's query target is the document's MeshRuntime: it also answers for runs, versions and freshness. */
export function sessionRuns(target: QueryTarget | undefined): (QueryTarget & SessionRuns) | undefined {
  return target && 'history' in target && 'freshness' in target && 'lastRun' in target && 'latestVersion' in target
    ? (target as QueryTarget & SessionRuns)
    : undefined;
}

/** The run facts buildProductPage takes, gathered from the runtime for the product and its ports. */
export function pageFacts(
  mesh: Mesh,
  productId: string,
  runtime: SessionRuns | undefined,
  runs: readonly ProductRunFacts[],
): ProductPageFacts {
  const product = mesh.products.find((p) => p.id === productId);
  if (!runtime || !product) return {};
  const last = runtime.lastRun(productId);
  const ports = product.outputPorts.map((p) => p.name);
  return {
    runs,
    portVersions: ports.flatMap((port) =>
      runtime.history(productId, port).map((v) => ({
        product: productId,
        port,
        version: v.version,
        at: v.simulatedAt,
        rows: v.rows,
        ...(v.contract ? { contractVersion: v.contract.version } : {}),
      })),
    ),
    // The contract each version published under, once per contract version: the page lists the changes between them.
    contractFiles: ports.flatMap((port) => {
      const seen = new Map<string, NonNullable<PortVersion['contract']>['file']>();
      for (const v of runtime.history(productId, port))
        if (v.contract && !seen.has(v.contract.version)) seen.set(v.contract.version, v.contract.file);
      return [...seen].map(([contractVersion, file]) => ({ product: productId, port, contractVersion, file }));
    }),
    qualityResults: (last?.checks ?? []).map((c) => ({
      product: productId,
      port: c.port,
      rule: c.id,
      passed: c.passed,
      detail: c.message,
    })),
    freshness: ports.flatMap((port) => {
      const f = runtime.freshness(productId, port);
      return f ? [{ product: productId, port, ageText: ageText(f.ageSeconds), met: !f.late }] : [];
    }),
    scorecard: { runs: runtime },
  };
}

/** The page of one product with the session's runs; undefined when the mesh has no such product. */
export function productPageOf(
  mesh: Mesh,
  productId: string,
  runtime: SessionRuns | undefined,
  runs: readonly ProductRunFacts[],
): ProductPage | undefined {
  return buildProductPage(mesh, productId, pageFacts(mesh, productId, runtime, runs));
}

/** Simulated seconds in words: 40 s, 12 min, 5 h, 2 d. */
export function ageText(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}
