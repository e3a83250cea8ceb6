import { shortcutKeys, shortcutLabel, type Shortcut } from './keys.ts';

/** A shortcut as keycaps; read out as "Ctrl+K" (the caps themselves are hidden from screen readers). */
export function ShortcutKeys({ shortcut }: { readonly shortcut: Shortcut }) {
  return (
    <kbd className="shortcut">
      <span className="visually-hidden">{shortcutLabel(shortcut)}</span>
      {shortcutKeys(shortcut).map((key, i) => (
        <kbd key={i} aria-hidden="true">
          {key}
        </kbd>
      ))}
    </kbd>
  );
}
