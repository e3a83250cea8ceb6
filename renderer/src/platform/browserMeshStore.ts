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
import { BrowserStoreError, type BrowserMeshStore, type StoredMeshSummary } from './browserStoreShared.ts';
import { openIndexedDbMeshStore } from './indexedDbMeshStore.ts';
import { OPFS_FOLDER, OpfsMeshStore, opfsRoot } from './opfsMeshStore.ts';

// The stores live in opfsMeshStore.ts (+ opfsPacks.ts) and indexedDbMeshStore.ts; callers import from here.
export { BrowserStoreError, OPFS_FOLDER, type BrowserMeshStore, type StoredMeshSummary };

/** OPFS when navigator.storage.getDirectory works, else IndexedDB (or when `prefer` says so). */
export async function openBrowserMeshStore(options: { readonly prefer?: 'opfs' | 'indexeddb' } = {}): Promise<BrowserMeshStore> {
  if (options.prefer !== 'indexeddb') {
    const root = await opfsRoot();
    if (root) return new OpfsMeshStore(root);
  }
  return openIndexedDbMeshStore();
}
