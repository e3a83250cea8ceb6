import { describe, expect, it } from 'vitest';
import { diagnostic, type Diagnostic } from '../../core/diagnostics/diagnostic.ts';
import type { MeshFiles } from '../../core/model/types.ts';
import { planSave } from '../../core/save/savePlan.ts';
import { parseYaml } from '../../core/yaml/sourceFile.ts';

const files = (texts: Record<string, string>): MeshFiles =>
  new Map(Object.entries(texts).map(([path, text]) => [path, parseYaml(path, text)]));
const error = (file: string): Diagnostic => diagnostic('QUANTA_E001', { file, line: 1, column: 1 }, 'broken');

describe('what a save writes (core/save)', () => {
  const saved = files({
    'mesh.yaml': 'name: m\n',
    'domains/a/one/product.odps.yaml': 'id: one\n',
    'domains/a/two/product.odps.yaml': 'id: two\n',
  });

  it('writes only the changed files, as UTF-8, and nothing for an unchanged mesh', () => {
    const edited = files({ ...Object.fromEntries([...saved].map(([p, f]) => [p, f.text])), 'mesh.yaml': 'name: ünï\n' });
    const plan = planSave({ files: edited, saved, folderPaths: [], diagnostics: [] });
    expect([...plan.writes.keys()]).toEqual(['mesh.yaml']);
    expect(new TextDecoder().decode(plan.writes.get('mesh.yaml') ?? undefined)).toBe('name: ünï\n');
    expect(planSave({ files: saved, saved, folderPaths: [], diagnostics: [] }).writes.size).toBe(0);
  });

  it('deletes a removed product with the seed data of its folder, and keeps the seed data of the others', () => {
    const edited = new Map([...saved].filter(([path]) => !path.includes('/two/')));
    const folderPaths = ['domains/a/two/data/rows.csv', 'domains/a/one/data/rows.csv', 'domains/a/two/product.odps.yaml'];
    const plan = planSave({ files: edited, saved, folderPaths, diagnostics: [] });
    expect([...plan.writes]).toEqual([
      ['domains/a/two/product.odps.yaml', null],
      ['domains/a/two/data/rows.csv', null],
    ]);
  });

  it('is blocked by an error in a file it would write, not by one in a file it leaves alone', () => {
    const edited = files({ ...Object.fromEntries([...saved].map(([p, f]) => [p, f.text])), 'mesh.yaml': 'name: [\n' });
    const diagnostics = [error('mesh.yaml'), error('domains/a/one/product.odps.yaml')];
    expect(planSave({ files: edited, saved, folderPaths: [], diagnostics }).blockers.map((d) => d.file)).toEqual(['mesh.yaml']);
  });
});
