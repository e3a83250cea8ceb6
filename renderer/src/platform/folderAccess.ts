/**
 * Mesh folders on the user's disk, from the browser. Chromium-based browsers have the File
 * System Access API (`showDirectoryPicker`): Quanta reads the folder and saves back into it.
 * Elsewhere, an `<input type=file webkitdirectory>` reads a folder once, read-only; saving
 * then goes to the browser store (browserMeshStore.ts).
 *
 * Same rules as the desktop (electron/meshSession.ts): version control, dependencies and
 * hidden files are not part of a mesh; a save refuses to overwrite a file that changed on
 * disk since Quanta read or wrote it, unless told to.
 */
import { resolveInMesh } from '../../../core/fs/meshFileSystem.ts';

export const MAX_FOLDER_FILE_BYTES = 64 * 1024 * 1024;
export const MAX_FOLDER_FILES = 20_000;
export const MAX_FOLDER_BYTES = 512 * 1024 * 1024;
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', 'dist', '.quanta']);

export class FolderAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FolderAccessError';
  }
}

/** A save refused because these files changed on disk since Quanta read or wrote them. */
export class FolderConflictError extends FolderAccessError {
  constructor(
    folder: string,
    readonly paths: readonly string[],
  ) {
    super(`Not saved: ${paths.map((p) => `"${p}"`).join(', ')} changed in the folder "${folder}" since Quanta opened it.`);
    this.name = 'FolderConflictError';
  }
}

interface DirectoryPickerWindow {
  showDirectoryPicker(options?: { id?: string; mode?: 'read' | 'readwrite' }): Promise<FileSystemDirectoryHandle>;
}

/** True where window.showDirectoryPicker exists (Chromium-based browsers). */
export function supportsFolderAccess(): boolean {
  return typeof window !== 'undefined' && typeof (window as Partial<DirectoryPickerWindow>).showDirectoryPicker === 'function';
}

export interface OpenedFolder {
  readonly name: string;
  readonly files: Map<string, Uint8Array>;
  /** Plain-words notes about files left out (too big). */
  readonly warnings: readonly string[];
  /**
   * Writes and deletes files in the folder; each file is replaced whole (swap file, then
   * swap on close). Throws FolderConflictError, writing nothing, when a file changed on disk
   * since Quanta last read or wrote it, unless `overwrite`.
   */
  write(changes: ReadonlyMap<string, Uint8Array | null>, options?: { readonly overwrite?: boolean }): Promise<void>;
}

/**
 * Asks the user for a mesh folder (read and write), reads its files (skipping .git,
 * node_modules, hidden files and folders, and files over 64 MB with a warning); undefined
 * if the user cancels. Throws FolderAccessError for a folder without mesh.yaml.
 */
export async function pickMeshFolder(): Promise<OpenedFolder | undefined> {
  if (!supportsFolderAccess()) throw new FolderAccessError('This browser cannot open folders; import the mesh as a .zip instead.');
  let root: FileSystemDirectoryHandle;
  try {
    root = await (window as unknown as DirectoryPickerWindow).showDirectoryPicker({ id: 'quanta-mesh', mode: 'readwrite' });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return undefined;
    throw new FolderAccessError(`The browser did not open the folder: ${error instanceof Error ? error.message : String(error)}`);
  }
  const reader = new MeshFolderReader(root.name);
  const known = new Map<string, number>();
  const walk = async (folder: FileSystemDirectoryHandle, prefix: string): Promise<void> => {
    const entries: [string, FileSystemHandle][] = [];
    for await (const entry of folder.entries()) entries.push(entry);
    entries.sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [name, handle] of entries) {
      const path = prefix ? `${prefix}/${name}` : name;
      if (handle instanceof FileSystemDirectoryHandle) {
        if (!skipFolder(name)) await walk(handle, path);
      } else if (handle instanceof FileSystemFileHandle && !skipFile(name)) {
        const file = await handle.getFile();
        if (await reader.add(path, file)) known.set(path, file.lastModified);
      }
    }
  };
  await walk(root, '');
  reader.requireMesh();
  return {
    name: root.name,
    files: reader.files,
    warnings: reader.warnings,
    write: (changes, options = {}) => writeToFolder(root, known, changes, options.overwrite === true),
  };
}

/**
 * Fallback for browsers without the API: the FileList of an `<input type=file webkitdirectory>`
 * (every file with its `webkitRelativePath`, starting with the chosen folder's name) → files.
 * Read-only; saving then goes to the browser store.
 */
export async function filesFromDirectoryInput(
  list: FileList,
): Promise<{ name: string; files: Map<string, Uint8Array>; warnings: readonly string[] }> {
  const all = [...list];
  const first = all[0];
  if (!first) throw new FolderAccessError('The chosen folder is empty; a mesh folder needs at least mesh.yaml.');
  const name = (first.webkitRelativePath || first.name).split('/')[0] ?? '';
  const reader = new MeshFolderReader(name);
  for (const file of all.sort((a, b) => (a.webkitRelativePath < b.webkitRelativePath ? -1 : 1))) {
    const parts = (file.webkitRelativePath || file.name).split('/').slice(1);
    const fileName = parts[parts.length - 1] ?? '';
    if (parts.length === 0 || parts.slice(0, -1).some(skipFolder) || skipFile(fileName)) continue;
    await reader.add(parts.join('/'), file);
  }
  reader.requireMesh();
  return { name, files: reader.files, warnings: reader.warnings };
}

function skipFolder(name: string): boolean {
  return SKIPPED_FOLDERS.has(name) || name.startsWith('.');
}

function skipFile(name: string): boolean {
  return name.startsWith('.') && name !== '.gitkeep';
}

/** Collects a folder's files under the size limits. */
class MeshFolderReader {
  readonly files = new Map<string, Uint8Array>();
  readonly warnings: string[] = [];
  #bytes = 0;

  constructor(readonly folder: string) {}

  /** False when the file was left out. */
  async add(path: string, file: File): Promise<boolean> {
    if (resolveInMesh('', path) !== path) return false;
    if (file.size > MAX_FOLDER_FILE_BYTES) {
      this.warnings.push(
        `Left out "${path}" (${Math.round(file.size / 1024 / 1024)} MB): Quanta opens files up to ${MAX_FOLDER_FILE_BYTES / 1024 / 1024} MB.`,
      );
      return false;
    }
    if (this.files.size >= MAX_FOLDER_FILES) {
      throw new FolderAccessError(`The folder "${this.folder}" has more than ${MAX_FOLDER_FILES} files; is it really a mesh folder?`);
    }
    this.#bytes += file.size;
    if (this.#bytes > MAX_FOLDER_BYTES) {
      throw new FolderAccessError(
        `The folder "${this.folder}" holds more than ${MAX_FOLDER_BYTES / 1024 / 1024} MB; Quanta opens meshes up to that size.`,
      );
    }
    this.files.set(path, new Uint8Array(await file.arrayBuffer()));
    return true;
  }

  requireMesh(): void {
    if (this.files.has('mesh.yaml')) return;
    const deeper = [...this.files.keys()].filter((p) => p.endsWith('/mesh.yaml')).sort((a, b) => a.length - b.length)[0];
    const hint = deeper ? ` There is one in "${deeper.slice(0, -'/mesh.yaml'.length)}": open that folder instead.` : '';
    throw new FolderAccessError(`The folder "${this.folder}" is not a mesh folder: it has no mesh.yaml.${hint}`);
  }
}

async function writeToFolder(
  root: FileSystemDirectoryHandle,
  known: Map<string, number>,
  changes: ReadonlyMap<string, Uint8Array | null>,
  overwrite: boolean,
): Promise<void> {
  for (const path of changes.keys()) {
    if (resolveInMesh('', path) !== path || path.includes('\\')) {
      throw new FolderAccessError(`Not saved: "${path}" is not a valid mesh path (relative, with "/", inside the mesh folder).`);
    }
  }
  if (!overwrite) {
    const conflicts: string[] = [];
    for (const path of changes.keys()) {
      const onDisk = await fileAt(root, path);
      const modified = onDisk ? (await onDisk.getFile()).lastModified : undefined;
      if (modified !== known.get(path)) conflicts.push(path);
    }
    if (conflicts.length > 0) throw new FolderConflictError(root.name, conflicts);
  }
  try {
    // New contents first, deletions last: a failure part-way never loses a file's only copy.
    const ordered = [...changes].sort(([, a], [, b]) => Number(a === null) - Number(b === null));
    for (const [path, content] of ordered) {
      const parts = path.split('/');
      const name = parts.pop() ?? '';
      if (content === null) {
        const folder = await folderAt(root, parts, false);
        await folder?.removeEntry(name).catch((error: unknown) => {
          if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
        });
        known.delete(path);
        await removeEmptyFolders(root, parts);
        continue;
      }
      const folder = await folderAt(root, parts, true);
      if (!folder) continue;
      const handle = await folder.getFileHandle(name, { create: true });
      const stream = await handle.createWritable();
      await stream.write(content as Uint8Array<ArrayBuffer>);
      await stream.close();
      known.set(path, (await handle.getFile()).lastModified);
    }
  } catch (error) {
    if (error instanceof FolderAccessError) throw error;
    const why =
      error instanceof DOMException && error.name === 'NotAllowedError'
        ? 'the browser no longer allows Quanta to write there; open the folder again'
        : error instanceof Error
          ? error.message
          : String(error);
    throw new FolderAccessError(`Saving into the folder "${root.name}" failed: ${why}.`);
  }
}

/**
 * A deleted product or domain, or a renamed domain's old folder, leaves no empty folder
 * behind (the loader would report a domain folder without domain.yaml). A non-recursive
 * removeEntry refuses a folder that is not empty: exactly where to stop.
 */
async function removeEmptyFolders(root: FileSystemDirectoryHandle, parts: readonly string[]): Promise<void> {
  for (let depth = parts.length; depth > 0; depth--) {
    const parent = await folderAt(root, parts.slice(0, depth - 1), false);
    const removed = await parent?.removeEntry(parts[depth - 1] ?? '').then(
      () => true,
      () => false,
    );
    if (!removed) return;
  }
}

async function folderAt(
  root: FileSystemDirectoryHandle,
  parts: readonly string[],
  create: boolean,
): Promise<FileSystemDirectoryHandle | undefined> {
  let folder = root;
  for (const part of parts) {
    const next = await folder.getDirectoryHandle(part, { create }).catch((error: unknown) => {
      if (!create && error instanceof DOMException && error.name === 'NotFoundError') return undefined;
      throw error;
    });
    if (!next) return undefined;
    folder = next;
  }
  return folder;
}

async function fileAt(root: FileSystemDirectoryHandle, path: string): Promise<FileSystemFileHandle | undefined> {
  const parts = path.split('/');
  const name = parts.pop() ?? '';
  const folder = await folderAt(root, parts, false).catch(() => undefined);
  return folder?.getFileHandle(name).catch(() => undefined);
}
