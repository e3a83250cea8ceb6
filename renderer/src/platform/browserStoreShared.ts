import { resolveInMesh } from '../../../core/fs/meshFileSystem.ts';

/**
 * What both browser stores share (browserMeshStore.ts picks one): the store's interface, its
 * error, and the checks every write makes before anything is written — valid paths, no path
 * both a file and a folder, a known origin — so OPFS and IndexedDB refuse the same things
 * with the same words.
 */
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

export const ORIGINS: ReadonlySet<string> = new Set<StoredMeshSummary['origin']>(['sample', 'zip', 'folder', 'new']);

/** Refuses paths a mesh cannot hold, before anything is written. */
export function checkFiles(paths: Iterable<string>, title: string): void {
  for (const path of paths) {
    if (resolveInMesh('', path) !== path || path.includes('\\')) {
      throw new BrowserStoreError(
        `Could not save "${title}": "${path}" is not a valid mesh path (relative, with "/", inside the mesh folder). Nothing was changed.`,
      );
    }
  }
}

/** After a write, no path may be both a file and a folder. */
export function checkNoClash(paths: ReadonlySet<string>, title: string): void {
  for (const path of paths) {
    for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
      const folder = path.slice(0, slash);
      if (paths.has(folder)) {
        throw new BrowserStoreError(`Could not save "${title}": "${folder}" would be both a file and a folder. Nothing was changed.`);
      }
    }
  }
}

export function checkOrigin(origin: string): void {
  if (!ORIGINS.has(origin)) throw new BrowserStoreError(`unknown mesh origin "${origin}"`);
}

export function cleanTitle(title: string): string {
  const trimmed = title.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? 'Untitled mesh' : trimmed.slice(0, 200);
}

/** A url-safe id that says which mesh it is: `daff-3f9a20c1`. */
export function newMeshId(title: string): string {
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

export const ID = /^[a-z0-9][a-z0-9-]{0,80}$/;

export function unknownMesh(id: string): BrowserStoreError {
  return new BrowserStoreError(`There is no mesh "${id}" stored in this browser; it may have been deleted in another tab.`);
}

export function checkId(id: string): void {
  if (!ID.test(id)) throw unknownMesh(id);
}

/** Plain words for a failed save; the previous version is always kept. */
export function saveFailed(title: string, error: unknown): BrowserStoreError {
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
export function bytesOf(path: string, content: Uint8Array): Uint8Array {
  if ((content.buffer as { readonly detached?: boolean }).detached === true) {
    throw new Error(`the bytes of "${path}" were handed to another thread (a transferred buffer), so there is nothing to save`);
  }
  return content;
}

/** IndexedDB clones a view's whole buffer; keep only the view's bytes. */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

export function newestFirst(a: StoredMeshSummary, b: StoredMeshSummary): number {
  return b.savedAt - a.savedAt || a.title.localeCompare(b.title);
}
