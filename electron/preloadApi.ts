/**
 * The object the preload exposes as `window.quanta` (checklist 20: no Electron API reaches
 * the page). Built from an `ipc` port so Node tests can check it without Electron: a frozen
 * object of named functions, each bound to one fixed channel; listeners get the message's
 * values, never the IpcRendererEvent (whose `sender` is ipcRenderer itself).
 * **No `electron` import**: preload.ts passes ipcRenderer in. Its shape is the desktop
 * contract's `DesktopApi` (`satisfies`): a missing or drifting function fails `tsc`.
 */
import { DESKTOP_CHANNELS, isDesktopCommand } from './desktopChannels.ts';
import type { DesktopApi, DesktopCalls } from './desktopContract.ts';

/** The part of ipcRenderer the API uses. */
export interface PreloadIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  off(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createPreloadApi(ipc: PreloadIpc, version: string): DesktopApi {
  // The one place a result crosses unchecked: main's handlers are typed to answer exactly
  // this (DesktopHandlers), so the cast is the contract, not a guess.
  const call = <K extends keyof DesktopCalls>(name: K, ...args: DesktopCalls[K]['args']) =>
    ipc.invoke(DESKTOP_CHANNELS[name], ...args) as Promise<DesktopCalls[K]['result']>;
  const listen = (channel: string, deliver: (args: unknown[]) => void): (() => void) => {
    const wrapped = (_event: unknown, ...args: unknown[]): void => deliver(args);
    ipc.on(channel, wrapped);
    return () => void ipc.off(channel, wrapped);
  };
  return Object.freeze({
    version,
    openFolder: () => call('openFolder'),
    openRecent: (folder) => call('openRecent', folder),
    recentMeshes: () => call('recentMeshes'),
    save: (request) => call('save', request),
    acknowledge: (paths) => call('acknowledge', paths),
    onCommand: (listener) =>
      listen(DESKTOP_CHANNELS.onCommand, ([command, argument]) => {
        // Main sends only DesktopCommand values (menuSpec.ts); anything else is dropped.
        if (!isDesktopCommand(command)) return;
        if (typeof argument === 'string') listener(command, argument);
        else listener(command);
      }),
    onExternalChange: (listener) =>
      listen(DESKTOP_CHANNELS.onExternalChange, ([paths]) => {
        if (Array.isArray(paths)) listener(paths.filter((p): p is string => typeof p === 'string'));
      }),
  } satisfies DesktopApi);
}
