import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';
import type { LoadedMesh } from '../../../core/load/loadMesh.ts';
import type { DataProduct, Domain } from '../../../core/model/types.ts';

export interface MeshSummary {
  readonly title: string;
  readonly description: string;
  readonly domainCount: number;
  readonly productCount: number;
  readonly errors: number;
  readonly warnings: number;
}

export function summarize(folder: string, { mesh, diagnostics }: LoadedMesh): MeshSummary {
  return {
    title: mesh.manifest?.title || folder,
    description: mesh.manifest?.description ?? '',
    domainCount: mesh.domains.length,
    productCount: mesh.products.length,
    errors: count(diagnostics, 'error'),
    warnings: count(diagnostics, 'warning'),
  };
}

export function statusText(summary: MeshSummary): string {
  if (summary.errors > 0) return plural(summary.errors, 'error');
  return summary.warnings > 0 ? `valid, ${plural(summary.warnings, 'warning')}` : 'valid';
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface DomainGroup {
  /** Undefined for products whose domain folder has no valid domain.yaml. */
  readonly domain: Domain | undefined;
  readonly products: readonly DataProduct[];
}

/** Products under their domain, in folder order; products of an undeclared domain come last. */
export function groupByDomain(domains: readonly Domain[], products: readonly DataProduct[]): DomainGroup[] {
  const groups: DomainGroup[] = domains.map((domain) => ({
    domain,
    products: products.filter((p) => p.dir.startsWith(`${domain.dir}/`)),
  }));
  const placed = new Set(groups.flatMap((g) => g.products));
  const orphans = products.filter((p) => !placed.has(p));
  return orphans.length > 0 ? [...groups, { domain: undefined, products: orphans }] : groups;
}

function count(diagnostics: readonly Diagnostic[], severity: Diagnostic['severity']): number {
  return diagnostics.filter((d) => d.severity === severity).length;
}
