import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { DesktopApi } from '../platform/desktopApi.ts';
import type { AppState, AppStore } from './appStore.ts';

const AppStoreContext = createContext<AppStore | undefined>(undefined);
// The desktop API main.tsx read once (platform/desktopApi.ts); undefined on the web.
const DesktopContext = createContext<DesktopApi | undefined>(undefined);

export function AppStoreProvider({
  store,
  desktop,
  children,
}: {
  readonly store: AppStore;
  readonly desktop?: DesktopApi | undefined;
  readonly children: ReactNode;
}) {
  return (
    <AppStoreContext value={store}>
      <DesktopContext value={desktop}>{children}</DesktopContext>
    </AppStoreContext>
  );
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

/** The desktop app's API (menu commands, reading the folder again), or undefined on the web. */
export function useDesktop(): DesktopApi | undefined {
  return useContext(DesktopContext);
}
