import { describe, expect, it } from 'vitest';
import { applyEdit } from '../../core/edits/meshEdits.ts';
import { buildMesh } from '../../core/load/buildMesh.ts';
import type { MeshFiles } from '../../core/model/types.ts';
import type { YamlSourceFile } from '../../core/yaml/sourceFile.ts';
import { nodeLines } from '../../renderer/src/inspector/fileDiagnostics.ts';
import {
  fieldDiagnostics,
  fieldEdit,
  fieldProblem,
  fieldSquashKey,
  fieldText,
  PRODUCT_FIELDS,
  structureProblem,
} from '../../renderer/src/inspector/productForm.ts';
import { loadSample } from '../helpers.ts';

/* The Product tab's ODPS form ↔ setField/deleteField edits, on hello-mesh's daily-revenue product. */
const PRODUCT = 'domains/finance/daily-revenue/product.odps.yaml';

const field = (key: string) => {
  const found = PRODUCT_FIELDS.find((f) => f.key === key);
  if (!found) throw new Error(`no field ${key}`);
  return found;
};

async function dailyRevenue(): Promise<{ files: MeshFiles; file: YamlSourceFile }> {
  const { mesh } = await loadSample('hello-mesh');
  return { files: mesh.files, file: mesh.files.get(PRODUCT) as YamlSourceFile };
}

describe('the product form', () => {
  it('shows the ODPS fields of the file, tags joined by commas and missing fields empty', async () => {
    const { file } = await dailyRevenue();
    expect(Object.fromEntries(PRODUCT_FIELDS.map((f) => [f.key, fieldText(file, f)]))).toEqual({
      name: 'Daily revenue',
      status: 'active',
      version: '1.0.0',
      purpose: 'Revenue and order count per calendar day, for the daily finance report.',
      usage: '',
      limitations: '',
      team: 'finance-team',
      tags: '',
    });
  });

  it('saves a typed name as one setField edit that changes only that line', async () => {
    const { files, file } = await dailyRevenue();
    const edit = fieldEdit(file, field('name'), 'Revenue per day');
    expect(edit).toEqual({ kind: 'setField', file: PRODUCT, path: ['name'], value: 'Revenue per day' });
    const next = applyEdit(files, edit!).get(PRODUCT) as YamlSourceFile;
    expect(next.text).toBe(file.text.replace('name: Daily revenue', 'name: Revenue per day'));
    expect(fieldEdit(file, field('name'), 'Daily revenue')).toBeUndefined();
  });

  it('adds a missing nested field (description.usage) and writes tags as a list', async () => {
    const { files, file } = await dailyRevenue();
    const usage = applyEdit(files, fieldEdit(file, field('usage'), 'Join on day.')!).get(PRODUCT) as YamlSourceFile;
    expect(fieldText(usage, field('usage'))).toBe('Join on day.');
    expect(fieldText(usage, field('purpose'))).toBe('Revenue and order count per calendar day, for the daily finance report.');
    const tagsEdit = fieldEdit(file, field('tags'), 'finance,  revenue ,');
    expect(tagsEdit).toEqual({ kind: 'setField', file: PRODUCT, path: ['tags'], value: ['finance', 'revenue'] });
    const tagged = applyEdit(files, tagsEdit!).get(PRODUCT) as YamlSourceFile;
    expect(fieldText(tagged, field('tags'))).toBe('finance, revenue');
    expect(fieldEdit(tagged, field('tags'), '')).toEqual({ kind: 'deleteField', file: PRODUCT, path: ['tags'] });
  });

  it('deletes an emptied optional field, and refuses to empty the required status', async () => {
    const { file } = await dailyRevenue();
    expect(fieldEdit(file, field('version'), '')).toEqual({ kind: 'deleteField', file: PRODUCT, path: ['version'] });
    expect(fieldEdit(file, field('usage'), '')).toBeUndefined();
    expect(fieldProblem(field('status'), '')).toBe('Status is required by ODPS.');
    expect(fieldEdit(file, field('status'), '')).toBeUndefined();
  });

  it('refuses a version that is not semantic, saying how to write one, and accepts pre-releases', async () => {
    const { file } = await dailyRevenue();
    expect(fieldProblem(field('version'), '1.0')).toBe('“1.0” is not a semantic version; write it as major.minor.patch, e.g. 1.0.0.');
    expect(fieldEdit(file, field('version'), '1.0')).toBeUndefined();
    expect(fieldProblem(field('version'), '2.0.0-rc.1')).toBeUndefined();
    expect(fieldProblem(field('tags'), 'a, b, a')).toBe('A tag is listed twice.');
  });

  it('shows the validator’s finding under the field it concerns: an undeclared team', async () => {
    const { files, file } = await dailyRevenue();
    const next = applyEdit(files, fieldEdit(file, field('team'), 'nobody')!);
    const { diagnostics } = buildMesh(next);
    const edited = next.get(PRODUCT) as YamlSourceFile;
    const onTeam = fieldDiagnostics(edited, field('team'), diagnostics);
    expect(onTeam.map((d) => d.code)).toEqual(['QUANTA_E024']);
    expect(onTeam[0]?.message).toContain('"nobody"');
    expect(fieldDiagnostics(edited, field('name'), diagnostics)).toEqual([]);
  });

  it('refuses to edit a field whose parent is written as text, instead of failing the edit', async () => {
    const { files } = await dailyRevenue();
    const text = (files.get(PRODUCT) as YamlSourceFile).text.replace('team:\n  name: finance-team', 'team: finance-team');
    const odd = applyEdit(files, { kind: 'setText', file: PRODUCT, text }).get(PRODUCT) as YamlSourceFile;
    expect(structureProblem(odd, field('team'))).toBe(`team is not a mapping in ${PRODUCT}; edit it in the YAML view.`);
    expect(fieldEdit(odd, field('team'), 'sales-team')).toBeUndefined();
    expect(structureProblem(odd, field('name'))).toBeUndefined();
  });

  it('finds a field’s lines from its key to the end of its value', async () => {
    const { file } = await dailyRevenue();
    const keyLine = file.text.split('\n').findIndex((l) => l.startsWith('description:')) + 1;
    expect(nodeLines(file, ['description'])).toEqual({ first: keyLine, last: keyLine + 1 });
    expect(nodeLines(file, ['tags'])).toBeUndefined();
  });

  it('merges typing in one field into one undo entry, keyed by file and path', () => {
    expect(fieldSquashKey(PRODUCT, ['description', 'purpose'])).toBe(`field:${PRODUCT}:description.purpose`);
  });
});
