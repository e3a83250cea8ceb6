/**
 * The open mesh folder, as main sees it: reads it whole for the renderer, saves edits
 * atomically, and notices edits made by other programs. **No `electron` import**, so Node
 * tests cover it (test/unit/meshSession.test.ts).
 *
 * Conflict rule (PRODUCT.md: "autosave never overwrites a newer file on disk without
 * asking"): main remembers the content hash of every file as last read or written. A save
 * whose file changed on disk since then is refused as a conflict unless the renderer says
 * `overwrite: true` after asking the user.
 */
import { watch, type FSWatcher } from 'node:fs';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { resolveInMesh } from '../core/fs/meshFileSystem.ts';
import { writeFileAtomic } from '../core/node/nodeFileSystem.ts';
import { contentHash } from '../core/util/contentHash.ts';

/** Folders never read: version control, dependencies, build output. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', 'dist', '.quanta']);
export const MAX_MESH_FILES = 5_000;
export const MAX_MESH_BYTES = 512 * 1024 * 1024;

export class MeshFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MeshFolderError';
  }
}

export interface FileChange {
  /** Mesh-relative, with `/`. */
  readonly path: string;
  /** New content; null deletes the file. */
  readonly content: Uint8Array | null;
}

export type SaveResult =
  | { readonly ok: true; readonly written: readonly string[]; readonly deleted: readonly string[] }
  | { readonly ok: false; readonly conflicts: readonly string[] };

export class MeshSession {
  readonly root: string;
  /** Content hash of each file as last read or written by Quanta. */
  readonly #known = new Map<string, string>();
  #watcher: FSWatcher | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #pending = new Set<string>();

  private constructor(root: string) {
    this.root = root;
  }

  /** Opens a mesh folder (its real path); refuses a folder without mesh.yaml. */
  static async open(folder: string): Promise<MeshSession> {
    const root = await fsp.realpath(folder).catch(() => {
      throw new MeshFolderError(`${folder} does not exist or cannot be read`);
    });
    const stat = await fsp.stat(root);
    if (!stat.isDirectory()) throw new MeshFolderError(`${folder} is not a folder`);
    const manifest = await fsp.stat(nodePath.join(root, 'mesh.yaml')).catch(() => undefined);
    if (!manifest?.isFile()) throw new MeshFolderError(`${folder} is not a mesh folder: it has no mesh.yaml`);
    return new MeshSession(root);
  }

  /** Every file of the mesh folder (hidden files and skipped folders aside), mesh-relative. */
  async readAll(): Promise<Map<string, Uint8Array>> {
    const files = new Map<string, Uint8Array>();
    let bytes = 0;
    const walk = async (relative: string): Promise<void> => {
      const entries = await fsp.readdir(nodePath.join(this.root, relative), { withFileTypes: true });
      entries.sort((a, b) => a.name.localeCompare(b.name));
      for (const entry of entries) {
        if (entry.name.startsWith('.') && entry.name !== '.gitkeep') continue;
        const path = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRS.has(entry.name)) await walk(path);
          continue;
        }
        // Symlinks are followed only when they stay inside the mesh folder.
        const real = await fsp.realpath(nodePath.join(this.root, path)).catch(() => undefined);
        if (!real || !isInside(this.root, real)) continue;
        const stat = await fsp.stat(real);
        if (stat.isDirectory()) continue;
        if (files.size >= MAX_MESH_FILES) {
          throw new MeshFolderError(`the mesh folder has more than ${MAX_MESH_FILES} files; is ${this.root} really a mesh?`);
        }
        bytes += stat.size;
        if (bytes > MAX_MESH_BYTES) {
          throw new MeshFolderError(
            `the mesh folder holds more than ${MAX_MESH_BYTES / 1024 / 1024} MB; Quanta opens meshes up to that size`,
          );
        }
        const content = new Uint8Array(await fsp.readFile(real));
        files.set(path, content);
        this.#known.set(path, contentHash(content));
      }
    };
    await walk('');
    return files;
  }

  /**
   * Writes and deletes files atomically. Refuses the whole save, writing nothing, when a
   * file changed on disk since Quanta last read or wrote it (unless `overwrite`).
   */
  async save(changes: readonly FileChange[], options: { readonly overwrite?: boolean } = {}): Promise<SaveResult> {
    const targets = await Promise.all(changes.map(async (change) => ({ change, target: await this.#safeTarget(change.path) })));
    if (!options.overwrite) {
      const conflicts: string[] = [];
      for (const { change, target } of targets) {
        const onDisk = await fsp.readFile(target).then(
          (data) => contentHash(new Uint8Array(data)),
          () => undefined,
        );
        const known = this.#known.get(change.path);
        if (onDisk !== known) conflicts.push(change.path);
      }
      if (conflicts.length > 0) return { ok: false, conflicts };
    }
    const written: string[] = [];
    const deleted: string[] = [];
    for (const { change, target } of targets) {
      if (change.content === null) {
        await fsp.rm(target, { force: true });
        this.#known.delete(change.path);
        deleted.push(change.path);
      } else {
        await writeFileAtomic(target, change.content);
        this.#known.set(change.path, contentHash(change.content));
        written.push(change.path);
      }
    }
    for (const path of deleted) await this.#removeEmptyFolders(path);
    return { ok: true, written, deleted };
  }

  /** A deleted product leaves no empty folders behind (the loader would warn about them). */
  async #removeEmptyFolders(path: string): Promise<void> {
    const parts = path.split('/').slice(0, -1);
    while (parts.length > 0) {
      // rmdir refuses a folder that is not empty: exactly the stop condition.
      const removed = await fsp.rmdir(nodePath.join(this.root, ...parts)).then(
        () => true,
        () => false,
      );
      if (!removed) return;
      parts.pop();
    }
  }

  /**
   * Calls `onExternalChange` with the mesh-relative paths whose content differs from what
   * Quanta last read or wrote — edits by an editor, git, another tool — batched over
   * `debounceMs`. Quanta's own atomic writes are recognised by their hash and not reported.
   */
  watch(onExternalChange: (paths: string[]) => void, debounceMs = 250): void {
    this.unwatch();
    this.#watcher = watch(this.root, { recursive: true }, (_event, name) => {
      if (!name) return;
      const path = name.split(nodePath.sep).join('/');
      if (path.split('/').some((part) => part.startsWith('.') || SKIPPED_DIRS.has(part))) return;
      this.#pending.add(path);
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.#flush(onExternalChange), debounceMs);
    });
    this.#watcher.on('error', () => this.unwatch());
  }

  unwatch(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    if (this.#timer) clearTimeout(this.#timer);
    this.#pending.clear();
  }

  /** After the user chose to reload: the current disk content becomes the known state. */
  async acknowledge(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      const data = await fsp.readFile(this.#target(path)).catch(() => undefined);
      if (data) this.#known.set(path, contentHash(new Uint8Array(data)));
      else this.#known.delete(path);
    }
  }

  async #flush(onExternalChange: (paths: string[]) => void): Promise<void> {
    const paths = [...this.#pending].sort();
    this.#pending.clear();
    const changed: string[] = [];
    for (const path of paths) {
      const data = await fsp.readFile(nodePath.join(this.root, path)).catch(() => undefined);
      const hash = data ? contentHash(new Uint8Array(data)) : undefined;
      const stat = data ? undefined : await fsp.stat(nodePath.join(this.root, path)).catch(() => undefined);
      if (stat?.isDirectory()) continue;
      if (hash !== this.#known.get(path)) changed.push(path);
    }
    if (changed.length > 0) onExternalChange(changed);
  }

  /** The target of a write: inside the mesh folder also after resolving symlinked folders. */
  async #safeTarget(path: string): Promise<string> {
    const target = this.#target(path);
    let ancestor = nodePath.dirname(target);
    for (;;) {
      const real = await fsp.realpath(ancestor).catch(() => undefined);
      if (real !== undefined) {
        if (!isInside(this.root, real)) throw new MeshFolderError(`"${path}" leads outside the mesh folder through a symbolic link`);
        return target;
      }
      ancestor = nodePath.dirname(ancestor);
    }
  }

  #target(path: string): string {
    const normalized = resolveInMesh('', path);
    if (normalized === undefined || normalized !== path) throw new MeshFolderError(`"${path}" is not a path inside the mesh folder`);
    return nodePath.join(this.root, ...normalized.split('/'));
  }
}

function isInside(root: string, candidate: string): boolean {
  const relative = nodePath.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !nodePath.isAbsolute(relative));
}
