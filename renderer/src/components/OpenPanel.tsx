import { useEffect, useRef, useState } from 'react';
import type { StoredMeshSummary } from '../platform/browserMeshStore.ts';
import type { OpenActions } from '../actions/openActions.ts';
import { plural } from '../samples/meshSummary.ts';

/**
 * The start screen's ways in besides the samples: a new mesh, a folder, a .zip, the meshes
 * kept in this browser and (desktop) the recent folders. Every failure is one plain sentence.
 */
export function OpenPanel({
  actions,
  listStored,
  removeStored,
}: {
  readonly actions: OpenActions;
  readonly listStored: () => Promise<StoredMeshSummary[]>;
  readonly removeStored: (id: string) => Promise<void>;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [stored, setStored] = useState<StoredMeshSummary[]>();
  const labels = storedLabels(stored ?? []);
  const [recent, setRecent] = useState<string[]>([]);
  const [newTitle, setNewTitle] = useState('');
  const zipInput = useRef<HTMLInputElement>(null);
  const dirInput = useRef<HTMLInputElement>(null);

  const refresh = () =>
    listStored().then(setStored, (e: unknown) => {
      setStored([]);
      setError(`This browser's storage is not available (${message(e)}); meshes can still be opened, but not kept.`);
    });
  useEffect(() => {
    void refresh();
    void actions.recentMeshes().then(setRecent, () => setRecent([]));
  }, []); // once, when the start screen appears

  const attempt = async (work: () => Promise<void>) => {
    setError(undefined);
    setBusy(true);
    try {
      await work();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="open-heading" className="open-panel" aria-busy={busy}>
      <h2 id="open-heading">Your meshes</h2>
      <div className="open-actions">
        <form
          className="new-mesh-form"
          onSubmit={(event) => {
            event.preventDefault();
            const title = newTitle.trim();
            if (title === '') setError('Give the new mesh a name.');
            else void attempt(() => actions.newMesh(title));
          }}
        >
          <label>
            <span className="visually-hidden">Name of the new mesh</span>
            <input value={newTitle} onChange={(e) => setNewTitle(e.target.value)} placeholder="Name of a new mesh" />
          </label>
          <button type="submit">New mesh</button>
        </form>
        <button
          type="button"
          onClick={() => void attempt(async () => (actions.canPickFolder ? actions.openFolder() : dirInput.current?.click()))}
        >
          Open folder…
        </button>
        <button type="button" onClick={() => zipInput.current?.click()}>
          Import .zip…
        </button>
        <input
          ref={zipInput}
          type="file"
          accept=".zip,application/zip"
          hidden
          data-testid="import-zip"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void attempt(() => actions.importZip(file));
          }}
        />
        <input
          ref={dirInput}
          type="file"
          hidden
          data-testid="import-folder"
          {...{ webkitdirectory: '' }}
          onChange={(e) => {
            const list = e.target.files;
            if (list && list.length > 0) void attempt(() => actions.importFolderFiles(list));
            e.target.value = '';
          }}
        />
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {recent.length > 0 && (
        <>
          <h3>Recent folders</h3>
          <ul className="stored-list">
            {recent.map((folder) => (
              <li key={folder}>
                <button type="button" className="link-button" onClick={() => void attempt(() => actions.openRecent(folder))}>
                  {folder}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {stored === undefined ? null : stored.length === 0 ? (
        <p className="empty">
          Meshes you create, import or change are kept here, in this browser. Open a sample below and edit it to start.
        </p>
      ) : (
        <ul className="stored-list">
          {stored.map((mesh) => (
            <li key={mesh.id} data-testid="stored-mesh" data-mesh-id={mesh.id}>
              <button type="button" className="link-button" onClick={() => actions.showStored(mesh.id)}>
                {labels.get(mesh.id) ?? mesh.title}
              </button>{' '}
              <span className="hint">
                {ORIGIN_LABEL[mesh.origin]} · {plural(mesh.fileCount, 'file')} · saved {new Date(mesh.savedAt).toLocaleString()}
              </span>{' '}
              <button
                type="button"
                className="link-button"
                aria-label={`Delete ${labels.get(mesh.id) ?? mesh.title} from this browser`}
                onClick={() =>
                  void attempt(async () => {
                    if (!window.confirm(`Delete "${mesh.title}" from this browser? Export it as a .zip first to keep a copy.`)) return;
                    await removeStored(mesh.id);
                    await refresh();
                  })
                }
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

const ORIGIN_LABEL: Readonly<Record<StoredMeshSummary['origin'], string>> = {
  sample: 'edited sample',
  zip: 'imported .zip',
  folder: 'from a folder',
  new: 'new mesh',
};

/**
 * What "Your meshes" calls each stored mesh: its title, and for a later mesh with the same title
 * (an edited sample next to an imported zip of it) "title (copy 2)", "(copy 3)" in the order they were saved.
 */
export function storedLabels(stored: readonly StoredMeshSummary[]): Map<string, string> {
  const seen = new Map<string, number>();
  const labels = new Map<string, string>();
  for (const mesh of [...stored].sort((a, b) => a.savedAt - b.savedAt)) {
    const n = (seen.get(mesh.title) ?? 0) + 1;
    seen.set(mesh.title, n);
    labels.set(mesh.id, n === 1 ? mesh.title : `${mesh.title} (copy ${n})`);
  }
  return labels;
}
