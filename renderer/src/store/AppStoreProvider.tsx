import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from './appStore.ts';

const AppStoreContext = createContext<AppStore | undefined>(undefined);

export function AppStoreProvider({ store, children }: { readonly store: AppStore; readonly children: ReactNode }) {
  return <AppStoreContext value={store}>{children}</AppStoreContext>;
}

/** Reads one slice of the app state; re-renders only when that slice changes. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}

/** The store itself, for event handlers that act on it (navigation, loading). */
export function useAppStoreApi(): AppStore {
  const store = useContext(AppStoreContext);
  if (!store) throw new Error('useAppStore must be used inside <AppStoreProvider>');
  return store;
}
