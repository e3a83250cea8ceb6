import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyEdit, applyEdits } from '../../core/edits/meshEdits.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { NodeFileSystem } from '../../core/node/nodeFileSystem.ts';
import type { MeshFileSystem } from '../../core/fs/meshFileSystem.ts';
import type { MeshFiles } from '../../core/model/types.ts';
import { changedFiles, planSave } from '../../core/save/savePlan.ts';
import { parseYaml } from '../../core/yaml/sourceFile.ts';
import { listFiles, loadSample, SAMPLES_DIR, sampleNames, SHARED_STANDARDS, tempDir } from '../helpers.ts';

const samples = await sampleNames();

/** Writes what a save of `files` over `saved` writes (core/save's plan), as the app's save targets do; returns the paths. */
async function save(fs: MeshFileSystem, files: MeshFiles, saved: MeshFiles = new Map()): Promise<string[]> {
  const { writes } = planSave({ files, saved, folderPaths: [], diagnostics: [] });
  for (const [path, bytes] of writes) if (bytes) await fs.writeFile(path, bytes);
  return [...writes.keys()];
}

describe('load → save round trip', () => {
  it.each(samples)('writes every file of %s back byte-identical', async (name) => {
    const source = nodePath.join(SAMPLES_DIR, name);
    const { mesh } = await loadSample(name);
    const target = await tempDir(`roundtrip-${name}`);
    const written = await save(new NodeFileSystem(target), mesh.files);
    const metadata = (await listFiles(source)).filter((p) => !p.includes('/data/') && !p.endsWith('README.md'));
    expect([...written].sort()).toEqual(metadata);
    for (const path of metadata) {
      const [original, saved] = await Promise.all([fsp.readFile(nodePath.join(source, path)), fsp.readFile(nodePath.join(target, path))]);
      expect(saved.equals(original), path).toBe(true);
    }
  });

  it.each(samples)('saving an unedited %s against its baseline writes nothing', async (name) => {
    const { mesh } = await loadSample(name);
    const target = await tempDir('nothing');
    expect(await save(new NodeFileSystem(target), mesh.files, mesh.files)).toEqual([]);
    expect(await fsp.readdir(target)).toEqual([]);
  });
});

describe('editing through the model', () => {
  const product = 'domains/sales/orders/product.odps.yaml';

  async function helloCopy(): Promise<string> {
    const dir = await tempDir('edit');
    await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
    // A user's own comment and a field Quanta does not know, in the middle of the file.
    const path = nodePath.join(dir, product);
    const text = await fsp.readFile(path, 'utf8');
    await fsp.writeFile(path, text.replace('status: active\n', 'status: active # reviewed by Ada\nx-owner-notes: keep this field\n'));
    return dir;
  }

  it('keeps comments and unknown fields and changes only the edited line', async () => {
    const dir = await helloCopy();
    const fs = new NodeFileSystem(dir);
    const before = await loadMesh(fs);
    const original = await fsp.readFile(nodePath.join(dir, product), 'utf8');
    const files = applyEdit(before.mesh.files, {
      kind: 'setField',
      file: product,
      path: ['description', 'purpose'],
      value: 'Every order, one row each.',
    });
    expect(changedFiles(files, before.mesh.files)).toEqual([product]);
    await save(fs, files, before.mesh.files);

    const saved = await fsp.readFile(nodePath.join(dir, product), 'utf8');
    expect(saved).toContain('status: active # reviewed by Ada');
    expect(saved).toContain('x-owner-notes: keep this field');
    expect(saved).toContain('# A source-aligned product');
    expect(changedLines(original, saved)).toEqual(['  purpose: Every order, one row each.']);
    const after = await loadMesh(fs);
    expect(after.mesh.products.find((p) => p.id === 'orders')?.purpose).toBe('Every order, one row each.');
  });

  it('adds an input port as a new list entry without touching the rest of the file', async () => {
    const dir = await helloCopy();
    const fs = new NodeFileSystem(dir);
    const before = await loadMesh(fs);
    const target = 'domains/finance/daily-revenue/product.odps.yaml';
    const original = before.mesh.files.get(target)?.text ?? '';
    const files = applyEdit(before.mesh.files, {
      kind: 'addInputPort',
      productDir: 'domains/finance/daily-revenue',
      port: { name: 'orders_again', contractId: 'hello.sales.orders', version: '1.0.0' },
    });
    const text = files.get(target)?.text ?? '';
    expect(text.startsWith(original.slice(0, original.indexOf('outputPorts:')).trimEnd())).toBe(true);
    expect(changedLines(original, text)).toEqual(['  - name: orders_again', '    contractId: hello.sales.orders', '    version: 1.0.0']);
    await save(fs, files, before.mesh.files);
    const after = await loadMesh(fs);
    expect(after.mesh.products.find((p) => p.id === 'daily-revenue')?.inputPorts.map((p) => p.name)).toEqual(['orders', 'orders_again']);
  });

  it('adds a first input port to a product that had none, and deletes a field with its line', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const files = applyEdits(mesh.files, [
      {
        kind: 'addInputPort',
        productDir: 'domains/sales/orders',
        port: { name: 'x', contractId: 'hello.finance.daily-revenue', version: '1.0.0' },
      },
      { kind: 'deleteField', file: product, path: ['description', 'usage'] },
    ]);
    const edited = parseDocument(files.get(product)?.text ?? '').toJS() as Record<string, unknown>;
    expect(edited['inputPorts']).toEqual([{ name: 'x', contractId: 'hello.finance.daily-revenue', version: '1.0.0' }]);
    expect(edited['description']).toEqual({ purpose: 'Every order placed in the web shop, one row per order.' });
    expect(files.get(product)?.text).toContain('# A source-aligned product');
  });

  it('leaves the previous file map untouched, so undo is keeping it', async () => {
    const { mesh } = await loadSample('hello-mesh');
    const before = mesh.files.get(product)?.text;
    const files = applyEdit(mesh.files, { kind: 'setField', file: product, path: ['name'], value: 'Shop orders' });
    expect(mesh.files.get(product)?.text).toBe(before);
    expect(files.get('mesh.yaml')).toBe(mesh.files.get('mesh.yaml'));
  });
});

/*
 * Property: setting any scalar of any real-world YAML file (samples and official examples)
 * to a new one-line value changes exactly one line, and the file then holds that value.
 */
const yamlCorpus = [
  ...(await listFiles(SAMPLES_DIR)).filter((p) => p.endsWith('.yaml')).map((p) => nodePath.join(SAMPLES_DIR, p)),
  ...(await listFiles(SHARED_STANDARDS)).filter((p) => p.endsWith('.yaml')).map((p) => nodePath.join(SHARED_STANDARDS, p)),
];

describe('a scalar edit is a one-line diff', () => {
  it.each(yamlCorpus.map((p) => [nodePath.basename(p), p]))('in %s', async (_name, path) => {
    const text = await fsp.readFile(path, 'utf8');
    const file = parseYaml('f.yaml', text);
    const doc = file.doc;
    if (!doc) throw new Error('unparsable corpus file');
    const paths = scalarPaths(doc.contents);
    expect(paths.length).toBeGreaterThan(0);
    const files = new Map([['f.yaml', file]]);
    for (const target of paths.filter((_, i) => i % Math.max(1, Math.floor(paths.length / 10)) === 0)) {
      const edited = applyEdit(files, { kind: 'setField', file: 'f.yaml', path: target, value: 'edited value' }).get('f.yaml');
      expect(changedLines(text, edited?.text ?? '').length, `${path} ${target.join('.')}`).toBe(1);
      expect(parseDocument(edited?.text ?? '').getIn(target)).toBe('edited value');
    }
  });
});

/** Paths of every one-line scalar value in a document. */
function scalarPaths(node: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (isScalar(node)) {
    const oneLine = node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED' && !String(node.source ?? node.value).includes('\n');
    return prefix.length > 0 && oneLine ? [prefix] : [];
  }
  if (isMap(node))
    return node.items.flatMap((pair) => (isScalar(pair.key) ? scalarPaths(pair.value, [...prefix, String(pair.key.value)]) : []));
  if (isSeq(node)) return node.items.flatMap((item, i) => scalarPaths(item, [...prefix, i]));
  return [];
}

/** Lines of `after` that are not at the same place in `before` (a small LCS-free diff for near-identical texts). */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return b.slice(head, b.length - tail);
}
