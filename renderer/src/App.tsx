import type { ReactNode } from 'react';
import { CommandLayer } from './commands/CommandLayer.tsx';
import { OpenPanel } from './components/OpenPanel.tsx';
import { MeshOverview } from './components/MeshOverview.tsx';
import { StartScreen } from './components/StartScreen.tsx';
import { EditorScreen } from './editor/EditorScreen.tsx';
import type { SampleSource } from './samples/sampleCatalog.ts';
import { useAppStore, useAppStoreApi, useDesktop } from './store/AppStoreProvider.tsx';
import { routeOf, type Navigator } from './store/navigation.ts';
import type { DiscoveryView } from './store/state.ts';
import type { OpenActions } from './actions/openActions.ts';
import type { PlatformTargets } from './workspace/platformTargets.ts';
import { selectDocument, selectOpenSample } from './store/selectors.ts';

export interface AppProps {
  readonly samples: readonly SampleSource[];
  readonly navigator: Navigator;
  readonly actions: OpenActions;
  readonly targets: PlatformTargets;
}

export function App({ samples, navigator, actions, targets }: AppProps) {
  const document = useAppStore(selectDocument);
  const openSample = useAppStore(selectOpenSample);
  const store = useAppStoreApi();
  const back = () => navigator.go({ kind: 'start' });
  let screen: ReactNode;
  if (document.status === 'open') {
    const origin = document.doc.origin;
    // The marketplace and product pages of a sample or stored mesh have a URL; a folder opened from disk has none.
    const discover = (view: DiscoveryView | undefined): void => {
      const route = routeOf(origin, view);
      if (route.kind === 'unsaved') store.getState().showDiscovery(view);
      else navigator.go(route);
    };
    screen = <EditorScreen doc={document.doc} onBack={back} onDiscover={discover} />;
  } else if (document.status === 'loading') screen = <Loading what="the mesh" />;
  else if (document.status === 'failed') screen = <Failure title="Could not open this mesh" message={document.message} onBack={back} />;
  // A sample still loading, or one that does not exist: the overview says which.
  else if (openSample !== undefined) screen = <MeshOverview folder={openSample} onBack={back} />;
  else
    screen = (
      <StartScreen
        folders={samples.map((s) => s.folder)}
        onOpen={(folder) => navigator.go({ kind: 'sample', folder })}
        onOpenScenario={(folder, scenario) => navigator.go({ kind: 'sample', folder, scenario })}
      >
        <OpenPanel
          actions={actions}
          listStored={async () => (await targets.store()).list()}
          removeStored={async (id) => (await targets.store()).remove(id)}
        />
      </StartScreen>
    );
  return (
    <CommandLayer>
      <div className={`app${document.status === 'open' ? ' app-editor' : ''}`}>
        <main className="app-main">{screen}</main>
        <AppFooter />
      </div>
    </CommandLayer>
  );
}

function Loading({ what }: { readonly what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

function Failure({ title, message, onBack }: { readonly title: string; readonly message: string; readonly onBack: () => void }) {
  return (
    <div className="notice" role="alert">
      <h1>{title}</h1>
      <p>{message}</p>
      <button type="button" onClick={onBack}>
        Back to the start screen
      </button>
    </div>
  );
}

function AppFooter() {
  const version = useDesktop()?.version;
  return (
    <footer className="app-footer">
      {version === undefined ? 'Web version: everything runs in this browser tab, offline.' : `Quanta ${version}, desktop app.`}
    </footer>
  );
}
