import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { loadSample } from './samples/loadSample.ts';
import { bundledSamples } from './samples/sampleCatalog.ts';
import { createAppStore } from './store/appStore.ts';
import { AppStoreProvider } from './store/AppStoreProvider.tsx';
import { followHistory, sampleFromSearch } from './store/navigation.ts';
import './styles/base.css';
import './styles/startScreen.css';
import './styles/overview.css';

const store = createAppStore({
  folders: bundledSamples.map((s) => s.folder),
  openSample: sampleFromSearch(window.location.search),
  // Quanta run in Web Workers, one DuckDB-WASM each; loaded and started on the first "Run all".
  createHost: async () => new (await import('../../workers/browser/browserHost.ts')).BrowserHost(),
});
followHistory(store);

// Loading starts outside React so StrictMode's double effects cannot load a sample twice.
for (const source of bundledSamples) {
  void loadSample(source).then((result) => store.getState().setSampleState(source.folder, result));
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <AppStoreProvider store={store}>
      <App samples={bundledSamples} />
    </AppStoreProvider>
  </StrictMode>,
);
