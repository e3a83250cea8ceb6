import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';
import type { GovernanceReport } from '../../../core/governance/policy/evaluate.ts';
import type { Mesh } from '../../../core/model/types.ts';
import type { ProductStatus } from '../../../core/run/runTypes.ts';
import { problemLines, type ProblemLine } from '../components/runText.ts';
import type { ProductRunState } from '../store/meshRuns.ts';

/*
 * What is wrong with each product, gathered for the canvas: its files' diagnostics, the policy
 * violations on it, and why its last run published no fresh data (failed checks included). A
 * card shows only the count; the canvas's problem list shows the words. Pure, tested in Node.
 */

export interface ProblemItem {
  readonly severity: 'error' | 'warning';
  readonly text: string;
  /** `file:line` (or `file:line:column`), where the problem is written. */
  readonly where?: string;
}

export interface ProductProblems {
  /** Undefined for the mesh's own files and for violations that name no product. */
  readonly productId: string | undefined;
  readonly name: string;
  /** Why its last run published no fresh data, first line first (runText.ts problemLines); empty otherwise. */
  readonly run: readonly ProblemLine[];
  readonly runStatus: ProductStatus | undefined;
  readonly policies: readonly ProblemItem[];
  readonly diagnostics: readonly ProblemItem[];
  /** What the card's badge says: failed checks one each, any other run problem as one, every violation and diagnostic. */
  readonly count: number;
  /** The worst of them: a failed or refused run, a blocking violation or an error diagnostic is an error. */
  readonly severity: 'error' | 'warning';
}

export interface ProblemSources {
  readonly diagnostics?: readonly Diagnostic[] | undefined;
  readonly report?: GovernanceReport | undefined;
  readonly runs?: Readonly<Record<string, ProductRunState>> | undefined;
}

/** Every product with at least one problem, in the mesh's order, then the mesh's own problems. */
export function meshProblems(mesh: Mesh, sources: ProblemSources): ProductProblems[] {
  const diagnostics = new Map<string | undefined, ProblemItem[]>();
  for (const d of sources.diagnostics ?? []) {
    const owner = mesh.products.find((p) => d.file.startsWith(`${p.dir}/`))?.id;
    push(diagnostics, owner, {
      severity: d.severity,
      text: `${d.code} ${d.message}`,
      where: `${d.file}:${d.line}:${d.column}`,
    });
  }
  const policies = new Map<string | undefined, ProblemItem[]>();
  for (const result of sources.report?.policies ?? []) {
    for (const v of result.violations) {
      const owner = v.product !== undefined && mesh.products.some((p) => p.id === v.product) ? v.product : undefined;
      push(policies, owner, {
        severity: v.severity === 'blocking' ? 'error' : 'warning',
        text: `${v.policy}: ${v.message}`,
        ...(v.at ? { where: `${v.at.file}:${v.at.line}` } : {}),
      });
    }
  }
  const groups: ProductProblems[] = [];
  for (const product of mesh.products) {
    const state = sources.runs?.[product.id];
    const group = assemble(product.id, product.name, runProblems(state), state?.status, policies, diagnostics);
    if (group) groups.push(group);
  }
  const meshGroup = assemble(undefined, 'The mesh', { lines: [], count: 0, error: false }, undefined, policies, diagnostics);
  if (meshGroup) groups.push(meshGroup);
  return groups;
}

/** Product id → its problem count, for the cards; products without problems are absent. */
export function problemCounts(groups: readonly ProductProblems[]): Record<string, { count: number; severity: 'error' | 'warning' }> {
  const counts: Record<string, { count: number; severity: 'error' | 'warning' }> = {};
  for (const g of groups) if (g.productId !== undefined) counts[g.productId] = { count: g.count, severity: g.severity };
  return counts;
}

/** "3 problems", "1 problem". */
export function problemWords(count: number): string {
  return `${count} problem${count === 1 ? '' : 's'}`;
}

interface RunProblems {
  readonly lines: readonly ProblemLine[];
  readonly count: number;
  readonly error: boolean;
}

function runProblems(state: ProductRunState | undefined): RunProblems {
  const last = state?.last;
  // While it runs again, or before it ever ran, its last result says nothing about now (as RunDetails).
  if (!state || !last || state.status === 'running' || state.status === 'idle') return { lines: [], count: 0, error: false };
  const lines = problemLines(last);
  if (lines.length === 0) return { lines, count: 0, error: false };
  const failedChecks = last.checks.filter((c) => !c.passed && c.severity === 'error').length;
  return {
    lines,
    count: state.status === 'refused' ? Math.max(1, failedChecks) : 1,
    error: state.status === 'refused' || state.status === 'failed',
  };
}

function assemble(
  productId: string | undefined,
  name: string,
  run: RunProblems,
  runStatus: ProductStatus | undefined,
  policies: ReadonlyMap<string | undefined, readonly ProblemItem[]>,
  diagnostics: ReadonlyMap<string | undefined, readonly ProblemItem[]>,
): ProductProblems | undefined {
  const ownPolicies = policies.get(productId) ?? [];
  const ownDiagnostics = diagnostics.get(productId) ?? [];
  const count = run.count + ownPolicies.length + ownDiagnostics.length;
  if (count === 0) return undefined;
  const error = run.error || [...ownPolicies, ...ownDiagnostics].some((p) => p.severity === 'error');
  return {
    productId,
    name,
    run: run.lines,
    runStatus,
    policies: ownPolicies,
    diagnostics: ownDiagnostics,
    count,
    severity: error ? 'error' : 'warning',
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
