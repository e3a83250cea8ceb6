import { useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useRegisteredCommands } from './useCommands.ts';
import { fuzzyFilter } from './fuzzy.ts';
import { Overlay } from './Overlay.tsx';
import { GROUP_ORDER, type Command, type CommandRegistry } from './registry.ts';
import { ShortcutKeys } from './ShortcutKeys.tsx';

function byGroup(commands: readonly Command[]): Command[] {
  return GROUP_ORDER.flatMap((group) => commands.filter((command) => command.group === group));
}

/**
 * Ctrl/Cmd+K: every command of the registry, filtered as the user types (fuzzy), run with
 * Enter. An ARIA combobox: focus stays in the field, arrows move the active option
 * (aria-activedescendant), Escape closes.
 */
export function CommandPalette({ registry, onClose }: { readonly registry: CommandRegistry; readonly onClose: () => void }) {
  const commands = useRegisteredCommands(registry);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const shown = useMemo(() => fuzzyFilter(byGroup(commands), query, (c) => [c.title, `${c.keywords ?? ''} ${c.group}`]), [commands, query]);
  const current = Math.min(active, shown.length - 1);
  const optionId = (i: number) => `${listId}-option-${i}`;
  useEffect(() => {
    if (current >= 0) document.getElementById(optionId(current))?.scrollIntoView({ block: 'nearest' });
  });

  const run = (command: Command | undefined) => {
    if (!command || command.disabled !== undefined) return;
    onClose();
    command.run();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const last = shown.length - 1;
    if (event.key === 'ArrowDown') setActive(current >= last ? 0 : current + 1);
    else if (event.key === 'ArrowUp') setActive(current <= 0 ? last : current - 1);
    else if (event.key === 'PageDown') setActive(Math.min(last, current + 8));
    else if (event.key === 'PageUp') setActive(Math.max(0, current - 8));
    else if (event.key === 'Enter') run(shown[current]);
    else return;
    event.preventDefault();
  };

  return (
    <Overlay className="command-palette" label="Command palette" onClose={onClose}>
      <input
        className="command-palette-input"
        role="combobox"
        aria-label="Search commands"
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        {...(current >= 0 ? { 'aria-activedescendant': optionId(current) } : {})}
        placeholder="Type a command or a product name…"
        value={query}
        autoFocus
        spellCheck={false}
        autoComplete="off"
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul className="command-list" role="listbox" id={listId} aria-label="Commands">
        {shown.map((command, i) => (
          <li
            key={command.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === current}
            aria-disabled={command.disabled !== undefined}
            data-command-id={command.id}
            className="command-option"
            onMouseMove={() => i !== current && setActive(i)}
            onClick={() => run(command)}
          >
            <span className="command-group">{command.group}</span>
            <span className="command-title">
              {command.title}
              {command.disabled !== undefined && <span className="command-why"> — {command.disabled}</span>}
            </span>
            {command.shortcuts?.[0] !== undefined && <ShortcutKeys shortcut={command.shortcuts[0]} />}
          </li>
        ))}
      </ul>
      {shown.length === 0 && (
        <p className="command-empty" role="status">
          No command matches “{query}”. Try fewer letters, or a product’s name.
        </p>
      )}
      <p className="command-help">
        <span>↑↓ to choose</span> <span>Enter to run</span> <span>Esc to close</span>
      </p>
    </Overlay>
  );
}
