import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffContracts } from '../../core/governance/diff/contractDiff.ts';
import { DIFF_RULES, headline, type ChangeSeverity, type DiffRuleId } from '../../core/governance/diff/diffRules.ts';
import { parseYaml } from '../../core/yaml/sourceFile.ts';
import { REPO } from '../helpers.ts';

/*
 * The verdict table of docs/contract-diff.md is a test: one pair of ODCS v3.1.0 contracts per
 * row (test/fixtures/diff/<rule-id>/v1 → v2, each valid against the ODCS schema), diffed, and
 * the change the row names must carry the row's producer, consumers and headline severities.
 * The table and DIFF_RULES must list the same rules with the same verdicts, so neither drifts.
 */
const DOC = nodePath.join(REPO, 'docs/contract-diff.md');
const FIXTURES = nodePath.join(REPO, 'test/fixtures/diff');

interface Row {
  readonly rule: string;
  readonly producer: string;
  readonly consumers: string;
  readonly headline: string;
  readonly why: string;
  readonly dcc: string;
}

function tableOf(markdown: string): Row[] {
  return markdown
    .split('\n')
    .filter((line) => /^\| `[a-z-]+` \|/.test(line))
    .map((line) => {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      return {
        rule: (cells[0] ?? '').replace(/`/g, ''),
        producer: cells[2] ?? '',
        consumers: cells[3] ?? '',
        headline: cells[4] ?? '',
        why: cells[5] ?? '',
        dcc: cells[6] ?? '',
      };
    });
}

const rows = tableOf(await fsp.readFile(DOC, 'utf8'));

// Pairs that exercise a row's "when" (the variant its change column names) rather than the usual verdict.
const VARIANT: Readonly<Record<string, Partial<Record<'producer' | 'consumers', ChangeSeverity>>>> = {
  'status-changed': { consumers: 'warning' }, // the pair deprecates the contract
};

async function pair(rule: string): Promise<ReturnType<typeof diffContracts>> {
  const read = async (side: string) => {
    const path = `${rule}/${side}.odcs.yaml`;
    return parseYaml(path, await fsp.readFile(nodePath.join(FIXTURES, path), 'utf8'));
  };
  return diffContracts(await read('v1'), await read('v2'));
}

describe('docs/contract-diff.md: the verdict table', () => {
  it('has one row per rule id of DIFF_RULES, in no other order than the code’s, each with its reasoning and a datacontract-cli column', () => {
    expect(rows.map((r) => r.rule)).toEqual(Object.keys(DIFF_RULES));
    for (const row of rows) {
      expect(row.why, row.rule).toMatch(/\w{3}/);
      expect(row.dcc, row.rule).toMatch(/^(=|dcc: |not compared)/);
    }
  });

  it.each(rows.map((r) => [r.rule, r] as const))('%s: the table says what DIFF_RULES says', (rule, row) => {
    const info = DIFF_RULES[rule as DiffRuleId];
    expect({ producer: row.producer, consumers: row.consumers, headline: row.headline }).toEqual({
      producer: info.producer,
      consumers: info.consumers,
      headline: headline(info),
    });
  });

  it.each(rows.map((r) => [r.rule, r] as const))(
    '%s: its pair of contracts yields the rule with both sides’ verdicts',
    async (rule, row) => {
      const diff = await pair(rule);
      expect(diff.diagnostics).toEqual([]); // both files are valid ODCS v3.1.0
      const change = diff.changes.find((c) => c.ruleId === rule);
      expect(change, `${rule} did not fire`).toBeDefined();
      const expected = { producer: row.producer as ChangeSeverity, consumers: row.consumers as ChangeSeverity, ...VARIANT[rule] };
      expect({ producer: change?.producer, consumers: change?.consumers, severity: change?.severity }).toEqual({
        ...expected,
        severity: headline(expected),
      });
    },
  );
});

describe('the verdicts issue 11 names (regressions)', () => {
  // Each pair is the fixture of its rule; the expectation is spelled out here, not read from the table.
  it.each([
    ['pattern-added', 'breaking', 'info', 'warning'],
    ['format-added', 'breaking', 'info', 'warning'],
    ['constraint-tightened', 'breaking', 'info', 'warning'],
    ['enum-restricted', 'breaking', 'info', 'warning'],
    ['pattern-removed', 'info', 'breaking', 'breaking'],
    ['classification-removed', 'info', 'breaking', 'breaking'],
    ['classification-weakened', 'info', 'breaking', 'breaking'],
    ['schema-type-changed', 'breaking', 'breaking', 'breaking'],
  ] as const)('%s: producer %s, consumers %s, headline %s', async (rule, producer, consumers, severity) => {
    const change = (await pair(rule)).changes.find((c) => c.ruleId === rule);
    expect(change).toMatchObject({ producer, consumers, severity });
  });

  it('a property becoming an object is breaking on both sides', () => {
    const contract = (body: string) =>
      parseYaml(
        'c.odcs.yaml',
        `apiVersion: v3.1.0\nkind: DataContract\nid: t\nversion: 1.0.0\nstatus: active\nschema:\n  - name: t\n    properties:\n      - name: address\n${body}`,
      );
    const diff = diffContracts(
      contract('        logicalType: string\n'),
      contract('        logicalType: object\n        properties:\n          - name: street\n            logicalType: string\n'),
    );
    expect(diff.diagnostics).toEqual([]);
    expect(diff.changes.find((c) => c.ruleId === 'type-incompatible')).toMatchObject({
      producer: 'breaking',
      consumers: 'breaking',
      severity: 'breaking',
    });
  });

  it('a table between table and view is read the same way: info on both sides', async () => {
    const text = await fsp.readFile(nodePath.join(FIXTURES, 'schema-type-changed/v1.odcs.yaml'), 'utf8');
    const diff = diffContracts(
      parseYaml('v1.odcs.yaml', text),
      parseYaml('v2.odcs.yaml', text.replace('physicalType: table', 'physicalType: view')),
    );
    expect(diff.changes.filter((c) => c.ruleId === 'schema-type-changed')).toEqual([
      expect.objectContaining({ producer: 'info', consumers: 'info', severity: 'info' }),
    ]);
  });
});
