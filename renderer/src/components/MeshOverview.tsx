import type { ReactNode } from 'react';
import { useAppStore } from '../store/AppStoreProvider.tsx';
import { selectSample } from '../store/selectors.ts';

/**
 * A sample named in the URL that is not open in the editor yet: still loading, not in this
 * build, or unreadable. Once it has loaded the store opens it as a document (the editor).
 */
export function MeshOverview({ folder, onBack }: { readonly folder: string; readonly onBack: () => void }) {
  const state = useAppStore(selectSample(folder));
  return (
    <div className="overview">
      <nav className="overview-nav" aria-label="Breadcrumb">
        <button type="button" className="back-button" onClick={onBack}>
          ← Start
        </button>
      </nav>
      {state === undefined && (
        <Notice title="Sample not found">
          There is no sample mesh named “{folder}” in this build. Go back to see the samples that are available.
        </Notice>
      )}
      {(state?.status === 'loading' || state?.status === 'loaded') && (
        <p className="loading" role="status">
          Loading {folder}…
        </p>
      )}
      {state?.status === 'failed' && <Notice title={`Could not open ${folder}`}>{state.message}</Notice>}
    </div>
  );
}

function Notice({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  return (
    <div className="notice" role="alert">
      <h1>{title}</h1>
      <p>{children}</p>
    </div>
  );
}
