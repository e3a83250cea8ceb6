import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import {
  MeshReadError,
  PathEscapeError,
  resolveInMesh,
  type MeshEntry,
  type MeshFileSystem,
  type MeshStat,
  type ReadOptions,
} from '../fs/meshFileSystem.ts';
import { describeKind, limitsFromEnv, openFailure, readRegularFile, type ReadLimits } from './boundedRead.ts';

/**
 * A mesh folder on disk. Every path is checked twice: lexically (no `..` past the top) and
 * after resolving symlinks, so a link inside the mesh cannot make Quanta read outside it.
 * Only regular files are read, within a size and a time limit (`boundedRead.ts`; from
 * QUANTA_MAX_SEED_MB and QUANTA_READ_TIMEOUT_S unless given).
 */
export class NodeFileSystem implements MeshFileSystem {
  readonly root: string;
  readonly maxFileBytes: number;
  readonly #limits: ReadLimits;
  #realRoot: string | undefined;

  constructor(root: string, limits: Partial<ReadLimits> = {}) {
    this.root = nodePath.resolve(root);
    this.#limits = { ...limitsFromEnv(), ...limits };
    this.maxFileBytes = this.#limits.maxBytes;
  }

  /** The absolute path to open (symlinks resolved), or `broken` for a link that leads nowhere. */
  async #resolve(path: string): Promise<{ absolute: string; real?: string; broken?: string }> {
    const relative = path === '' || path === '.' ? '' : resolveInMesh('', path);
    if (relative === undefined) throw new PathEscapeError(path);
    const absolute = nodePath.join(this.root, ...relative.split('/').filter(Boolean));
    this.#realRoot ??= await fsp.realpath(this.root).catch(() => this.root);
    let real: string | undefined;
    let failure: unknown;
    try {
      real = await fsp.realpath(absolute);
    } catch (error) {
      failure = error;
    }
    if (real !== undefined) {
      if (!isInside(this.#realRoot, real)) throw new PathEscapeError(path);
      return { absolute, real };
    }
    // Nothing there, or a broken symlink: judge a link by where it points, so a missing
    // target outside the mesh is reported as outside, not merely as missing.
    const target = await fsp.readlink(absolute).catch(() => undefined);
    if (target === undefined) return { absolute };
    const parent = await fsp.realpath(nodePath.dirname(absolute)).catch(() => nodePath.dirname(absolute));
    if (!isInside(this.#realRoot, nodePath.resolve(parent, target))) throw new PathEscapeError(path);
    const loop = (failure as { code?: unknown } | undefined)?.code === 'ELOOP';
    return { absolute, broken: loop ? 'a symlink loop' : `a symlink to "${target}", which does not exist` };
  }

  async list(dir: string): Promise<MeshEntry[]> {
    const { absolute, real } = await this.#resolve(dir);
    const entries = await fsp.readdir(real ?? absolute, { withFileTypes: true }).catch(() => []);
    const out: MeshEntry[] = [];
    for (const entry of entries) {
      if (entry.isDirectory()) out.push({ name: entry.name, kind: 'directory' });
      else if (entry.isFile()) out.push({ name: entry.name, kind: 'file' });
      else {
        // Symlinks are judged by their target (stat follows them); a FIFO, a device, a socket
        // or a link that leads nowhere is listed as `other` so the loader can say what it is.
        const joined = dir === '' || dir === '.' ? entry.name : `${dir}/${entry.name}`;
        out.push({ name: entry.name, ...(await this.#kindOf(joined, nodePath.join(real ?? absolute, entry.name))) });
      }
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async #kindOf(path: string, absolute: string): Promise<Pick<MeshEntry, 'kind' | 'what'>> {
    try {
      const stat = await this.stat(path);
      if (!stat) return { kind: 'other', what: 'gone' };
      return stat.kind === 'other' ? { kind: 'other', what: stat.what ?? 'not a regular file' } : { kind: stat.kind };
    } catch {
      // A link out of the mesh keeps the kind of its target, so reading it reports "outside the mesh folder".
      const target = await fsp.stat(absolute).catch(() => undefined);
      return { kind: target?.isDirectory() ? 'directory' : 'file' };
    }
  }

  async stat(path: string): Promise<MeshStat | undefined> {
    const { real, broken } = await this.#resolve(path);
    if (broken !== undefined) return { kind: 'other', size: 0, what: broken, brokenLink: true };
    if (real === undefined) return undefined;
    const stats = await fsp.stat(real).catch(() => undefined);
    if (!stats) return undefined;
    if (stats.isDirectory()) return { kind: 'directory', size: 0 };
    if (stats.isFile()) return { kind: 'file', size: stats.size };
    return { kind: 'other', size: 0, what: describeKind(stats) };
  }

  async readFile(path: string, options: ReadOptions = {}): Promise<Uint8Array> {
    const { real, broken } = await this.#resolve(path);
    if (broken !== undefined) throw new MeshReadError(path, 'broken-link', `${path} is ${broken}`);
    if (real === undefined) throw openFailure(path, Object.assign(new Error('no such file'), { code: 'ENOENT' }));
    // Open the resolved path: the one that was checked to be inside the mesh.
    return readRegularFile(real, path, { ...this.#limits, maxBytes: options.maxBytes ?? this.#limits.maxBytes });
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    const { absolute } = await this.#resolve(path);
    await writeFileAtomic(absolute, data);
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
