/**
 * The renderer's only window onto the desktop: a frozen object of named functions, never
 * ipcRenderer or a generic channel. Runs sandboxed, so it may require nothing but 'electron'.
 * Main validates every argument (electron/ipcArguments.ts).
 */
import { contextBridge, ipcRenderer } from 'electron';

/** Mirrors QuantaDesktopApi in renderer/src/platform/desktopApi.ts (renderer/ and electron/ may not import each other). */
export interface QuantaPreloadApi {
  readonly version: string;
  openFolder(): Promise<unknown>;
  openRecent(folder: string): Promise<unknown>;
  recentMeshes(): Promise<string[]>;
  save(request: { changes: { path: string; content: Uint8Array | null }[]; overwrite?: boolean }): Promise<unknown>;
  acknowledge(paths: string[]): Promise<void>;
  /** Menu commands (save, undo, …); returns a function that stops listening. */
  onCommand(listener: (command: string, argument?: string) => void): () => void;
  /** Files changed on disk by another program; returns a function that stops listening. */
  onExternalChange(listener: (paths: string[]) => void): () => void;
}

// Replaced by scripts/buildElectron.mjs with the version from package.json.
declare const __QUANTA_VERSION__: string;

// Channel names are repeated from electron/ipcArguments.ts: a sandboxed preload is bundled alone.
const api = Object.freeze({
  version: __QUANTA_VERSION__,
  openFolder: () => ipcRenderer.invoke('mesh:open-folder'),
  openRecent: (folder: string) => ipcRenderer.invoke('mesh:open-recent', folder),
  recentMeshes: () => ipcRenderer.invoke('mesh:recent') as Promise<string[]>,
  save: (request: { changes: { path: string; content: Uint8Array | null }[]; overwrite?: boolean }) =>
    ipcRenderer.invoke('mesh:save', request),
  acknowledge: (paths: string[]) => ipcRenderer.invoke('mesh:acknowledge', paths) as Promise<void>,
  onCommand: (listener: (command: string, argument?: string) => void) => {
    const wrapped = (_event: unknown, command: string, argument?: string): void => listener(command, argument);
    ipcRenderer.on('quanta:command', wrapped);
    return () => void ipcRenderer.off('quanta:command', wrapped);
  },
  onExternalChange: (listener: (paths: string[]) => void) => {
    const wrapped = (_event: unknown, paths: string[]): void => listener(paths);
    ipcRenderer.on('quanta:external-change', wrapped);
    return () => void ipcRenderer.off('quanta:external-change', wrapped);
  },
}) satisfies QuantaPreloadApi;

contextBridge.exposeInMainWorld('quanta', api);
