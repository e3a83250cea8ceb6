import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { PathEscapeError, resolveInMesh } from '../../core/fs/meshFileSystem.ts';
import { NodeFileSystem, writeFileAtomic } from '../../core/node/nodeFileSystem.ts';
import { tempDir } from '../helpers.ts';

describe('paths inside the mesh folder', () => {
  it.each([
    ['domains/a', 'data/x.csv', 'domains/a/data/x.csv'],
    ['domains/a', '../b/data/x.csv', 'domains/b/data/x.csv'],
    ['domains/a', './data/./x.csv', 'domains/a/data/x.csv'],
  ])('resolves %s + %s to %s', (base, relative, expected) => {
    expect(resolveInMesh(base, relative)).toBe(expected);
  });

  it.each(['../../../etc/passwd', '/etc/passwd', 'C:\\\\Windows', '\\\\server\\share', '..\\\\..\\\\..\\\\x', 'a\u0000b', ''])(
    'refuses %j',
    (relative) => {
      expect(resolveInMesh('domains/a', relative)).toBeUndefined();
    },
  );

  it('refuses to read through a symlink that points outside the mesh', async () => {
    const dir = await tempDir('symlink');
    await fsp.symlink('/etc/hostname', nodePath.join(dir, 'escape'));
    const fs = new NodeFileSystem(dir);
    await expect(fs.readFile('escape')).rejects.toBeInstanceOf(PathEscapeError);
    await expect(fs.readFile('../outside')).rejects.toBeInstanceOf(PathEscapeError);
  });
});

describe('atomic writes', () => {
  it('replaces the file whole and leaves no temp file behind', async () => {
    const dir = await tempDir('atomic');
    const fs = new NodeFileSystem(dir);
    await fs.writeFile('a/b.yaml', new TextEncoder().encode('one\n'));
    await fs.writeFile('a/b.yaml', new TextEncoder().encode('two\n'));
    expect(await fsp.readFile(nodePath.join(dir, 'a/b.yaml'), 'utf8')).toBe('two\n');
    expect(await fsp.readdir(nodePath.join(dir, 'a'))).toEqual(['b.yaml']);
  });

  it('keeps the old file intact when the write fails', async () => {
    const dir = await tempDir('atomic-fail');
    const target = nodePath.join(dir, 'mesh.yaml');
    await fsp.writeFile(target, 'original\n');
    // A target that is a folder cannot be renamed over: the write must fail cleanly.
    const blocked = nodePath.join(dir, 'blocked.yaml');
    await fsp.mkdir(blocked);
    await fsp.writeFile(nodePath.join(blocked, 'keep'), 'x');
    await expect(writeFileAtomic(blocked, new TextEncoder().encode('new'))).rejects.toThrow();
    expect(await fsp.readFile(target, 'utf8')).toBe('original\n');
    expect((await fsp.readdir(dir)).sort()).toEqual(['blocked.yaml', 'mesh.yaml']);
  });
});
