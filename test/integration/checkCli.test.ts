import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../core/node/cli.ts';
import type { QuantumHost } from '../../core/run/runTypes.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { REPO, tempDir } from '../helpers.ts';

/* `quanta check` as CI calls it: real files, a real quantum for the catalog, exit codes. */
const FIXTURE = 'test/fixtures/policies/governed-mesh';
const ORDERS_CONTRACT = 'domains/sales/orders/orders.odcs.yaml';

// One pool of in-process quanta for every call (checkCommand disposes its host: not this one).
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
