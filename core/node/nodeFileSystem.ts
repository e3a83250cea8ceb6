import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { PathEscapeError, resolveInMesh, type MeshEntry, type MeshFileSystem } from '../fs/meshFileSystem.ts';

/**
 * A mesh folder on disk. Every path is checked twice: lexically (no `..` past the top) and
 * after resolving symlinks, so a link inside the mesh cannot make Quanta read outside it.
 */
export class NodeFileSystem implements MeshFileSystem {
  readonly root: string;
  #realRoot: string | undefined;

  constructor(root: string) {
    this.root = nodePath.resolve(root);
  }

  async #resolve(path: string): Promise<string> {
    const relative = path === '' || path === '.' ? '' : resolveInMesh('', path);
    if (relative === undefined) throw new PathEscapeError(path);
    const absolute = nodePath.join(this.root, ...relative.split('/').filter(Boolean));
    this.#realRoot ??= await fsp.realpath(this.root).catch(() => this.root);
    const real = await fsp.realpath(absolute).catch(() => undefined);
    if (real !== undefined && !isInside(this.#realRoot, real)) throw new PathEscapeError(path);
    if (real === undefined) {
      // Nothing there, or a dangling symlink: judge a link by where it points, so a missing
      // target outside the mesh is reported as outside, not merely as missing.
      const target = await fsp.readlink(absolute).catch(() => undefined);
      if (target !== undefined) {
        const parent = await fsp.realpath(nodePath.dirname(absolute)).catch(() => nodePath.dirname(absolute));
        if (!isInside(this.#realRoot, nodePath.resolve(parent, target))) throw new PathEscapeError(path);
      }
    }
    return absolute;
  }

  async list(dir: string): Promise<MeshEntry[]> {
    const absolute = await this.#resolve(dir);
    const entries = await fsp.readdir(absolute, { withFileTypes: true }).catch(() => []);
    const out: MeshEntry[] = [];
    for (const entry of entries) {
      let kind: MeshEntry['kind'] | undefined;
      if (entry.isDirectory()) kind = 'directory';
      else if (entry.isFile()) kind = 'file';
      else if (entry.isSymbolicLink()) {
        const target = await fsp.stat(nodePath.join(absolute, entry.name)).catch(() => undefined);
        kind = target?.isDirectory() ? 'directory' : target?.isFile() ? 'file' : undefined;
      }
      if (kind) out.push({ name: entry.name, kind });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async stat(path: string): Promise<{ kind: 'file' | 'directory'; size: number } | undefined> {
    const absolute = await this.#resolve(path);
    const stats = await fsp.stat(absolute).catch(() => undefined);
    if (!stats) return undefined;
    return { kind: stats.isDirectory() ? 'directory' : 'file', size: stats.size };
  }

  async readFile(path: string): Promise<Uint8Array> {
    return new Uint8Array(await fsp.readFile(await this.#resolve(path)));
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    const target = await this.#resolve(path);
    await writeFileAtomic(target, data);
  }
}

/**
 * Temp file in the same folder (so rename stays on one file system), fsync, rename over the
 * target, fsync the folder. A crash at any point leaves the old file or the new one whole.
 */
export async function writeFileAtomic(target: string, data: Uint8Array): Promise<void> {
  const dir = nodePath.dirname(target);
  await fsp.mkdir(dir, { recursive: true });
  const temp = nodePath.join(dir, `.${nodePath.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fsp.open(temp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fsp.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fsp.rename(temp, target);
  } catch (error) {
    await fsp.rm(temp, { force: true });
    throw error;
  }
  const dirHandle = await fsp.open(dir, 'r').catch(() => undefined);
  if (dirHandle) {
    // Some file systems refuse fsync on a directory; the rename itself is already durable enough there.
    await dirHandle.sync().catch(() => undefined);
    await dirHandle.close();
  }
}

function isInside(root: string, candidate: string): boolean {
  const relative = nodePath.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !nodePath.isAbsolute(relative));
}
