import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, SAMPLES_DIR, SHARED_STANDARDS, tempDir } from '../helpers.ts';
import { quanta, type CliResult } from '../support/quantaCli.ts';

const FIXTURES = 'test/fixtures/diff';

const cli = (...args: string[]): Promise<CliResult> => quanta(args);

const pair = (rule: string): [string, string] => [`${FIXTURES}/${rule}/v1.odcs.yaml`, `${FIXTURES}/${rule}/v2.odcs.yaml`];

interface DiffReport {
  breaking: boolean;
  from: { file: string; id: string; version: string };
  to: { file: string; id: string; version: string };
  counts: { breaking: number; warning: number; info: number };
  changes: {
    ruleId: string;
    severity: string;
    producer: string;
    consumers: string;
    side: string;
    schema?: string;
    property?: string;
    columns: string[];
    message: string;
    file: string;
    line: number;
    column: number;
  }[];
}

describe('quanta diff', () => {
  it('prints one line per change with severity, rule, subject, message and place, then a summary; exits 1 on a breaking change', async () => {
    const result = await cli('diff', ...pair('version-not-bumped'));
    expect(result.code).toBe(1);
    expect(result.err).toBe('');
    expect(result.out.split('\n')).toEqual([
      `breaking property-removed orders.amount: property "amount" (number (DECIMAL(10,2))) was removed: consumers that read it break (${FIXTURES}/version-not-bumped/v1.odcs.yaml:35:15)`,
      `breaking version-not-bumped contract: breaking changes need a new major version: 1.0.0 → 1.1.0 (use 2.0.0) (${FIXTURES}/version-not-bumped/v2.odcs.yaml:4:10)`,
      '✗ 2 changes: 2 breaking, 0 warnings, 0 info (shop.orders 1.0.0 → 1.1.0)',
      '',
    ]);
  });

  it('exits 0 when nothing breaks, warnings and info included', async () => {
    const result = await cli('diff', ...pair('type-widened'));
    expect(result.code).toBe(0);
    expect(result.out).toContain('warning  type-widened orders.quantity: type integer (INT) → integer (BIGINT)');
    expect(result.out).toContain('✓ no breaking changes; 1 change: 0 breaking, 1 warning, 0 info (shop.orders 1.0.0 → 1.1.0)');
    const same = await cli('diff', pair('type-widened')[0], pair('type-widened')[0]);
    expect(same.code).toBe(0);
    expect(same.out).toBe('✓ no changes (shop.orders 1.0.0 → 1.0.0)\n');
  });

  it('prints one JSON object with --json', async () => {
    const result = await cli('diff', ...pair('property-renamed'), '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out) as DiffReport;
    expect(report.breaking).toBe(true);
    expect(report.from).toEqual({ file: pair('property-renamed')[0], id: 'shop.orders', version: '1.0.0' });
    expect(report.to.version).toBe('2.0.0');
    expect(report.counts).toEqual({ breaking: 1, warning: 0, info: 0 });
    expect(report.changes).toEqual([
      {
        ruleId: 'property-renamed',
        severity: 'breaking',
        producer: 'breaking',
        consumers: 'breaking',
        side: 'both',
        schema: 'orders',
        property: 'amount_eur',
        columns: ['amount', 'amount_eur'],
        message: 'property "amount" was renamed to "amount_eur": consumers that read "amount" break',
        file: pair('property-renamed')[1],
        line: 35,
        column: 15,
      },
    ]);
    const calm = JSON.parse((await cli('diff', ...pair('property-added-optional'), '--json')).out) as DiffReport;
    expect(calm.breaking).toBe(false);
    expect(calm.changes.map((c) => c.severity)).toEqual(['info']);
  });

  it('diffs a sample mesh contract against an edited copy: a tightened guarantee warns the producer and exits 0', async () => {
    const original = nodePath.join(SAMPLES_DIR, 'hello-mesh/domains/sales/orders/orders.odcs.yaml');
    const dir = await tempDir('diff');
    const edited = nodePath.join(dir, 'orders.odcs.yaml');
    const text = await fsp.readFile(original, 'utf8');
    await fsp.writeFile(
      edited,
      text.replace('version: 1.0.0', 'version: 1.1.0').replace('physicalType: VARCHAR\n', 'physicalType: VARCHAR\n        unique: true\n'),
    );
    const result = await cli('diff', original, edited);
    expect(result.code).toBe(0);
    expect(result.out).toContain('warning  unique-added orders.customer_email: "customer_email" became unique');
    const place = new RegExp(`${nodePath.relative(REPO, edited).split(nodePath.sep).join('/')}:(\\d+):17\\)`).exec(result.out);
    const lines = (await fsp.readFile(edited, 'utf8')).split('\n');
    expect(lines[Number(place?.[1]) - 1]?.trim()).toBe('unique: true');
    expect(lines[Number(place?.[1]) - 4]?.trim()).toBe('- name: customer_email');
  });
});

describe('quanta diff: bad input exits 2 with a clear message, never a stack trace', () => {
  it.each([
    [[], 'expected two contract files, got 0'],
    [['only-one.yaml'], 'expected two contract files, got 1'],
    [['a.yaml', 'b.yaml', 'c.yaml'], 'expected two contract files, got 3'],
    [['a.yaml', 'b.yaml', '--nope'], "Unknown option '--nope'"],
  ])('%j: %s', async (args, message) => {
    const result = await cli('diff', ...args);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain(`quanta diff: ${message}`);
  });

  it('names a missing file, and a folder given for a file', async () => {
    const result = await cli('diff', pair('schema-added')[0], 'no/such.odcs.yaml');
    expect(result.code).toBe(2);
    expect(result.err).toContain('no/such.odcs.yaml:1:1 QUANTA_E008 error: cannot read no/such.odcs.yaml: no such file');
    const folder = await cli('diff', FIXTURES, pair('schema-added')[0]);
    expect(folder.code).toBe(2);
    expect(folder.err).toContain(`${FIXTURES}:1:1 QUANTA_E008 error: ${FIXTURES} is a folder, not a contract file`);
  });

  it('names file, line and column for a file that is not YAML', async () => {
    const dir = await tempDir('diff-bad');
    const bad = nodePath.join(dir, 'bad.odcs.yaml');
    await fsp.writeFile(bad, 'apiVersion: v3.1.0\nkind: DataContract\nid: [unclosed\n');
    const result = await cli('diff', pair('schema-added')[0], bad);
    expect(result.code).toBe(2);
    const shown = nodePath.relative(REPO, bad).split(nodePath.sep).join('/');
    expect(result.err).toMatch(new RegExp(`^${shown.replace(/[.]/g, '\\.')}:\\d+:\\d+ QUANTA_E001 error: `, 'm'));
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it('reports a file that is not an ODCS contract instead of diffing it', async () => {
    const product = 'sample-meshes/hello-mesh/domains/sales/orders/product.odps.yaml';
    const result = await cli('diff', pair('schema-added')[0], product);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain(`${product}:3:7 QUANTA_E012 error: "kind" is "DataProduct", which is not allowed (ODCS v3.1.0)`);
    expect(result.err).toContain('✗ quanta diff compares two valid ODCS v3.1.0 contracts');
  });

  it.each([
    [
      'an unknown field (the schema allows none)',
      'status: active\nowner: me',
      ':6:1 QUANTA_W014 error: unknown field "owner" in the document',
    ],
    ['a misspelt option', '          maxLength: 20', ':44:11 QUANTA_W014 error: unknown field "maxLenght"'],
    ['an unknown logicalType', 'logicalType: integer', ':33:22 QUANTA_E012 error: "schema[0].properties[1].logicalType" is "integr"'],
    ['a field of the wrong type', 'required: true', ':29:19 QUANTA_E011 error: "schema[0].properties[0].required" must be a boolean'],
    ['no kind', 'kind: DataContract\n', ':1:1 QUANTA_E010 error: the document is missing the required field "kind"'],
    [
      'a property without name',
      '      - name: note',
      ':50:9 QUANTA_E010 error: "schema[0].properties[4]" is missing the required field "name"',
    ],
  ])('refuses (exit 2) a file the ODCS schema rejects for %s, printing each problem with its place', async (_, find, expected) => {
    const base = pair('constraint-tightened')[0];
    const text = await fsp.readFile(nodePath.join(REPO, base), 'utf8');
    const replacement: Record<string, string> = {
      'status: active\nowner: me': 'status: active\nowner: me',
      '          maxLength: 20': '          maxLenght: 20',
      'logicalType: integer': 'logicalType: integr',
      'required: true': 'required: "yes"',
      'kind: DataContract\n': '',
      '      - name: note': '      - description: a note',
    };
    const bad = nodePath.join(await tempDir('diff-schema'), 'bad.odcs.yaml');
    await fsp.writeFile(bad, text.replace(find === 'status: active\nowner: me' ? 'status: active' : find, replacement[find] ?? ''));
    const shown = nodePath.relative(REPO, bad).split(nodePath.sep).join('/');
    const result = await cli('diff', base, bad);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain(`${shown}${expected}`);
    expect(result.err).toContain('diff anyway with --lenient');
    // Only the real problem: no "unknown field" echoes of a problem further down.
    expect(result.err.match(/QUANTA_/g)).toHaveLength(1);

    const lenient = await cli('diff', base, bad, '--lenient', '--json');
    expect(result.err).not.toBe('');
    expect(lenient.err).toContain(`${shown}${expected.replace(' error: ', ' warning: ')}`);
    const report = JSON.parse(lenient.out) as DiffReport & { diagnostics: { severity: string }[] };
    expect(report.diagnostics.map((d) => d.severity)).toEqual(['warning']);
    expect([0, 1]).toContain(lenient.code);
  });

  it('still refuses a file that is not YAML under --lenient', async () => {
    const bad = nodePath.join(await tempDir('diff-lenient'), 'bad.odcs.yaml');
    await fsp.writeFile(bad, 'apiVersion: v3.1.0\nkind: [DataContract\n');
    const result = await cli('diff', pair('schema-added')[0], bad, '--lenient');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/QUANTA_E001 error: /);
  });

  it('diffs an official ODCS example against itself', async () => {
    const example = nodePath.join(SHARED_STANDARDS, 'odcs/examples/all--full-example.odcs.yaml');
    const result = await cli('diff', example, example, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ breaking: false, changes: [] });
  });
});
