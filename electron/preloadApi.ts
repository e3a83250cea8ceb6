/**
 * The object the preload exposes as `window.quanta` (checklist 20: no Electron API reaches
 * the page). Built from an `ipc` port so Node tests can check it without Electron: a frozen
 * object of named functions, each bound to one fixed channel; listeners get the message's
 * values, never the IpcRendererEvent (whose `sender` is ipcRenderer itself).
 * **No `electron` import**: preload.ts passes ipcRenderer in.
 */

/** The part of ipcRenderer the API uses. */
export interface PreloadIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  off(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

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

// Repeated from electron/ipcArguments.ts so the sandboxed preload bundle stays tiny and
// free of Node imports; test/unit/electronPreload.test.ts keeps the two equal.
export const PRELOAD_CHANNELS = {
  openFolder: 'mesh:open-folder',
  openRecent: 'mesh:open-recent',
  recent: 'mesh:recent',
  save: 'mesh:save',
  acknowledge: 'mesh:acknowledge',
  command: 'quanta:command',
  externalChange: 'quanta:external-change',
} as const;

export function createPreloadApi(ipc: PreloadIpc, version: string): QuantaPreloadApi {
  const listen = (channel: string, deliver: (args: unknown[]) => void): (() => void) => {
    const wrapped = (_event: unknown, ...args: unknown[]): void => deliver(args);
    ipc.on(channel, wrapped);
    return () => void ipc.off(channel, wrapped);
  };
  return Object.freeze({
    version,
    openFolder: () => ipc.invoke(PRELOAD_CHANNELS.openFolder),
    openRecent: (folder: string) => ipc.invoke(PRELOAD_CHANNELS.openRecent, folder),
    recentMeshes: () => ipc.invoke(PRELOAD_CHANNELS.recent) as Promise<string[]>,
    save: (request: { changes: { path: string; content: Uint8Array | null }[]; overwrite?: boolean }) =>
      ipc.invoke(PRELOAD_CHANNELS.save, request),
    acknowledge: (paths: string[]) => ipc.invoke(PRELOAD_CHANNELS.acknowledge, paths) as Promise<void>,
    onCommand: (listener: (command: string, argument?: string) => void) =>
      listen(PRELOAD_CHANNELS.command, ([command, argument]) => {
        if (typeof command !== 'string') return;
        if (typeof argument === 'string') listener(command, argument);
        else listener(command);
      }),
    onExternalChange: (listener: (paths: string[]) => void) =>
      listen(PRELOAD_CHANNELS.externalChange, ([paths]) => {
        if (Array.isArray(paths)) listener(paths.filter((p): p is string => typeof p === 'string'));
      }),
  }) satisfies QuantaPreloadApi;
}
