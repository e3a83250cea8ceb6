/**
 * The web app's workspace: meshes kept in the browser between visits, in the origin private
 * file system (OPFS) where it works, else in IndexedDB. The desktop app keeps meshes on disk
 * instead (electron/meshSession.ts).
 *
 * Every write is all-or-nothing (PRODUCT.md: "nothing the user wrote is lost"):
 * - OPFS: a mesh is a folder holding `manifest.json` (title, origin, savedAt, and where each
 *   file's bytes are) and append-only *pack* files. A write puts the new contents into one new
 *   pack, then replaces the manifest with `createWritable`, which writes a swap file and
 *   swaps it in on `close()`. That close is the commit: before it, the old manifest still
 *   points at the old packs, untouched; packs nothing points at are deleted after it. When
 *   dead bytes outnumber live ones, the write packs every file anew (compaction).
 * - IndexedDB: one readwrite transaction per write, which the browser rolls back on any error.
 * Writes to one mesh are serialised across tabs with a Web Lock.
 */
import { resolveInMesh } from '../../../core/fs/meshFileSystem.ts';

export interface StoredMeshSummary {
  readonly id: string;
  readonly title: string;
  readonly origin: 'sample' | 'zip' | 'folder' | 'new';
  readonly savedAt: number;
  readonly fileCount: number;
}

export interface BrowserMeshStore {
  readonly kind: 'opfs' | 'indexeddb';
  /** Newest first. */
  list(): Promise<StoredMeshSummary[]>;
  /** Stores a new mesh and returns its id (url-safe: lowercase letters, digits, dashes). */
  create(title: string, origin: StoredMeshSummary['origin'], files: ReadonlyMap<string, Uint8Array>): Promise<string>;
  /** Throws a BrowserStoreError for an unknown id. */
  read(id: string): Promise<Map<string, Uint8Array>>;
  /** All-or-nothing: after a failure (quota, crash mid-way) read(id) returns the previous files. null deletes a file. */
  write(id: string, changes: ReadonlyMap<string, Uint8Array | null>): Promise<void>;
  /** Changes the title only; savedAt stays the time of the last content save. */
  rename(id: string, title: string): Promise<void>;
  remove(id: string): Promise<void>;
}

export class BrowserStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserStoreError';
  }
}

/** OPFS when navigator.storage.getDirectory works, else IndexedDB (or when `prefer` says so). */
export async function openBrowserMeshStore(options: { readonly prefer?: 'opfs' | 'indexeddb' } = {}): Promise<BrowserMeshStore> {
  if (options.prefer !== 'indexeddb') {
    const root = await opfsRoot();
    if (root) return new OpfsMeshStore(root);
  }
  return openIndexedDbMeshStore();
}

async function opfsRoot(): Promise<FileSystemDirectoryHandle | undefined> {
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

export const OPFS_FOLDER = 'quanta-meshes';
const ORIGINS: ReadonlySet<string> = new Set<StoredMeshSummary['origin']>(['sample', 'zip', 'folder', 'new']);

/** Refuses paths a mesh cannot hold, before anything is written. */
function checkFiles(paths: Iterable<string>, title: string): void {
  for (const path of paths) {
    if (resolveInMesh('', path) !== path || path.includes('\\')) {
      throw new BrowserStoreError(
        `Could not save "${title}": "${path}" is not a valid mesh path (relative, with "/", inside the mesh folder). Nothing was changed.`,
      );
    }
  }
}

/** After a write, no path may be both a file and a folder. */
function checkNoClash(paths: ReadonlySet<string>, title: string): void {
  for (const path of paths) {
    for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
      const folder = path.slice(0, slash);
      if (paths.has(folder)) {
        throw new BrowserStoreError(`Could not save "${title}": "${folder}" would be both a file and a folder. Nothing was changed.`);
      }
    }
  }
}

function checkOrigin(origin: string): void {
  if (!ORIGINS.has(origin)) throw new BrowserStoreError(`unknown mesh origin "${origin}"`);
}

function cleanTitle(title: string): string {
  const trimmed = title.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? 'Untitled mesh' : trimmed.slice(0, 200);
}

/** A url-safe id that says which mesh it is: `daff-3f9a20c1`. */
function newMeshId(title: string): string {
  const slug = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  const random = [...crypto.getRandomValues(new Uint8Array(4))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${slug || 'mesh'}-${random}`;
}

const ID = /^[a-z0-9][a-z0-9-]{0,80}$/;

function unknownMesh(id: string): BrowserStoreError {
  return new BrowserStoreError(`There is no mesh "${id}" stored in this browser; it may have been deleted in another tab.`);
}

function checkId(id: string): void {
  if (!ID.test(id)) throw unknownMesh(id);
}

/** Plain words for a failed save; the previous version is always kept. */
function saveFailed(title: string, error: unknown): BrowserStoreError {
  if (error instanceof BrowserStoreError) return error;
  const name = error instanceof Error ? error.name : '';
  const why =
    name === 'QuotaExceededError'
      ? "the browser's storage for this site is full (free space by deleting meshes you no longer need, or export this one as a .zip)"
      : error instanceof Error
        ? error.message
        : String(error);
  return new BrowserStoreError(`Could not save "${title}" in the browser: ${why}. The previously saved version is kept.`);
}

/**
 * A file's bytes, refusing a view whose buffer was transferred to a worker: OPFS would
 * silently store it as an empty file.
 */
function bytesOf(path: string, content: Uint8Array): Uint8Array {
  if ((content.buffer as { readonly detached?: boolean }).detached === true) {
    throw new Error(`the bytes of "${path}" were handed to another thread (a transferred buffer), so there is nothing to save`);
  }
  return content;
}

/** IndexedDB clones a view's whole buffer; keep only the view's bytes. */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
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

// ---------------------------------------------------------------------------------------------
// OPFS: quanta-meshes/<id>/manifest.json + quanta-meshes/<id>/p<n>.bin

const MANIFEST = 'manifest.json';

interface Manifest {
  readonly format: 1;
  readonly title: string;
  readonly origin: StoredMeshSummary['origin'];
  readonly savedAt: number;
  /** The next pack number; only advanced by a committed manifest, so a pack left by a crash is simply overwritten. */
  readonly nextPack: number;
  /** Pack name → its size in bytes. */
  readonly packs: Readonly<Record<string, number>>;
  /** Mesh path → [pack, offset, length]. */
  readonly files: Readonly<Record<string, readonly [string, number, number]>>;
}

class OpfsMeshStore implements BrowserMeshStore {
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

/** Undefined when there is no manifest; throws when it is not one Quanta wrote. */
async function readManifest(folder: FileSystemDirectoryHandle): Promise<Manifest | undefined> {
  const handle = await folder.getFileHandle(MANIFEST).catch(() => undefined);
  if (!handle) return undefined;
  const text = await (await handle.getFile()).text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isManifest(parsed))
    throw new BrowserStoreError(`The stored mesh "${folder.name}" is damaged: its ${MANIFEST} is not one Quanta wrote.`);
  return parsed;
}

function isManifest(value: unknown): value is Manifest {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    m.format === 1 &&
    typeof m.title === 'string' &&
    typeof m.origin === 'string' &&
    ORIGINS.has(m.origin) &&
    typeof m.savedAt === 'number' &&
    typeof m.nextPack === 'number' &&
    typeof m.packs === 'object' &&
    m.packs !== null &&
    typeof m.files === 'object' &&
    m.files !== null
  );
}

async function writeManifest(folder: FileSystemDirectoryHandle, manifest: Manifest): Promise<void> {
  await writeWhole(folder, MANIFEST, [new TextEncoder().encode(JSON.stringify(manifest))]);
}

/**
 * createWritable writes a swap file and replaces the target only on close(). The parts go
 * in 1 MB writes: fewer round trips than one per small file, and Chromium reports a full
 * disk as QuotaExceededError only for writes of about that size (a single multi-megabyte
 * write can fail as a bare "Failed to write data to data pipe").
 */
async function writeWhole(folder: FileSystemDirectoryHandle, name: string, parts: readonly Uint8Array[]): Promise<void> {
  const handle = await folder.getFileHandle(name, { create: true });
  const stream = await handle.createWritable();
  try {
    const chunk = new Uint8Array(WRITE_CHUNK);
    let filled = 0;
    for (const part of parts) {
      for (let at = 0; at < part.length;) {
        const take = Math.min(part.length - at, WRITE_CHUNK - filled);
        chunk.set(part.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled === WRITE_CHUNK) {
          await stream.write(chunk);
          filled = 0;
        }
      }
    }
    if (filled > 0) await stream.write(chunk.subarray(0, filled));
  } catch (error) {
    await stream.abort().catch(() => undefined);
    throw error;
  }
  await stream.close();
}

const WRITE_CHUNK = 1024 * 1024;

async function readAll(folder: FileSystemDirectoryHandle, id: string): Promise<Map<string, Uint8Array>> {
  const manifest = await readManifest(folder);
  if (!manifest) throw unknownMesh(id);
  const packs = new Map<string, Uint8Array>();
  for (const pack of Object.keys(manifest.packs)) {
    const handle = await folder.getFileHandle(pack).catch(() => undefined);
    if (!handle) throw new BrowserStoreError(`The stored mesh "${manifest.title}" is damaged: its data file ${pack} is missing.`);
    packs.set(pack, new Uint8Array(await (await handle.getFile()).arrayBuffer()));
  }
  const files = new Map<string, Uint8Array>();
  for (const [path, [pack, offset, length]] of Object.entries(manifest.files)) {
    const bytes = packs.get(pack);
    if (!bytes || offset + length > bytes.length) {
      throw new BrowserStoreError(`The stored mesh "${manifest.title}" is damaged: the bytes of "${path}" are missing.`);
    }
    files.set(path, bytes.slice(offset, offset + length));
  }
  return files;
}

/**
 * Writes `changes` as one new pack and commits the new manifest. When dead bytes would
 * outweigh live ones, the pack takes every file instead and the old packs all go.
 */
async function commit(
  folder: FileSystemDirectoryHandle,
  manifest: Manifest,
  changes: ReadonlyMap<string, Uint8Array | null>,
  title: string,
): Promise<void> {
  const files = new Map(Object.entries(manifest.files));
  for (const [path, content] of changes) if (content === null) files.delete(path);
  checkNoClash(new Set([...files.keys(), ...[...changes].filter(([, c]) => c !== null).map(([p]) => p)]), title);

  let live = 0;
  let added = 0;
  for (const [path, [, , length]] of files) if (!changes.has(path)) live += length;
  for (const content of changes.values()) added += content?.length ?? 0;
  live += added;
  const stored = Object.values(manifest.packs).reduce((sum, size) => sum + size, 0);
  const compact = stored > 0 && stored + added > 2 * live + COMPACTION_SLACK;

  const inPack = new Map<string, Uint8Array>();
  if (compact) {
    const old = await readAll(folder, title);
    for (const [path, content] of old) if (files.has(path) && !changes.has(path)) inPack.set(path, content);
  }
  for (const [path, content] of changes) if (content !== null) inPack.set(path, bytesOf(path, content));

  const packs: Record<string, number> = compact ? {} : { ...manifest.packs };
  const pack = `p${manifest.nextPack}.bin`;
  let offset = 0;
  for (const [path, content] of inPack) {
    files.set(path, [pack, offset, content.length]);
    offset += content.length;
  }
  if (inPack.size > 0) packs[pack] = offset;
  const used = new Set([...files.values()].map(([name]) => name));
  for (const name of Object.keys(packs)) if (!used.has(name)) delete packs[name];
  try {
    if (inPack.size > 0) await writeWhole(folder, pack, [...inPack.values()]);
    await writeManifest(folder, {
      ...manifest,
      savedAt: Date.now(),
      nextPack: manifest.nextPack + 1,
      packs,
      files: Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : 1))),
    });
  } catch (error) {
    // The old manifest never names the new pack, so removing it is always safe.
    await folder.removeEntry(pack).catch(() => undefined);
    throw error;
  }
  // Committed. Packs the new manifest no longer names are garbage; failing to delete one costs space only.
  for (const name of Object.keys(manifest.packs)) if (!(name in packs)) await folder.removeEntry(name).catch(() => undefined);
}

/** Dead bytes allowed before a write compacts, so small meshes are not rewritten on every save. */
const COMPACTION_SLACK = 4 * 1024 * 1024;

function summaryOf(id: string, manifest: Manifest): StoredMeshSummary {
  return { id, title: manifest.title, origin: manifest.origin, savedAt: manifest.savedAt, fileCount: Object.keys(manifest.files).length };
}

function newestFirst(a: StoredMeshSummary, b: StoredMeshSummary): number {
  return b.savedAt - a.savedAt || a.title.localeCompare(b.title);
}

// ---------------------------------------------------------------------------------------------
// IndexedDB: database "quanta-meshes", store "meshes" (summaries) and store "files" keyed [mesh id, path]

const DB_NAME = 'quanta-meshes';
const MESHES = 'meshes';
const FILES = 'files';

interface FileRecord {
  readonly mesh: string;
  readonly path: string;
  readonly content: Uint8Array;
}

function openIndexedDbMeshStore(): Promise<BrowserMeshStore> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(MESHES, { keyPath: 'id' });
      request.result.createObjectStore(FILES, { keyPath: ['mesh', 'path'] });
    };
    request.onsuccess = () => {
      const db = request.result;
      // Let a newer Quanta in another tab upgrade the database.
      db.onversionchange = () => db.close();
      resolve(new IndexedDbMeshStore(db));
    };
    request.onerror = () =>
      reject(new BrowserStoreError(`The browser refused its storage to Quanta: ${request.error?.message ?? 'unknown error'}.`));
    request.onblocked = () =>
      reject(new BrowserStoreError('Close the other Quanta tabs, then reload: an older version there holds the storage.'));
  });
}

/** Every file of one mesh: arrays sort after strings in IndexedDB keys, so [id, []] is past [id, any path]. */
function filesOf(id: string): IDBKeyRange {
  return IDBKeyRange.bound([id], [id, []]);
}

class IndexedDbMeshStore implements BrowserMeshStore {
  readonly kind = 'indexeddb';
  readonly #db: IDBDatabase;

  constructor(db: IDBDatabase) {
    this.#db = db;
  }

  /**
   * Runs `body` in one transaction and settles when it commits; any error, thrown or from a
   * request, aborts it, and the browser rolls every change of it back.
   */
  #transaction<T>(
    mode: IDBTransactionMode,
    body: (tx: IDBTransaction, done: (value: T) => void, fail: (error: unknown) => void) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const tx = this.#db.transaction([MESHES, FILES], mode);
      let result: { value: T } | undefined;
      let failure: { error: unknown } | undefined;
      const fail = (error: unknown): void => {
        failure ??= { error };
        try {
          tx.abort();
        } catch {
          // Already finished or aborting.
        }
      };
      tx.oncomplete = () => (result ? resolve(result.value) : reject(new BrowserStoreError('the storage transaction ended early')));
      tx.onabort = () => reject(failure ? failure.error : (tx.error ?? new BrowserStoreError('the storage transaction was aborted')));
      try {
        body(tx, (value) => (result = { value }), fail);
      } catch (error) {
        fail(error);
      }
    });
  }

  list(): Promise<StoredMeshSummary[]> {
    return this.#transaction<StoredMeshSummary[]>('readonly', (tx, done) => {
      const request = tx.objectStore(MESHES).getAll();
      request.onsuccess = () => done((request.result as StoredMeshSummary[]).sort(newestFirst));
    });
  }

  async create(title: string, origin: StoredMeshSummary['origin'], files: ReadonlyMap<string, Uint8Array>): Promise<string> {
    const clean = cleanTitle(title);
    checkOrigin(origin);
    checkFiles(files.keys(), clean);
    checkNoClash(new Set(files.keys()), clean);
    const id = newMeshId(clean);
    const summary: StoredMeshSummary = { id, title: clean, origin, savedAt: Date.now(), fileCount: files.size };
    await this.#transaction<void>('readwrite', (tx, done) => {
      // add() fails on the (astronomically unlikely) id collision instead of overwriting a mesh.
      tx.objectStore(MESHES).add(summary);
      const store = tx.objectStore(FILES);
      for (const [path, content] of files) store.put({ mesh: id, path, content: ownBytes(bytesOf(path, content)) } satisfies FileRecord);
      done();
    }).catch((error: unknown) => {
      throw saveFailed(clean, error);
    });
    return id;
  }

  async read(id: string): Promise<Map<string, Uint8Array>> {
    checkId(id);
    return this.#transaction<Map<string, Uint8Array>>('readonly', (tx, done, fail) => {
      const summary = tx.objectStore(MESHES).get(id);
      summary.onsuccess = () => {
        if (!summary.result) return fail(unknownMesh(id));
        const request = tx.objectStore(FILES).getAll(filesOf(id));
        request.onsuccess = () => done(new Map((request.result as FileRecord[]).map((record) => [record.path, record.content])));
      };
    });
  }

  async write(id: string, changes: ReadonlyMap<string, Uint8Array | null>): Promise<void> {
    checkId(id);
    let title = id;
    await this.#transaction<void>('readwrite', (tx, done, fail) => {
      const meshes = tx.objectStore(MESHES);
      const store = tx.objectStore(FILES);
      const summaryRequest = meshes.get(id);
      summaryRequest.onsuccess = () => {
        const summary = summaryRequest.result as StoredMeshSummary | undefined;
        if (!summary) return fail(unknownMesh(id));
        title = summary.title;
        const keys = store.getAllKeys(filesOf(id));
        keys.onsuccess = () => {
          try {
            checkFiles(changes.keys(), title);
            const paths = new Set((keys.result as [string, string][]).map(([, path]) => path));
            for (const [path, content] of changes) {
              if (content === null) paths.delete(path);
              else paths.add(path);
            }
            checkNoClash(paths, title);
            for (const [path, content] of changes) {
              if (content === null) store.delete([id, path]);
              else store.put({ mesh: id, path, content: ownBytes(bytesOf(path, content)) } satisfies FileRecord);
            }
            meshes.put({ ...summary, savedAt: Date.now(), fileCount: paths.size } satisfies StoredMeshSummary);
            done();
          } catch (error) {
            fail(error);
          }
        };
      };
    }).catch((error: unknown) => {
      throw saveFailed(title, error);
    });
  }

  async rename(id: string, title: string): Promise<void> {
    checkId(id);
    await this.#transaction<void>('readwrite', (tx, done, fail) => {
      const meshes = tx.objectStore(MESHES);
      const request = meshes.get(id);
      request.onsuccess = () => {
        const summary = request.result as StoredMeshSummary | undefined;
        if (!summary) return fail(unknownMesh(id));
        meshes.put({ ...summary, title: cleanTitle(title) } satisfies StoredMeshSummary);
        done();
      };
    }).catch((error: unknown) => {
      throw saveFailed(cleanTitle(title), error);
    });
  }

  async remove(id: string): Promise<void> {
    checkId(id);
    await this.#transaction<void>('readwrite', (tx, done, fail) => {
      const meshes = tx.objectStore(MESHES);
      const request = meshes.get(id);
      request.onsuccess = () => {
        if (!request.result) return fail(unknownMesh(id));
        meshes.delete(id);
        tx.objectStore(FILES).delete(filesOf(id));
        done();
      };
    });
  }
}
