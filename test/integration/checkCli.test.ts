import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../core/node/cli.ts';
import type { QuantumHost } from '../../core/run/runTypes.ts';
import { QuantumCatalogEngine } from '../../workers/catalog/catalogEngine.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { REPO, tempDir } from '../helpers.ts';

/* `quanta check` as CI calls it: real files, a real quantum for the catalog, exit codes. */
const FIXTURE = 'test/fixtures/policies/governed-mesh';
const ORDERS_CONTRACT = 'domains/sales/orders/orders.odcs.yaml';

// One pool of in-process quanta for every call (quanta check disposes its host: not this one).
const pool = new InProcessHost(2);
const sharedHost: QuantumHost = {
  size: pool.size,
  acquire: () => pool.acquire(),
  crash: () => false,
  cancel: () => false,
  dispose: async () => undefined,
};
afterAll(async () => pool.dispose());

async function check(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['check', ...args], {
    out: (t) => (out += t),
    err: (t) => (err += t),
    cwd: REPO,
    createHost: () => sharedHost,
    createCatalogEngine: (host) => new QuantumCatalogEngine(host),
  });
  return { code, out, err };
}

/** The governed fixture copied to a temp folder with text replaced in some files. */
async function variant(edits: Record<string, readonly [string, string][]>): Promise<string> {
  const dir = await tempDir('check');
  await fsp.cp(nodePath.join(REPO, FIXTURE), dir, { recursive: true });
  for (const [path, replacements] of Object.entries(edits)) {
    const file = nodePath.join(dir, path);
    let text = await fsp.readFile(file, 'utf8').catch(() => '');
    for (const [from, to] of replacements) {
      if (from !== '' && !text.includes(from)) throw new Error(`${path} does not contain ${from}`);
      text = from === '' ? to : text.replace(from, to);
    }
    await fsp.writeFile(file, text);
  }
  return dir;
}

interface CheckJson {
  ok: boolean;
  blocking: number;
  warnings: number;
  score: number;
  policies: {
    id: string;
    scope: string;
    severity: string;
    violations: { product: string; port: string | null; column: string | null; message: string; file?: string; line?: number }[];
  }[];
}

describe('quanta check', () => {
  it('passes a mesh that meets every policy, listing each one', async () => {
    const { code, out } = await check(FIXTURE);
    expect(code).toBe(0);
    expect(out).toContain('governed-mesh — 14 policies, governance score 100/100');
    expect(out).toContain('✓ quanta.owner-declared  [blocking, global]');
    expect(out).toContain('✓ finance-money-is-decimal  [blocking, domain:finance]');
    expect(out).toContain('✓ 0 blocking violations, 0 warnings, 0 errors (score 100/100)');
  });

  it('fails on a blocking violation, naming the file, line and column it is about', async () => {
    const dir = await variant({ [ORDERS_CONTRACT]: [['status: active', 'status: draft']] });
    const { code, out } = await check(dir);
    expect(code).toBe(1);
    const shown = nodePath.relative(REPO, nodePath.join(dir, 'domains/sales/orders/product.odps.yaml'));
    expect(out).toContain('✗ quanta.output-contract-active  [blocking, global]  1 violation');
    expect(out).toContain(`    ${shown}:14:5 orders.orders: contract governed.sales.orders is draft, not active`);
    expect(out).toMatch(/✗ 1 blocking violation, 0 warnings, 0 errors \(score \d+\/100\)/);
  });

  it('passes with warnings only', async () => {
    const dir = await variant({ [ORDERS_CONTRACT]: [['  - property: retention\n    value: 1\n    unit: y\n', '']] });
    const { code, out } = await check(dir);
    expect(code).toBe(0);
    expect(out).toContain('⚠ quanta.retention-declared  [warning, global]  1 violation');
  });

  it('prints policies with scope, severity and violations as JSON', async () => {
    const dir = await variant({ [ORDERS_CONTRACT]: [['        classification: personal\n', '']] });
    const { code, out } = await check(dir, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(out) as CheckJson;
    expect(report).toMatchObject({ ok: false, blocking: 1, warnings: 0 });
    const policy = report.policies.find((p) => p.id === 'quanta.personal-data-classified');
    expect(policy).toMatchObject({ scope: 'global', severity: 'blocking' });
    expect(policy?.violations).toEqual([
      expect.objectContaining({
        product: 'orders',
        port: 'orders',
        column: 'customer_email',
        line: 15,
        message: expect.stringContaining('no classification'),
      }),
    ]);
  });

  it('writes JUnit XML: blocking violations fail their test case, warnings go to system-out', async () => {
    const dir = await variant({
      [ORDERS_CONTRACT]: [
        ['status: active', 'status: draft'],
        ['  - property: retention\n    value: 1\n    unit: y\n', ''],
      ],
    });
    const { code, out } = await check(dir, '--format', 'junit');
    expect(code).toBe(1);
    expect(out).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="quanta check" tests="15" failures="1" errors="0" skipped="0">/,
    );
    expect(out).toMatch(
      /<testcase classname="global" name="quanta.output-contract-active: [^"]*"><failure message="1 violation" type="blocking">/,
    );
    expect(out).toMatch(/<testcase classname="global" name="quanta.retention-declared: [^"]*"><system-out>warning: 1 violation/);
  });

  it('judges contract changes against a baseline mesh with --against', async () => {
    const dir = await variant({
      [ORDERS_CONTRACT]: [
        ['      - name: amount_eur\n        logicalType: number\n        physicalType: DECIMAL(10,2)\n        required: true\n', ''],
      ],
    });
    const { code, out } = await check(dir, '--against', FIXTURE, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(out) as CheckJson;
    expect(report.policies.find((p) => p.id === 'quanta.breaking-change-needs-major')?.violations).toEqual([
      expect.objectContaining({
        product: 'orders',
        port: 'orders',
        message: expect.stringContaining('without a new major version (1.0.0 → 1.0.0)'),
      }),
    ]);
    // Without the baseline the same mesh passes: nothing to compare with.
    expect((await check(dir)).code).toBe(0);
  });

  /** The orders contract at 2.0.0 (so the major-version policy passes), its consumer on 2.0.0 too, with `edits` applied. */
  const nextMajor = (edits: readonly [string, string][]): Promise<string> =>
    variant({
      [ORDERS_CONTRACT]: [['version: 1.0.0', 'version: 2.0.0'], ...edits],
      'domains/sales/orders/product.odps.yaml': [['    version: 1.0.0', '    version: 2.0.0']],
      // The consumer moves to the new major in the same change, as it must (QUANTA_E022 otherwise).
      'domains/finance/daily-revenue/product.odps.yaml': [
        ['    contractId: governed.sales.orders\n    version: 1.0.0', '    contractId: governed.sales.orders\n    version: 2.0.0'],
      ],
    });
  const AMOUNT = '      - name: amount_eur\n        logicalType: number\n        physicalType: DECIMAL(10,2)\n        required: true\n';
  const EMAIL =
    '      - name: customer_email\n        logicalType: string\n        physicalType: VARCHAR\n        classification: personal\n';

  it('fails (exit 1) when a consumer reads a column the change removes, every policy passing; --fail-on never passes it', async () => {
    const dir = await nextMajor([[AMOUNT, '']]);
    const text = await check(dir, '--against', FIXTURE);
    expect(text.code).toBe(1);
    expect(text.out).toContain('✓ 0 blocking violations, 0 warnings, 0 errors');
    expect(text.out).toContain('Against the baseline, these consumers would break:\n  daily-revenue: property-removed amount_eur');
    expect(text.out).toContain('✗ fails the check (--fail-on breaking)');

    const json = await check(dir, '--against', FIXTURE, '--format', 'json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out) as CheckJson & { impact: { failOn: string; failed: boolean; broken: { productId: string }[] } };
    expect(report).toMatchObject({
      ok: false,
      blocking: 0,
      impact: { failOn: 'breaking', failed: true, broken: [{ productId: 'daily-revenue' }] },
    });

    const junit = await check(dir, '--against', FIXTURE, '--format', 'junit');
    expect(junit.code).toBe(1);
    expect(junit.out).toMatch(
      /<testcase classname="consumer" name="daily-revenue keeps working against the baseline"><failure message="daily-revenue would break" type="breaking-change">property-removed amount_eur/,
    );
    expect(junit.out).toMatch(/<testsuites name="quanta check" tests="\d+" failures="1"/);

    const never = await check(dir, '--against', FIXTURE, '--fail-on', 'never', '--format', 'json');
    expect(never.code).toBe(0);
    expect(JSON.parse(never.out)).toMatchObject({
      ok: true,
      impact: { failOn: 'never', failed: false, broken: [{ productId: 'daily-revenue' }] },
    });
    const neverJunit = await check(dir, '--against', FIXTURE, '--fail-on', 'never', '--format', 'junit');
    expect(neverJunit.out).toMatch(/<testsuites name="quanta check" tests="\d+" failures="0"/);
  });

  it('passes a breaking change no consumer reads by default, and fails it with --fail-on warning', async () => {
    const dir = await nextMajor([[EMAIL, '']]);
    const calm = await check(dir, '--against', FIXTURE);
    expect(calm.code).toBe(0);
    expect(calm.out).toContain('no consumer reads what changed in a breaking way');
    expect(calm.out).toContain('governed.sales.orders (orders.orders): breaking property-removed customer_email');
    const strict = await check(dir, '--against', FIXTURE, '--fail-on', 'warning', '--format', 'json');
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.out)).toMatchObject({
      ok: false,
      impact: { failOn: 'warning', failed: true, reasons: [expect.stringContaining('breaking property-removed')] },
    });
  });

  it('fails on a warning-level contract change (a tightened guarantee) only with --fail-on warning', async () => {
    const dir = await variant({
      [ORDERS_CONTRACT]: [[EMAIL, EMAIL.replace('classification', 'required: true\n        classification')]],
    });
    expect((await check(dir, '--against', FIXTURE)).code).toBe(0);
    const strict = await check(dir, '--against', FIXTURE, '--fail-on', 'warning');
    expect(strict.code).toBe(1);
    expect(strict.out).toContain('warning required-added customer_email');
  });

  it('reports a policy SQL error as file:line:col with a hint, never a stack trace', async () => {
    const dir = await variant({
      'policies/typo.policy.yaml': [
        [
          '',
          'apiVersion: quanta/v1\nkind: Policy\nid: typo\ntitle: Typo\nscope: global\nseverity: warning\ncheck:\n  sql: |\n    SELECT product_id, name AS message\n    FROM product\n',
        ],
      ],
    });
    const { code, out, err } = await check(dir);
    expect(code).toBe(1);
    const shown = nodePath.relative(REPO, nodePath.join(dir, 'policies/typo.policy.yaml'));
    expect(out).toContain(`${shown}:10:10 QUANTA_E045 error: policy typo: Catalog Error: Table with name product does not exist!`);
    expect(out).toContain('    hint: Fix the SQL');
    expect(out).toContain('! typo  [warning, global]  could not be evaluated (see above)');
    expect(out + err).not.toMatch(/\n\s+at /);
  });

  it('reports a domain policy that switches off a global blocking one, and fails', async () => {
    const dir = await variant({
      'policies/sales-owners.policy.yaml': [
        [
          '',
          'apiVersion: quanta/v1\nkind: Policy\nid: sales-owners\nscope: domain:sales\noverrides: quanta.owner-declared\nenabled: false\n',
        ],
      ],
    });
    const { code, out } = await check(dir);
    expect(code).toBe(1);
    expect(out).toMatch(
      /sales-owners\.policy\.yaml:5:12 QUANTA_E042 error: domain policy sales-owners would switch off the global blocking policy quanta\.owner-declared/,
    );
  });

  it('evaluates a data policy over the published output with --run, and skips it without', async () => {
    const dir = await variant({
      'policies/big-orders.policy.yaml': [
        [
          '',
          [
            'apiVersion: quanta/v1',
            'kind: Policy',
            'id: big-orders',
            'title: No order above 15 EUR',
            'scope: domain:sales',
            'severity: blocking',
            'check:',
            '  sql: |',
            "    SELECT 'orders' AS product_id, 'orders' AS port, 'amount_eur' AS column_name,",
            "           'order ' || order_id || ' is worth ' || amount_eur AS message",
            '    FROM "orders".orders WHERE amount_eur > 15',
            '',
          ].join('\n'),
        ],
      ],
    });
    const model = await check(dir);
    expect(model.code).toBe(0);
    expect(model.out).toContain(
      '- big-orders  [blocking, domain:sales]  skipped: it reads the data of orders, which has not published (run the mesh first)',
    );
    const ran = await check(dir, '--run');
    expect(ran.code).toBe(1);
    expect(ran.out).toContain('ran the mesh to tick 0: every product published');
    expect(ran.out).toContain('orders.orders.amount_eur: order 2 is worth 20.00');
  });

  it('rejects a wrong command line with exit code 2', async () => {
    expect(await check(FIXTURE, '--format', 'xml')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--format must be one of text, json, junit'),
    });
    expect(await check()).toMatchObject({ code: 2, err: expect.stringContaining('give the mesh folder') });
    expect(await check(FIXTURE, '--against', 'no/such/mesh')).toMatchObject({ code: 2, err: expect.stringContaining('is not a folder') });
    expect(await check(FIXTURE, '--against', FIXTURE, '--fail-on', 'sometimes')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--fail-on must be one of breaking, warning, never, not "sometimes"'),
    });
  });

  it('runs from the quanta command in worker threads', () => {
    const run = spawnSync(process.execPath, [nodePath.join(REPO, 'bin/quanta.mjs'), 'check', FIXTURE, '--format', 'json'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as CheckJson).policies).toHaveLength(14);
  });
});
