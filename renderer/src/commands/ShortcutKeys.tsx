import { shortcutKeys, shortcutLabel, type Shortcut } from './keys.ts';

/** A shortcut as keycaps; read out as "Ctrl+K". */
export function ShortcutKeys({ shortcut }: { readonly shortcut: Shortcut }) {
  return (
    <kbd className="shortcut" aria-label={shortcutLabel(shortcut)}>
      {shortcutKeys(shortcut).map((key, i) => (
        <kbd key={i} aria-hidden="true">
          {key}
        </kbd>
      ))}
    </kbd>
  );
}
