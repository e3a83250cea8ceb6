/**
 * The only way core touches files. Paths are relative to the mesh folder and use `/`.
 * Implementations: `core/node/nodeFileSystem.ts` (CLI, Electron main), `memoryFileSystem.ts`
 * (tests, the web app). Every implementation refuses paths that leave the mesh folder, and
 * reads regular files only: a FIFO, a device or a broken symlink is never opened for reading
 * (it would block forever or never end), it is reported as `other` and refused with a
 * `MeshReadError`.
 */
export type MeshEntryKind = 'file' | 'directory' | 'other';

export interface MeshEntry {
  readonly name: string;
  readonly kind: MeshEntryKind;
  /** For `other`: what it is, in words ("a FIFO (named pipe)", "a symlink loop"). */
  readonly what?: string;
}

export interface MeshStat {
  readonly kind: MeshEntryKind;
  readonly size: number;
  readonly what?: string;
  /** For `other`: a symlink that leads nowhere (dangling, or a loop), rather than a FIFO or device. */
  readonly brokenLink?: boolean;
}

export interface ReadOptions {
  /** Refuse (MeshReadError 'too-large') a file larger than this; default: the file system's `maxFileBytes`. */
  readonly maxBytes?: number;
}

export interface MeshFileSystem {
  /** Entries of a folder, sorted by name; an empty list when the folder does not exist. */
  list(dir: string): Promise<MeshEntry[]>;
  /** Undefined when the path does not exist. */
  stat(path: string): Promise<MeshStat | undefined>;
  /** Regular files only, bounded in size (and on disk, in time); throws MeshReadError or PathEscapeError. */
  readFile(path: string, options?: ReadOptions): Promise<Uint8Array>;
  /** Writes the whole file so that a crash leaves either the old or the new content, never a mix. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** The largest file `readFile` returns when no `maxBytes` is given (seed files); unlimited when absent. */
  readonly maxFileBytes?: number;
}

export type MeshReadFailure = 'not-regular' | 'broken-link' | 'too-large' | 'timeout' | 'missing' | 'unreadable';

/** A file that exists (or a name that is there) but cannot be read; `reason` picks the diagnostic. */
export class MeshReadError extends Error {
  constructor(
    readonly path: string,
    readonly reason: MeshReadFailure,
    message: string,
    /** For 'too-large': the file's size and the limit; for 'timeout': the limit in ms. */
    readonly size?: number,
    readonly limit?: number,
  ) {
    super(message);
    this.name = 'MeshReadError';
  }
}

export class PathEscapeError extends Error {
  constructor(readonly path: string) {
    super(`path "${path}" leaves the mesh folder`);
    this.name = 'PathEscapeError';
  }
}

/**
 * Resolves `relative` against the folder `base` (both mesh-relative), returning a normalized
 * mesh-relative path, or undefined when the result would leave the mesh folder (`..` past
 * the top, an absolute path, a drive letter or a backslash trick).
 */
export function resolveInMesh(base: string, relative: string): string | undefined {
  if (relative.length === 0) return undefined;
  if (relative.startsWith('/') || relative.startsWith('\\') || /^[a-zA-Z]:/.test(relative)) return undefined;
  if (relative.includes('\u0000')) return undefined;
  const parts = [...splitPath(base), ...relative.split(/[\\/]/)];
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out.join('/');
}

export function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p.length > 0 && p !== '.');
}

export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p.length > 0).join('/');
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
