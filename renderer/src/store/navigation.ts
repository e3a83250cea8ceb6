import type { AppStore } from './appStore.ts';

/**
 * The open sample lives in the URL (`?sample=<folder>`) so a link, a reload and the browser's
 * back button all work, in the web build and under app://quanta/ alike.
 */
export function sampleFromSearch(search: string): string | undefined {
  const folder = new URLSearchParams(search).get('sample');
  return folder ? folder : undefined;
}

export function navigateToSample(store: AppStore, folder: string | undefined): void {
  const url = new URL(window.location.href);
  if (folder === undefined) url.searchParams.delete('sample');
  else url.searchParams.set('sample', folder);
  window.history.pushState(null, '', url);
  store.getState().showSample(folder);
  window.scrollTo(0, 0);
}

/** Keeps the store in step with back/forward navigation. Returns the unsubscribe function. */
export function followHistory(store: AppStore): () => void {
  const onPopState = () => store.getState().showSample(sampleFromSearch(window.location.search));
  window.addEventListener('popstate', onPopState);
  return () => window.removeEventListener('popstate', onPopState);
}
