import { useId } from 'react';
import { useRegisteredCommands } from './useCommands.ts';
import { Overlay } from './Overlay.tsx';
import { GROUP_ORDER, type CommandRegistry } from './registry.ts';
import { ShortcutKeys } from './ShortcutKeys.tsx';

/** Keys that belong to one place (the canvas, a dialog) rather than to a command. */
const IN_PLACE: readonly { readonly keys: string; readonly what: string }[] = [
  { keys: 'Delete', what: 'Delete the selected product (on the canvas)' },
  { keys: 'Arrow keys', what: 'Move the selected product (on the canvas)' },
  { keys: 'Enter', what: 'In the canvas search: select the first match' },
  { keys: 'Tab', what: 'Leave a code editor (Tab is not indentation)' },
  { keys: 'Escape', what: 'Close a dialog, leave presentation mode, stop a running Run all, Tick or Run' },
];

/** `?`: every shortcut of the registry, grouped, and the keys that work in one place. */
export function ShortcutSheet({ registry, onClose }: { readonly registry: CommandRegistry; readonly onClose: () => void }) {
  const commands = useRegisteredCommands(registry).filter((c) => !c.paletteOnly && (c.shortcuts?.length ?? 0) > 0);
  const titleId = useId();
  return (
    <Overlay className="shortcut-sheet" labelledBy={titleId} onClose={onClose}>
      <div className="shortcut-sheet-head">
        <h2 id={titleId}>Keyboard shortcuts</h2>
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
      <div className="shortcut-groups">
        {GROUP_ORDER.map((group) => {
          const inGroup = commands.filter((c) => c.group === group);
          if (inGroup.length === 0) return null;
          return (
            <section key={group} aria-label={group} className="shortcut-group">
              <h3>{group}</h3>
              <dl>
                {inGroup.map((command) => (
                  <div key={command.id} className="shortcut-row" data-command-id={command.id} data-shortcuts={command.shortcuts?.join(' ')}>
                    <dt>{command.sheetTitle ?? command.title}</dt>
                    <dd>
                      {command.shortcuts?.map((shortcut) => (
                        <ShortcutKeys key={shortcut} shortcut={shortcut} />
                      ))}
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          );
        })}
        <section aria-label="In place" className="shortcut-group">
          <h3>In place</h3>
          <dl>
            {IN_PLACE.map((row) => (
              <div key={row.keys} className="shortcut-row">
                <dt>{row.what}</dt>
                <dd>
                  <kbd className="shortcut">
                    <kbd>{row.keys}</kbd>
                  </kbd>
                </dd>
              </div>
            ))}
          </dl>
        </section>
      </div>
      <p className="command-help">Ctrl/Cmd+K opens the command palette: every action, shortcut or not.</p>
    </Overlay>
  );
}
