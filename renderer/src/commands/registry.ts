import { matchesShortcut, type Shortcut } from './keys.ts';

/*
 * Every action of the app, once: the command palette lists these, the shortcut sheet lists
 * their shortcuts, and the keyboard handler (CommandLayer) fires them by those shortcuts.
 * Screens contribute their commands while they are shown (useCommands); the registry itself
 * knows no React, so it is tested in Node.
 */
export type CommandGroup = 'File' | 'Edit' | 'Run' | 'View' | 'Governance' | 'Go to' | 'Help';

export const GROUP_ORDER: readonly CommandGroup[] = ['File', 'Edit', 'Run', 'View', 'Governance', 'Go to', 'Help'];

export interface Command {
  /** Stable, kebab-case: tests and the desktop menu name commands by it. */
  readonly id: string;
  readonly title: string;
  /** The shortcut sheet's words when the title follows the state ("Hide the inspector" → "Show or hide the inspector"). */
  readonly sheetTitle?: string;
  readonly group: CommandGroup;
  /** The first is shown; every one fires. */
  readonly shortcuts?: readonly Shortcut[];
  /** Other words the palette matches ("theme" for "Dark theme"). */
  readonly keywords?: string;
  /** Why it cannot run now (shown in the palette); undefined when it can. */
  readonly disabled?: string | undefined;
  /** Fires even while the user types in a field or code editor (Save, the palette itself). */
  readonly whileTyping?: boolean;
  /** Listed in the palette but not on the shortcut sheet (one entry per product…). */
  readonly paletteOnly?: boolean;
  readonly run: () => void;
}

export interface CommandRegistry {
  /** Replaces what `source` contributed before; returns the function that removes it. */
  register(source: string, commands: readonly Command[]): () => void;
  /** Every command, in the order their sources registered. */
  list(): readonly Command[];
  subscribe(listener: () => void): () => void;
}

export function createCommandRegistry(): CommandRegistry {
  const sources = new Map<string, readonly Command[]>();
  const listeners = new Set<() => void>();
  let all: readonly Command[] = [];
  const changed = () => {
    all = [...sources.values()].flat();
    for (const listener of listeners) listener();
  };
  return {
    register(source, commands) {
      sources.set(source, commands);
      changed();
      return () => {
        if (sources.get(source) !== commands) return;
        sources.delete(source);
        changed();
      };
    },
    list: () => all,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The command a key press fires, if any (the first registered wins: the registry refuses duplicates in tests). */
export function commandForKey(
  commands: readonly Command[],
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'> & { readonly code?: string },
): Command | undefined {
  return commands.find((command) => command.shortcuts?.some((shortcut) => matchesShortcut(shortcut, event)));
}

/** Shortcuts claimed by more than one command: a mistake the registry's test refuses. */
export function duplicateShortcuts(commands: readonly Command[]): string[] {
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  for (const command of commands)
    for (const shortcut of command.shortcuts ?? []) {
      const other = seen.get(shortcut);
      if (other !== undefined) duplicates.push(`${shortcut}: ${other} and ${command.id}`);
      else seen.set(shortcut, command.id);
    }
  return duplicates;
}
