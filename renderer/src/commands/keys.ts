/*
 * Keyboard shortcuts as data: "Mod+K", "Shift+Mod+Z", "Shift+P", "?". `Mod` is Ctrl, or Cmd on
 * a Mac. The same string is matched against key presses, shown in the palette and the shortcut
 * sheet, and put in aria-keyshortcuts, so what is listed is what fires.
 */
export type Shortcut = string;

interface Chord {
  readonly mod: boolean;
  readonly shift: boolean;
  readonly alt: boolean;
  /** Lowercase `KeyboardEvent.key`: "k", "enter", "?". */
  readonly key: string;
}

export function parseShortcut(shortcut: Shortcut): Chord {
  const parts = shortcut.split('+');
  // "Mod++" would be Mod and "+": the last part is the key even when it is empty after a split.
  const key = (parts.pop() || '+').toLowerCase();
  return { mod: parts.includes('Mod'), shift: parts.includes('Shift'), alt: parts.includes('Alt'), key };
}

type KeyPress = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'> & { readonly code?: string };

/** A symbol such as "?" is typed with Shift on most layouts: Shift is then part of the key, not a modifier to check. */
function shiftIsPartOfKey(key: string): boolean {
  return key.length === 1 && !/[a-z0-9]/.test(key);
}

export function matchesShortcut(shortcut: Shortcut, event: KeyPress): boolean {
  const chord = parseShortcut(shortcut);
  // With Alt, a Mac types another character ("Alt+N" is "˜"): the physical key decides then.
  const letter = /^[a-z]$/.test(chord.key) && event.altKey && event.code === `Key${chord.key.toUpperCase()}`;
  if (event.key.toLowerCase() !== chord.key && !letter) return false;
  if ((event.ctrlKey || event.metaKey) !== chord.mod || event.altKey !== chord.alt) return false;
  return shiftIsPartOfKey(chord.key) || event.shiftKey === chord.shift;
}

export function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

const KEY_NAMES: Readonly<Record<string, string>> = { enter: 'Enter', escape: 'Esc', delete: 'Delete', backspace: 'Backspace' };

function keyName(key: string): string {
  return KEY_NAMES[key] ?? (key.length === 1 ? key.toUpperCase() : key[0]?.toUpperCase() + key.slice(1));
}

/** The keys to press, one label per key: ["Ctrl", "Shift", "Z"], or ["⌘", "⇧", "Z"] on a Mac. */
export function shortcutKeys(shortcut: Shortcut, mac = isMac()): string[] {
  const chord = parseShortcut(shortcut);
  const keys: string[] = [];
  if (chord.mod) keys.push(mac ? '⌘' : 'Ctrl');
  if (chord.alt) keys.push(mac ? '⌥' : 'Alt');
  if (chord.shift) keys.push(mac ? '⇧' : 'Shift');
  keys.push(chord.key === '?' ? '?' : keyName(chord.key));
  return keys;
}

export function shortcutLabel(shortcut: Shortcut, mac = isMac()): string {
  return shortcutKeys(shortcut, mac).join(mac ? '' : '+');
}

/** The value of aria-keyshortcuts (WAI-ARIA's names: Control, Meta, Shift, Alt). */
export function ariaShortcut(shortcut: Shortcut, mac = isMac()): string {
  const chord = parseShortcut(shortcut);
  const keys: string[] = [];
  if (chord.mod) keys.push(mac ? 'Meta' : 'Control');
  if (chord.alt) keys.push('Alt');
  if (chord.shift) keys.push('Shift');
  keys.push(chord.key === '?' ? '?' : keyName(chord.key));
  return keys.join('+');
}
