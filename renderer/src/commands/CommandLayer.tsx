import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { typingIn } from './shortcuts.ts';
import { toggleTheme } from '../styles/theme.ts';
import { CommandPalette } from './CommandPalette.tsx';
import { commandForKey, createCommandRegistry, type Command } from './registry.ts';
import { ShortcutSheet } from './ShortcutSheet.tsx';
import { RegistryContext } from './useCommands.ts';

type Shown = 'palette' | 'shortcuts' | undefined;

/**
 * Holds the command registry for everything inside it, and the one keyboard handler that fires
 * commands by their shortcuts (capture phase, before the canvas or a field sees the key). A
 * command runs while the user types in a field or a dialog is open only if it says so
 * (`whileTyping`): Ctrl+Z in a text field is the field's own undo.
 */
export function CommandLayer({ children }: { readonly children: ReactNode }) {
  const [registry] = useState(createCommandRegistry);
  const [overlay, setOverlay] = useState<Shown>();
  const appCommands = useMemo<readonly Command[]>(
    () => [
      {
        id: 'command-palette',
        title: 'Command palette',
        group: 'Help',
        shortcuts: ['Mod+K'],
        whileTyping: true,
        keywords: 'commands actions search',
        run: () => setOverlay((o) => (o === 'palette' ? undefined : 'palette')),
      },
      {
        id: 'keyboard-shortcuts',
        title: 'Keyboard shortcuts',
        group: 'Help',
        shortcuts: ['?'],
        keywords: 'help keys sheet',
        run: () => setOverlay('shortcuts'),
      },
      {
        id: 'toggle-theme',
        title: 'Switch between light and dark theme',
        group: 'View',
        shortcuts: ['Shift+Mod+L'],
        keywords: 'theme dark light colours appearance',
        run: toggleTheme,
      },
    ],
    [],
  );
  useEffect(() => registry.register('app', appCommands), [registry, appCommands]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const command = commandForKey(registry.list(), event);
      if (!command) return;
      const busy = typingIn(event.target) || document.querySelector('dialog[open]') !== null;
      if (busy && !command.whileTyping) return;
      event.preventDefault();
      event.stopPropagation();
      if (command.disabled === undefined) command.run();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [registry]);
  return (
    <RegistryContext.Provider value={registry}>
      {children}
      {overlay === 'palette' && <CommandPalette registry={registry} onClose={() => setOverlay(undefined)} />}
      {overlay === 'shortcuts' && <ShortcutSheet registry={registry} onClose={() => setOverlay(undefined)} />}
    </RegistryContext.Provider>
  );
}
