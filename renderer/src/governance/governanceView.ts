import type { SourcePosition } from '../../../core/diagnostics/diagnostic.ts';
import type { GovernanceReport, PolicyResult, Violation } from '../../../core/governance/policy/evaluate.ts';
import type { Mesh } from '../../../core/model/types.ts';

/*
 * What the governance panel shows, as plain data: the report grouped by policy, by domain
 * and by product, the score in words, the canvas badges. Pure, so it is tested in Node.
 */

export interface ViolationRow {
  /** Stable within a report: React's key. */
  readonly key: string;
  readonly policy: string;
  readonly severity: Violation['severity'];
  readonly product?: string;
  readonly domain?: string;
  readonly message: string;
  /** `file:line`, where the violating thing is written. */
  readonly where?: string;
}

export type PolicyStatus = 'passed' | 'violated' | 'error' | 'skipped';

export interface PolicyGroup {
  readonly id: string;
  readonly title: string;
  readonly severity: PolicyResult['severity'];
  readonly scope: string;
  readonly file: string;
  readonly status: PolicyStatus;
  /** Why the policy failed to evaluate or was skipped, in plain words with file:line. */
  readonly note?: string;
  readonly violations: readonly ViolationRow[];
  readonly truncated: boolean;
}

export interface AreaGroup {
  /** Domain or product id. */
  readonly id: string;
  readonly name: string;
  readonly score: number;
  readonly blocking: number;
  readonly warnings: number;
  readonly violations: readonly ViolationRow[];
}

export function whereText(at: SourcePosition | undefined): string | undefined {
  return at ? `${at.file}:${at.line}` : undefined;
}

function rows(result: PolicyResult): ViolationRow[] {
  return result.violations.map((v, i) => ({
    key: `${result.id}#${i}`,
    policy: v.policy,
    severity: v.severity,
    ...(v.product === undefined ? {} : { product: v.product }),
    ...(v.domain === undefined ? {} : { domain: v.domain }),
    message: v.message,
    ...(v.at ? { where: whereText(v.at) as string } : {}),
  }));
}

function statusOf(result: PolicyResult): PolicyStatus {
  if (result.error) return 'error';
  if (result.skipped !== undefined) return 'skipped';
  return result.violations.length > 0 ? 'violated' : 'passed';
}

const STATUS_ORDER: Record<PolicyStatus, number> = { error: 0, violated: 1, skipped: 2, passed: 3 };
const SEVERITY_ORDER = { blocking: 0, warning: 1 } as const;

/** Every policy in force, the ones that need attention first: errors, then violated (blocking before warning), skipped, passed. */
export function byPolicy(report: GovernanceReport): PolicyGroup[] {
  const groups = report.policies.map((result): PolicyGroup => {
    const status = statusOf(result);
    const note = result.error
      ? `${result.error.file}:${result.error.line}:${result.error.column} ${result.error.message}`
      : result.skipped !== undefined
        ? `Not evaluated: ${result.skipped}`
        : undefined;
    return {
      id: result.id,
      title: result.title,
      severity: result.severity,
      scope: result.scope,
      file: result.file,
      status,
      ...(note === undefined ? {} : { note }),
      violations: rows(result),
      truncated: result.truncated === true,
    };
  });
  return groups
    .map((g, i) => ({ g, i }))
    .sort(
      (a, b) =>
        STATUS_ORDER[a.g.status] - STATUS_ORDER[b.g.status] || SEVERITY_ORDER[a.g.severity] - SEVERITY_ORDER[b.g.severity] || a.i - b.i,
    )
    .map(({ g }) => g);
}

/** Each domain with its score and the violations of its products (or naming it), lowest score first. */
export function byDomain(mesh: Mesh, report: GovernanceReport): AreaGroup[] {
  const all = report.policies.flatMap(rows);
  const domainOf = new Map(mesh.products.map((p) => [p.id, p.domain]));
  return report.score.domains
    .map((d): AreaGroup => {
      const domain = mesh.domains.find((x) => x.id === d.domain);
      return {
        id: d.domain,
        name: domain?.name || d.domain,
        score: d.score,
        blocking: d.blocking,
        warnings: d.warnings,
        violations: all.filter((v) => (v.domain ?? (v.product === undefined ? undefined : domainOf.get(v.product))) === d.domain),
      };
    })
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
}

/** Each product with its score and its violations, lowest score first. */
export function byProduct(mesh: Mesh, report: GovernanceReport): AreaGroup[] {
  const all = report.policies.flatMap(rows);
  return report.score.products
    .map((p): AreaGroup => {
      const product = mesh.products.find((x) => x.id === p.product);
      return {
        id: p.product,
        name: product?.name || p.product,
        score: p.score,
        blocking: p.blocking,
        warnings: p.warnings,
        violations: all.filter((v) => v.product === p.product),
      };
    })
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
}

/** Product id → number of violations, for the canvas badges; products without any are absent. */
export function violationBadges(report: GovernanceReport | undefined): Record<string, number> {
  const badges: Record<string, number> = {};
  for (const v of report?.policies.flatMap((p) => p.violations) ?? []) {
    if (v.product !== undefined) badges[v.product] = (badges[v.product] ?? 0) + 1;
  }
  return badges;
}

export type ScoreBand = 'good' | 'fair' | 'poor';

/** 90 and above is good, 60 and above fair, below poor: the colour of a score. */
export function scoreBand(score: number): ScoreBand {
  return score >= 90 ? 'good' : score >= 60 ? 'fair' : 'poor';
}

/** The report's summary in one line: "2 blocking violations, 1 warning, 1 policy error". */
export function reportSummary(report: GovernanceReport): string {
  const errors = report.policies.filter((p) => p.error).length;
  const skipped = report.policies.filter((p) => p.skipped !== undefined).length;
  const parts = [count(report.blocking, 'blocking violation'), count(report.warnings, 'warning')];
  if (errors > 0) parts.push(count(errors, 'policy error'));
  if (skipped > 0) parts.push(`${skipped} not evaluated`);
  return `${count(report.policies.length, 'policy')}: ${parts.join(', ')}`;
}

function count(n: number, what: string): string {
  const plural = what.endsWith('y') && !what.endsWith('ey') ? `${what.slice(0, -1)}ies` : `${what}s`;
  return `${n} ${n === 1 ? what : plural}`;
}

/** The mesh's policy files (`policies/*.policy.yaml`), sorted; broken ones too, so they can be fixed. */
export function policyFiles(mesh: Mesh): string[] {
  return [...mesh.files.keys()].filter((path) => /^policies\/[^/]+\.policy\.ya?ml$/.test(path)).sort();
}

export interface ReportChange {
  readonly scoreBefore: number;
  readonly scoreAfter: number;
  /** Policy id → violations before and after, for every policy in either report. */
  readonly policies: Readonly<Record<string, { readonly before: number; readonly after: number }>>;
  /** Violations (policy, product, message) the draft adds, and the ones it resolves. */
  readonly added: number;
  readonly resolved: number;
}

/** What a what-if draft changes in the governance report: the score, and violations per policy. */
export function reportChange(before: GovernanceReport, after: GovernanceReport): ReportChange {
  const policies: Record<string, { before: number; after: number }> = {};
  for (const p of before.policies) policies[p.id] = { before: p.violations.length, after: 0 };
  for (const p of after.policies) policies[p.id] = { before: policies[p.id]?.before ?? 0, after: p.violations.length };
  const keys = (r: GovernanceReport) =>
    r.policies.flatMap((p) => p.violations.map((v) => `${v.policy}\u0000${v.product ?? ''}\u0000${v.message}`));
  const was = keys(before);
  const now = keys(after);
  const remaining = [...was];
  let added = 0;
  for (const key of now) {
    const i = remaining.indexOf(key);
    if (i >= 0) remaining.splice(i, 1);
    else added++;
  }
  return { scoreBefore: before.score.score, scoreAfter: after.score.score, policies, added, resolved: remaining.length };
}
