import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { runCli } from '../../core/node/cli.ts';
import { NodeFileSystem } from '../../core/node/nodeFileSystem.ts';
import { newMeshFiles } from '../../renderer/src/actions/openActions.ts';
import {
  allFiles,
  applyDraft,
  changeDocument,
  markSaved,
  openDocument,
  pendingWrites,
  startDraft,
  undoDocument,
  type MeshDocument,
} from '../../renderer/src/workspace/meshDocument.ts';
import { REPO, SAMPLES_DIR, exists, listFiles, tempDir } from '../helpers.ts';

/*
 * Renaming a domain's id as the editor does it (the document, its seed bytes, the writes a
 * save makes), written to a real folder, then `quanta validate` on the result.
 */

async function validate(dir: string): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(['validate', dir], { out: (t) => (out += t), err: (t) => (out += t), cwd: REPO });
  return { code, out };
}

/** Opens a folder as the editor does: its text files as the model, every byte as seeds. */
async function open(dir: string): Promise<MeshDocument> {
  const loaded = await loadMesh(new NodeFileSystem(dir));
  const bytes: Record<string, Uint8Array> = {};
  for (const path of await listFiles(dir)) bytes[path] = new Uint8Array(await fsp.readFile(nodePath.join(dir, path)));
  return openDocument({ kind: 'stored', id: 'test' }, loaded, new MemoryFileSystem(bytes));
}

/** Carries out a save's writes, then removes the folders it emptied (as the desktop save does). */
async function save(dir: string, doc: MeshDocument): Promise<void> {
  for (const [path, bytes] of pendingWrites(doc)) {
    const file = nodePath.join(dir, path);
    if (bytes === null) {
      await fsp.rm(file, { force: true });
      for (let folder = nodePath.dirname(file); folder !== dir; folder = nodePath.dirname(folder)) {
        if ((await fsp.readdir(folder)).length > 0) break;
        await fsp.rmdir(folder);
      }
    } else {
      await fsp.mkdir(nodePath.dirname(file), { recursive: true });
      await fsp.writeFile(file, bytes);
    }
  }
}

describe('renaming a domain id, saved to a folder', () => {
  it('moves daff songs to catalog with its seed data, and quanta validate is clean', async () => {
    const dir = await tempDir('rename-domain');
    await fsp.cp(nodePath.join(SAMPLES_DIR, 'daff'), dir, { recursive: true });
    const before = await validate(dir);
    expect(before.code).toBe(0);
    const seed = await fsp.readFile(nodePath.join(dir, 'domains/songs/music-catalog/data/genres.csv'));

    const doc = changeDocument(
      await open(dir),
      { change: { kind: 'renameDomain', domainId: 'songs', name: 'Catalog', newId: 'catalog' } },
      'Rename',
    );
    await save(dir, doc);

    expect(await exists(nodePath.join(dir, 'domains/songs'))).toBe(false);
    expect(await fsp.readFile(nodePath.join(dir, 'domains/catalog/music-catalog/data/genres.csv'))).toEqual(seed);
    // An export after the save has the moved folder once, seed data included, and nothing of the old one.
    const exported = allFiles(markSaved(doc, doc.files));
    expect([...exported.keys()].filter((p) => p.startsWith('domains/songs/'))).toEqual([]);
    expect(exported.get('domains/catalog/music-catalog/data/genres.csv')).toEqual(new Uint8Array(seed));
    const after = await validate(dir);
    expect(after.out).toMatch(/✓ daff is valid/);
    expect(after.code).toBe(0);
    // The same warnings as before, no more.
    expect(after.out.split('\n').filter((l) => l.includes('warning')).length).toBe(
      before.out.split('\n').filter((l) => l.includes('warning')).length,
    );
  }, 60_000);

  it('renames the starter domain of a new mesh after a product was added; undo brings the old folder back', async () => {
    const dir = await tempDir('rename-starter');
    for (const [path, bytes] of newMeshFiles('Workshop')) {
      await fsp.mkdir(nodePath.dirname(nodePath.join(dir, path)), { recursive: true });
      await fsp.writeFile(nodePath.join(dir, path), bytes);
    }
    let doc = await open(dir);
    doc = changeDocument(
      doc,
      {
        change: { kind: 'createProduct', domain: 'first-domain', id: 'orders', name: 'Orders', archetype: 'source-aligned', upstreams: [] },
      },
      'Create',
    );
    doc = changeDocument(doc, { change: { kind: 'renameDomain', domainId: 'first-domain', name: 'Sales', newId: 'sales' } }, 'Rename');
    await save(dir, doc);
    expect((await listFiles(dir)).filter((p) => p.startsWith('domains/'))).toEqual([
      'domains/sales/domain.yaml',
      'domains/sales/orders/orders.odcs.yaml',
      'domains/sales/orders/product.odps.yaml',
      'domains/sales/orders/quanta.yaml',
      'domains/sales/orders/transform.sql',
    ]);
    expect(await fsp.readFile(nodePath.join(dir, 'domains/sales/orders/orders.odcs.yaml'), 'utf8')).toMatch(
      /^id: workshop\.sales\.orders\.orders$/m,
    );
    const result = await validate(dir);
    expect(result.out).toMatch(/✓ workshop is valid/);
    expect(result.code).toBe(0);

    const saved = { ...doc, saved: doc.files };
    await save(dir, undoDocument(saved));
    expect((await listFiles(dir)).filter((p) => p.startsWith('domains/sales'))).toEqual([]);
    expect(await exists(nodePath.join(dir, 'domains/first-domain/orders/product.odps.yaml'))).toBe(true);
    expect((await validate(dir)).code).toBe(0);
  }, 60_000);

  it('keeps the seed data of a domain renamed in a what-if draft once the draft is applied', async () => {
    const dir = await tempDir('rename-draft');
    await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
    const doc = await open(dir);
    const draft = changeDocument(
      startDraft(doc),
      { change: { kind: 'renameDomain', domainId: 'sales', name: 'Shop', newId: 'shop' } },
      'Rename',
    );
    await save(dir, applyDraft(doc, draft));
    expect((await listFiles(dir)).filter((p) => p.startsWith('domains/shop/orders/data/'))).toEqual([
      'domains/shop/orders/data/orders.csv',
    ]);
    expect(await exists(nodePath.join(dir, 'domains/sales'))).toBe(false);
    expect((await validate(dir)).code).toBe(0);
  }, 60_000);
});
