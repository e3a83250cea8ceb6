import { describe, expect, it } from 'vitest';
import { applyEdit, type MeshEdit } from '../../core/edits/meshEdits.ts';
import { buildMesh } from '../../core/load/buildMesh.ts';
import type { Mesh, MeshFiles } from '../../core/model/types.ts';
import { parseYaml, type YamlSourceFile } from '../../core/yaml/sourceFile.ts';
import { valueAt } from '../../renderer/src/inspector/fileDiagnostics.ts';
import { previewGenerator, previewSeed, referenceOptions } from '../../renderer/src/inspector/sources/sourcePreview.ts';
import {
  addColumnEdit,
  addSourceEdit,
  columnPath,
  columnsPath,
  defaultSettingsText,
  durationText,
  moveItemEdit,
  parseParam,
  removeSourceEdit,
  renameSourceEdit,
  scheduleMeaning,
  sourceNameProblem,
  splitDuration,
  typeChangeEdit,
  valueEdit,
  COLUMN_TYPES,
} from '../../renderer/src/inspector/sources/sourcesForm.ts';
import { loadSample } from '../helpers.ts';

/* The Sources tab's quanta.yaml form ↔ edits, on daff's music-catalog (a seed file and two generators with references). */
const SETTINGS = 'domains/songs/music-catalog/quanta.yaml';

async function catalog(): Promise<{ mesh: Mesh; files: MeshFiles; file: YamlSourceFile }> {
  const { mesh } = await loadSample('daff');
  return { mesh, files: mesh.files, file: mesh.files.get(SETTINGS) as YamlSourceFile };
}

function apply(files: MeshFiles, edit: MeshEdit | undefined): { files: MeshFiles; file: YamlSourceFile } {
  if (!edit) throw new Error('no edit');
  const next = applyEdit(files, edit);
  return { files: next, file: next.get(SETTINGS) as YamlSourceFile };
}

const param = (type: string, key: string) => {
  const found = COLUMN_TYPES.find((t) => t.id === type)?.params.find((p) => p.key === key);
  if (!found) throw new Error(`no ${type}.${key}`);
  return found;
};

describe('the Sources form', () => {
  it('says when a product runs, as the scheduler decides it', () => {
    expect(scheduleMeaning({ every: '1d' }, false)).toBe('Runs once per simulated day (every 24 ticks; a tick is one simulated hour).');
    expect(scheduleMeaning({ every: '6h' }, true)).toBe(
      'Runs once every 6 simulated hours (every 6 ticks; a tick is one simulated hour), and whenever an upstream publishes a new version.',
    );
    expect(scheduleMeaning({ every: '6h', onUpstreamPublish: false }, true)).toMatch(
      /^Runs once every 6 simulated hours \(every 6 ticks; a tick is one simulated hour\)\.$/,
    );
    expect(scheduleMeaning({ every: '30m' }, false)).toBe(
      'Runs once every 30 simulated minutes — that is every tick, since a tick is one simulated hour.',
    );
    expect(scheduleMeaning({}, true)).toBe('Runs whenever an upstream publishes a new version.');
    expect(scheduleMeaning(undefined, false)).toBe('Runs on every tick (one simulated hour), taking in its sources each time.');
  });

  it('splits and joins durations the way the loader reads them', () => {
    expect(splitDuration('1d')).toEqual({ amount: '1', unit: 'd' });
    expect(splitDuration('500ms')).toEqual({ amount: '500', unit: 'ms' });
    expect(splitDuration('1 day')).toBeUndefined();
    expect(durationText('02', 'h')).toBe('2h');
    expect(durationText(' ', 'h')).toBeUndefined();
  });

  it('changes one field with one setField that touches only its line, keeping the comments', async () => {
    const { files, file } = await catalog();
    const edit = valueEdit(file, ['sources', 1, 'generator', 'rows'], 42);
    expect(edit).toEqual({ kind: 'setField', file: SETTINGS, path: ['sources', 1, 'generator', 'rows'], value: 42 });
    const next = apply(files, edit).file;
    expect(next.text).toBe(file.text.replace('rows: 600', 'rows: 42'));
    expect(valueEdit(next, ['sources', 1, 'generator', 'rows'], 42)).toBeUndefined();
  });

  it('keeps keys the form does not know and every comment through a type change, a rename and a move', () => {
    const text = [
      '# Settings, hand-written.',
      'apiVersion: quanta/v1',
      'kind: QuantumSettings',
      'archetype: source-aligned',
      'x-owner: platform-team # not Quanta’s',
      'sources:',
      '  - name: a',
      '    generator:',
      '      rows: 5',
      '      seed: 1',
      '      columns:',
      '        # the key',
      '        - name: id',
      '          type: sequence',
      '          x-note: keep me',
      '        - name: kind',
      '          type: text',
      '',
    ].join('\n');
    const start = parseYaml(SETTINGS, text);
    let { files, file } = apply(new Map([[SETTINGS, start]]), typeChangeEdit(start, 0, 1, 'choice', undefined));
    ({ files, file } = apply(files, renameSourceEdit(file, 0, 'b')));
    ({ file } = apply(files, moveItemEdit(file, columnsPath(0), 0, 1)));
    for (const kept of ['# Settings, hand-written.', 'x-owner: platform-team # not Quanta’s', '# the key', 'x-note: keep me'])
      expect(file.text).toContain(kept);
    expect(valueAt(file.value, columnsPath(0))).toEqual([
      { name: 'kind', type: 'choice', values: ['a', 'b', 'c'] },
      { name: 'id', type: 'sequence', 'x-note': 'keep me' },
    ]);
    expect(file.text.indexOf('# the key')).toBeGreaterThan(file.text.indexOf('name: kind'));
  });

  it('parses choice values and weights from comma lists, refusing a weight that is not a number', () => {
    expect(parseParam(param('choice', 'values'), 'album, ep, 7, true')).toEqual({ value: ['album', 'ep', 7, true] });
    expect(parseParam(param('choice', 'values'), ' ')).toEqual({ problem: 'Values is required for this type.' });
    expect(parseParam(param('choice', 'weights'), '1, 2.5')).toEqual({ value: [1, 2.5] });
    expect(parseParam(param('choice', 'weights'), '1, x')).toEqual({
      problem: 'Weights are numbers separated by commas: “x” is not a number.',
    });
    expect(parseParam(param('choice', 'weights'), '')).toEqual({ value: undefined });
    expect(parseParam(param('timestamp', 'start'), 'soon')).toEqual({
      problem: '“soon” is not an ISO timestamp; write it like 2026-01-01T00:00:00Z.',
    });
    expect(parseParam(param('reference', 'references'), 'no dot')).toEqual({
      problem: 'Write a reference as <source>.<column> or <product>/<source>.<column>.',
    });
  });

  it('changes a column type in one edit: old parameters go, a choice gets values, a reference its first option', async () => {
    const { files, file } = await catalog();
    // track_feed.duration_seconds is a normal column (mean, stddev, min, max, scale).
    const toChoice = typeChangeEdit(file, 2, 4, 'choice', undefined);
    expect(toChoice?.kind).toBe('setText');
    const choice = apply(files, toChoice).file;
    expect(valueAt(choice.value, columnPath(2, 4))).toEqual({ name: 'duration_seconds', type: 'choice', values: ['a', 'b', 'c'] });
    expect(choice.text).toContain('# ISRC: country QZ, registrant DAF, year 26, designation code.');
    const toReference = typeChangeEdit(choice, 2, 4, 'reference', 'release_feed.album_id');
    expect(valueAt(apply(files, toReference).file.value, columnPath(2, 4))).toEqual({
      name: 'duration_seconds',
      type: 'reference',
      references: 'release_feed.album_id',
    });
  });

  it('moves a column with the comment above it, and only those lines change', async () => {
    const { files, file } = await catalog();
    // release_feed: album_id, artist_id, title, album_type, # comment + genre_id, # comment + released_at.
    const edit = moveItemEdit(file, columnsPath(1), 4, 0);
    expect(edit?.kind).toBe('setText');
    const moved = apply(files, edit).file;
    const names = (valueAt(moved.value, columnsPath(1)) as { name: string }[]).map((c) => c.name);
    expect(names).toEqual(['genre_id', 'album_id', 'artist_id', 'title', 'album_type', 'released_at']);
    const lines = moved.text.split('\n');
    const comment = lines.indexOf('        # Must be genre_id values of data/genres.csv.');
    expect(lines[comment + 1]).toBe('        - name: genre_id');
    expect(lines[comment - 1]).toBe('      columns:');
    expect([...moved.text].sort().join('')).toBe([...file.text].sort().join(''));
    expect(moveItemEdit(file, columnsPath(1), 0, 0)).toBeUndefined();
  });

  it('renames a source and the references to it in the same file, as one edit', async () => {
    const { files, file } = await catalog();
    expect(sourceNameProblem(file.value, 1, 'track_feed')).toBe('Another source is already named “track_feed”.');
    expect(sourceNameProblem(file.value, 1, '1st')).toMatch(/is not a table name/);
    expect(renameSourceEdit(file, 1, 'bad name')).toBeUndefined();
    const renamed = apply(files, renameSourceEdit(file, 1, 'releases')).file;
    expect(valueAt(renamed.value, ['sources', 1, 'name'])).toBe('releases');
    expect(valueAt(renamed.value, [...columnPath(2, 1), 'references'])).toBe('releases.album_id');
    expect(renamed.text.split('\n').filter((l, i) => l !== file.text.split('\n')[i])).toEqual([
      '  - name: releases',
      '          references: releases.album_id',
    ]);
  });

  it('adds a generator source and a column, removes a source, and removes `sources` with the last one', async () => {
    const { files, file } = await catalog();
    const added = apply(files, addSourceEdit(file, 77));
    expect(valueAt(added.file.value, ['sources', 3, 'name'])).toBe('generated');
    expect(valueAt(added.file.value, ['sources', 3, 'generator', 'seed'])).toBe(77);
    const column = apply(added.files, addColumnEdit(added.file, 3)).file;
    expect(valueAt(column.value, [...columnPath(3, 3)])).toEqual({ name: 'column', type: 'integer', min: 0, max: 100 });
    expect(removeSourceEdit(file, 0)).toEqual({ kind: 'deleteField', file: SETTINGS, path: ['sources', 0] });
    const single = parseYaml(
      SETTINGS,
      'apiVersion: quanta/v1\nkind: QuantumSettings\narchetype: source-aligned\nsources:\n  - name: a\n    file: a.csv\n',
    );
    expect(removeSourceEdit(single, 0)).toEqual({ kind: 'deleteField', file: SETTINGS, path: ['sources'] });
  });

  it('previews the first generated rows, references drawn from the referenced source', async () => {
    const { mesh, file } = await catalog();
    const result = previewGenerator(mesh, 'music-catalog', valueAt(file.value, ['sources', 2, 'generator']));
    if (!('preview' in result)) throw new Error(result.problem);
    expect(result.preview.columns).toEqual(['track_id', 'album_id', 'title', 'isrc', 'duration_seconds', 'explicit']);
    expect(result.preview.rows).toHaveLength(20);
    expect(result.preview.rows[0]?.[0]).toBe('T000001');
    for (const row of result.preview.rows) expect(row[1]).toMatch(/^AL\d{5}$/);
    expect(previewGenerator(mesh, 'music-catalog', { rows: 5, seed: 1, columns: [{ name: 'c', type: 'choice' }] })).toEqual({
      problem: 'The generator cannot run: column "c": a choice needs values.',
    });
    expect(previewGenerator(mesh, 'music-catalog', { rows: 'many', seed: 1, columns: [] })).toEqual({
      problem: 'Set rows to a whole number to see a preview.',
    });
  });

  it('offers the generated columns of this product’s earlier sources and of other products as references', async () => {
    const { mesh } = await catalog();
    const options = referenceOptions(mesh, 'music-catalog', 2);
    expect(options[0]).toEqual({ value: 'release_feed.album_id', group: 'This product (music-catalog)' });
    expect(options.some((o) => o.value === 'artist-onboarding/artist_signups.artist_id')).toBe(true);
    expect(options.some((o) => o.value.startsWith('track_feed.'))).toBe(false);
    // release_feed (index 1) may not reference track_feed, which comes after it (QUANTA_E034).
    expect(referenceOptions(mesh, 'music-catalog', 1).some((o) => o.group.startsWith('This product'))).toBe(false);
  });

  it('previews the first rows of a CSV seed, reading only the start of a large one', () => {
    const header = 'id,name\n';
    const body = Array.from({ length: 40_000 }, (_, i) => `${i + 1},name ${i + 1}`).join('\n');
    const result = previewSeed(new TextEncoder().encode(header + body), 'csv');
    if (!('preview' in result)) throw new Error(result.problem);
    expect(result.preview.columns).toEqual(['id', 'name']);
    expect(result.preview.rows).toEqual([
      ['1', 'name 1'],
      ['2', 'name 2'],
      ['3', 'name 3'],
      ['4', 'name 4'],
      ['5', 'name 5'],
    ]);
  });

  it('writes a quanta.yaml the loader accepts for a product without one', async () => {
    const { mesh } = await loadSample('hello-mesh');
    for (const [id, inputs] of [
      ['orders', false],
      ['daily-revenue', true],
    ] as const) {
      const product = mesh.products.find((p) => p.id === id);
      if (!product) throw new Error(id);
      const path = `${product.dir}/quanta.yaml`;
      const files = new Map(mesh.files);
      files.set(path, parseYaml(path, defaultSettingsText(id, inputs, 5)));
      const built = buildMesh(files);
      expect(built.diagnostics.filter((d) => d.file === path)).toEqual([]);
      const settings = built.mesh.products.find((p) => p.id === id)?.settings;
      expect(settings?.archetype).toBe(inputs ? 'consumer-aligned' : 'source-aligned');
    }
  });
});
