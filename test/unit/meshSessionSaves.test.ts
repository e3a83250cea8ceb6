import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FolderSyncError, sha256, syncFolder } from '../../electron/durableFs.ts';
import { IpcArgumentError, saveArguments } from '../../electron/ipcArguments.ts';
import { MeshSession, type SaveSeams } from '../../electron/meshSession.ts';
import { SAMPLES_DIR, tempDir } from '../helpers.ts';

/* Saves that lose nothing: what the save channel accepts, and recovery from a save cut short. */
const sessions: MeshSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.unwatch();
});

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const PRODUCT = 'domains/sales/orders/product.odps.yaml';
const CONTRACT = 'domains/sales/orders/orders.odcs.yaml';
const DOMAIN = 'domains/sales/domain.yaml';

async function helloCopy(seams?: SaveSeams): Promise<{ dir: string; session: MeshSession }> {
  const dir = await fsp.realpath(await tempDir('saves'));
  await fsp.cp(nodePath.join(SAMPLES_DIR, 'hello-mesh'), dir, { recursive: true });
  const session = await MeshSession.open(dir, seams ? { seams } : {});
  sessions.push(session);
  await session.readAll();
  return { dir, session };
}

const read = (dir: string, path: string): Promise<string | null> => fsp.readFile(nodePath.join(dir, path), 'utf8').catch(() => null);

async function hiddenFiles(dir: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await fsp.readdir(nodePath.join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.name.startsWith('.')) found.push(path);
    else if (entry.isDirectory()) found.push(...(await hiddenFiles(dir, path)));
  }
  return found;
}

/** A save that stops for good at `seam`: what a crash at that moment leaves on disk. */
function frozenAt(seam: keyof SaveSeams): { seams: SaveSeams; reached: Promise<void> } {
  let reach = (): void => undefined;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  return {
    reached,
    seams: {
      [seam]: () => {
        reach();
        return new Promise<void>(() => undefined);
      },
    },
  };
}

describe('the save channel', () => {
  it.each([
    ['.git/hooks/pre-commit', 'hidden folder'],
    ['.git/config', 'hidden folder'],
    ['.vscode/tasks.json', 'hidden folder'],
    ['node_modules/.bin/quanta', 'hidden folder'],
    ['node_modules/left-pad/index.js', 'node_modules'],
    ['domains/sales/orders/node_modules/x/data.csv', 'node_modules'],
    ['.quanta-journal.json', 'hidden file'],
    ['domains/sales/.hidden/product.odps.yaml', 'hidden folder'],
    ['domains/sales/orders/.product.odps.yaml.a1b2c3d4e5f6.quanta-new', 'hidden file'],
    ['notes.md', 'is not a file of the mesh format'],
    ['domains/sales/orders/run.sh', 'is not a file of the mesh format'],
    ['domains/sales/orders/data/hook.sh', 'is not a file of the mesh format'],
    ['domains/sales/orders/data/deep/x.csv', 'is not a file of the mesh format'],
    ['policies/.policy.yaml', 'hidden file'],
    ['scenarios/x.yaml', 'is not a file of the mesh format'],
    ['domains/sales/orders/\u202eyaml.sh', 'control or text-direction characters'],
  ])('refuses to write %s', (path, message) => {
    const save = (): unknown => saveArguments({ changes: [{ path, content: bytes('x') }] });
    expect(save).toThrow(IpcArgumentError);
    expect(save).toThrow(message);
    expect(save).toThrow('Nothing of this save was written');
  });

  it('accepts every file kind of the mesh format', () => {
    const paths = [
      'mesh.yaml',
      'layout.yaml',
      'README.md',
      DOMAIN,
      PRODUCT,
      CONTRACT,
      'domains/sales/orders/quanta.yaml',
      'domains/sales/orders/transform.sql',
      'domains/sales/orders/README.md',
      'domains/sales/orders/data/orders.csv',
      'domains/sales/orders/data/events.jsonl',
      'domains/sales/orders/data/plans.parquet',
      'domains/sales/orders/data/lookup.json',
      'policies/finance-money-is-decimal.policy.yaml',
      'scenarios/schema-drift.scenario.yaml',
    ];
    const { changes } = saveArguments({ changes: paths.map((path) => ({ path, content: bytes('x') })) });
    expect(changes.map((c) => c.path)).toEqual(paths);
  });

  it("deletes a deleted product's leftovers, but nothing hidden outside it", () => {
    const leftovers = ['domains/sales/orders/notes.txt', 'domains/sales/orders/data/raw.xlsx', 'domains/sales/orders/.gitkeep'];
    expect(saveArguments({ changes: leftovers.map((path) => ({ path, content: null })) }).changes).toHaveLength(3);
    for (const path of ['.git/index', '.vscode/tasks.json', 'notes.md', 'domains/sales/.git/x'])
      expect(() => saveArguments({ changes: [{ path, content: null }] })).toThrow(IpcArgumentError);
    expect(() => saveArguments({ changes: [{ path: 'domains/sales/orders/.gitkeep', content: bytes('x') }] })).toThrow('hidden file');
  });

  it('never writes into .git through a symbolic link inside the mesh', async () => {
    const { dir, session } = await helloCopy();
    await fsp.mkdir(nodePath.join(dir, '.git/hooks'), { recursive: true });
    // A product folder that is a link into .git/hooks: README.md is a mesh file, so only where it lands tells.
    await fsp.symlink(nodePath.join(dir, '.git/hooks'), nodePath.join(dir, 'domains/sales/refunds'));
    await expect(session.save([{ path: 'domains/sales/refunds/README.md', content: bytes('x') }])).rejects.toThrow(
      'leads into a hidden folder or node_modules through a symbolic link',
    );
    expect(await fsp.readdir(nodePath.join(dir, '.git/hooks'))).toEqual([]);
  });
});

describe('a save', () => {
  it('is all or nothing: a conflict on one file writes none, and leaves no folder it made', async () => {
    const { dir, session } = await helloCopy();
    await fsp.writeFile(nodePath.join(dir, CONTRACT), '# edited elsewhere\n');
    const result = await session.save([
      { path: PRODUCT, content: bytes('# new product\n') },
      { path: 'domains/billing/invoices/product.odps.yaml', content: bytes('# new\n') },
      { path: CONTRACT, content: bytes('# new contract\n') },
    ]);
    expect(result).toEqual({ ok: false, conflicts: [CONTRACT] });
    expect(await read(dir, PRODUCT)).not.toBe('# new product\n');
    expect(await fsp.stat(nodePath.join(dir, 'domains/billing')).catch(() => undefined)).toBeUndefined();
    expect(await hiddenFiles(dir)).toEqual([]);
  });

  it('runs one after another when two are asked for at once, neither taken for an external edit', async () => {
    const { dir, session } = await helloCopy();
    const [a, b] = await Promise.all([
      session.save([{ path: PRODUCT, content: bytes('# first\n') }]),
      session.save([{ path: PRODUCT, content: bytes('# second\n') }]),
    ]);
    expect([a.ok, b.ok]).toEqual([true, true]);
    expect(await read(dir, PRODUCT)).toBe('# second\n');
  });

  it('says so when a file to save is a folder on disk', async () => {
    const { dir, session } = await helloCopy();
    await fsp.mkdir(nodePath.join(dir, 'domains/sales/orders/README.md'));
    await expect(session.save([{ path: 'domains/sales/orders/README.md', content: bytes('x') }])).rejects.toThrow(
      '"domains/sales/orders/README.md" is a folder on disk, not a file',
    );
    expect(await hiddenFiles(dir)).toEqual([]);
  });

  it('has the watcher report an edit that lands right after the new file was placed', async () => {
    let edit = async (): Promise<void> => undefined;
    const { dir, session } = await helloCopy({ afterPlace: () => edit() });
    const seen: string[][] = [];
    session.watch((paths) => seen.push(paths), 100);
    edit = () => fsp.writeFile(nodePath.join(dir, PRODUCT), '# edited the moment after\n');
    expect((await session.save([{ path: PRODUCT, content: bytes('# by Quanta\n') }])).ok).toBe(true);
    await expect.poll(() => seen.flat(), { timeout: 5_000 }).toContain(PRODUCT);
    expect(await read(dir, PRODUCT)).toBe('# edited the moment after\n');
  });

  it('reports a folder fsync that fails, naming the folder', async () => {
    const missing = nodePath.join(await tempDir('sync'), 'gone');
    await expect(syncFolder(missing)).rejects.toThrow(FolderSyncError);
    await expect(syncFolder(missing)).rejects.toThrow(`cannot make the changes in ${missing} durable`);
  });
});

describe('opening a mesh after a save was cut short', () => {
  const changes = [
    { path: PRODUCT, content: bytes('# new product\n') },
    { path: CONTRACT, content: bytes('# new contract\n') },
    { path: 'domains/billing/invoices/product.odps.yaml', content: bytes('# new in a new folder\n') },
    { path: DOMAIN, content: null },
  ];

  it.each([['afterClaim'], ['afterPlace']] as const)('completes a save cut short %s, from its journal', async (seam) => {
    const frozen = frozenAt(seam);
    const { dir, session } = await helloCopy(frozen.seams);
    void session.save(changes);
    await frozen.reached;
    expect(await hiddenFiles(dir)).toContain('.quanta-journal.json');
    const reopened = await MeshSession.open(dir);
    expect(reopened.recovery).toMatchObject({ preserved: [], kept: [] });
    // Cut short after the claim, the old files are aside and the new ones not in place yet.
    if (seam === 'afterClaim') expect(reopened.recovery.rolledForward).toContain(PRODUCT);
    expect(await read(dir, PRODUCT)).toBe('# new product\n');
    expect(await read(dir, CONTRACT)).toBe('# new contract\n');
    expect(await read(dir, 'domains/billing/invoices/product.odps.yaml')).toBe('# new in a new folder\n');
    expect(await read(dir, DOMAIN)).toBeNull();
    expect(await hiddenFiles(dir)).toEqual([]);
  });

  it('undoes a save cut short before its journal: all old files, no temp file', async () => {
    const frozen = frozenAt('afterCheck');
    const { dir, session } = await helloCopy(frozen.seams);
    const before = await read(dir, PRODUCT);
    void session.save(changes);
    await frozen.reached;
    expect((await hiddenFiles(dir)).length).toBeGreaterThan(0);
    const reopened = await MeshSession.open(dir);
    expect(reopened.recovery.rolledForward).toEqual([]);
    expect(reopened.recovery.removed.length).toBeGreaterThan(0);
    expect(await read(dir, PRODUCT)).toBe(before);
    expect(await read(dir, DOMAIN)).not.toBeNull();
    expect(await fsp.stat(nodePath.join(dir, 'domains/billing')).catch(() => undefined)).toBeUndefined();
    expect(await hiddenFiles(dir)).toEqual([]);
  });

  it("keeps a file another program changed after the crash rather than the cut-short save's version", async () => {
    const frozen = frozenAt('afterPlace');
    const { dir, session } = await helloCopy(frozen.seams);
    void session.save([{ path: PRODUCT, content: bytes('# new product\n') }]);
    await frozen.reached;
    // The new file is in place, but the journal and the temp file are still there.
    await fsp.writeFile(nodePath.join(dir, PRODUCT), '# edited after the crash\n');
    const reopened = await MeshSession.open(dir);
    expect(await read(dir, PRODUCT)).toBe('# edited after the crash\n');
    expect(reopened.recovery).toMatchObject({ kept: [PRODUCT], preserved: [] });
    expect(await hiddenFiles(dir)).toEqual([]);
  });

  it("does not follow a journal shipped in a stranger's mesh that names a file outside the mesh format", async () => {
    const { dir } = await helloCopy();
    const hook = '#!/bin/sh\necho pwned\n';
    const id = 'a1b2c3d4e5f6';
    await fsp.mkdir(nodePath.join(dir, '.git/hooks'), { recursive: true });
    await fsp.writeFile(nodePath.join(dir, `.git/hooks/.pre-commit.${id}.quanta-new`), hook);
    const journal = {
      format: 'quanta-save-journal',
      id,
      entries: [{ path: '.git/hooks/pre-commit', expected: null, next: sha256(bytes(hook)) }],
    };
    await fsp.writeFile(nodePath.join(dir, '.quanta-journal.json'), JSON.stringify(journal));
    // A leftover whose name would restore onto its own folder: removed, and the open still works.
    await fsp.writeFile(nodePath.join(dir, `domains/...${id}.quanta-old`), 'odd name');
    const reopened = await MeshSession.open(dir);
    expect(reopened.recovery.rolledForward).toEqual([]);
    expect(await fsp.readdir(nodePath.join(dir, '.git/hooks'))).toEqual([`.pre-commit.${id}.quanta-new`]);
    expect(await hiddenFiles(dir)).toEqual(['.git']);
  });

  it('removes stale temp files of earlier crashes, and leaves other hidden files alone', async () => {
    const { dir } = await helloCopy();
    const stale = [
      'domains/sales/orders/.product.odps.yaml.a1b2c3d4e5f6.tmp',
      '.quanta-journal.0123456789ab.tmp',
      '.mesh.yaml.0123456789ab.quanta-new',
    ];
    for (const path of stale) await fsp.writeFile(nodePath.join(dir, path), 'half a write');
    await fsp.writeFile(nodePath.join(dir, '.editorconfig'), 'root = true\n');
    const reopened = await MeshSession.open(dir);
    expect([...reopened.recovery.removed].sort()).toEqual([...stale].sort());
    expect(await hiddenFiles(dir)).toEqual(['.editorconfig']);
  });
});
