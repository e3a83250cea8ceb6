import { useEffect } from 'react';
import type { DesktopApi } from '../platform/desktopApi.ts';
import type { AppStore } from '../store/appStore.ts';

/** True when a key press belongs to a text field or a code editor, which have their own undo. */
export function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  return target.closest('input, textarea, select, [contenteditable="true"], .cm-editor') !== null;
}

/**
 * Ctrl/Cmd+Z undo, Shift+Ctrl/Cmd+Z (or Ctrl+Y) redo, Ctrl/Cmd+S save now — the mesh's
 * history, not a text field's. The desktop menu sends the same commands (`desktop`: the
 * desktop app's API, undefined on the web).
 */
export function useEditorShortcuts(store: AppStore, desktop: DesktopApi | undefined): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      if (!mod || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === 's') {
        event.preventDefault();
        void store.getState().save();
        return;
      }
      if (typingIn(event.target)) return;
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        store.getState().undo();
      } else if ((key === 'z' && event.shiftKey) || key === 'y') {
        event.preventDefault();
        store.getState().redo();
      }
    };
    window.addEventListener('keydown', onKey);
    // The menu's accelerators reach us as commands even while the user types: a text field
    // or code editor then gets its own undo (CodeMirror handles these input events too).
    const offMenu = desktop?.onCommand((command) => {
      const typing = typingIn(document.activeElement);
      if (command === 'undo') {
        if (typing) document.execCommand('undo');
        else store.getState().undo();
      } else if (command === 'redo') {
        if (typing) document.execCommand('redo');
        else store.getState().redo();
      } else if (command === 'save' || command === 'save-as') void store.getState().save();
      else if (command === 'toggle-inspector') store.getState().togglePanel('inspector');
      else if (command === 'toggle-run-log') store.getState().togglePanel('log');
    });
    return () => {
      window.removeEventListener('keydown', onKey);
      offMenu?.();
    };
  }, [store, desktop]);
}
