import type { DesktopApi } from '../platform/desktopApi.ts';
import type { DocumentOrigin } from './meshDocument.ts';

/** The outcome of writing a document's changes somewhere. */
export type WriteResult =
  | { readonly ok: true; readonly origin: DocumentOrigin }
  /**
   * Files changed on disk since they were opened: nothing was written; the user decides.
   * `preserved` (desktop): another program's version that could not go back to its name, kept as `<file>.conflict-<id>`.
   */
  | { readonly ok: false; readonly conflicts: readonly string[]; readonly preserved?: readonly string[] }
  | { readonly ok: false; readonly message: string };

/**
 * Where saving a document goes. A sample is read-only, so its first save creates a copy in
 * the browser's storage (the document then continues as that copy); everything else is
 * written back to where it came from.
 */
export interface SaveTarget {
  /** Writes the changes (null deletes a file). `everything` is the whole mesh, for a first copy. */
  write(
    origin: DocumentOrigin,
    title: string,
    changes: ReadonlyMap<string, Uint8Array | null>,
    everything: () => Promise<Map<string, Uint8Array>>,
    overwrite: boolean,
  ): Promise<WriteResult>;
}

export interface BrowserStoreLike {
  create(title: string, origin: 'sample' | 'zip' | 'folder' | 'new', files: ReadonlyMap<string, Uint8Array>): Promise<string>;
  write(id: string, changes: ReadonlyMap<string, Uint8Array | null>): Promise<void>;
}

export interface FolderLike {
  /** Throws an error with `paths` (FolderConflictError) when files changed on disk since they were read. */
  write(changes: ReadonlyMap<string, Uint8Array | null>, options?: { overwrite?: boolean }): Promise<void>;
}

/** The desktop app's save channel, as the desktop contract types it (electron/desktopContract.ts). */
export type DesktopSaveLike = Pick<DesktopApi, 'save'>;

export interface SaveTargets {
  readonly browserStore: () => Promise<BrowserStoreLike>;
  /** The folder the user picked in this tab, by name (File System Access handles live in memory). */
  readonly folder: (name: string) => FolderLike | undefined;
  readonly desktop: () => DesktopSaveLike | undefined;
}

/** Routes a save by the document's origin. Never throws: failures come back as a message. */
export function saveTarget(targets: SaveTargets): SaveTarget {
  return {
    async write(origin, title, changes, everything, overwrite) {
      try {
        switch (origin.kind) {
          case 'sample': {
            const store = await targets.browserStore();
            const files = await everything();
            const id = await store.create(title, 'sample', files);
            return { ok: true, origin: { kind: 'stored', id } };
          }
          case 'stored': {
            const store = await targets.browserStore();
            await store.write(origin.id, changes);
            return { ok: true, origin };
          }
          case 'folder': {
            const folder = targets.folder(origin.name);
            if (!folder)
              return { ok: false, message: `The folder "${origin.name}" is no longer open in this tab; use Export to keep your changes.` };
            try {
              await folder.write(changes, { overwrite });
            } catch (error) {
              if (error instanceof Error && 'paths' in error && Array.isArray(error.paths)) {
                return { ok: false, conflicts: error.paths.map(String) };
              }
              throw error;
            }
            return { ok: true, origin };
          }
          case 'desktop': {
            const desktop = targets.desktop();
            if (!desktop) return { ok: false, message: 'This mesh was opened in the desktop app, which is not available here.' };
            const result = await desktop.save({
              changes: [...changes].map(([path, content]) => ({ path, content })),
              overwrite,
            });
            if (result.ok) return { ok: true, origin };
            return { ok: false, conflicts: result.conflicts, ...(result.preserved?.length ? { preserved: result.preserved } : {}) };
          }
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, message: `Saving failed: ${message.split('\n')[0] ?? message}` };
      }
    },
  };
}
