import type { DocumentOrigin } from '../workspace/meshDocument.ts';
import type { AppStore } from './appStore.ts';
import type { DiscoveryView } from './state.ts';

export type { DiscoveryView };

/**
 * What the URL shows: the start screen, a bundled sample (`?sample=<folder>`) or a mesh kept in
 * this browser (`?mesh=<id>`). The URL is the truth so that a link, a reload and the back
 * button all work, in the web build and under app://quanta/ alike. Folders opened from disk
 * have no URL: a reload cannot reopen them without asking the user again.
 */
export type Route =
  | { readonly kind: 'start' }
  /**
   * `scenario`: the sample opens with that scenario's briefing in the scenario panel (`?scenario=<id>`).
   * `discovery`: the marketplace (`?view=marketplace`) or a product's page (`?product=<id>`) instead of the canvas.
   */
  | { readonly kind: 'sample'; readonly folder: string; readonly scenario?: string; readonly discovery?: DiscoveryView }
  | { readonly kind: 'stored'; readonly id: string; readonly discovery?: DiscoveryView }
  | { readonly kind: 'unsaved' };

/** The URL parameters every route may set: `go` clears them all before writing the route's. */
const ROUTE_PARAMS = ['sample', 'mesh', 'scenario', 'view', 'product'] as const;
/** A product id in the URL: what ids may be (core's id pattern is narrower), so a hostile link cannot put anything else in the page. */
const PRODUCT_PARAM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function discoveryFromParams(params: URLSearchParams): DiscoveryView | undefined {
  const product = params.get('product');
  if (product !== null && PRODUCT_PARAM.test(product)) return { kind: 'product', product };
  return params.get('view') === 'marketplace' ? { kind: 'marketplace' } : undefined;
}

export function routeFromSearch(search: string): Route {
  const params = new URLSearchParams(search);
  const sample = params.get('sample');
  const scenario = params.get('scenario');
  const discovery = discoveryFromParams(params);
  const extra = discovery ? { discovery } : {};
  if (sample) return scenario ? { kind: 'sample', folder: sample, scenario, ...extra } : { kind: 'sample', folder: sample, ...extra };
  const mesh = params.get('mesh');
  if (mesh) return { kind: 'stored', id: mesh, ...extra };
  return { kind: 'start' };
}

/** The URL's query for a route (`?sample=daff&product=customers`), keeping parameters that are not the route's. */
export function searchOf(route: Route, current = ''): string {
  const params = new URLSearchParams(current);
  for (const name of ROUTE_PARAMS) params.delete(name);
  if (route.kind === 'sample') params.set('sample', route.folder);
  if (route.kind === 'sample' && route.scenario !== undefined) params.set('scenario', route.scenario);
  if (route.kind === 'stored') params.set('mesh', route.id);
  if ((route.kind === 'sample' || route.kind === 'stored') && route.discovery) {
    params.set('view', 'marketplace');
    if (route.discovery.kind === 'product') params.set('product', route.discovery.product);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** Kept for the sample links trainers share. */
export function sampleFromSearch(search: string): string | undefined {
  const route = routeFromSearch(search);
  return route.kind === 'sample' ? route.folder : undefined;
}

/** The route of an open mesh; `discovery`: with the marketplace or a product page on screen (a sample's first save keeps it). */
export function routeOf(origin: DocumentOrigin, discovery?: DiscoveryView): Route {
  const extra = discovery ? { discovery } : {};
  switch (origin.kind) {
    case 'sample':
      return { kind: 'sample', folder: origin.folder, ...extra };
    case 'stored':
      return { kind: 'stored', id: origin.id, ...extra };
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
    state.showDiscovery(route.kind === 'sample' || route.kind === 'stored' ? route.discovery : undefined);
    switch (route.kind) {
      case 'start':
        state.showSample(undefined);
        state.closeDocument();
        break;
      case 'sample': {
        // The same sample already open (marketplace ↔ product page ↔ canvas) keeps its edits.
        const open = state.document;
        if (!(open.status === 'open' && open.doc.origin.kind === 'sample' && open.doc.origin.folder === route.folder))
          state.closeDocument();
        state.showSample(route.folder);
        if (route.scenario !== undefined) state.openScenarioPanel(route.scenario);
        break;
      }
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
      url.search = searchOf(route, url.search);
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
