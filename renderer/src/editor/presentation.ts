import { useCallback, useEffect, useState } from 'react';
import type { AppStore } from '../store/appStore.ts';
import { typingIn } from '../commands/shortcuts.ts';

/*
 * View preferences of the editor that are not part of a mesh: presentation mode (for a
 * projector: bigger type, no editing chrome) and whether the run log is open, remembered
 * between sessions. Kept out of the app store on purpose: they are about this screen, not the
 * document.
 */

/** Where a preference is remembered: window.localStorage in the app, a Map in tests. */
export interface PreferenceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const RUN_LOG_KEY = 'quanta.editor.runLogOpen';

/** The browser's localStorage, or none where it is disabled (it throws on access in some private modes). */
function browserStorage(): PreferenceStorage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

export function readRunLogOpen(storage: PreferenceStorage | undefined): boolean | undefined {
  try {
    const value = storage?.getItem(RUN_LOG_KEY);
    return value === 'true' ? true : value === 'false' ? false : undefined;
  } catch {
    return undefined;
  }
}

export function writeRunLogOpen(storage: PreferenceStorage | undefined, open: boolean): void {
  try {
    storage?.setItem(RUN_LOG_KEY, String(open));
  } catch {
    // Full or refused storage: the run log still opens and closes, it is only not remembered.
  }
}

/**
 * The run log's open/closed state is the store's `panels.log` (the desktop menu's Toggle Run
 * Log changes it too); this restores the remembered state when the editor opens and remembers
 * every change after.
 */
export function useRememberedRunLog(store: AppStore, storage: PreferenceStorage | undefined = browserStorage()): void {
  useEffect(() => {
    const remembered = readRunLogOpen(storage);
    if (remembered !== undefined && store.getState().panels.log !== remembered) store.getState().togglePanel('log');
    return store.subscribe((state, previous) => {
      if (state.panels.log !== previous.panels.log) writeRunLogOpen(storage, state.panels.log);
    });
  }, [store, storage]);
}

/** True for the presentation shortcut: Shift+P outside text fields, no other modifier. */
export function isPresentationKey(event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): boolean {
  return event.shiftKey && !event.ctrlKey && !event.metaKey && !event.altKey && event.key.toLowerCase() === 'p' && !typingIn(event.target);
}

export interface Presentation {
  readonly presenting: boolean;
  readonly toggle: () => void;
  /** While presenting, the run log has its own open state, closed at the start: the room looks at the canvas. */
  readonly logOpen: boolean;
  readonly toggleLog: () => void;
}

/**
 * Presentation mode: toggled by the toolbar button or Shift+P, left with Shift+P or Escape.
 * Not remembered: whoever opens the app next expects the editor. Leaving it restores the
 * editor as it was (inspector, run log), since presenting changes none of the editor's state.
 */
export function usePresentation(): Presentation {
  const [presenting, setPresenting] = useState(false);
  const [logOpen, setLogOpen] = useState(false);
  const toggle = useCallback(() => {
    setPresenting((p) => !p);
    setLogOpen(false);
  }, []);
  const toggleLog = useCallback(() => setLogOpen((open) => !open), []);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      if (isPresentationKey(event)) {
        event.preventDefault();
        toggle();
      } else if (event.key === 'Escape' && !typingIn(event.target) && document.querySelector('dialog[open]') === null) {
        setPresenting(false);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggle]);
  return { presenting, toggle, logOpen, toggleLog };
}
