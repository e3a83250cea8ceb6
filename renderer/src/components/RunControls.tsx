import { useAppStore, useAppStoreApi } from '../store/AppStoreProvider.tsx';
import { runSummary } from './runText.ts';

/** "Run all": runs every product of the open mesh in Web Workers, with progress on the button. */
export function RunControls({ folder }: { readonly folder: string }) {
  const store = useAppStoreApi();
  const run = useAppStore((s) => s.runs[folder]);
  const running = run?.running === true;
  return (
    <div className="run-controls">
      <button type="button" className="run-button" disabled={running} onClick={() => void store.getState().runMesh(folder)}>
        {running ? `Running ${run.done}/${run.total}…` : 'Run all'}
      </button>
      <p className="run-summary" role="status">
        {runSummary(run)}
      </p>
      {run?.error && !running && (
        <p className="run-error" role="alert">
          {run.error}
        </p>
      )}
    </div>
  );
}
