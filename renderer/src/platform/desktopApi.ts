/**
 * What electron/preload.ts exposes as `window.quanta` in the desktop app; absent in the web
 * build. Declared here as well as in the preload because renderer/ may not import electron/;
 * the preload checks its object against the same shape with `satisfies`.
 */
export type DesktopOpenResult =
  | { readonly ok: true; readonly mesh: { readonly folder: string; readonly files: Readonly<Record<string, Uint8Array>> } }
  | { readonly ok: false; readonly message: string }
  | { readonly ok: false; readonly cancelled: true };

export type DesktopSaveResult =
  | { readonly ok: true; readonly written: readonly string[]; readonly deleted: readonly string[] }
  | { readonly ok: false; readonly conflicts: readonly string[] };

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
