import { useAppStore, useAppStoreApi } from '../store/AppStoreProvider.tsx';
import type { MeshDocument } from '../workspace/meshDocument.ts';
import { selectDrafting, selectSaveState } from '../store/selectors.ts';

const WHERE: Readonly<Record<MeshDocument['origin']['kind'], string>> = {
  sample: 'a bundled sample: your first change is saved as a copy in this browser',
  stored: 'saved in this browser',
  folder: 'saved to the folder you opened',
  desktop: 'saved to its folder',
};

/** Saved / unsaved / why not saved, always visible; conflicts offer a choice. */
export function SaveStatus({ doc }: { readonly doc: MeshDocument }) {
  const store = useAppStoreApi();
  const state = useAppStore(selectSaveState);
  const drafting = useAppStore(selectDrafting);
  let text: string;
  if (drafting) text = 'Draft open: its edits are not saved';
  else
    switch (state.status) {
      case 'saved':
        text = 'All changes saved';
        break;
      case 'unsaved':
        text = 'Unsaved changes…';
        break;
      case 'saving':
        text = 'Saving…';
        break;
      case 'blocked':
        text = state.message;
        break;
      case 'conflict':
        text = `Not saved: ${state.conflicts.join(', ')} changed on disk since it was opened.`;
        break;
      case 'error':
        text = state.message;
        break;
    }
  return (
    <div className={`save-status save-${state.status}`} data-testid="save-status" data-status={state.status} title={WHERE[doc.origin.kind]}>
      {/* Polite live region, not role=status: the run summary is the page's status. */}
      <span aria-live="polite" title={text}>
        {text}
      </span>
      {state.status === 'conflict' && (
        <button type="button" className="link-button" onClick={() => void store.getState().save({ overwrite: true })}>
          Overwrite with mine
        </button>
      )}
      {(state.status === 'unsaved' || state.status === 'error') && (
        <button type="button" className="link-button" onClick={() => void store.getState().save()}>
          Save now
        </button>
      )}
    </div>
  );
}
