import { createStore, type StoreApi } from 'zustand/vanilla';
import { MemoryFileSystem } from '../../../core/fs/memoryFileSystem.ts';
import { loadMesh } from '../../../core/load/loadMesh.ts';
import { readMeshFiles } from '../../../core/load/readMeshFiles.ts';
import { changedBytes, changedPaths, productsChangedBy } from '../../../core/run/changedSinceRun.ts';
import type { MeshRuntime, MeshRuntimeOptions } from '../../../core/run/meshRuntime.ts';
import type { MeshRunReport, PortVersion, QuantumHost } from '../../../core/run/runTypes.ts';
import type { PolicyGate } from '../../../core/governance/policy/policyGate.ts';
import type { QueryTarget } from '../../../core/governance/access/queryAs.ts';
import type { SampleLoad } from '../samples/loadSample.ts';
import {
  allFiles,
  changeDocument,
  documentKey,
  EditError,
  markSaved,
  openDocument,
  pendingWrites,
  redoDocument,
  reloadFromDisk as reloadDocument,
  startDraft as startDraftDocument,
  applyDraft as applyDraftDocument,
  saveBlockers,
  selectProduct,
  undoDocument,
  unsavedPaths,
  type DocumentChange,
  type DocumentOrigin,
  type MeshDocument,
} from '../workspace/meshDocument.ts';
import { saveTarget, type SaveTargets } from '../workspace/saveTargets.ts';
import { keptAsideNotices, withNotices, type DiskNotice } from '../workspace/diskNotices.ts';
import { followGovernance, type GovernanceSlice } from './governance.ts';
import { applyEvent, failRun, finishRun, markChanged, startRun, type MeshRunState } from './meshRuns.ts';

export type SampleState = { readonly status: 'loading' } | SampleLoad;

/** The mesh open in the editor. */
export type DocumentState =
  | { readonly status: 'none' }
  | { readonly status: 'loading'; readonly label: string }
  | { readonly status: 'failed'; readonly message: string }
  | { readonly status: 'open'; readonly doc: MeshDocument };

/** Where the open mesh stands against its save target; shown in the toolbar. */
export type SaveState =
  | { readonly status: 'saved' | 'unsaved' | 'saving' }
  /** Autosave waits: a changed file has errors; saving it would replace a good file with a broken one. */
  | { readonly status: 'blocked'; readonly message: string }
  /** Files changed on disk since they were opened; nothing was written. */
  | { readonly status: 'conflict'; readonly conflicts: readonly string[] }
  | { readonly status: 'error'; readonly message: string };

/**
 * The app shell's state. Created per window (and per test) by createAppStore; components read
 * it through narrow selectors. The editor will add its slices beside these.
 */
export interface AppState extends GovernanceSlice {
  /** Load state of each bundled sample, by folder. */
  readonly samples: Readonly<Record<string, SampleState>>;
  /** Folder of the sample shown in the overview; undefined shows the start screen. */
  readonly openSample: string | undefined;
  /** Runs of each open document, by document key (`sample:<folder>`, `stored:<id>`, …). */
  readonly runs: Readonly<Record<string, MeshRunState>>;
  readonly setSampleState: (folder: string, state: SampleState) => void;
  readonly showSample: (folder: string | undefined) => void;

  /** The mesh in the editor, its save state, and the last edit that could not be made. */
  readonly document: DocumentState;
  readonly saveState: SaveState;
  readonly notice: string | undefined;
  /**
   * What happened to files on disk (another program's version kept beside a file during a
   * save, an interrupted save completed on open): shown until dismissed or another mesh opens.
   */
  readonly diskNotices: readonly DiskNotice[];
  readonly showDiskNotices: (notices: readonly DiskNotice[]) => void;
  readonly dismissDiskNotice: (id: string) => void;
  /** Opens a mesh from its files (a folder, a zip, a stored mesh); loading never throws. `diskNotices`: what opening did on disk. */
  readonly openFiles: (
    origin: DocumentOrigin,
    files: ReadonlyMap<string, Uint8Array>,
    options?: { readonly diskNotices?: readonly DiskNotice[] },
  ) => Promise<void>;
  readonly closeDocument: () => void;
  /** Applies an edit; an impossible one leaves the mesh as it was and sets `notice`. */
  readonly change: (change: DocumentChange, label: string, squashKey?: string) => boolean;
  readonly undo: () => void;
  readonly redo: () => void;
  readonly select: (productId: string | undefined) => void;
  readonly dismissNotice: () => void;
  /** Shows a one-line message in the notice line (a desktop command or a reload from disk that failed). */
  readonly showNotice: (message: string) => void;
  /** Opening a mesh failed before its files could be read (a stored mesh missing from this browser). */
  readonly openFailed: (message: string) => void;
  /** Writes the unsaved files now (autosave calls it after a pause in editing). */
  readonly save: (options?: { readonly overwrite?: boolean }) => Promise<void>;
  /** Runs every product of the open mesh once ("Run all"). */
  readonly runDocument: () => Promise<void>;
  /** Runs one product now, on the newest good versions of its inputs ("Run one"). */
  readonly runProduct: (productId: string) => Promise<void>;
  /** Advances simulated time `ticks` ticks; products run on their schedules ("Tick ×N"). */
  readonly tickDocument: (ticks: number) => Promise<void>;
  /** Forgets every run of the open mesh: versions, statuses and the log. */
  readonly resetRuns: () => void;
  /**
   * What-if: while a draft is open, every edit goes into it — nothing is saved, the canvas
   * and inspector show it — until it is applied (one undoable step) or discarded.
   */
  readonly draft: MeshDocument | undefined;
  readonly startDraft: () => void;
  readonly applyDraft: () => void;
  readonly discardDraft: () => void;
  /** Which editor panels are shown (View menu, buttons). */
  readonly panels: { readonly inspector: boolean; readonly log: boolean };
  readonly togglePanel: (panel: 'inspector' | 'log') => void;
  /** Files another program changed on disk since the mesh was opened or last reloaded. */
  readonly externalChanges: readonly string[];
  readonly noticeExternalChange: (paths: readonly string[]) => void;
  /** Takes in the folder as it is on disk now (see reloadFromDisk); clears externalChanges. */
  readonly reloadFromDisk: (files: ReadonlyMap<string, Uint8Array>) => Promise<void>;
  /** Published versions of a port of the open mesh, oldest first (the newest carry their data). */
  readonly portHistory: (productId: string, port: string) => readonly PortVersion[];
  /** The window's quantum pool (started on first use), shared by runs and the governance catalog. */
  readonly quantumHost: () => Promise<QuantumHost>;
  /** The open mesh's runtime as a query target (SQL console, queries as a persona); undefined before it ran. */
  readonly queryTarget: () => QueryTarget | undefined;
}

export type AppStore = StoreApi<AppState>;

export interface AppStoreOptions {
  readonly folders: readonly string[];
  readonly openSample: string | undefined;
  /** Where quanta run: Web Workers in the app (BrowserHost). Called once, on the first run. */
  readonly createHost: () => Promise<QuantumHost>;
  /** Where saving goes; without it the editor keeps changes in memory only. */
  readonly saveTargets?: SaveTargets;
  /** Pause after the last edit before autosave writes, in ms; 0 turns autosave off. Default 800. */
  readonly autosaveMs?: number;
  /** Called when a save moves the document (a sample's first save becomes a stored copy). */
  readonly onOriginChange?: (origin: DocumentOrigin) => void;
  /**
   * Evaluate the open mesh's policies after every change and run (governance.ts), `delayMs`
   * after the last one (default 500), and let its blocking violations refuse publishes.
   */
  readonly policies?: { readonly delayMs?: number };
}

export function createAppStore(initial: AppStoreOptions): AppStore {
  // Not state: one pool of quanta for the window, and one runtime per document revision so
  // that a second run builds on the versions the first one published; an edit replaces it
  // with the edited mesh's runtime, which carries on from it (MeshRuntime.withMesh).
  let host: Promise<QuantumHost> | undefined;
  const docRuntimes = new Map<string, { readonly revision: number; readonly runtime: MeshRuntime }>();
  const target = initial.saveTargets ? saveTarget(initial.saveTargets) : undefined;
  const autosaveMs = initial.autosaveMs ?? 800;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<void> | undefined;
  let openSeq = 0;
  let gate: PolicyGate | undefined;
  const getHost = () =>
    (host ??= initial.createHost().catch((error: unknown) => {
      host = undefined; // the next run tries again
      throw error;
    }));

  const store = createStore<AppState>()((set, get) => {
    const openDoc = (): MeshDocument | undefined => {
      const d = get().document;
      return d.status === 'open' ? d.doc : undefined;
    };
    const setDoc = (doc: MeshDocument) => set({ document: { status: 'open', doc } });
    const afterEdit = (doc: MeshDocument) => {
      markEdited(openDoc(), doc);
      setDoc(doc);
      const unsaved = unsavedPaths(doc).length > 0;
      set({ saveState: { status: unsaved ? 'unsaved' : 'saved' } });
      if (unsaved && target && autosaveMs > 0) {
        clearTimeout(saveTimer);
        saveTimer = setTimeout(() => void get().save(), autosaveMs);
      }
    };
    const updateDocRun = (key: string, change: (run: MeshRunState) => MeshRunState) =>
      set((s) => {
        const run = s.runs[key];
        return run ? { runs: { ...s.runs, [key]: change(run) } } : {};
      });
    /** The products an edit touched, and their downstream, are "changed since last run" (see meshRuns.ts). */
    const markEdited = (before: MeshDocument | undefined, after: MeshDocument) => {
      if (!before || documentKey(before.origin) !== documentKey(after.origin)) return;
      const paths = changedPaths(before.files, after.files);
      if (before.seeds !== after.seeds) paths.push(...changedBytes(before.seeds.snapshot(), after.seeds.snapshot()));
      const changed = new Set([...productsChangedBy(before.mesh, paths), ...productsChangedBy(after.mesh, paths)]);
      if (changed.size > 0) updateDocRun(documentKey(after.origin), (run) => markChanged(run, [...changed]));
    };
    /** The sample in the URL becomes the open document once it has loaded. */
    const syncSample = () => {
      const { openSample, samples, document } = get();
      if (openSample === undefined) return;
      const sample = samples[openSample];
      if (sample?.status !== 'loaded') return;
      const origin: DocumentOrigin = { kind: 'sample', folder: openSample };
      if (document.status === 'open' && documentKey(document.doc.origin) === documentKey(origin)) return;
      clearTimeout(saveTimer);
      openSeq++;
      set({
        document: { status: 'open', doc: openDocument(origin, sample.loaded, sample.files) },
        saveState: { status: 'saved' },
        notice: undefined,
        diskNotices: [],
        draft: undefined,
      });
    };
    const drive = async (work: (runtime: MeshRuntime) => Promise<MeshRunReport>): Promise<void> => {
      const doc = openDoc();
      if (!doc) return;
      const key = documentKey(doc.origin);
      if (get().runs[key]?.running) return;
      set((s) => ({ runs: { ...s.runs, [key]: startRun(s.runs[key], doc.mesh.products.length) } }));
      try {
        const report = await work(await runtimeFor(doc));
        updateDocRun(key, (run) => finishRun(run, report));
      } catch (error) {
        updateDocRun(key, (run) => failRun(run, error));
      }
    };
    const runtimeFor = async (doc: MeshDocument): Promise<MeshRuntime> => {
      const key = documentKey(doc.origin);
      const existing = docRuntimes.get(key);
      if (existing && existing.revision === doc.revision) return existing.runtime;
      const ready = getHost();
      const { MeshRuntime } = await import('../../../core/run/meshRuntime.ts');
      const options: MeshRuntimeOptions = {
        host: await ready,
        readFile: (path) => doc.seeds.readFile(path),
        now: () => performance.now(),
        onEvent: (event) => updateDocRun(key, (run) => applyEvent(run, event)),
        // Read at each publish: the gate's newest verdict counts, also for a runtime made before it.
        policyChecks: (productId) => [...(gate?.policyChecks(productId) ?? [])],
      };
      // An edited mesh's runtime goes on from the last one: the versions of the ports that
      // still exist stay published, so a downstream product runs on them after the edit.
      const runtime = existing ? existing.runtime.withMesh(doc.mesh, options) : new MeshRuntime(doc.mesh, options);
      docRuntimes.set(key, { revision: doc.revision, runtime });
      return runtime;
    };

    return {
      samples: Object.fromEntries(initial.folders.map((folder) => [folder, { status: 'loading' } satisfies SampleState])),
      openSample: initial.openSample,
      runs: {},
      governance: { evaluating: false },
      draftGovernance: undefined,
      document: { status: 'none' },
      saveState: { status: 'saved' },
      notice: undefined,
      diskNotices: [],
      showDiskNotices: (notices) => set((s) => ({ diskNotices: withNotices(s.diskNotices, notices) })),
      dismissDiskNotice: (id) => set((s) => ({ diskNotices: s.diskNotices.filter((n) => n.id !== id) })),
      setSampleState: (folder, state) => {
        set((s) => ({ samples: { ...s.samples, [folder]: state } }));
        syncSample();
      },
      showSample: (folder) => {
        set({ openSample: folder });
        syncSample();
      },

      openFiles: async (origin, files, options = {}) => {
        const seq = ++openSeq;
        clearTimeout(saveTimer);
        set({
          document: { status: 'loading', label: documentKey(origin) },
          saveState: { status: 'saved' },
          notice: undefined,
          diskNotices: options.diskNotices ?? [],
          externalChanges: [],
          draft: undefined,
        });
        try {
          const fs = new MemoryFileSystem(Object.fromEntries(files));
          const loaded = await loadMesh(fs);
          if (seq === openSeq) set({ document: { status: 'open', doc: openDocument(origin, loaded, fs) } });
        } catch (error) {
          // loadMesh turns bad content into diagnostics; reaching this is a bug in Quanta.
          const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
          if (seq === openSeq)
            set({ document: { status: 'failed', message: `Quanta could not open this mesh (${message}). Please report this.` } });
        }
      },
      closeDocument: () => {
        openSeq++;
        clearTimeout(saveTimer);
        set({
          document: { status: 'none' },
          saveState: { status: 'saved' },
          notice: undefined,
          diskNotices: [],
          externalChanges: [],
          draft: undefined,
        });
      },
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
      undo: () => {
        const draft = get().draft;
        if (draft) {
          if (draft.history.canUndo) set({ draft: undoDocument(draft) });
          return;
        }
        const doc = openDoc();
        if (doc?.history.canUndo) afterEdit(undoDocument(doc));
      },
      redo: () => {
        const draft = get().draft;
        if (draft) {
          if (draft.history.canRedo) set({ draft: redoDocument(draft) });
          return;
        }
        const doc = openDoc();
        if (doc?.history.canRedo) afterEdit(redoDocument(doc));
      },
      select: (productId) => {
        const draft = get().draft;
        if (draft) set({ draft: selectProduct(draft, productId) });
        const doc = openDoc();
        if (doc) setDoc(selectProduct(doc, productId));
      },
      draft: undefined,
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
      openFailed: (message) => set({ document: { status: 'failed', message } }),

      save: async (options = {}) => {
        clearTimeout(saveTimer);
        if (saving) {
          // One write at a time; the edits made meanwhile are saved right after.
          await saving;
          return get().save(options);
        }
        const doc = openDoc();
        if (!doc || !target) return;
        const writes = pendingWrites(doc);
        if (writes.size === 0) {
          set({ saveState: { status: 'saved' } });
          return;
        }
        const blockers = saveBlockers(doc);
        if (blockers.length > 0) {
          const first = blockers[0];
          const where = first ? `${first.file}:${first.line}:${first.column}` : '';
          set({ saveState: { status: 'blocked', message: `Not saved: ${where} ${first?.message ?? ''}`.trim() } });
          return;
        }
        set({ saveState: { status: 'saving' } });
        const everything = async () => allFiles(doc);
        saving = (async () => {
          const result = await target.write(doc.origin, doc.title, writes, everything, options.overwrite === true);
          const current = openDoc();
          // The user may have opened another mesh while this one was being written.
          if (!current || documentKey(current.origin) !== documentKey(doc.origin)) return;
          if (!result.ok) {
            // Another program's version kept beside its file: said until dismissed, as the file stays on disk.
            if ('preserved' in result && result.preserved) get().showDiskNotices(keptAsideNotices(result.preserved));
            set({
              saveState:
                'conflicts' in result ? { status: 'conflict', conflicts: result.conflicts } : { status: 'error', message: result.message },
            });
            return;
          }
          const moved = documentKey(result.origin) !== documentKey(doc.origin);
          const next = markSaved(current, doc.files, result.origin);
          if (moved) {
            const runs = get().runs[documentKey(doc.origin)];
            const entry = docRuntimes.get(documentKey(doc.origin));
            if (entry) docRuntimes.set(documentKey(result.origin), entry);
            if (runs) set((s) => ({ runs: { ...s.runs, [documentKey(result.origin)]: runs } }));
          }
          setDoc(next);
          set({ saveState: { status: unsavedPaths(next).length > 0 ? 'unsaved' : 'saved' } });
          if (moved) initial.onOriginChange?.(result.origin);
          if (unsavedPaths(next).length > 0 && autosaveMs > 0) saveTimer = setTimeout(() => void get().save(), autosaveMs);
        })();
        try {
          await saving;
        } finally {
          saving = undefined;
        }
      },

      runDocument: () => drive((runtime) => runtime.runAll()),
      runProduct: (productId) =>
        drive(async (runtime) => {
          const started = performance.now();
          const run = await runtime.runProduct(productId);
          return { tick: runtime.tick, simulatedAt: runtime.simulatedAt(), products: [run], durationMs: performance.now() - started };
        }),
      tickDocument: (ticks) =>
        drive(async (runtime) => {
          const reports = await runtime.advance(Math.max(1, Math.floor(ticks)));
          const last = reports.at(-1);
          if (!last) throw new Error('the clock did not advance');
          return last;
        }),
      panels: { inspector: true, log: true },
      togglePanel: (panel) => set((s) => ({ panels: { ...s.panels, [panel]: !s.panels[panel] } })),
      externalChanges: [],
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
      quantumHost: getHost,
      queryTarget: () => {
        const doc = openDoc();
        return doc ? docRuntimes.get(documentKey(doc.origin))?.runtime : undefined;
      },
      portHistory: (productId, port) => {
        const doc = openDoc();
        const entry = doc && docRuntimes.get(documentKey(doc.origin));
        return entry ? entry.runtime.history(productId, port) : [];
      },
      resetRuns: () => {
        const doc = openDoc();
        if (!doc) return;
        const key = documentKey(doc.origin);
        if (get().runs[key]?.running) return;
        docRuntimes.delete(key);
        set((s) => {
          const runs = { ...s.runs };
          delete runs[key];
          return { runs };
        });
      },
    };
  });
  if (initial.policies) {
    const runKey = (state: AppState): string | undefined =>
      state.document.status === 'open' ? documentKey(state.document.doc.origin) : undefined;
    gate = followGovernance(store, runKey, getHost, initial.policies.delayMs);
  }
  return store;
}
