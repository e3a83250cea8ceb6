import {
  checkFiles,
  checkId,
  checkNoClash,
  checkOrigin,
  cleanTitle,
  ID,
  newestFirst,
  newMeshId,
  saveFailed,
  unknownMesh,
  type BrowserMeshStore,
  type StoredMeshSummary,
} from './browserStoreShared.ts';
import { commit, MANIFEST, readAll, readManifest, summaryOf, writeManifest, type Manifest } from './opfsPacks.ts';

/**
 * Meshes in the origin private file system: quanta-meshes/<id>/ in the layout of opfsPacks.ts.
 * Writes to one mesh are serialised across tabs with a Web Lock; reads share it.
 */
export const OPFS_FOLDER = 'quanta-meshes';

/** The meshes' folder, or undefined where OPFS does not work (the caller falls back to IndexedDB). */
export async function opfsRoot(): Promise<FileSystemDirectoryHandle | undefined> {
  // Firefox's private windows and older Safari have getDirectory but reject it, or lack
  // createWritable on the main thread; both fall back to IndexedDB.
  if (typeof navigator === 'undefined' || typeof navigator.storage?.getDirectory !== 'function') return undefined;
  if (typeof FileSystemFileHandle === 'undefined' || typeof FileSystemFileHandle.prototype.createWritable !== 'function') return undefined;
  try {
    const root = await navigator.storage.getDirectory();
    return await root.getDirectoryHandle(OPFS_FOLDER, { create: true });
  } catch {
    return undefined;
  }
}

const localLocks = new Map<string, Promise<unknown>>();

/** Runs `work` holding the mesh's lock: a Web Lock across tabs, or an in-page queue where Web Locks are missing. */
function withMeshLock<T>(id: string, work: () => Promise<T>): Promise<T> {
  const name = `quanta-mesh:${id}`;
  if (typeof navigator !== 'undefined' && navigator.locks) return navigator.locks.request(name, work) as Promise<T>;
  const previous = localLocks.get(name) ?? Promise.resolve();
  const next = previous.then(work, work);
  localLocks.set(
    name,
    next.catch(() => undefined),
  );
  return next;
}

export class OpfsMeshStore implements BrowserMeshStore {
  readonly kind = 'opfs';
  readonly #root: FileSystemDirectoryHandle;

  constructor(root: FileSystemDirectoryHandle) {
    this.#root = root;
  }

  async list(): Promise<StoredMeshSummary[]> {
    const folders: [string, FileSystemDirectoryHandle][] = [];
    for await (const [id, handle] of this.#root.entries()) if (handle.kind === 'directory' && ID.test(id)) folders.push([id, handle]);
    const out: StoredMeshSummary[] = [];
    for (const [id, folder] of folders) {
      const manifest = await readManifest(folder).catch((error: unknown) => {
        console.warn(`Quanta: skipping a stored mesh. ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
      if (manifest) out.push(summaryOf(id, manifest));
      else if (manifest === undefined) await this.#sweep(id, folder);
    }
    return out.sort(newestFirst);
  }

  /**
   * A folder without a manifest is a mesh being created (its creator holds the lock) or one
   * whose removal was cut short (nobody does): only the latter is deleted.
   */
  async #sweep(id: string, folder: FileSystemDirectoryHandle): Promise<void> {
    await navigatorLocks()?.request(`quanta-mesh:${id}`, { ifAvailable: true }, async (lock) => {
      if (lock && (await readManifest(folder).catch(() => null)) === undefined) {
        await this.#root.removeEntry(id, { recursive: true }).catch(() => undefined);
      }
    });
  }

  async create(title: string, origin: StoredMeshSummary['origin'], files: ReadonlyMap<string, Uint8Array>): Promise<string> {
    const clean = cleanTitle(title);
    checkOrigin(origin);
    checkFiles(files.keys(), clean);
    checkNoClash(new Set(files.keys()), clean);
    let id = newMeshId(clean);
    while (await this.#folder(id)) id = newMeshId(clean);
    const created = id;
    await withMeshLock(created, async () => {
      const folder = await this.#root.getDirectoryHandle(created, { create: true });
      const empty: Manifest = { format: 1, title: clean, origin, savedAt: Date.now(), nextPack: 0, packs: {}, files: {} };
      try {
        await commit(folder, empty, files, clean);
      } catch (error) {
        await this.#root.removeEntry(created, { recursive: true }).catch(() => undefined);
        throw saveFailed(clean, error);
      }
    });
    return created;
  }

  async read(id: string): Promise<Map<string, Uint8Array>> {
    const folder = await this.#existing(id);
    const locks = navigatorLocks();
    // Shared with other readers, exclusive of a write (which deletes packs after its commit).
    if (!locks) return withMeshLock(id, () => readAll(folder, id));
    return locks.request(`quanta-mesh:${id}`, { mode: 'shared' }, () => readAll(folder, id));
  }

  async write(id: string, changes: ReadonlyMap<string, Uint8Array | null>): Promise<void> {
    const folder = await this.#existing(id);
    await withMeshLock(id, async () => {
      const manifest = await readManifest(folder);
      if (!manifest) throw unknownMesh(id);
      checkFiles(changes.keys(), manifest.title);
      try {
        await commit(folder, manifest, changes, manifest.title);
      } catch (error) {
        throw saveFailed(manifest.title, error);
      }
    });
  }

  async rename(id: string, title: string): Promise<void> {
    const folder = await this.#existing(id);
    await withMeshLock(id, async () => {
      const manifest = await readManifest(folder);
      if (!manifest) throw unknownMesh(id);
      await writeManifest(folder, { ...manifest, title: cleanTitle(title) }).catch((error: unknown) => {
        throw saveFailed(manifest.title, error);
      });
    });
  }

  async remove(id: string): Promise<void> {
    const folder = await this.#existing(id);
    await withMeshLock(id, async () => {
      // The manifest goes first, so a removal cut short leaves no half mesh in the list.
      await folder.removeEntry(MANIFEST).catch(() => undefined);
      await this.#root.removeEntry(id, { recursive: true });
    });
  }

  async #folder(id: string): Promise<FileSystemDirectoryHandle | undefined> {
    return this.#root.getDirectoryHandle(id).catch(() => undefined);
  }

  async #existing(id: string): Promise<FileSystemDirectoryHandle> {
    checkId(id);
    const folder = await this.#folder(id);
    if (!folder || !(await readManifest(folder).catch(() => undefined))) throw unknownMesh(id);
    return folder;
  }
}

function navigatorLocks(): LockManager | undefined {
  return typeof navigator !== 'undefined' ? navigator.locks : undefined;
}
