import { useRunCommand } from '../commands/useCommands.ts';
import { useTheme } from '../styles/theme.ts';
import { IconButton } from './IconButton.tsx';

/** The dark-theme switch (pressed while dark), for the toolbar and the start screen; the command is the registry's. */
export function ThemeToggle() {
  const theme = useTheme();
  const runCommand = useRunCommand();
  return (
    <IconButton
      icon={theme === 'dark' ? 'sun' : 'moon'}
      label="Dark theme"
      hint={theme === 'dark' ? 'on; press for the light theme' : 'off; press for the dark theme'}
      shortcut="Shift+Mod+L"
      aria-pressed={theme === 'dark'}
      className="theme-toggle"
      onClick={() => runCommand('toggle-theme')}
    />
  );
}

/** The command palette and the shortcut sheet, as buttons. */
export function HelpButtons() {
  const runCommand = useRunCommand();
  return (
    <>
      <IconButton icon="command" label="Command palette" shortcut="Mod+K" onClick={() => runCommand('command-palette')} />
      <IconButton icon="keyboard" label="Keyboard shortcuts" shortcut="?" onClick={() => runCommand('keyboard-shortcuts')} />
    </>
  );
}
