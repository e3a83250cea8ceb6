import { MemoryFileSystem } from '../../../core/fs/memoryFileSystem.ts';
import { addedSources } from '../../../core/import/addSource.ts';
import { importedProduct } from '../../../core/import/importFile.ts';
import { buildMesh } from '../../../core/load/buildMesh.ts';
import { loadMesh } from '../../../core/load/loadMesh.ts';
import { readMeshFiles } from '../../../core/load/readMeshFiles.ts';
import { withNotices } from '../workspace/diskNotices.ts';
import {
  applyDraft as applyDraftDocument,
  changeDocument,
  documentKey,
  EditError,
  importProducts,
  openDocument,
  redoDocument,
  reloadFromDisk as reloadDocument,
  replaceFiles as replaceFilesOf,
  selectProduct,
  startDraft as startDraftDocument,
  undoDocument,
  unsavedPaths,
  type MeshDocument,
} from '../workspace/meshDocument.ts';
import { runsAfterEdit } from './runsSlice.ts';
import { openDocumentOf, type AppState, type DocumentSlice, type SliceCreator } from './state.ts';

/** Nothing open, or a new mesh opening: the per-mesh state starts empty. */
const FRESH = {
  saveState: { status: 'saved' },
  notice: undefined,
  externalChanges: [],
  draft: undefined,
  // A scenario plays on one mesh: opening another ends it.
  scenario: undefined,
} as const satisfies Partial<AppState>;

/**
 * The open mesh as an immutable document (workspace/meshDocument.ts): every edit, undo and redo
 * makes a new one. An edit of the document (not of a what-if draft) marks what it changed in
 * the runs ("changed since last run"), sets the save state and schedules autosave.
 */
export const createDocumentSlice: SliceCreator<DocumentSlice> = (set, get, session) => {
  const openDoc = (): MeshDocument | undefined => openDocumentOf(get());
  const setDoc = (doc: MeshDocument): void => set({ document: { status: 'open', doc } });
  const afterEdit = (doc: MeshDocument): void => {
    const { runs } = get();
    const marked = runsAfterEdit(runs, openDoc(), doc);
    if (marked !== runs) set({ runs: marked });
    setDoc(doc);
    const unsaved = unsavedPaths(doc).length > 0;
    set({ saveState: { status: unsaved ? 'unsaved' : 'saved' } });
    if (unsaved) session.autosave.schedule();
  };
  /** Applies `step` to the draft while one is open, else to the document (then afterEdit). */
  const history = (step: (doc: MeshDocument) => MeshDocument | undefined): void => {
    const draft = get().draft;
    if (draft) {
      const next = step(draft);
      if (next) set({ draft: next });
      return;
    }
    const doc = openDoc();
    const next = doc && step(doc);
    if (next) afterEdit(next);
  };

  return {
    document: { status: 'none' },
    ...FRESH,
    diskNotices: [],
    showDiskNotices: (notices) => set((s) => ({ diskNotices: withNotices(s.diskNotices, notices) })),
    dismissDiskNotice: (id) => set((s) => ({ diskNotices: s.diskNotices.filter((n) => n.id !== id) })),

    openFiles: async (origin, files, options = {}) => {
      const seq = session.beginOpen();
      set({ document: { status: 'loading', label: documentKey(origin) }, ...FRESH, diskNotices: options.diskNotices ?? [] });
      try {
        const fs = new MemoryFileSystem(Object.fromEntries(files));
        const loaded = await loadMesh(fs);
        if (!session.isNewestOpen(seq)) return;
        setDoc(openDocument(origin, loaded, fs));
        // Quanta boot while the user looks at the mesh: the first Run all does not wait for them.
        session.warm(loaded.mesh.products.length);
      } catch (error) {
        // loadMesh turns bad content into diagnostics; reaching this is a bug in Quanta.
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        if (session.isNewestOpen(seq))
          set({ document: { status: 'failed', message: `Quanta could not open this mesh (${message}). Please report this.` } });
      }
    },
    closeDocument: () => {
      session.beginOpen();
      set({ document: { status: 'none' }, ...FRESH, diskNotices: [] });
    },
    openFailed: (message) => set({ document: { status: 'failed', message } }),

    change: (change, label, squashKey) => {
      const draft = get().draft;
      const doc = draft ?? openDoc();
      if (!doc) return false;
      try {
        const next = changeDocument(doc, change, label, squashKey);
        if (draft) set({ draft: next });
        else afterEdit(next);
        set({ notice: undefined });
        return true;
      } catch (error) {
        if (!(error instanceof EditError)) throw error;
        set({ notice: error.message });
        return false;
      }
    },
    replaceFiles: (files, label) => {
      // A draft is the user's own what-if; a scenario plays on the document.
      const doc = openDoc();
      if (doc) afterEdit(replaceFilesOf(doc, files, label));
    },
    importData: (requests) => {
      const doc = openDoc();
      if (!doc || requests.length === 0) return false;
      try {
        let files = doc.files;
        let mesh = doc.mesh;
        const seeds = new Map<string, Uint8Array>();
        for (const request of requests) {
          const product = importedProduct(mesh, request);
          files = new Map([...files, ...product.files]);
          for (const [path, bytes] of product.seeds) seeds.set(path, bytes);
          mesh = buildMesh(files).mesh;
        }
        const ids = requests.map((r) => r.id);
        const label = ids.length === 1 ? `Import ${requests[0]?.analysis.fileName ?? ''} as ${ids[0] ?? ''}` : `Import ${ids.length} files`;
        afterEdit(importProducts(doc, files, seeds, label));
        set({ notice: undefined });
        return true;
      } catch (error) {
        if (!(error instanceof EditError)) throw error;
        set({ notice: error.message });
        return false;
      }
    },
    addDataFiles: (productId, requests) => {
      const doc = openDoc();
      if (!doc || requests.length === 0) return false;
      try {
        const product = doc.mesh.products.find((p) => p.id === productId);
        if (!product) throw new EditError(`there is no product ${productId} to add a data file to`);
        const added = addedSources(doc.files, product, requests, doc.seeds.snapshot().keys());
        const label =
          requests.length === 1 ? `Add ${added.dataFiles[0] ?? ''} to ${productId}` : `Add ${requests.length} data files to ${productId}`;
        afterEdit(importProducts(doc, added.files, added.seeds, label));
        set({ notice: undefined });
        return true;
      } catch (error) {
        if (!(error instanceof EditError)) throw error;
        set({ notice: error.message });
        return false;
      }
    },
    undo: () => history((doc) => (doc.history.canUndo ? undoDocument(doc) : undefined)),
    redo: () => history((doc) => (doc.history.canRedo ? redoDocument(doc) : undefined)),
    select: (productId) => {
      const draft = get().draft;
      if (draft) set({ draft: selectProduct(draft, productId) });
      const doc = openDoc();
      if (doc) setDoc(selectProduct(doc, productId));
    },

    startDraft: () => {
      const doc = openDoc();
      if (doc && !get().draft) set({ draft: startDraftDocument(doc), notice: undefined });
    },
    applyDraft: () => {
      const draft = get().draft;
      const doc = openDoc();
      set({ draft: undefined });
      if (draft && doc) afterEdit(applyDraftDocument(doc, draft));
    },
    discardDraft: () => set({ draft: undefined, notice: undefined }),
    dismissNotice: () => set({ notice: undefined }),
    showNotice: (message) => set({ notice: message }),

    noticeExternalChange: (paths) => set((s) => ({ externalChanges: [...new Set([...s.externalChanges, ...paths])].sort() })),
    reloadFromDisk: async (files) => {
      const doc = openDoc();
      if (!doc) return;
      const fs = new MemoryFileSystem(Object.fromEntries(files));
      const read = await readMeshFiles(fs);
      const current = openDoc();
      if (!current || documentKey(current.origin) !== documentKey(doc.origin)) return;
      afterEdit(reloadDocument(current, read.files, fs));
      set({ externalChanges: [] });
    },
  };
};
