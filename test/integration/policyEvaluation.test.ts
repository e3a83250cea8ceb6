import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { blockingViolations, evaluatePolicies, type GovernanceReport, type PolicyResult } from '../../core/governance/policy/evaluate.ts';
import { BUILTIN_POLICIES } from '../../core/governance/policy/library.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import type { Mesh } from '../../core/model/types.ts';
import { contractChanges } from '../../core/governance/policy/contractChanges.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { listFiles, loadSample, REPO, sampleNames } from '../helpers.ts';

/*
 * Every built-in policy, proved on real catalogs in a real quantum: the governed fixture mesh
 * passes all of them, and one small edit of it per policy makes exactly that policy catch it.
 */
const SAMPLES = await sampleNames();
const FIXTURE = nodePath.join(REPO, 'test/fixtures/policies/governed-mesh');
const ORDERS = 'domains/sales/orders';
const REVENUE = 'domains/finance/daily-revenue';

let files: Record<string, string>;
const host = new InProcessHost(1);
const engine = new QuantumCatalogEngine(host);
let governed: GovernanceReport;

beforeAll(async () => {
  files = {};
  for (const path of await listFiles(FIXTURE)) files[path] = await fsp.readFile(nodePath.join(FIXTURE, path), 'utf8');
  governed = await evaluatePolicies(await meshOf(files), engine);
}, 120_000); // the first quantum starts here (the wasm compiles once per process)
afterAll(async () => {
  engine.release();
  await host.dispose();
});

type Edit = readonly [path: string, from: string, to: string];

/** The fixture with text replaced; each `from` must occur, so a changed fixture fails loudly. */
function edited(...edits: readonly Edit[]): Record<string, string> {
  const out = { ...files };
  for (const [path, from, to] of edits) {
    const text = out[path];
    if (text === undefined || !text.includes(from)) throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
    out[path] = text.replace(from, to);
  }
  return out;
}

async function meshOf(variant: Record<string, string>): Promise<Mesh> {
  const loaded = await loadMesh(new MemoryFileSystem(variant));
  // The variant must stay a valid mesh: the violation has to come from the policy.
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.mesh;
}

function result(report: GovernanceReport, id: string): PolicyResult {
  const found = report.policies.find((p) => p.id === id);
  if (!found) throw new Error(`policy ${id} was not evaluated`);
  expect(found.error).toBeUndefined();
  return found;
}

const cases: readonly { id: string; breaks: string; edits: readonly Edit[]; expected: Record<string, unknown> }[] = [
  {
    id: 'quanta.owner-declared',
    breaks: 'a product without a team',
    edits: [[`${ORDERS}/product.odps.yaml`, 'team:\n  name: sales-team\n', '']],
    expected: { product: 'orders', domain: 'sales', message: expect.stringContaining('declares no owning team') },
  },
  {
    id: 'quanta.output-contract-active',
    breaks: 'a draft contract',
    edits: [[`${ORDERS}/orders.odcs.yaml`, 'status: active', 'status: draft']],
    expected: { product: 'orders', port: 'orders', message: 'contract governed.sales.orders is draft, not active' },
  },
  {
    id: 'quanta.personal-data-classified',
    breaks: 'an unclassified e-mail column',
    edits: [[`${ORDERS}/orders.odcs.yaml`, '        classification: personal\n', '']],
    expected: { product: 'orders', port: 'orders', column: 'customer_email' },
  },
  {
    id: 'quanta.classified-columns-masked',
    breaks: 'a classified column whose contract names no purpose',
    edits: [
      [`${ORDERS}/orders.odcs.yaml`, 'roles:\n  - role: reporting\n    access: read\n  - role: sales-reader\n    access: read\n', ''],
    ],
    expected: { product: 'orders', column: 'customer_email', message: expect.stringContaining('nobody may read it unmasked') },
  },
  {
    id: 'quanta.classified-columns-masked',
    breaks: 'a role that is no persona’s purpose',
    edits: [[`${ORDERS}/orders.odcs.yaml`, 'role: reporting', 'role: auditing']],
    expected: { product: 'orders', port: 'orders', column: 'customer_email' },
  },
  {
    id: 'quanta.classified-columns-masked',
    breaks: 'a purpose role that may only write',
    edits: [[`${ORDERS}/orders.odcs.yaml`, 'role: reporting\n    access: read', 'role: reporting\n    access: write']],
    expected: { product: 'orders', port: 'orders', column: 'customer_email' },
  },
  {
    id: 'quanta.freshness-sla-declared',
    breaks: 'a contract without a latency SLA',
    edits: [[`${ORDERS}/orders.odcs.yaml`, '  - property: latency\n    value: 1\n    unit: d\n', '']],
    expected: { product: 'orders', port: 'orders', message: expect.stringContaining('no freshness SLA') },
  },
  {
    id: 'quanta.key-columns-have-quality-rules',
    breaks: 'a contract without a primary key',
    edits: [[`${ORDERS}/orders.odcs.yaml`, '        primaryKey: true\n', '']],
    expected: { product: 'orders', port: 'orders', message: expect.stringContaining('declares no primary key') },
  },
  {
    id: 'quanta.key-columns-have-quality-rules',
    breaks: 'a key column neither required nor checked',
    edits: [[`${REVENUE}/revenue.odcs.yaml`, '        quality:\n          - metric: duplicateValues\n            mustBe: 0\n', '']],
    expected: { product: 'daily-revenue', port: 'revenue', column: 'total_id' },
  },
  {
    id: 'quanta.naming-conventions',
    breaks: 'a camelCase column',
    edits: [[`${ORDERS}/orders.odcs.yaml`, 'name: amount_eur', 'name: amountEur']],
    expected: { product: 'orders', column: 'amountEur', message: 'column name amountEur is not snake_case' },
  },
  {
    id: 'quanta.archetype-layering',
    breaks: 'an aggregate consuming a consumer-aligned product',
    edits: [
      [`${ORDERS}/quanta.yaml`, 'archetype: source-aligned', 'archetype: consumer-aligned'],
      [`${REVENUE}/quanta.yaml`, 'archetype: consumer-aligned', 'archetype: aggregate'],
    ],
    expected: {
      product: 'daily-revenue',
      port: 'orders',
      message: 'aggregate product daily-revenue consumes consumer-aligned product orders',
    },
  },
  {
    id: 'quanta.no-cross-domain-private-ports',
    breaks: 'another domain reading a domain-only port',
    edits: [
      [
        `${ORDERS}/product.odps.yaml`,
        '    contractId: governed.sales.orders\n',
        '    contractId: governed.sales.orders\n    customProperties:\n      - property: visibility\n        value: domain\n',
      ],
    ],
    expected: { product: 'daily-revenue', port: 'orders', message: 'reads domain port orders.orders of domain sales from domain finance' },
  },
  {
    id: 'quanta.retention-declared',
    breaks: 'a contract without retention',
    edits: [[`${REVENUE}/revenue.odcs.yaml`, '  - property: retention\n    value: 5\n    unit: y\n', '']],
    expected: { product: 'daily-revenue', port: 'revenue' },
  },
  {
    id: 'quanta.deprecated-gains-no-consumers',
    breaks: 'a new (draft) product reading a deprecated one',
    edits: [
      [`${ORDERS}/product.odps.yaml`, 'status: active', 'status: deprecated'],
      [`${REVENUE}/product.odps.yaml`, 'status: active', 'status: draft'],
    ],
    expected: { product: 'daily-revenue', port: 'orders', message: 'new consumer of deprecated product orders' },
  },
  {
    id: 'quanta.purpose-and-usage-documented',
    breaks: 'a product without usage',
    edits: [[`${REVENUE}/product.odps.yaml`, '  usage: One row; read it whole.\n', '']],
    expected: { product: 'daily-revenue', message: 'product daily-revenue does not document its usage (ODPS description)' },
  },
];

describe('the built-in policy library', () => {
  it('has at least 12 policies, and the governed mesh uses and passes every one', () => {
    expect(BUILTIN_POLICIES.length).toBeGreaterThanOrEqual(12);
    for (const builtin of BUILTIN_POLICIES) expect(result(governed, builtin.id).violations).toEqual([]);
    expect(governed.blocking + governed.warnings).toBe(0);
    expect(governed.score.score).toBe(100);
  });

  it('proves every built-in with a violating mesh (the breaking-change one below)', () => {
    const proved = new Set([...cases.map((c) => c.id), 'quanta.breaking-change-needs-major']);
    expect(BUILTIN_POLICIES.map((p) => p.id).filter((id) => !proved.has(id))).toEqual([]);
  });

  it.each(cases)('$id catches $breaks', async ({ id, edits, expected }) => {
    const report = await evaluatePolicies(await meshOf(edited(...edits)), engine);
    expect(result(report, id).violations).toContainEqual(expect.objectContaining({ policy: id, ...expected }));
  });

  it('quanta.breaking-change-needs-major catches a removed column under the same major version, against a baseline', async () => {
    const baseline = await meshOf(files);
    const removed: Edit = [
      `${ORDERS}/orders.odcs.yaml`,
      '      - name: customer_email\n        logicalType: string\n        physicalType: VARCHAR\n        classification: personal\n',
      '',
    ];
    const mesh = await meshOf(edited(removed));
    const report = await evaluatePolicies(mesh, engine, { baseline, contractChanges: contractChanges(baseline, mesh) });
    expect(result(report, 'quanta.breaking-change-needs-major').violations).toContainEqual(
      expect.objectContaining({
        product: 'orders',
        port: 'orders',
        severity: 'blocking',
        message: expect.stringContaining('without a new major version (1.0.0 → 1.0.0)'),
      }),
    );
  });

  it('quanta.breaking-change-needs-major accepts the same breaking change with a new major version', async () => {
    const baseline = await meshOf(files);
    const mesh = await meshOf(
      edited(
        [
          `${ORDERS}/orders.odcs.yaml`,
          '      - name: customer_email\n        logicalType: string\n        physicalType: VARCHAR\n        classification: personal\n',
          '',
        ],
        [`${ORDERS}/orders.odcs.yaml`, 'version: 1.0.0', 'version: 2.0.0'],
        [`${ORDERS}/product.odps.yaml`, '    version: 1.0.0\n    contractId', '    version: 2.0.0\n    contractId'],
        [
          `${REVENUE}/product.odps.yaml`,
          'contractId: governed.sales.orders\n    version: 1.0.0',
          'contractId: governed.sales.orders\n    version: 2.0.0',
        ],
      ),
    );
    const changes = contractChanges(baseline, mesh);
    expect(changes.some((c) => c.breaking)).toBe(true);
    const report = await evaluatePolicies(mesh, engine, { baseline, contractChanges: changes });
    expect(result(report, 'quanta.breaking-change-needs-major').violations).toEqual([]);
  });

  it.each([
    ['1.0.0', '1.1.0', 1],
    ['1.4.2', '2.0.0', 0],
    ['0.1.0', '0.2.0', 0],
    ['0.1.0', '0.1.1', 1],
  ] as const)(
    'quanta.breaking-change-needs-major judges a breaking change from %s to %s: %i violation(s)',
    async (fromVersion, toVersion, count) => {
      const change = {
        contractId: 'governed.sales.orders',
        productId: 'orders',
        port: 'orders',
        fromVersion,
        toVersion,
        change: 'property-removed',
        breaking: true,
        producerSeverity: 'breaking' as const,
        consumersSeverity: 'breaking' as const,
        message: 'customer_email was removed',
      };
      const documentation = { ...change, breaking: false, producerSeverity: 'info' as const, consumersSeverity: 'info' as const };
      const report = await evaluatePolicies(await meshOf(files), engine, {
        contractChanges: [change, { ...documentation, change: 'description-changed', message: 'a description changed' }],
      });
      expect(result(report, 'quanta.breaking-change-needs-major').violations).toHaveLength(count);
    },
  );

  it('lets a policy read a change from the producer side and from the consumers side', async () => {
    const variant = { ...files };
    variant['policies/producer-checks-data.policy.yaml'] = [
      'apiVersion: quanta/v1',
      'kind: Policy',
      'id: producer-checks-data',
      'title: A guarantee the producer must now meet is proven by a run',
      'scope: global',
      'severity: warning',
      'check:',
      "  sql: SELECT product_id, column_name, message FROM contract_changes WHERE producer_severity = 'breaking' AND consumers_severity <> 'breaking'",
      '',
    ].join('\n');
    const row = { contractId: 'governed.sales.orders', productId: 'orders', port: 'orders', fromVersion: '1.0.0', toVersion: '1.1.0' };
    const report = await evaluatePolicies(await meshOf(variant), engine, {
      contractChanges: [
        {
          ...row,
          column: 'amount_eur',
          change: 'constraint-tightened',
          breaking: false,
          producerSeverity: 'breaking',
          consumersSeverity: 'info',
          message: 'minimum 0 → 10',
        },
        {
          ...row,
          column: 'order_id',
          change: 'property-removed',
          breaking: true,
          producerSeverity: 'breaking',
          consumersSeverity: 'breaking',
          message: 'removed',
        },
      ],
    });
    expect(result(report, 'producer-checks-data').violations.map((v) => [v.product, v.column])).toEqual([['orders', 'amount_eur']]);
  });

  it('counts a consumer of a deprecated product as new only when the baseline lacks it', async () => {
    const deprecated = edited(
      [`${ORDERS}/product.odps.yaml`, 'status: active', 'status: deprecated'],
      [`${REVENUE}/product.odps.yaml`, 'status: active', 'status: draft'],
    );
    const mesh = await meshOf(deprecated);
    const report = await evaluatePolicies(mesh, engine, { baseline: mesh });
    expect(result(report, 'quanta.deprecated-gains-no-consumers').violations).toEqual([]);
  });
});

describe('evaluating policies', () => {
  it('points a violation at the contract column it is about', async () => {
    const report = await evaluatePolicies(
      await meshOf(edited([`${ORDERS}/orders.odcs.yaml`, '        classification: personal\n', ''])),
      engine,
    );
    const [violation] = result(report, 'quanta.personal-data-classified').violations;
    expect(violation?.at).toEqual({ file: `${ORDERS}/orders.odcs.yaml`, line: 15, column: 9 });
  });

  it('applies a domain policy only to products of its domain', async () => {
    const report = await evaluatePolicies(
      await meshOf(
        edited(
          [`${ORDERS}/orders.odcs.yaml`, 'physicalType: DECIMAL(10,2)', 'physicalType: DOUBLE'],
          [`${REVENUE}/revenue.odcs.yaml`, 'physicalType: DECIMAL(18,2)', 'physicalType: DOUBLE'],
        ),
      ),
      engine,
    );
    expect(result(report, 'finance-money-is-decimal').violations.map((v) => v.product)).toEqual(['daily-revenue']);
  });

  it('lets a domain switch off a global warning policy in its domain only', async () => {
    const variant = edited(
      [`${ORDERS}/product.odps.yaml`, '  usage: Join on order_id.\n', ''],
      [`${REVENUE}/product.odps.yaml`, '  usage: One row; read it whole.\n', ''],
    );
    variant['policies/finance-usage-optional.policy.yaml'] = [
      'apiVersion: quanta/v1',
      'kind: Policy',
      'id: finance-usage-optional',
      'title: Finance reports explain usage in the report itself',
      'scope: domain:finance',
      'overrides: quanta.purpose-and-usage-documented',
      'enabled: false',
      '',
    ].join('\n');
    const report = await evaluatePolicies(await meshOf(variant), engine);
    expect(result(report, 'quanta.purpose-and-usage-documented').violations.map((v) => v.product)).toEqual(['orders']);
    const finance = report.score.domains.find((d) => d.domain === 'finance');
    expect(finance?.warnings).toBe(0);
  });

  it('scores products by the weighted share of their policies they satisfy', async () => {
    const report = await evaluatePolicies(await meshOf(edited([`${ORDERS}/orders.odcs.yaml`, 'status: active', 'status: draft'])), engine);
    const orders = report.score.products.find((p) => p.product === 'orders');
    expect(orders?.violated).toEqual(['quanta.output-contract-active']);
    // 13 global policies apply to orders: 7 blocking (weight 2) + 6 warnings (weight 1) = 20; it loses 2.
    expect(orders?.score).toBe(90);
    expect(report.score.products.find((p) => p.product === 'daily-revenue')?.score).toBe(100);
    expect(report.score.score).toBe(95);
    expect(report.blocking).toBe(1);
    expect(blockingViolations(report, 'orders').map((v) => v.policy)).toEqual(['quanta.output-contract-active']);
    expect(blockingViolations(report, 'daily-revenue')).toEqual([]);
  });

  it('reports a policy SQL error with file, line and column, and evaluates the other policies', async () => {
    const variant = { ...files };
    variant['policies/typo.policy.yaml'] = [
      'apiVersion: quanta/v1',
      'kind: Policy',
      'id: typo',
      'title: A policy with a typo',
      'scope: global',
      'severity: blocking',
      'check:',
      '  sql: |',
      '    SELECT product_id, NULL AS port, NULL AS column_name, name AS message',
      '    FORM products',
      '',
    ].join('\n');
    const report = await evaluatePolicies(await meshOf(variant), engine);
    const typo = report.policies.find((p) => p.id === 'typo');
    expect(typo?.error).toMatchObject({ code: 'QUANTA_E045', file: 'policies/typo.policy.yaml', line: 10, column: 5 });
    expect(typo?.error?.message).toContain('FORM');
    expect(result(report, 'quanta.owner-declared').violations).toEqual([]);
    expect(report.diagnostics).toContainEqual(typo?.error);
  });

  it('refuses a policy that would change the catalog, and the next policy still sees it', async () => {
    const variant = { ...files };
    variant['policies/a-vandal.policy.yaml'] =
      'apiVersion: quanta/v1\nkind: Policy\nid: a-vandal\ntitle: Drops the catalog\nscope: global\nseverity: warning\ncheck:\n  sql: DROP TABLE products\n';
    const report = await evaluatePolicies(await meshOf(variant), engine);
    expect(report.policies.find((p) => p.id === 'a-vandal')?.error).toMatchObject({
      code: 'QUANTA_E071',
      file: 'policies/a-vandal.policy.yaml',
      line: 8,
    });
    expect(result(report, 'quanta.purpose-and-usage-documented').violations).toEqual([]);
  });

  it('refuses a policy that closes its wrapper to run a second statement (checked by DuckDB, not by text)', async () => {
    const variant = { ...files };
    variant['policies/a-breakout.policy.yaml'] =
      'apiVersion: quanta/v1\nkind: Policy\nid: a-breakout\ntitle: Breaks out\nscope: global\nseverity: warning\ncheck:\n  sql: "SELECT 1) AS v; DROP TABLE products; SELECT * FROM (SELECT 1"\n';
    const report = await evaluatePolicies(await meshOf(variant), engine);
    // Inside the string DuckDB parses, the ")" that would have closed Quanta's wrapper is a syntax error.
    expect(report.policies.find((p) => p.id === 'a-breakout')?.error?.message).toMatch(/syntax error at or near "\)"/);
    expect(result(report, 'quanta.purpose-and-usage-documented').error).toBeUndefined();
  });

  it('refuses a policy of two statements with QUANTA_E071, running neither', async () => {
    const variant = { ...files };
    variant['policies/a-pair.policy.yaml'] =
      'apiVersion: quanta/v1\nkind: Policy\nid: a-pair\ntitle: Two statements\nscope: global\nseverity: warning\ncheck:\n  sql: "SELECT product_id, \'x\' AS message FROM products; DROP TABLE products"\n';
    const report = await evaluatePolicies(await meshOf(variant), engine);
    const error = report.policies.find((p) => p.id === 'a-pair')?.error;
    expect(error).toMatchObject({ code: 'QUANTA_E071', file: 'policies/a-pair.policy.yaml', line: 8 });
    expect(error?.message).toMatch(/exactly one SELECT/);
    expect(result(report, 'quanta.purpose-and-usage-documented').error).toBeUndefined();
  });

  it('says which columns a policy must return when it returns others', async () => {
    const variant = { ...files };
    variant['policies/wrong-shape.policy.yaml'] =
      'apiVersion: quanta/v1\nkind: Policy\nid: wrong-shape\ntitle: Wrong shape\nscope: global\nseverity: warning\ncheck:\n  sql: SELECT product_id AS p FROM products\n';
    const report = await evaluatePolicies(await meshOf(variant), engine);
    const error = report.policies.find((p) => p.id === 'wrong-shape')?.error;
    expect(error?.message).toBe('policy wrong-shape returns the columns p; it must return product_id and message (and port, column_name)');
  });

  it.each(SAMPLES)('evaluates every policy of sample %s against the catalog without an error', async (name) => {
    const report = await evaluatePolicies((await loadSample(name)).mesh, engine);
    expect(report.policies.length).toBeGreaterThan(0);
    expect(report.policies.filter((p) => p.error).map((p) => p.error?.message)).toEqual([]);
  });
});
