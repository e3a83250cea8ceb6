import { PathEscapeError, resolveInMesh, type MeshEntry, type MeshFileSystem } from './meshFileSystem.ts';

/** A mesh folder held in memory: the web app's workspace and the tests' fast fixture. */
export class MemoryFileSystem implements MeshFileSystem {
  readonly #files = new Map<string, Uint8Array>();

  constructor(files: Record<string, string | Uint8Array> = {}) {
    for (const [path, content] of Object.entries(files)) {
      this.#files.set(normalize(path), typeof content === 'string' ? new TextEncoder().encode(content) : content);
    }
  }

  /** All files as path → bytes, e.g. to snapshot a mesh in a test. */
  snapshot(): Map<string, Uint8Array> {
    return new Map(this.#files);
  }

  async list(dir: string): Promise<MeshEntry[]> {
    const prefix = normalize(dir);
    const start = prefix === '' ? '' : `${prefix}/`;
    const seen = new Map<string, MeshEntry['kind']>();
    for (const path of this.#files.keys()) {
      if (!path.startsWith(start)) continue;
      const rest = path.slice(start.length);
      const slash = rest.indexOf('/');
      const name = slash < 0 ? rest : rest.slice(0, slash);
      if (name) seen.set(name, slash < 0 ? 'file' : 'directory');
    }
    return [...seen].map(([name, kind]) => ({ name, kind })).sort((a, b) => a.name.localeCompare(b.name));
  }

  async stat(path: string): Promise<{ kind: 'file' | 'directory'; size: number } | undefined> {
    const p = normalize(path);
    const file = this.#files.get(p);
    if (file) return { kind: 'file', size: file.byteLength };
    const prefix = p === '' ? '' : `${p}/`;
    for (const key of this.#files.keys()) if (key.startsWith(prefix)) return { kind: 'directory', size: 0 };
    return undefined;
  }

  async readFile(path: string): Promise<Uint8Array> {
    const file = this.#files.get(normalize(path));
    if (!file) throw new Error(`ENOENT: no such file "${path}"`);
    return file;
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    this.#files.set(normalize(path), new Uint8Array(data));
  }
}

function normalize(path: string): string {
  if (path === '' || path === '.') return '';
  const resolved = resolveInMesh('', path);
  if (resolved === undefined) throw new PathEscapeError(path);
  return resolved;
}
