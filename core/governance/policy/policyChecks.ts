import type { CheckResult } from '../../run/runTypes.ts';
import type { GovernanceReport } from './evaluate.ts';

/**
 * Policy violations as the runtime's checks (MeshRuntimeOptions.policyChecks): a blocking
 * violation is a failing `error` check — the product's publish is refused like a failed
 * contract rule — and a warning is a failing `warning` check, reported with the run. Each
 * names the policy and where the violating thing is written (or the policy file).
 */
export function policyCheckResults(report: GovernanceReport): (productId: string) => CheckResult[] {
  const byProduct = new Map<string, CheckResult[]>();
  for (const policy of report.policies) {
    for (const violation of policy.violations) {
      if (violation.product === undefined) continue;
      const where = violation.at ?? { file: policy.file, line: 1, column: 1 };
      const check: CheckResult = {
        id: `policy:${policy.id}`,
        port: violation.port ?? '',
        description: policy.title,
        severity: policy.severity === 'blocking' ? 'error' : 'warning',
        passed: false,
        message: `policy ${policy.id} (${policy.severity}): ${violation.message}${violation.column ? ` (column ${violation.column})` : ''}`,
        file: where.file,
        line: where.line,
        column: where.column,
      };
      byProduct.set(violation.product, [...(byProduct.get(violation.product) ?? []), check]);
    }
  }
  return (productId) => byProduct.get(productId) ?? [];
}
