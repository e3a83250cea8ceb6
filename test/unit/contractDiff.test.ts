import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { diffContracts, type ContractDiff } from '../../core/governance/diff/contractDiff.ts';
import { sameValue } from '../../core/governance/diff/diffContext.ts';
import { DIFF_RULES, type DiffRuleId } from '../../core/governance/diff/diffRules.ts';
import { asFields, asList } from '../../core/model/read.ts';
import { formatPath } from '../../core/validate/schemaCheck.ts';
import { deleteInText, setInText } from '../../core/yaml/patchYaml.ts';
import { parseYaml, type YamlPath, type YamlSourceFile } from '../../core/yaml/sourceFile.ts';
import { REPO, SHARED_STANDARDS } from '../helpers.ts';

const FIXTURES = nodePath.join(REPO, 'test/fixtures/diff');
const EXAMPLES = nodePath.join(SHARED_STANDARDS, 'odcs/examples');

async function fixture(rule: string, side: 'v1' | 'v2'): Promise<YamlSourceFile> {
  const path = `${rule}/${side}.odcs.yaml`;
  return parseYaml(path, await fsp.readFile(nodePath.join(FIXTURES, path), 'utf8'));
}

async function diffFixture(rule: string): Promise<ContractDiff> {
  return diffContracts(await fixture(rule, 'v1'), await fixture(rule, 'v2'));
}

/**
 * Each fixture pair changes one thing (the rule it is named after; breaking ones bump the
 * major version so only `version-not-bumped` itself reports a missing bump). Every change of
 * the pair is listed, so a rule that fires where it should not fails here too.
 * `at` is where the rule's own change points: `file:line:column`.
 */
const EXPECTED: Record<DiffRuleId, { changes: readonly string[]; at: string }> = {
  'classification-added': { changes: ['warning classification-added orders.note'], at: 'v2:52:25' },
  'classification-changed': { changes: ['breaking classification-changed orders.amount'], at: 'v2:39:25' },
  'classification-removed': { changes: ['breaking classification-removed orders.note'], at: 'v2:50:15' },
  'classification-strengthened': { changes: ['warning classification-strengthened orders.amount'], at: 'v2:39:25' },
  'classification-weakened': { changes: ['breaking classification-weakened orders.amount'], at: 'v2:39:25' },
  'constraint-changed': { changes: ['breaking constraint-changed orders.quantity'], at: 'v2:36:23' },
  'constraint-loosened': { changes: ['breaking constraint-loosened orders.status'], at: 'v2:44:22' },
  'constraint-tightened': { changes: ['warning constraint-tightened orders.status'], at: 'v2:44:22' },
  'contract-id-changed': { changes: ['breaking contract-id-changed'], at: 'v2:3:5' },
  'description-changed': { changes: ['info description-changed'], at: 'v2:7:3' },
  'enum-restricted': { changes: ['warning enum-restricted orders.note'], at: 'v2:53:13' },
  'enum-unrestricted': { changes: ['breaking enum-unrestricted orders.note'], at: 'v1:53:13' },
  'enum-value-added': { changes: ['breaking enum-value-added orders.status'], at: 'v2:49:28' },
  'enum-value-removed': { changes: ['warning enum-value-removed orders.status'], at: 'v2:49:28' },
  'format-added': { changes: ['warning format-added orders.note'], at: 'v2:53:19' },
  'format-changed': { changes: ['breaking format-changed orders.note'], at: 'v2:53:19' },
  'format-removed': { changes: ['breaking format-removed orders.note'], at: 'v2:50:9' },
  'granularity-changed': { changes: ['warning granularity-changed orders'], at: 'v2:22:33' },
  'metadata-changed': { changes: ['info metadata-changed'], at: 'v2:6:7' },
  'pattern-added': { changes: ['warning pattern-added orders.status'], at: 'v2:45:20' },
  'pattern-changed': { changes: ['breaking pattern-changed orders.status'], at: 'v2:45:20' },
  'pattern-removed': { changes: ['breaking pattern-removed orders.status'], at: 'v2:44:11' },
  'physical-name-changed': { changes: ['warning physical-name-changed orders.amount'], at: 'v2:38:23' },
  'primary-key-changed': { changes: ['breaking primary-key-changed orders'], at: 'v2:35:21' },
  'property-added-optional': { changes: ['info property-added-optional orders.coupon'], at: 'v2:52:15' },
  'property-added-required': { changes: ['warning property-added-required orders.currency'], at: 'v2:52:15' },
  'property-removed': { changes: ['breaking property-removed orders.amount'], at: 'v1:35:15' },
  'property-renamed': { changes: ['breaking property-renamed orders.amount_eur'], at: 'v2:35:15' },
  'quality-rule-added': { changes: ['warning quality-rule-added orders.amount'], at: 'v2:40:13' },
  'quality-rule-changed': { changes: ['warning quality-rule-changed orders'], at: 'v2:25:24' },
  'quality-rule-loosened': { changes: ['warning quality-rule-loosened orders'], at: 'v2:25:28' },
  'quality-rule-removed': { changes: ['warning quality-rule-removed orders'], at: 'v1:24:9' },
  'quality-rule-tightened': { changes: ['warning quality-rule-tightened orders'], at: 'v2:25:28' },
  'required-added': { changes: ['warning required-added orders.note'], at: 'v2:52:19' },
  'required-removed': { changes: ['breaking required-removed orders.order_id'], at: 'v2:27:15' },
  'role-added': { changes: ['info role-added'], at: 'v2:15:5' },
  'role-changed': { changes: ['warning role-changed'], at: 'v2:14:13' },
  'role-removed': { changes: ['warning role-removed'], at: 'v1:13:5' },
  'schema-added': { changes: ['info schema-added customers'], at: 'v2:52:11' },
  'schema-removed': { changes: ['breaking schema-removed customers'], at: 'v1:52:11' },
  'schema-renamed': { changes: ['breaking schema-renamed purchase_orders'], at: 'v2:20:11' },
  'schema-type-changed': { changes: ['breaking schema-type-changed orders'], at: 'v2:21:19' },
  'server-added': { changes: ['info server-added'], at: 'v2:12:5' },
  'server-changed': { changes: ['warning server-changed'], at: 'v2:11:15' },
  'server-removed': { changes: ['warning server-removed'], at: 'v1:9:5' },
  'sla-changed': { changes: ['warning sla-changed'], at: 'v2:20:12' },
  'sla-loosened': { changes: ['warning sla-loosened'], at: 'v2:17:12' },
  'sla-tightened': { changes: ['warning sla-tightened'], at: 'v2:17:12' },
  'status-changed': { changes: ['warning status-changed'], at: 'v2:5:9' },
  'type-incompatible': { changes: ['breaking type-incompatible orders.note'], at: 'v2:51:22' },
  'type-narrowed': { changes: ['breaking type-narrowed orders.amount'], at: 'v2:37:23' },
  'type-widened': { changes: ['warning type-widened orders.quantity'], at: 'v2:34:23' },
  'unique-added': { changes: ['warning unique-added orders.note'], at: 'v2:52:17' },
  'unique-removed': { changes: ['breaking unique-removed orders.order_id'], at: 'v2:27:15' },
  'version-decreased': { changes: ['warning version-decreased'], at: 'v2:4:10' },
  'version-not-bumped': { changes: ['breaking property-removed orders.amount', 'breaking version-not-bumped'], at: 'v2:4:10' },
  'version-unchanged': { changes: ['info description-changed', 'warning version-unchanged'], at: 'v2:4:10' },
};

function summarize(change: { severity: string; ruleId: string; schema?: string; property?: string }): string {
  const subject = change.schema === undefined ? '' : ` ${change.schema}${change.property === undefined ? '' : `.${change.property}`}`;
  return `${change.severity} ${change.ruleId}${subject}`;
}

describe('contract diff: one fixture pair per rule', () => {
  it('has a fixture pair for every rule and no fixture without a rule', async () => {
    const folders = (await fsp.readdir(FIXTURES, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.sort()).toEqual(Object.keys(DIFF_RULES).sort());
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(DIFF_RULES).sort());
  });

  it.each(Object.keys(EXPECTED) as DiffRuleId[])('%s: the pair yields exactly its change, at its place', async (rule) => {
    const diff = await diffFixture(rule);
    expect(diff.diagnostics).toEqual([]);
    expect(diff.changes.map(summarize)).toEqual(EXPECTED[rule].changes);
    const own = diff.changes.find((c) => c.ruleId === rule);
    const { file, line, column } = own?.where ?? { file: '?', line: 0, column: 0 };
    expect(`${file.split('/')[1]?.replace('.odcs.yaml', '')}:${line}:${column}`).toBe(EXPECTED[rule].at);
    expect(own?.message).toMatch(/\S/);
    expect(diff.breaking).toBe(EXPECTED[rule].changes.some((c) => c.startsWith('breaking')));
  });

  it.each(Object.keys(EXPECTED) as DiffRuleId[])('%s: diffing v2 against itself finds no change', async (rule) => {
    const v2 = await fixture(rule, 'v2');
    expect(diffContracts(v2, v2).changes).toEqual([]);
  });

  it('says what changed in plain words, from → to', async () => {
    const messages = async (rule: string): Promise<string[]> => (await diffFixture(rule)).changes.map((c) => c.message);
    expect(await messages('type-widened')).toEqual([
      'type integer (INT) → integer (BIGINT) is wider: queries keep working, values may exceed the old type',
    ]);
    expect(await messages('enum-value-removed')).toEqual([
      'status no longer allows "shipped": consumers filtering on it get nothing, existing rows may fail the rule',
    ]);
    expect(await messages('primary-key-changed')).toEqual(['primary key (order_id) → (quantity, order_id): joins and merges on it change']);
    expect(await messages('sla-tightened')).toEqual(['SLA latency: 2 d → 12 h (stricter)']);
    expect((await messages('version-not-bumped'))[1]).toBe('breaking changes need a new major version: 1.0.0 → 1.1.0 (use 2.0.0)');
  });
});

const BASE = `apiVersion: v3.1.0
kind: DataContract
id: t
version: 1.0.0
status: active
schema:
  - name: t
    properties:
`;

function contract(path: string, properties: string, extra = ''): YamlSourceFile {
  return parseYaml(path, `${BASE}${properties}${extra}`);
}

function rulesOf(v1: string, v2: string): string[] {
  const diff = diffContracts(contract('v1.yaml', v1), contract('v2.yaml', v2));
  return diff.changes.filter((c) => !c.ruleId.startsWith('version-')).map(summarize);
}

const prop = (name: string, body: string): string =>
  `      - name: ${name}\n${body
    .split('\n')
    .filter(Boolean)
    .map((l) => `        ${l}\n`)
    .join('')}`;

describe('contract diff: types', () => {
  it.each([
    ['logicalType: integer', 'logicalType: number', 'warning type-widened t.x'],
    ['logicalType: number', 'logicalType: integer', 'breaking type-narrowed t.x'],
    ['logicalType: date', 'logicalType: timestamp', 'warning type-widened t.x'],
    ['logicalType: timestamp', 'logicalType: date', 'breaking type-narrowed t.x'],
    ['logicalType: boolean', 'logicalType: string', 'breaking type-incompatible t.x'],
    ['physicalType: SMALLINT', 'physicalType: INTEGER', 'warning type-widened t.x'],
    ['physicalType: BIGINT', 'physicalType: INT', 'breaking type-narrowed t.x'],
    ['physicalType: INTEGER', 'physicalType: UINTEGER', 'breaking type-incompatible t.x'],
    ['physicalType: UINTEGER', 'physicalType: BIGINT', 'warning type-widened t.x'],
    ['physicalType: INT', 'physicalType: DOUBLE', 'warning type-widened t.x'],
    ['physicalType: BIGINT', 'physicalType: DOUBLE', 'breaking type-narrowed t.x'],
    ['physicalType: INT', 'physicalType: DECIMAL(12,2)', 'warning type-widened t.x'],
    ['physicalType: INT', 'physicalType: DECIMAL(8,2)', 'breaking type-narrowed t.x'],
    ['physicalType: DECIMAL(10,2)', 'physicalType: DECIMAL(12,4)', 'warning type-widened t.x'],
    ['physicalType: DECIMAL(10,2)', 'physicalType: DECIMAL(10,4)', 'breaking type-incompatible t.x'],
    ['physicalType: FLOAT', 'physicalType: DOUBLE', 'warning type-widened t.x'],
    ['physicalType: VARCHAR(10)', 'physicalType: VARCHAR', 'warning type-widened t.x'],
    ['physicalType: TIMESTAMP', 'physicalType: TIMESTAMPTZ', 'breaking type-incompatible t.x'],
    ['physicalType: DATE', 'physicalType: TIMESTAMP', 'warning type-widened t.x'],
    ['physicalType: STRUCT(a INT)', 'physicalType: STRUCT(a BIGINT)', 'breaking type-incompatible t.x'],
    [
      'logicalType: integer\nlogicalTypeOptions:\n  format: i32',
      'logicalType: integer\nlogicalTypeOptions:\n  format: i64',
      'warning type-widened t.x',
    ],
    ['logicalType: integer', 'logicalType: integer\nlogicalTypeOptions:\n  format: i16', 'breaking type-narrowed t.x'],
    [
      'logicalType: number\nlogicalTypeOptions:\n  format: f64',
      'logicalType: number\nlogicalTypeOptions:\n  format: f32',
      'breaking type-narrowed t.x',
    ],
  ])('%s → %s is %s', (from, to, expected) => {
    expect(rulesOf(prop('x', from), prop('x', to))).toEqual([expected]);
  });

  it('treats a type stated on one side only, or a change of spelling, as metadata', () => {
    expect(rulesOf(prop('x', 'logicalType: string'), prop('x', 'logicalType: string\nphysicalType: VARCHAR'))).toEqual([
      'info metadata-changed t.x',
    ]);
    expect(rulesOf(prop('x', 'physicalType: varchar'), prop('x', 'physicalType: TEXT'))).toEqual(['info metadata-changed t.x']);
  });
});

describe('contract diff: constraints, renames, nesting, quality', () => {
  it('orders bounds both ways and cannot order a changed pattern', () => {
    const s = (options: string): string => prop('x', `logicalType: string\nlogicalTypeOptions:\n${options}`);
    expect(rulesOf(s('  minLength: 1'), s('  minLength: 3'))).toEqual(['warning constraint-tightened t.x']);
    expect(rulesOf(s('  minLength: 3'), s('  minLength: 1'))).toEqual(['breaking constraint-loosened t.x']);
    expect(rulesOf(s('  maxLength: 3'), s('  maxLength: 3\n  pattern: "^[A-Z]+$"'))).toEqual(['warning pattern-added t.x']);
    expect(rulesOf(s('  pattern: "^[A-Z]+$"'), s('  pattern: "^[a-z]+$"'))).toEqual(['breaking pattern-changed t.x']);
    expect(rulesOf(s('  pattern: "^[A-Z]+$"'), s('  maxLength: 9'))).toEqual([
      'warning constraint-tightened t.x',
      'breaking pattern-removed t.x',
    ]);
    const d = (options: string): string => prop('x', `logicalType: date\nlogicalTypeOptions:\n${options}`);
    expect(rulesOf(d('  maximum: "2030-01-01"'), d('  maximum: "2029-01-01"'))).toEqual(['warning constraint-tightened t.x']);
    const n = (options: string): string => prop('x', `logicalType: integer\nlogicalTypeOptions:\n${options}`);
    expect(rulesOf(n('  multipleOf: 10'), n('  multipleOf: 5'))).toEqual(['breaking constraint-loosened t.x']);
    expect(rulesOf(n('  multipleOf: 5'), n('  multipleOf: 10'))).toEqual(['warning constraint-tightened t.x']);
    expect(rulesOf(n('  multipleOf: 4'), n('  multipleOf: 6'))).toEqual(['breaking constraint-changed t.x']);
  });

  it('pairs a rename by stable id, and reports further changes of the renamed property', () => {
    const v1 = prop('amount', 'id: amt\nlogicalType: integer');
    const v2 = prop('total', 'id: amt\nlogicalType: number');
    expect(rulesOf(v1, v2)).toEqual(['breaking property-renamed t.total', 'warning type-widened t.total']);
  });

  it('does not take a removed and an added property of the same type for a rename without evidence', () => {
    expect(rulesOf(prop('a', 'logicalType: string'), prop('b', 'logicalType: string'))).toEqual([
      'breaking property-removed t.a',
      'info property-added-optional t.b',
    ]);
  });

  it('reports a removed object once, not once per nested property, and diffs nested properties by path', () => {
    const address = (street: string): string =>
      prop(
        'address',
        `logicalType: object\nproperties:\n  - name: street\n    logicalType: ${street}\n  - name: city\n    logicalType: string`,
      );
    expect(rulesOf(address('string') + prop('id', 'logicalType: string'), prop('id', 'logicalType: string'))).toEqual([
      'breaking property-removed t.address',
    ]);
    expect(rulesOf(address('string'), address('integer'))).toEqual(['breaking type-incompatible t.address.street']);
    const renamed = address('string').replace('name: address\n', 'name: addr\n');
    expect(
      rulesOf(
        address('string').replace('logicalType: object', 'id: a\n        logicalType: object'),
        renamed.replace('logicalType: object', 'id: a\n        logicalType: object'),
      ),
    ).toEqual(['breaking property-renamed t.addr']);
  });

  it('matches quality rules by id, name or metric; a warning rule cannot break, a severity raised to error can', () => {
    const q = (rules: string): string => prop('x', `logicalType: integer\nquality:\n${rules}`);
    expect(
      rulesOf(
        q('  - metric: nullValues\n    mustBe: 0'),
        q('  - metric: nullValues\n    mustBe: 0\n  - metric: duplicateValues\n    mustBe: 0\n    severity: warning'),
      ),
    ).toEqual(['warning quality-rule-added t.x']);
    expect(
      rulesOf(
        q('  - metric: nullValues\n    mustBe: 0\n    severity: warning'),
        q('  - metric: nullValues\n    mustBe: 0\n    severity: error'),
      ),
    ).toEqual(['warning quality-rule-tightened t.x']);
    const sql = (query: string): string => q(`  - name: positive\n    type: sql\n    query: ${query}\n    mustBe: 0`);
    expect(rulesOf(sql('SELECT count(*) FROM t WHERE x < 0'), sql('SELECT count(*) FROM t WHERE x <= 0'))).toEqual([
      'warning quality-rule-changed t.x',
    ]);
    expect(
      rulesOf(q('  - metric: nullValues\n    mustBeBetween: [0, 10]'), q('  - metric: nullValues\n    mustBeBetween: [0, 5]')),
    ).toEqual(['warning quality-rule-tightened t.x']);
    expect(
      rulesOf(
        q('  - metric: nullValues\n    mustBe: 0\n    description: a'),
        q('  - metric: nullValues\n    mustBe: 0\n    description: b'),
      ),
    ).toEqual(['info description-changed t.x']);
  });

  it('judges the version by semver: a breaking change needs a new major (a new minor while the major is 0)', () => {
    const a = prop('a', 'logicalType: string');
    const b = prop('b', 'logicalType: string');
    const rules = (from: string, to: string, v1: string, v2: string): string[] =>
      diffContracts(
        parseYaml('v1.yaml', BASE.replace('version: 1.0.0', `version: ${from}`) + v1),
        parseYaml('v2.yaml', BASE.replace('version: 1.0.0', `version: ${to}`) + v2),
      ).changes.map((c) => c.ruleId);
    expect(rules('1.0.0', '2.0.0', a + b, a)).toEqual(['property-removed']);
    expect(rules('1.0.0', '1.1.0', a + b, a)).toEqual(['property-removed', 'version-not-bumped']);
    expect(rules('0.3.1', '0.4.0', a + b, a)).toEqual(['property-removed']);
    expect(rules('0.3.1', '0.3.2', a + b, a)).toEqual(['property-removed', 'version-not-bumped']);
    expect(rules('1.0.0', '1.0.0', a, a + b)).toEqual(['property-added-optional', 'version-unchanged']);
    expect(rules('1.0.0', '1.0.1', a, a + b)).toEqual(['property-added-optional']);
    expect(rules('1.2.0', '1.1.9', a, a)).toEqual(['version-decreased']);
  });
});

describe('contract diff: invalid input is reported, not diffed', () => {
  it('names file, line and column for a file that is not YAML, not a contract, or not valid ODCS', async () => {
    const good = await fixture('schema-added', 'v1');
    const notYaml = parseYaml('broken.yaml', 'apiVersion: v3.1.0\nkind: [DataContract\n');
    const notContract = parseYaml('product.yaml', 'apiVersion: v1.0.0\nkind: DataProduct\nid: x\n');
    const badField = parseYaml('bad.yaml', `${BASE.replace('status: active', 'status: 7')}      - name: a\n        required: maybe\n`);
    for (const bad of [notYaml, notContract, badField]) {
      const diff = diffContracts(good, bad);
      expect(diff.changes).toEqual([]);
      expect(diff.diagnostics.length).toBeGreaterThan(0);
      for (const d of diff.diagnostics) {
        expect(d.file).toBe(bad.path);
        expect(d.line).toBeGreaterThan(0);
        expect(d.column).toBeGreaterThan(0);
      }
    }
    expect(diffContracts(good, badField).diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(
      expect.arrayContaining(['5:9 QUANTA_E011', '10:19 QUANTA_E011']),
    );
  });
});

// --- the official ODCS examples -------------------------------------------------------------

const examples = (await fsp.readdir(EXAMPLES)).filter((f) => f.endsWith('.odcs.yaml')).sort();
const exampleTexts = new Map(
  await Promise.all(examples.map(async (f) => [f, await fsp.readFile(nodePath.join(EXAMPLES, f), 'utf8')] as const)),
);

function firstPropertyPath(value: unknown): YamlPath | undefined {
  const schemas = asList(asFields(value)['schema']);
  const index = schemas.findIndex((s) => asList(asFields(s)['properties']).length > 0);
  return index < 0 ? undefined : ['schema', index, 'properties', 0];
}

function edit(text: string, apply: (doc: ReturnType<typeof parseDocument>) => void, surgical: string | undefined): string {
  if (surgical !== undefined) return surgical;
  const doc = parseDocument(text);
  apply(doc);
  return String(doc);
}

const withProperties = examples.filter((f) => firstPropertyPath(parseYaml(f, exampleTexts.get(f) ?? '').value) !== undefined);
const withoutProperties = examples.filter((f) => !withProperties.includes(f));

describe('contract diff: the official ODCS examples', () => {
  it('covers every example, most of them with properties', () => {
    expect(examples.length).toBeGreaterThanOrEqual(18);
    expect(withProperties.length).toBeGreaterThanOrEqual(12);
  });

  it.each(examples)('%s diffed against itself has no changes', (name) => {
    const text = exampleTexts.get(name) ?? '';
    const diff = diffContracts(parseYaml(`v1/${name}`, text), parseYaml(`v2/${name}`, text));
    expect(diff.diagnostics).toEqual([]);
    expect(diff.changes).toEqual([]);
  });

  it.each(withProperties)('%s: removing a property is breaking, located in v1', (name) => {
    const text = exampleTexts.get(name) ?? '';
    const v1 = parseYaml(`v1/${name}`, text);
    const path = firstPropertyPath(v1.value) ?? [];
    const list = asList(asFields(asList(asFields(v1.value)['schema'])[Number(path[1])])['properties']);
    const removed = String(asFields(list[0])['name']);
    // The only property goes with its list (an empty `properties:` is not valid ODCS).
    const surgical = list.length === 1 ? setInText(text, path.slice(0, -1), []) : deleteInText(text, path);
    const v2 = parseYaml(
      `v2/${name}`,
      edit(text, (doc) => doc.deleteIn(path), surgical),
    );
    const diff = diffContracts(v1, v2);
    expect(diff.diagnostics).toEqual([]);
    expect(diff.breaking).toBe(true);
    const change = diff.changes.find((c) => c.ruleId === 'property-removed');
    expect(change).toMatchObject({ severity: 'breaking', property: removed, where: { file: `v1/${name}` } });
    const written = new RegExp(`name:\\s*["']?${removed}["']?\\s*$`, 'm').exec(text);
    expect(change?.where.line).toBe(text.slice(0, written?.index ?? 0).split('\n').length);
    expect(diff.changes.map((c) => c.ruleId)).toContain('version-not-bumped');
  });

  it.each(withProperties)('%s: adding an optional property is info, and nothing breaks', (name) => {
    const text = exampleTexts.get(name) ?? '';
    const v1 = parseYaml(`v1/${name}`, text);
    const path = firstPropertyPath(v1.value) ?? [];
    const count = asList(asFields(asList(asFields(v1.value)['schema'])[Number(path[1])])['properties']).length;
    const at = [...path.slice(0, -1), count];
    const added = { name: 'quanta_note', logicalType: 'string', description: 'Added by the diff test.' };
    const v2 = parseYaml(
      `v2/${name}`,
      edit(text, (doc) => doc.setIn(at, added), setInText(text, at, added)),
    );
    const diff = diffContracts(v1, v2);
    expect(diff.diagnostics).toEqual([]);
    expect(diff.breaking).toBe(false);
    expect(diff.changes.map((c) => `${c.severity} ${c.ruleId} ${c.property ?? ''}`)).toEqual([
      'info property-added-optional quanta_note',
      'warning version-unchanged ',
    ]);
  });

  it.each(withoutProperties)('%s (no properties): adding a schema is info', (name) => {
    const text = exampleTexts.get(name) ?? '';
    const v1 = parseYaml(`v1/${name}`, text);
    const count = asList(asFields(v1.value)['schema']).length;
    const table = { name: 'quanta_table', properties: [{ name: 'id', logicalType: 'string' }] };
    const v2 = parseYaml(
      `v2/${name}`,
      edit(text, (doc) => doc.setIn(['schema', count], table), setInText(text, ['schema', count], table)),
    );
    const diff = diffContracts(v1, v2);
    expect(diff.diagnostics).toEqual([]);
    expect(diff.changes.map((c) => `${c.severity} ${c.ruleId}`)).toEqual(['info schema-added', 'warning version-unchanged']);
  });
});

// --- the consumer side ----------------------------------------------------------------------

describe('contract diff: never throws, never silent', () => {
  const small = examples.filter((f) => (exampleTexts.get(f) ?? '').length < 50_000);

  function placesAreInside(diff: ContractDiff, ...files: YamlSourceFile[]): void {
    for (const change of diff.changes) {
      const file = files.find((f) => f.path === change.where.file);
      expect(file, change.message).toBeDefined();
      expect(change.where.line).toBeGreaterThanOrEqual(1);
      expect(change.where.line).toBeLessThanOrEqual((file?.text ?? '').split('\n').length);
      expect(change.where.column).toBeGreaterThanOrEqual(1);
    }
  }

  it('diffs every pair of official examples, each change placed inside its file', () => {
    const files = small.map((f) => parseYaml(f, exampleTexts.get(f) ?? ''));
    for (const a of files) {
      for (const b of files) {
        const diff = diffContracts(a, b);
        expect(diff.diagnostics).toEqual([]);
        expect(diff.changes.length === 0).toBe(a === b);
        placesAreInside(diff, a, b);
      }
    }
  });

  it('reports a change exactly when two valid contracts differ beyond their version (200 seeded mutations)', () => {
    let seed = 20_251_122;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const values: unknown[] = [null, 0, -1, 1.5, 'x', '', true, [], {}, 'BIGINT', 'integer', [1, 2], 'VARCHAR(3)', 'restricted'];
    let compared = 0;
    for (let round = 0; round < 200; round++) {
      const name = small[Math.floor(random() * small.length)] ?? '';
      const text = exampleTexts.get(name) ?? '';
      const doc = parseDocument(text);
      const paths: YamlPath[] = [];
      const walk = (value: unknown, path: YamlPath): void => {
        if (path.length > 0) paths.push(path);
        if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
        else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      };
      walk(doc.toJS(), []);
      const path = paths[Math.floor(random() * paths.length)] ?? [];
      if (random() < 0.4) doc.deleteIn(path);
      else doc.setIn(path, values[Math.floor(random() * values.length)]);
      const v1 = parseYaml(`v1/${name}`, text);
      const v2 = parseYaml(`v2/${name}`, String(doc));
      for (const diff of [diffContracts(v1, v2), diffContracts(v2, v1)]) {
        placesAreInside(diff, v1, v2);
        if (diff.diagnostics.length > 0) continue;
        compared++;
        const differ = !sameValue({ ...asFields(v1.value), version: 0 }, { ...asFields(v2.value), version: 0 });
        expect(
          diff.changes.some((c) => !c.ruleId.startsWith('version-')),
          `${name}: ${formatPath(path)}`,
        ).toBe(differ);
        expect(
          diff.changes.some((c) => c.message.includes('no diff rule describes')),
          `${name}: ${formatPath(path)}`,
        ).toBe(false);
      }
    }
    expect(compared).toBeGreaterThan(50);
  });
});
