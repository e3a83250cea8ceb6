import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { Validator, type Schema } from '@cfworker/json-schema';
import { describe, expect, it } from 'vitest';
import { applyEdit } from '../../core/edits/meshEdits.ts';
import {
  addRuleEdit,
  deleteRuleEdit,
  draftOf,
  listRules,
  newDraft,
  replaceRuleEdit,
  ruleFromDraft,
  type RuleDraft,
  type RuleWhere,
} from '../../core/edits/qualityRules.ts';
import { parseYaml, type YamlSourceFile } from '../../core/yaml/sourceFile.ts';
import { SAMPLES_DIR, SHARED_STANDARDS } from '../helpers.ts';

/*
 * The Quality form's model: the rules of a contract listed and said in words, drafts of the
 * rules Quanta runs, and the one MeshEdit each add, edit and delete is — written rules valid
 * ODCS v3.1.0, the file's comments and the rule's other fields kept.
 */
const ALBUMS = 'domains/songs/music-catalog/albums.odcs.yaml';
const albumsText = await fsp.readFile(nodePath.join(SAMPLES_DIR, 'daff', ALBUMS), 'utf8');
const odcs = JSON.parse(await fsp.readFile(nodePath.join(SHARED_STANDARDS, 'odcs', 'odcs-json-schema-v3.1.0.json'), 'utf8')) as Schema;

const albums = (): YamlSourceFile => parseYaml(ALBUMS, albumsText);
function edited(file: YamlSourceFile, edit: ReturnType<typeof addRuleEdit> | undefined): YamlSourceFile {
  if (!edit) throw new Error('no edit');
  return applyEdit(new Map([[file.path, file]]), edit).get(file.path) as YamlSourceFile;
}
function expectValidOdcs(file: YamlSourceFile): void {
  const result = new Validator(odcs, '2019-09', false).validate(file.value);
  expect(result.errors.map((e) => `${e.instanceLocation}: ${e.error}`)).toEqual([]);
}
const draft = (where: RuleWhere, change: Partial<RuleDraft>): RuleDraft => ({ ...newDraft(where, 'albums'), ...change });
const ALBUM_TYPE: RuleWhere = { table: 0, property: 3 };

describe('the quality rules of a contract, listed', () => {
  it('lists the table rules and each column rule, in words, with severity', () => {
    const rules = listRules(albums());
    expect(rules.map((r) => [r.target, r.says, r.severity])).toEqual([
      ['albums', 'albums: at least 1 row', 'error'],
      ['albums', 'albums: SQL SELECT COUNT(*) FROM albums WHERE track_count = 0 must be less than 20', 'warning'],
      ['album_type', 'album_type: no value outside album, ep, single', 'error'],
    ]);
    expect(rules.map((r) => r.path.join('/'))).toEqual(['schema/0/quality/0', 'schema/0/quality/1', 'schema/0/properties/3/quality/0']);
    expect(rules.every((r) => r.draft !== undefined)).toBe(true);
    expect(rules[2]?.draft).toMatchObject({
      kind: 'invalidValues',
      validValues: ['album', 'ep', 'single'],
      operator: 'mustBe',
      value: '0',
    });
  });

  it('shows rules Quanta does not run, or the form cannot write, read-only with the reason', () => {
    const file = parseYaml(
      't.odcs.yaml',
      [
        'apiVersion: v3.1.0',
        'kind: DataContract',
        'id: t',
        'version: 1.0.0',
        'status: draft',
        'schema:',
        '  - name: t',
        '    quality:',
        '      - type: text',
        '        description: Every row is checked by hand.',
        '      - metric: rowCount',
        '        mustBeGreaterThan: 0',
        '        mustBeLessThan: 10',
        '      - type: custom',
        '        engine: soda',
        '        implementation: "row_count > 0"',
        '',
      ].join('\n'),
    );
    const rules = listRules(file);
    expect(rules.map((r) => r.draft)).toEqual([undefined, undefined, undefined]);
    expect(rules[0]?.readOnly).toMatch(/Quanta does not run it: a text rule/);
    expect(rules[1]?.readOnly).toMatch(/more than one comparison/);
    expect(rules[2]?.says).toBe('t: soda rule (custom)');
  });
});

describe('writing quality rules from the form', () => {
  it('adds an invalidValues rule to a column as one edit, valid ODCS, comments kept', () => {
    const file = albums();
    const rule = ruleFromDraft(
      draft({ table: 0, property: 1 }, { validValues: ['x', 'y'], operator: 'mustBeLessOrEqualTo', value: '5', unit: 'percent' }),
    );
    const after = edited(file, addRuleEdit(file, { table: 0, property: 1 }, rule));
    expect(after.text).toContain("# Where this port's data lives when the mesh runs in Quanta");
    expect(listRules(after).find((r) => r.target === 'title')?.says).toBe('title: values outside x, y must be at most 5%');
    expectValidOdcs(after);
  });

  it('writes every kind the form offers as valid ODCS v3.1.0', () => {
    const column: RuleWhere = { table: 0, property: 0 };
    const table: RuleWhere = { table: 0 };
    const drafts: [RuleWhere, Partial<RuleDraft>][] = [
      [column, { kind: 'nullValues', operator: 'mustBe', value: '0' }],
      [column, { kind: 'missingValues', missingValues: ['', 'n/a'], operator: 'mustBeLessThan', value: '3' }],
      [column, { kind: 'invalidValues', pattern: '^A[0-9]+$', operator: 'mustBe', value: '0', severity: 'warning' }],
      [column, { kind: 'duplicateValues', operator: 'mustBeBetween', value: '5', high: '1' }],
      [table, { kind: 'duplicateValues', properties: ['title', 'artist_id'], operator: 'mustBe', value: '0' }],
      [table, { kind: 'rowCount', operator: 'mustNotBeBetween', value: '0', high: '10' }],
      [
        table,
        {
          kind: 'sql',
          query: 'SELECT count(*) FROM {table} WHERE track_count < 0',
          operator: 'mustBe',
          value: '0',
          description: 'No negative counts',
        },
      ],
    ];
    let file = albums();
    for (const [where, change] of drafts) file = edited(file, addRuleEdit(file, where, ruleFromDraft(draft(where, change))));
    expectValidOdcs(file);
    const written = listRules(file);
    expect(written.every((r) => r.draft !== undefined)).toBe(true);
    // Read back, each draft is what was written (bounds in order).
    expect(written.find((r) => r.rule['metric'] === 'rowCount' && r.rule['mustNotBeBetween'])?.rule['mustNotBeBetween']).toEqual([0, 10]);
    expect(written.find((r) => r.target === 'album_id' && r.rule['metric'] === 'duplicateValues')?.rule['mustBeBetween']).toEqual([1, 5]);
  });

  it('changes only the severity of a rule, keeping a comment inside the rule and fields the form does not know', () => {
    const text = albumsText.replace(
      '            mustBe: 0\n            severity: error',
      '            # zero: every release is one of the three\n            mustBe: 0\n            dimension: conformity\n            severity: error',
    );
    const file = parseYaml(ALBUMS, text);
    const listed = listRules(file).find((r) => r.target === 'album_type');
    if (!listed?.draft) throw new Error('album_type has an editable rule');
    const edit = replaceRuleEdit(file, listed, ruleFromDraft({ ...listed.draft, severity: 'warning' }, listed.rule));
    expect(edit).toMatchObject({ kind: 'setField', path: ['schema', 0, 'properties', 3, 'quality', 0, 'severity'], value: 'warning' });
    const after = edited(file, edit);
    expect(after.text).toContain('# zero: every release is one of the three');
    expect(after.text).toContain('dimension: conformity');
    expect(after.text.replace('severity: warning', 'severity: error')).toBe(text);
    expectValidOdcs(after);
  });

  it('rewrites a rule whose comparison changed, keeping its key order and other fields', () => {
    const file = albums();
    const listed = listRules(file).find((r) => r.target === 'album_type');
    if (!listed?.draft) throw new Error('album_type has an editable rule');
    const rule = ruleFromDraft(
      { ...listed.draft, operator: 'mustBeLessThan', value: '3', validValues: ['album', 'ep'] },
      { ...listed.rule, name: 'types' },
    );
    expect(Object.keys(rule)).toEqual(['metric', 'arguments', 'mustBeLessThan', 'severity', 'name']);
    const after = edited(file, replaceRuleEdit(file, listed, { ...rule, name: undefined }));
    expect(listRules(after).find((r) => r.target === 'album_type')?.says).toBe('album_type: values outside album, ep must be less than 3');
    // Only the rule's changed lines differ: the rest of the file, folded lines included, is as it was.
    const [head, tail] = albumsText.split('      - name: album_type');
    expect(after.text.startsWith(`${head ?? ''}      - name: album_type`)).toBe(true);
    expect(after.text.endsWith((tail ?? '').slice((tail ?? '').indexOf('      - name: genre_id')))).toBe(true);
    expectValidOdcs(after);
  });

  it('deletes a rule, and the last rule of a column takes its quality key with it', () => {
    const file = albums();
    const [first, , columnRule] = listRules(file);
    if (!first || !columnRule) throw new Error('albums has three rules');
    const withoutFirst = edited(file, deleteRuleEdit(file, first));
    expect(listRules(withoutFirst).map((r) => r.says)).toEqual([
      'albums: SQL SELECT COUNT(*) FROM albums WHERE track_count = 0 must be less than 20',
      'album_type: no value outside album, ep, single',
    ]);
    const withoutColumnRule = edited(file, deleteRuleEdit(file, columnRule));
    expect(withoutColumnRule.text).not.toContain('validValues');
    expect(withoutColumnRule.text).toContain(
      '      - name: album_type\n        logicalType: string\n        physicalType: VARCHAR\n        required: true\n      - name: genre_id',
    );
    expectValidOdcs(withoutColumnRule);
  });

  it('keeps listed values a rule held as numbers', () => {
    const rule = { metric: 'invalidValues', arguments: { validValues: [1, 2, 3] }, mustBe: 0 };
    const d = draftOf(rule, ALBUM_TYPE);
    if (!d) throw new Error('the rule has a draft');
    expect(ruleFromDraft({ ...d, validValues: ['1', '2', 'x'] }, rule)['arguments']).toEqual({ validValues: [1, 2, 'x'] });
  });
});
