import { describe, expect, it } from 'vitest';
import type { GovernanceReport, PolicyResult } from '../../core/governance/policy/evaluate.ts';
import { resolvePolicies } from '../../core/governance/policy/policies.ts';
import { governanceScore } from '../../core/governance/policy/score.ts';
import type { Mesh } from '../../core/model/types.ts';
import {
  byDomain,
  byPolicy,
  byProduct,
  policyFiles,
  reportChange,
  reportSummary,
  scoreBand,
  violationBadges,
  whereText,
} from '../../renderer/src/governance/governanceView.ts';
import { loadSample } from '../helpers.ts';

/*
 * The governance panel's view model over hello-mesh (sales/orders → finance/daily-revenue):
 * the report grouped by policy, domain and product, the badges on the canvas, the score in words.
 */
const { mesh } = await loadSample('hello-mesh');
const PRODUCT_FILE = 'domains/sales/orders/product.odps.yaml';

const base = { scope: 'global', source: 'mesh', file: 'policies/x.policy.yaml' } as const;
const classified: PolicyResult = {
  ...base,
  id: 'personal-data-classified',
  title: 'Columns holding e-mail addresses are classified as personal',
  severity: 'blocking',
  file: 'policies/personal-data-classified.policy.yaml',
  violations: [
    {
      policy: 'personal-data-classified',
      severity: 'blocking',
      product: 'orders',
      domain: 'sales',
      port: 'orders',
      column: 'customer_email',
      message: 'column looks like an e-mail address but is not classified',
      at: { file: 'domains/sales/orders/orders.odcs.yaml', line: 21, column: 7 },
    },
  ],
};
const described: PolicyResult = {
  ...base,
  id: 'described',
  title: 'Products are described',
  severity: 'warning',
  violations: [
    { policy: 'described', severity: 'warning', product: 'orders', domain: 'sales', message: 'orders has no description' },
    {
      policy: 'described',
      severity: 'warning',
      product: 'daily-revenue',
      domain: 'finance',
      message: 'daily-revenue has no description',
      at: { file: PRODUCT_FILE, line: 3, column: 1 },
    },
    { policy: 'described', severity: 'warning', message: 'the mesh has no description' },
  ],
};
const broken: PolicyResult = {
  ...base,
  id: 'broken',
  title: 'A policy with a typo',
  severity: 'warning',
  violations: [],
  error: {
    code: 'QUANTA_E045',
    severity: 'error',
    file: 'policies/broken.policy.yaml',
    line: 9,
    column: 10,
    message: 'policy broken: syntax error at or near "FORM"',
    hint: '',
  },
};
const skipped: PolicyResult = {
  ...base,
  id: 'data',
  title: 'Reads data',
  severity: 'blocking',
  violations: [],
  skipped: 'it reads the data of orders, which has not published (run the mesh first)',
};
const passed: PolicyResult = { ...base, id: 'passes', title: 'Always fine', severity: 'blocking', violations: [] };

function report(results: readonly PolicyResult[], of: Mesh = mesh): GovernanceReport {
  const violations = results.flatMap((r) => r.violations);
  return {
    policies: results,
    diagnostics: results.flatMap((r) => (r.error ? [r.error] : [])),
    blocking: violations.filter((v) => v.severity === 'blocking').length,
    warnings: violations.filter((v) => v.severity === 'warning').length,
    score: governanceScore(of, resolvePolicies(of).policies, results),
  };
}

describe('the governance panel, by policy', () => {
  it('lists the policies needing attention first: errors, then blocking and warning violations, then skipped, then passed', () => {
    const groups = byPolicy(report([passed, described, skipped, classified, broken]));
    expect(groups.map((g) => `${g.id}:${g.status}`)).toEqual([
      'broken:error',
      'personal-data-classified:violated',
      'described:violated',
      'data:skipped',
      'passes:passed',
    ]);
  });

  it('says why a policy failed or was skipped with file, line and column', () => {
    const [error, , , skip] = byPolicy(report([broken, classified, described, skipped]));
    expect(error?.note).toBe('policies/broken.policy.yaml:9:10 policy broken: syntax error at or near "FORM"');
    expect(skip?.note).toBe('Not evaluated: it reads the data of orders, which has not published (run the mesh first)');
  });

  it('gives each violation its message and the file:line where the violating thing is written', () => {
    const [group] = byPolicy(report([classified]));
    expect(group?.violations).toEqual([
      {
        key: 'personal-data-classified#0',
        policy: 'personal-data-classified',
        severity: 'blocking',
        product: 'orders',
        domain: 'sales',
        message: 'column looks like an e-mail address but is not classified',
        where: 'domains/sales/orders/orders.odcs.yaml:21',
      },
    ]);
  });
});

describe('the governance panel, by domain and by product', () => {
  it('puts each violation under the domain of its product, lowest score first, with domain names', () => {
    const groups = byDomain(mesh, report([classified, described]));
    expect(groups.map((g) => [g.id, g.name, g.score, g.violations.map((v) => v.message)])).toEqual([
      ['sales', 'Sales', 0, ['column looks like an e-mail address but is not classified', 'orders has no description']],
      ['finance', 'Finance', 100, ['daily-revenue has no description']],
    ]);
  });

  it('lists each product with its score and its own violations only', () => {
    const groups = byProduct(mesh, report([classified, described]));
    expect(groups.map((g) => [g.id, g.score, g.blocking, g.warnings, g.violations.length])).toEqual([
      ['orders', 0, 1, 1, 2],
      ['daily-revenue', 100, 0, 1, 1],
    ]);
  });
});

describe('the canvas badges and the score in words', () => {
  it('counts violations per product and leaves out products without any and violations without a product', () => {
    expect(violationBadges(report([classified, described]))).toEqual({ orders: 2, 'daily-revenue': 1 });
    expect(violationBadges(report([passed]))).toEqual({});
    expect(violationBadges(undefined)).toEqual({});
  });

  it('colours a score good from 90, fair from 60, poor below', () => {
    expect([100, 90, 89, 60, 59, 0].map(scoreBand)).toEqual(['good', 'good', 'fair', 'fair', 'poor', 'poor']);
  });

  it('sums a report up in one line, naming errors and skipped policies only when there are some', () => {
    expect(reportSummary(report([classified, described, broken, skipped]))).toBe(
      '4 policies: 1 blocking violation, 3 warnings, 1 policy error, 1 not evaluated',
    );
    expect(reportSummary(report([passed]))).toBe('1 policy: 0 blocking violations, 0 warnings');
  });

  it('writes a place as file:line', () => {
    expect(whereText({ file: PRODUCT_FILE, line: 3, column: 9 })).toBe(`${PRODUCT_FILE}:3`);
    expect(whereText(undefined)).toBeUndefined();
  });
});

describe('the policy editor', () => {
  it('offers the policy files of the mesh, sorted, and nothing else', async () => {
    expect(policyFiles(mesh)).toEqual(['policies/personal-data-classified.policy.yaml']);
    const { mesh: daff } = await loadSample('daff');
    expect(policyFiles(daff)).toEqual([
      'policies/contract-and-freshness-sla.policy.yaml',
      'policies/finance-money-is-decimal.policy.yaml',
      'policies/no-source-aligned-on-consumer-aligned.policy.yaml',
      'policies/personal-data-classified.policy.yaml',
    ]);
  });
});

describe('the what-if view', () => {
  it('compares the draft with its baseline: score before and after, violations per policy, added and resolved', () => {
    const before = report([classified, passed]);
    const after = report([{ ...classified, violations: [] }, passed, described]);
    expect(reportChange(before, after)).toEqual({
      scoreBefore: 50, // orders 0, daily-revenue 100
      scoreAfter: 100,
      policies: {
        'personal-data-classified': { before: 1, after: 0 },
        passes: { before: 0, after: 0 },
        described: { before: 0, after: 3 },
      },
      added: 3,
      resolved: 1,
    });
  });

  it('counts a violation that stays as neither added nor resolved', () => {
    const change = reportChange(report([classified]), report([classified]));
    expect([change.added, change.resolved]).toEqual([0, 0]);
  });
});
