import {
  MeshReadError,
  PathEscapeError,
  resolveInMesh,
  type MeshEntry,
  type MeshFileSystem,
  type MeshStat,
  type ReadOptions,
} from './meshFileSystem.ts';

/** A mesh folder held in memory: the web app's workspace and the tests' fast fixture. */
export class MemoryFileSystem implements MeshFileSystem {
  readonly #files = new Map<string, Uint8Array>();
  /** Folder → its entries; rebuilt lazily after a write, so listing a big mesh stays linear. */
  #folders: Map<string, Map<string, MeshEntry['kind']>> | undefined;

  constructor(files: Record<string, string | Uint8Array> = {}) {
    for (const [path, content] of Object.entries(files)) {
      this.#files.set(normalize(path), typeof content === 'string' ? new TextEncoder().encode(content) : content);
    }
  }

  /** All files as path → bytes, e.g. to snapshot a mesh in a test. */
  snapshot(): Map<string, Uint8Array> {
    return new Map(this.#files);
  }

  #index(): Map<string, Map<string, MeshEntry['kind']>> {
    if (this.#folders) return this.#folders;
    const folders = new Map<string, Map<string, MeshEntry['kind']>>();
    for (const path of this.#files.keys()) {
      const parts = path.split('/');
      for (let depth = 0; depth < parts.length; depth++) {
        const folder = parts.slice(0, depth).join('/');
        const entries = folders.get(folder) ?? new Map<string, MeshEntry['kind']>();
        entries.set(parts[depth] ?? '', depth === parts.length - 1 ? 'file' : 'directory');
        folders.set(folder, entries);
      }
    }
    this.#folders = folders;
    return folders;
  }

  async list(dir: string): Promise<MeshEntry[]> {
    const entries = this.#index().get(normalize(dir)) ?? new Map<string, MeshEntry['kind']>();
    return [...entries].map(([name, kind]) => ({ name, kind })).sort((a, b) => a.name.localeCompare(b.name));
  }

  async stat(path: string): Promise<MeshStat | undefined> {
    const p = normalize(path);
    const file = this.#files.get(p);
    if (file) return { kind: 'file', size: file.byteLength };
    return this.#index().has(p) ? { kind: 'directory', size: 0 } : undefined;
  }

  async readFile(path: string, options: ReadOptions = {}): Promise<Uint8Array> {
    const file = this.#files.get(normalize(path));
    if (!file) throw new MeshReadError(path, 'missing', `no such file "${path}"`);
    const limit = options.maxBytes;
    if (limit !== undefined && file.byteLength > limit) {
      throw new MeshReadError(path, 'too-large', `${path} is ${file.byteLength} bytes, over the limit of ${limit}`, file.byteLength, limit);
    }
    return file;
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    this.#files.set(normalize(path), new Uint8Array(data));
    this.#folders = undefined;
  }
}

function normalize(path: string): string {
  if (path === '' || path === '.') return '';
  const resolved = resolveInMesh('', path);
  if (resolved === undefined) throw new PathEscapeError(path);
  return resolved;
}
