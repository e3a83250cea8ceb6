import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { desktopApi } from './platform/desktopApi.ts';
import { generatedSample } from './samples/generatedSample.ts';
import { loadSample } from './samples/loadSample.ts';
import { bundledSamples } from './samples/sampleCatalog.ts';
import { createAppStore } from './store/appStore.ts';
import { AppStoreProvider } from './store/AppStoreProvider.tsx';
import { createNavigator, followHistory, routeOf, sampleFromSearch, type Navigator } from './store/navigation.ts';
import { followDesktopCommands } from './actions/desktopCommands.ts';
import { openActions } from './actions/openActions.ts';
import { platformTargets } from './workspace/platformTargets.ts';
import { startTheme } from './styles/theme.ts';
import './styles/base.css';
import './styles/commands.css';
import './styles/startScreen.css';
import './styles/overview.css';
import './styles/canvas.css';
import './styles/inspector.css';
import './styles/inspectorData.css';
import './styles/editor.css';
import './styles/governance.css';
import './styles/workshop.css';
import './styles/derive.css';
import './styles/import.css';
import './styles/domains.css';
import './styles/terms.css';
import './styles/quality.css';
import './styles/sources.css';
import './styles/discovery.css';

// Light or dark before the first paint: the user's choice, else the system's.
startTheme();

// `?sample=generated-<n>` adds a generated mesh to the bundled samples (not listed on the start screen).
const generated = generatedSample(sampleFromSearch(window.location.search));
const sources = generated ? [...bundledSamples, generated] : bundledSamples;

// The only read of window.quanta (undefined on the web): everything else gets it passed in.
const desktop = desktopApi();
const targets = platformTargets(desktop);
// Set right after the store exists; the store's callbacks only run after that.
const nav: { current?: Navigator } = {};
const store = createAppStore({
  folders: sources.map((s) => s.folder),
  openSample: sampleFromSearch(window.location.search),
  // Quanta run in Web Workers, one DuckDB-WASM each; loaded and started on the first "Run all".
  createHost: async () => new (await import('../../workers/browser/browserHost.ts')).BrowserHost(),
  saveTargets: targets,
  // A sample's first save becomes a mesh kept in this browser: the URL follows, so a reload reopens it.
  onOriginChange: (origin) => nav.current?.go(routeOf(origin, store.getState().discovery), { replace: true }),
  // The open mesh's policies, after every change and run: the Governance panel shows them, publishes obey them.
  policies: {},
});
const actions = openActions(
  store,
  { go: (route, options) => navigator?.go(route, options), applyUrl: () => navigator?.applyUrl() },
  targets,
  desktop,
);
const navigator = createNavigator(store, (id) =>
  actions.openStored(id).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    store.getState().openFailed(`The mesh "${id}" is not in this browser's storage (${message}).`);
  }),
);
nav.current = navigator;
followHistory(navigator);
if (desktop) followDesktopCommands(desktop, store, navigator, actions);
navigator.applyUrl();

// Loading starts outside React so StrictMode's double effects cannot load a sample twice.
for (const source of sources) {
  void loadSample(source).then((result) => store.getState().setSampleState(source.folder, result));
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <AppStoreProvider store={store} desktop={desktop}>
      <App samples={bundledSamples} navigator={navigator} actions={actions} targets={targets} />
    </AppStoreProvider>
  </StrictMode>,
);
