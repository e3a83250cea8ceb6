import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { removedProductFolders } from '../edits/meshChanges.ts';
import { changedFiles } from '../model/changedFiles.ts';
import type { MeshFiles } from '../model/types.ts';

/*
 * What a save writes, decided apart from where it writes: the app's save targets (browser
 * storage, a picked folder, the desktop main process) carry the plan out, each all or nothing.
 */

/** A mesh as the editor holds it against what its save target has. */
export interface SaveInput {
  /** The files as edited now. */
  readonly files: MeshFiles;
  /** The files as the save target last had them. */
  readonly saved: MeshFiles;
  /** Every path of the folder as opened, seed data included (the model holds only the files Quanta reads). */
  readonly folderPaths: Iterable<string>;
  readonly diagnostics: readonly Diagnostic[];
}

export interface SavePlan {
  /** UTF-8 bytes of each changed file; null deletes (a removed file, and seed data of a deleted product). */
  readonly writes: ReadonlyMap<string, Uint8Array | null>;
  /**
   * Errors in files that would be written: saving them would put a broken file where a good
   * one is, so autosave waits until they are fixed (or undone).
   */
  readonly blockers: readonly Diagnostic[];
}

// What is unsaved: the files that differ from what the save target has (in core/model, as governance's what-if reads it too).
export { changedFiles };

/**
 * Files left behind by a deleted product: the rest of its folder (seed data under data/), which
 * would otherwise stay as a folder that is not a product (QUANTA_W037).
 */
export function orphanedFiles(input: Pick<SaveInput, 'files' | 'saved' | 'folderPaths'>): string[] {
  const folders = removedProductFolders(input.saved, input.files).map((folder) => `${folder}/`);
  if (folders.length === 0) return [];
  return [...input.folderPaths].filter((path) => !input.files.has(path) && folders.some((f) => path.startsWith(f))).sort();
}

export function planSave(input: SaveInput): SavePlan {
  const changed = input.files === input.saved ? [] : changedFiles(input.files, input.saved);
  const encoder = new TextEncoder();
  const writes = new Map<string, Uint8Array | null>();
  for (const path of changed) {
    const file = input.files.get(path);
    writes.set(path, file ? encoder.encode(file.text) : null);
  }
  for (const path of orphanedFiles(input)) writes.set(path, null);
  const paths = new Set(changed);
  const blockers = input.diagnostics.filter((d) => d.severity === 'error' && paths.has(d.file));
  return { writes, blockers };
}
