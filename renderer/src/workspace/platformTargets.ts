import type { DesktopApi } from '../platform/desktopApi.ts';
import { openBrowserMeshStore, type BrowserMeshStore } from '../platform/browserMeshStore.ts';
import type { OpenedFolder } from '../platform/folderAccess.ts';
import type { SaveTargets } from './saveTargets.ts';

/**
 * The app's save targets: the browser's mesh store (opened once, on first use), the folders
 * picked in this tab (File System Access handles cannot outlive the tab), and the desktop
 * app's main process when Quanta runs in Electron (`desktop`, read once by main.tsx).
 */
export interface PlatformTargets extends SaveTargets {
  readonly store: () => Promise<BrowserMeshStore>;
  /** Remembers a picked folder so saves can go back into it; returns the name to save under. */
  readonly rememberFolder: (folder: OpenedFolder) => string;
}

export function platformTargets(desktop: DesktopApi | undefined): PlatformTargets {
  let store: Promise<BrowserMeshStore> | undefined;
  const folders = new Map<string, OpenedFolder>();
  const openStore = () =>
    (store ??= openBrowserMeshStore().then(
      (opened) => {
        // Ask the browser not to clear the workspace when the disk runs low (Firefox asks the user).
        void navigator.storage?.persist?.().catch(() => false);
        return opened;
      },
      (error: unknown) => {
        store = undefined;
        throw error;
      },
    ));
  return {
    store: openStore,
    browserStore: openStore,
    folder: (name) => folders.get(name),
    desktop: () => {
      if (!desktop) return undefined;
      return {
        // Passed on whole: a conflict's `preserved` files must reach the user (diskNotices.ts).
        save: (request) => desktop.save(request),
      };
    },
    rememberFolder: (folder) => {
      let name = folder.name;
      for (let i = 2; folders.has(name) && folders.get(name) !== folder; i++) name = `${folder.name} (${i})`;
      folders.set(name, folder);
      return name;
    },
  };
}
