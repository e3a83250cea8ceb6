/**
 * The file-system steps a save is built from, each durable or loud: files written with
 * fsync, new folders whose parents are fsynced, folder fsyncs whose errors are reported.
 * **No `electron` import**, so Node tests (and the kill -9 test's child process) run it.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';

export class FolderSyncError extends Error {
  constructor(folder: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? String(cause);
    super(`cannot make the changes in ${folder} durable (fsync of the folder failed: ${code}); the save may not survive a power cut`);
    this.name = 'FolderSyncError';
  }
}

/** SHA-256 of bytes: the compare-and-swap of a save needs a hash no edit collides with by chance. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** The bytes of a file, or undefined when nothing is there. Other errors (EACCES, EISDIR) are thrown. */
export async function readIfPresent(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await fsp.readFile(path));
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return undefined;
    throw error;
  }
}

export async function hashIfPresent(path: string): Promise<string | undefined> {
  const bytes = await readIfPresent(path);
  return bytes === undefined ? undefined : sha256(bytes);
}

/**
 * Why a file at `target` would not land inside `root` (a symlinked folder on the way leads
 * outside it, into a hidden folder such as .git, or into node_modules); undefined when it does.
 * Judged by the nearest existing folder on the way, after resolving symlinks.
 */
export async function landingProblem(root: string, target: string): Promise<string | undefined> {
  for (let ancestor = nodePath.dirname(target); ; ancestor = nodePath.dirname(ancestor)) {
    const real = await fsp.realpath(ancestor).catch(() => undefined);
    if (real === undefined) {
      if (nodePath.dirname(ancestor) === ancestor) return 'leads nowhere';
      continue;
    }
    const relative = nodePath.relative(root, real);
    if (relative.startsWith('..') || nodePath.isAbsolute(relative)) return 'leads outside the mesh folder through a symbolic link';
    if (relative.split(nodePath.sep).some((part) => part.startsWith('.') || part.toLowerCase() === 'node_modules')) {
      return 'leads into a hidden folder or node_modules through a symbolic link; Quanta never writes there';
    }
    return undefined;
  }
}

/**
 * Folder fsync is how a rename or a new name survives a power cut on Linux and macOS. Some
 * file systems cannot fsync a folder and say so with EINVAL/ENOTSUP (tmpfs variants, some
 * FUSE and network mounts): there the kernel gives no stronger guarantee to ask for, so the
 * error is tolerated. On Windows, Node cannot open a folder for fsync at all (EISDIR/EPERM)
 * and NTFS journals renames itself. Every other error is reported: a full disk or an I/O
 * error on the folder means the save may be lost, and the user must hear it.
 */
export async function syncFolder(folder: string): Promise<void> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(folder, 'r');
  } catch (error) {
    if (cannotSyncFolders(error)) return;
    throw new FolderSyncError(folder, error);
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!cannotSyncFolders(error)) throw new FolderSyncError(folder, error);
  } finally {
    await handle.close();
  }
}

function cannotSyncFolders(error: unknown): boolean {
  const code = errorCode(error);
  if (code === 'EINVAL' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') return true;
  return process.platform === 'win32' && (code === 'EISDIR' || code === 'EPERM' || code === 'EACCES');
}

export async function syncFolders(folders: Iterable<string>): Promise<void> {
  for (const folder of new Set(folders)) await syncFolder(folder);
}

/**
 * Creates the missing folders down to `folder`, fsyncing the parent of each new one so the
 * new name itself survives a crash (a file fsynced inside a folder whose entry was lost is
 * lost too). Returns the folders it created, outermost first.
 */
export async function makeFolders(folder: string): Promise<string[]> {
  const missing: string[] = [];
  for (let dir = folder; ; dir = nodePath.dirname(dir)) {
    const stat = await fsp.stat(dir).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    });
    if (stat) {
      if (!stat.isDirectory()) throw new Error(`${dir} is a file, so no folder can be made inside it`);
      break;
    }
    missing.unshift(dir);
    if (nodePath.dirname(dir) === dir) break;
  }
  for (const dir of missing) {
    await fsp.mkdir(dir).catch((error: unknown) => {
      if (errorCode(error) !== 'EEXIST') throw error;
    });
    await syncFolder(nodePath.dirname(dir));
  }
  return missing;
}

/** Identity of a file's inode: tells "the file Quanta linked in" from one another program put there. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

/** Creates `path` (never over an existing file), writes and fsyncs it. */
export async function writeNewFileSynced(path: string, data: Uint8Array): Promise<FileIdentity> {
  const handle = await fsp.open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
    const stat = await handle.stat();
    return { dev: stat.dev, ino: stat.ino };
  } catch (error) {
    await handle.close();
    await fsp.rm(path, { force: true });
    throw error;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

export async function identityOf(path: string): Promise<FileIdentity | undefined> {
  const stat = await fsp.lstat(path).catch(() => undefined);
  return stat ? { dev: stat.dev, ino: stat.ino } : undefined;
}

/**
 * Puts `from` at `to` only if nothing is at `to`: a hard link is the one atomic
 * "create unless it exists" for a whole file. Returns false when `to` exists. File systems
 * without hard links (FAT, some network shares) fall back to check-then-rename, which has a
 * window of microseconds instead of none (and move `from` rather than link it).
 */
export async function placeIfAbsent(from: string, to: string): Promise<boolean> {
  try {
    await fsp.link(from, to);
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
  }
  const taken = await fsp.lstat(to).then(
    () => true,
    () => false,
  );
  if (taken) return false;
  await fsp.rename(from, to);
  return true;
}
