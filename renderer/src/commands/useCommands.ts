import { createContext, useCallback, useContext, useEffect, useSyncExternalStore } from 'react';
import type { Command, CommandRegistry } from './registry.ts';

/** The registry of the CommandLayer around the component. */
export const RegistryContext = createContext<CommandRegistry | undefined>(undefined);

/** Adds `commands` to the registry while the calling component is mounted (pass a memoised list). */
export function useCommands(source: string, commands: readonly Command[]): void {
  const registry = useContext(RegistryContext);
  useEffect(() => registry?.register(source, commands), [registry, source, commands]);
}

/** The registry's commands; re-renders when a screen adds or removes some. */
export function useRegisteredCommands(registry: CommandRegistry): readonly Command[] {
  return useSyncExternalStore(registry.subscribe, registry.list, registry.list);
}

/** Runs a registered command by id, from a button (the toolbar's palette and theme buttons). */
export function useRunCommand(): (id: string) => void {
  const registry = useContext(RegistryContext);
  return useCallback(
    (id: string) => {
      const command = registry?.list().find((c) => c.id === id);
      if (command && command.disabled === undefined) command.run();
    },
    [registry],
  );
}
