import type { ContractChange } from '../../governance/diff/diffRules.ts';
import type { WhatIfReport } from '../../governance/whatIf.ts';

/*
 * The verdict of `quanta check --against`: what the change does to the consumers of the
 * changed contracts, and whether that fails the check. A pull request that breaks a consumer
 * must fail CI, so `--fail-on breaking` is the default; `warning` also fails on any
 * warning-level contract change (a tightened guarantee the producer must check, a looser SLA);
 * `never` leaves the exit code to errors and blocking policies, as before.
 */
export const FAIL_ON = ['breaking', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface ImpactVerdict {
  readonly failOn: FailOn;
  readonly failed: boolean;
  /** One line per reason the check fails (or would fail under a stricter --fail-on). */
  readonly reasons: readonly string[];
  /** Changes of headline warning or worse, per changed contract port. */
  readonly changes: readonly { readonly contract: string; readonly at: string; readonly changes: readonly ContractChange[] }[];
}

export function judgeImpact(impact: WhatIfReport, failOn: FailOn): ImpactVerdict {
  const changes = impact.contracts
    .map((c) => ({
      contract: c.contractId,
      at: `${c.productId}.${c.port}`,
      changes: c.diff.changes.filter((change) => change.severity !== 'info'),
    }))
    .filter((c) => c.changes.length > 0);
  const reasons = impact.broken.map((b) => `${b.productId} would break: ${b.reasons.join('; ')}`);
  if (failOn === 'warning')
    for (const c of changes) reasons.push(`${c.contract} (${c.at}): ${c.changes.map((x) => `${x.severity} ${x.ruleId}`).join(', ')}`);
  const failed = failOn === 'breaking' ? impact.broken.length > 0 : failOn === 'warning' ? reasons.length > 0 : false;
  return { failOn, failed, reasons, changes };
}

export function impactText(impact: WhatIfReport, verdict: ImpactVerdict): string {
  const lines = [''];
  if (impact.broken.length === 0) lines.push('Against the baseline: no consumer reads what changed in a breaking way.');
  else {
    lines.push('Against the baseline, these consumers would break:');
    for (const b of impact.broken) lines.push(`  ${b.productId}: ${b.reasons.join('; ')}`);
    if (impact.affected.length > 0) lines.push(`  downstream of them (stale data): ${impact.affected.join(', ')}`);
  }
  for (const c of verdict.changes) {
    lines.push(
      `  ${c.contract} (${c.at}): ${c.changes.map((x) => `${x.severity} ${x.ruleId}${x.property ? ` ${x.property}` : ''}`).join(', ')}`,
    );
  }
  const rule = `--fail-on ${verdict.failOn}`;
  if (verdict.failed)
    lines.push(`✗ fails the check (${rule}): ${verdict.reasons.length === 1 ? 'a reason' : `${verdict.reasons.length} reasons`} above`);
  else if (impact.broken.length > 0) lines.push(`! does not fail the check (${rule}), though consumers would break`);
  return `${lines.join('\n')}\n`;
}

export function impactJson(impact: WhatIfReport, verdict: ImpactVerdict): object {
  return {
    impact: {
      failOn: verdict.failOn,
      failed: verdict.failed,
      reasons: verdict.reasons,
      broken: impact.broken,
      affected: impact.affected,
      changes: verdict.changes.map((c) => ({
        contract: c.contract,
        at: c.at,
        changes: c.changes.map((x) => ({
          ruleId: x.ruleId,
          severity: x.severity,
          producer: x.producer,
          consumers: x.consumers,
          property: x.property ?? null,
          message: x.message,
        })),
      })),
    },
  };
}

/** JUnit test cases: one per broken consumer, one per changed contract; failures follow --fail-on. */
export function impactJunit(
  impact: WhatIfReport,
  verdict: ImpactVerdict,
  xml: (text: string) => string,
): { cases: string[]; failures: number } {
  const cases: string[] = [];
  let failures = 0;
  for (const b of impact.broken) {
    const detail = xml(b.reasons.join('\n'));
    const fails = verdict.failOn !== 'never';
    if (fails) failures++;
    const body = fails
      ? `<failure message="${xml(`${b.productId} would break`)}" type="breaking-change">${detail}</failure>`
      : `<system-out>${detail}</system-out>`;
    cases.push(`    <testcase classname="consumer" name="${xml(`${b.productId} keeps working against the baseline`)}">${body}</testcase>`);
  }
  for (const c of verdict.changes) {
    const detail = xml(c.changes.map((x) => `${x.severity} ${x.ruleId}${x.property ? ` ${x.property}` : ''}: ${x.message}`).join('\n'));
    const fails = verdict.failOn === 'warning';
    if (fails) failures++;
    const body = fails
      ? `<failure message="${xml(`${c.changes.length} change(s)`)}" type="contract-change">${detail}</failure>`
      : `<system-out>${detail}</system-out>`;
    cases.push(`    <testcase classname="contract" name="${xml(`${c.contract} (${c.at}) changes`)}">${body}</testcase>`);
  }
  return { cases, failures };
}
