import { MeshOverview } from './components/MeshOverview.tsx';
import { StartScreen } from './components/StartScreen.tsx';
import { desktopVersion } from './platform/desktopApi.ts';
import type { SampleSource } from './samples/sampleCatalog.ts';
import { useAppStore, useAppStoreApi } from './store/AppStoreProvider.tsx';
import { navigateToSample } from './store/navigation.ts';

export function App({ samples }: { readonly samples: readonly SampleSource[] }) {
  const store = useAppStoreApi();
  const openSample = useAppStore((s) => s.openSample);
  const open = (folder: string | undefined) => navigateToSample(store, folder);
  return (
    <div className="app">
      <main className="app-main">
        {openSample === undefined ? (
          <StartScreen folders={samples.map((s) => s.folder)} onOpen={open} />
        ) : (
          <MeshOverview folder={openSample} onBack={() => open(undefined)} />
        )}
      </main>
      <AppFooter />
    </div>
  );
}

function AppFooter() {
  const version = desktopVersion();
  return (
    <footer className="app-footer">
      {version === undefined ? 'Web version: everything runs in this browser tab, offline.' : `Quanta ${version}, desktop app.`}
    </footer>
  );
}
