import type { DocumentOrigin } from '../workspace/meshDocument.ts';
import type { AppStore } from './appStore.ts';

/**
 * What the URL shows: the start screen, a bundled sample (`?sample=<folder>`) or a mesh kept in
 * this browser (`?mesh=<id>`). The URL is the truth so that a link, a reload and the back
 * button all work, in the web build and under app://quanta/ alike. Folders opened from disk
 * have no URL: a reload cannot reopen them without asking the user again.
 */
export type Route =
  | { readonly kind: 'start' }
  /** `scenario`: the sample opens with that scenario's briefing in the scenario panel (`?scenario=<id>`). */
  | { readonly kind: 'sample'; readonly folder: string; readonly scenario?: string }
  | { readonly kind: 'stored'; readonly id: string }
  | { readonly kind: 'unsaved' };

export function routeFromSearch(search: string): Route {
  const params = new URLSearchParams(search);
  const sample = params.get('sample');
  const scenario = params.get('scenario');
  if (sample) return scenario ? { kind: 'sample', folder: sample, scenario } : { kind: 'sample', folder: sample };
  const mesh = params.get('mesh');
  if (mesh) return { kind: 'stored', id: mesh };
  return { kind: 'start' };
}

/** Kept for the sample links trainers share. */
export function sampleFromSearch(search: string): string | undefined {
  const route = routeFromSearch(search);
  return route.kind === 'sample' ? route.folder : undefined;
}

export function routeOf(origin: DocumentOrigin): Route {
  switch (origin.kind) {
    case 'sample':
      return { kind: 'sample', folder: origin.folder };
    case 'stored':
      return { kind: 'stored', id: origin.id };
    default:
      return { kind: 'unsaved' };
  }
}

export interface Navigator {
  /** Shows a route and records it in the browser history (replace: without a new entry). */
  go(route: Route, options?: { readonly replace?: boolean }): void;
  /** Reopens what the URL says (start-up, back/forward). */
  applyUrl(): void;
}

/**
 * `openStored` reads a mesh kept in this browser and opens it; the navigator stays free of
 * storage so tests can drive it with a plain function.
 */
export function createNavigator(store: AppStore, openStored: (id: string) => Promise<void>): Navigator {
  const show = (route: Route) => {
    const state = store.getState();
    switch (route.kind) {
      case 'start':
        state.showSample(undefined);
        state.closeDocument();
        break;
      case 'sample':
        state.closeDocument();
        state.showSample(route.folder);
        if (route.scenario !== undefined) state.openScenarioPanel(route.scenario);
        break;
      case 'stored': {
        state.showSample(undefined);
        const open = state.document;
        if (!(open.status === 'open' && open.doc.origin.kind === 'stored' && open.doc.origin.id === route.id)) void openStored(route.id);
        break;
      }
      case 'unsaved':
        state.showSample(undefined);
        break;
    }
  };
  return {
    go(route, options = {}) {
      const url = new URL(window.location.href);
      url.searchParams.delete('sample');
      url.searchParams.delete('mesh');
      url.searchParams.delete('scenario');
      if (route.kind === 'sample') url.searchParams.set('sample', route.folder);
      if (route.kind === 'sample' && route.scenario !== undefined) url.searchParams.set('scenario', route.scenario);
      if (route.kind === 'stored') url.searchParams.set('mesh', route.id);
      if (options.replace) window.history.replaceState(null, '', url);
      else window.history.pushState(null, '', url);
      show(route);
      if (!options.replace) window.scrollTo(0, 0);
    },
    applyUrl() {
      show(routeFromSearch(window.location.search));
    },
  };
}

/** Keeps the app in step with back/forward navigation. Returns the unsubscribe function. */
export function followHistory(navigator: Navigator): () => void {
  const onPopState = () => navigator.applyUrl();
  window.addEventListener('popstate', onPopState);
  return () => window.removeEventListener('popstate', onPopState);
}
