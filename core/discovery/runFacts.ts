import type { Mesh } from '../model/types.ts';
import type { Freshness, ProductStatus } from '../run/runTypes.ts';
import type { RunFacts } from './rank.ts';

/**
 * What runs say of each product for the ranking (rank.ts `RunFacts`): its latest run's publish
 * and checks, and whether every output port with a freshness SLA meets it now. The CLI passes
 * a run session's reports; the app its latest run per product; `freshness` is MeshRuntime's.
 */
export function runFactsOf(
  mesh: Mesh,
  latest: ReadonlyMap<string, { readonly status: ProductStatus; readonly checks: readonly { readonly passed: boolean }[] }>,
  freshness: (product: string, port: string) => Freshness | undefined,
): RunFacts[] {
  return mesh.products.flatMap((product) => {
    const run = latest.get(product.id);
    if (!run) return [];
    const judged = product.outputPorts.flatMap((port) => {
      const fresh = freshness(product.id, port.name);
      return fresh?.latencySeconds === undefined ? [] : [!fresh.late];
    });
    return [
      {
        product: product.id,
        published: run.status === 'published',
        checksPassed: run.checks.filter((c) => c.passed).length,
        checksTotal: run.checks.length,
        ...(judged.length > 0 ? { slaMet: judged.every(Boolean) } : {}),
      },
    ];
  });
}
