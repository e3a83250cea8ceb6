import {
  BrowserStoreError,
  checkFiles,
  checkId,
  checkNoClash,
  checkOrigin,
  cleanTitle,
  newestFirst,
  newMeshId,
  ownBytes,
  saveFailed,
  unknownMesh,
  bytesOf,
  type BrowserMeshStore,
  type StoredMeshSummary,
} from './browserStoreShared.ts';

/**
 * Meshes in IndexedDB, where OPFS does not work: database "quanta-meshes", store "meshes"
 * (summaries) and store "files" keyed [mesh id, path]. Every write is one readwrite
 * transaction, which the browser rolls back on any error.
 */
const DB_NAME = 'quanta-meshes';
const MESHES = 'meshes';
const FILES = 'files';

interface FileRecord {
  readonly mesh: string;
  readonly path: string;
  readonly content: Uint8Array;
}

export function openIndexedDbMeshStore(): Promise<BrowserMeshStore> {
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
