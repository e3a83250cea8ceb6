import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';
import { applyEdit, type MeshEdit } from '../../../core/edits/meshEdits.ts';
import { EditError } from '../../../core/model/editError.ts';
import { applyChange, type MeshChange } from '../../../core/edits/meshChanges.ts';
import { movedDomainFolder } from '../../../core/edits/domainEdits.ts';
import { EditHistory } from '../../../core/edits/history.ts';
import { addedSourceFiles } from '../../../core/import/addSource.ts';
import { buildMesh } from '../../../core/load/buildMesh.ts';
import type { LoadedMesh } from '../../../core/load/loadMesh.ts';
import { MemoryFileSystem } from '../../../core/fs/memoryFileSystem.ts';
import { PRODUCT_FILE } from '../../../core/load/readMeshFiles.ts';
import type { Mesh, MeshFiles } from '../../../core/model/types.ts';
import { changedFiles, orphanedFiles, planSave } from '../../../core/save/savePlan.ts';

/** Where an open mesh came from, and so where saving it goes. */
export type DocumentOrigin =
  /** A bundled sample: read-only; the first save makes a copy in the browser's storage. */
  | { readonly kind: 'sample'; readonly folder: string }
  /** A mesh kept in this browser (OPFS or IndexedDB). */
  | { readonly kind: 'stored'; readonly id: string }
  /** A folder opened with the File System Access API: saved back into it. */
  | { readonly kind: 'folder'; readonly name: string }
  /** A folder opened in the desktop app: saved by Electron's main process. */
  | { readonly kind: 'desktop'; readonly folder: string };

/** A change the editor makes: a file edit or a higher-level mesh change; both are data. */
export type DocumentChange = { readonly edit: MeshEdit } | { readonly change: MeshChange };

/**
 * One open mesh in the editor. Immutable: every edit returns a new document whose files,
 * model and diagnostics agree, and whose history can undo it. `seeds` holds the bytes of the
 * folder as opened (seed data the runtime reads); the text files the user edits live in
 * `files`.
 */
export interface MeshDocument {
  readonly origin: DocumentOrigin;
  readonly title: string;
  readonly files: MeshFiles;
  readonly mesh: Mesh;
  readonly diagnostics: readonly Diagnostic[];
  readonly seeds: MemoryFileSystem;
  /** The files as the save target last had them. */
  readonly saved: MeshFiles;
  readonly history: EditHistory;
  /** Counts model changes (edits, undo, redo): a runtime built for an older revision is stale. */
  readonly revision: number;
  readonly selected: string | undefined;
}

export function documentKey(origin: DocumentOrigin): string {
  switch (origin.kind) {
    case 'sample':
      return `sample:${origin.folder}`;
    case 'stored':
      return `stored:${origin.id}`;
    case 'folder':
      return `folder:${origin.name}`;
    case 'desktop':
      return `desktop:${origin.folder}`;
  }
}

export function openDocument(origin: DocumentOrigin, loaded: LoadedMesh, seeds: MemoryFileSystem): MeshDocument {
  const files = loaded.mesh.files;
  return {
    origin,
    title: titleOf(loaded.mesh, origin),
    files,
    mesh: loaded.mesh,
    diagnostics: loaded.diagnostics,
    seeds,
    saved: files,
    history: EditHistory.start(files),
    revision: 0,
    selected: undefined,
  };
}

/**
 * Applies one change. Throws EditError (a plain-words message) when the change is impossible;
 * the document is then unchanged. A change that leaves the files as they were is no entry.
 */
export function changeDocument(doc: MeshDocument, change: DocumentChange, label: string, squashKey?: string): MeshDocument {
  const files = 'edit' in change ? applyEdit(doc.files, change.edit) : applyChange(doc.files, change.change, doc.mesh);
  if (sameFiles(files, doc.files)) return doc;
  const moved = 'change' in change ? movedDomainFolder(change.change) : undefined;
  const seeds = moved ? withMovedSeeds(doc.seeds, moved.from, moved.to) : doc.seeds;
  return withFiles({ ...doc, seeds, history: doc.history.push(label, files, squashKey) }, files);
}

/**
 * A domain that changes its id moves its folder, seed data included: the bytes are copied to
 * the new paths (the old ones stay, so Undo finds them), and a save writes them with the moved
 * products (newProductSeeds) and deletes the old folder (orphanedFiles).
 */
function withMovedSeeds(seeds: MemoryFileSystem, from: string, to: string): MemoryFileSystem {
  const all = seeds.snapshot();
  for (const [path, bytes] of [...all]) if (path.startsWith(`${from}/`)) all.set(to + path.slice(from.length), bytes);
  return new MemoryFileSystem(Object.fromEntries(all));
}

/** Replaces the text files at once (a scenario's setup, its reset) as one undoable step. */
export function replaceFiles(doc: MeshDocument, files: MeshFiles, label: string): MeshDocument {
  if (sameFiles(files, doc.files)) return doc;
  return withFiles({ ...doc, history: doc.history.push(label, files) }, files);
}

/** A draft of the document: edits collect in it, nothing is saved, its own undo history. */
export function startDraft(doc: MeshDocument): MeshDocument {
  return { ...doc, history: EditHistory.start(doc.files), saved: doc.files };
}

/** Takes a draft's files into the document as one undoable step. */
export function applyDraft(doc: MeshDocument, draft: MeshDocument): MeshDocument {
  if (sameFiles(draft.files, doc.files)) return doc;
  // A domain renamed in the draft copied its seed data to the new paths in the draft's seeds: keep those too.
  const seeds =
    draft.seeds === doc.seeds ? doc.seeds : new MemoryFileSystem(Object.fromEntries([...doc.seeds.snapshot(), ...draft.seeds.snapshot()]));
  return withFiles({ ...doc, seeds, history: doc.history.push('Apply draft', draft.files), selected: draft.selected }, draft.files);
}

export function undoDocument(doc: MeshDocument): MeshDocument {
  if (!doc.history.canUndo) return doc;
  const history = doc.history.undo();
  return withFiles({ ...doc, history }, history.files);
}

export function redoDocument(doc: MeshDocument): MeshDocument {
  if (!doc.history.canRedo) return doc;
  const history = doc.history.redo();
  return withFiles({ ...doc, history }, history.files);
}

/** Paths whose text differs from what the save target has. */
export function unsavedPaths(doc: MeshDocument): string[] {
  return doc.files === doc.saved ? [] : changedFiles(doc.files, doc.saved);
}

/**
 * Errors in files that would be written: saving them would put a broken file where a good
 * one is, so autosave waits until they are fixed (or undone).
 */
export function saveBlockers(doc: MeshDocument): readonly Diagnostic[] {
  return planSave(saveInput(doc)).blockers;
}

/**
 * What a save writes (core/save/savePlan.ts): the text of each changed file as UTF-8, null for
 * a deleted file — and for every other file of a deleted product's folder (its seed data).
 */
export function pendingWrites(doc: MeshDocument): ReadonlyMap<string, Uint8Array | null> {
  const writes = new Map(planSave(saveInput(doc)).writes);
  for (const [path, bytes] of newProductSeeds(doc)) writes.set(path, bytes);
  // A data file added to an existing product (core/import/addSource.ts) is written with its quanta.yaml.
  const added = addedSourceFiles(doc.mesh, doc.saved).filter((path) => !doc.files.has(path));
  const seeds = added.length > 0 ? doc.seeds.snapshot() : undefined;
  for (const path of added) {
    const bytes = seeds?.get(path);
    if (bytes) writes.set(path, bytes);
  }
  return writes;
}

/**
 * Seed data of products the save target does not have yet (an imported file): written with
 * the product's own files. Seeds of a product that was undone before saving are not.
 */
function newProductSeeds(doc: MeshDocument): Map<string, Uint8Array> {
  const fresh = [...doc.files.keys()]
    .filter((path) => path.endsWith(`/${PRODUCT_FILE}`) && !doc.saved.has(path))
    .map((path) => path.slice(0, -PRODUCT_FILE.length));
  const seeds = new Map<string, Uint8Array>();
  if (fresh.length === 0) return seeds;
  for (const [path, bytes] of doc.seeds.snapshot()) {
    if (!doc.files.has(path) && fresh.some((dir) => path.startsWith(dir))) seeds.set(path, bytes);
  }
  return seeds;
}

/**
 * Adds products made outside the editor's changes (imported files): their text files as one
 * undoable step, their data files as seeds (a new seed store, so runs see what changed).
 */
export function importProducts(doc: MeshDocument, files: MeshFiles, seeds: ReadonlyMap<string, Uint8Array>, label: string): MeshDocument {
  const bytes = new MemoryFileSystem(Object.fromEntries([...doc.seeds.snapshot(), ...seeds]));
  return withFiles({ ...doc, seeds: bytes, history: doc.history.push(label, files) }, files);
}

/** Every file of the mesh as it is now (unsaved edits included): for a first copy or an export. */
export function allFiles(doc: MeshDocument): Map<string, Uint8Array> {
  const all = doc.seeds.snapshot();
  for (const path of doc.saved.keys()) if (!doc.files.has(path)) all.delete(path);
  // A domain or product folder opened with its domain.yaml or product.odps.yaml and without it now was deleted or moved
  // (a renamed domain): none of its bytes go.
  const defining = (path: string) => path.endsWith(`/${PRODUCT_FILE}`) || /^domains\/[^/]+\/domain\.yaml$/.test(path);
  const gone = [...all.keys()]
    .filter((path) => path.startsWith('domains/') && defining(path) && !doc.files.has(path))
    .map((path) => path.slice(0, path.lastIndexOf('/') + 1));
  if (gone.length > 0) for (const path of [...all.keys()]) if (gone.some((dir) => path.startsWith(dir))) all.delete(path);
  for (const path of orphanedFiles(saveInput(doc))) all.delete(path);
  const encoder = new TextEncoder();
  for (const [path, file] of doc.files) all.set(path, encoder.encode(file.text));
  return all;
}

function saveInput(doc: MeshDocument) {
  return { files: doc.files, saved: doc.saved, folderPaths: doc.seeds.snapshot().keys(), diagnostics: doc.diagnostics };
}

/** The save target now holds `files` (what was written, which may be older than `doc.files`). */
export function markSaved(doc: MeshDocument, files: MeshFiles, origin: DocumentOrigin = doc.origin): MeshDocument {
  return { ...doc, origin, saved: files };
}

export function selectProduct(doc: MeshDocument, productId: string | undefined): MeshDocument {
  return productId === doc.selected ? doc : { ...doc, selected: productId };
}

/**
 * Takes in files another program changed on disk: each file that differs from what was last
 * saved becomes the disk's version, as one undoable step, so the user's own edit of such a
 * file is one Undo away; their unsaved edits of other files stay. `disk` is the folder now.
 */
export function reloadFromDisk(doc: MeshDocument, disk: MeshFiles, bytes: MemoryFileSystem): MeshDocument {
  const paths = new Set([...disk.keys(), ...doc.saved.keys()]);
  const changed = [...paths].filter((p) => disk.get(p)?.text !== doc.saved.get(p)?.text);
  if (changed.length === 0) return { ...doc, seeds: bytes };
  const files = new Map(doc.files);
  const saved = new Map(doc.saved);
  for (const path of changed) {
    const file = disk.get(path);
    if (file) {
      files.set(path, file);
      saved.set(path, file);
    } else {
      files.delete(path);
      saved.delete(path);
    }
  }
  const label = changed.length === 1 ? `Reload ${changed[0] ?? ''} from disk` : `Reload ${changed.length} files from disk`;
  return withFiles({ ...doc, seeds: bytes, saved, history: doc.history.push(label, files) }, files);
}

export { EditError };

function withFiles(doc: MeshDocument, files: MeshFiles): MeshDocument {
  const built = buildMesh(files);
  const selected = doc.selected !== undefined && built.mesh.products.some((p) => p.id === doc.selected) ? doc.selected : undefined;
  return {
    ...doc,
    files,
    mesh: built.mesh,
    diagnostics: built.diagnostics,
    revision: doc.revision + 1,
    title: titleOf(built.mesh, doc.origin),
    selected,
  };
}

function sameFiles(a: MeshFiles, b: MeshFiles): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [path, file] of a) if (b.get(path) !== file) return false;
  return true;
}

function titleOf(mesh: Mesh, origin: DocumentOrigin): string {
  const title = mesh.manifest?.title ?? mesh.manifest?.name;
  if (title) return title;
  switch (origin.kind) {
    case 'sample':
      return origin.folder;
    case 'stored':
      return 'Untitled mesh';
    case 'folder':
      return origin.name;
    case 'desktop':
      return origin.folder.split(/[\\/]/).at(-1) ?? origin.folder;
  }
}
