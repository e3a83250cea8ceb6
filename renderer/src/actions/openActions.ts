import { unzipMesh } from '../../../core/fs/zipMesh.ts';
import { filesFromDirectoryInput, pickMeshFolder, supportsFolderAccess } from '../platform/folderAccess.ts';
import type { AppStore } from '../store/appStore.ts';
import type { Navigator } from '../store/navigation.ts';
import type { PlatformTargets } from '../workspace/platformTargets.ts';
import { recoveryNotice } from '../workspace/diskNotices.ts';
import type { DesktopApi, DesktopOpenedMesh, DesktopOpenResult } from '../platform/desktopApi.ts';

/**
 * What the start screen (and the desktop menu) can do to open a mesh. Each action either
 * opens a mesh or throws an Error whose message is meant for the user.
 */
export interface OpenActions {
  readonly canPickFolder: boolean;
  readonly isDesktop: boolean;
  openFolder(): Promise<void>;
  /** Browsers without folder access: the files of an <input webkitdirectory>, kept in this browser. */
  importFolderFiles(list: FileList): Promise<void>;
  importZip(file: File): Promise<void>;
  newMesh(title: string): Promise<void>;
  /** Reads a mesh kept in this browser into the editor (the navigator calls it for `?mesh=`). */
  openStored(id: string): Promise<void>;
  /** Navigates to a mesh kept in this browser. */
  showStored(id: string): void;
  openRecent(folder: string): Promise<void>;
  /** The desktop app's recent folders, newest first; none on the web. */
  recentMeshes(): Promise<string[]>;
}

/** `desktop`: the desktop app's API (main.tsx reads it once), undefined on the web. */
export function openActions(store: AppStore, navigator: Navigator, targets: PlatformTargets, desktop?: DesktopApi): OpenActions {
  const keep = async (title: string, origin: 'zip' | 'folder' | 'new', files: ReadonlyMap<string, Uint8Array>) => {
    const id = await (await targets.store()).create(title, origin, files);
    navigator.go({ kind: 'stored', id });
  };
  const openDesktop = async (result: DesktopOpenResult) => {
    if (!result.ok) {
      if ('cancelled' in result) return;
      throw new Error(result.message);
    }
    navigator.go({ kind: 'unsaved' });
    await openDesktopMesh(store, result.mesh);
  };
  return {
    canPickFolder: desktop !== undefined || supportsFolderAccess(),
    isDesktop: desktop !== undefined,
    async openFolder() {
      if (desktop) return openDesktop(await desktop.openFolder());
      const folder = await pickMeshFolder();
      if (!folder) return;
      const name = targets.rememberFolder(folder);
      navigator.go({ kind: 'unsaved' });
      await store.getState().openFiles({ kind: 'folder', name }, folder.files);
    },
    async importFolderFiles(list) {
      const { name, files } = await filesFromDirectoryInput(list);
      await keep(name, 'folder', files);
    },
    async importZip(file) {
      const files = unzipMesh(new Uint8Array(await file.arrayBuffer()), file.name);
      await keep(file.name.replace(/\.zip$/i, ''), 'zip', files);
    },
    async newMesh(title) {
      await keep(title, 'new', newMeshFiles(title));
    },
    async openStored(id) {
      const files = await (await targets.store()).read(id);
      await store.getState().openFiles({ kind: 'stored', id }, files);
    },
    showStored(id) {
      navigator.go({ kind: 'stored', id });
    },
    async openRecent(folder) {
      if (desktop) await openDesktop(await desktop.openRecent(folder));
    },
    recentMeshes: async () => (desktop ? desktop.recentMeshes() : []),
  };
}

/** Opens a folder main has read into the editor, with what opening it did about an interrupted save. */
export function openDesktopMesh(store: AppStore, mesh: DesktopOpenedMesh): Promise<void> {
  const recovery = recoveryNotice(mesh.recovery);
  return store
    .getState()
    .openFiles({ kind: 'desktop', folder: mesh.folder }, new Map(Object.entries(mesh.files)), recovery ? { diskNotices: [recovery] } : {});
}

/** A new mesh: a manifest with one team and one domain, so the first product has a home. */
export function newMeshFiles(title: string): Map<string, Uint8Array> {
  const name =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'my-mesh';
  const encoder = new TextEncoder();
  const quoted = JSON.stringify(title);
  return new Map([
    [
      'mesh.yaml',
      encoder.encode(
        [
          'apiVersion: quanta/v1',
          'kind: Mesh',
          `name: ${name}`,
          `title: ${quoted}`,
          'description: A new data mesh.',
          'teams:',
          '  - { id: platform-team, name: Platform team }',
          '',
        ].join('\n'),
      ),
    ],
    [
      'domains/first-domain/domain.yaml',
      encoder.encode(
        [
          'apiVersion: quanta/v1',
          'kind: Domain',
          'id: first-domain',
          'name: First domain',
          'team: platform-team',
          'description: Rename me.',
          '',
        ].join('\n'),
      ),
    ],
  ]);
}
