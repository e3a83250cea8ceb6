import type { DesktopApi } from '../platform/desktopApi.ts';
import type { AppStore } from '../store/appStore.ts';
import type { Navigator } from '../store/navigation.ts';
import type { OpenActions } from './openActions.ts';

/**
 * The desktop menu's commands that are not about the open mesh's content (those are in
 * commands/shortcuts.ts): opening meshes, help. Failures go to the store's notice line.
 * Returns the function that stops listening. Desktop only: main.tsx passes the API it read.
 */
export function followDesktopCommands(api: DesktopApi, store: AppStore, navigator: Navigator, actions: OpenActions): () => void {
  const attempt = (work: () => Promise<void>) =>
    void work().catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      store.getState().showNotice(message.split('\n')[0] ?? message);
    });
  const offCommand = api.onCommand((command, argument) => {
    switch (command) {
      case 'open-folder':
        attempt(() => actions.openFolder());
        break;
      case 'open-recent':
        if (argument) attempt(() => actions.openRecent(argument));
        break;
      case 'open-sample':
        if (argument) navigator.go({ kind: 'sample', folder: argument });
        break;
      case 'new-mesh':
        // Electron has no window.prompt: the start screen's "new mesh" field asks for the name.
        navigator.go({ kind: 'start' });
        requestAnimationFrame(() => document.querySelector<HTMLInputElement>('.new-mesh-form input')?.focus());
        break;
      case 'show-help':
        navigator.go({ kind: 'start' });
        break;
    }
  });
  // Another program changed files of the open folder: offer to take them in (undoable).
  const offChange = api.onExternalChange((paths) => store.getState().noticeExternalChange(paths));
  return () => {
    offCommand();
    offChange();
  };
}
