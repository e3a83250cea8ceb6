/**
 * The only way core touches files. Paths are relative to the mesh folder and use `/`.
 * Implementations: `core/node/nodeFileSystem.ts` (CLI, Electron main), `memoryFileSystem.ts`
 * (tests, the web app). Every implementation refuses paths that leave the mesh folder.
 */
export interface MeshEntry {
  readonly name: string;
  readonly kind: 'file' | 'directory';
}

export interface MeshFileSystem {
  /** Entries of a folder, sorted by name; an empty list when the folder does not exist. */
  list(dir: string): Promise<MeshEntry[]>;
  /** Undefined when the path does not exist. */
  stat(path: string): Promise<{ kind: 'file' | 'directory'; size: number } | undefined>;
  readFile(path: string): Promise<Uint8Array>;
  /** Writes the whole file so that a crash leaves either the old or the new content, never a mix. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
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
