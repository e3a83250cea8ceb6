import { useEffect } from 'react';
import { useRunCommand } from './useCommands.ts';
import type { DesktopApi } from '../platform/desktopApi.ts';

/** True when a key press belongs to a text field or a code editor, which have their own undo. */
export function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  return target.closest('input, textarea, select, [contenteditable="true"], .cm-editor') !== null;
}

/**
 * The desktop menu's commands about the open mesh run the command registry's commands of the
 * same id (commands/editorCommands.ts), so the menu, the palette and the keys do one thing.
 * The keys themselves are fired by commands/CommandLayer.tsx. The menu's accelerators reach us
 * as commands even while the user types: a text field or code editor then gets its own undo
 * (CodeMirror handles these input events too). `desktop`: undefined on the web.
 */
export function useEditorShortcuts(desktop: DesktopApi | undefined): void {
  const runCommand = useRunCommand();
  useEffect(() => {
    const offMenu = desktop?.onCommand((command) => {
      const typing = typingIn(document.activeElement);
      if ((command === 'undo' || command === 'redo') && typing) document.execCommand(command);
      else if (command === 'save' || command === 'save-as') runCommand('save');
      else if (['undo', 'redo', 'toggle-inspector', 'toggle-run-log'].includes(command)) runCommand(command);
    });
    return () => offMenu?.();
  }, [desktop, runCommand]);
}
