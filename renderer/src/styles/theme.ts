import { useSyncExternalStore } from 'react';

/*
 * Light or dark: `data-theme` on <html> picks the colour tokens of base.css. The user's
 * choice is remembered in localStorage; until they choose, the system's prefers-color-scheme
 * decides, and a change of it is followed.
 */
export type Theme = 'light' | 'dark';

const KEY = 'quanta.theme';
const listeners = new Set<() => void>();

function stored(): Theme | undefined {
  try {
    const value = window.localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : undefined;
  } catch {
    // Storage refused (some private modes): the theme still switches, it is only not remembered.
    return undefined;
  }
}

function systemTheme(): Theme {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function apply(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  for (const listener of listeners) listener();
}

/** At startup, before the first render: the remembered theme, else the system's (followed while none is chosen). */
export function startTheme(): void {
  apply(stored() ?? systemTheme());
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (stored() === undefined) apply(systemTheme());
  });
}

export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

export function setTheme(theme: Theme): void {
  try {
    window.localStorage.setItem(KEY, theme);
  } catch {
    // See stored().
  }
  apply(theme);
}

export function toggleTheme(): void {
  setTheme(currentTheme() === 'dark' ? 'light' : 'dark');
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The theme in force; re-renders when it changes. */
export function useTheme(): Theme {
  return useSyncExternalStore(subscribe, currentTheme, () => 'light');
}
