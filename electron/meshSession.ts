/**
 * The open mesh folder, as main sees it: reads it whole for the renderer, saves edits
 * (saveTransaction.ts: all files or none, journaled, race-free), and notices edits made by
 * other programs. Opening it first completes or undoes a save a crash interrupted
 * (saveJournal.ts). **No `electron` import**, so Node tests cover it
 * (test/unit/meshSession*.test.ts, test/integration/save*.test.ts).
 *
 * Conflict rule (PRODUCT.md: "autosave never overwrites a newer file on disk without
 * asking"): main remembers the SHA-256 of every file as last read or written. A save whose
 * file changed on disk since then — also while the save runs — is refused as a conflict
 * unless the renderer says `overwrite: true` after asking the user.
 */
import { watch, type FSWatcher } from 'node:fs';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { MeshReadError, resolveInMesh } from '../core/fs/meshFileSystem.ts';
import { limitsFromEnv, readRegularFile } from '../core/node/boundedRead.ts';
import { landingProblem, sha256, syncFolder } from './durableFs.ts';
import { hasJournal, recoverSaves, type RecoveryReport } from './saveJournal.ts';
import { runSave, type FileChange, type SaveResult, type SaveSeams } from './saveTransaction.ts';

export type { FileChange, SaveResult, SaveSeams } from './saveTransaction.ts';

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

export class MeshSession {
  readonly root: string;
  /** What opening the folder did about a save a crash interrupted. */
  readonly recovery: RecoveryReport;
  /** SHA-256 of each file as last read or written by Quanta. */
  readonly #known = new Map<string, string>();
  readonly #seams: SaveSeams | undefined;
  /** Saves run one after another: two at once would each judge the other an external edit. */
  #saving: Promise<unknown> = Promise.resolve();
  #watcher: FSWatcher | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #pending = new Set<string>();

  private constructor(root: string, recovery: RecoveryReport, seams: SaveSeams | undefined) {
    this.root = root;
    this.recovery = recovery;
    this.#seams = seams;
  }

  /**
   * Opens a mesh folder (its real path); refuses a folder without mesh.yaml. Completes or
   * undoes an interrupted save and removes stale temp files before anything is read.
   * `seams` are for tests that race a save (saveTransaction.ts).
   */
  static async open(folder: string, options: { readonly seams?: SaveSeams } = {}): Promise<MeshSession> {
    const root = await fsp.realpath(folder).catch(() => {
      throw new MeshFolderError(`${folder} does not exist or cannot be read`);
    });
    const stat = await fsp.stat(root);
    if (!stat.isDirectory()) throw new MeshFolderError(`${folder} is not a folder`);
    const manifest = await fsp.stat(nodePath.join(root, 'mesh.yaml')).catch(() => undefined);
    if (!manifest?.isFile()) throw new MeshFolderError(`${folder} is not a mesh folder: it has no mesh.yaml`);
    const recovery = await recoverSaves(root);
    return new MeshSession(root, recovery, options.seams);
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
        // Regular files only, bounded: a FIFO would hang the open forever, a device never end.
        // One such file refuses the open by name (skipping it would run the mesh without it).
        const content = await readRegularFile(real, path, limitsFromEnv()).catch((error: unknown) => {
          throw new MeshFolderError(error instanceof MeshReadError ? `${error.message}; Quanta opens only regular files` : String(error));
        });
        files.set(path, content);
        this.#known.set(path, sha256(content));
      }
    };
    await walk('');
    return files;
  }

  /**
   * Writes and deletes files, all or none. Refuses the whole save, writing nothing, when a
   * file changed on disk since Quanta last read or wrote it (unless `overwrite`), including
   * an edit that lands while the save runs.
   */
  save(changes: readonly FileChange[], options: { readonly overwrite?: boolean } = {}): Promise<SaveResult> {
    const run = this.#saving.then(async () => {
      const planned = await Promise.all(changes.map(async (change) => ({ ...change, target: await this.#safeTarget(change.path) })));
      // A journal here means an earlier save failed half-way: finish it before starting another.
      if (await hasJournal(this.root)) await recoverSaves(this.root);
      const seams = this.#seams;
      const result = await runSave(this.root, planned, this.#known, { overwrite: options.overwrite ?? false, ...(seams ? { seams } : {}) });
      if (result.ok) for (const path of result.deleted) await this.#removeEmptyFolders(path);
      return result;
    });
    this.#saving = run.catch(() => undefined);
    return run;
  }

  /** A deleted product leaves no empty folders behind (the loader would warn about them). */
  async #removeEmptyFolders(path: string): Promise<void> {
    const parts = path.split('/').slice(0, -1);
    while (parts.length > 0) {
      // rmdir refuses a folder that is not empty: exactly the stop condition.
      const folder = nodePath.join(this.root, ...parts);
      const removed = await fsp.rmdir(folder).then(
        () => true,
        () => false,
      );
      if (!removed) return;
      await syncFolder(nodePath.dirname(folder));
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
      const data = await readRegularFile(this.#target(path), path, limitsFromEnv()).catch(() => undefined);
      if (data) this.#known.set(path, sha256(data));
      else this.#known.delete(path);
    }
  }

  async #flush(onExternalChange: (paths: string[]) => void): Promise<void> {
    const paths = [...this.#pending].sort();
    this.#pending.clear();
    const changed: string[] = [];
    for (const path of paths) {
      const data = await readRegularFile(nodePath.join(this.root, path), path, limitsFromEnv()).catch(() => undefined);
      const hash = data ? sha256(data) : undefined;
      const stat = data ? undefined : await fsp.stat(nodePath.join(this.root, path)).catch(() => undefined);
      if (stat?.isDirectory()) continue;
      if (hash !== this.#known.get(path)) changed.push(path);
    }
    if (changed.length > 0) onExternalChange(changed);
  }

  /** The target of a write: inside the mesh folder also after resolving symlinked folders. */
  async #safeTarget(path: string): Promise<string> {
    const target = this.#target(path);
    const problem = await landingProblem(this.root, target);
    if (problem !== undefined) throw new MeshFolderError(`"${path}" ${problem}`);
    return target;
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
