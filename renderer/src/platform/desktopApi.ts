/**
 * What electron/preload.ts exposes as `window.quanta` in the desktop app; absent in the web
 * build. Declared here as well as in the preload because renderer/ may not import electron/;
 * the preload checks its object against the same shape with `satisfies`.
 */
/** What opening did about a save a crash interrupted (electron/saveJournal.ts RecoveryReport); paths mesh-relative. */
export interface DesktopRecovery {
  /** A journal was found: the interrupted save was completed. */
  readonly completedSave: boolean;
  /** Files that save was completed for. */
  readonly rolledForward: readonly string[];
  /** Temp files of interrupted saves, removed. */
  readonly removed: readonly string[];
  /** `<file>.conflict-<id>`: content that was neither the old nor the new version, kept beside its file. */
  readonly preserved: readonly string[];
  /** Files another program changed after the crash, left as they are. */
  readonly kept: readonly string[];
}

export type DesktopOpenResult =
  | {
      readonly ok: true;
      readonly mesh: {
        readonly folder: string;
        readonly files: Readonly<Record<string, Uint8Array>>;
        readonly recovery: DesktopRecovery;
      };
    }
  | { readonly ok: false; readonly message: string }
  | { readonly ok: false; readonly cancelled: true };

export type DesktopSaveResult =
  | { readonly ok: true; readonly written: readonly string[]; readonly deleted: readonly string[] }
  | {
      readonly ok: false;
      readonly conflicts: readonly string[];
      /** The save was undone; other programs' content that could not go back to its name, kept as `<file>.conflict-<id>`. */
      readonly preserved?: readonly string[];
    };

/**
 * Menu commands main sends: new-mesh, open-folder, open-recent (argument: folder),
 * open-sample (argument: sample folder), save, save-as, undo, redo, toggle-inspector,
 * toggle-run-log, show-help.
 */
export interface QuantaDesktopApi {
  readonly version: string;
  openFolder(): Promise<DesktopOpenResult>;
  openRecent(folder: string): Promise<DesktopOpenResult>;
  recentMeshes(): Promise<string[]>;
  save(request: { changes: { path: string; content: Uint8Array | null }[]; overwrite?: boolean }): Promise<DesktopSaveResult>;
  acknowledge(paths: string[]): Promise<void>;
  onCommand(listener: (command: string, argument?: string) => void): () => void;
  onExternalChange(listener: (paths: string[]) => void): () => void;
}

declare global {
  interface Window {
    readonly quanta?: QuantaDesktopApi;
  }
}

export function desktopVersion(): string | undefined {
  return window.quanta?.version;
}
